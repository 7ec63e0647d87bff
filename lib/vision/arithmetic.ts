/**
 * Convolution arithmetic: output sizes ((n - f + 2p) / s + 1), parameter counts,
 * multiplications and activation memory of a conv layer, as in the seed's memory example
 * (5x5 filters, 200 maps of 150x100 from an RGB image: 15,200 params, 225 M multiplications,
 * 12 MB per instance in float32, 1.2 GB per batch of 100).
 *
 * Usage: `convOutputSize(227, 11, { stride: 4 }) // 55`
 */

/** Padding: a number of pixels on each side, or Keras's 'valid' (0) / 'same' (output ceil(n / s)). */
export type Padding = number | 'valid' | 'same';

export interface SizeOptions {
  /** Default 1. */
  stride?: number;
  /** Default 'valid'. */
  padding?: Padding;
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${v}.`);
}

/**
 * Output size of a convolution or pooling window along one axis:
 * floor((n - f + 2p) / s) + 1 for numeric padding p ('valid' is p = 0); ceil(n / s) for 'same'.
 *
 * Usage: `convOutputSize(55, 3, { stride: 2 }) // 27`
 */
export function convOutputSize(n: number, f: number, options: SizeOptions = {}): number {
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 'valid';
  checkPositiveInt('input size n', n);
  checkPositiveInt('filter size f', f);
  checkPositiveInt('stride s', stride);
  if (padding === 'same') return Math.ceil(n / stride);
  const p = padding === 'valid' ? 0 : padding;
  if (!Number.isInteger(p) || p < 0) throw new Error(`padding must be 'same', 'valid' or a non-negative integer, got ${String(padding)}.`);
  const span = n - f + 2 * p;
  if (span < 0) throw new Error(`the ${f}-wide window does not fit in ${n} pixels with padding ${p}: use a smaller filter or more padding.`);
  return Math.floor(span / stride) + 1;
}

/**
 * Whether (n - f + 2p) is a multiple of s, i.e. the window tiles the input exactly (no pixel
 * row dropped at the end).
 *
 * Usage: `fitsExactly(227, 11, { stride: 4 }) // true: (227 - 11) / 4 = 54`
 */
export function fitsExactly(n: number, f: number, options: SizeOptions = {}): boolean {
  const stride = options.stride ?? 1;
  const padding = options.padding ?? 'valid';
  if (padding === 'same') return n % stride === 0;
  const p = padding === 'valid' ? 0 : padding;
  return (n - f + 2 * p) % stride === 0;
}

/** One step of a size chain (a conv or pooling layer along one axis). */
export interface SizeStep {
  name: string;
  /** Window (filter or pool) size f. */
  f: number;
  stride?: number;
  padding?: Padding;
}

/** A row of `sizeChain`: the step, its input and output sizes, and the formula with numbers. */
export interface SizeChainRow {
  name: string;
  input: number;
  output: number;
  formula: string;
  exact: boolean;
}

/**
 * Applies the output-size formula layer after layer.
 *
 * Usage: `sizeChain(227, [{ name: 'C1', f: 11, stride: 4 }, { name: 'S2', f: 3, stride: 2 }]).map((r) => r.output) // [55, 27]`
 */
export function sizeChain(n: number, steps: readonly SizeStep[]): SizeChainRow[] {
  const rows: SizeChainRow[] = [];
  let cur = n;
  for (const step of steps) {
    const stride = step.stride ?? 1;
    const padding = step.padding ?? 'valid';
    const output = convOutputSize(cur, step.f, { stride, padding });
    const formula =
      padding === 'same'
        ? `ceil(${cur} / ${stride}) = ${output}`
        : `(${cur} - ${step.f} + 2*${padding === 'valid' ? 0 : padding}) / ${stride} + 1 = ${output}`;
    rows.push({ name: step.name, input: cur, output, formula, exact: fitsExactly(cur, step.f, { stride, padding }) });
    cur = output;
  }
  return rows;
}

/**
 * The 'same' padding (total, split before/after) that Keras/TensorFlow apply: total =
 * max((ceil(n/s) - 1) * s + f - n, 0), before = floor(total / 2).
 *
 * Usage: `samePadding(27, 5) // { total: 4, before: 2, after: 2 }`
 */
export function samePadding(n: number, f: number, stride = 1): { total: number; before: number; after: number } {
  checkPositiveInt('input size n', n);
  checkPositiveInt('filter size f', f);
  checkPositiveInt('stride', stride);
  const total = Math.max((Math.ceil(n / stride) - 1) * stride + f - n, 0);
  const before = Math.floor(total / 2);
  return { total, before, after: total - before };
}

/** A conv layer's hyper-parameters, for `convLayerCost`. */
export interface ConvLayerSpec {
  /** Input [height, width, channels]. */
  input: readonly [number, number, number];
  filters: number;
  /** Kernel size (square) or [kh, kw]. */
  kernel: number | readonly [number, number];
  /** Default 1. */
  stride?: number;
  /** Default 'same'. */
  padding?: Padding;
  /** Default true. */
  useBias?: boolean;
  /** Bytes per activation value (default 4: float32). */
  bytesPerValue?: number;
}

/** What a conv layer costs. */
export interface ConvLayerCost {
  outputShape: [number, number, number];
  /** (kh * kw * c_in + 1) * filters (without +1 when useBias is false). */
  params: number;
  /** Inputs each output neuron weighs: kh * kw * c_in. */
  fanIn: number;
  /** Multiplications in one forward pass of one instance: outH * outW * filters * fanIn. */
  multiplications: number;
  /** Output values per instance: outH * outW * filters. */
  activations: number;
  /** activations * bytesPerValue. */
  bytesPerInstance: number;
}

/**
 * Parameters, multiplications and output memory of one conv layer.
 *
 * Usage: `convLayerCost({ input: [150, 100, 3], filters: 200, kernel: 5 }).params // 15200`
 */
export function convLayerCost(spec: ConvLayerSpec): ConvLayerCost {
  const [h, w, c] = spec.input;
  [h, w, c, spec.filters].forEach((v, i) => checkPositiveInt(['input height', 'input width', 'input channels', 'filters'][i], v));
  const [kh, kw] = typeof spec.kernel === 'number' ? [spec.kernel, spec.kernel] : spec.kernel;
  const stride = spec.stride ?? 1;
  const padding = spec.padding ?? 'same';
  const outH = convOutputSize(h, kh, { stride, padding });
  const outW = convOutputSize(w, kw, { stride, padding });
  const fanIn = kh * kw * c;
  const params = (fanIn + (spec.useBias === false ? 0 : 1)) * spec.filters;
  const activations = outH * outW * spec.filters;
  const bytesPerValue = spec.bytesPerValue ?? 4;
  return {
    outputShape: [outH, outW, spec.filters],
    params,
    fanIn,
    multiplications: activations * fanIn,
    activations,
    bytesPerInstance: activations * bytesPerValue,
  };
}

/**
 * Output memory of a layer for a batch: bytesPerInstance * batchSize.
 *
 * Usage: `batchBytes(cost, 100) // 1.2e9 for the seed's example`
 */
export function batchBytes(cost: Pick<ConvLayerCost, 'bytesPerInstance'>, batchSize: number): number {
  checkPositiveInt('batchSize', batchSize);
  return cost.bytesPerInstance * batchSize;
}

/**
 * Parameters of a regular k x k conv: (k*k*cIn + 1) * cOut (no +1 without bias).
 *
 * Usage: `conv2dParams(3, 64, 3) // 1792`
 */
export function conv2dParams(cIn: number, cOut: number, kernel: number, useBias = true): number {
  [cIn, cOut, kernel].forEach((v, i) => checkPositiveInt(['cIn', 'cOut', 'kernel'][i], v));
  return (kernel * kernel * cIn + (useBias ? 1 : 0)) * cOut;
}

/**
 * Parameters of a depthwise-separable k x k conv (Xception, Keras SeparableConv2D):
 * depthwise k*k*cIn*depthMultiplier, pointwise cIn*depthMultiplier*cOut, bias cOut.
 *
 * Usage: `separableConv2dParams(64, 128, 3) // 576 + 8192 + 128 = 8896`
 */
export function separableConv2dParams(cIn: number, cOut: number, kernel: number, depthMultiplier = 1, useBias = true): number {
  [cIn, cOut, kernel, depthMultiplier].forEach((v, i) => checkPositiveInt(['cIn', 'cOut', 'kernel', 'depthMultiplier'][i], v));
  return kernel * kernel * cIn * depthMultiplier + cIn * depthMultiplier * cOut + (useBias ? cOut : 0);
}

/**
 * Bytes as a short decimal string (kB = 1e3, MB = 1e6, GB = 1e9, the seed's units).
 *
 * Usage: `formatBytes(12e6) // '12 MB'`
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new Error(`formatBytes: bytes must be a non-negative number, got ${bytes}.`);
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) return `${Number((bytes / size).toPrecision(3))} ${unit}`;
  }
  return `${bytes} B`;
}
