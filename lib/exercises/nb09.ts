/**
 * Checks of notebook 09's exercises (denoising, sparse and contractive autoencoders). Each runs the
 * student's answer on inputs beyond the notebook's, never prints the solution, never throws, frees
 * its tensors.
 *
 * Usage (in notebook 09): `await check09_1({ occlude: occlude })`
 */
import * as tf from '@tensorflow/tfjs';
import { close, describeValue, expect, expectFunction, expectNumber, need, runCheck, type Verdict } from './check';
import { expectNoisyInputError } from './noisy-error';

/** The ids of notebook 09's exercises. */
export const EXERCISES_09: readonly string[] = ['09.1', '09.2', '09.3', '09.4', '09.5'];

/** Exercise 1: square occlusion noise. Usage: `await check09_1({ occlude })` */
export function check09_1(answer: { occlude?: unknown }): Promise<Verdict> {
  return runCheck('09.1', 'A new kind of noise', () => {
    const fn = expectFunction(need(answer.occlude, 'occlude', 'a function (x, size, seed) => tf.Tensor'), 'occlude', 3) as (x: tf.Tensor, s: number, seed: number) => unknown;
    for (const [n, h, w, size] of [[6, 12, 10, 3], [3, 5, 5, 5], [4, 28, 28, 10]]) {
      const x = tf.tidy(() => tf.randomUniform([n, h, w], 0.5, 1, 'float32', n + size));
      try {
        const before = tf.memory().numTensors;
        const out = fn(x, size, 3);
        expect(out instanceof tf.Tensor, `occlude returned ${describeValue(out)}`, 'return the occluded images as a tensor');
        const o = out as tf.Tensor;
        const shapeOk = JSON.stringify(o.shape) === JSON.stringify([n, h, w]);
        const ys = o.dataSync();
        const xs = x.dataSync();
        o.dispose();
        expect(tf.memory().numTensors <= before, 'occlude left tensors allocated besides its result', 'wrap it in tf.tidy');
        expect(shapeOk, `for images [${n}, ${h}, ${w}] the result has another shape`, 'keep the shape of x');
        const corners: number[] = [];
        for (let k = 0; k < n; k++) {
          let zeros = 0, top = h, left = w, bottom = -1, right = -1;
          for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
            const i = k * h * w + r * w + c;
            if (ys[i] === 0) { zeros++; top = Math.min(top, r); bottom = Math.max(bottom, r); left = Math.min(left, c); right = Math.max(right, c); }
            else expect(Math.abs(ys[i] - xs[i]) < 1e-6, `image ${k} (of [${n}, ${h}, ${w}]): a pixel outside the square changed`, 'multiply by a mask of ones with one square of zeros; leave other pixels alone');
          }
          expect(zeros === size * size && bottom - top + 1 === size && right - left + 1 === size, `image ${k} (of [${n}, ${h}, ${w}], size ${size}): the zeroed pixels do not form one ${size} × ${size} square inside the image`, 'choose top in [0, h − size] and left in [0, w − size], then zero rows top..top+size−1 and columns left..left+size−1');
          corners.push(top * w + left);
        }
        if (h > size || w > size) expect(n < 3 || new Set(corners).size > 1, `every image of [${n}, ${h}, ${w}] got its square at the same place`, 'draw a new random position for each image');
      } finally {
        x.dispose();
      }
    }
  });
}

/** Exercise 2: reconstruction error of a denoiser at a noise level. Usage: `await check09_2({ denoisingError })` */
export function check09_2(answer: { denoisingError?: unknown }): Promise<Verdict> {
  return runCheck('09.2', 'Train at one level, test at another', () => expectNoisyInputError(answer.denoisingError, 'denoisingError', {
    shape: [7, 16],
    seed: 77,
    reconstructors: [['identity', (x) => x.clone()], ['half', (x) => x.mul(0.5)]],
    levels: [[20, 5], [40, 9]],
    hint: 'noisy = addNoise(clean, noisePercent(percent), seed); error = mean of (reconstruct(noisy) − clean)², against the clean images',
  }));
}

/** Exercise 3: sparsity statistics of codes. Usage: `await check09_3({ sparsityStats })` */
export function check09_3(answer: { sparsityStats?: unknown }): Promise<Verdict> {
  return runCheck('09.3', 'How sparse?', () => {
    const fn = expectFunction(need(answer.sparsityStats, 'sparsityStats', 'a function (codes) => { meanActivation, shareBelow, quietUnits }'), 'sparsityStats', 1) as (c: tf.Tensor2D) => unknown;
    const cases = [[[0.05, 0.5, 0.02], [0.01, 0.9, 0.3], [0.2, 0.6, 0.01], [0.0, 0.7, 0.08]], [[0.3, 0.05], [0.02, 0.01]]];
    for (const rows of cases) {
      const codes = tf.tensor2d(rows);
      try {
        const flat = rows.flat();
        const units = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
        const want = { meanActivation: flat.reduce((a, b) => a + b, 0) / flat.length, shareBelow: flat.filter((v) => v < 0.1).length / flat.length, quietUnits: units.filter((v) => v < 0.1).length / units.length };
        const got = fn(codes) as Record<string, unknown> | null;
        expect(got !== null && typeof got === 'object', `sparsityStats returned ${describeValue(got)}`, 'return { meanActivation, shareBelow, quietUnits }');
        for (const k of ['meanActivation', 'shareBelow', 'quietUnits'] as const) {
          const v = expectNumber(got[k], k);
          expect(close(v, want[k], 1e-5), `for codes of shape [${codes.shape}] ${k} is ${v}`, k === 'quietUnits' ? 'the mean of each unit (column) over the rows, then the share of units below 0.1' : k === 'shareBelow' ? 'the share of all activations below 0.1 (a number between 0 and 1)' : 'the mean of all activations');
        }
      } finally {
        codes.dispose();
      }
    }
  });
}

