/**
 * One-hot encoding of a text column (pandas `get_dummies`): the column is replaced by one 0/1
 * column per category, named `${prefix}${category}`. Categories are learned from the data given
 * (or passed in), so train and test get the same columns.
 *
 * Usage:
 *   const { df, columns, categories } = oneHotEncode(housing.df, 'ocean_proximity');
 *   columns; // ['ocean_proximity_<1H OCEAN', 'ocean_proximity_INLAND', ...]
 */
import { DataFrame, loadDanfo } from '../data/danfo';
import { checkColumns } from './frame';

/** Options of oneHotEncode. */
export interface OneHotOptions {
  /** The categories, in column order (default: the values present, sorted). A value not listed throws. */
  categories?: readonly string[];
  /** Prefix of the new columns (default `${column}_`). */
  prefix?: string;
}

/** What oneHotEncode returns. */
export interface OneHotResult {
  /** The DataFrame with the text column replaced by the 0/1 columns (same place, same index). */
  df: DataFrame;
  /** The new column names. */
  columns: string[];
  /** The categories, in column order. */
  categories: string[];
}

/** Replaces a text column by one 0/1 column per category. Usage: see the module comment. */
export function oneHotEncode(df: DataFrame, column: string, options: OneHotOptions = {}): OneHotResult {
  checkColumns(df, [column], 'oneHotEncode');
  const values = (df.column(column).values as unknown[]).map(String);
  const categories = options.categories ? [...options.categories] : [...new Set(values)].sort();
  const pos = new Map(categories.map((c, i) => [c, i]));
  values.forEach((v, i) => {
    if (!pos.has(v)) throw new Error(`oneHotEncode: row ${i} of '${column}' is '${v}', not one of the categories [${categories.join(', ')}]; pass categories learned on the training split that include it.`);
  });
  const prefix = options.prefix ?? `${column}_`;
  const newCols = categories.map((c) => `${prefix}${c}`);
  const names: string[] = [];
  const dtypes: string[] = [];
  const data: Record<string, unknown[]> = {};
  for (const c of df.columns) {
    if (c === column) {
      categories.forEach((cat, k) => {
        data[newCols[k]] = values.map((v) => (v === cat ? 1 : 0));
        names.push(newCols[k]);
        dtypes.push('float32');
      });
    } else {
      data[c] = df.column(c).values as unknown[];
      names.push(c);
      dtypes.push(df.column(c).dtype);
    }
  }
  const dfd = loadDanfo();
  return { df: new dfd.DataFrame(data, { columns: names, dtypes, index: [...df.index] }), columns: newCols, categories };
}
