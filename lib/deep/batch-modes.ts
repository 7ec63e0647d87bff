/**
 * Online (stochastic) vs mini-batch vs batch learning on one model (seed 001, section 5): the
 * same architecture, optimiser and data, trained with batch sizes 1, a mini-batch size, and
 * the whole training set; the time per epoch and per step is measured and the learning curves
 * are kept.
 *
 * Usage:
 *   const modes = await compareBatchModes({ build: buildMlp, optimizer: () => SGD({ learningRate: 0.01 }),
 *     x, y, validationData: [xv, yv], epochs: 3 });
 *   showMarkdown(batchModeTable(modes));
 */
import * as tf from '@tensorflow/tfjs';
import { OptimizerName } from '../train/compile';
import { compareVariants, VariantResult } from './compare';

/** The three ways of feeding the data. */
export type BatchMode = 'online' | 'mini-batch' | 'batch';

/** Options of compareBatchModes. */
export interface BatchModeOptions {
  build: () => tf.LayersModel;
  optimizer: () => tf.Optimizer | OptimizerName;
  x: tf.Tensor;
  y: tf.Tensor;
  validationData?: [tf.Tensor, tf.Tensor];
  /** Epochs for every mode (default 1). */
  epochs?: number;
  /** The mini-batch size (default 32). */
  miniBatchSize?: number;
  /** Which modes to run, in order (default all three). */
  modes?: readonly BatchMode[];
  /** Seed before each build (default 42): all modes start from the same weights. */
  seed?: number;
}

/** One mode's measurements. */
export interface BatchModeResult extends VariantResult {
  mode: BatchMode;
  /** Mean milliseconds per gradient step (training steps only). */
  msPerStep: number;
  /** Mean microseconds per training sample (training steps only). */
  usPerSample: number;
}

/**
 * Trains the model once per mode (batch size 1, miniBatchSize, all samples) and measures it.
 *
 * Usage: `const modes = await compareBatchModes({ build, optimizer: () => SGD(), x, y, epochs: 2 });`
 */
export async function compareBatchModes(options: BatchModeOptions): Promise<BatchModeResult[]> {
  const n = options.x.shape[0];
  const mini = options.miniBatchSize ?? 32;
  if (!Number.isInteger(mini) || mini < 2 || mini >= n) throw new Error(`compareBatchModes: miniBatchSize must be an integer in 2..${n - 1} (between online and batch), got ${mini}.`);
  const modes = options.modes ?? (['online', 'mini-batch', 'batch'] as const);
  const sizeOf: Record<BatchMode, number> = { online: 1, 'mini-batch': mini, batch: n };
  for (const m of modes) if (!(m in sizeOf)) throw new Error(`compareBatchModes: unknown mode '${String(m)}'; use 'online', 'mini-batch' or 'batch'.`);
  const results = await compareVariants(
    modes.map((mode) => ({ name: `${mode} (batch ${sizeOf[mode]})`, build: options.build, optimizer: options.optimizer, batchSize: sizeOf[mode] })),
    { x: options.x, y: options.y, validationData: options.validationData, epochs: options.epochs ?? 1, seed: options.seed },
  );
  return results.map((r, i) => ({
    ...r,
    mode: modes[i],
    msPerStep: (r.trainSecondsPerEpoch * 1000) / r.stepsPerEpoch,
    usPerSample: (r.trainSecondsPerEpoch * 1e6) / n,
  }));
}

/**
 * A markdown table of the modes: batch size, steps per epoch, time per epoch and per step,
 * final training and validation loss/accuracy.
 *
 * Usage: `showMarkdown(batchModeTable(modes))`
 */
export function batchModeTable(results: readonly BatchModeResult[]): string {
  if (results.length === 0) throw new Error('batchModeTable: no results; run compareBatchModes first.');
  const f = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(4));
  const lines = [
    '| mode | batch size | steps/epoch | s/epoch (training) | ms/step | µs/sample | loss | accuracy | val_loss | val_accuracy |',
    '| :--- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.mode} | ${r.batchSize} | ${r.stepsPerEpoch} | ${r.trainSecondsPerEpoch.toFixed(2)} | ${r.msPerStep.toFixed(2)} | ${r.usPerSample.toFixed(1)} | ` +
        `${f(r.final.loss)} | ${f(r.final.accuracy)} | ${f(r.final.val_loss)} | ${f(r.final.val_accuracy)} |`,
    );
  }
  return lines.join('\n');
}
