/**
 * Autoencoder builders (tfjs layers). Every builder returns `{ autoencoder, encoder, decoder }`:
 * the encoder and decoder are functional models of their own (the decoder takes codes, so it
 * is a generator for the VAE), and the autoencoder is `decoder(encoder(x))` with the two
 * nested as layers, like seed 001's `Sequential([encoder, decoder])`.
 *
 * Freezing: set `encoder.trainable = false` before compiling a model that nests the encoder
 * (it works because the encoder is a nested model, not the first layer of a Sequential).
 *
 * | builder | seed | shape |
 * | --- | --- | --- |
 * | buildLinearAutoencoder | 001 (AE vs PCA) | n -> k linear -> n linear |
 * | buildStackedAutoencoder | 001 | n -> 100 -> 30 -> 100 -> n (SELU, sigmoid out) |
 * | buildTiedAutoencoder | 001 (tying weights) | the same, decoder = DenseTranspose |
 * | buildDenoisingAutoencoder | 001, 004 | a Dropout or GaussianNoise layer on the input |
 * | buildSparseAutoencoder | 003, 004 | an L1 / KL activity penalty on the coding layer |
 * | buildConvAutoencoder | 001 | Conv2D/MaxPool x3 -> Conv2DTranspose x3 |
 * (the VAE is in ./vae.ts)
 *
 * Usage:
 *   const { autoencoder, encoder, decoder } = buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30] });
 *   autoencoder.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(1.5) });
 */
import * as tf from '@tensorflow/tfjs';
import { DenseTranspose } from '../layers/dense-transpose';
import { SparsityOptions, SparsityRegularization } from '../layers/sparsity';
import { AutoencoderActivation, isActivationName } from '../layers/autoencoder-activations';

export type { AutoencoderActivation } from '../layers/autoencoder-activations';
export type { SparsityOptions } from '../layers/sparsity';

/** The three models every builder returns. */
export interface AutoencoderParts {
  /** x -> reconstruction, the model to compile and fit. */
  autoencoder: tf.LayersModel;
  /** x -> codes. */
  encoder: tf.LayersModel;
  /** codes -> reconstruction. */
  decoder: tf.LayersModel;
}

/** A corruption layer at the encoder's input (only active in training, like Keras). */
export type InputNoise = { kind: 'dropout'; rate: number } | { kind: 'gaussian'; stddev: number };

/** Options of the dense builders. */
export interface StackedAutoencoderOptions {
  /** Shape of one sample, e.g. [28, 28] or [784]; flattened at the input, reshaped at the output. */
  inputShape: number[];
  /** Encoder sizes, the last is the code size, e.g. [100, 30]; the decoder mirrors them. */
  hiddenSizes: number[];
  /** Hidden activation (default 'selu'). */
  activation?: AutoencoderActivation;
  /** Coding layer activation (default: `activation`). */
  codeActivation?: AutoencoderActivation;
  /** Output activation (default 'sigmoid', for inputs in [0, 1] with binary cross-entropy). */
  outputActivation?: AutoencoderActivation;
  /** Tie decoder weights to the encoder's (DenseTranspose). Default false. */
  tied?: boolean;
  /** Corrupt the inputs in training: a denoising autoencoder. */
  inputNoise?: InputNoise;
  /** Activity penalty on the codes: a sparse autoencoder. */
  sparsity?: SparsityOptions;
  /** Kernel initialiser name for the Dense layers (default tfjs's 'glorotUniform'; 'lecunNormal' suits SELU). */
  kernelInitializer?: 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'lecunNormal' | 'lecunUniform';
  /** Prefix for the model names (default 'ae'). */
  name?: string;
}

function checkShape(inputShape: number[], where: string): number {
  if (!Array.isArray(inputShape) || inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`${where}: inputShape must be positive integers such as [28, 28] or [784], got [${String(inputShape)}].`);
  }
  return inputShape.reduce((a, b) => a * b, 1);
}

function checkActivation(name: string, where: string): AutoencoderActivation {
  if (!isActivationName(name)) throw new Error(`${where}: unknown activation '${name}'; use linear, relu, selu, elu, sigmoid, tanh or softplus.`);
  return name;
}

function noiseLayer(noise: InputNoise): tf.layers.Layer {
  if (noise.kind === 'dropout') {
    if (!(noise.rate >= 0 && noise.rate < 1)) throw new Error(`inputNoise: dropout rate must be in [0, 1), got ${noise.rate}.`);
    return tf.layers.dropout({ rate: noise.rate });
  }
  if (noise.kind === 'gaussian') {
    if (!(noise.stddev >= 0)) throw new Error(`inputNoise: gaussian stddev must be >= 0, got ${noise.stddev}.`);
    return tf.layers.gaussianNoise({ stddev: noise.stddev });
  }
  throw new Error(`inputNoise: kind must be 'dropout' or 'gaussian', got ${(noise as { kind: string }).kind}.`);
}

