/**
 * Moving between danfo DataFrames and the numbers a model eats: numeric columns as rows
 * (number[][]) or a tf.Tensor2D, and back to a DataFrame with named columns (seed 000's
 * `pd.DataFrame(encoder.predict(x)).add_prefix('feature_')`).
 *
 * Usage:
 *   const x = frameToTensor(trainDf);                          // [rows, columns] float32
 *   const feats = tensorToFrame(codes, { prefix: 'feature_' }); // feature_0 .. feature_6
 */
import * as tf from '@tensorflow/tfjs';
import { DataFrame, loadDanfo } from '../data/danfo';

/** The values of one column as numbers; throws when a cell is not a number. Usage: `numericColumn(df, 'total_rooms')` */
export function numericColumn(df: DataFrame, column: string): number[] {
  checkColumns(df, [column], 'numericColumn');
  const values = df.column(column).values as unknown[];
  return values.map((v, i) => {
    if (typeof v !== 'number') throw new Error(`numericColumn: column '${column}' row ${i} holds ${JSON.stringify(v)}, not a number; encode or drop text columns first.`);
    return v;
  });
}

/** Throws an Error naming the columns `df` lacks. Usage: `checkColumns(df, ['a', 'b'], 'myFunction')` */
export function checkColumns(df: DataFrame, columns: readonly string[], where: string): void {
  const have = new Set(df.columns);
  const missing = columns.filter((c) => !have.has(c));
  if (missing.length > 0) throw new Error(`${where}: the DataFrame has no column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `'${c}'`).join(', ')}; its columns are ${df.columns.join(', ')}.`);
}

/**
 * The chosen numeric columns (default: all) as rows of numbers.
 * Usage: `const rows = frameToRows(df, ['longitude', 'latitude']); rows[0] // [-122.23, 37.88]`
 */
export function frameToRows(df: DataFrame, columns: readonly string[] = df.columns): number[][] {
  const cols = columns.map((c) => numericColumn(df, c));
  const n = df.shape[0];
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = cols.map((col) => col[i]);
  return rows;
}

/**
 * The chosen numeric columns (default: all) as a float32 tensor [rows, columns]; throws on NaN
 * (impute first). Usage: `const x = frameToTensor(xTrainScaled);`
 */
export function frameToTensor(df: DataFrame, columns: readonly string[] = df.columns): tf.Tensor2D {
  const n = df.shape[0];
  const data = new Float32Array(n * columns.length);
  columns.forEach((c, j) => {
    const col = numericColumn(df, c);
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(col[i])) throw new Error(`frameToTensor: column '${c}' is empty (NaN) in row ${i}; impute or drop the missing values first.`);
      if (!Number.isFinite(col[i])) throw new Error(`frameToTensor: column '${c}' is ${col[i]} in row ${i}; a ratio divided by zero? Fix or drop the row first.`);
      data[i * columns.length + j] = col[i];
    }
  });
  return tf.tensor2d(data, [n, columns.length]);
}

/** Options of rowsToFrame and tensorToFrame. */
export interface ToFrameOptions {
  /** Column names; default `${prefix}${j}`. */
  columns?: readonly string[];
  /** Prefix of generated names (default 'feature_', like pandas add_prefix on 0..k-1). */
  prefix?: string;
  /** Row labels (default 0..n-1). */
  index?: ReadonlyArray<string | number>;
}

/**
 * Rows of numbers as a DataFrame (float32 columns).
 * Usage: `rowsToFrame([[1, 2]], { columns: ['a', 'b'] })`
 */
export function rowsToFrame(rows: ReadonlyArray<ArrayLike<number>>, options: ToFrameOptions = {}): DataFrame {
  const k = rows.length > 0 ? rows[0].length : (options.columns?.length ?? 0);
  const names = options.columns ? [...options.columns] : Array.from({ length: k }, (_, j) => `${options.prefix ?? 'feature_'}${j}`);
  if (names.length !== k) throw new Error(`rowsToFrame: ${names.length} column names for ${k} values per row; give one name per column.`);
  if (options.index && options.index.length !== rows.length) throw new Error(`rowsToFrame: ${options.index.length} index labels for ${rows.length} rows.`);
  const data: Record<string, number[]> = {};
  names.forEach((c, j) => {
    data[c] = rows.map((r, i) => {
      if (r.length !== k) throw new Error(`rowsToFrame: row ${i} has ${r.length} values but row 0 has ${k}.`);
      return r[j];
    });
  });
  const dfd = loadDanfo();
  return new dfd.DataFrame(data, { columns: names, dtypes: names.map(() => 'float32'), ...(options.index ? { index: [...options.index] } : {}) });
}

/**
 * A [rows, k] tensor as a DataFrame with columns feature_0..feature_{k-1} (or the given names).
 * Usage: `showDataFrame(tensorToFrame(encoder.predict(x) as tf.Tensor2D))`
 */
export function tensorToFrame(t: tf.Tensor, options: ToFrameOptions = {}): DataFrame {
  if (t.rank !== 2) throw new Error(`tensorToFrame: expects a 2-D tensor [rows, columns], got shape [${t.shape.join(', ')}].`);
  const [n, k] = t.shape as [number, number];
  const flat = t.dataSync();
  const rows: Float32Array[] = [];
  for (let i = 0; i < n; i++) rows.push(flat.slice(i * k, (i + 1) * k) as Float32Array);
  return rowsToFrame(rows, { ...options, columns: options.columns ?? Array.from({ length: k }, (_, j) => `${options.prefix ?? 'feature_'}${j}`) });
}

/**
 * A DataFrame whose chosen columns are replaced by new values (other columns and the index kept).
 * Usage: `withColumns(df, { total_bedrooms: filled })`
 */
export function withColumns(df: DataFrame, replace: Readonly<Record<string, ArrayLike<number> | readonly string[]>>): DataFrame {
  const n = df.shape[0];
  const data: Record<string, unknown[]> = {};
  const names = [...df.columns];
  for (const c of Object.keys(replace)) if (!names.includes(c)) names.push(c);
  const dtypes: string[] = [];
  for (const c of names) {
    const r = replace[c];
    if (r !== undefined) {
      if (r.length !== n) throw new Error(`withColumns: column '${c}' has ${r.length} values but the DataFrame has ${n} rows.`);
      const arr = Array.from(r as ArrayLike<number | string>);
      data[c] = arr;
      dtypes.push(arr.length > 0 && typeof arr[0] === 'string' ? 'string' : 'float32');
    } else {
      data[c] = df.column(c).values as unknown[];
      dtypes.push(df.column(c).dtype);
    }
  }
  const dfd = loadDanfo();
  return new dfd.DataFrame(data, { columns: names, dtypes, index: [...df.index] });
}
