/**
 * Train several variants of one model on the same data and compare them: optimisers, learning
 * rate schedules, activations and initialisers, regularisers, batch sizes. Each variant is built
 * fresh after re-seeding (so variants that share an architecture start from the same weights),
 * compiled, trained with our `fit`, timed epoch by epoch, and disposed.
 *
 * Usage:
 *   const results = await compareVariants([
 *     { name: 'SGD', build: buildMlp, optimizer: () => SGD({ learningRate: 0.01 }) },
 *     { name: 'Adam', build: buildMlp, optimizer: () => Adam({ learningRate: 0.001 }) },
 *   ], { x, y, validationData: [xVal, yVal], epochs: 5 });
 *   showMarkdown(comparisonTable(results));
 */
import * as tf from '@tensorflow/tfjs';
import { setGlobalSeed } from '../random';
import { Callback, Logs } from '../train/callbacks';
import { compile, MetricSpec, OptimizerName } from '../train/compile';
import { evaluate, fit } from '../train/fit';
import { History } from '../train/history';
import { LossFunction } from '../train/losses';

/**
 * Times every epoch: wall time from its start to its end (validation included) and the time
 * spent in the training steps alone.
 *
 * Usage: `const timer = new EpochTimer(); await fit(model, x, y, { callbacks: [timer] }); timer.seconds`
 */
export class EpochTimer extends Callback {
  /** Wall seconds of each epoch, validation included. */
  seconds: number[] = [];
  /** Seconds of each epoch spent between the first batch's start and the last batch's end. */
  trainSeconds: number[] = [];
  private epochStart = 0;
  private firstBatch = 0;
  private lastBatch = 0;

  override onEpochBegin(): void {
    this.epochStart = performance.now();
    this.firstBatch = -1;
  }

  override onBatchBegin(): void {
    if (this.firstBatch < 0) this.firstBatch = performance.now();
  }

  override onBatchEnd(): void {
    this.lastBatch = performance.now();
  }

  override onEpochEnd(): void {
    const now = performance.now();
    this.seconds.push((now - this.epochStart) / 1000);
    this.trainSeconds.push(this.firstBatch < 0 ? 0 : (this.lastBatch - this.firstBatch) / 1000);
  }
}

/** One variant to train. */
export interface Variant {
  /** Label for tables and legends. */
  name: string;
  /** Builds a fresh, uncompiled model. */
  build: () => tf.LayersModel;
  /** A fresh optimiser (or a Keras name) for this variant. */
  optimizer: () => tf.Optimizer | OptimizerName;
  /** Override the common batch size (online learning: 1; batch learning: the training-set size). */
  batchSize?: number;
  /** Override the common number of epochs. */
  epochs?: number;
  /** Extra callbacks for this variant (fresh ones: callbacks keep state). */
  callbacks?: () => Callback[];
}

/** What all variants share. */
export interface CompareOptions {
  x: tf.Tensor;
  y: tf.Tensor;
  validationData?: [tf.Tensor, tf.Tensor];
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Default 'sparse_categorical_crossentropy'. */
  loss?: string | LossFunction;
  /** Default ['accuracy']. */
  metrics?: MetricSpec[];
  /** Re-seed with this before building each variant (default 42), so equal architectures start equal. */
  seed?: number;
  /** Evaluate each trained model on this (x, y) too ('test' in the results). */
  testData?: [tf.Tensor, tf.Tensor];
  /** Keep the trained models (and their optimisers) in the results (default false: both are disposed). */
  keepModels?: boolean;
  /** Called after each variant (e.g. to print a line). */
  onVariantEnd?: (result: VariantResult) => void;
}

