/**
 * Greedy layer-wise training of a stacked autoencoder (seed 001, "Training one autoencoder at a
 * time"): train a shallow autoencoder x -> h1 -> x, encode the data to h1, train a second one
 * h1 -> h2 -> h1 on those codings, and so on; then stack the encoders in order and the decoders
 * in reverse order into one deep autoencoder (the same layer objects, so their trained weights
 * carry over).
 *
 * Usage:
 *   const { autoencoder, encoder, decoder, stages } = await trainGreedyLayerwise(xTrain, {
 *     inputShape: [28, 28], hiddenSizes: [100, 30], epochs: 5, optimizer: (stage) => tf.train.sgd(stage === 0 ? 1.5 : 0.05) });
 */
import * as tf from '@tensorflow/tfjs';
import { AutoencoderActivation, isActivationName } from '../layers/autoencoder-activations';
import type { AutoencoderParts } from '../models/autoencoders';
import { joinAutoencoder } from '../models/autoencoders';

/** Options of trainGreedyLayerwise. */
export interface GreedyOptions {
  /** Shape of one sample, e.g. [28, 28]. */
  inputShape: number[];
  /** Encoder sizes in order, e.g. [100, 30]: one shallow autoencoder per entry. */
  hiddenSizes: number[];
  /** Hidden activation (default 'selu'). */
  activation?: AutoencoderActivation;
  /** Output activation of the first (outermost) stage (default 'sigmoid'); inner stages reconstruct codings with `activation`. */
  outputActivation?: AutoencoderActivation;
  /** Epochs per stage. */
  epochs: number;
  /** Batch size (default 32). */
  batchSize?: number;
  /**
   * A fresh optimiser for each stage, given its 0-based index (default: SGD 1.5 for the first,
   * pixel-level stage, as the seed's stacked AE; SGD 0.05 for the inner stages, whose MSE on
   * SELU codings diverges at 1.5 — Géron's settings).
   */
  optimizer?: (stage: number) => tf.Optimizer;
  /** Loss of the first stage (default 'binaryCrossentropy' for pixels in [0, 1]). */
  firstLoss?: 'binaryCrossentropy' | 'meanSquaredError';
  /** Loss of the inner stages (default 'meanSquaredError': codings are not probabilities). */
  innerLoss?: 'binaryCrossentropy' | 'meanSquaredError';
  /** Validation inputs (same shape as x), encoded stage by stage like the training data. */
  validationData?: tf.Tensor;
  /** Called after each stage with its index and per-epoch losses. */
  onStage?: (stage: GreedyStage) => void;
}

/** What one stage learned. */
export interface GreedyStage {
  /** 0-based stage index. */
  index: number;
  /** Input size of this shallow autoencoder. */
  inputSize: number;
  /** Its code size. */
  codeSize: number;
  /** Training loss per epoch. */
  loss: number[];
  /** Validation loss per epoch (when validationData was given). */
  valLoss: number[];
}

/** The stacked model plus the stages' histories. */
export interface GreedyResult extends AutoencoderParts {
  stages: GreedyStage[];
}

/** Trains one shallow autoencoder at a time, then stacks them. Usage: see the module comment. */
export async function trainGreedyLayerwise(x: tf.Tensor, options: GreedyOptions): Promise<GreedyResult> {
  const where = 'trainGreedyLayerwise';
  const shape = options.inputShape;
  const n = shape.reduce((a, b) => a * b, 1);
  if (x.shape.slice(1).reduce((a, b) => a * b, 1) !== n) {
    throw new Error(`${where}: x has samples of shape [${x.shape.slice(1).join(', ')}] but inputShape is [${shape.join(', ')}].`);
  }
  const sizes = options.hiddenSizes;
  if (sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`${where}: hiddenSizes must be positive integers such as [100, 30].`);
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new Error(`${where}: epochs must be a positive integer, got ${options.epochs}.`);
  const act = options.activation ?? 'selu';
  const outAct = options.outputActivation ?? 'sigmoid';
  for (const a of [act, outAct]) if (!isActivationName(a)) throw new Error(`${where}: unknown activation '${a}'; use linear, relu, selu, elu, sigmoid, tanh or softplus.`);
  const makeOpt = options.optimizer ?? ((stage: number) => tf.train.sgd(stage === 0 ? 1.5 : 0.05));

  const encoders: tf.layers.Layer[] = [];
  const decoders: tf.layers.Layer[] = [];
  const stages: GreedyStage[] = [];
  // The shallow models hold references to the trained layers; they are disposed once the
  // stacked models hold them too (else autoencoder.dispose() could not free the weights).
  const shallowModels: tf.LayersModel[] = [];
  let data = tf.reshape(x, [x.shape[0], n]);
  let val = options.validationData ? tf.reshape(options.validationData, [options.validationData.shape[0], n]) : undefined;
  let inSize = n;
  try {
    for (let i = 0; i < sizes.length; i++) {
      const enc = tf.layers.dense({ units: sizes[i], activation: act });
      const dec = tf.layers.dense({ units: inSize, activation: i === 0 ? outAct : act });
      const input = tf.input({ shape: [inSize] });
      const shallow = tf.model({ inputs: input, outputs: dec.apply(enc.apply(input)) as tf.SymbolicTensor });
      shallowModels.push(shallow);
      const optimizer = makeOpt(i);
      shallow.compile({ optimizer, loss: i === 0 ? options.firstLoss ?? 'binaryCrossentropy' : options.innerLoss ?? 'meanSquaredError' });
      const h = await shallow.fit(data, data, {
        epochs: options.epochs,
        batchSize: options.batchSize ?? 32,
        validationData: val ? [val, val] : undefined,
        verbose: 0,
      });
      optimizer.dispose();
      const stage: GreedyStage = {
        index: i,
        inputSize: inSize,
        codeSize: sizes[i],
        loss: h.history.loss.map(Number),
        valLoss: (h.history.val_loss ?? []).map(Number),
      };
      stages.push(stage);
      options.onStage?.(stage);
      encoders.push(enc);
      decoders.push(dec);
      // Codings of this stage feed the next one.
      const encodeOnly = (t: tf.Tensor): tf.Tensor => tf.tidy(() => enc.apply(t) as tf.Tensor);
      if (i < sizes.length - 1) {
        const next = encodeOnly(data);
        data.dispose();
        data = next;
        if (val) {
          const nv = encodeOnly(val);
          val.dispose();
          val = nv;
        }
      }
      inSize = sizes[i];
    }
  } catch (e) {
    for (const m of shallowModels) m.dispose();
    throw e;
  } finally {
    data.dispose();
    val?.dispose();
  }

  // Stack: encoders in order, decoders in reverse order.
  const xIn = tf.input({ shape });
  let h: tf.SymbolicTensor = shape.length > 1 ? (tf.layers.flatten().apply(xIn) as tf.SymbolicTensor) : xIn;
  for (const e of encoders) h = e.apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: xIn, outputs: h, name: 'greedy_encoder' });
  const zIn = tf.input({ shape: [sizes[sizes.length - 1]] });
  let g: tf.SymbolicTensor = zIn;
  for (const d of [...decoders].reverse()) g = d.apply(g) as tf.SymbolicTensor;
  if (shape.length > 1) g = tf.layers.reshape({ targetShape: shape }).apply(g) as tf.SymbolicTensor;
  const decoder = tf.model({ inputs: zIn, outputs: g, name: 'greedy_decoder' });
  for (const m of shallowModels) m.dispose();
  return { ...joinAutoencoder(encoder, decoder, 'greedy_ae'), stages };
}
