/**
 * Runs bench/torch_reference.py (PyTorch, when python3 can import torch) on the same data as the
 * tfjs run: the tensors are written to raw files under build/bench/data first.
 *
 * Usage:
 *   const probe = probeTorch();             // { ok: true, version: '1.13.0a0', python: '/usr/bin/python3' }
 *   const r = runTorch(probe, 'mlp', data, { samples: 8192, runs: 3, threads: 1, batch: 32, inferSamples: 10000 });
 *   const c = runTorchConvs(probe, seedCnnConvLayers(32), { runs: 3, threads: 1, minSeconds: 0.05 });   // bench/convs.ts
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { ConvLayer, ConvPass, ConvTimings, PassTiming } from './convs';
import type { Timing } from './timing';
import type { BenchData, WorkloadName } from './workloads';

/** Whether PyTorch can run here, and which python/torch. */
export type TorchProbe = { ok: true; python: string; version: string } | { ok: false; reason: string };

/** What one reference run measured. */
export interface TorchResult {
  train: Timing[];
  infer: Timing[];
  inferSamples: number;
  losses: number[];
  threads: number;
  version: string;
}

/** How to run one reference. */
export interface TorchRunOptions {
  samples: number;
  runs: number;
  threads: number;
  batch: number;
  inferSamples: number;
  inferBatch: number;
}

// Next to this file when run from source, in ../../bench when compiled to dist/bench.
const SCRIPT = [path.join(__dirname, 'torch_reference.py'), path.join(__dirname, '..', '..', 'bench', 'torch_reference.py')].find((p) => fs.existsSync(p)) ?? path.join(__dirname, 'torch_reference.py');

function pythonCandidates(): string[] {
  const fromEnv = process.env.BENCH_PYTHON;
  return fromEnv ? [fromEnv] : ['/usr/bin/python3', 'python3'];
}

/**
 * Finds a python3 that imports torch (BENCH_PYTHON overrides the interpreter).
 *
 * Usage: `const p = probeTorch(); if (!p.ok) console.log(p.reason);`
 */
