/**
 * The kernels of a model's layers as plain numbers, and how sparse they are: the L1 penalty
 * drives many weights to (almost) zero, L2 only shrinks them (seed 001, section 4.1).
 *
 * Usage:
 *   const k = kernelValues(model);                       // [{ layer: 'dense', values: Float32Array }, ...]
 *   weightSparsity(k[0].values, 1e-3)                           // { near0: 150000, total: 235200, fraction: 0.64 }
 */
import * as tf from '@tensorflow/tfjs';

/** One layer's kernel. */
export interface LayerKernel {
  layer: string;
  shape: number[];
  values: Float32Array;
}

/**
 * The kernel (first weight, rank >= 2) of every layer that has one, in order; nested models
 * expanded.
 *
 * Usage: `kernelValues(model).map((k) => k.layer)`
 */
export function kernelValues(model: tf.LayersModel): LayerKernel[] {
  if (!(model instanceof tf.LayersModel)) throw new Error('kernelValues: expected a tfjs LayersModel.');
  const out: LayerKernel[] = [];
  const visit = (layers: tf.layers.Layer[]): void => {
    for (const l of layers) {
      const inner = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (Array.isArray(inner)) {
        visit(inner);
        continue;
      }
      const w = l.weights[0];
      if (w && w.shape.length >= 2) {
        const t = w.read();
        out.push({ layer: l.name, shape: t.shape.slice(), values: t.dataSync() as Float32Array });
      }
    }
  };
  visit(model.layers);
  return out;
}

/** How many values are near zero. */
export interface Sparsity {
  /** Values with |v| < threshold. */
  near0: number;
  total: number;
  /** near0 / total. */
  fraction: number;
  /** Largest |v|. */
  maxAbs: number;
}

/**
 * Counts the values whose magnitude is below threshold.
 *
 * Usage: `weightSparsity(new Float32Array([0, 0.5, 1e-5]), 1e-3) // { near0: 2, total: 3, fraction: 0.667, maxAbs: 0.5 }`
 */
export function weightSparsity(values: ArrayLike<number>, threshold = 1e-3): Sparsity {
  if (!(threshold > 0)) throw new Error(`weightSparsity: threshold must be > 0, got ${threshold}; e.g. 1e-3.`);
  if (values.length === 0) throw new Error('weightSparsity: no values to count.');
  let near0 = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a < threshold) near0++;
    if (a > maxAbs) maxAbs = a;
  }
  return { near0, total: values.length, fraction: near0 / values.length, maxAbs };
}

/**
 * Sparsity of every kernel of a model, plus the total over all kernels.
 *
 * Usage: `modelSparsity(model, 1e-3).total.fraction`
 */
export function modelSparsity(model: tf.LayersModel, threshold = 1e-3): { layers: Array<Sparsity & { layer: string }>; total: Sparsity } {
  const kernels = kernelValues(model);
  if (kernels.length === 0) throw new Error('modelSparsity: the model has no kernels (no Dense or Conv layers).');
  const layers = kernels.map((k) => ({ layer: k.layer, ...weightSparsity(k.values, threshold) }));
  const near0 = layers.reduce((a, l) => a + l.near0, 0);
  const total = layers.reduce((a, l) => a + l.total, 0);
  return { layers, total: { near0, total, fraction: near0 / total, maxAbs: Math.max(...layers.map((l) => l.maxAbs)) } };
}
