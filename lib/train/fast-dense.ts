/**
 * A faster training step for the commonest models of the course: plain stacks of Dense layers.
 * fit uses it automatically when the model and the options qualify (see `planDenseStack`);
 * everything else takes the generic path (tf.variableGrads).
 *
 * What qualifies:
 * - the model: a Sequential or a functional model whose layers form one chain from its single
 *   input to its single output, made of Dense layers with Flatten or Reshape between them (no
 *   more than a change of shape), nested models of the same kind included (the autoencoder
 *   builders' `decoder(encoder(x))`); every Dense trainable, each used once, and no regularisers,
 *   constraints or added losses anywhere; any other layer (Dropout, GaussianNoise, a custom
 *   layer, a tied DenseTranspose...) sends the model to the generic path;
 * - activations: relu, linear, sigmoid, tanh, elu and selu on any Dense, softmax on the last;
 * - loss (no sample weights):
 *   - sparse_categorical_crossentropy or categorical_crossentropy with a softmax output, or a
 *     linear one with fromLogits: computed from the logits (as Keras 3 does for a softmax output);
 *     the generic path computes them from probabilities clipped to [1e-7, 1 - 1e-7], so the two
 *     agree to float precision except on a sample whose predicted probability for its class is
 *     below 1e-7 or above 1 - 1e-7 (the generic path then caps its loss at 16.1, or 1.2e-7, and
 *     gives it next to no gradient);
 *   - binary_crossentropy with a sigmoid output (the generic path's formula with its clipping and
 *     the gradient it gives, zero where a probability is clipped), or a linear one with fromLogits;
 *   - mse or mae with a linear, relu, sigmoid, tanh, elu or selu output;
 *   losses are averaged over the features (every axis but the first) then over the batch;
 * - metrics: any; each compiled metric function is called on the targets and the model's
 *   predictions (in the output's shape), as the generic step does (sparse categorical accuracy
 *   with a softmax output is read from the logits: the same argmax).
 *
 * The step runs without the autodiff tape: the forward pass uses fused matmul+bias(+relu,
 * sigmoid, elu) kernels (tfjs fuses them only outside gradient recording), and the backward pass
 * is written out: the loss's gradient at the output, then per layer dz = dy * f'(z) (the
 * derivative tfjs's gradient would use: from the layer's output for relu, sigmoid, tanh and elu,
 * from the pre-activation for selu), dW = hᵀ·dz, db = Σ dz, dh = dz·Wᵀ: far fewer kernels than
 * the generic step (about a third for a relu stack). On wasm an epoch takes some 20-30 % less CPU
 * time (sigmoid classifier, sigmoid and selu autoencoders; the optimiser's update is the same in
 * both). The gradients go to `optimizer.applyGradients`, so every optimiser works.
 *
 * Usage (inside fit): `const plan = planDenseStack(model, compiled, hasSampleWeight); if (plan) { const { sums, grads } = denseStackStep(plan, xb, yb); ... }`
 */
import * as tf from '@tensorflow/tfjs';
import { SELU_SCALE, SELU_SCALE_ALPHA } from '../layers/activations';
import type { CompiledModel } from './compile';
import { clipKeepNaN, EPSILON, sparseCategoricalAccuracy } from './losses';

/** Activations the step applies (and differentiates) itself. */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu';

/** Activations the fused matmul kernel applies (tf.fused.matMul); the others follow it. */
const FUSED: ReadonlySet<DenseActivation> = new Set<DenseActivation>(['linear', 'relu', 'sigmoid', 'elu']);

/** What the step's loss is, with the output activation it needs. */
export type DenseLossKind =
  /** sparse_categorical_crossentropy from logits (softmax output, or linear with fromLogits). */
  | 'sparse_softmax'
  /** categorical_crossentropy from logits (softmax output, or linear with fromLogits). */
  | 'categorical_softmax'
  /** binary_crossentropy of a sigmoid output, clipped as the generic path does. */
  | 'binary'
  /** binary_crossentropy of a linear output with fromLogits. */
  | 'binary_logits'
  | 'mse'
  | 'mae';