/** The outcome of one variant. */
export interface VariantResult {
  name: string;
  history: History;
  /** The last epoch's logs (loss, accuracy, val_loss, val_accuracy...). */
  final: Logs;
  /** Epochs actually run (early stopping may end sooner). */
  epochsRun: number;
  batchSize: number;
  /** Gradient steps per epoch. */
  stepsPerEpoch: number;
  /** Mean wall seconds per epoch (validation included). */
  secondsPerEpoch: number;
  /** Mean seconds per epoch in the training steps alone. */
  trainSecondsPerEpoch: number;
  /** Evaluation on testData, when given. */
  test?: Logs;
  /** The trained model, when keepModels is true (the caller disposes it). */
  model?: tf.LayersModel;
  /** Its optimiser, when keepModels is true and it is an object (the caller disposes it too). */
  optimizer?: tf.Optimizer;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/**
 * Trains each variant on the same data (see the module comment) and returns one result per
 * variant, in order.
 *
 * Usage: `const results = await compareVariants(variants, { x, y, validationData: [xv, yv], epochs: 3 });`
 */
export async function compareVariants(variants: readonly Variant[], options: CompareOptions): Promise<VariantResult[]> {
  if (!Array.isArray(variants) || variants.length === 0) throw new Error('compareVariants: give at least one variant ({ name, build, optimizer }).');
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name)) throw new Error(`compareVariants: two variants are named '${v.name}'; give each a distinct name.`);
    names.add(v.name);
  }
  const n = options.x.shape[0];
  const results: VariantResult[] = [];
  for (const v of variants) {
    const batchSize = v.batchSize ?? options.batchSize ?? 32;
    const epochs = v.epochs ?? options.epochs ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`compareVariants: variant '${v.name}' has batch size ${batchSize}; use a positive integer.`);
    setGlobalSeed(options.seed ?? 42);
    const model = v.build();
    const opt = v.optimizer();
    compile(model, { optimizer: opt, loss: options.loss ?? 'sparse_categorical_crossentropy', metrics: options.metrics ?? ['accuracy'] });
    const timer = new EpochTimer();
    const history = await fit(model, options.x, options.y, {
      epochs,
      batchSize,
      validationData: options.validationData,
      callbacks: [...(v.callbacks?.() ?? []), timer],
      verbose: 0,
    });
    const epochsRun = history.epoch.length;
    const final: Logs = {};
    for (const [k, vals] of Object.entries(history.history)) final[k] = vals[vals.length - 1];
    const result: VariantResult = {
      name: v.name,
      history,
      final,
      epochsRun,
      batchSize,
      stepsPerEpoch: Math.ceil(n / batchSize),
      secondsPerEpoch: mean(timer.seconds),
      trainSecondsPerEpoch: mean(timer.trainSeconds),
    };
    if (options.testData) result.test = evaluate(model, options.testData[0], options.testData[1], { batchSize: 256, verbose: 0 });
    if (options.keepModels) {
      result.model = model;
      if (typeof opt !== 'string') result.optimizer = opt;
    } else {
      model.dispose();
      if (typeof opt !== 'string') opt.dispose();
    }
    options.onVariantEnd?.(result);
    results.push(result);
  }
  return results;
}

/** Columns of comparisonTable. */
export interface ComparisonTableOptions {
  /** Log keys to show from each final epoch (default: all of them, in the history's order). */
  keys?: readonly string[];
  /** Show seconds per epoch (default true). */
  timing?: boolean;
  /** Decimals for metric values (default 4). */
  digits?: number;
}

/**
 * A markdown table: one row per variant, its final metrics, test metrics when present, epochs
 * run and seconds per epoch.
 *
 * Usage: `showMarkdown(comparisonTable(results, { keys: ['loss', 'val_accuracy'] }))`
 */
export function comparisonTable(results: readonly VariantResult[], options: ComparisonTableOptions = {}): string {
  if (results.length === 0) throw new Error('comparisonTable: no results; run compareVariants first.');
  const keys = options.keys ?? Object.keys(results[0].history.history);
  const digits = options.digits ?? 4;
  const timing = options.timing ?? true;
  const testKeys = results[0].test ? Object.keys(results[0].test) : [];
  const fmt = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
  const header = ['variant', ...keys, ...testKeys.map((k) => `test ${k}`), 'epochs', ...(timing ? ['s/epoch'] : [])];
  const lines = [`| ${header.join(' | ')} |`, `| :--- | ${header.slice(1).map(() => '---:').join(' | ')} |`];
  for (const r of results) {
    const cells = [
      r.name,
      ...keys.map((k) => fmt(r.final[k])),
      ...testKeys.map((k) => fmt(r.test?.[k])),
      String(r.epochsRun),
      ...(timing ? [r.secondsPerEpoch.toFixed(2)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/**
 * One metric of every variant against the epoch, ready for lineChart (1-based epochs).
 *
 * Usage: `showFigure(lineChart(metricSeries(results, 'val_accuracy'), { title: 'Optimisers', xTitle: 'epoch', yTitle: 'val accuracy' }))`
 */
export function metricSeries(results: readonly VariantResult[], key: string): Array<{ name: string; x: number[]; y: number[]; markers: boolean }> {
  return results.map((r) => {
    const y = r.history.history[key];
    if (!y) throw new Error(`metricSeries: variant '${r.name}' has no '${key}'; it has ${Object.keys(r.history.history).join(', ')}.`);
    return { name: r.name, x: r.history.epoch.map((e) => e + 1), y: [...y], markers: true };
  });
}
