/**
 * Reading plot inputs (plain arrays, typed arrays, tensors) as plain numbers, and the colours.
 *
 * Usage:
 *   const ys = toNumbers(lossTensor, 'loss');
 *   const pts = toPoints(embedding2d, 'points');   // [[x, y], ...]
 */
import * as tf from '@tensorflow/tfjs';

/** A list of numbers: a plain array, a typed array, or a tensor (read with dataSync, not disposed). */
export type NumberSource = readonly number[] | Float32Array | Float64Array | Int32Array | Uint8Array | tf.Tensor;

/** 2-D points: [[x, y], ...], or an [n, 2] tensor. */
export type PointsSource = ReadonlyArray<readonly number[]> | tf.Tensor;

/** matplotlib's tab10 colours, the seeds' default cycle and their `cmap='tab10'`. */
export const TAB10: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The i-th colour of the tab10 cycle. Usage: `colorAt(3) // '#d62728'` */
export function colorAt(i: number): string {
  return TAB10[((i % TAB10.length) + TAB10.length) % TAB10.length];
}

/** Reads numbers as a plain array. Usage: `toNumbers(new Float32Array([1, 2]), 'y') // [1, 2]` */
export function toNumbers(values: NumberSource, what = 'values'): number[] {
  if (values instanceof tf.Tensor) {
    if (values.isDisposed) throw new Error(`${what}: the tensor is already disposed; read it before disposing it.`);
    return Array.from(values.dataSync() as ArrayLike<number>);
  }
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) {
    throw new Error(`${what}: expected an array of numbers, a typed array or a tensor, got ${typeof values}.`);
  }
  return Array.from(values as ArrayLike<number>);
}

/** Reads 2-D points as [x[], y[]]. Usage: `toPoints([[0, 1], [2, 3]], 'pts') // [[0, 2], [1, 3]]` */
export function toPoints(points: PointsSource, what = 'points'): [number[], number[]] {
  if (points instanceof tf.Tensor) {
    if (points.rank !== 2 || points.shape[1] !== 2) {
      throw new Error(`${what}: expected an [n, 2] tensor of 2-D points, got shape [${points.shape.join(', ')}]; project to 2 dimensions first.`);
    }
    const flat = toNumbers(points, what);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      xs.push(flat[i]);
      ys.push(flat[i + 1]);
    }
    return [xs, ys];
  }
  const xs: number[] = [];
  const ys: number[] = [];
  points.forEach((p, i) => {
    if (p.length !== 2) throw new Error(`${what}: point ${i} has ${p.length} coordinates; every point must be [x, y].`);
    xs.push(p[0]);
    ys.push(p[1]);
  });
  return [xs, ys];
}

/** Whole-number class labels. Usage: `toLabels([0, 2, 1], 3, 'labels')` */
export function toLabels(labels: NumberSource, classCount: number, what = 'labels'): number[] {
  const out = toNumbers(labels, what);
  out.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0 || l >= classCount) {
      throw new Error(`${what}: label ${l} at index ${i} is not a class index in 0..${classCount - 1}; give one class name per class.`);
    }
  });
  return out;
}

/** 0, 1, ..., n-1. Usage: `integerRange(3) // [0, 1, 2]` */
export function integerRange(n: number, start = 0): number[] {
  return Array.from({ length: n }, (_, i) => i + start);
}
