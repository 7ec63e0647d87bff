import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  bestRow,
  confusionTable,
  experimentData,
  extractorName,
  fitExtractor,
  LabelledSet,
  resultsTable,
  runFeatureExperiment,
} from '../lib/unsupervised/feature-experiment';
import { fitWithEarlyStopping } from '../lib/unsupervised/early-stopping-fit';
import { compile } from '../lib/train/compile';
import { trainGreedyLayerwise } from '../lib/unsupervised/greedy';
import { flagAnomalies, quantile, perSampleErrors, reconstructionErrorsOf } from '../lib/unsupervised/anomaly';
import { makeRng, setGlobalSeed } from '../lib/random';

const CLASSES = [0, 1, 2, 4, 7];
const D = 16;

/** Five classes: each a fixed random pattern in [0, 1] plus noise, clipped. */
function synthetic(perClass: number, seed: number): LabelledSet {
  const protoRng = makeRng(99);
  const protos = CLASSES.map(() => Array.from({ length: D }, () => (protoRng.uniform() < 0.4 ? 0.9 : 0.1)));
  const rng = makeRng(seed);
  const n = perClass * CLASSES.length;
  const x = new Float32Array(n * D);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % CLASSES.length;
    labels.push(CLASSES[c]);
    for (let j = 0; j < D; j++) x[i * D + j] = Math.min(1, Math.max(0, protos[c][j] + 0.15 * rng.normal()));
  }
  return { x, labels, nFeatures: D };
}

describe('confusion and tables', () => {
  it('formats confusion tables and extractor names', () => {
    expect(confusionTable([[5, 1], [0, 4]], [4, 7])).toContain('| **7** | 0 | 4 |');
    expect(extractorName({ kind: 'ae3', k: 32 })).toBe('AE 784-400-32-400-784');
    expect(extractorName({ kind: 'dae', k: 256, noisePercent: 20 })).toBe('DAE 784-256-784, 20 % noise');
  });
});

