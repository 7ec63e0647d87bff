import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { addNoise, addNoiseToArray, describeNoise, noisePercent } from '../lib/unsupervised/noise';

const N = 20000;
const half = new Float32Array(N).fill(0.5);

function meanStd(a: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let q = 0;
  for (let i = 0; i < a.length; i++) q += (a[i] - mean) ** 2;
  return { mean, std: Math.sqrt(q / a.length) };
}

describe('noise', () => {
  it('defines p % noise as Gaussian with factor p/100, clipped to [0, 1]', () => {
    expect(noisePercent(20)).toEqual({ kind: 'gaussian', factor: 0.2, clip: [0, 1] });
    expect(describeNoise(noisePercent(40))).toBe('Gaussian, factor 0.4, clipped to [0, 1]');
    expect(() => noisePercent(120)).toThrow(/\[0, 100\]/);
  });

  it('Gaussian noise has std = factor (unclipped) and stays in the clip range when clipped', () => {
    const raw = addNoiseToArray(half, { kind: 'gaussian', factor: 0.1, clip: false }, 1);
    const { mean, std } = meanStd(raw);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeGreaterThan(0.097);
    expect(std).toBeLessThan(0.103);
    const clipped = addNoiseToArray(half, noisePercent(50), 1);
    expect(Math.min(...clipped)).toBe(0);
    expect(Math.max(...clipped)).toBe(1);
    // P(|z| > 1) = 31.7 %: that share of values is clipped to 0 or 1.
    const atEdges = clipped.filter((v) => v === 0 || v === 1).length / N;
    expect(atEdges).toBeGreaterThan(0.3);
    expect(atEdges).toBeLessThan(0.335);
  });

  it('is repeatable for a seed and different across seeds', () => {
    const a = addNoiseToArray(half, noisePercent(20), 5);
    const b = addNoiseToArray(half, noisePercent(20), 5);
    const c = addNoiseToArray(half, noisePercent(20), 6);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('salt-and-pepper corrupts the requested fraction, half salt and half pepper', () => {
    const out = addNoiseToArray(half, { kind: 'saltAndPepper', rate: 0.2 }, 2);
    const salt = out.filter((v) => v === 1).length / N;
    const pepper = out.filter((v) => v === 0).length / N;
    expect(salt + pepper).toBeGreaterThan(0.19);
    expect(salt + pepper).toBeLessThan(0.21);
    expect(Math.abs(salt - pepper)).toBeLessThan(0.015);
    expect(out.filter((v) => v === 0.5).length / N).toBeCloseTo(0.8, 1);
  });

  it('masking zeroes the requested fraction and leaves the rest untouched', () => {
    const x = Float32Array.from({ length: N }, (_, i) => 0.2 + (i % 7) * 0.1);
    const out = addNoiseToArray(x, { kind: 'masking', rate: 0.4 }, 3);
    let zeroed = 0;
    for (let i = 0; i < N; i++) {
      if (out[i] === 0) zeroed++;
      else expect(out[i]).toBe(x[i]);
    }
    expect(zeroed / N).toBeGreaterThan(0.39);
    expect(zeroed / N).toBeLessThan(0.41);
  });

  it('speckle noise scales with the pixel: zero pixels stay zero, std = factor * x', () => {
    const x = new Float32Array(N);
    for (let i = N / 2; i < N; i++) x[i] = 0.5;
    const out = addNoiseToArray(x, { kind: 'speckle', factor: 0.2, clip: false }, 4);
    expect(out.slice(0, N / 2).every((v) => v === 0)).toBe(true);
    const { std } = meanStd(out.slice(N / 2));
    expect(std).toBeGreaterThan(0.097);
    expect(std).toBeLessThan(0.103);
  });

  it('keeps a tensor shape, leaves the input unchanged and does not leak', () => {
    const x = tf.fill([10, 28, 28], 0.5);
    const before = tf.memory().numTensors;
    const noisy = addNoise(x, noisePercent(40), 9);
    expect(noisy.shape).toEqual([10, 28, 28]);
    expect(x.dataSync().every((v) => v === 0.5)).toBe(true);
    noisy.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects bad specs with a clear message', () => {
    expect(() => addNoiseToArray(half, { kind: 'masking', rate: 1.5 }, 1)).toThrow(/fraction in \[0, 1\]/);
    expect(() => addNoiseToArray(half, { kind: 'gaussian', factor: -1 }, 1)).toThrow(/>= 0/);
    expect(() => addNoiseToArray(half, { kind: 'blur' } as never, 1)).toThrow(/unknown noise kind/);
  });
});
