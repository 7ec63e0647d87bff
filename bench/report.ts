/**
 * The benchmark's rows and table: per workload and backend, training throughput, the epoch time
 * extrapolated per sample to the notebook's epoch, PyTorch's, and the ratios tfjs/PyTorch in wall
 * and CPU time; inference throughput and its ratio.
 *
 * Usage: `console.log(formatTable(rows, { torchThreads: 1, loadStart: 12, loadEnd: 14 }))`
 */
import { medianTiming, Timing } from './timing';
import type { BenchBackend, Workload, WorkloadName } from './workloads';

/** PyTorch's seconds per sample (median run), training and inference. */
export interface TorchPerSample {
  train: Timing;
  infer: Timing | undefined;
  threads: number;
}

/** One table row. */
export interface BenchRow {
  workload: WorkloadName;
  title: string;
  backend: BenchBackend;
  /** Samples timed per run. */
  samples: number;
  /** Samples of the notebook's epoch. */
  epochSamples: number;
  /** Training samples per second (wall, median run). */
  trainPerSec: number;
  /** One notebook epoch, seconds (extrapolated per sample): wall and CPU. */
  epoch: Timing;
  /** PyTorch's epoch, seconds (same extrapolation), when the reference ran. */
  torchEpoch?: Timing;
  /** The thread count PyTorch's figure is for (its fastest of those tried). */
  torchThreads?: number;
  /** tfjs / PyTorch epoch time. */
  ratio?: Timing;
  /** Inference samples per second (wall, median run). */
  inferPerSec: number;
  torchInferPerSec?: number;
  /** tfjs / PyTorch inference time per sample (wall). */
  inferRatio?: number;
  /** Loss of the last timed epoch (a sanity check that training happened). */
  loss: number;
  torchLoss?: number;
  /** Tensors left after the workload (0 expected). */
  leakedTensors: number;
}

/** What bench/run.ts measured for one backend (the fields rowFigures reads). */
export interface MeasuredTfjs {
  backend: BenchBackend;
  samples: number;
  train: Timing[];
  infer: Timing[];
  inferSamples: number;
  losses: number[];
  leakedTensors: number;
}

/**
 * Turns the timings of one workload on one backend (and PyTorch's per-sample figures) into a row.
 *
 * Usage: `rowFigures(WORKLOADS.mlp, measured, { train: { wall: 2e-5, cpu: 2e-5 }, infer: undefined, threads: 1 })`
 */
export function rowFigures(w: Workload, r: MeasuredTfjs, torch: TorchPerSample | undefined, torchLoss?: number): BenchRow {
  const t = medianTiming(r.train);
  const perSample: Timing = { wall: t.wall / r.samples, cpu: t.cpu / r.samples };
  const epoch: Timing = { wall: perSample.wall * w.epochSamples, cpu: perSample.cpu * w.epochSamples };
  const inf = r.infer.length > 0 ? medianTiming(r.infer) : undefined;
  const row: BenchRow = {
    workload: w.name,
    title: w.title,
    backend: r.backend,
    samples: r.samples,
    epochSamples: w.epochSamples,
    trainPerSec: r.samples / t.wall,
    epoch,
    inferPerSec: inf ? r.inferSamples / inf.wall : NaN,
    loss: r.losses[r.losses.length - 1] ?? NaN,
    leakedTensors: r.leakedTensors,
  };
  if (torch) {
    row.torchEpoch = { wall: torch.train.wall * w.epochSamples, cpu: torch.train.cpu * w.epochSamples };
    row.torchThreads = torch.threads;
    row.ratio = { wall: epoch.wall / row.torchEpoch.wall, cpu: epoch.cpu / row.torchEpoch.cpu };
    if (torch.infer && inf) {
      row.torchInferPerSec = 1 / torch.infer.wall;
      row.inferRatio = inf.wall / r.inferSamples / torch.infer.wall;
    }
    if (torchLoss !== undefined) row.torchLoss = torchLoss;
  }
  return row;
}

