import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDanfo } from '../lib/data/danfo';
import { HOUSING_COLUMNS, loadHousing, parseHousingCsv } from '../lib/data/housing';
import { manifestFile } from '../lib/data/manifest';
import { sharedDataRoot } from '../lib/data/paths';
import { LocalServer, listDir, makeTemp, rmTemp, serveFiles, startServer } from './fixtures/data/make';

const SHARED_CSV = path.join(sharedDataRoot(), 'california-housing', 'housing.csv');
const hasShared = fs.existsSync(SHARED_CSV);
const HEADER = HOUSING_COLUMNS.join(',');
const ROW1 = '-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,452600.0,NEAR BAY';
const ROW2 = '-122.22,37.86,21.0,7099.0,,2401.0,1138.0,8.3014,358500.0,NEAR BAY';

let tmp: string;
let server: LocalServer | undefined;
beforeAll(() => {
  tmp = makeTemp();
});
afterAll(async () => {
  await server?.close();
  rmTemp(tmp);
});

describe('loadDanfo (first in this file, so that danfo is not loaded yet)', () => {
  it("keeps the course's tfjs gradients and kernels when danfo's own tfjs 3.21 loads", () => {
    const before = tf.getGradient('Add');
    const cpuAdd = tf.getKernel('Add', 'cpu');
    const dfd = loadDanfo();
    expect(typeof dfd.DataFrame).toBe('function');
    expect(tf.getGradient('Add')).toBe(before);
    expect(tf.getKernel('Add', 'cpu')).toBe(cpuAdd);
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => v.square().sum())(x);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6]);
    tf.dispose([x, g]);
  });
});

describe('parseHousingCsv', () => {
  it('parses numbers, empty total_bedrooms as NaN, CRLF and quoted fields', () => {
    const t = parseHousingCsv(`${HEADER}\r\n${ROW1}\r\n${ROW2.replace('NEAR BAY', '"NEAR BAY"')}\r\n`, 'mem.csv');
    expect(t.rowCount).toBe(2);
    expect(Array.from(t.columns.median_income)).toEqual([8.3252, 8.3014]);
    expect(t.columns.total_bedrooms[0]).toBe(129);
    expect(Number.isNaN(t.columns.total_bedrooms[1])).toBe(true);
    expect(t.columns.ocean_proximity).toEqual(['NEAR BAY', 'NEAR BAY']); // an unknown category ("NEAR, BAY") is refused: test/reliability-data-faults
  });

  it('a missing column names the file, the line and every missing column', () => {
    const header = HOUSING_COLUMNS.filter((c) => c !== 'median_income' && c !== 'latitude').join(',');
    expect(() => parseHousingCsv(`${header}\n1,2,3,4,5,6,7,8\n`, 'h.csv')).toThrow(
      'h.csv: line 1 (header) lacks columns "latitude", "median_income"; a California housing CSV has the columns longitude, latitude, housing_median_age, total_rooms, total_bedrooms, population, households, median_income, median_house_value, ocean_proximity. To fix: replace the file with the original',
    );
  });

  it('a non-numeric cell names the file, line and column', () => {
    expect(() => parseHousingCsv(`${HEADER}\n${ROW1}\n${ROW2}\n${ROW1.replace('8.3252', '8.3x52')}\n`, 'h.csv')).toThrow(
      'h.csv: line 4, column "median_income" (field 8) is "8.3x52", not a number. To fix:',
    );
    expect(() => parseHousingCsv(`${HEADER}\n${ROW1.replace('880.0', '0x10')}\n`, 'h.csv')).toThrow('h.csv: line 2, column "total_rooms" (field 4) is "0x10", not a number.');
    expect(() => parseHousingCsv(`${HEADER}\n${ROW1.replace('322.0', '')}\n`, 'h.csv')).toThrow(
      'h.csv: line 2, column "population" (field 6) is empty (only total_bedrooms may be empty).',
    );
  });

  it('a row with the wrong number of fields, an empty file and an open quote', () => {
    expect(() => parseHousingCsv(`${HEADER}\n${ROW1},extra\n`, 'h.csv')).toThrow('h.csv: line 2 has 11 fields but the header has 10; the file is damaged.');
    expect(() => parseHousingCsv('', 'h.csv')).toThrow('h.csv: the file is empty or has no header line.');
    expect(() => parseHousingCsv(`${HEADER}\n${ROW1.replace('NEAR BAY', '"NEAR BAY')}\n`, 'h.csv')).toThrow('h.csv: line 2: a quoted field is not closed');
  });
});

