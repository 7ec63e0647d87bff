import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadDanfo } from '../lib/data/danfo';
import { loadHousing } from '../lib/data/housing';
import { frameToRows, frameToTensor, rowsToFrame, tensorToFrame, withColumns, numericColumn } from '../lib/tabular/frame';
import { describeFrame, missingCounts, valueCounts, numericColumns, DESCRIBE_ROWS } from '../lib/tabular/describe';
import { oneHotEncode } from '../lib/tabular/encode';
import { dataFrameHtml, dataFrameText, formatCell } from '../lib/tabular/html';

const dfd = loadDanfo();
const small = () => new dfd.DataFrame({ a: [1, NaN, 3, 10], b: ['x', 'y', 'x', 'z'], c: [0.5, 0.25, 0.125, 1] }, { dtypes: ['float32', 'string', 'float32'] });

describe('frame conversions', () => {
  it('reads numeric columns as rows and tensors, and writes them back with names', () => {
    const df = small();
    expect(frameToRows(df, ['a', 'c'])).toEqual([[1, 0.5], [NaN, 0.25], [3, 0.125], [10, 1]]);
    expect(() => frameToTensor(df, ['a'])).toThrow(/column 'a' is empty \(NaN\) in row 1; impute/);
    expect(() => numericColumn(df, 'b')).toThrow(/column 'b' row 0 holds "x", not a number/);
    expect(() => frameToRows(df, ['nope'])).toThrow(/no column 'nope'; its columns are a, b, c/);
    const before = tf.memory().numTensors;
    const t = frameToTensor(df, ['c']);
    expect(t.shape).toEqual([4, 1]);
    expect(Array.from(t.dataSync())).toEqual([0.5, 0.25, 0.125, 1]);
    const back = tensorToFrame(tf.tensor2d([[1, 2, 3], [4, 5, 6]]));
    expect(back.columns).toEqual(['feature_0', 'feature_1', 'feature_2']);
    expect(back.values).toEqual([[1, 2, 3], [4, 5, 6]]);
    tf.dispose(t);
    expect(tf.memory().numTensors).toBe(before + 1); // the literal tensor2d above, not disposed by tensorToFrame
  });

  it('rowsToFrame checks shapes and keeps an index; withColumns replaces and appends', () => {
    const f = rowsToFrame([[1, 2], [3, 4]], { columns: ['p', 'q'], index: [10, 20] });
    expect(f.index).toEqual([10, 20]);
    expect(() => rowsToFrame([[1, 2], [3]], { columns: ['p', 'q'] })).toThrow(/row 1 has 1 values but row 0 has 2/);
    expect(() => rowsToFrame([[1, 2]], { columns: ['p'] })).toThrow(/1 column names for 2 values per row/);
    const g = withColumns(f, { q: [7, 8], r: [0, 1] });
    expect(g.columns).toEqual(['p', 'q', 'r']);
    expect(g.values).toEqual([[1, 7, 0], [3, 8, 1]]);
    expect(g.index).toEqual([10, 20]);
    expect(() => withColumns(f, { q: [1] })).toThrow(/column 'q' has 1 values but the DataFrame has 2 rows/);
  });
});

