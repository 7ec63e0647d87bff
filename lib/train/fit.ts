/**
 * Our own Keras-like training loop over tfjs models: `fit`, `evaluate`, `predict`.
 *
 * Each step computes gradients with tf.variableGrads over the model's trainable variables
 * (frozen layers excluded) and calls `optimizer.applyGradients`, so any tf.Optimizer works,
 * wrappers included. The loss includes the layers' regularisation penalties and added losses in
 * fit and in evaluate (Keras does; tfjs's evaluate leaves them out). Dropout and
 * BatchNormalization see training=true in fit (BN moving statistics update) and false in
 * evaluate/predict; a frozen BatchNormalization runs in inference mode in fit too (Keras 3). Loss and metric sums stay on the device and are read once per epoch (or when
 * a live progress line or a callback reads the running means). A plain stack of Dense layers
 * (Sequential or functional, nested encoder/decoder included; relu, linear, sigmoid, tanh, elu or
 * selu units; softmax with cross-entropy, sigmoid with binary cross-entropy, or mse/mae) takes a
 * tape-free step with fused kernels (lib/train/fast-dense.ts; same gradients, fewer kernels).
 *
 * Usage:
 *   compile(model, { optimizer: tf.train.sgd(0.01), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 *   const history = await fit(model, xTrain, yTrain, { epochs: 10, validationData: [xVal, yVal] });
 *   const { loss, accuracy } = evaluate(model, xTest, yTest);
 */
import * as tf from '@tensorflow/tfjs';
import { Callback, CallbackList, Logs, TrainingParams } from './callbacks';
import { CompiledModel, getCompiled } from './compile';
import { denseStackStep, planDenseStack } from './fast-dense';
import { History } from './history';
import { checkClassLabels, sparseCategoricalAccuracy } from './losses';
import { assertUsableModel, assertUsableTensor } from './usable';
import { formatProgressLine, orderedLogKeys, PROGRESS_LINE_WIDTH, ProgressLogger } from './progress';

/** Options of `fit` (Keras's names, camelCased). */
export interface FitOptions {
  /** Number of epochs (default 1); training runs epochs initialEpoch..epochs-1. */
  epochs?: number;
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /**
   * [xVal, yVal] or [xVal, yVal, sampleWeightVal] (or { x, y, sampleWeight }), evaluated at the
   * end of every epoch.
   */
  validationData?: ValidationData;
  /** Fraction of the samples (the last ones, before shuffling) held out for validation. */
  validationSplit?: number;
  /** Run validation every this many epochs (default 1). */
  validationFreq?: number;
  /** Batch size for validation (default batchSize). */
  validationBatchSize?: number;
  /** Shuffle the training samples every epoch (default true), with Math.random (see setGlobalSeed). */
  shuffle?: boolean;
  callbacks?: Callback[];
  /**
   * 'auto' (default) and 1: a progress bar with the time left, updated in place in a notebook and
   * printed once per epoch when headless (CI, TSDL_HEADLESS=1, plain node); 2: Keras's bar-less
   * line per epoch (in a notebook it also updates in place, with the time left, during the
   * epoch); 0: silent.
   */
  verbose?: 'auto' | 0 | 1 | 2;
  /** One weight per training sample, shape [n]; weights the loss (not the metrics), like Keras. */
  sampleWeight?: tf.Tensor;
  /** Epoch to start from (default 0), to resume a training. */
  initialEpoch?: number;
}

/** Validation data: Keras's tuple, or the same as named fields. */
export type ValidationData =
  | [tf.Tensor, tf.Tensor]
  | [tf.Tensor, tf.Tensor, tf.Tensor]
  | { x: tf.Tensor; y: tf.Tensor; sampleWeight?: tf.Tensor };

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Default 32. */
  batchSize?: number;
  /** 1 prints Keras's one-line summary (default, like Keras), 0 is silent. */
  verbose?: 0 | 1;
  /** One weight per sample, shape [n]. */
  sampleWeight?: tf.Tensor;
}

