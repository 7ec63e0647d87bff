/**
 * Multi-threaded WebAssembly under Node: lets tfjs-backend-wasm start its threaded SIMD build
 * (XNNPACK over a pthread pool), which tfjs 4.22 only enables in browsers.
 *
 * Why it is off in Node (tfjs issue #3830): the threaded build starts its worker threads from
 * `Blob` URLs, which Node's `worker_threads` cannot load, and its main script is an inlined
 * function whose bundle-level helpers are out of scope in a worker. This module, only while the
 * backend starts, records the two scripts tfjs builds as Blobs, writes them to files (the main
 * script with the few bundle helpers it needs), and hands those paths to Node's workers. The pool
 * size comes from the logical core count, which the backend halves and clamps to 1..4 threads, so
 * the count is presented as twice the threads wanted.
 *
 * Usage: `const restore = prepareWasmThreads(2); await tf.setBackend('wasm'); restore();`
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The most threads the wasm backend's pool can have (its own clamp). */
export const MAX_WASM_THREADS = 4;

/**
 * Threads for the wasm backend: DL_WASM_THREADS when set (1 = single-threaded), else one per
 * core, at most MAX_WASM_THREADS. Throws on a value that is not a whole number from 1 to 4.
 *
 * Usage: `const threads = wasmThreadsFromEnv();`
 */
export function wasmThreadsFromEnv(value: string | undefined = process.env.DL_WASM_THREADS, cores: number = os.availableParallelism()): number {
  if (value === undefined || value.trim() === '') return Math.max(1, Math.min(MAX_WASM_THREADS, cores));
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`DL_WASM_THREADS=${value} is not a thread count: use a whole number from 1 to ${MAX_WASM_THREADS} (1 = single-threaded), or leave it unset for one per core.`);
  }
  return n;
}

/** Names the threaded main script uses from the tfjs-backend-wasm 4.22 bundle's top level. */
const BUNDLE_SCOPE = [
  "var require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os');",
  'var commonjsGlobal = globalThis;',
  'var __values = function (o) { return o[Symbol.iterator](); };',
  'var __read = function (o, n) { var a = []; if (n === 0) return a; for (var v of o) { a.push(v); if (n !== undefined && a.length >= n) break; } return a; };',
  'var __spreadArray = function (to, from) { return to.concat(Array.prototype.slice.call(from)); };',
].join('\n');

const MAIN_SCRIPT_START = 'var WasmBackendModuleThreadedSimd';

/** The backend package, loaded only when asked for (the cpu and native backends never need it). */
function wasmPackage(): typeof import('@tensorflow/tfjs-backend-wasm') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
}

/** Writes `text` to a file named by its hash under the temp folder (atomically); returns the path. */
function writeScript(kind: string, text: string): string {
  const dir = path.join(os.tmpdir(), 'tsdl-wasm-threads');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${kind}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
  }
  return file;
}

/**
 * Prepares the next start of the wasm backend to run `threads` threads (1 leaves it as tfjs
 * ships). Call before `tf.setBackend('wasm')`, and call the returned function once the backend is
 * ready (or has failed) to put back the globals borrowed meanwhile.
 *
 * Usage: `const restore = prepareWasmThreads(2); try { await tf.setBackend('wasm'); } finally { restore(); }`
 */
