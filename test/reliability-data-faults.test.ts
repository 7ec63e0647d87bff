// Issue 20, data: a housing CSV that is cut, empty, or holds values no census row has loads
// with an error, not silently; a cached file that is only unreadable is not "damaged" (never
// deleted); a folder where a data file should be is named as such; a trickling download ends.
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDanfo } from '../lib/data/danfo';
import { downloadFile } from '../lib/data/download';
import { HOUSING_COLUMNS, loadHousing } from '../lib/data/housing';
import { findLocalDataset } from '../lib/data/locate';
import { manifestFile } from '../lib/data/manifest';
import { frameToTensor } from '../lib/tabular/frame';
import { LocalServer, makeTemp, rmTemp, sha256, startServer } from './fixtures/data/make';
import { openToAll, runUnprivileged } from './helpers/unprivileged';

const HEADER = HOUSING_COLUMNS.join(',');
const ROW = '-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,452600.0,NEAR BAY';

let tmp: string;
let server: LocalServer | undefined;
beforeAll(() => {
  tmp = makeTemp('tsdl-data-faults-');
});
afterAll(async () => {
  await server?.close();
  rmTemp(tmp);
});

function csv(name: string, rows: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, [HEADER, ...rows].join('\n') + '\n');
  return file;
}

describe('loadHousing({ file }) checks row counts and values', () => {
  it('a file cut at a line boundary (10,000 rows) is refused, with the option to accept a subset', async () => {
    const file = csv('cut.csv', Array.from({ length: 10_000 }, () => ROW));
    await expect(loadHousing({ file })).rejects.toThrow(
      new RegExp(`${file} has 10000 rows but the California housing data has 20640: the file is cut or not the original\\. To fix: .*or pass expectRows: 'any' to load a subset on purpose`),
    );
    const subset = await loadHousing({ file, expectRows: 'any' });
    expect(subset.rowCount).toBe(10_000);
  });

  it('a header-only file (0 rows) is refused even with expectRows any', async () => {
    const file = csv('empty.csv', []);
    await expect(loadHousing({ file, expectRows: 'any' })).rejects.toThrow(new RegExp(`${file}: the file has a header but no data rows`));
  });

  it('an unknown ocean_proximity category names the line and the known ones', async () => {
    const file = csv('category.csv', [ROW, ROW.replace('NEAR BAY', 'NEAR LAKE')]);
    await expect(loadHousing({ file, expectRows: 'any' })).rejects.toThrow(
      new RegExp(`${file}: line 3, column "ocean_proximity" is "NEAR LAKE", not one of <1H OCEAN, INLAND, ISLAND, NEAR BAY, NEAR OCEAN`),
    );
  });

  it('1e400 (Infinity) and negative counts are refused', async () => {
    const inf = csv('inf.csv', [ROW.replace('880.0', '1e400')]);
    await expect(loadHousing({ file: inf, expectRows: 'any' })).rejects.toThrow(
      new RegExp(`${inf}: line 2, column "total_rooms" \\(field 4\\) is "1e400", which is not a finite number`),
    );
    const neg = csv('neg.csv', [ROW.replace('322.0', '-322.0')]);
    await expect(loadHousing({ file: neg, expectRows: 'any' })).rejects.toThrow(new RegExp(`${neg}: line 2, column "population" \\(field 6\\) is -322, but population cannot be negative`));
  });
});

describe('an unreadable cached file is not damaged', () => {
  it('ensureFile reports the permission and keeps the file', () => {
    const dir = path.join(tmp, 'cache-perm');
    fs.mkdirSync(dir, { recursive: true });
    const entry = manifestFile('mnist', 't10k-labels-idx1-ubyte.gz');
    const file = path.join(dir, entry.name);
    fs.writeFileSync(file, Buffer.alloc(entry.size)); // the right size: only its hash could tell
    openToAll(dir);
    fs.chmodSync(file, 0o000);
    const out = runUnprivileged(
      `import { ensureFile } from 'LIB/data/download';\nimport { manifestFile } from 'LIB/data/manifest';`,
      `try { await ensureFile(manifestFile('mnist', 't10k-labels-idx1-ubyte.gz'), ${JSON.stringify(dir)}, { download: true, onProgress: false, mirror: 'http://127.0.0.1:9/' } as never); console.log('ok'); } catch (e) { console.log((e as Error).message); }`,
    );
    expect(out).toMatch(new RegExp(`The cached file ${file} cannot be read \\(EACCES\\): it was left as it is \\(a permission problem, not a damaged file\\)\\. To fix: make it readable \\(chmod a\\+r .*\\) or delete it to download it again`));
    expect(fs.existsSync(file)).toBe(true);
  });

  it('a raw IDX copy in TSDL_DATA_DIR that cannot be read names the permission fix', () => {
    const dir = path.join(tmp, 'env-perm');
    fs.mkdirSync(path.join(dir, 'mnist'), { recursive: true });
    const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
    for (const n of names) fs.writeFileSync(path.join(dir, 'mnist', n), Buffer.alloc(16));
    openToAll(path.join(dir, 'mnist'));
    const raw = path.join(dir, 'mnist', 'train-images-idx3-ubyte');
    fs.chmodSync(raw, 0o000);
    const out = runUnprivileged(
      `import { readIdxFile } from 'LIB/data/idx';`,
      `try { readIdxFile(${JSON.stringify(raw)}); console.log('ok'); } catch (e) { console.log((e as Error).message); }`,
    );
    expect(out).toMatch(new RegExp(`Cannot read ${raw} \\(EACCES: permission denied\\)\\. To fix: make it readable \\(chmod a\\+r ${raw}, and a\\+x on its folders\\)`));
  });
});

describe('a folder where a data file should be', () => {
  it('is named as a folder, not reported missing', async () => {
    const dir = path.join(tmp, 'env-dir');
    const names = ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
    fs.mkdirSync(path.join(dir, names[0]), { recursive: true });
    await expect(findLocalDataset('mnist', names, { dataDir: dir, download: false })).rejects.toThrow(
      new RegExp(`${path.join(dir, names[0])} is a folder, not a file: remove or rename it`),
    );
  });
});

describe('downloads have an overall time limit by default', () => {
  it('a body that trickles is stopped by the default limit (scaled to the expected size)', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      const timer = setInterval(() => res.write(Buffer.alloc(1)), 50); // 20 bytes/s: never idle
      res.on('close', () => clearInterval(timer));
    });
    const dest = path.join(tmp, 'trickle.bin');
    const started = Date.now();
    // The default limit is 10 minutes or more; TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS stands in for it here.
    process.env.TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS = '1500';
    try {
      await expect(downloadFile(`${server.url}/x`, dest, { size: 1000, sha256: sha256(Buffer.alloc(1000)), onProgress: false })).rejects.toThrow(
        /it took longer than 1500 ms \(totalTimeoutMs\)/,
      );
    } finally {
      delete process.env.TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS;
    }
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('trickle'))).toEqual([]);
  });
});

describe('frameToTensor', () => {
  it('refuses Infinity as it refuses NaN', () => {
    const dfd = loadDanfo();
    const df = new dfd.DataFrame({ ratio: [1, Infinity, 3] }, { dtypes: ['float32'] });
    expect(() => frameToTensor(df)).toThrow("frameToTensor: column 'ratio' is Infinity in row 1; a ratio divided by zero? Fix or drop the row first.");
  });
});
