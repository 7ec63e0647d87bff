/**
 * A small fit loop with early stopping on the validation loss and best-weights restore, on top
 * of the library's fit (one epoch at a time, so each epoch may get fresh inputs, e.g. newly
 * corrupted images for a denoising autoencoder). The stopping rule and the best-weights
 * snapshot are lib/train's EarlyStopping callback (Keras 3 semantics), driven epoch by epoch. Used by the seed-002 experiment for both the
 * autoencoders and the classifiers ("stopping criterion: early stopping"). The model must be
 * compiled with lib/train's `compile`; plain Dense stacks then train on fit's fast step.
 *
 * Usage:
 *   compile(model, { optimizer: tf.train.adam(0.001), loss: 'mse' });
 *   const r = await fitWithEarlyStopping(model, x, y, [xVal, yVal], { maxEpochs: 50, patience: 3 });
 *   r.bestEpoch; r.valLoss;
 */
import * as tf from '@tensorflow/tfjs';
import { EarlyStopping } from '../train/callbacks';
import { evaluate, fit } from '../train/fit';

/** Options of fitWithEarlyStopping. */
export interface EarlyStoppingFitOptions {
  /** Upper bound on epochs. */
  maxEpochs: number;
  /** Epochs without a val-loss improvement before stopping (default 3). */
  patience?: number;
  /** Minimum decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Batch size (default 32). */
  batchSize?: number;
  /** Put back the best epoch's weights at the end (default true). */
  restoreBestWeights?: boolean;
  /** Called at the start of each epoch; may return new training inputs (e.g. freshly corrupted ones; the caller disposes them after). */
  epochInputs?: (epoch: number) => tf.Tensor | undefined;
  /** Called after each epoch with its losses. */
  onEpoch?: (epoch: number, loss: number, valLoss: number) => void;
}

/** What the loop did. */
export interface EarlyStoppingFitResult {
  /** Training loss per epoch. */
  loss: number[];
  /** Validation loss per epoch. */
  valLoss: number[];
  /** 0-based epoch with the lowest validation loss. */
  bestEpoch: number;
  /** Epochs run. */
  epochs: number;
  /** Whether it stopped before maxEpochs. */
  stoppedEarly: boolean;
}

/** Trains until the validation loss stops improving. Usage: see the module comment. */
export async function fitWithEarlyStopping(
  model: tf.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  validation: [tf.Tensor, tf.Tensor],
  options: EarlyStoppingFitOptions,
): Promise<EarlyStoppingFitResult> {
  if (!Number.isInteger(options.maxEpochs) || options.maxEpochs < 1) throw new Error(`fitWithEarlyStopping: maxEpochs must be a positive integer, got ${options.maxEpochs}.`);
  const restore = options.restoreBestWeights ?? true;
  const stopper = new EarlyStopping({
    monitor: 'val_loss', mode: 'min', patience: options.patience ?? 3, minDelta: options.minDelta ?? 0, restoreBestWeights: restore,
  });
  stopper.setModel(model);
  const loss: number[] = [];
  const valLoss: number[] = [];
  let stoppedEarly = false;
  try {
    stopper.onTrainBegin();
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      const xe = options.epochInputs?.(epoch);
      try {
        const h = await fit(model, xe ?? x, y, { epochs: 1, batchSize: options.batchSize ?? 32, shuffle: true, verbose: 0 });
        loss.push(h.history.loss[0]);
      } finally {
        xe?.dispose();
      }
      const v = evaluate(model, validation[0], validation[1], { batchSize: 256, verbose: 0 }).loss;
      valLoss.push(v);
      options.onEpoch?.(epoch, loss[loss.length - 1], v);
      stopper.onEpochEnd(epoch, { loss: loss[loss.length - 1], val_loss: v });
      if (stopper.stoppedEpoch > 0) {
        stoppedEarly = epoch < options.maxEpochs - 1;
        // EarlyStopping asked the model to stop; the next fit would clear it, but leave the model clean.
        model.stopTraining = false;
        break;
      }
    }
    // Puts back the best epoch's weights (when restoring) and frees the snapshot.
    stopper.onTrainEnd();
  } finally {
    stopper.dispose();
  }
  const bestEpoch = stopper.bestEpoch;
  return { loss, valLoss, bestEpoch, epochs: loss.length, stoppedEarly };
}
