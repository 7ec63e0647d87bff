/**
 * Sequential architectures written as plain data (layer specs), so that one description gives
 * both the arithmetic (output shapes and parameter counts, without allocating a weight) and the
 * real tfjs model. AlexNet (62 M parameters) and VGG-16 (138 M, 553 MB of float32) can be
 * counted instantly; `buildSequential` allocates only when asked.
 *
 * Usage:
 *   const s = summarizeSpec([28, 28, 1], SEED_CNN);   // rows with shapes and params
 *   const model = buildSequential([28, 28, 1], SEED_CNN);
 */
import * as tf from '@tensorflow/tfjs';
import { convOutputSize } from '../vision/arithmetic';

/** Activations the specs use (a subset of tfjs's identifiers). */
export type SpecActivation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'elu' | 'selu';
/** Keras padding names. */
export type SpecPadding = 'same' | 'valid';

/** One layer of a sequential architecture. */
export type LayerSpec =
  | {
      kind: 'conv2d';
      name?: string;
      filters: number;
      kernel: number;
      strides?: number;
      padding?: SpecPadding;
      activation?: SpecActivation;
      useBias?: boolean;
    }
  | {
      kind: 'separableConv2d';
      name?: string;
      filters: number;
      kernel: number;
      strides?: number;
      padding?: SpecPadding;
      activation?: SpecActivation;
      depthMultiplier?: number;
      useBias?: boolean;
    }
  | { kind: 'maxPool' | 'avgPool'; name?: string; pool: number; strides?: number; padding?: SpecPadding }
  | { kind: 'globalAvgPool'; name?: string }
  | { kind: 'zeroPad'; name?: string; pad: number }
  | { kind: 'flatten'; name?: string }
  | { kind: 'dense'; name?: string; units: number; activation?: SpecActivation; useBias?: boolean }
  | { kind: 'dropout'; name?: string; rate: number }
  | { kind: 'batchNorm'; name?: string }
  | { kind: 'activation'; name?: string; activation: SpecActivation };

/** One row of a summary: the layer, its output shape (without the batch axis) and its parameters. */
export interface SpecRow {
  name: string;
  kind: LayerSpec['kind'];
  outputShape: number[];
  params: number;
  /** Parameters updated by training (batch norm's moving mean and variance are not). */
  trainable: number;
}

/** The arithmetic of a whole architecture. */
export interface SpecSummary {
  inputShape: number[];
  rows: SpecRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  outputShape: number[];
}

function fail(layer: string, msg: string): never {
  throw new Error(`layer ${layer}: ${msg}`);
}

function positiveInt(layer: string, what: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) fail(layer, `${what} must be a positive integer, got ${v}`);
}

const SPEC_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu'];

