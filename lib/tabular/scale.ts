/**
 * Scaling DataFrame columns with the lib/unsupervised scalers (fit on the training split only),
 * keeping column names and index: seed 000's
 * `pd.DataFrame(scaler.fit_transform(x_train), columns=x_train.columns)`.
 *
 * Usage:
 *   const scaler = new MinMaxScaler();
 *   const trainScaled = scaleFrame(scaler, xTrain, { fit: true });
 *   const testScaled = scaleFrame(scaler, xTest);
 */
import { DataFrame } from '../data/danfo';
import { checkColumns, frameToRows, rowsToFrame } from './frame';

/** What scaleFrame needs of a scaler (MinMaxScaler and StandardScaler fit it). */
export interface RowScaler {
  fit(x: number[][]): unknown;
  transform(x: number[][]): number[][];
  inverseTransform(x: number[][]): number[][];
}

/** Options of scaleFrame. */
export interface ScaleFrameOptions {
  /** Fit the scaler on this DataFrame first (default false: it must be fitted already). */
  fit?: boolean;
  /** Undo the scaling instead (inverseTransform). */
  inverse?: boolean;
  /** Columns to scale, all numeric (default: all). Others are dropped from the result. */
  columns?: readonly string[];
}

/** Scales (or unscales) the columns of df; the result has the same column names and index. Usage: see the module comment. */
export function scaleFrame(scaler: RowScaler, df: DataFrame, options: ScaleFrameOptions = {}): DataFrame {
  const columns = options.columns ?? df.columns;
  checkColumns(df, columns, 'scaleFrame');
  const rows = frameToRows(df, columns);
  rows.forEach((r, i) => {
    const j = r.findIndex((v) => Number.isNaN(v));
    if (j >= 0) throw new Error(`scaleFrame: column '${columns[j]}' is empty (NaN) in row ${i}; impute the missing values before scaling.`);
  });
  if (options.fit) scaler.fit(rows);
  const out = options.inverse ? scaler.inverseTransform(rows) : scaler.transform(rows);
  return rowsToFrame(out, { columns, index: [...df.index] });
}
