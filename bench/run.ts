/**
 * `npm run bench`: training and inference throughput of the notebooks' models (bench/workloads.ts)
 * on every available tfjs backend, next to PyTorch on the same data in the same run, with the
 * ratio tfjs/PyTorch per row. Warm-up excluded, median of --runs runs, wall and CPU time (the
 * machine is shared: CPU-time ratios are the steadier figure; the load average is printed).
 * PyTorch runs --runs times before and --runs times after each workload's tfjs runs.
 *
 * Options:
 *   --quick            fewer samples (a rough figure in a minute or two)
 *   --only mlp,cnn     some workloads (mlp, cnn, lstm, ae)
 *   --runs N           timed runs per figure (default 3; the median is reported)
 *   --backends a,b     tfjs backends (default: wasm, wasm+onednn when the native addon loads, cpu,
 *                      and tensorflow when tfjs-node loads); 'wasm' is wasm's own kernels with the
 *                      oneDNN ones off, 'wasm+onednn' the same process with them on
 *   --no-torch         skip the PyTorch reference
 *   --torch-threads L  PyTorch thread counts, e.g. 1,2 (default: 1 and as many as the wasm backend,
 *                      DL_THREADS / DL_WASM_THREADS or one per core up to 4); each row's ratio is
 *                      against PyTorch at its best (lowest wall time) of these
 *   --baseline         also time wasm as it was before the speed work (row 'wasm-native'): tfjs's
 *                      own kernels (no lib/backend/kernels/fast-paths.ts) and fit's generic step
 *                      (no lib/train/fast-dense.ts)
 *   --convs            also time the seed CNN's convolution layers one kernel at a time (forward,
 *                      filter gradient, input gradient; ms and GMAC/s) on each tfjs backend timed
 *                      (cpu only when named in --backends) and in PyTorch (bench/convs.ts)
 *   --profile          also print where a wasm training step's CPU time goes, kernel by kernel;
 *                      implies --convs
 *   --out DIR          where the JSON goes (default build/bench)
 *
 * Usage: `npm run bench -- --quick --only mlp,cnn`, `npm run bench -- --convs --only cnn --quick`
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendName, initBackend } from '../lib/backend';
import { activeWasmThreads, threadsFromEnv } from '../lib/backend/threads';
import { enableOnednnKernels, loadOnednnAddon, nativeAllowedFromEnv, setOnednnActive } from '../lib/backend/onednn';
import { cpuLine } from './cpu-info';
import { registerFastWasmKernels, restoreNativeWasmKernels } from '../lib/backend/kernels/fast-paths';
import { setGlobalSeed } from '../lib/random';
import { compile } from '../lib/train/compile';
import { setDenseFastPath } from '../lib/train/fast-dense';
import { fit, predict } from '../lib/train/fit';
import { CONV_PASSES, convBackends, ConvBackendTimings, convMacs, convRows, ConvTimings, formatConvTable, mergeConvTimings, seedCnnConvLayers, timeTfjsConvs } from './convs';
import { formatKernelProfile, KernelProfile, profileKernels } from './kernel-profile';
import { formatTable, BenchRow, MeasuredTfjs, rowFigures } from './report';
import { loadAverage, loadLine, medianTiming, timeIt, Timing } from './timing';
import { probeTorch, runTorch, runTorchConvs, TorchConvResult, TorchProbe, TorchResult } from './torch';
import { BenchBackend, INFER_BATCH, parseWorkloads, samplesFor, Workload, WORKLOAD_NAMES, WorkloadName, WORKLOADS } from './workloads';

/** Parsed command line. */
export interface BenchOptions {
  quick: boolean;
  only: WorkloadName[];
  runs: number;
  backends: BenchBackend[] | undefined;
  torch: boolean;
  /** PyTorch thread counts tried; each row's ratio uses the fastest. */
  torchThreads: number[];
  profile: boolean;
  /** Time the seed CNN's convolutions kernel by kernel (--convs, or --profile). */
  convs: boolean;
  baseline: boolean;
  out: string;
}