function num(v: number | undefined, digits = 1): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(digits);
}

/** Options of formatTable. */
export interface TableOptions {
  /** PyTorch's thread count(s) tried, when the reference ran (each row uses its fastest). */
  torchThreads?: number | readonly number[];
  /** The wasm backend's thread count (1 when it did not run). */
  wasmThreads?: number;
  /** oneDNN's thread count, when a wasm+onednn row ran. */
  onednnThreads?: number;
  /** The machine (bench/cpu-info.ts cpuLine), printed under the table. */
  machine?: string;
  loadStart: number;
  loadEnd: number;
}

/**
 * A markdown table of the rows, with a note on threads, load and how to read the ratios.
 *
 * Usage: `formatTable(rows, { torchThreads: 2, wasmThreads: 2, loadStart: 1.3, loadEnd: 1.5 })`
 */
export function formatTable(rows: readonly BenchRow[], o: TableOptions): string {
  const head = [
    '| workload | backend | timed | train samples/s | epoch s (wall) | epoch s (CPU) | PyTorch epoch s (wall / CPU) | ratio wall | ratio CPU | infer samples/s | PyTorch infer/s | infer ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const tried = o.torchThreads === undefined ? [] : typeof o.torchThreads === 'number' ? [o.torchThreads] : [...o.torchThreads];
  const several = tried.length > 1;
  const body = rows.map((r) => {
    const epochLabel = r.samples === r.epochSamples ? '' : ` (x${(r.epochSamples / r.samples).toFixed(1)})`;
    return `| ${r.title} | ${r.backend} | ${r.samples.toLocaleString('en-US')}${epochLabel} | ${num(r.trainPerSec, 0)} | ${num(r.epoch.wall, 2)} | ${num(r.epoch.cpu, 2)} | ` +
      `${r.torchEpoch ? `${num(r.torchEpoch.wall, 2)} / ${num(r.torchEpoch.cpu, 2)}${several ? ` (${r.torchThreads} thr)` : ''}` : '-'} | ${num(r.ratio?.wall, 2)} | ${num(r.ratio?.cpu, 2)} | ` +
      `${num(r.inferPerSec, 0)} | ${num(r.torchInferPerSec, 0)} | ${num(r.inferRatio, 2)} |`;
  });
  const notes = [
    '',
    `Epoch: the notebook's epoch (55,000 / 2,048 / 2,500 / 55,000 samples), extrapolated per sample from the samples timed ("x" says by how much). ` +
      `Ratio = tfjs / PyTorch epoch time (below 1: tfjs is faster). ` +
      `tfjs wasm ran ${o.wasmThreads ?? 1} thread${(o.wasmThreads ?? 1) === 1 ? '' : 's'} (DL_WASM_THREADS), cpu one` +
      (o.onednnThreads !== undefined ? `, oneDNN ${o.onednnThreads} (DL_THREADS)` : '') +
      '; ' +
      (tried.length === 0
        ? 'PyTorch did not run.'
        : several
          ? `PyTorch ran ${tried.join(' and ')} threads; each row's ratio is against its fastest ("thr" says which).`
          : `PyTorch ran ${tried[0]} thread${tried[0] === 1 ? '' : 's'}.`) +
      ` Load average ${o.loadStart.toFixed(1)} at the start, ${o.loadEnd.toFixed(1)} at the end (shared machine: CPU-time ratios are the steadier figure).`,
  ];
  if (o.machine !== undefined) notes.push(`Machine: ${o.machine}.`);
  const leaks = rows.filter((r) => r.leakedTensors !== 0);
  if (leaks.length > 0) notes.push(`Tensors left after: ${leaks.map((r) => `${r.workload}/${r.backend} ${r.leakedTensors}`).join(', ')}.`);
  return [...head, ...body, ...notes].join('\n');
}
