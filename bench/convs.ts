/**
 * `npm run bench -- --convs` (also part of --profile): the seed CNN's convolution layers
 * (lib/models seedCnnSpec, at the CNN workload's batch size) timed one kernel at a time on each
 * tfjs backend and in PyTorch: the forward convolution (Conv2D), the filter gradient
 * (Conv2DBackpropFilter, dW) and the input gradient (Conv2DBackpropInput, dx), in milliseconds
 * per call and GMAC/s, with the ratio tfjs / PyTorch. It says how far the CNN's training time is
 * the convolutions' arithmetic speed (XNNPACK's SIMD128 against oneDNN's AVX) rather than
 * everything around them.
 *
 * How it is timed: one call first (not timed), then --runs runs, each as many calls as make
 * about `minSeconds` (the same count in every run); the figure is the median run's time per
 * call. Every call gets fresh copies of its input tensors (made outside the timed part): in
 * training the weights change every step, and tfjs-backend-wasm caches XNNPACK's packed filter
 * per filter tensor, so reusing one filter would time less work than training does. The
 * backends timed here (wasm, cpu, tensorflow) run kernels synchronously, so the time of
 * `runKernel` is the kernel's. A MAC is one multiply-add of the nominal convolution: batch x
 * outH x outW x kH x kW x inC x outC, the same for the three passes (the padding's zeros
 * included, as FLOP counts of convolutions usually do).
 *
 * Usage:
 *   const layers = seedCnnConvLayers(32);
 *   const wasm = timeTfjsConvs(layers, { runs: 3, minSeconds: 0.05 });   // on the active backend
 *   console.log(formatConvTable(convRows(layers, [{ backend: 'wasm', timings: wasm }], torch), { basis: 'cpu', ... }));
 */
import * as tf from '@tensorflow/tfjs';
import { FASHION_INPUT_SHAPE, seedCnnSpec } from '../lib/models/cnn';
import { summarizeSpec } from '../lib/models/spec';
import { medianTiming, Timing } from './timing';
import type { BenchBackend } from './workloads';

/** The three timed passes of a convolution layer. */
export type ConvPass = 'fwd' | 'dW' | 'dx';
/** The passes in table order. Usage: `for (const p of CONV_PASSES) ...` */
export const CONV_PASSES: readonly ConvPass[] = ['fwd', 'dW', 'dx'];

/** One convolution layer to time: NHWC input, square kernel. */
export interface ConvLayer {
  /** The spec's layer name (conv1, ...). */
  name: string;
  batch: number;
  height: number;
  width: number;
  channels: number;
  kernel: number;
  filters: number;
  stride: number;
  padding: 'same' | 'valid';
  /** Zero rows/columns added by the padding: [top, bottom, left, right]. */
  pads: [number, number, number, number];
  outHeight: number;
  outWidth: number;
  /**
   * Whether training computes this layer's input gradient (false for the model's first layer:
   * its input is the data, and neither tfjs nor PyTorch differentiates with respect to it).
   */
  inputGradientInTraining: boolean;
}

/**
 * A conv layer's shape, output size and padding from its input shape and kernel settings
 * (tfjs's own arithmetic, backend_util.computeConv2DInfo).
 *
 * Usage: `convLayer('conv2', [32, 14, 14, 64], { kernel: 3, filters: 128 })`
 */
export function convLayer(
  name: string,
  input: readonly [number, number, number, number],
  o: { kernel: number; filters: number; stride?: number; padding?: 'same' | 'valid'; inputGradientInTraining?: boolean },
): ConvLayer {
  const [batch, height, width, channels] = input;
  const stride = o.stride ?? 1;
  const padding = o.padding ?? 'valid';
  const info = tf.backend_util.computeConv2DInfo([batch, height, width, channels], [o.kernel, o.kernel, channels, o.filters], [stride, stride], [1, 1], padding);
  const p = info.padInfo;
  return {
    name,
    batch,
    height,
    width,
    channels,
    kernel: o.kernel,
    filters: o.filters,
    stride,
    padding,
    pads: [p.top, p.bottom, p.left, p.right],
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    inputGradientInTraining: o.inputGradientInTraining ?? true,
  };
}

