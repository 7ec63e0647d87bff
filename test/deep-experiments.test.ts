import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { compareVariants, comparisonTable, metricSeries } from '../lib/deep/compare';
import { compareBatchModes, batchModeTable } from '../lib/deep/batch-modes';
import { doublingSizes, trainingSizeExperiment, sizeTable } from '../lib/deep/data-size';
import { seedMlp } from '../lib/deep/mlp';
import { SGD, Adam } from '../lib/optim';
import { EarlyStopping, EpochTimer } from '../lib/train/callbacks';

/** A learnable 3-class problem: the class is the arg-max of a fixed linear map. */
function data(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 6], 0, 1, 'float32', seed) as tf.Tensor2D;
    const w = tf.tensor2d([[2, -1, 0], [0, 1, -2], [1, 1, 1], [-1, 0, 2], [0, -2, 1], [1, 0, 0]]);
    return { x, y: tf.argMax(tf.matMul(x, w), 1).toInt() as tf.Tensor1D };
  });
}

const small = (): tf.Sequential => seedMlp({ hidden: [16], inputShape: [6], outputs: 3 });

describe('compareVariants', () => {
  it('trains each variant from the same initial weights and reports final logs, timing and tables', async () => {
    const tr = data(256, 1);
    const va = data(128, 2);
    const start = tf.memory().numTensors;
    const results = await compareVariants(
      [
        { name: 'SGD 0.01', build: small, optimizer: () => SGD({ learningRate: 0.01 }) },
        { name: 'SGD 0.01 again', build: small, optimizer: () => SGD({ learningRate: 0.01 }) },
        { name: 'Adam', build: small, optimizer: () => Adam({ learningRate: 0.01 }) },
      ],
      { x: tr.x, y: tr.y, validationData: [va.x, va.y], epochs: 3, batchSize: 32, testData: [va.x, va.y] },
    );
    expect(tf.memory().numTensors).toBe(start);
    expect(results.map((r) => r.epochsRun)).toEqual([3, 3, 3]);
    expect(results[0].stepsPerEpoch).toBe(8);
    // same seed, same build, same optimiser: identical training
    expect(results[1].final.loss).toBeCloseTo(results[0].final.loss, 6);
    expect(results[0].model).toBeUndefined();
    // Adam at 0.01 learns this problem much faster than plain SGD at 0.01
    expect(results[2].final.val_accuracy).toBeGreaterThan(results[0].final.val_accuracy);
    expect(results[2].test?.accuracy).toBeCloseTo(results[2].final.val_accuracy, 5);
    expect(results[0].secondsPerEpoch).toBeGreaterThan(0);
    const table = comparisonTable(results, { keys: ['loss', 'val_accuracy'] });
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toContain(`| Adam | ${results[2].final.loss.toFixed(4)} | ${results[2].final.val_accuracy.toFixed(4)} |`);
    const series = metricSeries(results, 'val_loss');
    expect(series[0].x).toEqual([1, 2, 3]);
    expect(series[2].y).toEqual(results[2].history.history.val_loss);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
  });

  it('honours per-variant callbacks (early stopping) and rejects duplicate names', async () => {
    const tr = data(64, 3);
    const results = await compareVariants(
      [{ name: 'stop', build: small, optimizer: () => SGD({ learningRate: 0 }), callbacks: () => [new EarlyStopping({ monitor: 'loss', patience: 1 })] }],
      { x: tr.x, y: tr.y, epochs: 10 },
    );
    expect(results[0].epochsRun).toBe(2); // lr 0: no improvement after the first epoch
    const kept = await compareVariants([{ name: 'kept', build: small, optimizer: () => Adam({ learningRate: 0.01 }) }], { x: tr.x, y: tr.y, keepModels: true });
    expect(kept[0].model?.countParams()).toBe(6 * 16 + 16 + 16 * 3 + 3);
    expect(kept[0].optimizer).toBeDefined();
    kept[0].model?.dispose();
    kept[0].optimizer?.dispose();
    await expect(compareVariants([{ name: 'a', build: small, optimizer: () => 'sgd' }, { name: 'a', build: small, optimizer: () => 'sgd' }], { x: tr.x, y: tr.y })).rejects.toThrow(/two variants are named 'a'/);
    tf.dispose([tr.x, tr.y]);
  });
});