/** Options of `predict`. */
export interface PredictOptions {
  /** Default 32. */
  batchSize?: number;
}

interface LayerLike {
  name: string;
  losses: unknown[];
  layers?: LayerLike[];
}

/**
 * The model and every layer in it, nested models' layers included (each once): the owners of
 * regularisation and added losses.
 */
function lossOwners(model: tf.LayersModel): LayerLike[] {
  const out: LayerLike[] = [];
  const seen = new Set<LayerLike>();
  const visit = (layers: LayerLike[] | undefined): void => {
    for (const l of layers ?? []) {
      if (seen.has(l)) continue;
      seen.add(l);
      out.push(l);
      visit(l.layers);
    }
  };
  visit([model as unknown as LayerLike]);
  return out;
}

/**
 * Runs fn, then removes the losses layers added during it (losses added inside `call`, e.g.
 * activity penalties), so that such losses count for the current step only, like Keras's.
 */
function withCallLosses<T>(layers: LayerLike[], fn: () => T): T {
  const lengths = layers.map((l) => (Array.isArray(l.losses) ? l.losses.length : 0));
  try {
    return fn();
  } finally {
    layers.forEach((l, i) => {
      if (Array.isArray(l.losses) && l.losses.length > lengths[i]) l.losses.length = lengths[i];
    });
  }
}

/**
 * Builds the model and every nested Sequential in it: tfjs leaves a Sequential used as a layer
 * unbuilt, and an unbuilt Sequential reports none of its layers' regularisation losses.
 */
function ensureBuilt(model: tf.LayersModel): void {
  if (model instanceof tf.Sequential && !model.built) model.build();
  for (const layer of model.layers) {
    if (layer instanceof tf.LayersModel) ensureBuilt(layer);
  }
}

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Keras 3 runs a frozen BatchNormalization layer in inference mode even during fit (moving
 * statistics, no update), which is what fine-tuning a pretrained model needs; tfjs does not.
 * Makes frozen BN layers (frozen themselves or inside a frozen model) see training=false until
 * the returned function is called.
 */
function inferenceModeForFrozenBatchNorm(model: tf.LayersModel): () => void {
  const patched: { layer: { call: CallFn } }[] = [];
  const visit = (layers: tf.layers.Layer[], frozen: boolean): void => {
    for (const layer of layers) {
      const isFrozen = frozen || !layer.trainable;
      const nested = (layer as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (Array.isArray(nested)) visit(nested, isFrozen);
      if (isFrozen && layer.getClassName() === 'BatchNormalization') {
        const target = layer as unknown as { call: CallFn };
        const original = target.call;
        target.call = (inputs, kwargs) => original.call(layer, inputs, { ...kwargs, training: false });
        patched.push({ layer: target });
      }
    }
  };
  visit(model.layers, !model.trainable);
  return () => {
    for (const { layer } of patched) delete (layer as { call?: CallFn }).call;
  };
}

function forward(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const out = model.apply(x, { training });
  if (Array.isArray(out)) throw new Error(`${model.name}: fit/evaluate/predict support single-output models; this one has ${out.length} outputs.`);
  return out as tf.Tensor;
}

function checkTensor(what: string, t: unknown): asserts t is tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new Error(`${what} must be a tf.Tensor (wrap arrays with tf.tensor(...)), got ${t === null ? 'null' : typeof t}.`);
  assertUsableTensor(what, t);
  if (t.rank === 0) throw new Error(`${what} must have a sample axis first; got a scalar.`);
}