/** One Dense layer of a plan. */
interface DenseStep {
  kernel: tf.Variable;
  bias: tf.Variable | undefined;
  /** Activation applied in the step ('linear' for a softmax output: the loss reads logits). */
  activation: DenseActivation;
}

/** What `denseStackStep` needs, resolved once per fit. */
export interface DenseStackPlan {
  /** Flatten the input to [n, features] first. */
  flatten: boolean;
  layers: DenseStep[];
  /** The output layer's activation in the model. */
  output: DenseActivation | 'softmax';
  /** The loss, as the step computes it. */
  loss: DenseLossKind;
  /** Shape of one sample of the model's output (after any Reshape), e.g. [10] or [28, 28]. */
  outputShape: number[];
  /** For each compiled metric: true when it is sparse categorical accuracy read from the logits. */
  accuracy: boolean[];
  compiled: CompiledModel;
}

let enabled = true;

/**
 * Turns the fast path on or off (it is on by default); tests compare it with the generic path.
 *
 * Usage: `setDenseFastPath(false); await fit(...); setDenseFastPath(true);`
 */
export function setDenseFastPath(on: boolean): void {
  enabled = on;
}

/** Whether the fast path may be used. Usage: `denseFastPathEnabled() // true` */
export function denseFastPathEnabled(): boolean {
  return enabled;
}

interface DenseConfigLike {
  activation?: string;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
}

/** The parts of tfjs-layers' graph the chain walk reads (SymbolicTensor, Node, Layer). */
interface SymbolicLike {
  sourceLayer: tf.layers.Layer;
  nodeIndex: number;
}
interface NodeLike {
  inputTensors: SymbolicLike[];
}

/**
 * Whether the layer is tfjs's own Dense, Flatten or Reshape (the class registered under that
 * name, not a subclass that kept the name).
 */
function isLayerOf(layer: tf.layers.Layer, className: 'Dense' | 'Flatten' | 'Reshape'): boolean {
  if (layer.getClassName() !== className) return false;
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[className] as [{ prototype: object }, unknown] | undefined;
  return registered !== undefined && Object.getPrototypeOf(layer) === registered[0].prototype;
}

/**
 * The layers of a model in the order its single input flows through them, nested models
 * expanded, when they form one chain (each layer applied once to the previous one's output,
 * none aside); undefined otherwise or when a model on the way is frozen or owns losses.
 */
function chainOf(model: tf.LayersModel, depth = 0): tf.layers.Layer[] | undefined {
  if (depth > 8 || !model.trainable || model.losses.length > 0) return undefined;
  const inputs = model.inputs as unknown as SymbolicLike[] | undefined;
  const outputs = model.outputs as unknown as SymbolicLike[] | undefined;
  if (inputs?.length !== 1 || outputs?.length !== 1) return undefined;
  const own = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const chain: tf.layers.Layer[] = [];
  let t = outputs[0];
  while (t !== inputs[0]) {
    if (chain.length > own.length) return undefined;
    const layer = t.sourceLayer;
    const nodes = (layer as unknown as { inboundNodes?: NodeLike[] }).inboundNodes;
    const node = nodes?.[t.nodeIndex];
    if (node === undefined || node.inputTensors.length !== 1) return undefined;
    chain.unshift(layer);
    t = node.inputTensors[0];
  }
  if (chain.length !== own.length || own.some((l) => !chain.includes(l))) return undefined;
  const flat: tf.layers.Layer[] = [];
  for (const layer of chain) {
    if (layer instanceof tf.LayersModel) {
      const inner = chainOf(layer, depth + 1);
      if (inner === undefined) return undefined;
      flat.push(...inner);
    } else {
      flat.push(layer);
    }
  }
  return flat;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A sample shape with every dimension known, or undefined. */
function knownShape(shape: readonly (number | null)[]): number[] | undefined {
  return shape.every((d): d is number => typeof d === 'number' && d > 0) ? [...shape] : undefined;
}

const HIDDEN: ReadonlySet<string> = new Set<DenseActivation>(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'selu']);

