/**
 * Downloads with Node's own http/https: to a uniquely named temporary file in the target
 * folder, checked (size and sha256), then renamed into place in one atomic step. A failed
 * download (HTTP error, cut connection, timeout, wrong size or hash) deletes its temporary
 * file, so the folder holds either the complete verified file or nothing. Two processes
 * fetching the same file both succeed: each writes its own temporary file and the renames
 * leave one complete file.
 *
 * Usage:
 *   await downloadFile(url, '/tmp/x.gz', { size: 29491, sha256: '0ae2...' });
 *   const { path } = await ensureFile(manifestFile('mnist', 'train-labels-idx1-ubyte.gz'), dir);
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as path from 'path';
import { once } from 'events';
import { pipeline } from 'stream/promises';
import { threadId } from 'worker_threads';
import { removeStaleTempFiles } from '../temp-files';
import type { ManifestFile } from './manifest';
import { verifyFile } from './verify';

/** A progress report: bytes so far and, when known, the total. */
export interface DownloadProgress {
  /** The URL being fetched (after redirects). */
  url: string;
  /** The final file name (without folder). */
  file: string;
  /** Bytes received so far. */
  received: number;
  /** Expected total bytes, when the manifest or the server says. */
  total: number | undefined;
  /** received / total in [0, 1], when the total is known. */
  fraction: number | undefined;
  /** True on the last report, once the file is complete and verified. */
  done: boolean;
}

/** Receives progress reports (often: one per network chunk). */
export type ProgressCallback = (progress: DownloadProgress) => void;

/** How to download. */
export interface DownloadOptions {
  /** Expected size in bytes; a different Content-Length or body length fails the download. */
  size?: number;
  /** Expected lower-case hex sha256; a different hash fails the download. */
  sha256?: string;
  /** Fail when no byte arrives for this long (ms, default 30,000). */
  timeoutMs?: number;
  /**
   * Fail when the whole download takes longer than this (ms). Default: 10 minutes, or longer
   * for a large file (its expected size at 16 KiB/s); TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS overrides
   * the default. A body that trickles in never trips the idle timeout, only this one.
   */
  totalTimeoutMs?: number;
  /** Redirects followed at most (default 5). */
  maxRedirects?: number;
  /** Progress: a callback, `false` for silence, default a percentage line at most every second. */
  onProgress?: ProgressCallback | false;
  /** Refuse bodies larger than this when no size is given (bytes, default 2 GiB). */
  maxBytes?: number;
}