function checkData(fn: string, x: unknown, y: unknown, w?: unknown): void {
  checkTensor(`${fn}: x`, x);
  checkTensor(`${fn}: y`, y);
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${fn}: x has ${x.shape[0]} samples but y has ${y.shape[0]}; give one target per sample.`);
  }
  if (w !== undefined) {
    checkTensor(`${fn}: sampleWeight`, w);
    if (w.rank !== 1 || w.shape[0] !== x.shape[0]) {
      throw new Error(`${fn}: sampleWeight must have shape [${x.shape[0]}] (one weight per sample), got [${w.shape.join(',')}].`);
    }
  }
}

/** Samples of x must have the model's input shape (tfjs's own error names an inner layer and the batch). */
function checkInputShape(fn: string, model: tf.LayersModel, x: tf.Tensor): void {
  const inputs = model.inputs;
  if (inputs === undefined || inputs.length !== 1) return;
  const want = inputs[0].shape.slice(1);
  const got = x.shape.slice(1);
  if (want.length === got.length && want.every((d, i) => d === null || d === got[i])) return;
  const show = (dims: readonly (number | null)[]): string => `[${dims.map((d) => (d === null ? 'any' : d)).join(', ')}]`;
  throw new Error(
    `${fn}: each sample of x has shape ${show(got)} (x is [${x.shape.join(', ')}]) but ${model.name} expects ${show(want)}; ` +
      "reshape x (e.g. flatten 28x28 images to 784, or add a channels axis with x.expandDims(-1)) or change the model's inputShape.",
  );
}

/** Tensors already found finite (tensors are immutable; variables are never checked). */
const finiteTensors = new WeakSet<tf.Tensor>();

/**
 * x and y must hold finite numbers: NaN or Infinity in the data trains to NaN weights, and on
 * wasm (where relu and clipping turn NaN into numbers) the loss may not show it. One sum per
 * tensor (a finite sum proves every value finite), once per tensor; the error names the first
 * bad sample.
 */
function checkFinite(what: string, t: tf.Tensor): void {
  if (t.dtype !== 'float32' || finiteTensors.has(t)) return;
  const remember = !(t instanceof tf.Variable);
  if (Number.isFinite(tf.tidy(() => tf.sum(t).dataSync()[0]))) {
    if (remember) finiteTensors.add(t);
    return;
  }
  const bad = tf.tidy(() => {
    const flat = tf.reshape(t, [t.shape[0], -1]);
    const rowBad = tf.any(tf.logicalNot(tf.isFinite(flat)), 1);
    return tf.any(rowBad).dataSync()[0] === 0 ? -1 : tf.argMax(tf.cast(rowBad, 'int32')).dataSync()[0];
  });
  if (bad < 0) {
    if (remember) finiteTensors.add(t); // the sum overflowed; every value is finite
    return;
  }
  const row = tf.tidy(() => tf.reshape(tf.slice(t, [bad], [1]), [-1]).dataSync());
  const col = row.findIndex((v) => !Number.isFinite(v));
  throw new Error(
    `${what} holds ${row[col]} at sample ${bad} (value ${col} of the sample); NaN or Infinity makes the weights NaN. ` +
      'Clean the data first: drop or impute missing values (SimpleImputer from lib/tabular) and check divisions by zero in the scaling.',
  );
}

/** Targets already found within [0, 1] for binary cross-entropy. */
const probabilityTargets = new WeakSet<tf.Tensor>();

/**
 * Binary cross-entropy reads targets as probabilities: values outside [0, 1] (pixels 0..255,
 * labels 1/2) train silently to nonsense. One min and one max per tensor, once per tensor.
 */
function checkProbabilityTargets(what: string, y: tf.Tensor): void {
  if (probabilityTargets.has(y)) return;
  const [lo, hi] = tf.tidy(() => [tf.min(y).dataSync()[0], tf.max(y).dataSync()[0]]);
  if (lo >= 0 && hi <= 1) {
    if (!(y instanceof tf.Variable)) probabilityTargets.add(y);
    return;
  }
  const bad = lo < 0 ? lo : hi;
  const at = tf.tidy(() => tf.argMax(tf.cast(tf.equal(tf.reshape(y, [y.shape[0], -1]), bad), 'int32').max(1)).dataSync()[0]);
  throw new Error(
    `${what} holds ${bad} at sample ${at}; binary_crossentropy needs targets between 0 and 1 (probabilities). ` +
      'Scale them (divide pixels by 255), or map two classes to 0 and 1.',
  );
}

/** Sparse class labels are checked once per call when the loss or a metric reads them as class indices. */
function checkLabels(fn: string, c: CompiledModel, model: tf.LayersModel, y: tf.Tensor): void {
  if (c.loss.kind === 'binary_crossentropy') checkProbabilityTargets(`${fn} y`, y);
  const sparse = c.loss.kind === 'sparse_categorical_crossentropy' || c.metrics.some((m) => m.fn === sparseCategoricalAccuracy);
  const classes = model.outputs?.[0]?.shape.at(-1);
  if (!sparse || typeof classes !== 'number') return;
  checkClassLabels(`${fn} y`, y, classes, c.loss.kind === 'sparse_categorical_crossentropy' ? 'sparse_categorical_crossentropy' : 'sparse categorical accuracy');
}

/** validationData in either form, checked; the error says which forms fit takes. */
function validationTensors(v: unknown): { x: tf.Tensor; y: tf.Tensor; w?: tf.Tensor } {
  const usage = 'fit: validationData must be [xVal, yVal] (or { x: xVal, y: yVal }), optionally with sample weights as a third element (sampleWeight)';
  if (Array.isArray(v)) {
    if (v.length !== 2 && v.length !== 3) throw new Error(`${usage}; got an array of ${v.length} element(s).`);
    return { x: v[0] as tf.Tensor, y: v[1] as tf.Tensor, w: v[2] as tf.Tensor | undefined };
  }
  if (v !== null && typeof v === 'object' && !(v instanceof tf.Tensor)) {
    const o = v as { x?: tf.Tensor; y?: tf.Tensor; sampleWeight?: tf.Tensor };
    if (o.x === undefined || o.y === undefined) throw new Error(`${usage}; got an object with ${Object.keys(o).join(', ') || 'no fields'}.`);
    return { x: o.x, y: o.y, w: o.sampleWeight };
  }
  throw new Error(`${usage}; got ${v instanceof tf.Tensor ? 'a single tensor' : typeof v}. For a held-out fraction use validationSplit.`);
}

/**
 * When the function given to tf.variableGrads throws, tfjs leaves its tape behind with the
 * tensors it saved for the backward pass (about 20 for a small model): dispose them.
 */
function releaseTapeAfterError(): void {
  const state = (tf.engine() as unknown as { state: { gradientDepth: number; activeTape: { saved?: tf.Tensor[] }[] | null } }).state;
  if (state.gradientDepth !== 0 || state.activeTape === null) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}

/** A value as the error should show it: numbers as they are, anything else quoted with its type. */
function shown(v: unknown): string {
  return typeof v === 'number' ? String(v) : `${JSON.stringify(v) ?? String(v)} (a ${typeof v})`;
}

function checkPositiveInt(fn: string, name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${fn}: ${name} must be a positive integer, got ${shown(v)}.`);
}

