import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { BatchNormByHand, maxAbsDifference } from '../lib/deep/batch-norm';
import { seedMlp } from '../lib/deep/mlp';
import { countParams } from '../lib/train/transfer';

/** A batch whose features have very different means and scales. */
function batch(seed: number, m = 16, d = 5): number[][] {
  return tf.tidy(() => {
    const z = tf.randomNormal([m, d], 0, 1, 'float32', seed);
    const scale = tf.tensor1d([1, 10, 0.1, 3, 50].slice(0, d));
    const shift = tf.tensor1d([0, 5, -2, 100, 7].slice(0, d));
    return z.mul(scale).add(shift).arraySync() as number[][];
  });
}

function layerFor(d: number, momentum = 0.99): tf.layers.Layer {
  const layer = tf.layers.batchNormalization({ inputShape: [d], momentum });
  layer.build([null, d]);
  {
    // non-trivial gamma and beta, so scale-and-shift is checked too
    // (getWeights returns the variables themselves: nothing to dispose but the new values)
    const [, , mm, mv] = layer.getWeights();
    const g = tf.tensor1d([0.5, 2, -1, 1.5, 3].slice(0, d));
    const b = tf.tensor1d([1, -1, 0.25, 0, 2].slice(0, d));
    layer.setWeights([g, b, mm, mv]);
    tf.dispose([g, b]);
  }
  return layer;
}

describe('BatchNormByHand', () => {
  it('computes the seed\'s mini-batch mean, biased variance and normalised values', () => {
    const bn = new BatchNormByHand({ features: 2, epsilon: 1e-3 });
    const step = bn.forwardTraining([[1, 10], [3, 20], [5, 60]]);
    expect(step.mean).toEqual([3, 30]);
    expect(step.variance[0]).toBeCloseTo(8 / 3, 12); // (4 + 0 + 4) / 3, divided by m
    expect(step.variance[1]).toBeCloseTo((400 + 100 + 900) / 3, 9);
    expect(step.xHat[0][0]).toBeCloseTo(-2 / Math.sqrt(8 / 3 + 1e-3), 12);
    // gamma 1, beta 0: y = xhat; each feature of xhat has mean 0 and variance sigma2 / (sigma2 + eps)
    const col = step.y.map((r) => r[1]);
    expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
    // moving averages after one step: 0.99 * 0 + 0.01 * mean, 0.99 * 1 + 0.01 * variance
    expect(bn.movingMean[0]).toBeCloseTo(0.03, 12);
    expect(bn.movingVariance[1]).toBeCloseTo(0.99 + 0.01 * (1400 / 3), 9);
  });

  it('matches tfjs BatchNormalization in training mode to 1e-5 (output and moving statistics over 3 steps)', () => {
    const d = 5;
    const layer = layerFor(d);
    const bn = BatchNormByHand.fromLayer(layer);
    expect(bn.gamma).toEqual([0.5, 2, -1, 1.5, 3]);
    for (let step = 0; step < 3; step++) {
      const x = batch(step + 1);
      const ours = bn.forwardTraining(x).y;
      const theirs = tf.tidy(() => (layer.apply(tf.tensor2d(x), { training: true }) as tf.Tensor).arraySync() as number[][]);
      expect(maxAbsDifference(ours, theirs)).toBeLessThan(1e-5);
      const [, , mm, mv] = layer.getWeights();
      expect(maxAbsDifference([bn.movingMean], [Array.from(mm.dataSync())])).toBeLessThan(1e-5 * 100); // means up to ~100: relative 1e-7
      expect(maxAbsDifference([bn.movingVariance], [Array.from(mv.dataSync())])).toBeLessThan(1e-5 * 50);
      const rel = bn.movingVariance.map((v, k) => Math.abs(v - mv.dataSync()[k]) / v);
      expect(Math.max(...rel)).toBeLessThan(1e-5);
    }
    for (const w of layer.weights) w.dispose();
  });

  it('matches tfjs BatchNormalization at inference (moving statistics) to 1e-5', () => {
    const d = 5;
    // momentum 0.5: after a few steps the moving statistics are close to the data's, so the
    // outputs are O(1) and the float32 layer can be compared at an absolute 1e-5
    const layer = layerFor(d, 0.5);
    for (let s = 0; s < 6; s++) tf.tidy(() => layer.apply(tf.tensor2d(batch(10 + s)), { training: true }));
    const bn = BatchNormByHand.fromLayer(layer);
    expect(bn.movingMean[3]).toBeGreaterThan(95); // 6 updates of 50 % towards ~100
    expect(bn.momentum).toBe(0.5);
    const x = batch(99, 8);
    const theirs = tf.tidy(() => (layer.apply(tf.tensor2d(x), { training: false }) as tf.Tensor).arraySync() as number[][]);
    expect(maxAbsDifference(bn.forwardInference(x), theirs)).toBeLessThan(1e-5);
    // inference does not touch the moving statistics
    const before = bn.movingMean.slice();
    bn.forwardInference(x);
    expect(bn.movingMean).toEqual(before);
    for (const w of layer.weights) w.dispose();
  });

  it('counts parameters like Keras and the seed\'s BN model (271,346 / 268,978 / 2,368)', () => {
    expect(new BatchNormByHand({ features: 784 }).paramCounts()).toEqual({ trainable: 1568, nonTrainable: 1568 });
    const model = seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', batchNorm: 'after' });
    const c = countParams(model);
    expect(c.trainable + c.nonTrainable).toBe(271346);
    expect(c.trainable).toBe(268978);
    expect(c.nonTrainable).toBe(2368);
    const before = seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', batchNorm: 'before' });
    const cb = countParams(before);
    expect(cb.trainable + cb.nonTrainable).toBe(271346 - 400); // 300 + 100 biases dropped
    model.dispose();
    before.dispose();
  });

  it('rejects bad input with a message naming the fix', () => {
    const bn = new BatchNormByHand({ features: 3 });
    expect(() => bn.forwardTraining([[1, 2]])).toThrow(/row 0 has 2 values but the layer has 3 features/);
    expect(() => new BatchNormByHand({ features: 0 })).toThrow(/positive integer/);
    expect(() => BatchNormByHand.fromLayer(tf.layers.dense({ units: 2 }))).toThrow(/not a BatchNormalization/);
  });
});
