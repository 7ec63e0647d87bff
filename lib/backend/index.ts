/**
 * Backend choice: one call picks the fastest TensorFlow.js backend this machine can run.
 *
 * Order: tfjs-node-gpu (when installed and a CUDA device loads), tfjs-node, wasm (SIMD, one thread
 * per core up to 4; see ./threads; convolutions and matrix products on oneDNN when the
 * optional addon in native/ is built, see ./onednn), cpu. `DL_BACKEND=tensorflow|wasm|cpu`
 * forces one; `DL_WASM_THREADS=1` keeps wasm single-threaded; `DL_THREADS` sizes both wasm's and
 * oneDNN's threads; `DL_NATIVE=0` keeps the oneDNN kernels off.
 *
 * Usage: `const info = await initBackend(); console.log(describeBackend(info));`
 */
import * as tf from '@tensorflow/tfjs';
import { wrapText } from '../display';
import { registerMissingWasmKernels } from './kernels';
import { registerFastWasmKernels } from './kernels/fast-paths';
import { activeWasmThreads, prepareWasmThreads, threadsFromEnv } from './threads';
import { enableOnednnKernels } from './onednn';

/** The backends the course can run on, by tfjs's own names. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What `initBackend` chose, and why. */
export interface BackendInfo {
  /** tfjs's name for the active backend. */
  name: BackendName;
  /** The npm package that provides it. */
  provider: string;
  /** Whether a GPU is used (only with tfjs-node-gpu). */
  gpu: boolean;
  /** Threads the backend computes with (wasm: its XNNPACK pool; 1 for cpu; native TensorFlow: 0, it manages its own). */
  threads: number;
  /** Why this backend was chosen, in one sentence. */
  reason: string;
  /** What each faster backend that was tried said, in order. */
  attempts: string[];
  /** How to get a faster backend, when one could be had; empty when this is the fastest. */
  hint: string;
  /** wasm only: which kernels run natively on oneDNN, or why none do (one line). */
  native?: string;
}

export interface InitBackendOptions {
  /** Force a backend (overrides DL_BACKEND). */
  backend?: BackendName;
  /** Print the choice (default false). */
  verbose?: boolean;
  /** Threads for the wasm backend, 1 to 4 (default DL_WASM_THREADS, else one per core). */
  wasmThreads?: number;
}

const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let current: BackendInfo | undefined;

/** Parses DL_BACKEND; throws on an unknown value so a typo is not silently ignored. */
export function backendFromEnv(value: string | undefined = process.env.DL_BACKEND): BackendName | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'node' || v === 'tfjs-node' || v === 'tfjs-node-gpu' || v === 'gpu') return 'tensorflow';
  if ((BACKEND_NAMES as readonly string[]).includes(v)) return v as BackendName;
  throw new Error(`DL_BACKEND=${value} is not a backend: use one of ${BACKEND_NAMES.join(', ')} (or leave it unset to choose automatically).`);
}

function tryRequire(name: string): { ok: true } | { ok: false; error: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(name);
    return { ok: true };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { ok: false, error: msg };
  }
}

function isNotInstalled(error: string, name: string): boolean {
  return error.includes('Cannot find module') && error.includes(name);
}

async function activate(name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function tryTensorflow(attempts: string[]): Promise<BackendInfo | undefined> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const r = tryRequire(pkg);
    if (!r.ok) {
      attempts.push(isNotInstalled(r.error, pkg) ? `${pkg}: not installed` : `${pkg}: failed to load (${r.error})`);
      continue;
    }
    if (!(await activate('tensorflow'))) {
      attempts.push(`${pkg}: loaded but the 'tensorflow' backend did not start`);
      continue;
    }
    const gpu = pkg.endsWith('-gpu');
    return {
      name: 'tensorflow',
      provider: pkg,
      gpu,
      threads: 0,
      reason: gpu ? `${pkg} loaded with CUDA: native TensorFlow on the GPU` : `${pkg} loaded: native TensorFlow on the CPU`,
      attempts,
      hint: gpu ? '' : 'For a GPU: npm install @tensorflow/tfjs-node-gpu@4.22.0 (needs CUDA and cuDNN).',
    };
  }
  return undefined;
}