/** The loss the step computes for this output activation and compiled loss, or undefined. */
function lossKindOf(c: CompiledModel, output: string, outputRank: number): DenseLossKind | undefined {
  const fromLogits = c.config.fromLogits ?? false;
  switch (c.loss.kind) {
    case 'sparse_categorical_crossentropy':
    case 'categorical_crossentropy': {
      if (outputRank !== 1) return undefined;
      const ok = (output === 'softmax' && !fromLogits) || (output === 'linear' && fromLogits);
      if (!ok) return undefined;
      return c.loss.kind === 'sparse_categorical_crossentropy' ? 'sparse_softmax' : 'categorical_softmax';
    }
    case 'binary_crossentropy':
      if (output === 'sigmoid' && !fromLogits) return 'binary';
      if (output === 'linear' && fromLogits) return 'binary_logits';
      return undefined;
    case 'mean_squared_error':
      return HIDDEN.has(output) ? 'mse' : undefined;
    case 'mean_absolute_error':
      return HIDDEN.has(output) ? 'mae' : undefined;
    default:
      return undefined;
  }
}

/**
 * A plan for the fast step when the model qualifies (see the module comment: a chain of
 * trainable Flatten/Reshape/Dense layers, nested models included, with relu, linear, sigmoid,
 * tanh, elu or selu activations, no regularisers, constraints or added losses; a softmax output
 * with sparse or categorical cross-entropy, a sigmoid one with binary cross-entropy, logits with
 * fromLogits, or mse/mae) and there are no sample weights; otherwise undefined.
 *
 * Usage: `const plan = planDenseStack(model, getCompiled(model), false);`
 */
export function planDenseStack(model: tf.LayersModel, c: CompiledModel, sampleWeights: boolean): DenseStackPlan | undefined {
  if (!enabled || sampleWeights || c.loss.custom || c.loss.kind === undefined) return undefined;
  const layers = chainOf(model);
  if (layers === undefined) return undefined;
  const inputShape = knownShape(model.inputs[0].shape.slice(1));
  if (inputShape === undefined) return undefined;
  let shape = inputShape;
  const steps: DenseStep[] = [];
  const used = new Set<string>();
  let output: string | undefined;
  for (const layer of layers) {
    if (layer.losses.length > 0) return undefined;
    if (isLayerOf(layer, 'Flatten') || isLayerOf(layer, 'Reshape')) {
      const next = knownShape(layer.computeOutputShape([null, ...shape]).slice(1) as (number | null)[]);
      if (next === undefined || product(next) !== product(shape)) return undefined;
      shape = next;
      continue;
    }
    if (!isLayerOf(layer, 'Dense') || !layer.trainable) return undefined;
    const cfg = layer.getConfig() as DenseConfigLike;
    if (cfg.kernelRegularizer || cfg.biasRegularizer || cfg.activityRegularizer || cfg.kernelConstraint || cfg.biasConstraint) return undefined;
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernel = weights.find((w) => w.rank === 2);
    const bias = weights.find((w) => w.rank === 1);
    if (kernel === undefined || weights.length !== (bias ? 2 : 1)) return undefined;
    // A Dense on more than one feature axis acts on the last one only: not a plain stack.
    if (shape.length !== 1 || kernel.shape[0] !== shape[0]) return undefined;
    for (const w of weights) {
      if (used.has(w.name)) return undefined;
      used.add(w.name);
    }
    const act = cfg.activation ?? 'linear';
    // Every Dense but the last must have a hidden activation; the last may also be softmax.
    if (output !== undefined && !HIDDEN.has(output)) return undefined;
    if (!HIDDEN.has(act) && act !== 'softmax') return undefined;
    output = act;
    steps.push({ kernel, bias, activation: act === 'softmax' ? 'linear' : (act as DenseActivation) });
    shape = [(kernel as tf.Tensor2D).shape[1]];
  }
  if (output === undefined || steps.length === 0) return undefined;
  // Every trainable weight of the model is one of the plan's (nothing trained elsewhere).
  const trainable = new Set(model.trainableWeights.map((w) => (w.read() as tf.Variable).name));
  if (trainable.size !== used.size || [...used].some((name) => !trainable.has(name))) return undefined;
  const loss = lossKindOf(c, output, shape.length);
  if (loss === undefined) return undefined;
  // The softmax of a cross-entropy is folded into the loss: the last step yields logits.
  const last = steps[steps.length - 1];
  if (loss === 'sparse_softmax' || loss === 'categorical_softmax' || loss === 'binary_logits') last.activation = 'linear';
  const accuracy = c.metrics.map((m) => loss === 'sparse_softmax' && m.fn === sparseCategoricalAccuracy);
  return { flatten: inputShape.length > 1, layers: steps, output: output as DenseActivation | 'softmax', loss, outputShape: shape, accuracy, compiled: c };
}

