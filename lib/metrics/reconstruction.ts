/**
 * Reconstruction errors for autoencoders, per sample and on average: MSE, MAE and binary
 * cross-entropy (Keras's definition: predictions clipped to [1e-7, 1 - 1e-7], mean over the
 * features of each sample). Inputs: tensors [n, ...], arrays of rows, or flat typed arrays with
 * the number of features per sample.
 *
 * Usage:
 *   const { perSample, mean } = reconstructionError(xTest, autoencoder.predict(xTest) as tf.Tensor, { metric: 'mse' });
 *   const worst = rankByError(perSample, 10); // anomaly candidates
 */
import * as tf from '@tensorflow/tfjs';

/** A batch of samples: a tensor [n, ...], rows, or a flat array (give `features`). */
export type SampleBatch = tf.Tensor | ArrayLike<number>[] | number[][] | Float32Array | Float64Array | number[];

/** Which reconstruction error to compute. */
export type ReconstructionMetric = 'mse' | 'mae' | 'bce';

/** Keras's epsilon for clipping probabilities in binary cross-entropy. */
export const BCE_EPSILON = 1e-7;

export interface ReconstructionError {
  metric: ReconstructionMetric;
  /** One error per sample (mean over its features). */
  perSample: Float64Array;
  /** Mean over samples (what Keras's evaluate reports for this loss). */
  mean: number;
}

function toMatrix(x: SampleBatch, what: string, features?: number): { data: Float32Array | Float64Array; n: number; d: number } {
  if (x instanceof tf.Tensor) {
    if (x.rank < 1) throw new Error(`${what} must have a sample axis; got a scalar.`);
    const n = x.shape[0];
    const d = x.rank === 1 ? 1 : x.size / n;
    return { data: x.dataSync() as Float32Array, n, d };
  }
  if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'object') {
    const rows = x as ArrayLike<number>[];
    const d = rows[0].length;
    const data = new Float64Array(rows.length * d);
    rows.forEach((r, i) => {
      if (r.length !== d) throw new Error(`${what}: row ${i} has ${r.length} values but row 0 has ${d}; all samples need the same length.`);
      for (let j = 0; j < d; j++) data[i * d + j] = r[j];
    });
    return { data, n: rows.length, d };
  }
  const flat = x instanceof Float32Array || x instanceof Float64Array ? x : Float64Array.from(x as number[]);
  const d = features ?? 1;
  if (!Number.isInteger(d) || d < 1 || flat.length % d !== 0) {
    throw new Error(`${what}: a flat array of ${flat.length} values cannot be split into samples of ${d} features; pass { features } (values per sample).`);
  }
  return { data: flat, n: flat.length / d, d };
}

/**
 * Per-sample and mean reconstruction error between inputs and reconstructions.
 *
 * Usage: `reconstructionError(x, xHat, { metric: 'bce' }).mean`
 */
export function reconstructionError(x: SampleBatch, xHat: SampleBatch, options: { metric?: ReconstructionMetric; features?: number } = {}): ReconstructionError {
  const metric = options.metric ?? 'mse';
  if (metric !== 'mse' && metric !== 'mae' && metric !== 'bce') throw new Error(`reconstructionError: metric '${String(metric)}' is not one of mse, mae, bce.`);
  const a = toMatrix(x, 'x', options.features);
  const b = toMatrix(xHat, 'xHat', options.features);
  if (a.n !== b.n || a.d !== b.d) throw new Error(`reconstructionError: x is ${a.n}x${a.d} but xHat is ${b.n}x${b.d}; pass the reconstructions of the same samples.`);
  if (a.n === 0) throw new Error('reconstructionError: no samples.');
  const perSample = new Float64Array(a.n);
  for (let i = 0; i < a.n; i++) {
    let s = 0;
    for (let j = 0; j < a.d; j++) {
      const t = a.data[i * a.d + j];
      const p = b.data[i * a.d + j];
      if (metric === 'mse') s += (t - p) * (t - p);
      else if (metric === 'mae') s += Math.abs(t - p);
      else {
        const q = Math.min(Math.max(p, BCE_EPSILON), 1 - BCE_EPSILON);
        s -= t * Math.log(q) + (1 - t) * Math.log(1 - q);
      }
    }
    perSample[i] = s / a.d;
  }
  const mean = perSample.reduce((acc, v) => acc + v, 0) / a.n;
  return { metric, perSample, mean };
}

/**
 * MSE, MAE and BCE means at once (for the seed's reconstruction-error tables).
 *
 * Usage: `reconstructionErrors(x, xHat) // { mse: 0.01, mae: 0.05, bce: 0.09 }`
 */
export function reconstructionErrors(x: SampleBatch, xHat: SampleBatch, options: { features?: number } = {}): Record<ReconstructionMetric, number> {
  return {
    mse: reconstructionError(x, xHat, { ...options, metric: 'mse' }).mean,
    mae: reconstructionError(x, xHat, { ...options, metric: 'mae' }).mean,
    bce: reconstructionError(x, xHat, { ...options, metric: 'bce' }).mean,
  };
}

/**
 * Indices of the k samples with the largest errors, largest first (anomaly candidates).
 *
 * Usage: `rankByError(reconstructionError(x, xHat).perSample, 5)`
 */
export function rankByError(perSample: ArrayLike<number>, k: number = perSample.length): number[] {
  if (!Number.isInteger(k) || k < 0) throw new Error(`rankByError: k must be a whole number >= 0, got ${k}.`);
  const idx = Array.from({ length: perSample.length }, (_, i) => i);
  idx.sort((i, j) => perSample[j] - perSample[i] || i - j);
  return idx.slice(0, k);
}