async function tryWasm(attempts: string[], threads: number): Promise<BackendInfo | undefined> {
  const r = tryRequire('@tensorflow/tfjs-backend-wasm');
  if (!r.ok) {
    attempts.push(`@tensorflow/tfjs-backend-wasm: ${r.error}`);
    return undefined;
  }
  registerMissingWasmKernels();
  registerFastWasmKernels();
  const native = enableOnednnKernels({ threads: threadsFromEnv().onednn });
  const restore = prepareWasmThreads(threads);
  let started: boolean;
  try {
    started = await activate('wasm');
  } finally {
    restore();
  }
  if (!started) {
    attempts.push('@tensorflow/tfjs-backend-wasm: the WebAssembly module did not start');
    return undefined;
  }
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const active = activeWasmThreads();
  return {
    name: 'wasm',
    provider: '@tensorflow/tfjs-backend-wasm',
    gpu: false,
    threads: active,
    reason: `WebAssembly${simd ? ' with SIMD' : ''}, ${active === 1 ? '1 thread' : `${active} threads`}: the fastest backend that needs no native TensorFlow (about 5x the pure-JS cpu backend on dense layers, far more on convolutions)`,
    attempts,
    hint: 'For native speed: npm install @tensorflow/tfjs-node@4.22.0 (or -gpu with CUDA); it downloads libtensorflow at install time.',
    native: native.line,
  };
}

async function useCpu(attempts: string[], forced: boolean): Promise<BackendInfo> {
  if (!(await activate('cpu'))) throw new Error('The tfjs cpu backend did not start: reinstall @tensorflow/tfjs (npm ci).');
  return {
    name: 'cpu',
    provider: '@tensorflow/tfjs (backend-cpu)',
    gpu: false,
    threads: 1,
    reason: forced ? 'forced (DL_BACKEND or the backend option): pure JavaScript, slow but the reference for correctness' : 'no faster backend could start: pure JavaScript',
    attempts,
    hint: 'For about 5x the speed: npm ci (installs @tensorflow/tfjs-backend-wasm); for native speed: npm install @tensorflow/tfjs-node@4.22.0.',
  };
}

/**
 * Chooses and activates a backend. Safe to call again: later calls return the first choice
 * unless a different backend is forced.
 *
 * Usage: `const info = await initBackend({ verbose: true });`
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (options.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(options.backend)) {
    throw new Error(`initBackend: backend '${String(options.backend)}' is not a backend: use one of ${BACKEND_NAMES.join(', ')} (or leave it out to choose automatically).`);
  }
  const forced = options.backend ?? backendFromEnv();
  if (current && (forced === undefined || forced === current.name)) {
    if (options.verbose) console.log(describeBackend(current));
    return current;
  }
  const threads = options.wasmThreads ?? threadsFromEnv().wasm;
  const attempts: string[] = [];
  let info: BackendInfo | undefined;
  if (forced === 'tensorflow') {
    info = await tryTensorflow(attempts);
    if (!info) throw new Error(`DL_BACKEND=tensorflow but no native backend loads (${attempts.join('; ')}). Install one: npm install @tensorflow/tfjs-node@4.22.0`);
  } else if (forced === 'wasm') {
    info = await tryWasm(attempts, threads);
    if (!info) throw new Error(`DL_BACKEND=wasm but the wasm backend does not start (${attempts.join('; ')}). Run npm ci.`);
    info.reason = `forced (DL_BACKEND or the backend option); ${info.reason}`;
  } else if (forced === 'cpu') {
    info = await useCpu(attempts, true);
  } else {
    info = (await tryTensorflow(attempts)) ?? (await tryWasm(attempts, threads)) ?? (await useCpu(attempts, false));
  }
  current = info;
  if (options.verbose) console.log(describeBackend(info));
  return info;
}

/** The backend chosen by the last `initBackend`, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/** A few human-readable lines saying which backend runs and why, each within a notebook's output width. Usage: `console.log(describeBackend(await initBackend()))` */
export function describeBackend(info: BackendInfo): string {
  const lines = [`Backend: ${info.name} (${info.provider})${info.gpu ? ' on GPU' : ''}`, `Why: ${info.reason}`];
  if (info.native !== undefined) lines.push(`Native kernels: ${info.native}`);
  if (info.attempts.length > 0) lines.push(`Tried first: ${info.attempts.join('; ')}`);
  if (info.hint) lines.push(`Faster: ${info.hint}`);
  return wrapText(lines.join('\n'));
}