/** Exercise 4: mean change on dark and bright pixels. Usage: `await check09_4({ changeByBrightness })` */
export function check09_4(answer: { changeByBrightness?: unknown }): Promise<Verdict> {
  return runCheck('09.4', 'Speckle vs Gaussian', () => {
    const fn = expectFunction(need(answer.changeByBrightness, 'changeByBrightness', 'a function (clean, noisy) => { dark, bright }'), 'changeByBrightness', 2) as (c: ArrayLike<number>, n: ArrayLike<number>) => unknown;
    const cases: [number[], number[]][] = [
      [[0, 0.05, 0.5, 0.95, 1], [0.2, 0.05, 0.9, 0.75, 0.6]],
      [[0.09, 0.91, 0.3, 0.99, 0.0, 0.2], [0.0, 1.0, 0.1, 0.5, 0.3, 0.2]],
    ];
    for (const [c, n] of cases) {
      const dk = c.map((v, i) => (v < 0.1 ? Math.abs(n[i] - v) : NaN)).filter((v) => !Number.isNaN(v));
      const br = c.map((v, i) => (v > 0.9 ? Math.abs(n[i] - v) : NaN)).filter((v) => !Number.isNaN(v));
      const want = { dark: dk.reduce((a, b) => a + b, 0) / dk.length, bright: br.reduce((a, b) => a + b, 0) / br.length };
      const got = fn(Float32Array.from(c), Float32Array.from(n)) as Record<string, unknown> | null;
      expect(got !== null && typeof got === 'object', `changeByBrightness returned ${describeValue(got)}`, 'return { dark, bright }');
      const d = expectNumber(got.dark, 'dark');
      const b = expectNumber(got.bright, 'bright');
      expect(close(d, want.dark, 1e-5), `on a test case dark is ${d}`, 'the mean of |noisy − clean| over the pixels with clean < 0.1');
      expect(close(b, want.bright, 1e-5), `on a test case bright is ${b}`, 'the mean of |noisy − clean| over the pixels with clean > 0.9');
    }
  });
}

/** Exercise 5: the contractive penalty of a sigmoid Dense layer. Usage: `await check09_5({ contractivePenalty })` */
export function check09_5(answer: { contractivePenalty?: unknown }): Promise<Verdict> {
  return runCheck('09.5', 'The contractive penalty', () => {
    const fn = expectFunction(need(answer.contractivePenalty, 'contractivePenalty', 'a function (kernel, h) => number'), 'contractivePenalty', 2) as (k: tf.Tensor2D, h: tf.Tensor2D) => unknown;
    for (const [inputs, units, batch] of [[4, 3, 5], [6, 2, 1]]) {
      const kernel = tf.tidy(() => tf.randomNormal([inputs, units], 0, 1, 'float32', inputs)) as tf.Tensor2D;
      const bias = tf.tidy(() => tf.randomNormal([units], 0, 0.5, 'float32', units));
      const x = tf.tidy(() => tf.randomNormal([batch, inputs], 0, 1, 'float32', batch)) as tf.Tensor2D;
      try {
        const h = tf.tidy(() => tf.sigmoid(tf.matMul(x, kernel).add(bias))) as tf.Tensor2D;
        // the Jacobian by autodiff, row by row: ||dh/dx||_F^2 summed over units, averaged over the batch
        let total = 0;
        for (let b = 0; b < batch; b++) {
          for (let j = 0; j < units; j++) {
            total += tf.tidy(() => {
              const g = tf.grad((xi: tf.Tensor) => tf.sigmoid(tf.matMul(xi, kernel).add(bias)).slice([0, j], [1, 1]).sum())(x.slice([b, 0], [1, inputs]));
              return tf.sum(tf.square(g)).dataSync()[0];
            });
          }
        }
        const want = total / batch;
        const before = tf.memory().numTensors;
        const got = expectNumber(fn(kernel, h), 'contractivePenalty(...)');
        h.dispose();
        expect(tf.memory().numTensors <= before - 1, 'contractivePenalty left tensors allocated', 'wrap it in tf.tidy and return a number');
        expect(close(got, want, 1e-3), `for a layer of ${inputs} inputs and ${units} units the penalty is ${got}, not the squared Frobenius norm of the Jacobian`, 'Σ_j (h_j (1 − h_j))² · Σ_i W_ij² per image (W is [inputs, units]: sum over axis 0), then the mean over the batch');
      } finally {
        tf.dispose([kernel, bias, x]);
      }
    }
  });
}