/** Output shape and parameter counts of one layer for a given input shape. */
function layerArithmetic(spec: LayerSpec, input: number[], name: string): Omit<SpecRow, 'name' | 'kind'> {
  const activation = (spec as { activation?: unknown }).activation;
  if ((activation !== undefined || spec.kind === 'activation') && !SPEC_ACTIVATIONS.includes(activation as string)) {
    fail(name, `unknown activation '${String(activation)}'; use one of ${SPEC_ACTIVATIONS.join(', ')}`);
  }
  const spatial = (): [number, number, number] => {
    if (input.length !== 3) fail(name, `${spec.kind} needs a [height, width, channels] input, got [${input.join(', ')}]; add a Flatten only after the conv/pool layers`);
    return [input[0], input[1], input[2]];
  };
  switch (spec.kind) {
    case 'conv2d':
    case 'separableConv2d': {
      const [h, w, c] = spatial();
      positiveInt(name, 'filters', spec.filters);
      positiveInt(name, 'kernel', spec.kernel);
      const strides = spec.strides ?? 1;
      const padding = spec.padding ?? 'valid';
      const oh = convOutputSize(h, spec.kernel, { stride: strides, padding });
      const ow = convOutputSize(w, spec.kernel, { stride: strides, padding });
      const bias = spec.useBias === false ? 0 : spec.filters;
      let params: number;
      if (spec.kind === 'conv2d') params = spec.kernel * spec.kernel * c * spec.filters + bias;
      else {
        const dm = spec.depthMultiplier ?? 1;
        params = spec.kernel * spec.kernel * c * dm + c * dm * spec.filters + bias;
      }
      return { outputShape: [oh, ow, spec.filters], params, trainable: params };
    }
    case 'maxPool':
    case 'avgPool': {
      const [h, w, c] = spatial();
      positiveInt(name, 'pool', spec.pool);
      const strides = spec.strides ?? spec.pool;
      const padding = spec.padding ?? 'valid';
      return {
        outputShape: [convOutputSize(h, spec.pool, { stride: strides, padding }), convOutputSize(w, spec.pool, { stride: strides, padding }), c],
        params: 0,
        trainable: 0,
      };
    }
    case 'globalAvgPool': {
      const [, , c] = spatial();
      return { outputShape: [c], params: 0, trainable: 0 };
    }
    case 'zeroPad': {
      const [h, w, c] = spatial();
      return { outputShape: [h + 2 * spec.pad, w + 2 * spec.pad, c], params: 0, trainable: 0 };
    }
    case 'flatten':
      return { outputShape: [input.reduce((a, b) => a * b, 1)], params: 0, trainable: 0 };
    case 'dense': {
      if (input.length !== 1) fail(name, `dense needs a flat input, got [${input.join(', ')}]: add { kind: 'flatten' } before it`);
      positiveInt(name, 'units', spec.units);
      const params = input[0] * spec.units + (spec.useBias === false ? 0 : spec.units);
      return { outputShape: [spec.units], params, trainable: params };
    }
    case 'batchNorm': {
      const c = input[input.length - 1];
      return { outputShape: input.slice(), params: 4 * c, trainable: 2 * c };
    }
    case 'dropout':
      if (!(spec.rate >= 0 && spec.rate < 1)) fail(name, `dropout rate must be in [0, 1), got ${spec.rate}`);
      return { outputShape: input.slice(), params: 0, trainable: 0 };
    case 'activation':
      return { outputShape: input.slice(), params: 0, trainable: 0 };
    default:
      return fail(name, `unknown layer kind '${(spec as { kind?: unknown }).kind}'; use conv2d, separableConv2d, maxPool, avgPool, globalAvgPool, zeroPad, flatten, dense, batchNorm, dropout or activation`);
  }
}

/**
 * Output shapes and parameter counts, layer by layer, computed from the specs alone (no
 * weights allocated). The counts follow Keras: batch norm has 4 per channel, 2 trainable.
 *
 * Usage: `summarizeSpec([227, 227, 3], alexnetSpec()).totalParams // 62,378,344`
 */
export function summarizeSpec(inputShape: readonly number[], specs: readonly LayerSpec[]): SpecSummary {
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new Error(`summarizeSpec: inputShape must be positive integers (e.g. [28, 28, 1]), got [${inputShape.join(', ')}].`);
  }
  let shape = inputShape.slice();
  const rows: SpecRow[] = [];
  specs.forEach((spec, i) => {
    const name = spec.name ?? `${spec.kind}_${i + 1}`;
    const r = layerArithmetic(spec, shape, name);
    rows.push({ name, kind: spec.kind, ...r });
    shape = r.outputShape;
  });
  const totalParams = rows.reduce((a, r) => a + r.params, 0);
  const trainableParams = rows.reduce((a, r) => a + r.trainable, 0);
  return { inputShape: inputShape.slice(), rows, totalParams, trainableParams, nonTrainableParams: totalParams - trainableParams, outputShape: shape };
}