/**
 * Joins a built encoder and decoder into the autoencoder model (the encoder's last output feeds the decoder).
 * Usage: `const { autoencoder } = joinAutoencoder(encoder, decoder, 'my_ae');`
 */
export function joinAutoencoder(encoder: tf.LayersModel, decoder: tf.LayersModel, name = 'autoencoder'): AutoencoderParts {
  const x = tf.input({ shape: encoder.inputs[0].shape.slice(1) as number[] });
  const enc = encoder.apply(x) as tf.SymbolicTensor | tf.SymbolicTensor[];
  const code = Array.isArray(enc) ? enc[enc.length - 1] : enc;
  const out = decoder.apply(code) as tf.SymbolicTensor;
  return { autoencoder: tf.model({ inputs: x, outputs: out, name }), encoder, decoder };
}

/**
 * A dense autoencoder of any depth: input -> hiddenSizes -> mirrored -> output, optionally tied,
 * denoising (input noise) or sparse (activity penalty on the codes).
 *
 * Usage: `buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu' })`
 */
export function buildStackedAutoencoder(options: StackedAutoencoderOptions): AutoencoderParts {
  const where = 'buildStackedAutoencoder';
  const n = checkShape(options.inputShape, where);
  const sizes = options.hiddenSizes;
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`${where}: hiddenSizes must be positive integers such as [100, 30], got [${String(sizes)}].`);
  }
  const act = checkActivation(options.activation ?? 'selu', where);
  const codeAct = checkActivation(options.codeActivation ?? act, where);
  const outAct = checkActivation(options.outputActivation ?? 'sigmoid', where);
  const init = options.kernelInitializer;
  const prefix = options.name ?? 'ae';

  // Encoder.
  const x = tf.input({ shape: options.inputShape });
  let h: tf.SymbolicTensor = x;
  if (options.inputShape.length > 1) h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  if (options.inputNoise) h = noiseLayer(options.inputNoise).apply(h) as tf.SymbolicTensor;
  const denses: tf.layers.Layer[] = [];
  sizes.forEach((units, i) => {
    const last = i === sizes.length - 1;
    const d = tf.layers.dense({ units, activation: last ? codeAct : act, kernelInitializer: init });
    denses.push(d);
    h = d.apply(h) as tf.SymbolicTensor;
  });
  if (options.sparsity) h = new SparsityRegularization(options.sparsity).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: h, name: `${prefix}_encoder` });

  // Decoder: mirror sizes[-2..0], then n.
  const codeIn = tf.input({ shape: [sizes[sizes.length - 1]] });
  let g: tf.SymbolicTensor = codeIn;
  const outSizes = [...sizes.slice(0, -1).reverse(), n];
  outSizes.forEach((units, i) => {
    const last = i === outSizes.length - 1;
    const a = last ? outAct : act;
    const layer = options.tied
      ? new DenseTranspose({ dense: denses[denses.length - 1 - i], activation: a })
      : tf.layers.dense({ units, activation: a, kernelInitializer: init });
    g = layer.apply(g) as tf.SymbolicTensor;
  });
  if (options.inputShape.length > 1) g = tf.layers.reshape({ targetShape: options.inputShape }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: codeIn, outputs: g, name: `${prefix}_decoder` });
  return joinAutoencoder(encoder, decoder, prefix);
}

/**
 * The linear autoencoder of seed 001 (PCA-equivalent with MSE): Dense(k) with no activation,
 * Dense(n) with no activation.
 *
 * Usage: `buildLinearAutoencoder({ inputShape: [28, 28], codeSize: 2 })` then MSE and SGD(0.1).
 */
export function buildLinearAutoencoder(options: { inputShape: number[]; codeSize: number; name?: string }): AutoencoderParts {
  return buildStackedAutoencoder({
    inputShape: options.inputShape,
    hiddenSizes: [options.codeSize],
    activation: 'linear',
    outputActivation: 'linear',
    name: options.name ?? 'linear_ae',
  });
}

/**
 * A stacked autoencoder whose decoder reuses the encoder kernels transposed (about half the
 * parameters). Usage: `buildTiedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30] })`
 */
export function buildTiedAutoencoder(options: Omit<StackedAutoencoderOptions, 'tied'>): AutoencoderParts {
  return buildStackedAutoencoder({ name: 'tied_ae', ...options, tied: true });
}

