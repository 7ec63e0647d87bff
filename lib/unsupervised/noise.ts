/**
 * Input corruption for denoising autoencoders (seed 004 lists salt-and-pepper, Gaussian and
 * speckle noise; seed 001 uses dropout-like masking). Every function is seeded through
 * lib/random's makeRng, so the same seed gives the same noisy images.
 *
 * What "20 % noise" means in this course (seed 002 speaks of a "20 % / 40 % noise factor" for
 * Gaussian noise added to the images; seed 004 writes the same thing as noise_factor):
 *   p % noise  =  Gaussian noise with noise factor p / 100, then clipping to [0, 1]:
 *                 x_noisy = clip(x + (p / 100) * N(0, 1), 0, 1)
 * so 20 % is factor 0.2 and seed 004's noise_factor 0.5 is "50 %". `noisePercent(p)` builds that
 * spec; for the other kinds `rate` is the fraction of pixels corrupted.
 *
 * Usage:
 *   const noisy = addNoise(xTest, noisePercent(20), 7);            // tensor in, tensor out
 *   const sp = addNoiseToArray(pixels, { kind: 'saltAndPepper', rate: 0.1 }, 7);
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../random';

/** Additive Gaussian noise: x + factor * N(0, 1), clipped to `clip` (default [0, 1]; false: no clipping). */
export interface GaussianNoiseSpec {
  kind: 'gaussian';
  factor: number;
  clip?: [number, number] | false;
}
/** Each value, with probability `rate`, becomes `high` (salt, share `saltRatio`, default 0.5) or `low` (pepper). */
export interface SaltAndPepperSpec {
  kind: 'saltAndPepper';
  rate: number;
  saltRatio?: number;
  low?: number;
  high?: number;
}
/** Dropout-like masking: each value, with probability `rate`, is set to `value` (default 0); no rescaling. */
export interface MaskingSpec {
  kind: 'masking';
  rate: number;
  value?: number;
}
/** Multiplicative speckle: x + x * factor * N(0, 1), clipped like Gaussian noise. */
export interface SpeckleSpec {
  kind: 'speckle';
  factor: number;
  clip?: [number, number] | false;
}
/** One kind of corruption. */
export type NoiseSpec = GaussianNoiseSpec | SaltAndPepperSpec | MaskingSpec | SpeckleSpec;

/**
 * The course's definition of "p % noise": Gaussian, factor p/100, clipped to [0, 1] (see the
 * module comment). Usage: `noisePercent(40) // { kind: 'gaussian', factor: 0.4, clip: [0, 1] }`
 */
export function noisePercent(percent: number): GaussianNoiseSpec {
  if (!(percent >= 0 && percent <= 100)) throw new Error(`noisePercent: percent must be in [0, 100], got ${percent}.`);
  return { kind: 'gaussian', factor: percent / 100, clip: [0, 1] };
}

/** A short human-readable name for a spec. Usage: `describeNoise(noisePercent(20)) // 'Gaussian, factor 0.2, clipped to [0, 1]'` */
export function describeNoise(spec: NoiseSpec): string {
  const clip = (c: [number, number] | false | undefined): string => {
    const r = c === undefined ? [0, 1] : c;
    return r === false ? 'not clipped' : `clipped to [${r[0]}, ${r[1]}]`;
  };
  switch (spec.kind) {
    case 'gaussian':
      return `Gaussian, factor ${spec.factor}, ${clip(spec.clip)}`;
    case 'speckle':
      return `speckle (multiplicative), factor ${spec.factor}, ${clip(spec.clip)}`;
    case 'saltAndPepper':
      return `salt-and-pepper, ${round(spec.rate * 100)} % of pixels`;
    case 'masking':
      return `masking, ${round(spec.rate * 100)} % of pixels set to ${spec.value ?? 0}`;
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function checkSpec(spec: NoiseSpec): void {
  if (spec.kind === 'gaussian' || spec.kind === 'speckle') {
    if (!(spec.factor >= 0) || !Number.isFinite(spec.factor)) throw new Error(`addNoise: ${spec.kind} factor must be a finite number >= 0, got ${spec.factor}.`);
    if (spec.clip && !(spec.clip[1] > spec.clip[0])) throw new Error(`addNoise: clip must be [lo, hi] with hi > lo, got [${spec.clip.join(', ')}].`);
  } else if (spec.kind === 'saltAndPepper' || spec.kind === 'masking') {
    if (!(spec.rate >= 0 && spec.rate <= 1)) throw new Error(`addNoise: ${spec.kind} rate must be a fraction in [0, 1], got ${spec.rate}.`);
    if (spec.kind === 'saltAndPepper' && spec.saltRatio !== undefined && !(spec.saltRatio >= 0 && spec.saltRatio <= 1)) {
      throw new Error(`addNoise: saltRatio must be in [0, 1], got ${spec.saltRatio}.`);
    }
  } else {
    throw new Error(`addNoise: unknown noise kind ${(spec as { kind: string }).kind}; use gaussian, saltAndPepper, masking or speckle.`);
  }
}

/**
 * Returns a corrupted copy of `x` (any flat array of pixel values); `x` is not changed.
 *
 * Usage: `const noisy = addNoiseToArray(images, { kind: 'masking', rate: 0.5 }, 42);`
 */
export function addNoiseToArray(x: ArrayLike<number>, spec: NoiseSpec, seed: number): Float32Array {
  checkSpec(spec);
  const rng = makeRng(seed);
  const n = x.length;
  const out = new Float32Array(n);
  switch (spec.kind) {
    case 'gaussian':
    case 'speckle': {
      const clip = spec.clip === undefined ? [0, 1] : spec.clip;
      const lo = clip === false ? -Infinity : clip[0];
      const hi = clip === false ? Infinity : clip[1];
      const f = spec.factor;
      const mult = spec.kind === 'speckle';
      for (let i = 0; i < n; i += 2) {
        // Box-Muller, both outputs used.
        let u = 0;
        while (u === 0) u = rng.uniform();
        const r = Math.sqrt(-2 * Math.log(u));
        const th = 2 * Math.PI * rng.uniform();
        const z0 = r * Math.cos(th);
        const z1 = r * Math.sin(th);
        const a = x[i];
        const va = a + (mult ? a : 1) * f * z0;
        out[i] = va < lo ? lo : va > hi ? hi : va;
        if (i + 1 < n) {
          const b = x[i + 1];
          const vb = b + (mult ? b : 1) * f * z1;
          out[i + 1] = vb < lo ? lo : vb > hi ? hi : vb;
        }
      }
      return out;
    }
    case 'saltAndPepper': {
      const salt = spec.saltRatio ?? 0.5;
      const low = spec.low ?? 0;
      const high = spec.high ?? 1;
      for (let i = 0; i < n; i++) {
        const u = rng.uniform();
        out[i] = u < spec.rate ? (u < spec.rate * salt ? high : low) : x[i];
      }
      return out;
    }
    case 'masking': {
      const value = spec.value ?? 0;
      for (let i = 0; i < n; i++) out[i] = rng.uniform() < spec.rate ? value : x[i];
      return out;
    }
  }
}

/**
 * Returns a corrupted copy of a tensor, same shape, float32 (the caller disposes it).
 *
 * Usage: `const xNoisy = addNoise(xTrain, { kind: 'gaussian', factor: 0.5 }, 1); // seed 004`
 */
export function addNoise(x: tf.Tensor, spec: NoiseSpec, seed: number): tf.Tensor {
  const data = addNoiseToArray(x.dataSync(), spec, seed);
  return tf.tensor(data, x.shape, 'float32');
}
