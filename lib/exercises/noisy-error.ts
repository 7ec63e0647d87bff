/**
 * The check shared by exercises 09.2 and 10.4: a student's `(reconstruct, clean, percent, seed)
 * => number` must return the mean squared error between reconstruct(addNoise(clean, ...)) and
 * the clean images, leave no tensors behind, and do so for several test reconstructors and
 * noise levels.
 *
 * Usage: `return runCheck('10.4', 'Noise at test time', () => expectNoisyInputError(answer.noisyInputError, 'noisyInputError', { ... }));`
 */
import * as tf from '@tensorflow/tfjs';
import { addNoise, noisePercent } from '../unsupervised/noise';
import { close, expect, expectFunction, expectNumber, need } from './check';

/** A named test reconstructor: the student's function is called with it. */
export type TestReconstructor = [name: string, reconstruct: (x: tf.Tensor2D) => tf.Tensor];

/** What the check tries. */
export interface NoisyErrorCases {
  /** Shape of the random clean images, [rows, pixels]. */
  shape: [number, number];
  /** Seed of the clean images. */
  seed: number;
  reconstructors: readonly TestReconstructor[];
  /** [noise percent, noise seed] pairs. */
  levels: readonly [number, number][];
  /** The fix named when a value is wrong. */
  hint: string;
}

/**
 * Throws (as the check's "not yet" verdict) unless `value`, the answer named `name`, computes the
 * error described above for every case. Call it inside runCheck.
 *
 * Usage: `expectNoisyInputError(answer.denoisingError, 'denoisingError', { shape: [7, 16], seed: 77, reconstructors, levels: [[20, 5]], hint })`
 */
export function expectNoisyInputError(value: unknown, name: string, cases: NoisyErrorCases): void {
  const fn = expectFunction(need(value, name, 'a function (reconstruct, clean, percent, seed) => number'), name, 4) as (r: (x: tf.Tensor2D) => tf.Tensor, c: tf.Tensor2D, p: number, s: number) => unknown;
  const clean = tf.tidy(() => tf.randomUniform(cases.shape, 0, 1, 'float32', cases.seed)) as tf.Tensor2D;
  try {
    for (const [label, r] of cases.reconstructors) {
      for (const [p, seed] of cases.levels) {
        const want = tf.tidy(() => tf.mean(tf.squaredDifference(r(addNoise(clean, noisePercent(p), seed) as tf.Tensor2D), clean)).dataSync()[0]);
        const before = tf.memory().numTensors;
        const got = expectNumber(fn(r, clean, p, seed), `${name}(...)`);
        expect(tf.memory().numTensors <= before, `${name} left tensors allocated`, 'wrap it in tf.tidy and return a number');
        expect(close(got, want, 1e-4), `with a test reconstructor (${label}) at ${p} % noise the error is ${got}`, cases.hint);
      }
    }
  } finally {
    clean.dispose();
  }
}
