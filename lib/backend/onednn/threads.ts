/**
 * One thread setting for both compute pools: DL_THREADS sizes oneDNN's OpenMP threads and the
 * wasm backend's pool (at most 4, its own limit), so they never ask for more cores than given.
 * The two never compute at once (every kernel runs to completion on the main thread), so each
 * gets all the threads. Default: one per core; DL_WASM_THREADS still overrides wasm's alone.
 *
 * Usage: `const { onednn, wasm } = threadsFromEnv();`
 */
import * as os from 'node:os';
import { MAX_WASM_THREADS } from '../threads';

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
  const wasmOnly = env.DL_WASM_THREADS?.trim() ? parseCount('DL_WASM_THREADS', env.DL_WASM_THREADS, MAX_WASM_THREADS) : undefined;
  const onednn = all ?? wasmOnly ?? Math.max(1, cores);
  const wasm = wasmOnly ?? Math.min(MAX_WASM_THREADS, all ?? Math.max(1, cores));
  return { onednn, wasm };
}
