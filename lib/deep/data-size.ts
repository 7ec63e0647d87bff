/**
 * "Should we gather more data?" (seed 001, section 6): train the same model on training sets
 * of doubling size and measure the training and validation error of each. A validation error
 * that keeps falling as the size doubles says more data would help; a large training error says
 * the model (or its optimisation) is the problem, not the amount of data.
 *
 * Usage:
 *   const rows = await trainingSizeExperiment({ build, optimizer: () => 'adam', x, y,
 *     validationData: [xv, yv], sizes: doublingSizes(500, 55000), epochs: 5 });
 *   showMarkdown(sizeTable(rows));
 */
import * as tf from '@tensorflow/tfjs';
import { setGlobalSeed } from '../random';
import { markdownTable } from '../display';
import type { OptimizerName } from '../optim/optimizers';
import { compile } from '../train/compile';
import { evaluate, fit } from '../train/fit';

/**
 * start, 2·start, 4·start, ... up to max; max itself is added last when the doubling misses it.
 *
 * Usage: `doublingSizes(500, 5000) // [500, 1000, 2000, 4000, 5000]`
 */
export function doublingSizes(start: number, max: number, options: { includeMax?: boolean } = {}): number[] {
  if (!Number.isInteger(start) || start < 1) throw new Error(`doublingSizes: start must be a positive integer, got ${start}.`);
  if (!Number.isInteger(max) || max < start) throw new Error(`doublingSizes: max must be an integer >= start (${start}), got ${max}.`);
  const out: number[] = [];
  for (let s = start; s <= max; s *= 2) out.push(s);
  if ((options.includeMax ?? true) && out[out.length - 1] !== max) out.push(max);
  return out;
}

/** Options of trainingSizeExperiment. */
export interface SizeExperimentOptions {
  /** Builds a fresh, uncompiled model. */
  build: () => tf.LayersModel;
  /** A fresh optimiser (or Keras name) per size. */
  optimizer: () => tf.Optimizer | OptimizerName;
  /** The full training set; size s uses its first s samples. */
  x: tf.Tensor;
  y: tf.Tensor;
  validationData: [tf.Tensor, tf.Tensor];
  /** Training-set sizes, increasing (see doublingSizes). */
  sizes: readonly number[];
  /** Epochs per size (default 5). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /**
   * Keep the number of gradient steps the same for every size (epochs scaled so that
   * size · epochs ≈ sizes[last] · epochs), default false: same epochs for all.
   */
  equalSteps?: boolean;
  /** Seed before each build (default 42). */
  seed?: number;
  /** Called after each size. */
  onRow?: (row: SizeExperimentRow) => void;
}

/** The result for one training-set size. */
export interface SizeExperimentRow {
  size: number;
  epochs: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** 1 - accuracy on the training samples used. */
  trainError: number;
  /** 1 - accuracy on the validation set. */
  valError: number;
  /** valError - trainError: the generalisation gap. */
  gap: number;
  seconds: number;
}

/**
 * Trains a fresh model on the first `size` samples for each size and evaluates it on those
 * samples and on the validation set (sparse categorical cross-entropy and accuracy).
 *
 * Usage: `const rows = await trainingSizeExperiment({ build, optimizer: () => 'adam', x, y, validationData: [xv, yv], sizes: [250, 500, 1000] });`
 */
export async function trainingSizeExperiment(options: SizeExperimentOptions): Promise<SizeExperimentRow[]> {
  const n = options.x.shape[0];
  const sizes = options.sizes;
  if (sizes.length === 0) throw new Error('trainingSizeExperiment: give at least one size (e.g. doublingSizes(500, 55000)).');
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 1 || s > n) throw new Error(`trainingSizeExperiment: size ${s} must be an integer in 1..${n} (the training samples given).`);
    if (i > 0 && s <= sizes[i - 1]) throw new Error(`trainingSizeExperiment: sizes must increase; ${s} follows ${sizes[i - 1]}.`);
  });
  const baseEpochs = options.epochs ?? 5;
  const batchSize = options.batchSize ?? 32;
  const largest = sizes[sizes.length - 1];
  const rows: SizeExperimentRow[] = [];
  for (const size of sizes) {
    const epochs = options.equalSteps ? Math.max(1, Math.round((baseEpochs * largest) / size)) : baseEpochs;
    setGlobalSeed(options.seed ?? 42);
    const model = options.build();
    const opt = options.optimizer();
    compile(model, { optimizer: opt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const xs = options.x.slice(0, size);
    const ys = options.y.slice(0, size);
    const t0 = performance.now();
    await fit(model, xs, ys, { epochs, batchSize, verbose: 0 });
    const seconds = (performance.now() - t0) / 1000;
    const tr = evaluate(model, xs, ys, { batchSize: 256, verbose: 0 });
    const va = evaluate(model, options.validationData[0], options.validationData[1], { batchSize: 256, verbose: 0 });
    tf.dispose([xs, ys]);
    model.dispose();
    if (typeof opt !== 'string') opt.dispose();
    const row: SizeExperimentRow = {
      size,
      epochs,
      trainLoss: tr.loss,
      trainAccuracy: tr.accuracy,
      valLoss: va.loss,
      valAccuracy: va.accuracy,
      trainError: 1 - tr.accuracy,
      valError: 1 - va.accuracy,
      gap: tr.accuracy - va.accuracy,
      seconds,
    };
    options.onRow?.(row);
    rows.push(row);
  }
  return rows;
}

/**
 * A markdown table of the experiment: size, epochs, training and validation error, gap, time.
 *
 * Usage: `showMarkdown(sizeTable(rows))`
 */
export function sizeTable(rows: readonly SizeExperimentRow[]): string {
  if (rows.length === 0) throw new Error('sizeTable: no rows; run trainingSizeExperiment first.');
  const header = ['training samples', 'epochs', 'train error', 'validation error', 'gap', 'train loss', 'val loss', 'seconds'];
  const cells = rows.map((r) => [
    r.size.toLocaleString('en-US'), r.epochs, r.trainError.toFixed(4), r.valError.toFixed(4), r.gap.toFixed(4),
    r.trainLoss.toFixed(4), r.valLoss.toFixed(4), r.seconds.toFixed(1),
  ]);
  return markdownTable(header, cells, { align: header.map(() => 'right') });
}