describe('fitWithEarlyStopping', () => {
  it('stops after `patience` epochs without improvement and reports the best epoch', async () => {
    setGlobalSeed(1);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const opt = tf.train.sgd(0);
    compile(model, { optimizer: opt, loss: 'mse' });
    const x = tf.ones([8, 2]);
    const y = tf.zeros([8, 1]);
    const r = await fitWithEarlyStopping(model, x, y, [x, y], { maxEpochs: 10, patience: 2 });
    expect(r.epochs).toBe(3);
    expect(r.bestEpoch).toBe(0);
    expect(r.stoppedEarly).toBe(true);
    expect(r.valLoss).toEqual([r.valLoss[0], r.valLoss[0], r.valLoss[0]]);
    tf.dispose([x, y]);
    model.dispose();
    opt.dispose();
  });

  it('needs a model compiled with the library and says so', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    const x = tf.ones([4, 2]);
    const y = tf.zeros([4, 1]);
    await expect(fitWithEarlyStopping(model, x, y, [x, y], { maxEpochs: 2 })).rejects.toThrow(/not compiled; call compile/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('seed-002 experiment on synthetic digits', () => {
  it('maps labels to class indices and refuses unknown labels', () => {
    const s = synthetic(2, 1);
    const data = experimentData(s, s, s, CLASSES);
    expect(Array.from(data.train.y)).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    data.dispose();
    expect(() => experimentData(s, s, s, [0, 1, 2])).toThrow(/label 4 .* not in classes/);
  });

  it('PCA with all components reconstructs exactly; fewer components do not', async () => {
    const data = experimentData(synthetic(20, 1), synthetic(8, 2), synthetic(8, 3), CLASSES);
    const full = await fitExtractor({ kind: 'pca', k: D }, data);
    expect(full.reconstructionError.test).toBeLessThan(1e-8);
    const four = await fitExtractor({ kind: 'pca', k: 4 }, data);
    expect(four.reconstructionError.train).toBeGreaterThan(0.005);
    expect(four.firstLayerWeights().rows).toBe(D);
    data.dispose();
  });

  it('runs PCA, AE and DAE features through a classifier: rows, accuracies, errors, no leaks', async () => {
    setGlobalSeed(2);
    const data = experimentData(synthetic(40, 1), synthetic(12, 2), synthetic(12, 3), CLASSES);
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const { rows } = await runFeatureExperiment({
      data,
      extractors: [{ kind: 'pca', k: 4 }, { kind: 'ae', k: 4 }, { kind: 'dae', k: 4, noisePercent: 40 }],
      classifiers: [[16, 8]],
      extractorTraining: { maxEpochs: 15, batchSize: 16, learningRate: 0.01 },
      classifierTraining: { maxEpochs: 25, batchSize: 16, learningRate: 0.01 },
      onRow: (r) => seen.push(r.extractor),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual(['PCA-4', 'AE 16-4-16', 'DAE 16-4-16, 40 % noise']);
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r.classifier).toBe('16-8');
      expect(r.testAccuracy).toBeGreaterThan(0.9);
      expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
      expect(r.reconstructionError.val).toBeGreaterThan(0);
    }
    const table = resultsTable(rows);
    expect(table.split('\n')).toHaveLength(5);
    expect(bestRow(rows).valAccuracy).toBe(Math.max(...rows.map((r) => r.valAccuracy)));
    data.dispose();
  });

  it('measures the DAE from noisy inputs: its error exceeds the clean-input error', async () => {
    setGlobalSeed(3);
    const data = experimentData(synthetic(30, 1), synthetic(10, 2), synthetic(10, 3), CLASSES);
    const dae = await fitExtractor({ kind: 'dae', k: 6, noisePercent: 40 }, data, { maxEpochs: 10, batchSize: 16, learningRate: 0.01 });
    expect(dae.reconstructionError.test).toBeGreaterThan(dae.cleanReconstructionError.test);
    const codes = dae.encode(data.test.x);
    expect(codes.shape).toEqual([50, 6]);
    codes.dispose();
    dae.dispose();
    data.dispose();
  });
});

describe('greedy layer-wise training', () => {
  it('trains one shallow AE per size, then stacks the same layers', async () => {
    setGlobalSeed(4);
    const s = synthetic(40, 5);
    const x = tf.tensor2d(s.x, [200, D]);
    const stagesSeen: number[] = [];
    const { autoencoder, encoder, decoder, stages } = await trainGreedyLayerwise(x, {
      inputShape: [D],
      hiddenSizes: [8, 4],
      epochs: 8,
      optimizer: (stage) => tf.train.adam(stage === 0 ? 0.02 : 0.01),
      validationData: x,
      onStage: (st) => stagesSeen.push(st.index),
    });
    expect(stagesSeen).toEqual([0, 1]);
    expect(stages.map((st) => [st.inputSize, st.codeSize])).toEqual([[16, 8], [8, 4]]);
    expect(stages[0].loss[7]).toBeLessThan(stages[0].loss[0]);
    expect(stages[1].valLoss).toHaveLength(8);
    expect(encoder.outputs[0].shape).toEqual([null, 4]);
    expect(autoencoder.countParams()).toBe(16 * 8 + 8 + 8 * 4 + 4 + 4 * 8 + 8 + 8 * 16 + 16);
    expect(decoder.countParams()).toBe(4 * 8 + 8 + 8 * 16 + 16);
    const out = autoencoder.predict(x) as tf.Tensor;
    expect(out.shape).toEqual([200, 16]);
    tf.dispose([x, out]);
    autoencoder.dispose();
  });
});

describe('anomaly scores', () => {
  it('computes per-sample errors, numpy quantiles and flags', () => {
    const x = tf.tensor2d([[0, 0], [1, 1], [2, 2]]);
    const xh = tf.tensor2d([[0, 0], [1, 0], [0, 2]]);
    expect(Array.from(perSampleErrors(x, xh))).toEqual([0, 0.5, 2]);
    expect(Array.from(perSampleErrors(x, xh, 'mae'))).toEqual([0, 0.5, 1]);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([4, 1, 3, 2], 0.9)).toBeCloseTo(3.7, 10);
    const f = flagAnomalies([0.1, 5, 0.2, 3], 1);
    expect(f.indices).toEqual([1, 3]);
    expect(Array.from(f.flags)).toEqual([0, 1, 0, 1]);
    tf.dispose([x, xh]);
  });

  it('flags samples off the subspace a model reconstructs', () => {
    // A model that keeps the first two coordinates: points off that plane are anomalies.
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [3], useBias: false })] });
    model.layers[0].setWeights([tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 0]])]);
    const rng = makeRng(6);
    const rows = Array.from({ length: 100 }, (_, i) => [rng.normal(), rng.normal(), i % 25 === 0 ? 3 : 0.01 * rng.normal()]);
    const x = tf.tensor2d(rows);
    const errs = reconstructionErrorsOf(model, x, { batchSize: 32 });
    const threshold = quantile(errs, 0.96);
    const flagged = flagAnomalies(errs, threshold).indices.sort((a, b) => a - b);
    expect(flagged).toEqual([0, 25, 50, 75]);
    expect(errs[25]).toBeCloseTo(3, 5);
    x.dispose();
    model.dispose();
  });
});

describe('fitExtractor on real digits', () => {
  it('leaves the "mean image" plateau: the 784-32-784 AE beats predicting the training mean', async () => {
    // Without centring the encoder's input, logistic units with Adam 0.001 sat at the mean-image
    // MSE (about 0.067) for ~35 epochs and early stopping ended training there.
    const { loadMnist } = await import('../lib/data/mnist');
    const { splitPerClass } = await import('../lib/data/classes');
    setGlobalSeed(3);
    const mnist = await loadMnist();
    const five = splitPerClass(mnist.all, { classes: CLASSES, perClass: 500 });
    const data = experimentData(five.train, five.val, five.test, five.classes);
    const meanImageMse = tf.tidy(() => tf.mean(tf.squaredDifference(data.val.x, data.train.x.mean(0))).dataSync()[0]);
    const before = tf.memory().numTensors;
    const ae = await fitExtractor({ kind: 'ae', k: 32 }, data, { maxEpochs: 10, patience: 3, batchSize: 32, learningRate: 0.001, seed: 7 });
    expect(ae.reconstructionError.val).toBeLessThan(0.75 * meanImageMse);
    ae.dispose();
    expect(tf.memory().numTensors).toBe(before);
    data.dispose();
  }, 60_000);
});