/** Makes the tfjs layer for one spec (the first one gets the input shape). */
function makeLayer(spec: LayerSpec, name: string, inputShape?: number[]): tf.layers.Layer {
  const base = { name, ...(inputShape ? { inputShape } : {}) };
  switch (spec.kind) {
    case 'conv2d':
      return tf.layers.conv2d({
        ...base,
        filters: spec.filters,
        kernelSize: spec.kernel,
        strides: spec.strides ?? 1,
        padding: spec.padding ?? 'valid',
        activation: spec.activation ?? 'linear',
        useBias: spec.useBias ?? true,
      });
    case 'separableConv2d':
      return tf.layers.separableConv2d({
        ...base,
        filters: spec.filters,
        kernelSize: spec.kernel,
        strides: spec.strides ?? 1,
        padding: spec.padding ?? 'valid',
        activation: spec.activation ?? 'linear',
        depthMultiplier: spec.depthMultiplier ?? 1,
        useBias: spec.useBias ?? true,
      });
    case 'maxPool':
      return tf.layers.maxPooling2d({ ...base, poolSize: spec.pool, strides: spec.strides ?? spec.pool, padding: spec.padding ?? 'valid' });
    case 'avgPool':
      return tf.layers.averagePooling2d({ ...base, poolSize: spec.pool, strides: spec.strides ?? spec.pool, padding: spec.padding ?? 'valid' });
    case 'globalAvgPool':
      return tf.layers.globalAveragePooling2d(base);
    case 'zeroPad':
      return tf.layers.zeroPadding2d({ ...base, padding: spec.pad });
    case 'flatten':
      return tf.layers.flatten(base);
    case 'dense':
      return tf.layers.dense({ ...base, units: spec.units, activation: spec.activation ?? 'linear', useBias: spec.useBias ?? true });
    case 'dropout':
      return tf.layers.dropout({ ...base, rate: spec.rate });
    case 'batchNorm':
      return tf.layers.batchNormalization(base);
    case 'activation':
      return tf.layers.activation({ ...base, activation: spec.activation });
  }
}

export interface BuildOptions {
  /** Model name (default 'model'). */
  name?: string;
}

/**
 * Builds the tfjs Sequential model of the specs (allocates the weights). The layer names are
 * the specs' names, so `model.summary()` and `summarizeSpec` rows line up.
 *
 * Usage: `const model = buildSequential([32, 32, 1], lenet5Spec());`
 */
export function buildSequential(inputShape: readonly number[], specs: readonly LayerSpec[], options: BuildOptions = {}): tf.Sequential {
  // Validate shapes first: a readable error beats a tfjs stack trace.
  summarizeSpec(inputShape, specs);
  const model = tf.sequential({ name: options.name ?? 'model' });
  specs.forEach((spec, i) => model.add(makeLayer(spec, spec.name ?? `${spec.kind}_${i + 1}`, i === 0 ? inputShape.slice() : undefined)));
  return model;
}

/**
 * A number with thousands separators (parameter counts in tables).
 *
 * Usage: `formatCount(62378344) // '62,378,344'`
 */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * The summary as a Markdown table (Layer, Output shape, Params) with totals, for showMarkdown.
 *
 * Usage: `showMarkdown(specSummaryMarkdown(summarizeSpec([28, 28, 1], SEED_CNN)));`
 */
export function specSummaryMarkdown(summary: SpecSummary): string {
  const lines = ['| Layer | Type | Output shape | Params |', '| :--- | :--- | :--- | ---: |'];
  lines.push(`| input | input | (${summary.inputShape.join(', ')}) | 0 |`);
  for (const r of summary.rows) lines.push(`| ${r.name} | ${r.kind} | (${r.outputShape.join(', ')}) | ${formatCount(r.params)} |`);
  lines.push(`| **total** | | | **${formatCount(summary.totalParams)}** |`);
  if (summary.nonTrainableParams > 0) {
    lines.push(`| trainable | | | ${formatCount(summary.trainableParams)} |`, `| non-trainable | | | ${formatCount(summary.nonTrainableParams)} |`);
  }
  return lines.join('\n');
}
