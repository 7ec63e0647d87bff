/**
 * Filling empty cells (scikit-learn's SimpleImputer): learn one value per column on the
 * training split (its median, mean, or a constant), then fill every split with it, so no
 * statistic of the test split leaks into training. California housing's total_bedrooms is
 * empty in 207 rows.
 *
 * Usage:
 *   const imputer = new SimpleImputer({ strategy: 'median' }).fit(trainDf, ['total_bedrooms']);
 *   const trainFilled = imputer.transform(trainDf), testFilled = imputer.transform(testDf);
 *   imputer.statistics.total_bedrooms; // the training median
 */
import { DataFrame } from '../data/danfo';
import { checkColumns, numericColumn, withColumns } from './frame';

/** How to pick the fill value. */
export type ImputeStrategy = 'median' | 'mean' | 'constant';

/** Options of SimpleImputer. */
export interface SimpleImputerOptions {
  /** Default 'median' (robust to the long right tails of the housing counts). */
  strategy?: ImputeStrategy;
  /** The value for strategy 'constant'. */
  fillValue?: number;
}

/** Learns per-column fill values on one DataFrame and fills NaN cells in any DataFrame with the same columns. */
export class SimpleImputer {
  readonly strategy: ImputeStrategy;
  private readonly fillValue: number | undefined;
  private stats: Record<string, number> | undefined;

  /** Usage: `new SimpleImputer({ strategy: 'median' })` */
  constructor(options: SimpleImputerOptions = {}) {
    this.strategy = options.strategy ?? 'median';
    if (!['median', 'mean', 'constant'].includes(this.strategy)) throw new Error(`SimpleImputer: strategy must be 'median', 'mean' or 'constant', got '${this.strategy}'.`);
    this.fillValue = options.fillValue;
    if (this.strategy === 'constant' && !Number.isFinite(this.fillValue)) throw new Error('SimpleImputer: strategy constant needs a finite fillValue, e.g. { strategy: "constant", fillValue: 0 }.');
  }

  /** Learns the fill value of each column (NaN cells ignored). Usage: `imputer.fit(trainDf, ['total_bedrooms'])` */
  fit(df: DataFrame, columns: readonly string[]): this {
    checkColumns(df, columns, 'SimpleImputer.fit');
    const stats: Record<string, number> = {};
    for (const c of columns) {
      const vals = numericColumn(df, c).filter((v) => !Number.isNaN(v));
      if (this.strategy === 'constant') {
        stats[c] = this.fillValue as number;
        continue;
      }
      if (vals.length === 0) throw new Error(`SimpleImputer.fit: column '${c}' has no values to take a ${this.strategy} of; use strategy 'constant'.`);
      if (this.strategy === 'mean') stats[c] = vals.reduce((a, b) => a + b, 0) / vals.length;
      else {
        const s = Float64Array.from(vals).sort();
        const m = s.length >> 1;
        stats[c] = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
      }
    }
    this.stats = stats;
    return this;
  }

  /** The learned fill value per column (a copy). */
  get statistics(): Record<string, number> {
    if (!this.stats) throw new Error('SimpleImputer.statistics: not fitted yet; call fit(trainDf, columns) first.');
    return { ...this.stats };
  }

  /** A copy of df with the NaN cells of the fitted columns filled. Usage: `imputer.transform(testDf)` */
  transform(df: DataFrame): DataFrame {
    if (!this.stats) throw new Error('SimpleImputer.transform: not fitted yet; call fit(trainDf, columns) first.');
    const stats = this.stats;
    const cols = Object.keys(stats);
    checkColumns(df, cols, 'SimpleImputer.transform');
    const replace: Record<string, number[]> = {};
    for (const c of cols) replace[c] = numericColumn(df, c).map((v) => (Number.isNaN(v) ? stats[c] : v));
    return withColumns(df, replace);
  }

  /** fit then transform. Usage: `new SimpleImputer().fitTransform(trainDf, ['total_bedrooms'])` */
  fitTransform(df: DataFrame, columns: readonly string[]): DataFrame {
    return this.fit(df, columns).transform(df);
  }
}
