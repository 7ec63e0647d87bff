/**
 * Anomaly scores from reconstruction error (seed 003: "by identifying instances that deviate
 * significantly from the learned representation"; seed 000's housing autoencoder): an
 * autoencoder trained on normal data reconstructs normal samples well, so a sample's
 * reconstruction error is its anomaly score, and a quantile of the training errors is a
 * threshold.
 *
 * Usage:
 *   const trainErr = reconstructionErrorsOf(autoencoder, xTrain);
 *   const threshold = quantile(trainErr, 0.99);
 *   const { indices } = flagAnomalies(reconstructionErrorsOf(autoencoder, xTest), threshold);
 */
import * as tf from '@tensorflow/tfjs';

/** How to compare a sample and its reconstruction. */
export type ErrorMetric = 'mse' | 'mae';

/**
 * Per-sample error between x and its reconstruction (mean over all features of each sample).
 * Usage: `const e = perSampleErrors(x, xHat); // Float32Array of length n`
 */
export function perSampleErrors(x: tf.Tensor, xHat: tf.Tensor, metric: ErrorMetric = 'mse'): Float32Array {
  if (x.shape.join(',') !== xHat.shape.join(',')) throw new Error(`perSampleErrors: x has shape [${x.shape.join(', ')}] but the reconstruction has [${xHat.shape.join(', ')}].`);
  if (metric !== 'mse' && metric !== 'mae') throw new Error(`perSampleErrors: metric must be 'mse' or 'mae', got ${String(metric)}.`);
  return tf.tidy(() => {
    const n = x.shape[0] ?? 0;
    const d = tf.sub(tf.reshape(x, [n, -1]), tf.reshape(xHat, [n, -1]));
    const e = metric === 'mse' ? tf.square(d) : tf.abs(d);
    return Float32Array.from(tf.mean(e, 1).dataSync());
  });
}

/**
 * Per-sample reconstruction errors of a model (x -> reconstruction), batch by batch.
 * Usage: `reconstructionErrorsOf(autoencoder, xTest, { metric: 'mae' })`
 */
export function reconstructionErrorsOf(model: tf.LayersModel, x: tf.Tensor, options: { metric?: ErrorMetric; batchSize?: number; target?: tf.Tensor } = {}): Float32Array {
  const n = x.shape[0] ?? 0;
  const bs = options.batchSize ?? 256;
  const target = options.target ?? x;
  if (target.shape[0] !== n) throw new Error(`reconstructionErrorsOf: target has ${target.shape[0]} samples but x has ${n}.`);
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += bs) {
    const size = Math.min(bs, n - s);
    const part = tf.tidy(() => {
      const xb = tf.slice(x, [s], [size]);
      const tb = tf.slice(target, [s], [size]);
      const pred = model.predict(xb) as tf.Tensor;
      return perSampleErrors(tb, pred, options.metric ?? 'mse');
    });
    out.set(part, s);
  }
  return out;
}

/**
 * The q-quantile with linear interpolation (numpy's default). Usage: `quantile(errors, 0.99)`
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new Error('quantile: no values.');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}.`);
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Which samples exceed the threshold. */
export interface AnomalyFlags {
  /** 1 where error > threshold. */
  flags: Uint8Array;
  /** Indices of the flagged samples, highest error first. */
  indices: number[];
  /** The threshold used. */
  threshold: number;
}

/**
 * Flags samples whose error exceeds `threshold`. Usage: `flagAnomalies(testErr, quantile(trainErr, 0.99))`
 */
export function flagAnomalies(errors: ArrayLike<number>, threshold: number): AnomalyFlags {
  if (!Number.isFinite(threshold)) throw new Error(`flagAnomalies: threshold must be a finite number, got ${threshold}.`);
  const flags = new Uint8Array(errors.length);
  const indices: number[] = [];
  for (let i = 0; i < errors.length; i++) {
    if (errors[i] > threshold) {
      flags[i] = 1;
      indices.push(i);
    }
  }
  indices.sort((a, b) => errors[b] - errors[a]);
  return { flags, indices, threshold };
}
