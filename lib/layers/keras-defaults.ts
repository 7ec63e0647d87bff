/**
 * tfjs layers with Keras's defaults. tfjs's Dense and Conv2D default to a glorotNormal kernel
 * (truncated, about 12 % too narrow); Keras uses glorot_uniform. These wrappers use
 * glorot_uniform and zeros, and accept Keras initialiser names ('he_normal', ...) for
 * kernelInitializer / biasInitializer. Everything else is passed to tf.layers unchanged.
 *
 * Usage: `dense({ units: 300, activation: 'relu', kernelInitializer: 'he_normal' })`
 */
import * as tf from '@tensorflow/tfjs';
import { InitializerSpec, resolveInitializer } from './initializers';

type TfDenseArgs = Parameters<typeof tf.layers.dense>[0];
type TfConv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** tf.layers.dense arguments where the initialisers may be Keras names. */
export type KerasDenseArgs = Omit<TfDenseArgs, 'kernelInitializer' | 'biasInitializer'> & {
  kernelInitializer?: InitializerSpec | string;
  biasInitializer?: InitializerSpec | string;
};

/** tf.layers.conv2d arguments where the initialisers may be Keras names. */
export type KerasConv2DArgs = Omit<TfConv2DArgs, 'kernelInitializer' | 'biasInitializer'> & {
  kernelInitializer?: InitializerSpec | string;
  biasInitializer?: InitializerSpec | string;
};

/** The activation names tf.layers accepts (tfjs 4.22's ActivationIdentifier). */
const TFJS_ACTIVATIONS: readonly string[] = ['elu', 'hardSigmoid', 'linear', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax', 'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu', 'gelu_new'];

/** tfjs's own error for a wrong name blames Python porting; name the choices instead. */
function checkActivation(where: string, activation: unknown): void {
  if (activation === undefined || activation === null) return;
  if (typeof activation !== 'string' || !TFJS_ACTIVATIONS.includes(activation)) {
    throw new Error(`${where}: unknown activation '${String(activation)}'; use one of ${TFJS_ACTIVATIONS.join(', ')} (for Keras's leaky_relu, put a LeakyReLU layer after a linear one).`);
  }
}

const pair = (v: number | number[] | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v];

/** With a known input and 'valid' padding, the (dilated) kernel must fit inside the input. */
function checkKernelFits(args: KerasConv2DArgs): void {
  const shape = args.inputShape ?? args.batchInputShape?.slice(1);
  if (shape === undefined || shape.length !== 3 || (args.padding ?? 'valid') !== 'valid') return;
  const [h, w] = args.dataFormat === 'channelsFirst' ? [shape[1], shape[2]] : [shape[0], shape[1]];
  const [kh, kw] = pair(args.kernelSize, 1);
  const [dh, dw] = pair(args.dilationRate as number | number[] | undefined, 1);
  const eh = (kh - 1) * dh + 1;
  const ew = (kw - 1) * dw + 1;
  if (h !== null && w !== null && (eh > h || ew > w)) {
    throw new Error(`conv2d: the ${eh}x${ew} kernel${dh > 1 || dw > 1 ? ' (dilated)' : ''} does not fit the ${h}x${w} input with padding 'valid'; use a smaller kernelSize, padding: 'same', or a larger input.`);
  }
}

/**
 * A Dense layer with Keras defaults (glorot_uniform kernel, zeros bias).
 *
 * Usage: `dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })`
 */
export function dense(args: KerasDenseArgs): ReturnType<typeof tf.layers.dense> {
  checkActivation('dense', args.activation);
  return tf.layers.dense({
    ...args,
    kernelInitializer: resolveInitializer(args.kernelInitializer ?? 'glorot_uniform'),
    biasInitializer: resolveInitializer(args.biasInitializer ?? 'zeros'),
  });
}

/**
 * A Conv2D layer with Keras defaults (glorot_uniform kernel, zeros bias).
 *
 * Usage: `conv2d({ filters: 64, kernelSize: 7, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] })`
 */
export function conv2d(args: KerasConv2DArgs): ReturnType<typeof tf.layers.conv2d> {
  checkActivation('conv2d', args.activation);
  checkKernelFits(args);
  return tf.layers.conv2d({
    ...args,
    kernelInitializer: resolveInitializer(args.kernelInitializer ?? 'glorot_uniform'),
    biasInitializer: resolveInitializer(args.biasInitializer ?? 'zeros'),
  });
}