/**
 * Throws the error the generic path gives for targets that do not fit the predictions: the
 * compiled loss's own (or, should it accept them, one naming both shapes).
 */
function targetsMismatch(plan: DenseStackPlan, y: tf.Tensor, pred: tf.Tensor): never {
  plan.compiled.loss.perSample(y, pred);
  throw new Error(`${plan.compiled.loss.name}: targets of shape [${y.shape.join(',')}] do not match predictions of shape [${pred.shape.join(',')}].`);
}

/** Class indices of y as int32 [n] (y: [n] or [n, 1], int or float), or the generic path's error. */
function labelsOf(plan: DenseStackPlan, y: tf.Tensor, pred: tf.Tensor2D): tf.Tensor1D {
  const n = pred.shape[0];
  if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) || y.shape[0] !== n) targetsMismatch(plan, y, pred);
  const flat = y.rank === 1 ? y : tf.reshape(y, [n]);
  return (flat.dtype === 'int32' ? flat : tf.cast(flat, 'int32')) as tf.Tensor1D;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Targets as float32 [n, features] when their shape is the prediction's (after the rank
 * matching of lib/train/losses: [n] against [n, 1] and back); otherwise the compiled loss is
 * called on them, so that the error is the generic path's.
 */
function targetsOf(plan: DenseStackPlan, y: tf.Tensor, pred: tf.Tensor, elementwise: boolean): tf.Tensor2D {
  const want = pred.shape;
  let shape = y.shape;
  if (elementwise && y.rank === want.length - 1 && want[want.length - 1] === 1) shape = [...y.shape, 1];
  else if (elementwise && y.rank === want.length + 1 && y.shape[y.rank - 1] === 1) shape = y.shape.slice(0, -1);
  if (!sameShape(shape, want)) targetsMismatch(plan, y, pred);
  const flat = tf.reshape(y, [want[0], -1]);
  return (flat.dtype === 'float32' ? flat : tf.cast(flat, 'float32')) as tf.Tensor2D;
}

/** The loss of a batch: its sum over the samples, its gradient at the step's output, the predictions. */
interface OutputLoss {
  lossSum: tf.Scalar;
  /** d(mean loss)/d(output of the last step). */
  dOut: tf.Tensor2D;
  /** The model's output, [n, ...outputShape] (probabilities for a softmax output). */
  pred: tf.Tensor;
  /** Class indices, for sparse cross-entropy. */
  labels?: tf.Tensor1D;
}