export function prepareWasmThreads(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`prepareWasmThreads: ${threads} threads is not possible: use 1 to ${MAX_WASM_THREADS}.`);
  }
  if (threads === 1) return () => undefined;
  const wasm = wasmPackage();
  const bundleDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL;
  // The module object itself (an `import *` binding is a read-only copy): the bundle reads cpus() from it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeOs = require('node:os') as typeof os;
  const originalCpus = nodeOs.cpus;
  const texts = new WeakMap<Blob, string>();
  let mainScript: string | undefined;

  class RecordingBlob extends OriginalBlob {
    constructor(parts: ConstructorParameters<typeof Blob>[0] = [], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts, options);
      const text = parts.map((p) => (typeof p === 'string' ? p : '')).join('');
      texts.set(this, text);
      if (text.startsWith(MAIN_SCRIPT_START)) {
        mainScript = writeScript('main', `${BUNDLE_SCOPE}\nvar __dirname = ${JSON.stringify(bundleDir)};\n${text}`);
      }
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob): string => {
    const text = texts.get(obj);
    if (text === undefined || text.startsWith(MAIN_SCRIPT_START)) return originalCreateObjectURL(obj);
    if (mainScript === undefined) throw new Error('wasm threads: the backend asked for its worker before its main script; tfjs-backend-wasm changed, set DL_WASM_THREADS=1.');
    // The worker loads the main script from the path it is given, never from a Blob URL.
    const redirect = `URL.createObjectURL = function () { return ${JSON.stringify(mainScript)}; }; URL.revokeObjectURL = function () {};\n`;
    return writeScript('worker', redirect + text);
  };
  const cpu = originalCpus()[0];
  nodeOs.cpus = () => Array.from({ length: 2 * threads }, () => cpu);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  return () => {
    globalThis.Blob = OriginalBlob;
    URL.createObjectURL = originalCreateObjectURL;
    nodeOs.cpus = originalCpus;
    unrefPoolThreads();
  };
}

/** The wasm backend when it has started (never starts it: tf.findBackend would). */
function startedWasmBackend(): tf.KernelBackend | undefined {
  return (tf.engine().registry as Record<string, tf.KernelBackend | undefined>).wasm;
}

/** The part of the Emscripten module that holds the backend's worker threads. */
interface EmscriptenThreads {
  PThread?: { runningWorkers: Array<{ unref(): void }> };
}

/**
 * The pool's threads stay parked for the next operation, and a parked Node worker would keep the
 * process alive after a script's last line: they are unref'd so Node can exit as usual.
 */
function unrefPoolThreads(): void {
  const backend = startedWasmBackend();
  if (backend === undefined) return;
  const emscripten = (backend as unknown as { wasm?: EmscriptenThreads }).wasm;
  for (const worker of emscripten?.PThread?.runningWorkers ?? []) worker.unref();
}

/**
 * The threads the wasm backend computes with, once it has started (1 before, or single-threaded).
 *
 * Usage: `console.log(activeWasmThreads());`
 */
export function activeWasmThreads(): number {
  return startedWasmBackend() === undefined ? 1 : wasmPackage().getThreadsCount();
}

/*
 * One thread setting for both compute pools: DL_THREADS sizes oneDNN's OpenMP threads (lib/backend/onednn)
 * and the wasm backend's pool (at most 4, its own limit), so they never ask for more cores than given.
 * The two never compute at once (every kernel runs to completion on the main thread), so each gets all
 * the threads. Default: one per core; DL_WASM_THREADS still overrides wasm's alone.
 */

/** Threads for each pool. */
export interface ThreadPlan {
  /** oneDNN's OpenMP threads. */
  onednn: number;
  /** The wasm backend's pool (1 to 4). */
  wasm: number;
}

function parseCount(name: string, value: string, max: number): number {
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new Error(`${name}=${value} is not a thread count: use a whole number from 1 to ${max}, or leave it unset for one per core.`);
  }
  return n;
}

/**
 * Threads from DL_THREADS (both pools) and DL_WASM_THREADS (wasm's pool only, and oneDNN's when
 * DL_THREADS is unset); one per core when neither is set. Throws on a value that is not a count.
 *
 * Usage: `threadsFromEnv({ DL_THREADS: '2' }) // { onednn: 2, wasm: 2 }`
 */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env, cores: number = os.availableParallelism()): ThreadPlan {
  const all = env.DL_THREADS?.trim() ? parseCount('DL_THREADS', env.DL_THREADS, 1024) : undefined;
  const wasmOnly = env.DL_WASM_THREADS?.trim() ? wasmThreadsFromEnv(env.DL_WASM_THREADS, cores) : undefined;
  const onednn = all ?? wasmOnly ?? Math.max(1, cores);
  const wasm = wasmOnly ?? Math.min(MAX_WASM_THREADS, all ?? Math.max(1, cores));
  return { onednn, wasm };
}
