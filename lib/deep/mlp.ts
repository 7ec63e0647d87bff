/**
 * The seed's Fashion-MNIST MLP (Flatten, Dense 300, Dense 100, Dense 10 softmax) and its
 * variants from the "best practices" lecture in one builder: the activation and initialiser
 * (section 1.1-1.2), batch normalisation after or before the activation (1.3), dropout or
 * alpha dropout (4.2) and kernel regularisers (4.1). Layers use Keras's defaults
 * (glorot_uniform kernels, zero biases).
 *
 * Usage:
 *   const model = seedMlp();                                              // 266,610 parameters
 *   const bn = seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', batchNorm: 'after' }); // 271,346
 */
import * as tf from '@tensorflow/tfjs';
import { LeakyReLU, AlphaDropout } from '../layers/activations';
import { InitializerSpec } from '../layers/initializers';
import { dense } from '../layers/keras-defaults';
import { TfRegularizer } from '../layers/regularizers';

/** Activations the builder understands ('leaky_relu' adds a LeakyReLU layer). */
export type MlpActivation = 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu' | 'linear' | 'leaky_relu';

/** Options of seedMlp. */
export interface MlpOptions {
  /** Hidden layer sizes (default [300, 100], the seed's). */
  hidden?: readonly number[];
  /** Hidden activation (default 'relu'). */
  activation?: MlpActivation;
  /** Slope of LeakyReLU for x < 0 (default 0.2, the seed's). */
  negativeSlope?: number;
  /** Hidden kernel initialiser: a Keras name or an initialiser (default 'glorot_uniform'). */
  kernelInitializer?: InitializerSpec | string;
  /**
   * 'after': BN as the first layer and after each hidden layer's activation (seed In[51]);
   * 'before': BN as the first layer and between each hidden Dense (without bias) and its
   * activation (seed In[53]); 'none' (default).
   */
  batchNorm?: 'none' | 'after' | 'before';
  /** Dropout rate before each Dense layer, the input included (seed In[66]); 0 = none. */
  dropout?: number;
  /** Use AlphaDropout instead of Dropout (for SELU networks). */
  alphaDropout?: boolean;
  /** A regulariser for every hidden kernel, or a function making one per layer. */
  kernelRegularizer?: TfRegularizer | (() => TfRegularizer);
  /** Input shape (default [28, 28]). */
  inputShape?: readonly number[];
  /** Output units (default 10). */
  outputs?: number;
  /** Output activation (default 'softmax'; 'sigmoid' for a binary task with 1 output). */
  outputActivation?: 'softmax' | 'sigmoid' | 'linear';
}

/**
 * Builds the seed's MLP or one of its variants (see MlpOptions).
 *
 * Usage: `seedMlp({ activation: 'selu', kernelInitializer: 'lecun_normal' })`
 */
export function seedMlp(options: MlpOptions = {}): tf.Sequential {
  const hidden = options.hidden ?? [300, 100];
  const activation = options.activation ?? 'relu';
  const bn = options.batchNorm ?? 'none';
  const rate = options.dropout ?? 0;
  const known: readonly string[] = ['relu', 'sigmoid', 'tanh', 'elu', 'selu', 'linear', 'leaky_relu'];
  if (!known.includes(activation)) throw new Error(`seedMlp: activation '${activation}' is not one of ${known.join(', ')}.`);
  if (!['none', 'after', 'before'].includes(bn)) throw new Error(`seedMlp: batchNorm must be 'none', 'after' or 'before', got '${bn}'.`);
  if (!(rate >= 0 && rate < 1)) throw new Error(`seedMlp: dropout must be in [0, 1), got ${rate}.`);
  if (hidden.length === 0 || hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new Error(`seedMlp: hidden must list positive layer sizes, got [${hidden.join(', ')}].`);
  const reg = (): TfRegularizer | undefined =>
    options.kernelRegularizer === undefined ? undefined : typeof options.kernelRegularizer === 'function' ? options.kernelRegularizer() : options.kernelRegularizer;
  const drop = (): tf.layers.Layer => (options.alphaDropout ? new AlphaDropout({ rate }) : tf.layers.dropout({ rate }));
  const model = tf.sequential();
  const inputShape = [...(options.inputShape ?? [28, 28])];
  // Flatten images; a flat input just declares its shape (tfjs's Flatten rejects rank-2 input)
  if (inputShape.length > 1) model.add(tf.layers.flatten({ inputShape }));
  else model.add(tf.layers.inputLayer({ inputShape }));
  if (bn !== 'none') model.add(tf.layers.batchNormalization());
  const leaky = activation === 'leaky_relu';
  for (const units of hidden) {
    if (rate > 0) model.add(drop());
    const init = options.kernelInitializer ?? 'glorot_uniform';
    if (bn === 'before') {
      model.add(dense({ units, kernelInitializer: init, useBias: false, kernelRegularizer: reg() }));
      model.add(tf.layers.batchNormalization());
      if (leaky) model.add(new LeakyReLU({ negativeSlope: options.negativeSlope ?? 0.2 }));
      else model.add(tf.layers.activation({ activation }));
      continue;
    }
    model.add(dense({ units, activation: leaky ? 'linear' : activation, kernelInitializer: init, kernelRegularizer: reg() }));
    if (leaky) model.add(new LeakyReLU({ negativeSlope: options.negativeSlope ?? 0.2 }));
    if (bn === 'after') model.add(tf.layers.batchNormalization());
  }
  if (rate > 0) model.add(drop());
  model.add(dense({ units: options.outputs ?? 10, activation: options.outputActivation ?? 'softmax' }));
  return model;
}

/**
 * A deep, narrow MLP for the vanishing-gradient experiment: `depth` hidden layers of `width`
 * units with one activation and initialiser, then a softmax.
 *
 * Usage: `deepMlp({ depth: 10, width: 100, activation: 'sigmoid', kernelInitializer: 'random_normal' })`
 */
export function deepMlp(options: { depth: number; width: number; activation: MlpActivation; kernelInitializer?: InitializerSpec | string; inputShape?: readonly number[]; outputs?: number }): tf.Sequential {
  if (!Number.isInteger(options.depth) || options.depth < 1) throw new Error(`deepMlp: depth must be a positive integer, got ${options.depth}.`);
  return seedMlp({
    hidden: new Array<number>(options.depth).fill(options.width),
    activation: options.activation,
    kernelInitializer: options.kernelInitializer,
    inputShape: options.inputShape,
    outputs: options.outputs,
  });
}