/** Rows [start, start+size) of t. */
function rows(t: tf.Tensor, start: number, size: number): tf.Tensor {
  return tf.slice(t, [start], [size]);
}

/** The model's trainable tf.Variables (frozen layers excluded), each once. */
function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  const byName = new Map<string, tf.Variable>();
  for (const w of model.trainableWeights) {
    const v = w.read() as tf.Variable;
    byName.set(v.name, v);
  }
  return [...byName.values()];
}

/** Mean of per-sample losses, or Keras's sum(l * w) / batch with sample weights. */
function reduceLoss(perSample: tf.Tensor, weights: tf.Tensor | undefined, n: number): tf.Scalar {
  if (perSample.rank === 0) {
    if (weights !== undefined) throw new Error('fit: sampleWeight needs a loss that returns one value per sample (shape [batch]); this custom loss returns a scalar.');
    return perSample as tf.Scalar;
  }
  if (perSample.rank !== 1 || perSample.shape[0] !== n) {
    throw new Error(`loss: expected one value per sample (shape [${n}]) or a scalar, got shape [${perSample.shape.join(',')}].`);
  }
  if (weights === undefined) return tf.mean(perSample);
  return tf.div(tf.sum(tf.mul(perSample, weights)), n);
}

/** Sum over the batch of a metric's per-sample values (a scalar metric counts as its mean). */
function metricSum(values: tf.Tensor, n: number): tf.Scalar {
  return values.rank === 0 ? tf.mul(values, n) : tf.sum(values);
}