/** Softmax cross-entropy from logits: -Σ t log softmax(z), gradient (softmax(z) Σt - t) / n. */
function softmaxLoss(plan: DenseStackPlan, logits: tf.Tensor2D, yb: tf.Tensor, n: number): OutputLoss {
  const classes = logits.shape[1];
  const lse = tf.logSumExp(logits, 1, true);
  const logProbs = tf.sub(logits, lse);
  const probs = tf.exp(logProbs);
  const pred = plan.output === 'softmax' ? probs : logits;
  if (plan.loss === 'sparse_softmax') {
    const labels = labelsOf(plan, yb, pred as tf.Tensor2D);
    const oneHot = tf.oneHot(labels, classes);
    const lossSum = tf.neg(tf.sum(tf.mul(oneHot, logProbs))) as tf.Scalar;
    return { lossSum, dOut: tf.div(tf.sub(probs, oneHot), n) as tf.Tensor2D, pred, labels };
  }
  const t = targetsOf(plan, yb, pred, false);
  const lossSum = tf.neg(tf.sum(tf.mul(t, logProbs))) as tf.Scalar;
  const dOut = tf.div(tf.sub(tf.mul(probs, tf.sum(t, 1, true)), t), n) as tf.Tensor2D;
  return { lossSum, dOut, pred };
}

/** Elementwise losses (binary cross-entropy, mse, mae) as lib/train/losses computes them, and their gradients. */
function elementwiseLoss(plan: DenseStackPlan, out: tf.Tensor2D, yb: tf.Tensor, n: number): OutputLoss {
  const pred = plan.outputShape.length === 1 ? out : tf.reshape(out, [n, ...plan.outputShape]);
  const t = targetsOf(plan, yb, pred, true);
  // d(mean over the batch of the mean over the features)/d(element).
  const scale = 1 / n / out.shape[1];
  let perElement: tf.Tensor;
  let dOut: tf.Tensor;
  switch (plan.loss) {
    case 'binary': {
      // -(t log(clip(p) + eps) + (1 - t) log(1 - clip(p) + eps)); clip's gradient is 0 outside [eps, 1 - eps].
      const pc = clipKeepNaN(out, EPSILON, 1 - EPSILON);
      const a = tf.add(pc, EPSILON);
      const b = tf.add(tf.sub(1, pc), EPSILON);
      const oneMinusT = tf.sub(1, t);
      perElement = tf.neg(tf.add(tf.mul(t, tf.log(a)), tf.mul(oneMinusT, tf.log(b))));
      const inside = tf.logicalAnd(tf.greaterEqual(out, EPSILON), tf.lessEqual(out, 1 - EPSILON));
      const g = tf.mul(tf.sub(tf.div(oneMinusT, b), tf.div(t, a)), scale);
      dOut = tf.where(inside, g, tf.zerosLike(g));
      break;
    }
    case 'binary_logits':
      // max(z, 0) - z t + log(1 + exp(-|z|)); gradient sigmoid(z) - t.
      perElement = tf.add(tf.sub(tf.relu(out), tf.mul(out, t)), tf.log1p(tf.exp(tf.neg(tf.abs(out)))));
      dOut = tf.mul(tf.sub(tf.sigmoid(out), t), scale);
      break;
    case 'mse':
      perElement = tf.squaredDifference(t, out);
      dOut = tf.mul(tf.sub(out, t), 2 * scale);
      break;
    case 'mae': {
      // |t - p|; tfjs's abs gradient is step(x, -1): -1 at 0, so d/dp is +1 where t == p.
      const diff = tf.sub(t, out);
      perElement = tf.abs(diff);
      dOut = tf.mul(tf.step(diff, -1), -scale);
      break;
    }
    default:
      throw new Error(`denseStackStep: loss '${plan.loss}' is not elementwise.`);
  }
  return { lossSum: tf.sum(tf.mean(perElement, 1)) as tf.Scalar, dOut: dOut as tf.Tensor2D, pred };
}