describe('EpochTimer', () => {
  it('records one wall time and one training time per epoch', async () => {
    const { fit } = await import('../lib/train/fit');
    const { compile } = await import('../lib/train/compile');
    const tr = data(64, 4);
    const m = small();
    compile(m, { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const timer = new EpochTimer();
    await fit(m, tr.x, tr.y, { epochs: 2, verbose: 0, callbacks: [timer] });
    expect(timer.seconds).toHaveLength(2);
    expect(timer.trainSeconds).toHaveLength(2);
    timer.seconds.forEach((s, i) => expect(s).toBeGreaterThanOrEqual(timer.trainSeconds[i]));
    m.dispose();
    tf.dispose([tr.x, tr.y]);
  });
});

describe('compareBatchModes', () => {
  it('runs online (batch 1), mini-batch and batch with the right step counts', async () => {
    const tr = data(96, 5);
    const va = data(64, 6);
    const modes = await compareBatchModes({ build: small, optimizer: () => SGD({ learningRate: 0.05 }), x: tr.x, y: tr.y, validationData: [va.x, va.y], epochs: 2, miniBatchSize: 16 });
    expect(modes.map((m) => m.mode)).toEqual(['online', 'mini-batch', 'batch']);
    expect(modes.map((m) => m.batchSize)).toEqual([1, 16, 96]);
    expect(modes.map((m) => m.stepsPerEpoch)).toEqual([96, 6, 1]);
    // 96 small steps move the weights much further than one full-batch step per epoch
    expect(modes[0].final.loss).toBeLessThan(modes[2].final.loss);
    for (const m of modes) expect(m.msPerStep).toBeCloseTo((m.trainSecondsPerEpoch * 1000) / m.stepsPerEpoch, 9);
    const table = batchModeTable(modes);
    expect(table).toContain('| online | 1 | 96 |');
    expect(table).toContain('| batch | 96 | 1 |');
    await expect(compareBatchModes({ build: small, optimizer: () => 'sgd', x: tr.x, y: tr.y, miniBatchSize: 96 })).rejects.toThrow(/miniBatchSize must be an integer in 2\.\.95/);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
  });
});

describe('trainingSizeExperiment', () => {
  it('doubles sizes and returns one row per size with errors that add up', async () => {
    expect(doublingSizes(500, 5000)).toEqual([500, 1000, 2000, 4000, 5000]);
    expect(doublingSizes(500, 4000)).toEqual([500, 1000, 2000, 4000]);
    expect(doublingSizes(500, 5000, { includeMax: false })).toEqual([500, 1000, 2000, 4000]);
    expect(() => doublingSizes(0, 10)).toThrow(/positive integer/);
    const tr = data(256, 7);
    const va = data(256, 8);
    const start = tf.memory().numTensors;
    const rows = await trainingSizeExperiment({
      build: small, optimizer: () => Adam({ learningRate: 0.01 }), x: tr.x, y: tr.y, validationData: [va.x, va.y],
      sizes: doublingSizes(16, 256), epochs: 20, batchSize: 16,
    });
    expect(tf.memory().numTensors).toBe(start);
    expect(rows.map((r) => r.size)).toEqual([16, 32, 64, 128, 256]);
    for (const r of rows) {
      expect(r.trainError).toBeCloseTo(1 - r.trainAccuracy, 9);
      expect(r.gap).toBeCloseTo(r.valError - r.trainError, 9);
    }
    // 16 samples are memorised but do not generalise as well as 256
    expect(rows[0].trainError).toBeLessThanOrEqual(rows[0].valError);
    expect(rows[4].valError).toBeLessThan(rows[0].valError);
    expect(sizeTable(rows).split('\n')).toHaveLength(7);
    const eq = await trainingSizeExperiment({ build: small, optimizer: () => 'sgd', x: tr.x, y: tr.y, validationData: [va.x, va.y], sizes: [64, 128], epochs: 2, equalSteps: true });
    expect(eq.map((r) => r.epochs)).toEqual([4, 2]);
    await expect(trainingSizeExperiment({ build: small, optimizer: () => 'sgd', x: tr.x, y: tr.y, validationData: [va.x, va.y], sizes: [128, 64] })).rejects.toThrow(/sizes must increase/);
    tf.dispose([tr.x, tr.y, va.x, va.y]);
  });
});
