// Multi-threaded wasm under Node (lib/backend/threads.ts): DL_WASM_THREADS parsing, and the threaded
// backend started in child processes (its thread count is fixed at start) computing what the
// single-threaded one computes, then letting its process exit by itself.
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, prepareWasmThreads, wasmThreadsFromEnv } from '../lib/backend/threads';

describe('wasmThreadsFromEnv (DL_WASM_THREADS)', () => {
  it('unset or blank: one per core, at most 4', () => {
    expect(wasmThreadsFromEnv('', 2)).toBe(2);
    expect(wasmThreadsFromEnv('', 1)).toBe(1);
    expect(wasmThreadsFromEnv('  ', 16)).toBe(MAX_WASM_THREADS);
    const saved = process.env.DL_WASM_THREADS;
    delete process.env.DL_WASM_THREADS;
    try {
      expect(wasmThreadsFromEnv()).toBe(Math.min(4, os.availableParallelism()));
    } finally {
      if (saved !== undefined) process.env.DL_WASM_THREADS = saved;
    }
  });

  it('reads a whole number from 1 to 4', () => {
    expect(wasmThreadsFromEnv('1', 8)).toBe(1);
    expect(wasmThreadsFromEnv(' 3 ', 2)).toBe(3);
  });

  it('refuses anything else, naming the value and the range', () => {
    for (const bad of ['0', '5', 'two', '1.5', '-1']) {
      expect(() => wasmThreadsFromEnv(bad, 2)).toThrow(new RegExp(`DL_WASM_THREADS=${bad.replace('.', '\\.')} is not a thread count: use a whole number from 1 to 4`));
    }
  });
});

describe('prepareWasmThreads', () => {
  it('refuses an impossible count', () => {
    expect(() => prepareWasmThreads(0)).toThrow(/0 threads is not possible: use 1 to 4/);
    expect(() => prepareWasmThreads(5)).toThrow(/use 1 to 4/);
    expect(() => prepareWasmThreads(1.5)).toThrow(/not possible/);
  });

  it('one thread changes nothing', () => {
    const blob = globalThis.Blob;
    const create = URL.createObjectURL;
    prepareWasmThreads(1)();
    expect(globalThis.Blob).toBe(blob);
    expect(URL.createObjectURL).toBe(create);
  });
});

interface ChildResult {
  threads: number;
  globalsRestored: boolean;
  cores: number;
  reason: string;
  conv: number[];
  dx: number[];
  dw: number[];
  pooled: number[];
  product: number[];
  losses: number[];
  weights: number[][];
}

const viteNode = path.resolve(__dirname, '..', 'node_modules', 'vite-node', 'vite-node.mjs');
const child = path.resolve(__dirname, 'fixtures', 'backend', 'threads-child.ts');

/** Runs the child with `threads` wasm threads; resolves when the process has ended by itself. */
function runChild(threads: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [viteNode, child], { env: { ...process.env, WASM_THREADS: String(threads) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`the child with ${threads} threads did not exit by itself within 90 s (its pool threads keep it alive?)\n${out}\n${err}`));
    }, 90_000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`child with ${threads} threads exited with ${code}:\n${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() as string) as ChildResult);
    });
  });
}

function maxRelativeDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1e-6, ...a.map(Math.abs));
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i]) / scale));
}

describe('the threaded wasm backend', () => {
  it('runs 2 threads, computes what 1 thread computes, restores the globals and exits by itself', async () => {
    const [one, two] = await Promise.all([runChild(1), runChild(2)]);
    expect(one.threads).toBe(1);
    expect(one.reason).toMatch(/SIMD, 1 thread:/);
    expect(two.threads).toBe(2);
    expect(two.reason).toMatch(/SIMD, 2 threads:/);
    expect(two.globalsRestored).toBe(true);
    expect(two.cores).toBe(os.cpus().length);
    for (const key of ['conv', 'dx', 'dw', 'pooled', 'product'] as const) {
      expect(two[key].every(Number.isFinite), key).toBe(true);
      expect(maxRelativeDifference(one[key], two[key]), key).toBeLessThan(1e-6);
    }
    expect(two.losses.length).toBe(2);
    two.losses.forEach((loss, i) => expect(loss).toBeCloseTo(one.losses[i], 6));
    two.weights.forEach((w, i) => expect(maxRelativeDifference(one.weights[i], w), `weight ${i}`).toBeLessThan(1e-5));
  }, 120_000);
});
