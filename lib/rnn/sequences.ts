/**
 * Seeded sequence data for the recurrent demonstrations, as flat Float32Arrays with shapes
 * (turn them into tensors with `sequenceTensors`):
 *   - nextNumberData: arithmetic sequences (like the seed's 1, 2, 3, 4), predict the next number;
 *   - noisySineData: windows of a noisy sine wave, predict the clean next value (or every next value);
 *   - addingProblemData: Hochreiter & Schmidhuber's adding problem, a long-dependency task:
 *     each step holds (value, marker); two steps are marked, one in each half; the target is the
 *     sum of the two marked values. Predicting the mean (1.0) gives MSE 1/6 ≈ 0.167.
 *
 * Usage:
 *   const ds = addingProblemData({ count: 1000, steps: 50, seed: 1 });
 *   const { x, y } = sequenceTensors(ds); // x [1000, 50, 2], y [1000, 1]
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../random';

/** A sequence data set: x is [count, steps, features], y is `yShape`. */
export interface SequenceDataset {
  x: Float32Array;
  y: Float32Array;
  xShape: [number, number, number];
  yShape: number[];
  /** What the data set is, in one line. */
  description: string;
}

function checkCounts(fn: string, count: number, steps: number, minSteps: number): void {
  if (!Number.isInteger(count) || count < 1) throw new Error(`${fn}: count must be a positive integer, got ${count}.`);
  if (!Number.isInteger(steps) || steps < minSteps) throw new Error(`${fn}: steps must be an integer >= ${minSteps}, got ${steps}.`);
}

/**
 * Arithmetic sequences x_t = a + t d (a uniform in [-startRange, startRange), d uniform in
 * [-stepRange, stepRange)); the target is the next number a + steps d.
 * Usage: `nextNumberData({ count: 200, steps: 4, seed: 1 })`
 */
export function nextNumberData(o: { count: number; steps: number; seed: number; startRange?: number; stepRange?: number }): SequenceDataset {
  checkCounts('nextNumberData', o.count, o.steps, 1);
  const startRange = o.startRange ?? 1;
  const stepRange = o.stepRange ?? 0.25;
  const rng = makeRng(o.seed);
  const x = new Float32Array(o.count * o.steps);
  const y = new Float32Array(o.count);
  for (let n = 0; n < o.count; n++) {
    const a = (2 * rng.uniform() - 1) * startRange;
    const d = (2 * rng.uniform() - 1) * stepRange;
    for (let t = 0; t < o.steps; t++) x[n * o.steps + t] = a + t * d;
    y[n] = a + o.steps * d;
  }
  return { x, y, xShape: [o.count, o.steps, 1], yShape: [o.count, 1], description: `${o.count} arithmetic sequences of ${o.steps} numbers; target: the next number` };
}

/**
 * Windows of sin(ω t + φ) plus Gaussian noise (φ uniform, ω uniform in [minFreq, maxFreq) rad per
 * step). mode 'next' (default): the target is the clean value `horizon` steps after the window
 * ([count, 1]); mode 'sequence': the clean value one step after each input step ([count, steps, 1]).
 * Usage: `noisySineData({ count: 500, steps: 30, seed: 1, noise: 0.1 })`
 */
export function noisySineData(o: {
  count: number;
  steps: number;
  seed: number;
  noise?: number;
  minFreq?: number;
  maxFreq?: number;
  horizon?: number;
  mode?: 'next' | 'sequence';
}): SequenceDataset {
  checkCounts('noisySineData', o.count, o.steps, 1);
  const noise = o.noise ?? 0.1;
  const minFreq = o.minFreq ?? 0.1;
  const maxFreq = o.maxFreq ?? 0.4;
  const horizon = o.horizon ?? 1;
  const mode = o.mode ?? 'next';
  if (!(noise >= 0)) throw new Error(`noisySineData: noise must be >= 0, got ${noise}.`);
  if (!(minFreq > 0 && maxFreq >= minFreq)) throw new Error(`noisySineData: need 0 < minFreq <= maxFreq, got ${minFreq}, ${maxFreq}.`);
  if (!Number.isInteger(horizon) || horizon < 1) throw new Error(`noisySineData: horizon must be a positive integer, got ${horizon}.`);
  if (mode !== 'next' && mode !== 'sequence') throw new Error(`noisySineData: mode must be 'next' or 'sequence', got '${String(mode)}'.`);
  const rng = makeRng(o.seed);
  const x = new Float32Array(o.count * o.steps);
  const y = new Float32Array(mode === 'next' ? o.count : o.count * o.steps);
  for (let n = 0; n < o.count; n++) {
    const phase = rng.uniform() * 2 * Math.PI;
    const freq = minFreq + rng.uniform() * (maxFreq - minFreq);
    for (let t = 0; t < o.steps; t++) {
      x[n * o.steps + t] = Math.sin(freq * t + phase) + noise * rng.normal();
      if (mode === 'sequence') y[n * o.steps + t] = Math.sin(freq * (t + 1) + phase);
    }
    if (mode === 'next') y[n] = Math.sin(freq * (o.steps - 1 + horizon) + phase);
  }
  return {
    x,
    y,
    xShape: [o.count, o.steps, 1],
    yShape: mode === 'next' ? [o.count, 1] : [o.count, o.steps, 1],
    description: `${o.count} noisy sine windows of ${o.steps} steps (noise ${noise}); target: ${mode === 'next' ? `the clean value ${horizon} step(s) ahead` : 'the clean next value at every step'}`,
  };
}

