/**
 * pandas-style summaries of a DataFrame: `describeFrame` (count, mean, std, min, quartiles,
 * max of each numeric column, skipping empty cells like pandas), `missingCounts` (pandas
 * `isna().sum()`) and `valueCounts` (pandas `value_counts()` of a text column).
 *
 * Usage:
 *   showDataFrame(describeFrame(housing.df));            // total_bedrooms count 20433
 *   missingCounts(housing.df).total_bedrooms;            // 207
 *   valueCounts(housing.df, 'ocean_proximity')[0];       // { value: '<1H OCEAN', count: 9136 }
 */
import { DataFrame, loadDanfo } from '../data/danfo';
import { checkColumns } from './frame';

/** The rows of describeFrame, in pandas's order. */
export const DESCRIBE_ROWS: readonly string[] = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'];

/** Linear-interpolation quantile of sorted values (pandas's and numpy's default). */
function sortedQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** The names of the columns whose cells are all numbers (NaN counts as a number). Usage: `numericColumns(df)` */
export function numericColumns(df: DataFrame): string[] {
  return df.columns.filter((c) => (df.column(c).values as unknown[]).every((v) => typeof v === 'number'));
}

/**
 * Count, mean, std (n - 1, like pandas), min, 25 %, 50 %, 75 % and max of each numeric column
 * (default: every numeric column), ignoring NaN cells. Returns a DataFrame indexed by statistic.
 *
 * Usage: `describeFrame(df).print()`
 */
export function describeFrame(df: DataFrame, columns: readonly string[] = numericColumns(df)): DataFrame {
  checkColumns(df, columns, 'describeFrame');
  if (columns.length === 0) throw new Error('describeFrame: no numeric columns to describe; pass the column names or convert text columns first.');
  const data: Record<string, number[]> = {};
  for (const c of columns) {
    const raw = df.column(c).values as unknown[];
    if (!raw.every((v) => typeof v === 'number')) throw new Error(`describeFrame: column '${c}' is not numeric; leave it out or encode it first.`);
    const vals = Float64Array.from((raw as number[]).filter((v) => !Number.isNaN(v))).sort();
    const n = vals.length;
    let sum = 0;
    for (const v of vals) sum += v;
    const mean = n > 0 ? sum / n : NaN;
    let ss = 0;
    for (const v of vals) ss += (v - mean) * (v - mean);
    const std = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
    data[c] = [n, mean, std, n > 0 ? vals[0] : NaN, sortedQuantile(vals, 0.25), sortedQuantile(vals, 0.5), sortedQuantile(vals, 0.75), n > 0 ? vals[n - 1] : NaN];
  }
  const dfd = loadDanfo();
  return new dfd.DataFrame(data, { columns: [...columns], index: [...DESCRIBE_ROWS], dtypes: columns.map(() => 'float32') });
}

/** Empty (NaN, null or undefined) cells per column. Usage: `missingCounts(df) // { total_bedrooms: 207, ... }` */
export function missingCounts(df: DataFrame): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of df.columns) {
    out[c] = (df.column(c).values as unknown[]).reduce<number>((s, v) => s + (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? 1 : 0), 0);
  }
  return out;
}

/** One value of a column and how often it occurs. */
export interface ValueCount {
  value: string;
  count: number;
}

/** How often each value occurs in a column, most frequent first (ties: alphabetical). Usage: `valueCounts(df, 'ocean_proximity')` */
export function valueCounts(df: DataFrame, column: string): ValueCount[] {
  checkColumns(df, [column], 'valueCounts');
  const counts = new Map<string, number>();
  for (const v of df.column(column).values as unknown[]) {
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
