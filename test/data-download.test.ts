import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadProgress, consoleProgress, downloadFile, ensureFile, removeStaleTemps } from '../lib/data/download';
import { sha256File, verifyFile } from '../lib/data/verify';
import { LocalServer, listDir, makeTemp, rmTemp, serveFiles, sha256, startServer } from './fixtures/data/make';

// 300 KB of deterministic bytes, the "data set file" of these tests.
const BODY = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 8)) % 251));
const SHA = sha256(BODY);
const entry = (url: string) => ({ name: 'data.bin', url, size: BODY.length, sha256: SHA });

let dir: string;
let server: LocalServer | undefined;
beforeEach(() => {
  dir = makeTemp();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmTemp(dir);
});

describe('downloadFile', () => {
  it('downloads, verifies and reports progress up to done', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY }));
    const reports: DownloadProgress[] = [];
    const dest = path.join(dir, 'data.bin');
    const r = await downloadFile(`${server.url}/data.bin`, dest, { size: BODY.length, sha256: SHA, onProgress: (p) => reports.push({ ...p }) });
    expect(r).toEqual({ path: dest, bytes: 300_000, sha256: SHA, url: `${server.url}/data.bin` });
    expect(await sha256File(dest)).toBe(SHA);
    expect(listDir(dir)).toEqual(['data.bin']);
    const last = reports[reports.length - 1];
    expect(last).toMatchObject({ file: 'data.bin', received: 300_000, total: 300_000, fraction: 1, done: true });
    expect(reports.filter((p) => p.done)).toHaveLength(1);
    for (let i = 1; i < reports.length; i++) expect(reports[i].received).toBeGreaterThanOrEqual(reports[i - 1].received);
    expect(reports.length).toBeGreaterThan(1);
  });

  it('the default reporter prints at most one line per interval, plus the final line', () => {
    const lines: string[] = [];
    const report = consoleProgress(60_000, (l) => lines.push(l));
    const base = { url: 'u', file: 'f.gz', total: 26_421_856, done: false };
    for (const received of [0, 1e6, 5e6, 2e7]) report({ ...base, received, fraction: received / base.total });
    report({ ...base, received: base.total, fraction: 1, done: true });
    expect(lines).toEqual(['Downloading f.gz: 0% (0.0 of 26.4 MB)', 'Downloaded f.gz (26.4 MB)']);
  });

  it('a connection cut mid-file leaves nothing behind', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(BODY.length) });
      res.write(BODY.subarray(0, 100_000), () => setTimeout(() => res.socket?.destroy(), 20));
    });
    const dest = path.join(dir, 'data.bin');
    await expect(downloadFile(`${server.url}/data.bin`, dest, { size: BODY.length, sha256: SHA, onProgress: false })).rejects.toThrow(
      /^Cannot download http:\/\/127\.0\.0\.1:\d+\/data\.bin: (the connection was cut before the file was complete|the connection closed after \d+ of 300000 bytes)/,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('a 404 leaves nothing behind', async () => {
    server = await startServer(serveFiles({}));
    await expect(downloadFile(`${server.url}/missing.gz`, path.join(dir, 'missing.gz'), { onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/missing.gz: the server answered HTTP 404 Not Found. The mirror may have moved`,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('a server that stalls hits the timeout, before and after the headers', async () => {
    const stalled: import('http').ServerResponse[] = [];
    server = await startServer((req, res) => {
      stalled.push(res);
      if (req.url === '/after-headers') {
        res.writeHead(200, { 'content-length': String(BODY.length) });
        res.write(BODY.subarray(0, 1000));
      }
    });
    const dest = path.join(dir, 'data.bin');
    await expect(downloadFile(`${server.url}/no-headers`, dest, { timeoutMs: 300, onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/no-headers: no data for 300 ms (timeout).`,
    );
    await expect(downloadFile(`${server.url}/after-headers`, dest, { timeoutMs: 300, size: BODY.length, onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/after-headers: no data for 300 ms (timeout).`,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('a server trickling bytes hits totalTimeoutMs', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(BODY.length) });
      let i = 0;
      const t = setInterval(() => {
        if (res.destroyed) return clearInterval(t);
        res.write(BODY.subarray(i, i + 10));
        i += 10;
      }, 20);
      res.on('close', () => clearInterval(t));
    });
    await expect(downloadFile(`${server.url}/slow`, path.join(dir, 'data.bin'), { timeoutMs: 5000, totalTimeoutMs: 400, onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/slow: it took longer than 400 ms (totalTimeoutMs).`,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('a wrong sha256 leaves nothing behind, and an existing file is kept', async () => {
    const other = Buffer.from(BODY);
    other[12345] ^= 1;
    server = await startServer(serveFiles({ '/data.bin': other }));
    const dest = path.join(dir, 'data.bin');
    await expect(downloadFile(`${server.url}/data.bin`, dest, { size: BODY.length, sha256: SHA, onProgress: false })).rejects.toThrow(
      `Cannot use the download of ${server.url}/data.bin: its sha256 is ${sha256(other)} but data/manifest.json expects ${SHA}.`,
    );
    expect(listDir(dir)).toEqual([]);
    fs.writeFileSync(dest, 'previous content');
    await expect(downloadFile(`${server.url}/data.bin`, dest, { size: BODY.length, sha256: SHA, onProgress: false })).rejects.toThrow('its sha256 is');
    expect(listDir(dir)).toEqual(['data.bin']);
    expect(fs.readFileSync(dest, 'utf8')).toBe('previous content');
  });

  it('a size that differs from the manifest is refused from the headers', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY.subarray(0, 1000) }));
    await expect(downloadFile(`${server.url}/data.bin`, path.join(dir, 'data.bin'), { size: BODY.length, sha256: SHA, onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/data.bin: the server offers 1000 bytes but data/manifest.json expects 300000.`,
    );
    expect(listDir(dir)).toEqual([]);
  });

  it('a folder that cannot be written is reported before any request', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY }));
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    await expect(downloadFile(`${server.url}/data.bin`, path.join(blocker, 'sub', 'data.bin'), { onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/data.bin: the folder ${path.join(blocker, 'sub')} cannot be written (ENOTDIR). Make it writable, or choose another download folder (the cacheDir option).`,
    );
    expect(server.hits).toEqual([]);
    expect(listDir(dir)).toEqual(['a-file']);
  });

  it('follows redirects, relative and absolute, and refuses a redirect loop', async () => {
    server = await startServer((req, res) => {
      const base = `http://${req.headers.host}`;
      if (req.url === '/old') res.writeHead(301, { location: '/moved/data.bin' }).end();
      else if (req.url === '/moved/data.bin') res.writeHead(302, { location: `${base}/data.bin` }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else serveFiles({ '/data.bin': BODY })(req, res);
    });
    const r = await downloadFile(`${server.url}/old`, path.join(dir, 'data.bin'), { size: BODY.length, sha256: SHA, onProgress: false });
    expect(r.url).toBe(`${server.url}/data.bin`);
    expect(server.hits).toEqual(['/old', '/moved/data.bin', '/data.bin']);
    await expect(downloadFile(`${server.url}/loop`, path.join(dir, 'loop.bin'), { maxRedirects: 3, onProgress: false })).rejects.toThrow(
      `Cannot download ${server.url}/loop: too many redirects.`,
    );
    expect(server.hits.filter((h) => h === '/loop')).toHaveLength(4);
    expect(listDir(dir)).toEqual(['data.bin']);
  });
});

describe('ensureFile', () => {
  it('uses a present, verified file without touching the network', async () => {
    server = await startServer(serveFiles({}));
    fs.writeFileSync(path.join(dir, 'data.bin'), BODY);
    const r = await ensureFile(entry(`${server.url}/data.bin`), dir, { onProgress: false });
    expect(r).toEqual({ path: path.join(dir, 'data.bin'), downloaded: false });
    expect(server.hits).toEqual([]);
  });

  it('a cached file with a wrong sha256 is deleted and downloaded again', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY }));
    const bad = Buffer.from(BODY);
    bad[0] ^= 0xff;
    fs.writeFileSync(path.join(dir, 'data.bin'), bad);
    const r = await ensureFile(entry(`${server.url}/data.bin`), dir, { onProgress: false });
    expect(r.downloaded).toBe(true);
    expect(r.replaced).toBe(`its sha256 is ${sha256(bad)} but should be ${SHA}`);
    expect(await sha256File(path.join(dir, 'data.bin'))).toBe(SHA);
    expect(server.hits).toEqual(['/data.bin']);
    expect(listDir(dir)).toEqual(['data.bin']);
  });

  it('with downloads off, a damaged cached file is deleted and reported, a missing one reported', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY }));
    const dest = path.join(dir, 'data.bin');
    fs.writeFileSync(dest, BODY.subarray(0, 5000));
    await expect(ensureFile(entry(`${server.url}/data.bin`), dir, { download: false, missingHint: 'set TSDL_DATA_DIR' })).rejects.toThrow(
      `The cached file ${dest} was damaged (it has 5000 bytes but should have 300000) and has been deleted; downloads are off, so it was not fetched again.`,
    );
    expect(listDir(dir)).toEqual([]);
    await expect(ensureFile(entry(`${server.url}/data.bin`), dir, { download: false, missingHint: 'set TSDL_DATA_DIR' })).rejects.toThrow(
      `${dest} is missing and downloads are off: set TSDL_DATA_DIR`,
    );
    expect(server.hits).toEqual([]);
  });

  it('a failed re-download of a damaged cached file leaves nothing (never the damaged copy)', async () => {
    server = await startServer(serveFiles({}));
    fs.writeFileSync(path.join(dir, 'data.bin'), Buffer.alloc(BODY.length));
    await expect(ensureFile(entry(`${server.url}/data.bin`), dir, { onProgress: false })).rejects.toThrow('HTTP 404');
    expect(listDir(dir)).toEqual([]);
  });

  it('two calls in one process share one download', async () => {
    server = await startServer(serveFiles({ '/data.bin': BODY }));
    const [a, b] = await Promise.all([
      ensureFile(entry(`${server.url}/data.bin`), dir, { onProgress: false }),
      ensureFile(entry(`${server.url}/data.bin`), dir, { onProgress: false }),
    ]);
    expect(a).toEqual(b);
    expect(server.hits).toEqual(['/data.bin']);
    expect((await verifyFile(a.path, { size: BODY.length, sha256: SHA })).ok).toBe(true);
  });
});