export function probeTorch(): TorchProbe {
  if (!fs.existsSync(SCRIPT)) return { ok: false, reason: `the reference script ${SCRIPT} is missing` };
  const errors: string[] = [];
  for (const python of pythonCandidates()) {
    try {
      const version = execFileSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).trim();
      return { ok: true, python, version };
    } catch (e) {
      errors.push(`${python}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return { ok: false, reason: `no python3 with torch (${errors.join('; ')}); install it (Debian: apt install python3-torch) or set BENCH_PYTHON` };
}

/** Writes x and y as raw little-endian files; returns their paths and x's shape. */
function writeData(dir: string, name: WorkloadName, data: BenchData): { x: string; y: string; xShape: number[] } {
  fs.mkdirSync(dir, { recursive: true });
  const x = path.join(dir, `${name}-x.f32`);
  const y = path.join(dir, `${name}-y.bin`);
  const xv = data.x.dataSync() as Float32Array;
  fs.writeFileSync(x, Buffer.from(xv.buffer, xv.byteOffset, xv.byteLength));
  const yv = data.y.dtype === 'int32' ? (data.y.dataSync() as Int32Array) : Float32Array.from(data.y.dataSync());
  fs.writeFileSync(y, Buffer.from(yv.buffer, yv.byteOffset, yv.byteLength));
  return { x, y, xShape: data.x.shape };
}

/**
 * Times the PyTorch version of a workload on the same data (its first `samples` rows).
 * Throws with the script's error output when it fails.
 *
 * Usage: `runTorch(probe, 'cnn', data, { samples: 2048, runs: 3, threads: 1, batch: 32, inferSamples: 1024, inferBatch: 256 })`
 */
export function runTorch(probe: TorchProbe & { ok: true }, name: WorkloadName, data: BenchData, o: TorchRunOptions, dataDir: string): TorchResult {
  const files = writeData(dataDir, name, data);
  const args = [
    SCRIPT,
    '--workload', name,
    '--samples', String(o.samples),
    '--batch', String(o.batch),
    '--runs', String(o.runs),
    '--threads', String(o.threads),
    '--infer-samples', String(o.inferSamples),
    '--infer-batch', String(o.inferBatch),
    '--x', files.x,
    '--x-shape', files.xShape.join(','),
    '--y', files.y,
  ];
  let out: string;
  try {
    out = execFileSync(probe.python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_800_000, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    throw new Error(`torch reference for ${name} failed: ${(err.stderr ?? err.message ?? String(e)).trim().split('\n').slice(-3).join(' | ')}`);
  } finally {
    fs.rmSync(files.x, { force: true });
    fs.rmSync(files.y, { force: true });
  }
  const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    error?: string;
    train?: Timing[];
    infer?: Timing[];
    infer_samples?: number;
    losses?: number[];
    threads?: number;
    torch?: string;
  };
  if (parsed.error !== undefined || parsed.train === undefined) throw new Error(`torch reference for ${name}: ${parsed.error ?? 'no timings in its output'}`);
  return {
    train: parsed.train,
    infer: parsed.infer ?? [],
    inferSamples: parsed.infer_samples ?? 0,
    losses: parsed.losses ?? [],
    threads: parsed.threads ?? o.threads,
    version: parsed.torch ?? probe.version,
  };
}

/** How to run the convolution reference (`--convs`). */
export interface TorchConvOptions {
  runs: number;
  threads: number;
  /** Each run repeats a call until it has taken about this long (seconds). */
  minSeconds: number;
}

/** What the convolution reference measured. */
export interface TorchConvResult {
  timings: ConvTimings;
  threads: number;
  version: string;
}

/**
 * Times the forward convolution, filter gradient and input gradient of each layer in PyTorch
 * (bench/torch_reference.py --conv-layers). Throws with the script's error output when it fails.
 *
 * Usage: `runTorchConvs(probe, seedCnnConvLayers(32), { runs: 3, threads: 1, minSeconds: 0.05 })`
 */
export function runTorchConvs(probe: TorchProbe & { ok: true }, layers: readonly ConvLayer[], o: TorchConvOptions): TorchConvResult {
  const spec = layers.map((l) => ({ name: l.name, batch: l.batch, height: l.height, width: l.width, channels: l.channels, kernel: l.kernel, filters: l.filters, stride: l.stride, pads: l.pads }));
  const args = [SCRIPT, '--conv-layers', JSON.stringify(spec), '--runs', String(o.runs), '--threads', String(o.threads), '--min-seconds', String(o.minSeconds)];
  let out: string;
  try {
    out = execFileSync(probe.python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message?: string };
    throw new Error(`torch conv reference failed: ${(err.stderr ?? err.message ?? String(e)).trim().split('\n').slice(-3).join(' | ')}`);
  }
  type PyPass = { runs: Timing[]; calls_per_run: number };
  const parsed = JSON.parse(out.trim().split('\n').pop() ?? '{}') as {
    error?: string;
    convs?: Array<{ name: string } & Partial<Record<ConvPass, PyPass>>>;
    threads?: number;
    torch?: string;
  };
  if (parsed.error !== undefined || parsed.convs === undefined) throw new Error(`torch conv reference: ${parsed.error ?? 'no timings in its output'}`);
  const timings: ConvTimings = {};
  for (const c of parsed.convs) {
    const passes: Partial<Record<ConvPass, PassTiming>> = {};
    for (const p of ['fwd', 'dW', 'dx'] as const) {
      const v = c[p];
      if (v !== undefined) passes[p] = { runs: v.runs, callsPerRun: v.calls_per_run };
    }
    timings[c.name] = passes;
  }
  return { timings, threads: parsed.threads ?? o.threads, version: parsed.torch ?? probe.version };
}