/**
 * The total regularisation and added loss of the model, or undefined when it has none.
 * Each layer's loss functions are called directly: tfjs's model.calculateLosses() misses the
 * layers of a Sequential nested as the first layer of another (its graph bypasses the nested
 * model) and losses added to a model itself.
 */
function extraLoss(owners: LayerLike[]): tf.Scalar | undefined {
  const fns = new Set<() => tf.Scalar>();
  for (const owner of owners) {
    for (const fn of owner.losses) if (typeof fn === 'function') fns.add(fn as () => tf.Scalar);
  }
  if (fns.size === 0) return undefined;
  const losses = [...fns].map((fn) => fn());
  return losses.length === 1 ? losses[0] : (tf.addN(losses) as tf.Scalar);
}

/** Running sums on the device: [sum of loss * n, sum of each metric]. */
function batchSums(c: CompiledModel, loss: tf.Scalar, n: number, yb: tf.Tensor, pred: tf.Tensor): tf.Tensor1D {
  const parts: tf.Scalar[] = [tf.mul(loss, n)];
  for (const m of c.metrics) parts.push(metricSum(m.fn(yb, pred), n));
  return tf.stack(parts) as tf.Tensor1D;
}

function logNames(c: CompiledModel): string[] {
  return ['loss', ...c.metrics.map((m) => m.name)];
}

/**
 * Logs of means, keys in Keras's order (sorted, as keras.utils.pythonify_logs does) and values
 * as float32 like Keras's (history prints 0.765781819820404, not 0.7657818...).
 */
function meansLogs(names: string[], sums: Float32Array, count: number): Logs {
  const logs: Logs = {};
  const order = names.map((name, i) => ({ name, i })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, i } of order) logs[name] = count === 0 ? NaN : Math.fround(sums[i] / count);
  return logs;
}

/**
 * Batch logs whose running means are read from the device only when a callback reads them.
 */
function lazyBatchLogs(batch: number, size: number, sums: tf.Tensor, count: number, names: string[]): Logs {
  const logs: Logs = { batch, size };
  let values: Float32Array | undefined;
  names.forEach((name, i) => {
    Object.defineProperty(logs, name, {
      enumerable: true,
      configurable: true,
      get(): number {
        if (values === undefined) {
          if (sums.isDisposed) throw new Error(`batch logs: read '${name}' inside onBatchEnd; the running sums are gone after it.`);
          values = sums.dataSync() as Float32Array;
        }
        return Math.fround(values[i] / count);
      },
      set(v: number) {
        Object.defineProperty(logs, name, { value: v, enumerable: true, writable: true, configurable: true });
      },
    });
  });
  return logs;
}