/**
 * The conv2d layers of the seed CNN (lib/models seedCnnSpec on Fashion-MNIST's 28x28x1), each
 * with the input shape it sees in the model at this batch size.
 *
 * Usage: `seedCnnConvLayers(32).map((l) => l.name) // ['conv1', 'conv2', 'conv3']`
 */
export function seedCnnConvLayers(batch: number): ConvLayer[] {
  const specs = seedCnnSpec();
  const summary = summarizeSpec(FASHION_INPUT_SHAPE, specs);
  const layers: ConvLayer[] = [];
  specs.forEach((spec, i) => {
    if (spec.kind !== 'conv2d') return;
    const input = i === 0 ? summary.inputShape : summary.rows[i - 1].outputShape;
    const row = summary.rows[i];
    const layer = convLayer(row.name, [batch, input[0], input[1], input[2]], {
      kernel: spec.kernel,
      filters: spec.filters,
      stride: spec.strides,
      padding: spec.padding,
      inputGradientInTraining: i > 0,
    });
    if (layer.outHeight !== row.outputShape[0] || layer.outWidth !== row.outputShape[1]) {
      throw new Error(`seedCnnConvLayers: ${row.name} gives ${layer.outHeight}x${layer.outWidth} here but ${row.outputShape.join('x')} in summarizeSpec.`);
    }
    layers.push(layer);
  });
  return layers;
}

/**
 * Multiply-adds of one pass over the batch: batch x outH x outW x kernel² x inC x outC.
 *
 * Usage: `convMacs(seedCnnConvLayers(32)[2]) // 924,844,032`
 */
export function convMacs(l: ConvLayer): number {
  return l.batch * l.outHeight * l.outWidth * l.kernel * l.kernel * l.channels * l.filters;
}

/**
 * A short label: name, NHWC input, kernel, filters (and stride/padding when not 1/'same').
 *
 * Usage: `convLabel(layer) // 'conv2 [32,14,14,64] 3x3→128'`
 */
export function convLabel(l: ConvLayer): string {
  const extra = [l.stride !== 1 ? `stride ${l.stride}` : '', l.padding !== 'same' ? l.padding : ''].filter((s) => s !== '');
  return `${l.name} [${l.batch},${l.height},${l.width},${l.channels}] ${l.kernel}x${l.kernel}→${l.filters}${extra.length > 0 ? ` ${extra.join(', ')}` : ''}`;
}

/** Timings of one pass: seconds per call, one entry per run; or why it could not run. */
export interface PassTiming {
  runs: Timing[];
  callsPerRun: number;
  error?: string;
}

/** Timings of every layer (by name) and pass. */
export type ConvTimings = Record<string, Partial<Record<ConvPass, PassTiming>>>;

/** How to time. */
export interface ConvTimingOptions {
  /** Timed runs per pass (the median is reported). */
  runs: number;
  /** Each run repeats the call until it has taken about this long (wall seconds, at least one call). */
  minSeconds: number;
}

/** Calls per run so that a run takes about minSeconds, given one call's wall time (1 to 100). */
export function callsPerRun(oneCallSeconds: number, minSeconds: number): number {
  return Math.max(1, Math.min(100, Math.ceil(minSeconds / Math.max(oneCallSeconds, 1e-6))));
}

function randomValues(shape: readonly number[], seed: number): Float32Array {
  const t = tf.randomNormal(shape as number[], 0, 1, 'float32', seed);
  try {
    return Float32Array.from(t.dataSync());
  } finally {
    t.dispose();
  }
}

