import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { clearGlobalSeed, makeRng, setGlobalSeed } from '../lib/random';

afterEach(() => clearGlobalSeed());

describe('random', () => {
  it('makeRng is repeatable and roughly uniform/normal', () => {
    const a = makeRng(1), b = makeRng(1);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    const r = makeRng(2);
    const n = 20000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const v = r.normal(); s += v; s2 += v * v; }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    const p = Array.from(makeRng(3).permutation(10)).sort((x, y) => x - y);
    expect(p).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
  it('setGlobalSeed makes tfjs initialisers repeatable', () => {
    setGlobalSeed(42);
    const w1 = tf.tidy(() => tf.layers.dense({ units: 4, inputShape: [3] }).apply(tf.ones([1, 3])) as tf.Tensor).arraySync();
    setGlobalSeed(42);
    const w2 = tf.tidy(() => tf.layers.dense({ units: 4, inputShape: [3] }).apply(tf.ones([1, 3])) as tf.Tensor).arraySync();
    expect(w2).toEqual(w1);
    setGlobalSeed(43);
    const w3 = tf.tidy(() => tf.layers.dense({ units: 4, inputShape: [3] }).apply(tf.ones([1, 3])) as tf.Tensor).arraySync();
    expect(w3).not.toEqual(w1);
  });
  it('refuses a non-finite seed', () => {
    expect(() => setGlobalSeed(Number.NaN)).toThrow(/finite/);
  });
});
