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

/**
 * A Dense layer with Keras defaults (glorot_uniform kernel, zeros bias).
 *
 * Usage: `dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', inputShape: [784] })`
 */
export function dense(args: KerasDenseArgs): ReturnType<typeof tf.layers.dense> {
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
  return tf.layers.conv2d({
    ...args,
    kernelInitializer: resolveInitializer(args.kernelInitializer ?? 'glorot_uniform'),
    biasInitializer: resolveInitializer(args.biasInitializer ?? 'zeros'),
  });
}
