import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { addingProblemData, meanPredictorMse, nextNumberData, noisySineData, sampleSequence, sequenceTensors } from '../lib/rnn';

describe('nextNumberData', () => {
  test('arithmetic sequences whose target is the next term', () => {
    const ds = nextNumberData({ count: 50, steps: 4, seed: 1 });
    expect(ds.xShape).toEqual([50, 4, 1]);
    expect(ds.yShape).toEqual([50, 1]);
    for (let n = 0; n < 50; n++) {
      const s = sampleSequence(ds, n).map((v) => v[0]);
      const d = s[1] - s[0];
      expect(s[3] - s[2]).toBeCloseTo(d, 5);
      expect(ds.y[n]).toBeCloseTo(s[3] + d, 5);
    }
  });
  test('is seeded: same seed same data, other seed other data', () => {
    const a = nextNumberData({ count: 10, steps: 3, seed: 7 });
    const b = nextNumberData({ count: 10, steps: 3, seed: 7 });
    const c = nextNumberData({ count: 10, steps: 3, seed: 8 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
  });
});

describe('noisySineData', () => {
  test('without noise the window is a sine and the target its continuation', () => {
    const ds = noisySineData({ count: 20, steps: 12, seed: 3, noise: 0, minFreq: 0.3, maxFreq: 0.3 });
    for (let n = 0; n < 20; n++) {
      const s = sampleSequence(ds, n).map((v) => v[0]);
      // a sine of frequency w satisfies s[t+1] + s[t-1] = 2 cos(w) s[t]
      for (let t = 1; t < 11; t++) expect(s[t + 1] + s[t - 1]).toBeCloseTo(2 * Math.cos(0.3) * s[t], 5);
      expect(ds.y[n] + s[10]).toBeCloseTo(2 * Math.cos(0.3) * s[11], 5);
    }
  });
  test("noise has the requested size and 'sequence' mode targets every next value", () => {
    const clean = noisySineData({ count: 200, steps: 30, seed: 4, noise: 0, mode: 'sequence' });
    const noisy = noisySineData({ count: 200, steps: 30, seed: 4, noise: 0.2, mode: 'sequence' });
    expect(noisy.yShape).toEqual([200, 30, 1]);
    // the targets are the clean signal whatever the noise
    expect(Array.from(noisy.y)).toEqual(Array.from(clean.y));
    // clean targets are the clean inputs shifted by one step
    for (let n = 0; n < 200; n++) for (let t = 0; t < 29; t++) expect(clean.y[n * 30 + t]).toBeCloseTo(clean.x[n * 30 + t + 1], 5);
    // noise std from x - clean signal (the clean signal at t is y at t-1)
    let sumSq = 0;
    let count = 0;
    for (let n = 0; n < 200; n++) {
      for (let t = 1; t < 30; t++) {
        sumSq += (noisy.x[n * 30 + t] - noisy.y[n * 30 + t - 1]) ** 2;
        count++;
      }
    }
    expect(Math.sqrt(sumSq / count)).toBeGreaterThan(0.18);
    expect(Math.sqrt(sumSq / count)).toBeLessThan(0.22);
    expect(() => noisySineData({ count: 1, steps: 5, seed: 1, minFreq: 0 })).toThrow(/need 0 < minFreq <= maxFreq/);
  });
});

describe('addingProblemData', () => {
  const ds = addingProblemData({ count: 2000, steps: 40, seed: 11 });
  test('exactly two markers, one in each half; the target is the sum of the marked values', () => {
    expect(ds.xShape).toEqual([2000, 40, 2]);
    for (let n = 0; n < 2000; n++) {
      const s = sampleSequence(ds, n);
      const marked = s.map((v, t) => (v[1] === 1 ? t : -1)).filter((t) => t >= 0);
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(20);
      expect(marked[1]).toBeGreaterThanOrEqual(20);
      expect(marked).toEqual([ds.markers[2 * n], ds.markers[2 * n + 1]]);
      expect(ds.y[n]).toBeCloseTo(s[marked[0]][0] + s[marked[1]][0], 5);
    }
  });
  test('predicting the mean gives MSE near 1/6 (the bar a model must beat)', () => {
    expect(meanPredictorMse(ds)).toBeGreaterThan(0.15);
    expect(meanPredictorMse(ds)).toBeLessThan(0.18);
  });
  test('tensors have the shapes and the values', () => {
    const before = tf.memory().numTensors;
    const { x, y } = sequenceTensors(ds);
    expect(x.shape).toEqual([2000, 40, 2]);
    expect(y.shape).toEqual([2000, 1]);
    expect(y.dataSync()[5]).toBeCloseTo(ds.y[5], 6);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => addingProblemData({ count: 5, steps: 1, seed: 1 })).toThrow(/steps must be an integer >= 2/);
    expect(() => sequenceTensors({ ...ds, xShape: [1, 2, 3] })).toThrow(/x has 160000 numbers but xShape \[1,2,3\] needs 6/);
  });
});