/**
 * The adding problem: x[n, t] = (value uniform in [0, 1), marker 0/1); exactly two markers, the
 * first in steps [0, steps/2), the second in [steps/2, steps); y = the sum of the two marked values.
 * Usage: `addingProblemData({ count: 1000, steps: 50, seed: 1 })`
 */
export function addingProblemData(o: { count: number; steps: number; seed: number }): SequenceDataset & { markers: Int32Array } {
  checkCounts('addingProblemData', o.count, o.steps, 2);
  const rng = makeRng(o.seed);
  const half = Math.floor(o.steps / 2);
  const x = new Float32Array(o.count * o.steps * 2);
  const y = new Float32Array(o.count);
  const markers = new Int32Array(o.count * 2);
  for (let n = 0; n < o.count; n++) {
    for (let t = 0; t < o.steps; t++) x[(n * o.steps + t) * 2] = rng.uniform();
    const first = rng.int(half);
    const second = half + rng.int(o.steps - half);
    markers[2 * n] = first;
    markers[2 * n + 1] = second;
    x[(n * o.steps + first) * 2 + 1] = 1;
    x[(n * o.steps + second) * 2 + 1] = 1;
    y[n] = x[(n * o.steps + first) * 2] + x[(n * o.steps + second) * 2];
  }
  return {
    x,
    y,
    markers,
    xShape: [o.count, o.steps, 2],
    yShape: [o.count, 1],
    description: `${o.count} adding-problem sequences of ${o.steps} steps; target: the sum of the 2 marked values (one in each half)`,
  };
}

/** The data set as tensors (the caller disposes them). Usage: `const { x, y } = sequenceTensors(ds)` */
export function sequenceTensors(ds: SequenceDataset): { x: tf.Tensor3D; y: tf.Tensor } {
  const [n, t, f] = ds.xShape;
  if (ds.x.length !== n * t * f) throw new Error(`sequenceTensors: x has ${ds.x.length} numbers but xShape [${ds.xShape}] needs ${n * t * f}.`);
  const ySize = ds.yShape.reduce((a, b) => a * b, 1);
  if (ds.y.length !== ySize) throw new Error(`sequenceTensors: y has ${ds.y.length} numbers but yShape [${ds.yShape}] needs ${ySize}.`);
  return { x: tf.tensor3d(ds.x, ds.xShape), y: tf.tensor(ds.y, ds.yShape) };
}

/**
 * The MSE of always predicting the mean target (the bar a model must beat).
 * Usage: `meanPredictorMse(ds) // about 0.167 on the adding problem`
 */
export function meanPredictorMse(ds: SequenceDataset): number {
  const n = ds.y.length;
  if (n === 0) throw new Error('meanPredictorMse: the data set has no targets.');
  let mean = 0;
  for (const v of ds.y) mean += v;
  mean /= n;
  let s = 0;
  for (const v of ds.y) s += (v - mean) ** 2;
  return s / n;
}

/** One sample's sequence as number[][] (steps x features). Usage: `sampleSequence(ds, 0)` */
export function sampleSequence(ds: SequenceDataset, index: number): number[][] {
  const [n, t, f] = ds.xShape;
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`sampleSequence: index ${index} is outside 0..${n - 1}.`);
  const out: number[][] = [];
  for (let s = 0; s < t; s++) out.push(Array.from(ds.x.subarray((index * t + s) * f, (index * t + s + 1) * f)));
  return out;
}