/** What a finished download produced. */
export interface DownloadResult {
  /** The final file. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its lower-case hex sha256. */
  sha256: string;
  /** The URL the bytes came from (after redirects). */
  url: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MIN_TOTAL_TIMEOUT_MS = 10 * 60_000;
/** The slowest transfer the default overall limit allows for (bytes per second). */
const SLOWEST_BYTES_PER_S = 16 * 1024;

/**
 * The default overall time limit of a download: TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS when set, else
 * 10 minutes or the expected size at 16 KiB/s, whichever is longer (2 GiB-limited bodies of
 * unknown size: the limit at that size).
 *
 * Usage: `defaultTotalTimeoutMs(26_421_880) // 1612663`
 */
export function defaultTotalTimeoutMs(expectedBytes: number | undefined): number {
  const env = process.env.TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS;
  if (env !== undefined && env.trim() !== '') {
    const ms = Number(env);
    if (!Number.isInteger(ms) || ms < 1) throw new Error(`TSDL_DOWNLOAD_TOTAL_TIMEOUT_MS must be a whole number of milliseconds >= 1, got "${env}". Fix or unset it.`);
    return ms;
  }
  const bytes = expectedBytes ?? 256 * 1024 * 1024;
  return Math.max(MIN_TOTAL_TIMEOUT_MS, Math.ceil((bytes / SLOWEST_BYTES_PER_S) * 1000));
}
const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_MAX_BYTES = 2 ** 31;
const TEMP_SUFFIX = '.part';

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * The default progress reporter: one line `Downloading NAME: 42% (11.1 of 26.4 MB)` at most
 * every `intervalMs` (default 1 s), plus a final line when done.
 *
 * Usage: `await downloadFile(url, dest, { onProgress: consoleProgress(2000) });`
 */
export function consoleProgress(intervalMs = 1000, print: (line: string) => void = (l) => console.log(l)): ProgressCallback {
  let last = -Infinity;
  return (p) => {
    const now = Date.now();
    if (!p.done && now - last < intervalMs) return;
    last = now;
    const pct = p.fraction !== undefined ? `${Math.floor(p.fraction * 100)}%` : '';
    const size = p.total !== undefined ? `${mb(p.received)} of ${mb(p.total)} MB` : `${mb(p.received)} MB`;
    print(p.done ? `Downloaded ${p.file} (${mb(p.received)} MB)` : `Downloading ${p.file}: ${pct ? `${pct} (${size})` : size}`);
  };
}

/** The temporary name for a download: unique per process, thread and call. */
function tempPathFor(dest: string): string {
  return `${dest}.${process.pid}-${threadId}-${crypto.randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
}

function describeUrlError(url: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(err.message ?? e);
}

/** Opens a GET request and follows redirects; resolves with a 200 response. */
function openResponse(
  url: string,
  redirectsLeft: number,
  register: (req: http.ClientRequest, url: string) => void,
): Promise<{ res: http.IncomingMessage; url: string }> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new Error(`Cannot download ${url}: it is not a valid URL. Fix the URL (data/manifest.json).`));
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new Error(`Cannot download ${url}: only http:// and https:// URLs are supported.`));
      return;
    }
    const req = lib.get(parsed, { headers: { 'user-agent': 'tsdl-course data loader', 'accept-encoding': 'identity' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) {
          reject(new Error(`Cannot download ${url}: too many redirects. The mirror may be misconfigured: download the file by hand into the cache folder.`));
          return;
        }
        const next = new URL(res.headers.location, parsed).toString();
        openResponse(next, redirectsLeft - 1, register).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        reject(
          new Error(
            `Cannot download ${url}: the server answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}. ` +
              'The mirror may have moved: check the URL in data/manifest.json, or download the file by hand into the cache folder.',
          ),
        );
        return;
      }
      resolve({ res, url });
    });
    register(req, url);
    req.on('error', (e) => reject(e.message.startsWith('Cannot download') ? e : new Error(`Cannot download ${url} (${describeUrlError(url, e)}). Check the network and try again.`)));
  });
}