describe.runIf(hasShared)('California housing from the shared folder', () => {
  it('has 20,640 rows and 207 NaN in total_bedrooms, as columns and as a DataFrame', async () => {
    const h = await loadHousing({ env: {}, download: false });
    expect(h.source).toBe(`the shared data folder (${path.dirname(SHARED_CSV)})`);
    expect(h.rowCount).toBe(20640);
    expect(h.columnNames).toEqual(HOUSING_COLUMNS);
    expect(h.columns.total_bedrooms.filter(Number.isNaN)).toHaveLength(207);
    expect([h.columns.longitude[0], h.columns.latitude[0], h.columns.median_income[0], h.columns.median_house_value[0]]).toEqual([-122.23, 37.88, 8.3252, 452600]);
    expect(new Set(h.columns.ocean_proximity)).toEqual(new Set(['NEAR BAY', '<1H OCEAN', 'INLAND', 'NEAR OCEAN', 'ISLAND']));
    h.columns.median_income[0] = -1;
    const df = h.df;
    expect(df.shape).toEqual([20640, 10]);
    expect(df.columns).toEqual([...HOUSING_COLUMNS]);
    expect(df.dtypes).toEqual([...new Array(9).fill('float32'), 'string']);
    expect(df.column('total_bedrooms').isNa().sum()).toBe(207);
    expect(df.column('median_income').values[0]).toBe(8.3252);
    const again = await loadHousing({ env: {}, download: false });
    expect(again.columns.median_income[0]).toBe(8.3252);
  });
});

describe('housing lookup and download (temporary folders, a local mirror)', () => {
  it('a copy in $TSDL_DATA_DIR with a wrong sha256 is refused and left alone', async () => {
    const d = path.join(tmp, 'env', 'california-housing');
    fs.mkdirSync(d, { recursive: true });
    const f = path.join(d, 'housing.csv');
    fs.writeFileSync(f, `${HEADER}\n${ROW1}\n`);
    await expect(loadHousing({ env: { TSDL_DATA_DIR: path.join(tmp, 'env') } })).rejects.toThrow(
      `${f} does not match data/manifest.json: it has ${HEADER.length + ROW1.length + 2} bytes but should have 1423529. It is in $TSDL_DATA_DIR (${d}), which the course never modifies.`,
    );
    expect(fs.readFileSync(f, 'utf8')).toBe(`${HEADER}\n${ROW1}\n`);
    // The file option reads a CSV as given (parser checks only; a subset needs expectRows: 'any').
    const own = await loadHousing({ file: f, expectRows: 'any' });
    expect([own.rowCount, own.columns.households[0]]).toEqual([1, 126]);
  });

  it.runIf(hasShared)('downloads with a sha256 check; a wrong file leaves nothing', async () => {
    const good = fs.readFileSync(SHARED_CSV);
    const bad = Buffer.from(good);
    bad[1000] = bad[1000] === 0x31 ? 0x32 : 0x31;
    server = await startServer(serveFiles({ '/good/housing.csv': good, '/bad/housing.csv': bad }));
    const cache = path.join(tmp, 'cache');
    const opts = { env: {}, skipShared: true, cacheDir: cache, onProgress: false as const };
    await expect(loadHousing({ ...opts, mirror: `${server.url}/bad` })).rejects.toThrow(
      `Cannot use the download of ${server.url}/bad/housing.csv: its sha256 is`,
    );
    expect(listDir(cache)).toEqual([]);
    const h = await loadHousing({ ...opts, mirror: `${server.url}/good` });
    expect(h.source).toBe(`downloaded into the download cache (${cache}) from ${server.url}/good`);
    expect([h.rowCount, h.columns.total_bedrooms.filter(Number.isNaN).length]).toEqual([20640, 207]);
    expect(listDir(cache)).toEqual(['housing.csv']);
    expect(manifestFile('california-housing', 'housing.csv').size).toBe(good.length);
  });
});
