import { describe, expect, it } from 'vitest';
import { loadDanfo } from '../lib/data/danfo';
import { loadHousing } from '../lib/data/housing';
import { MinMaxScaler, StandardScaler } from '../lib/unsupervised/scalers';
import { frameToRows, numericColumn } from '../lib/tabular/frame';
import { missingCounts } from '../lib/tabular/describe';
import { SimpleImputer } from '../lib/tabular/impute';
import { splitSizes, trainTestSplit } from '../lib/tabular/split';
import { scaleFrame } from '../lib/tabular/scale';

const dfd = loadDanfo();
const numbered = (n: number) => new dfd.DataFrame({ id: Array.from({ length: n }, (_, i) => i), v: Array.from({ length: n }, (_, i) => i * 10) }, { dtypes: ['float32', 'float32'] });

describe('trainTestSplit', () => {
  it('computes sizes like scikit-learn', () => {
    expect(splitSizes(20640, { testSize: 0.2 })).toEqual({ train: 16512, test: 4128 });
    expect(splitSizes(10, { testSize: 0.25 })).toEqual({ train: 7, test: 3 }); // ceil(2.5)
    expect(splitSizes(10, { trainSize: 0.75 })).toEqual({ train: 7, test: 3 }); // floor(7.5)
    expect(splitSizes(10, {})).toEqual({ train: 7, test: 3 });
    expect(splitSizes(20640, { trainSize: 17000, testSize: 3000 })).toEqual({ train: 17000, test: 3000 });
    expect(() => splitSizes(10, { trainSize: 8, testSize: 3 })).toThrow(/8 \+ 3 rows but the DataFrame has 10/);
    expect(() => splitSizes(10, { testSize: 1.5 })).toThrow(/testSize must be a fraction in \(0, 1\) or a row count from 1 to 10, got 1.5/);
  });

  it('shuffles with a seed, keeps index labels and disjoint rows', () => {
    const df = numbered(50);
    const a = trainTestSplit(df, { testSize: 0.2, seed: 7 });
    const b = trainTestSplit(df, { testSize: 0.2, seed: 7 });
    const c = trainTestSplit(df, { testSize: 0.2, seed: 8 });
    expect(a.train.shape).toEqual([40, 2]);
    expect(a.test.shape).toEqual([10, 2]);
    expect(a.testPositions).toEqual(b.testPositions);
    expect(a.testPositions).not.toEqual(c.testPositions);
    const all = [...a.trainPositions, ...a.testPositions].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    // The index labels follow the rows, and the values match the positions taken.
    expect(a.test.index).toEqual(a.testPositions);
    expect(numericColumn(a.test, 'v')).toEqual(a.testPositions.map((p) => p * 10));
    const plain = trainTestSplit(df, { testSize: 5, shuffle: false });
    expect(plain.trainPositions).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(plain.test.index).toEqual([45, 46, 47, 48, 49]);
  });
});

describe('SimpleImputer and scaleFrame', () => {
  it('fills with the training median only and scales with training min/max', () => {
    const train = new dfd.DataFrame({ a: [1, NaN, 3, 10], b: [0, 5, 10, 20] }, { dtypes: ['float32', 'float32'] });
    const test = new dfd.DataFrame({ a: [NaN, 20], b: [5, 40] }, { dtypes: ['float32', 'float32'] });
    const imputer = new SimpleImputer({ strategy: 'median' }).fit(train, ['a']);
    expect(imputer.statistics).toEqual({ a: 3 });
    const trainF = imputer.transform(train);
    const testF = imputer.transform(test);
    expect(numericColumn(trainF, 'a')).toEqual([1, 3, 3, 10]);
    expect(numericColumn(testF, 'a')).toEqual([3, 20]);
    expect(numericColumn(train, 'a')[1]).toBeNaN(); // the input is not changed
    expect(new SimpleImputer({ strategy: 'mean' }).fit(train, ['a']).statistics.a).toBeCloseTo(14 / 3, 10);
    expect(new SimpleImputer({ strategy: 'constant', fillValue: -1 }).fitTransform(train, ['a']).column('a').values).toEqual([1, -1, 3, 10]);
    expect(() => new SimpleImputer({ strategy: 'constant' })).toThrow(/needs a finite fillValue/);
    expect(() => new SimpleImputer().transform(train)).toThrow(/not fitted yet; call fit/);
    expect(() => scaleFrame(new MinMaxScaler(), train, { fit: true })).toThrow(/column 'a' is empty \(NaN\) in row 1; impute/);

    const scaler = new MinMaxScaler();
    const trainS = scaleFrame(scaler, trainF, { fit: true });
    const testS = scaleFrame(scaler, testF);
    expect(trainS.columns).toEqual(['a', 'b']);
    expect(frameToRows(trainS)).toEqual([[0, 0], [2 / 9, 0.25], [2 / 9, 0.5], [1, 1]].map((r) => r.map((v) => expect.closeTo(v, 6))));
    expect(frameToRows(testS)[1]).toEqual([expect.closeTo(19 / 9, 5), expect.closeTo(2, 6)]); // beyond the training range, like sklearn
    const back = scaleFrame(scaler, testS, { inverse: true });
    expect(frameToRows(back)[1]).toEqual([expect.closeTo(20, 4), expect.closeTo(40, 4)]);
    const std = scaleFrame(new StandardScaler(), trainF, { fit: true, columns: ['b'] });
    const b = numericColumn(std, 'b');
    expect(b.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 5);
  });

  it('runs the notebook-11 pipeline on California housing', async () => {
    const h = await loadHousing({ env: {}, download: false });
    const x = h.df.drop({ columns: ['median_house_value', 'ocean_proximity'] });
    const { train, test } = trainTestSplit(x, { trainSize: 17000, testSize: 3000, seed: 42 });
    const missing = missingCounts(train).total_bedrooms + missingCounts(test).total_bedrooms;
    expect(missing).toBeLessThanOrEqual(207);
    expect(missing).toBeGreaterThan(150); // 20,000 of 20,640 rows keep most of the 207
    const imputer = new SimpleImputer().fit(train, ['total_bedrooms']);
    expect(imputer.statistics.total_bedrooms).toBeGreaterThan(420);
    expect(imputer.statistics.total_bedrooms).toBeLessThan(450);
    const scaler = new MinMaxScaler();
    const trainS = scaleFrame(scaler, imputer.transform(train), { fit: true });
    const rows = frameToRows(trainS);
    for (let j = 0; j < 8; j++) {
      const col = rows.map((r) => r[j]);
      expect(Math.min(...col)).toBeCloseTo(0, 6);
      expect(Math.max(...col)).toBeCloseTo(1, 6);
    }
    expect(trainS.index).toEqual(train.index);
  });
});