/**
 * Downloads `url` to `dest` atomically (see the module comment). Throws an Error naming the
 * URL and the problem; on any failure neither `dest` nor a temporary file is left behind
 * (an existing `dest` is only ever replaced by a complete, verified file).
 *
 * Usage: `const r = await downloadFile(url, dest, { sha256, size, timeoutMs: 10_000 });`
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const onProgress = options.onProgress === false ? undefined : options.onProgress ?? consoleProgress();
  const limit = options.size ?? options.maxBytes ?? DEFAULT_MAX_BYTES;
  const file = path.basename(dest);
  const tmp = tempPathFor(dest);
  // Opened before the request (and awaited), so that the cleanup below always runs after the file exists.
  let out: fs.WriteStream;
  try {
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    out = fs.createWriteStream(tmp, { flags: 'wx' });
    await once(out, 'open');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`Cannot download ${url}: the folder ${path.dirname(dest)} cannot be written (${code}). Make it writable, or choose another download folder (the cacheDir option).`);
  }
  const requests: http.ClientRequest[] = [];
  let deadline: NodeJS.Timeout | undefined;
  // Set by the timeouts: the reason the request was destroyed, reported instead of 'aborted'.
  let failure: Error | undefined;
  const register = (req: http.ClientRequest, at: string): void => {
    requests.push(req);
    req.setTimeout(timeoutMs, () => {
      failure ??= new Error(`Cannot download ${at}: no data for ${timeoutMs} ms (timeout). Check the network and try again, or raise timeoutMs.`);
      req.destroy(failure);
    });
  };
  try {
    const work = (async (): Promise<DownloadResult> => {
      const { res, url: finalUrl } = await openResponse(url, maxRedirects, register);
      const header = res.headers['content-length'];
      const announced = header !== undefined ? Number(header) : undefined;
      if (options.size !== undefined && announced !== undefined && announced !== options.size) {
        res.destroy();
        throw new Error(
          `Cannot download ${finalUrl}: the server offers ${announced} bytes but data/manifest.json expects ${options.size}. ` +
            'The file on the mirror has changed: report it, or download a matching copy by hand.',
        );
      }
      const total = options.size ?? announced;
      const hash = crypto.createHash('sha256');
      let received = 0;
      const report = (done: boolean): void => {
        onProgress?.({ url: finalUrl, file, received, total, fraction: total ? Math.min(1, received / total) : undefined, done });
      };
      await pipeline(
        res,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            received += chunk.length;
            if (received > limit) {
              throw new Error(`Cannot download ${finalUrl}: the server sent more than the expected ${limit} bytes. The file on the mirror has changed.`);
            }
            hash.update(chunk);
            report(false);
            yield chunk;
          }
        },
        out,
      );
      if (failure) throw failure;
      if (announced !== undefined && received !== announced) {
        throw new Error(`Cannot download ${finalUrl}: the connection closed after ${received} of ${announced} bytes. Try again.`);
      }
      if (options.size !== undefined && received !== options.size) {
        throw new Error(`Cannot download ${finalUrl}: got ${received} bytes but expected ${options.size}. Try again; if it persists the mirror has changed.`);
      }
      const hex = hash.digest('hex');
      if (options.sha256 !== undefined && hex !== options.sha256) {
        throw new Error(
          `Cannot use the download of ${finalUrl}: its sha256 is ${hex} but data/manifest.json expects ${options.sha256}. ` +
            'The file was damaged in transit or the mirror serves a different file: try again, or download a matching copy by hand.',
        );
      }
      try {
        await fs.promises.rename(tmp, dest);
      } catch (e) {
        // Some file systems refuse to rename over an existing file: accept the other writer's copy if it is good.
        const ok = options.sha256 !== undefined && options.size !== undefined && (await verifyFile(dest, { size: options.size, sha256: options.sha256 })).ok;
        if (!ok) throw e;
      }
      report(true);
      return { path: dest, bytes: received, sha256: hex, url: finalUrl };
    })();
    {
      const ms = options.totalTimeoutMs ?? defaultTotalTimeoutMs(options.size);
      deadline = setTimeout(() => {
        failure ??= new Error(`Cannot download ${url}: it took longer than ${ms} ms (totalTimeoutMs). Check the network and try again, or raise totalTimeoutMs.`);
        for (const r of requests) r.destroy(failure);
      }, ms);
    }
    try {
      return await work;
    } catch (e) {
      throw failure ?? normaliseError(url, e);
    }
  } finally {
    if (deadline) clearTimeout(deadline);
    for (const r of requests) if (!r.destroyed) r.destroy();
    if (!out.closed) await new Promise<void>((resolve) => {
      out.once('close', () => resolve());
      out.destroy();
    });
    await fs.promises.rm(tmp, { force: true });
  }
}

function normaliseError(url: string, e: unknown): Error {
  if (e instanceof Error && /^Cannot (download|use)/.test(e.message)) return e;
  const err = e as NodeJS.ErrnoException;
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    return new Error(`Cannot download ${url}: the connection was cut before the file was complete (${err.code ?? err.message}). Try again.`);
  }
  return new Error(`Cannot download ${url} (${describeUrlError(url, e)}). Check the network and the folder's permissions, and try again.`);
}

/**
 * Deletes temporary files of `name` in `dir` left by downloads whose process is gone (a killed
 * notebook kernel, say). Temporary files of live processes, and this process's own (removed by
 * the download that made them), are left alone. Returns how many were removed.
 *
 * Usage: `removeStaleTemps('data/cache/mnist', 'train-images-idx3-ubyte.gz');`
 */