/** Times one kernel: fresh input tensors for every call, made and freed outside the timed part. */
function timeKernel(kernel: string, inputs: Record<string, { values: Float32Array; shape: number[] }>, attrs: tf.NamedAttrMap, o: ConvTimingOptions): PassTiming {
  const once = (): Timing => {
    const fresh: tf.NamedTensorMap = {};
    for (const [k, v] of Object.entries(inputs)) fresh[k] = tf.tensor(v.values, v.shape, 'float32');
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const out = tf.engine().runKernel(kernel, fresh, attrs) as tf.Tensor;
      const wall = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      out.dispose();
      return { wall, cpu: (c.user + c.system) / 1e6 };
    } finally {
      tf.dispose(Object.values(fresh));
    }
  };
  const first = once();
  const calls = callsPerRun(first.wall, o.minSeconds);
  const runs: Timing[] = [];
  for (let r = 0; r < o.runs; r++) {
    let wall = 0;
    let cpu = 0;
    for (let k = 0; k < calls; k++) {
      const t = once();
      wall += t.wall;
      cpu += t.cpu;
    }
    runs.push({ wall: wall / calls, cpu: cpu / calls });
  }
  return { runs, callsPerRun: calls };
}

/**
 * Times the three passes of each layer on the active tfjs backend (tf.getBackend()). A pass
 * that fails (a kernel the backend lacks) gets its error instead of timings.
 *
 * Usage: `await initBackend({ backend: 'wasm' }); const t = timeTfjsConvs(seedCnnConvLayers(32), { runs: 3, minSeconds: 0.05 });`
 */