/** Loss and metrics of the model on (x, y), batch by batch, training=false; logs keyed by name. */
function evaluateLogs(model: tf.LayersModel, c: CompiledModel, x: tf.Tensor, y: tf.Tensor, w: tf.Tensor | undefined, batchSize: number): Logs {
  const n = x.shape[0];
  const layers = lossOwners(model);
  let sums: tf.Tensor | undefined;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const next = withCallLosses(layers, () =>
        tf.tidy(() => {
          const xb = rows(x, start, size);
          const yb = rows(y, start, size);
          const wb = w === undefined ? undefined : rows(w, start, size);
          const pred = forward(model, xb, false);
          let loss = reduceLoss(c.loss.perSample(yb, pred), wb, size);
          const extra = extraLoss(layers);
          if (extra !== undefined) loss = tf.add(loss, extra);
          const s = batchSums(c, loss, size, yb, pred);
          return sums === undefined ? s : tf.add(sums, s);
        }),
      );
      sums?.dispose();
      sums = next;
    }
    const values = sums === undefined ? new Float32Array(logNames(c).length) : (sums.dataSync() as Float32Array);
    return meansLogs(logNames(c), values, n);
  } finally {
    sums?.dispose();
  }
}

/**
 * Loss (with regularisation penalties and added losses, like Keras) and metrics of the model
 * on (x, y), with training=false. Returns { loss, <metric>: value } and, like Keras, prints
 * "313/313 ━━━━━━━━━━━━━━━━━━━━ 0s 1ms/step - accuracy: 0.8721 - loss: 0.3675" unless verbose is 0.
 *
 * Usage: `const { loss, accuracy } = evaluate(model, xTest, yTest);`
 */
export function evaluate(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: EvaluateOptions = {}): Logs {
  assertUsableModel('evaluate', model);
  const c = getCompiled(model);
  checkData('evaluate', x, y, options.sampleWeight);
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt('evaluate', 'batchSize', batchSize);
  ensureBuilt(model);
  checkInputShape('evaluate', model, x);
  checkFinite('evaluate: x', x);
  checkFinite('evaluate: y', y);
  checkLabels('evaluate:', c, model, y);
  const start = Date.now();
  const logs = evaluateLogs(model, c, x, y, options.sampleWeight, batchSize);
  if ((options.verbose ?? 1) !== 0) {
    const steps = Math.max(1, Math.ceil(x.shape[0] / batchSize));
    const elapsed = (Date.now() - start) / 1000;
    const values = orderedLogKeys(logs).map((k): [string, number] => [k, logs[k]]);
    console.log(formatProgressLine({ current: steps, target: steps, elapsed, timePerStep: elapsed / steps, values, finalize: true, verbose: 1, maxWidth: PROGRESS_LINE_WIDTH }));
  }
  return logs;
}

/**
 * The model's outputs for x, batch by batch, with training=false (dropout off, BN moving
 * statistics). The caller owns (and disposes) the result.
 *
 * Usage: `const probs = predict(model, xTest.slice(0, 3)); probs.print(); probs.dispose();`
 */