/** dy * f'(z), as tfjs's gradient of the activation computes it (y = f(z)). */
function activationBackward(activation: DenseActivation, dy: tf.Tensor, y: tf.Tensor, z: tf.Tensor | undefined): tf.Tensor {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tf.mul(dy, tf.step(y));
    case 'sigmoid':
      return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
    case 'tanh':
      return tf.mul(tf.sub(1, tf.square(y)), dy);
    case 'elu':
      return tf.engine().runKernel(tf.EluGrad, { dy, y } as unknown as tf.NamedTensorMap) as tf.Tensor;
    case 'selu': {
      const x = z as tf.Tensor;
      return tf.where(tf.greater(x, 0), tf.mul(dy, SELU_SCALE), tf.mul(tf.mul(dy, SELU_SCALE_ALPHA), tf.exp(x)));
    }
  }
}

/** One step's results: running-sum contributions and the gradients by variable name. */
export interface DenseStepResult {
  /** [loss * n, metric sums...], like the generic step's. */
  sums: tf.Tensor1D;
  grads: tf.NamedTensorMap;
}

/**
 * Forward, loss, metrics and gradients of one batch, without the tape. Call inside tf.tidy.
 *
 * Usage: `const { sums, grads } = denseStackStep(plan, xb, yb); optimizer.applyGradients(grads);`
 */
export function denseStackStep(plan: DenseStackPlan, xb: tf.Tensor, yb: tf.Tensor): DenseStepResult {
  const n = xb.shape[0];
  const inputs: tf.Tensor[] = [];
  const outputs: tf.Tensor[] = [];
  const preActivations: (tf.Tensor | undefined)[] = [];
  let h: tf.Tensor = plan.flatten || xb.rank !== 2 ? tf.reshape(xb, [n, -1]) : xb;
  for (const layer of plan.layers) {
    inputs.push(h);
    const a = h as tf.Tensor2D;
    const b = layer.kernel as tf.Tensor2D;
    if (FUSED.has(layer.activation)) {
      h = tf.fused.matMul({ a, b, bias: layer.bias, activation: layer.activation as tf.fused.Activation });
      preActivations.push(undefined);
    } else {
      const z = tf.fused.matMul({ a, b, bias: layer.bias });
      h = layer.activation === 'tanh' ? tf.tanh(z) : tf.selu(z);
      preActivations.push(layer.activation === 'selu' ? z : undefined);
    }
    outputs.push(h);
  }
  const out = h as tf.Tensor2D;
  const softmax = plan.loss === 'sparse_softmax' || plan.loss === 'categorical_softmax';
  const result = softmax ? softmaxLoss(plan, out, yb, n) : elementwiseLoss(plan, out, yb, n);
  let dz: tf.Tensor = result.dOut;
  const grads: tf.NamedTensorMap = {};
  for (let i = plan.layers.length - 1; i >= 0; i--) {
    const layer = plan.layers[i];
    dz = activationBackward(layer.activation, dz, outputs[i], preActivations[i]);
    grads[layer.kernel.name] = tf.matMul(inputs[i], dz, true, false);
    if (layer.bias) grads[layer.bias.name] = tf.sum(dz, 0);
    if (i > 0) dz = tf.matMul(dz, layer.kernel, false, true);
  }
  const parts: tf.Scalar[] = [result.lossSum];
  let predicted: tf.Tensor | undefined;
  const labels = result.labels;
  plan.compiled.metrics.forEach((m, i) => {
    if (plan.accuracy[i] && labels !== undefined) {
      predicted ??= tf.argMax(out, 1);
      parts.push(tf.sum(tf.cast(tf.equal(predicted, labels), 'float32')));
    } else {
      const values = m.fn(yb, result.pred);
      parts.push(values.rank === 0 ? tf.mul(values, n) : tf.sum(values));
    }
  });
  return { sums: tf.stack(parts) as tf.Tensor1D, grads };
}