export function removeStaleTemps(dir: string, name: string): number {
  const prefix = `${name}.`;
  return removeStaleTempFiles(dir, {
    pidOf: (entry) => (entry.startsWith(prefix) && entry.endsWith(TEMP_SUFFIX) ? Number(entry.slice(prefix.length).split('-')[0]) : undefined),
  });
}

/** What `ensureFile` did. */
export interface EnsureResult {
  /** The verified file. */
  path: string;
  /** True when it was downloaded by this call. */
  downloaded: boolean;
  /** Set when a cached copy failed its check and was deleted first: why it failed. */
  replaced?: string;
}

/** Options for `ensureFile`. */
export interface EnsureOptions extends Omit<DownloadOptions, 'size' | 'sha256'> {
  /** Download when missing or bad (default true); false makes a missing file an error. */
  download?: boolean;
  /** Text added to the error when the file is missing and may not be downloaded. */
  missingHint?: string;
}

const inFlight = new Map<string, Promise<EnsureResult>>();

/**
 * Makes `dir/<entry.name>` hold the verified file: uses it when present and intact (no network),
 * deletes it when it fails its size or sha256 check, and downloads it when missing (unless
 * `download: false`). Calls for the same file in one process share one download.
 *
 * Usage: `const { path } = await ensureFile(manifestFile('fashion-mnist', 'train-labels-idx1-ubyte.gz'), cacheDir);`
 */
export function ensureFile(entry: ManifestFile, dir: string, options: EnsureOptions = {}): Promise<EnsureResult> {
  const dest = path.resolve(dir, entry.name);
  const running = inFlight.get(dest);
  if (running) return running;
  const job = ensureFileNow(entry, dest, options).finally(() => inFlight.delete(dest));
  inFlight.set(dest, job);
  return job;
}

async function ensureFileNow(entry: ManifestFile, dest: string, options: EnsureOptions): Promise<EnsureResult> {
  removeStaleTemps(path.dirname(dest), entry.name);
  let replaced: string | undefined;
  const before = statOrUndefined(dest);
  if (before) {
    const check = await verifyFile(dest, entry);
    if (check.ok) return { path: dest, downloaded: false };
    // Not proof of damage: a file that cannot be read, or a folder in its place, is left alone.
    if (check.unreadable !== undefined) {
      throw new Error(
        `The cached file ${dest} cannot be read (${check.unreadable}): it was left as it is (a permission problem, not a damaged file). ` +
          `To fix: make it readable (chmod a+r ${dest}) or delete it to download it again.`,
      );
    }
    if (check.notAFile) throw new Error(`${dest} is a folder, not a file: remove or rename it, then run again to download the file there.`);
    replaced = check.reason;
    // Delete the bad copy unless another process replaced it meanwhile.
    const now = statOrUndefined(dest);
    if (now && now.ino === before.ino && now.mtimeMs === before.mtimeMs && now.size === before.size) {
      await fs.promises.rm(dest, { force: true });
    }
    if (options.download === false) {
      throw new Error(
        `The cached file ${dest} was damaged (${replaced}) and has been deleted; downloads are off, so it was not fetched again. ` +
          `Allow the download (download: true) or put a good copy there${options.missingHint ? `; ${options.missingHint}` : ''}.`,
      );
    }
    if (statOrUndefined(dest) && (await verifyFile(dest, entry)).ok) return { path: dest, downloaded: false, replaced };
  } else if (options.download === false) {
    throw new Error(`${dest} is missing and downloads are off${options.missingHint ? `: ${options.missingHint}` : '.'}`);
  }
  const { timeoutMs, totalTimeoutMs, maxRedirects, onProgress, maxBytes } = options;
  await downloadFile(entry.url, dest, { timeoutMs, totalTimeoutMs, maxRedirects, onProgress, maxBytes, size: entry.size, sha256: entry.sha256 });
  return replaced === undefined ? { path: dest, downloaded: true } : { path: dest, downloaded: true, replaced };
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