describe('describe, missing values, value counts', () => {
  it('describes like pandas, skipping NaN cells', () => {
    const d = describeFrame(small());
    expect(d.index).toEqual([...DESCRIBE_ROWS]);
    expect(d.columns).toEqual(['a', 'c']);
    const a = d.column('a').values as number[];
    // a = [1, 3, 10]: count 3, mean 14/3, std (n-1) sqrt(((1-14/3)^2 + (3-14/3)^2 + (10-14/3)^2) / 2), quartiles by interpolation.
    expect(a[0]).toBe(3);
    expect(a[1]).toBeCloseTo(14 / 3, 10);
    expect(a[2]).toBeCloseTo(Math.sqrt((Math.pow(1 - 14 / 3, 2) + Math.pow(3 - 14 / 3, 2) + Math.pow(10 - 14 / 3, 2)) / 2), 10);
    expect(a.slice(3)).toEqual([1, 2, 3, 6.5, 10]);
    expect(missingCounts(small())).toEqual({ a: 1, b: 0, c: 0 });
    expect(valueCounts(small(), 'b')).toEqual([{ value: 'x', count: 2 }, { value: 'y', count: 1 }, { value: 'z', count: 1 }]);
    expect(numericColumns(small())).toEqual(['a', 'c']);
    expect(() => describeFrame(small(), ['b'])).toThrow(/column 'b' is not numeric/);
  });

  it('matches pandas on California housing (describe, 207 empty total_bedrooms, ocean_proximity counts)', async () => {
    const h = await loadHousing({ env: {}, download: false });
    const df = h.df;
    expect(missingCounts(df).total_bedrooms).toBe(207);
    const d = describeFrame(df);
    const col = (c: string) => d.column(c).values as number[];
    // pandas: housing.describe() of the handson-ml2 CSV.
    expect(col('total_bedrooms')[0]).toBe(20433);
    expect(col('total_bedrooms')[1]).toBeCloseTo(537.870553, 5);
    expect(col('total_bedrooms')[5]).toBe(435);
    expect(col('median_income')[1]).toBeCloseTo(3.870671, 6);
    expect(col('median_income')[2]).toBeCloseTo(1.899822, 6);
    expect(col('housing_median_age')[4]).toBe(18);
    expect(col('median_house_value')[7]).toBe(500001);
    expect(valueCounts(df, 'ocean_proximity')).toEqual([
      { value: '<1H OCEAN', count: 9136 },
      { value: 'INLAND', count: 6551 },
      { value: 'NEAR OCEAN', count: 2658 },
      { value: 'NEAR BAY', count: 2290 },
      { value: 'ISLAND', count: 5 },
    ]);
  });
});

describe('oneHotEncode', () => {
  it('replaces the text column in place with sorted 0/1 columns', () => {
    const { df, columns, categories } = oneHotEncode(small(), 'b');
    expect(categories).toEqual(['x', 'y', 'z']);
    expect(columns).toEqual(['b_x', 'b_y', 'b_z']);
    expect(df.columns).toEqual(['a', 'b_x', 'b_y', 'b_z', 'c']);
    expect(frameToRows(df, columns)).toEqual([[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]]);
    const fixed = oneHotEncode(small(), 'b', { categories: ['z', 'y', 'x', 'w'], prefix: 'B=' });
    expect(fixed.columns).toEqual(['B=z', 'B=y', 'B=x', 'B=w']);
    expect(frameToRows(fixed.df, fixed.columns)[3]).toEqual([1, 0, 0, 0]);
    expect(() => oneHotEncode(small(), 'b', { categories: ['x', 'y'] })).toThrow(/row 3 of 'b' is 'z', not one of the categories \[x, y\]/);
  });
});

describe('HTML and text display', () => {
  it('formats cells like pandas and truncates long frames', () => {
    expect(formatCell(0.123456789)).toBe('0.123457');
    expect(formatCell(8.3252)).toBe('8.3252');
    expect(formatCell(NaN)).toBe('NaN');
    expect(formatCell(452600)).toBe('452600');
    expect(formatCell(0.00001234)).toBe('1.23400e-5');
    const long = rowsToFrame(Array.from({ length: 30 }, (_, i) => [i, i / 3]), { columns: ['i', 'third'] });
    const html = dataFrameHtml(long, { maxRows: 6, caption: 'a <b> caption' });
    expect((html.match(/<tr>/g) ?? []).length).toBe(1 + 6 + 1); // header, 6 rows, the … row
    expect(html).toContain('<th style="text-align:right;padding:2px 8px">29</th>');
    expect(html).toContain('30 rows × 2 columns');
    expect(html).toContain('a &lt;b&gt; caption');
    expect(html).not.toContain('>14<');
    const text = dataFrameText(long, { maxRows: 4 });
    expect(text.split('\n')).toHaveLength(1 + 4 + 1 + 1);
    expect(text).toContain('9.66667');
    expect(() => dataFrameHtml(long, { maxRows: 1 })).toThrow(/maxRows must be an integer >= 2/);
    const short = dataFrameHtml(rowsToFrame([[1]], { columns: ['x'] }));
    expect(short).not.toContain('rows ×');
  });
});
