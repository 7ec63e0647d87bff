/**
 * scikit-learn's train_test_split for a DataFrame: shuffle the rows with a seed, then cut.
 * Sizes follow scikit-learn: a fraction in (0, 1) or a row count; test = ceil(fraction * n),
 * train = floor(fraction * n); given one size only, the other is the rest. The rows keep their
 * original index labels (like pandas), so a row can be traced back to the file.
 * The shuffle uses lib/random's seeded generator: the same seed gives the same split here, but
 * not the same rows as numpy's random_state.
 *
 * Usage:
 *   const { train, test } = trainTestSplit(df, { testSize: 0.2, seed: 42 });
 *   const s = trainTestSplit(df, { trainSize: 17000, testSize: 3000, seed: 42 }); // 640 rows left out
 */
import { DataFrame } from '../data/danfo';
import { makeRng } from '../random';

/** Options of trainTestSplit. */
export interface TrainTestSplitOptions {
  /** Fraction in (0, 1) or a row count (default: the rest, or 0.25 when trainSize is not given either). */
  testSize?: number;
  /** Fraction in (0, 1) or a row count (default: the rest). */
  trainSize?: number;
  /** Seed of the shuffle (default 42). */
  seed?: number;
  /** Shuffle before cutting (default true); false keeps the file order. */
  shuffle?: boolean;
}

/** The two parts and the row positions (0-based, in the input) each took. */
export interface TrainTestSplit {
  train: DataFrame;
  test: DataFrame;
  trainPositions: number[];
  testPositions: number[];
}

function count(size: number, n: number, name: string, round: (x: number) => number): number {
  if (size > 0 && size < 1) return round(size * n);
  if (Number.isInteger(size) && size >= 1 && size <= n) return size;
  throw new Error(`trainTestSplit: ${name} must be a fraction in (0, 1) or a row count from 1 to ${n}, got ${size}.`);
}

/**
 * The row counts scikit-learn would use. Usage: `splitSizes(20640, { testSize: 0.2 }) // { train: 16512, test: 4128 }`
 */
export function splitSizes(n: number, options: Pick<TrainTestSplitOptions, 'testSize' | 'trainSize'>): { train: number; test: number } {
  if (!Number.isInteger(n) || n < 2) throw new Error(`trainTestSplit: need at least 2 rows, got ${n}.`);
  const { testSize, trainSize } = options;
  let test: number;
  let train: number;
  if (testSize === undefined && trainSize === undefined) {
    test = Math.ceil(0.25 * n);
    train = n - test;
  } else if (trainSize === undefined) {
    test = count(testSize as number, n, 'testSize', Math.ceil);
    train = n - test;
  } else if (testSize === undefined) {
    train = count(trainSize, n, 'trainSize', Math.floor);
    test = n - train;
  } else {
    test = count(testSize, n, 'testSize', Math.ceil);
    train = count(trainSize, n, 'trainSize', Math.floor);
  }
  if (train < 1 || test < 1) throw new Error(`trainTestSplit: the split leaves ${train} training and ${test} test rows; both need at least 1.`);
  if (train + test > n) throw new Error(`trainTestSplit: trainSize + testSize = ${train} + ${test} rows but the DataFrame has ${n}; make them smaller.`);
  return { train, test };
}

/** Shuffles and cuts a DataFrame. Usage: see the module comment. */
export function trainTestSplit(df: DataFrame, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const n = df.shape[0];
  const { train, test } = splitSizes(n, options);
  if (options.shuffle === false) {
    // Without shuffling scikit-learn keeps the first rows for training, the next ones for test.
    const first = Array.from({ length: train }, (_, i) => i);
    const rest = Array.from({ length: test }, (_, i) => train + i);
    return { train: df.iloc({ rows: first }), test: df.iloc({ rows: rest }), trainPositions: first, testPositions: rest };
  }
  const order = makeRng(options.seed ?? 42).permutation(n);
  // scikit-learn's ShuffleSplit takes the test rows first, then the training rows.
  const testPositions = Array.from(order.subarray(0, test));
  const trainPositions = Array.from(order.subarray(test, test + train));
  return { train: df.iloc({ rows: trainPositions }), test: df.iloc({ rows: testPositions }), trainPositions, testPositions };
}