export function predict(model: tf.LayersModel, x: tf.Tensor, options: PredictOptions = {}): tf.Tensor {
  assertUsableModel('predict', model);
  checkTensor('predict: x', x);
  const batchSize = options.batchSize ?? 32;
  checkPositiveInt('predict', 'batchSize', batchSize);
  ensureBuilt(model);
  checkInputShape('predict', model, x);
  const layers = lossOwners(model);
  const n = x.shape[0];
  if (n <= batchSize) return withCallLosses(layers, () => tf.tidy(() => forward(model, x, false)));
  const parts: tf.Tensor[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(withCallLosses(layers, () => tf.tidy(() => forward(model, rows(x, start, size), false))));
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}

/** Fisher-Yates with Math.random (seeded by setGlobalSeed). */
function shuffledIndices(n: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains the compiled model on (x, y) with our loop; returns the History (Keras keys: loss,
 * accuracy, val_loss, val_accuracy...). See FitOptions for the options.
 *
 * Usage: `const h = await fit(model, x, y, { epochs: 10, batchSize: 32, validationSplit: 0.1 });`
 */
export async function fit(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: FitOptions = {}): Promise<History> {
  assertUsableModel('fit', model);
  const c = getCompiled(model);
  checkData('fit', x, y, options.sampleWeight);
  const epochs = options.epochs ?? 1;
  const batchSize = options.batchSize ?? 32;
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = options.verbose === undefined || options.verbose === 'auto' ? 1 : options.verbose;
  const shuffle = options.shuffle ?? true;
  const validationFreq = options.validationFreq ?? 1;
  checkPositiveInt('fit', 'epochs', epochs);
  checkPositiveInt('fit', 'batchSize', batchSize);
  checkPositiveInt('fit', 'validationFreq', validationFreq);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be an integer >= 0, got ${shown(initialEpoch)}.`);
  if (initialEpoch >= epochs) {
    throw new Error(
      `fit: initialEpoch (${initialEpoch}) must be less than epochs (${epochs}): epochs is the number of the last epoch, not how many to run; ` +
        `to train ${epochs} more epochs from epoch ${initialEpoch} pass epochs: ${initialEpoch + epochs} (Keras's meaning).`,
    );
  }
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new Error(`fit: verbose must be 'auto', 0, 1 or 2, got ${String(verbose)}.`);
  if (options.validationData !== undefined && options.validationSplit !== undefined) {
    throw new Error('fit: give validationData or validationSplit, not both.');
  }
  const validation = options.validationData === undefined ? undefined : validationTensors(options.validationData);
  ensureBuilt(model);
  checkInputShape('fit', model, x);
  if (validation !== undefined) {
    checkData('fit: validationData', validation.x, validation.y, validation.w);
    checkInputShape('fit: validationData', model, validation.x);
  }
  checkFinite('fit: x', x);
  checkFinite('fit: y', y);
  checkLabels('fit:', c, model, y);
  if (validation !== undefined) {
    checkFinite('fit: validationData x', validation.x);
    checkFinite('fit: validationData y', validation.y);
    checkLabels('fit: validationData', c, model, validation.y);
  }

  const valBatch = options.validationBatchSize ?? batchSize;
  checkPositiveInt('fit', 'validationBatchSize', valBatch);
  if (options.callbacks !== undefined && !Array.isArray(options.callbacks)) {
    throw new Error(`fit: callbacks must be an array of callbacks, e.g. callbacks: [new EarlyStopping({ patience: 3 })]; got ${shown(options.callbacks)}.`);
  }
  for (const cb of options.callbacks ?? []) {
    if (!(cb instanceof Callback)) throw new Error('fit: every callback must extend Callback from lib/train/callbacks.');
  }

  // Train / validation tensors (split ones are ours to dispose: nothing below may throw before the try).
  const owned: tf.Tensor[] = [];
  let xTrain = x;
  let yTrain = y;
  let wTrain = options.sampleWeight;
  let val: { x: tf.Tensor; y: tf.Tensor; w?: tf.Tensor } | undefined;
  if (options.validationSplit !== undefined && options.validationSplit !== 0) {
    const split = options.validationSplit;
    if (!(split > 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${split}.`);
    const n = x.shape[0];
    const at = Math.floor(n * (1 - split));
    if (at < 1 || at >= n) throw new Error(`fit: validationSplit ${split} of ${n} samples leaves an empty training or validation set.`);
    xTrain = rows(x, 0, at);
    yTrain = rows(y, 0, at);
    val = { x: rows(x, at, n - at), y: rows(y, at, n - at) };
    owned.push(xTrain, yTrain, val.x, val.y);
    if (wTrain !== undefined) {
      val.w = rows(wTrain, at, n - at);
      wTrain = rows(wTrain, 0, at);
      owned.push(val.w, wTrain);
    }
  } else if (validation !== undefined) {
    val = validation;
  }
  const nTrain = xTrain.shape[0];
  if (nTrain === 0) {
    tf.dispose(owned);
    throw new Error('fit: there are no training samples.');
  }
  const steps = Math.ceil(nTrain / batchSize);
  const params: TrainingParams = { epochs, steps, verbose };
  const history = new History();
  const list = [...(options.callbacks ?? []), history];
  if (verbose !== 0) list.push(new ProgressLogger({ verbose }));
  const callbacks = new CallbackList(list, { model, params, who: 'fit' });
  const names = logNames(c);
  const layers = lossOwners(model);
  const optimizer = c.optimizer;

  model.stopTraining = false;
  let sums: tf.Tensor | undefined;
  const restoreBatchNorm = inferenceModeForFrozenBatchNorm(model);
  try {
    await callbacks.onTrainBegin({});
    for (let epoch = initialEpoch; epoch < epochs && !model.stopTraining; epoch++) {
      await callbacks.onEpochBegin(epoch, {});
      const vars = trainableVariables(model);
      if (vars.length === 0) throw new Error(`${model.name}: no trainable weights (every layer is frozen); unfreeze a layer before fit.`);
      // Plain Dense stacks take the tape-free step (lib/train/fast-dense.ts says which qualify).
      const plan = planDenseStack(model, c, wTrain !== undefined);
      const order = shuffle ? shuffledIndices(nTrain) : undefined;
      let seen = 0;
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        const size = Math.min(batchSize, nTrain - start);
        await callbacks.onBatchBegin(step, { batch: step, size });
        let pred: tf.Tensor | undefined;
        let next: tf.Tensor;
        try {
          next = withCallLosses(layers, () =>
            tf.tidy(() => {
              let xb: tf.Tensor;
              let yb: tf.Tensor;
              let wb: tf.Tensor | undefined;
              if (order !== undefined) {
                const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
                xb = tf.gather(xTrain, idx);
                yb = tf.gather(yTrain, idx);
                wb = wTrain === undefined ? undefined : tf.gather(wTrain, idx);
              } else {
                xb = rows(xTrain, start, size);
                yb = rows(yTrain, start, size);
                wb = wTrain === undefined ? undefined : rows(wTrain, start, size);
              }
              if (plan !== undefined) {
                const fast = denseStackStep(plan, xb, yb);
                optimizer.applyGradients(fast.grads);
                return sums === undefined ? fast.sums : tf.add(sums, fast.sums);
              }
              let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
              try {
                result = tf.variableGrads(() => {
                  const p = forward(model, xb, true);
                  pred = tf.keep(p);
                  let loss = reduceLoss(c.loss.perSample(yb, p), wb, size);
                  const extra = extraLoss(layers);
                  if (extra !== undefined) loss = tf.add(loss, extra);
                  return loss;
                }, vars);
              } catch (e) {
                releaseTapeAfterError();
                throw e;
              }
              optimizer.applyGradients(result.grads);
              const s = batchSums(c, result.value, size, yb, pred as unknown as tf.Tensor);
              return sums === undefined ? s : tf.add(sums, s);
            }),
          );
        } finally {
          // Kept for the metrics; freed here even when the step throws.
          (pred as tf.Tensor | undefined)?.dispose();
        }
        sums?.dispose();
        sums = next;
        seen += size;
        const logs = lazyBatchLogs(step, size, sums, seen, names);
        await callbacks.onBatchEnd(step, logs);
        if (model.stopTraining) break;
      }
      const values = sums === undefined ? new Float32Array(names.length) : (sums.dataSync() as Float32Array);
      sums?.dispose();
      sums = undefined;
      const logs = meansLogs(names, values, seen);
      if (val !== undefined && (epoch + 1) % validationFreq === 0) {
        const v = evaluateLogs(model, c, val.x, val.y, val.w, valBatch);
        for (const [k, value] of Object.entries(v)) logs[`val_${k}`] = value;
      }
      await callbacks.onEpochEnd(epoch, logs);
      await yieldToEventLoop();
    }
    await callbacks.onTrainEnd({});
  } finally {
    restoreBatchNorm();
    sums?.dispose();
    tf.dispose(owned);
  }
  history.params = params;
  return history;
}