describe('downloads from two processes', () => {
  const viteNode = path.resolve(__dirname, '..', 'node_modules', 'vite-node', 'vite-node.mjs');
  const child = path.resolve(__dirname, 'fixtures', 'data', 'download-child.ts');
  const run = (url: string, target: string): { proc: ChildProcess; done: Promise<{ code: number | null; out: string; err: string }> } => {
    const proc = spawn(process.execPath, [viteNode, child], {
      env: { ...process.env, DL_URL: url, DL_DIR: target, DL_NAME: 'data.bin', DL_SIZE: String(BODY.length), DL_SHA: SHA },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout?.on('data', (d) => (out += d));
    proc.stderr?.on('data', (d) => (err += d));
    const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('close', (code) => resolve({ code, out, err })));
    return { proc, done };
  };

  let shared: string;
  beforeAll(() => {
    shared = makeTemp();
  });
  afterAll(() => rmTemp(shared));

  it('both succeed at once and leave one complete file, no temporary files', async () => {
    // The server answers only when both requests are in, then sends in slices, so the downloads overlap.
    const waiting: import('http').ServerResponse[] = [];
    const send = (res: import('http').ServerResponse): void => {
      res.writeHead(200, { 'content-length': String(BODY.length) });
      let i = 0;
      const next = (): void => {
        if (i >= BODY.length) return void res.end();
        res.write(BODY.subarray(i, i + 50_000), () => setTimeout(next, 10));
        i += 50_000;
      };
      next();
    };
    server = await startServer((_req, res) => {
      waiting.push(res);
      if (waiting.length === 2) waiting.forEach(send);
    });
    const a = run(`${server.url}/data.bin`, shared);
    const b = run(`${server.url}/data.bin`, shared);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect([ra.code, rb.code, ra.err, rb.err]).toEqual([0, 0, '', '']);
    const outA = JSON.parse(ra.out) as { path: string; downloaded: boolean };
    const outB = JSON.parse(rb.out) as { path: string; downloaded: boolean };
    expect(outA).toMatchObject({ path: path.join(shared, 'data.bin'), downloaded: true });
    expect(outB).toMatchObject({ path: path.join(shared, 'data.bin'), downloaded: true });
    expect(server.hits).toEqual(['/data.bin', '/data.bin']);
    expect(listDir(shared)).toEqual(['data.bin']);
    expect(await sha256File(path.join(shared, 'data.bin'))).toBe(SHA);
  });

  it('a process killed mid-download leaves a temporary file that the next download removes', async () => {
    const target = makeTemp();
    try {
      let stall = true;
      server = await startServer((_req, res) => {
        res.writeHead(200, { 'content-length': String(BODY.length) });
        if (stall) res.write(BODY.subarray(0, 100_000));
        else res.end(BODY);
      });
      const killed = run(`${server.url}/data.bin`, target);
      // Wait until the child has written all the bytes it got (100,000), then kill it without a chance to clean up.
      const partSize = (): number => {
        const part = listDir(target).find((f) => f.endsWith('.part'));
        return part === undefined ? -1 : fs.statSync(path.join(target, part)).size;
      };
      for (let i = 0; i < 600 && partSize() < 100_000; i++) await new Promise((r) => setTimeout(r, 50));
      killed.proc.kill('SIGKILL');
      const { code } = await killed.done;
      expect(code).toBe(null);
      const leftover = listDir(target);
      expect(leftover).toHaveLength(1);
      expect(leftover[0]).toMatch(new RegExp(`^data\\.bin\\.${killed.proc.pid}-0-[0-9a-f]{8}\\.part$`));
      expect(fs.statSync(path.join(target, leftover[0])).size).toBe(100_000);
      stall = false;
      const r = await ensureFile(entry(`${server.url}/data.bin`), target, { onProgress: false });
      expect(r.downloaded).toBe(true);
      expect(listDir(target)).toEqual(['data.bin']);
      expect(removeStaleTemps(target, 'data.bin')).toBe(0);
    } finally {
      rmTemp(target);
    }
  });
});