export function timeTfjsConvs(layers: readonly ConvLayer[], o: ConvTimingOptions, onLayer?: (name: string) => void): ConvTimings {
  const out: ConvTimings = {};
  layers.forEach((l, i) => {
    onLayer?.(l.name);
    const xShape = [l.batch, l.height, l.width, l.channels];
    const wShape = [l.kernel, l.kernel, l.channels, l.filters];
    const dyShape = [l.batch, l.outHeight, l.outWidth, l.filters];
    const x = { values: randomValues(xShape, 100 + i), shape: xShape };
    const filter = { values: randomValues(wShape, 200 + i), shape: wShape };
    const dy = { values: randomValues(dyShape, 300 + i), shape: dyShape };
    const common = { strides: [l.stride, l.stride], pad: l.padding, dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as tf.NamedAttrMap;
    const passes: Record<ConvPass, () => PassTiming> = {
      fwd: () => timeKernel(tf.Conv2D, { x, filter }, { ...common, dilations: [1, 1] }, o),
      dW: () => timeKernel(tf.Conv2DBackpropFilter, { x, dy }, { ...common, filterShape: wShape }, o),
      dx: () => timeKernel(tf.Conv2DBackpropInput, { dy, filter }, { ...common, inputShape: xShape }, o),
    };
    const timings: Partial<Record<ConvPass, PassTiming>> = {};
    for (const p of CONV_PASSES) {
      try {
        timings[p] = passes[p]();
      } catch (e) {
        timings[p] = { runs: [], callsPerRun: 0, error: e instanceof Error ? e.message : String(e) };
      }
    }
    out[l.name] = timings;
  });
  return out;
}

/** The medians of one pass of one row. */
export interface ConvPassFigures {
  /** Multiply-adds of this pass over the batch. */
  macs: number;
  /** tfjs seconds per call (median run), when it ran. */
  tfjs?: Timing;
  /** PyTorch seconds per call (median run), when it ran. */
  torch?: Timing;
}

/** One table row: a layer (or the total over the layers) on one tfjs backend. */
export interface ConvRow {
  /** Layer label, or 'all convs (training)' for the total. */
  layer: string;
  backend: BenchBackend;
  /** Multiply-adds of the forward pass over the batch. */
  macs: number;
  passes: Record<ConvPass, ConvPassFigures>;
  /** The total row: sums the layers' passes that training runs. */
  total: boolean;
}

/** One tfjs backend's timings. */
export interface ConvBackendTimings {
  backend: BenchBackend;
  timings: ConvTimings;
  /** Tensors left after timing (0 expected). */
  leakedTensors?: number;
}

function medianOf(t: PassTiming | undefined): Timing | undefined {
  return t !== undefined && t.error === undefined && t.runs.length > 0 ? medianTiming(t.runs) : undefined;
}

function addTiming(a: Timing | undefined, b: Timing | undefined): Timing | undefined {
  return a === undefined || b === undefined ? undefined : { wall: a.wall + b.wall, cpu: a.cpu + b.cpu };
}

/**
 * Table rows: for each tfjs backend, one row per layer and a total row ('all convs
 * (training)': the sum over the layers of what a training step runs, so without the first
 * layer's input gradient). PyTorch's figures, when given, sit next to each backend's.
 *
 * Usage: `convRows(layers, [{ backend: 'wasm', timings }], torchTimings)`
 */
export function convRows(layers: readonly ConvLayer[], tfjs: readonly ConvBackendTimings[], torch?: ConvTimings): ConvRow[] {
  const rows: ConvRow[] = [];
  for (const b of tfjs) {
    const total: ConvRow = {
      layer: 'all convs (training)',
      backend: b.backend,
      macs: 0,
      passes: { fwd: { macs: 0, tfjs: { wall: 0, cpu: 0 }, torch: torch ? { wall: 0, cpu: 0 } : undefined }, dW: { macs: 0, tfjs: { wall: 0, cpu: 0 }, torch: torch ? { wall: 0, cpu: 0 } : undefined }, dx: { macs: 0, tfjs: { wall: 0, cpu: 0 }, torch: torch ? { wall: 0, cpu: 0 } : undefined } },
      total: true,
    };
    for (const l of layers) {
      const macs = convMacs(l);
      const passes = {} as Record<ConvPass, ConvPassFigures>;
      for (const p of CONV_PASSES) {
        const fig: ConvPassFigures = { macs, tfjs: medianOf(b.timings[l.name]?.[p]), torch: torch ? medianOf(torch[l.name]?.[p]) : undefined };
        passes[p] = fig;
        if (p === 'dx' && !l.inputGradientInTraining) continue;
        const t = total.passes[p];
        t.macs += macs;
        t.tfjs = addTiming(t.tfjs, fig.tfjs);
        t.torch = addTiming(t.torch, fig.torch);
      }
      total.macs += macs;
      rows.push({ layer: convLabel(l), backend: b.backend, macs, passes, total: false });
    }
    if (layers.length > 1) rows.push(total);
  }
  return rows;
}

/** Options of formatConvTable. */
export interface ConvTableOptions {
  /** Which time the figures use: CPU seconds (steadier on a shared machine) or wall seconds. */
  basis: 'cpu' | 'wall';
  /** Runs per tfjs figure (the median is shown). */
  runs: number;
  /** Runs per PyTorch figure, when not `runs` (it runs before and after tfjs). */
  torchRuns?: number;
  /** PyTorch's thread count, when it ran. */
  torchThreads?: number;
  /** Why PyTorch's columns are empty, when they are. */
  torchSkipped?: string;
  /** Layers whose input gradient training does not compute (named in a note). */
  noInputGradient?: readonly string[];
  loadStart?: number;
  loadEnd?: number;
}

/**
 * Multiply-adds as millions or billions.
 *
 * Usage: `formatMacs(924844032) // '924.8 M'`
 */
export function formatMacs(macs: number): string {
  return macs >= 1e9 ? `${(macs / 1e9).toFixed(2)} G` : `${(macs / 1e6).toFixed(1)} M`;
}

function fixed(v: number | undefined, digits: number): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/**
 * A markdown table of the rows: per pass, ms per call and GMAC/s for tfjs / PyTorch, and the
 * ratio tfjs / PyTorch time (above 1: tfjs is slower), with notes on how it was measured.
 *
 * Usage: `formatConvTable(rows, { basis: 'cpu', runs: 3, torchThreads: 1 })`
 */
export function formatConvTable(rows: readonly ConvRow[], o: ConvTableOptions): string {
  const head = [
    `| layer | backend | MACs/batch | ${CONV_PASSES.map((p) => `${p} ms (tfjs / torch) | ${p} GMAC/s (tfjs / torch) | ${p} ratio`).join(' | ')} |`,
    `| --- | --- | ---: | ${CONV_PASSES.map(() => '---: | ---: | ---:').join(' | ')} |`,
  ];
  const body = rows.map((r) => {
    const cells = CONV_PASSES.map((p) => {
      const f = r.passes[p];
      const tj = f.tfjs?.[o.basis];
      const pt = f.torch?.[o.basis];
      const ms = (s: number | undefined): string => fixed(s === undefined ? undefined : s * 1000, 1);
      const gmacs = (s: number | undefined): string => fixed(s === undefined || s <= 0 ? undefined : f.macs / s / 1e9, 1);
      const ratio = tj !== undefined && pt !== undefined && pt > 0 ? tj / pt : undefined;
      return `${ms(tj)} / ${ms(pt)} | ${gmacs(tj)} / ${gmacs(pt)} | ${fixed(ratio, 2)}`;
    });
    const label = r.total ? `**${r.layer}**` : r.layer;
    return `| ${label} | ${r.backend} | ${formatMacs(r.macs)} | ${cells.join(' | ')} |`;
  });
  const basis = o.basis === 'cpu' ? 'CPU time' : 'wall time';
  const notes = [
    '',
    `Per call, ${basis} (median of ${o.runs} run${o.runs === 1 ? '' : 's'}${o.torchRuns !== undefined && o.torchRuns !== o.runs ? `, PyTorch ${o.torchRuns}` : ''}; wall and CPU are both in the JSON), one batch; NHWC in tfjs, NCHW in PyTorch, float32, no bias. ` +
      'fwd: Conv2D; dW: filter gradient (Conv2DBackpropFilter); dx: input gradient (Conv2DBackpropInput); PyTorch: conv2d and aten.convolution_backward. ' +
      'MACs: batch x outH x outW x kH x kW x inC x outC, the same for the three passes. Ratio = tfjs / PyTorch time (above 1: tfjs is slower). ' +
      (o.torchThreads !== undefined ? `PyTorch ran ${o.torchThreads} thread${o.torchThreads === 1 ? '' : 's'}.` : `PyTorch did not run${o.torchSkipped ? ` (${o.torchSkipped})` : ''}.`),
  ];
  if (o.noInputGradient && o.noInputGradient.length > 0) {
    notes.push(`Training does not compute the input gradient of ${o.noInputGradient.join(', ')} (its input is the data): timed, but not in the total row.`);
  }
  if (o.loadStart !== undefined && o.loadEnd !== undefined) notes.push(`Load average ${o.loadStart.toFixed(1)} at the start, ${o.loadEnd.toFixed(1)} at the end.`);
  return [...head, ...body, ...notes].join('\n');
}

/**
 * Puts two sets of timings of the same layers together (PyTorch runs before and after the tfjs
 * timings): the runs of each pass are concatenated, so the median is over both.
 *
 * Usage: `mergeConvTimings(before.timings, after.timings)`
 */
export function mergeConvTimings(a: ConvTimings, b: ConvTimings): ConvTimings {
  const out: ConvTimings = {};
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const passes: Partial<Record<ConvPass, PassTiming>> = {};
    for (const p of CONV_PASSES) {
      const x = a[name]?.[p];
      const y = b[name]?.[p];
      if (x === undefined || y === undefined) {
        const only = x ?? y;
        if (only !== undefined) passes[p] = only;
        continue;
      }
      const error = x.error ?? y.error;
      passes[p] = { runs: [...x.runs, ...y.runs], callsPerRun: Math.max(x.callsPerRun, y.callsPerRun), ...(error !== undefined ? { error } : {}) };
    }
    out[name] = passes;
  }
  return out;
}

/**
 * The tfjs backends to time the convolutions on, out of those the benchmark times: the cpu
 * backend only when asked for by name (--backends; it takes seconds per call), never
 * wasm-native (its convolution kernels are wasm's: --baseline swaps matmul, slice and the like).
 *
 * Usage: `convBackends(undefined, ['wasm', 'cpu']) // { backends: ['wasm'], skipped: ['cpu (...)'] }`
 */
export function convBackends(requested: readonly BenchBackend[] | undefined, timed: readonly BenchBackend[]): { backends: BenchBackend[]; skipped: string[] } {
  const backends: BenchBackend[] = [];
  const skipped: string[] = [];
  for (const b of timed) {
    if (b === 'wasm-native') skipped.push('wasm-native (the same convolution kernels as wasm)');
    else if (b === 'cpu' && !(requested ?? []).includes('cpu')) skipped.push('cpu (slow; ask for it with --backends ...,cpu)');
    else if (!backends.includes(b)) backends.push(b);
  }
  return { backends, skipped };
}
