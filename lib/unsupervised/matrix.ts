/**
 * Small conversions shared by PCA, LDA and the scalers: a feature matrix may arrive as
 * `number[][]` (rows of features, e.g. a DataFrame's values) or as a `tf.Tensor2D`.
 *
 * Usage: `const { data, rows, cols } = toDense(x, 'PCA.fit');`
 */
import * as tf from '@tensorflow/tfjs';

/** A feature matrix: rows are samples, columns are features. */
export type FeatureMatrix = number[][] | tf.Tensor2D;

/** A row-major matrix in one flat array. */
export interface DenseMatrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Copies a feature matrix into a flat row-major Float32Array, checking its shape.
 *
 * Usage: `const m = toDense([[1, 2], [3, 4]], 'StandardScaler.fit'); m.cols // 2`
 */
export function toDense(x: FeatureMatrix, where: string): DenseMatrix {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new Error(`${where}: expected a 2-D tensor [samples, features], got shape [${x.shape.join(', ')}]; reshape it first (e.g. x.reshape([n, -1])).`);
    const [rows, cols] = x.shape;
    const data = Float32Array.from(x.dataSync());
    // The same check as for arrays: NaN would give NaN statistics (and stall an eigen-solver).
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${where}: value at row ${Math.floor(bad / cols)}, column ${bad % cols} is ${data[bad]}; fill or drop missing values first.`);
    return { data, rows, cols };
  }
  if (!Array.isArray(x) || x.length === 0) throw new Error(`${where}: expected a non-empty array of rows (number[][]) or a 2-D tensor.`);
  const rows = x.length;
  const cols = x[0].length;
  if (cols === 0) throw new Error(`${where}: rows have no features; give at least one column.`);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const r = x[i];
    if (r.length !== cols) throw new Error(`${where}: row ${i} has ${r.length} values but row 0 has ${cols}; all rows need the same number of features.`);
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (!Number.isFinite(v)) throw new Error(`${where}: value at row ${i}, column ${j} is ${v}; fill or drop missing values first.`);
      data[i * cols + j] = v;
    }
  }
  return { data, rows, cols };
}

/** Rows of a flat matrix as number[][]. Usage: `toRows(m.data, m.rows, m.cols)` */
export function toRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = new Array<number>(cols);
    for (let j = 0; j < cols; j++) r[j] = data[i * cols + j];
    out[i] = r;
  }
  return out;
}

/** Throws unless `cols` equals the number of features a model was fitted on. Usage: `checkCols(m.cols, 784, 'PCA.transform')` */
export function checkCols(cols: number, expected: number, where: string): void {
  if (cols !== expected) throw new Error(`${where}: input has ${cols} features but the model was fitted on ${expected}; pass data with the same columns as at fit time.`);
}

/** Per-column mean and (population, ddof 0, or sample, ddof 1) standard deviation of a flat matrix. Usage: `const { mean, std } = columnStats(m)` */
export function columnStats(m: DenseMatrix, ddof = 0): { mean: Float64Array; std: Float64Array } {
  const { data, rows, cols } = m;
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const d = data[i * cols + j] - mean[j];
      sq[j] += d * d;
    }
  }
  const std = new Float64Array(cols);
  const denom = Math.max(rows - ddof, 1);
  for (let j = 0; j < cols; j++) std[j] = Math.sqrt(sq[j] / denom);
  return { mean, std };
}