function positiveInt(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got ${v ?? 'nothing'}.`);
  return n;
}

/**
 * Parses the command line (see the module comment); throws on an unknown flag.
 *
 * Usage: `parseArgs(['--quick', '--only', 'mlp'])`
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const o: BenchOptions = { quick: false, only: [...WORKLOAD_NAMES], runs: 3, backends: undefined, torch: true, torchThreads: [...new Set([1, threadsFromEnv().wasm])], profile: false, convs: false, baseline: false, out: path.join('build', 'bench') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      i++;
      if (i >= argv.length) throw new Error(`${flag} needs a value.`);
      return argv[i];
    };
    switch (flag) {
      case '--quick':
        o.quick = true;
        break;
      case '--only':
        o.only = parseWorkloads(value());
        break;
      case '--runs':
        o.runs = positiveInt('--runs', value());
        break;
      case '--backends': {
        const list = value().split(',').map((s) => s.trim()).filter((s) => s !== '');
        for (const b of list) if (!['wasm', 'wasm+onednn', 'wasm-native', 'cpu', 'tensorflow'].includes(b)) throw new Error(`--backends: unknown backend '${b}'; use wasm, wasm+onednn, wasm-native, cpu, tensorflow.`);
        o.backends = list as BenchBackend[];
        break;
      }
      case '--no-torch':
        o.torch = false;
        break;
      case '--torch-threads':
        o.torchThreads = [...new Set(value().split(',').map((t) => positiveInt('--torch-threads', t.trim())))];
        break;
      case '--profile':
        o.profile = true;
        break;
      case '--convs':
        o.convs = true;
        break;
      case '--baseline':
        o.baseline = true;
        break;
      case '--out':
        o.out = value();
        break;
      default:
        throw new Error(`unknown option ${a}; see bench/run.ts (--quick, --only, --runs, --backends, --no-torch, --torch-threads, --baseline, --convs, --profile, --out).`);
    }
  }
  if (o.profile) o.convs = true;
  return o;
}

function tensorflowInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    try {
      require.resolve('@tensorflow/tfjs-node-gpu');
      return true;
    } catch {
      return false;
    }
  }
}

/** Timings of one workload on one tfjs backend (what rowFigures reads, plus a kernel profile). */
interface TfjsResult extends MeasuredTfjs {
  profile?: KernelProfile;
}

/** Whether the oneDNN addon can serve a 'wasm+onednn' row here (and why not). */
function onednnAvailable(): { ok: true } | { ok: false; reason: string } {
  if (!nativeAllowedFromEnv()) return { ok: false, reason: 'DL_NATIVE=0' };
  const loaded = loadOnednnAddon();
  return loaded.addon !== undefined ? { ok: true } : { ok: false, reason: loaded.reason };
}

/** Starts the tfjs backend a row needs; on wasm, turns the oneDNN kernels on for 'wasm+onednn' only. */
async function useBenchBackend(backend: BenchBackend): Promise<void> {
  const wasm = backend === 'wasm' || backend === 'wasm+onednn' || backend === 'wasm-native';
  await initBackend({ backend: wasm ? 'wasm' : (backend as BackendName) });
  if (backend === 'wasm+onednn') {
    const available = onednnAvailable();
    if (!available.ok) throw new Error(`no oneDNN kernels: ${available.reason}`);
    // Wrapped again in case a baseline row put wasm's own kernels back meanwhile.
    enableOnednnKernels({ threads: threadsFromEnv().onednn });
  }
  setOnednnActive(backend === 'wasm+onednn');
}

async function timeTfjs(w: Workload, backend: BenchBackend, o: BenchOptions, x: tf.Tensor, y: tf.Tensor, inferX: tf.Tensor): Promise<TfjsResult> {
  await useBenchBackend(backend);
  if (backend === 'wasm-native') {
    restoreNativeWasmKernels();
    setDenseFastPath(false);
  }
  try {
    return await timeOn(w, backend, o, x, y, inferX);
  } finally {
    if (backend === 'wasm-native') {
      registerFastWasmKernels();
      setDenseFastPath(true);
    }
    setOnednnActive(true);
  }
}

async function timeOn(w: Workload, backend: BenchBackend, o: BenchOptions, x: tf.Tensor, y: tf.Tensor, inferX: tf.Tensor): Promise<TfjsResult> {
  setGlobalSeed(42);
  const n = x.shape[0];
  const tensorsBefore = tf.memory().numTensors;
  const model = w.build();
  const config = w.compileConfig();
  compile(model, config);
  const losses: number[] = [];
  const train: Timing[] = [];
  const infer: Timing[] = [];
  let profile: KernelProfile | undefined;
  const xs = x.clone();
  const ys = y.clone();
  const xi = inferX.clone();
  try {
    // Warm-up (not timed): one batch builds the model, its gradients and the kernels' caches.
    const xw = xs.slice(0, w.batchSize);
    const yw = ys.slice(0, w.batchSize);
    await fit(model, xw, yw, { epochs: 1, batchSize: w.batchSize, verbose: 0 });
    tf.dispose([xw, yw]);
    for (let r = 0; r < o.runs; r++) {
      let loss = NaN;
      train.push(
        await timeIt(async () => {
          const h = await fit(model, xs, ys, { epochs: 1, batchSize: w.batchSize, shuffle: true, verbose: 0 });
          loss = h.history.loss[0];
        }),
      );
      losses.push(loss);
    }
    const xWarmInfer = xi.slice(0, Math.min(INFER_BATCH, xi.shape[0]));
    tf.dispose([predict(model, xWarmInfer, { batchSize: INFER_BATCH }), xWarmInfer]);
    for (let r = 0; r < o.runs; r++) infer.push(await timeIt(() => tf.dispose(predict(model, xi, { batchSize: INFER_BATCH }))));
    if (o.profile && (backend === 'wasm' || backend === 'wasm+onednn')) {
      profile = await profileKernels(async () => {
        await fit(model, xs, ys, { epochs: 1, batchSize: w.batchSize, shuffle: true, verbose: 0 });
      });
    }
  } finally {
    model.dispose();
    if (typeof config.optimizer !== 'string') config.optimizer.dispose();
    tf.dispose([xs, ys, xi]);
  }
  return { backend, samples: n, train, infer, inferSamples: inferX.shape[0], losses, leakedTensors: tf.memory().numTensors - tensorsBefore, profile };
}

/** The --convs section's table and what goes into the JSON. */
interface ConvSection {
  table: string;
  json: Record<string, unknown>;
}

/**
 * Times the seed CNN's convolutions kernel by kernel (bench/convs.ts) on the tfjs backends
 * convBackends picks, with PyTorch before and after (the median over both), as the workloads.
 */
async function timeConvs(o: BenchOptions, timed: readonly BenchBackend[], probe: TorchProbe): Promise<ConvSection> {
  const layers = seedCnnConvLayers(WORKLOADS.cnn.batchSize);
  const { backends, skipped } = convBackends(o.backends, timed);
  const timing = { runs: o.runs, minSeconds: o.quick ? 0.05 : 0.2 };
  const loadStart = loadAverage();
  console.log(`\nThe seed CNN's convolutions, kernel by kernel, batch ${WORKLOADS.cnn.batchSize} (${layers.map((l) => l.name).join(', ')})${skipped.length > 0 ? `; not timed on ${skipped.join(', ')}` : ''}:`);
  let torch: TorchConvResult | undefined;
  let torchError: string | undefined;
  let torchRuns = 0;
  const torchConvRuns = (when: string): void => {
    if (!probe.ok || torchError !== undefined) return;
    process.stdout.write(`  convs on PyTorch (${when})... `);
    try {
      const r = runTorchConvs(probe, layers, { runs: o.runs, threads: Math.max(...o.torchThreads), minSeconds: timing.minSeconds });
      torch = torch === undefined ? r : { ...r, timings: mergeConvTimings(torch.timings, r.timings) };
      torchRuns += o.runs;
      console.log(`done (${loadLine()})`);
    } catch (e) {
      torchError = e instanceof Error ? e.message : String(e);
      torch = undefined;
      console.log(`failed: ${torchError}`);
    }
  };
  torchConvRuns('before');
  const tfjs: ConvBackendTimings[] = [];
  for (const b of backends) {
    process.stdout.write(`  convs on ${b}: `);
    try {
      await useBenchBackend(b);
      const before = tf.memory().numTensors;
      const timings: ConvTimings = timeTfjsConvs(layers, timing, (name) => process.stdout.write(`${name} `));
      const leakedTensors = tf.memory().numTensors - before;
      tfjs.push({ backend: b, timings, leakedTensors });
      console.log(`done (${loadLine()})${leakedTensors !== 0 ? `; ${leakedTensors} tensors left` : ''}`);
      for (const l of layers) {
        for (const p of CONV_PASSES) {
          const err = timings[l.name]?.[p]?.error;
          if (err !== undefined) console.log(`    ${l.name} ${p} failed: ${err}`);
        }
      }
    } catch (e) {
      console.log(`failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setOnednnActive(true);
    }
  }
  torchConvRuns('after');
  const t = torch as TorchConvResult | undefined;
  const rows = convRows(layers, tfjs, t?.timings);
  const table = formatConvTable(rows, {
    basis: 'cpu',
    runs: o.runs,
    torchRuns: t !== undefined ? torchRuns : undefined,
    torchThreads: t?.threads,
    torchSkipped: t !== undefined ? undefined : (torchError ?? (probe.ok ? undefined : probe.reason)),
    noInputGradient: layers.filter((l) => !l.inputGradientInTraining).map((l) => l.name),
    loadStart,
    loadEnd: loadAverage(),
  });
  return {
    table,
    json: { basis: 'cpu', minSeconds: timing.minSeconds, layers: layers.map((l) => ({ ...l, macs: convMacs(l) })), skipped, tfjs, torch: t, torchError, rows, table },
  };
}

function percall(t: Timing[], n: number): { wall: number; cpu: number } {
  const m = medianTiming(t);
  return { wall: m.wall / n, cpu: m.cpu / n };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadStart = loadAverage();
  const onednn = onednnAvailable();
  const backends: BenchBackend[] = o.backends ?? (['wasm', ...(onednn.ok ? ['wasm+onednn' as const] : []), 'cpu', ...(tensorflowInstalled() ? ['tensorflow' as const] : [])] as BenchBackend[]);
  if (o.baseline && !backends.includes('wasm-native')) backends.splice(backends.includes('wasm') ? backends.indexOf('wasm') + 1 : 0, 0, 'wasm-native');
  console.log(`tsdl-course bench: ${o.only.join(', ')} on ${backends.join(', ')}; ${o.quick ? 'quick' : 'full'} sizes, median of ${o.runs} runs; ${loadLine()}`);
  const machine = cpuLine(undefined, onednn.ok ? loadOnednnAddon().addon?.info().isa : undefined);
  console.log(`Machine: ${machine}`);
  if (!onednn.ok) console.log(`No wasm+onednn row: ${onednn.reason}.`);
  const probe = o.torch ? probeTorch() : ({ ok: false, reason: 'skipped (--no-torch)' } as const);
  if (probe.ok) console.log(`PyTorch ${probe.version} (${probe.python}) on ${o.torchThreads.join(' and ')} thread(s): the reference runs in this same run, before and after each workload's tfjs runs; each ratio is against its fastest.`);
  else console.log(`PyTorch reference skipped: ${probe.reason}.`);
  if (!backends.includes('tensorflow')) console.log('tfjs-node is not installed: no tensorflow backend row (npm install @tensorflow/tfjs-node@4.22.0 to add one).');

  const rows: BenchRow[] = [];
  const raw: Record<string, unknown>[] = [];
  const profiles: string[] = [];
  for (const name of o.only) {
    const w = WORKLOADS[name];
    const counts = backends.map((b) => samplesFor(w, b, o.quick)).filter((n) => n > 0);
    const nMax = Math.max(...counts);
    const inferN = o.quick ? Math.min(w.inferSamples, 2048) : w.inferSamples;
    await initBackend({ backend: 'wasm' });
    const data = await w.data(Math.max(nMax, inferN));
    const torchByThreads = new Map<number, TorchResult>();
    let torchError: string | undefined;
    // PyTorch runs before and after the tfjs runs (the median over both), so that a change of
    // load while this workload is timed weighs on both sides of the ratio; at each thread count.
    const torchRuns = (when: string): void => {
      for (const threads of o.torchThreads) {
        if (!probe.ok || torchError !== undefined) return;
        process.stdout.write(`  ${name} on PyTorch, ${threads} thread(s) (${when}): ${nMax} samples x ${o.runs} runs... `);
        try {
          const r = runTorch(probe, name, data, { samples: nMax, runs: o.runs, threads, batch: w.batchSize, inferSamples: inferN, inferBatch: INFER_BATCH }, path.join(o.out, 'data'));
          const m = medianTiming(r.train);
          console.log(`${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU per run (${loadLine()})`);
          const prev = torchByThreads.get(threads);
          torchByThreads.set(threads, prev === undefined ? r : { ...r, train: [...prev.train, ...r.train], infer: [...prev.infer, ...r.infer], losses: [...prev.losses, ...r.losses] });
        } catch (e) {
          torchError = e instanceof Error ? e.message : String(e);
          torchByThreads.clear();
          console.log(`failed: ${torchError}`);
        }
      }
    };
    try {
      torchRuns('before');
      const results: TfjsResult[] = [];
      for (const b of backends) {
        const n = samplesFor(w, b, o.quick);
        if (n === 0) {
          console.log(`  ${name} on ${b}: not timed (far too slow there; see bench/workloads.ts).`);
          continue;
        }
        const inferB = b === 'cpu' ? Math.min(inferN, n) : inferN;
        process.stdout.write(`  ${name} on ${b}: ${n} samples x ${o.runs} runs... `);
        const x = data.x.slice(0, n);
        const y = data.y.slice(0, n);
        const xi = data.x.slice(0, inferB);
        try {
          const r = await timeTfjs(w, b, o, x, y, xi);
          results.push(r);
          const m = medianTiming(r.train);
          console.log(`${m.wall.toFixed(2)} s wall, ${m.cpu.toFixed(2)} s CPU per run (${loadLine()})`);
          if (r.profile) r.profile.backend = b;
          if (r.profile) profiles.push(`${w.title}, ${n} samples:\n${formatKernelProfile(r.profile, Math.ceil(n / w.batchSize))}`);
        } catch (e) {
          console.log(`failed: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          tf.dispose([x, y, xi]);
        }
      }
      torchRuns('after');
      // PyTorch at its best thread count (lowest median wall time): the figure a user would pick.
      const t = [...torchByThreads.values()].sort((p, q) => medianTiming(p.train).wall - medianTiming(q.train).wall)[0] as TorchResult | undefined;
      const torch = t;
      if (t !== undefined) {
        const torchLoss = t.losses[t.losses.length - 1];
        for (const r of results) rows.push(rowFigures(w, r, { train: percall(t.train, nMax), infer: t.infer.length > 0 ? percall(t.infer, t.inferSamples) : undefined, threads: t.threads }, torchLoss));
      }
      if (!torch) for (const r of results) rows.push(rowFigures(w, r, undefined));
      raw.push({ workload: name, title: w.title, epochSamples: w.epochSamples, batchSize: w.batchSize, dataSource: data.source, tfjs: results.map(({ profile, ...rest }) => ({ ...rest, profile })), torch, torchByThreads: Object.fromEntries(torchByThreads), torchError });
    } finally {
      tf.dispose([data.x, data.y]);
    }
  }

  const loadEnd = loadAverage();
  const convs = o.convs ? await timeConvs(o, backends, probe) : undefined;
  const table = formatTable(rows, {
    torchThreads: probe.ok ? o.torchThreads : undefined,
    wasmThreads: backends.some((b) => b.startsWith('wasm')) ? activeWasmThreads() : undefined,
    onednnThreads: backends.includes('wasm+onednn') ? loadOnednnAddon().addon?.info().threads : undefined,
    machine,
    loadStart,
    loadEnd,
  });
  console.log('');
  console.log(table);
  if (profiles.length > 0) {
    console.log('\nWhere a wasm training step spends its CPU time (kernel by kernel):');
    for (const p of profiles) console.log(p);
  }
  if (convs !== undefined) {
    console.log(`\nThe seed CNN's convolutions, one kernel call at a time (bench/convs.ts):`);
    console.log(convs.table);
  }
  fs.mkdirSync(o.out, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const report = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    options: o,
    load: { start: loadStart, end: loadEnd, cores: require('os').cpus().length as number },
    node: process.version,
    tfjs: tf.version.tfjs,
    machine,
    torch: probe.ok ? { version: probe.version, python: probe.python, threads: o.torchThreads } : { skipped: probe.reason },
    rows,
    raw,
    table,
    ...(convs !== undefined ? { convs: convs.json } : {}),
  };
  const file = path.join(o.out, `bench-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2));
  fs.writeFileSync(path.join(o.out, 'latest.json'), JSON.stringify(report, null, 2));
  console.log(`\nJSON: ${file} (and ${path.join(o.out, 'latest.json')})`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
