import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { rankByError, reconstructionError, reconstructionErrors } from '../lib/metrics';

describe('reconstruction errors', () => {
  const x = [[0, 1, 1, 0], [1, 1, 0, 0]];
  const xHat = [[0.5, 1, 0.5, 0], [1, 0, 0, 0.5]];

  it('MSE and MAE per sample and mean (hand-computed)', () => {
    const mse = reconstructionError(x, xHat, { metric: 'mse' });
    expect(Array.from(mse.perSample)).toEqual([0.125, 0.3125]); // (0.25+0.25)/4, (1+0.25)/4
    expect(mse.mean).toBeCloseTo(0.21875, 12);
    const mae = reconstructionError(x, xHat, { metric: 'mae' });
    expect(Array.from(mae.perSample)).toEqual([0.25, 0.375]);
  });

  it('BCE with Keras clipping (1e-7) matches hand values and tfjs\'s binaryCrossentropy', () => {
    const bce = reconstructionError(x, xHat, { metric: 'bce' });
    const eps = 1e-7;
    const s0 = -(Math.log(0.5) + Math.log(1 - eps) + Math.log(0.5) + Math.log(1 - eps)) / 4; // 0 vs 0.5, 1 vs 1, 1 vs 0.5, 0 vs 0
    const s1 = -(Math.log(1 - eps) + Math.log(eps) + Math.log(1 - eps) + Math.log(0.5)) / 4;
    expect(bce.perSample[0]).toBeCloseTo(s0, 6);
    expect(bce.perSample[1]).toBeCloseTo(s1, 5);
    const a = tf.tensor2d([[0.2, 0.9, 0.4]]);
    const t = tf.tensor2d([[0, 1, 1]]);
    const ours = reconstructionError(t, a, { metric: 'bce' }).mean;
    const theirs = tf.tidy(() => tf.metrics.binaryCrossentropy(t, a).dataSync()[0]);
    expect(ours).toBeCloseTo(theirs, 5);
    tf.dispose([a, t]);
  });

  it('accepts tensors of images and flat typed arrays', () => {
    const img = tf.tensor4d([1, 0, 0, 1, 0, 0, 0, 0], [2, 2, 2, 1]);
    const rec = tf.zeros([2, 2, 2, 1]);
    const r = reconstructionError(img, rec);
    expect(Array.from(r.perSample)).toEqual([0.5, 0]);
    const flat = reconstructionError(Float32Array.from([1, 0, 0, 1, 0, 0, 0, 0]), new Float32Array(8), { features: 4, metric: 'mae' });
    expect(Array.from(flat.perSample)).toEqual([0.5, 0]);
    const all = reconstructionErrors(x, xHat);
    expect(all.mse).toBeCloseTo(0.21875, 12);
    expect(all.mae).toBeCloseTo(0.3125, 12);
    expect(() => reconstructionError(x, [[1, 2]])).toThrow(/is 2x4 but xHat is 1x2/);
    expect(() => reconstructionError(Float32Array.from([1, 2, 3]), new Float32Array(3), { features: 2 })).toThrow(/features/);
    tf.dispose([img, rec]);
  });

  it('rankByError lists the worst samples first', () => {
    expect(rankByError([0.1, 0.5, 0.3, 0.5], 3)).toEqual([1, 3, 2]);
  });
});