/**
 * A stacked autoencoder with a corruption layer on its input, active only in training
 * (seed 001: Dropout(0.5); or GaussianNoise). Usage:
 * `buildDenoisingAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], inputNoise: { kind: 'dropout', rate: 0.5 } })`
 */
export function buildDenoisingAutoencoder(options: StackedAutoencoderOptions & { inputNoise: InputNoise }): AutoencoderParts {
  return buildStackedAutoencoder({ name: 'denoising_ae', ...options });
}

/**
 * A stacked autoencoder with an activity penalty on its codes. For the KL penalty use a sigmoid
 * coding layer (the default here). Usage:
 * `buildSparseAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], sparsity: { penalty: 'kl', weight: 0.05, target: 0.1 } })`
 */
export function buildSparseAutoencoder(options: StackedAutoencoderOptions & { sparsity: SparsityOptions }): AutoencoderParts {
  return buildStackedAutoencoder({ name: 'sparse_ae', codeActivation: 'sigmoid', ...options });
}

/** Options of the convolutional autoencoder. */
export interface ConvAutoencoderOptions {
  /** [height, width] or [height, width, channels]; 28 x 28 in the seed. */
  inputShape: number[];
  /** Filters of the three Conv2D blocks (default [16, 32, 64], the seed's). */
  filters?: [number, number, number];
  /** Hidden activation (default 'selu'). */
  activation?: AutoencoderActivation;
  /** Output activation (default 'sigmoid'). */
  outputActivation?: AutoencoderActivation;
}

/**
 * Seed 001's convolutional autoencoder: three Conv2D(3x3, same)+MaxPool(2) blocks
 * (28x28x1 -> 3x3x64), then Conv2DTranspose(32, 3, stride 2, valid) -> 7x7,
 * Conv2DTranspose(16, 3, stride 2, same) -> 14x14, Conv2DTranspose(c, 3, stride 2, same) -> 28x28.
 * The decoder's geometry needs height and width with floor(floor(floor(s/2)/2)/2)*2+1 = s/4,
 * which holds for 28; other sizes throw.
 *
 * Usage: `const { autoencoder, encoder } = buildConvAutoencoder({ inputShape: [28, 28] });`
 */
export function buildConvAutoencoder(options: ConvAutoencoderOptions): AutoencoderParts {
  const where = 'buildConvAutoencoder';
  checkShape(options.inputShape, where);
  const s = options.inputShape;
  if (s.length !== 2 && s.length !== 3) throw new Error(`${where}: inputShape must be [h, w] or [h, w, c], got [${s.join(', ')}].`);
  const [hgt, wid] = s;
  const ch = s.length === 3 ? s[2] : 1;
  for (const d of [hgt, wid]) {
    const p = Math.floor(Math.floor(Math.floor(d / 2) / 2) / 2);
    if ((p - 1) * 2 + 3 !== d / 4) throw new Error(`${where}: the seed's decoder maps 3x3 back to 28x28; size ${d} does not round-trip (use 28, or pad/crop the images).`);
  }
  const [f1, f2, f3] = options.filters ?? [16, 32, 64];
  const act = checkActivation(options.activation ?? 'selu', where);
  const outAct = checkActivation(options.outputActivation ?? 'sigmoid', where);
  const x = tf.input({ shape: s });
  let h: tf.SymbolicTensor = s.length === 2 ? (tf.layers.reshape({ targetShape: [hgt, wid, 1] }).apply(x) as tf.SymbolicTensor) : x;
  for (const f of [f1, f2, f3]) {
    h = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', activation: act }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.maxPooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  }
  const encoder = tf.model({ inputs: x, outputs: h, name: 'conv_encoder' });
  const codeIn = tf.input({ shape: h.shape.slice(1) as number[] });
  let g: tf.SymbolicTensor = tf.layers.conv2dTranspose({ filters: f2, kernelSize: 3, strides: 2, padding: 'valid', activation: act }).apply(codeIn) as tf.SymbolicTensor;
  g = tf.layers.conv2dTranspose({ filters: f1, kernelSize: 3, strides: 2, padding: 'same', activation: act }).apply(g) as tf.SymbolicTensor;
  g = tf.layers.conv2dTranspose({ filters: ch, kernelSize: 3, strides: 2, padding: 'same', activation: outAct }).apply(g) as tf.SymbolicTensor;
  if (s.length === 2) g = tf.layers.reshape({ targetShape: [hgt, wid] }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: codeIn, outputs: g, name: 'conv_decoder' });
  return joinAutoencoder(encoder, decoder, 'conv_ae');
}
