/**
 * Variational autoencoder builder (seeds 003, 004). The encoder maps x to [mean, logVar, z]
 * (z drawn by the Sampling layer, which adds the KL term to the loss); the decoder maps z to a
 * reconstruction and, fed z ~ N(0, I), generates new samples. Compile the autoencoder with
 * a reconstruction loss (binary cross-entropy for pixels in [0, 1]); fit adds the KL term.
 *
 * The KL weight defaults to 1 / (input size): the compiled BCE is a mean over pixels, the KL a
 * sum over latent units, so this keeps the two in Keras's proportions (Géron divides by 784).
 *
 * Usage:
 *   const { autoencoder, encoder, decoder } = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: 10 });
 *   autoencoder.compile({ loss: 'binaryCrossentropy', optimizer: 'adam' });
 *   const images = decoder.predict(tf.randomNormal([12, 10])) as tf.Tensor;
 */
import * as tf from '@tensorflow/tfjs';
import { Sampling } from '../layers/sampling';
import { AutoencoderActivation, isActivationName } from '../layers/autoencoder-activations';
import { AutoencoderParts, joinAutoencoder } from './autoencoders';

/** Options of the VAE builder. */
export interface VariationalAutoencoderOptions {
  /** Shape of one sample, e.g. [28, 28]. */
  inputShape: number[];
  /** Hidden sizes of the encoder (mirrored in the decoder), e.g. [150, 100]. */
  hiddenSizes: number[];
  /** Latent dimensions (2 for a latent map). */
  latentDim: number;
  /** Hidden activation (default 'selu'). */
  activation?: AutoencoderActivation;
  /** Output activation (default 'sigmoid'). */
  outputActivation?: AutoencoderActivation;
  /** Multiplier of the KL term (default 1 / input size). */
  klWeight?: number;
}

/** Builds a dense VAE. Usage: see the module comment. */
export function buildVariationalAutoencoder(options: VariationalAutoencoderOptions): AutoencoderParts {
  const where = 'buildVariationalAutoencoder';
  const s = options.inputShape;
  if (!Array.isArray(s) || s.length === 0 || s.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`${where}: inputShape must be positive integers such as [28, 28], got [${String(s)}].`);
  const n = s.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(options.latentDim) || options.latentDim < 1) throw new Error(`${where}: latentDim must be a positive integer, got ${options.latentDim}.`);
  const sizes = options.hiddenSizes;
  if (!Array.isArray(sizes) || sizes.some((u) => !Number.isInteger(u) || u < 1)) throw new Error(`${where}: hiddenSizes must be positive integers, got [${String(sizes)}].`);
  const act = options.activation ?? 'selu';
  const outAct = options.outputActivation ?? 'sigmoid';
  for (const a of [act, outAct]) if (!isActivationName(a)) throw new Error(`${where}: unknown activation '${a}'; use linear, relu, selu, elu, sigmoid, tanh or softplus.`);

  const x = tf.input({ shape: s });
  let h: tf.SymbolicTensor = s.length > 1 ? (tf.layers.flatten().apply(x) as tf.SymbolicTensor) : x;
  for (const u of sizes) h = tf.layers.dense({ units: u, activation: act }).apply(h) as tf.SymbolicTensor;
  const mean = tf.layers.dense({ units: options.latentDim }).apply(h) as tf.SymbolicTensor;
  const logVar = tf.layers.dense({ units: options.latentDim }).apply(h) as tf.SymbolicTensor;
  const z = new Sampling({ klWeight: options.klWeight ?? 1 / n }).apply([mean, logVar]) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: [mean, logVar, z], name: 'vae_encoder' });

  const zIn = tf.input({ shape: [options.latentDim] });
  let g: tf.SymbolicTensor = zIn;
  for (const u of [...sizes].reverse()) g = tf.layers.dense({ units: u, activation: act }).apply(g) as tf.SymbolicTensor;
  g = tf.layers.dense({ units: n, activation: outAct }).apply(g) as tf.SymbolicTensor;
  if (s.length > 1) g = tf.layers.reshape({ targetShape: s }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: zIn, outputs: g, name: 'vae_decoder' });
  return joinAutoencoder(encoder, decoder, 'vae');
}

/**
 * Draws `count` latent vectors from the prior N(0, I) and decodes them (new images).
 * Usage: `const samples = sampleFromPrior(decoder, 16, 10); // [16, 28, 28]`
 */
export function sampleFromPrior(decoder: tf.LayersModel, count: number, latentDim: number): tf.Tensor {
  if (!Number.isInteger(count) || count < 1) throw new Error(`sampleFromPrior: count must be a positive integer, got ${count}.`);
  return tf.tidy(() => decoder.predict(tf.randomNormal([count, latentDim])) as tf.Tensor);
}
