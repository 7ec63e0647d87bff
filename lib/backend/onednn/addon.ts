/**
 * Loading the optional oneDNN addon (native/, built by `npm run setup`): where it lives, what it
 * exports, and why it did not load when it did not (one line for describeBackend).
 *
 * Usage: `const loaded = loadOnednnAddon(); if (loaded.addon) loaded.addon.info();`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What the addon reports about itself. */
export interface OnednnInfo {
  /** oneDNN's version, e.g. '2.6.3'. */
  version: string;
  /** The instruction set oneDNN's JIT kernels use here, e.g. 'avx2'. */
  isa: string;
  /** Threads the kernels compute with. */
  threads: number;
}

/**
 * The addon's functions (native/src). Float32Arrays are read and written in place (views of
 * the wasm heap); each function checks every length against the geometry and throws a
 * RangeError/TypeError on a mismatch.
 */
export interface OnednnAddon {
  info(): OnednnInfo;
  setThreads(threads: number): number;
  /** geometry: [N,H,W,C, fH,fW,O, oH,oW, sH,sW, dH,dW, padTop,padLeft,padBottom,padRight]. */
  conv2d(x: Float32Array, filter: Float32Array, bias: Float32Array | null, y: Float32Array, geometry: number[], activation: number, alpha: number): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: number[]): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: number[]): void;
  convCacheSize(): number;
  /** geometry: [batchA, batchB, M, K, N, transposeA (0/1), transposeB (0/1)]. */
  matmul(a: Float32Array, b: Float32Array, bias: Float32Array | null, out: Float32Array, geometry: number[], activation: number, alpha: number): void;
  /** geometry: [N,H,W,C, fH,fW, oH,oW, sH,sW, padTop,padLeft]; dy goes to each window's first maximum. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: number[]): void;
  /** out[r, c] = x[r, c] + row[c]; sizes: [rows, cols]. */
  addRow(x: Float32Array, row: Float32Array, out: Float32Array, sizes: number[]): void;
  /** out[c] = sum over r of x[r, c]; sizes: [rows, cols]. */
  sumRows(x: Float32Array, out: Float32Array, sizes: number[]): void;
  /** out[r, c] = x[r, c] - column[r]; sizes: [rows, cols]. */
  subColumn(x: Float32Array, column: Float32Array, out: Float32Array, sizes: number[]): void;
}

/** The outcome of loading: the addon, or why there is none (one line). */
export type LoadedAddon = { addon: OnednnAddon; file: string } | { addon: undefined; reason: string };

/** The addon's file name under native/build/Release. */
export const ADDON_FILE = path.join('native', 'build', 'Release', 'tsdl_onednn.node');

/**
 * Whether DL_NATIVE allows the addon: unset or '1' yes, '0' no; anything else is an error.
 *
 * Reads `env` (like threadsFromEnv), so a caller can ask about an unset DL_NATIVE whatever the
 * process's own environment says.
 *
 * Usage: `if (nativeAllowedFromEnv()) loadOnednnAddon();`
 */
export function nativeAllowedFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.DL_NATIVE;
  if (value === undefined || value.trim() === '') return true;
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true' || v === 'on') return true;
  if (v === '0' || v === 'false' || v === 'off') return false;
  throw new Error(`DL_NATIVE=${value} is not a switch: use 0 (plain wasm kernels) or 1 (oneDNN kernels when the addon is built), or leave it unset.`);
}

/** The repository root: the first folder above `from` that holds native/binding.gyp. */
export function findRepoRoot(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'binding.gyp'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

let cached: LoadedAddon | undefined;

/**
 * Loads the addon once (OpenMP threads wait passively unless OMP_WAIT_POLICY says otherwise:
 * spinning threads lose badly beside a busy core). Never throws: a failure is a reason.
 *
 * Usage: `const loaded = loadOnednnAddon(); console.log(loaded.addon ? 'oneDNN' : loaded.reason);`
 */
export function loadOnednnAddon(): LoadedAddon {
  if (cached) return cached;
  const root = findRepoRoot();
  const file = root === undefined ? undefined : path.join(root, ADDON_FILE);
  if (file === undefined || !fs.existsSync(file)) {
    cached = { addon: undefined, reason: `the oneDNN addon is not built (${ADDON_FILE} missing; npm run setup builds it when libdnnl-dev and g++ are installed)` };
    return cached;
  }
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'passive';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as OnednnAddon;
    addon.info();
    cached = { addon, file };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    cached = { addon: undefined, reason: `the oneDNN addon does not load (${msg}); rebuild it with npm run setup` };
  }
  return cached;
}
