/**
 * A faster training step for the commonest model of the course: a plain Sequential of Flatten
 * and Dense layers (relu or linear hidden activations, a softmax or linear output) trained with
 * sparse categorical cross-entropy. fit uses it automatically when the model and the options
 * fit (see `planDenseStack`); everything else takes the generic path (tf.variableGrads).
 *
 * The step runs without the autodiff tape: the forward pass uses fused matmul+bias+relu
 * kernels (tfjs fuses them only outside gradient recording), the loss is computed from the
 * logits (as Keras 3 does for a softmax output: it reads the softmax's logits), and the
 * backward pass is written out: dz = (softmax - onehot) / n, then per layer dW = hᵀ·dz,
 * db = Σ dz, dh = dz·Wᵀ masked by the relu. About a third of the kernels of the generic step.
 * The gradients go to `optimizer.applyGradients`, so every optimiser works.
 *
 * Usage (inside fit): `const plan = planDenseStack(model, compiled, hasSampleWeight); if (plan) { const { sums, grads } = denseStackStep(plan, xb, yb); ... }`
 */
import * as tf from '@tensorflow/tfjs';
import type { CompiledModel } from './compile';
import { sparseCategoricalAccuracy } from './losses';

/** One Dense layer of a plan. */
interface DenseStep {
  kernel: tf.Variable;
  bias: tf.Variable | undefined;
  /** Activation applied in the step ('linear' for a softmax output: the loss reads logits). */
  activation: 'relu' | 'linear';
}

/** What `denseStackStep` needs, resolved once per fit. */
export interface DenseStackPlan {
  /** Flatten the input to [n, features] first. */
  flatten: boolean;
  layers: DenseStep[];
  /** The output layer's activation in the model: softmax (probabilities) or linear (logits). */
  output: 'softmax' | 'linear';
  /** For each compiled metric: true when it is sparse categorical accuracy (computed from logits). */
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

/**
 * A plan for the fast step when the model is a trainable Sequential of Flatten/Dense layers
 * (hidden activations relu or linear; output softmax, or linear with fromLogits), with no
 * regularisers, constraints or added losses, compiled with sparse_categorical_crossentropy, and
 * no sample weights; otherwise undefined.
 *
 * Usage: `const plan = planDenseStack(model, getCompiled(model), false);`
 */
export function planDenseStack(model: tf.LayersModel, c: CompiledModel, sampleWeights: boolean): DenseStackPlan | undefined {
  if (!enabled || sampleWeights || !(model instanceof tf.Sequential) || !model.trainable) return undefined;
  if (c.loss.kind !== 'sparse_categorical_crossentropy') return undefined;
  const fromLogits = c.config.fromLogits ?? false;
  if (model.losses.length > 0) return undefined;
  const layers = model.layers;
  let flatten = false;
  const steps: DenseStep[] = [];
  let output: 'softmax' | 'linear' | undefined;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const cls = layer.getClassName();
    if ((cls === 'Flatten' || cls === 'InputLayer') && steps.length === 0) {
      flatten = flatten || cls === 'Flatten';
      continue;
    }
    if (cls !== 'Dense' || !layer.trainable || layer.losses.length > 0) return undefined;
    const cfg = layer.getConfig() as DenseConfigLike;
    if (cfg.kernelRegularizer || cfg.biasRegularizer || cfg.activityRegularizer || cfg.kernelConstraint || cfg.biasConstraint) return undefined;
    const act = cfg.activation ?? 'linear';
    const last = i === layers.length - 1;
    const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const kernel = weights.find((w) => w.rank === 2);
    const bias = weights.find((w) => w.rank === 1);
    if (kernel === undefined || weights.length !== (bias ? 2 : 1)) return undefined;
    if (last) {
      if (act === 'softmax' && !fromLogits) output = 'softmax';
      else if (act === 'linear' && fromLogits) output = 'linear';
      else return undefined;
      steps.push({ kernel, bias, activation: 'linear' });
    } else {
      if (act !== 'relu' && act !== 'linear') return undefined;
      steps.push({ kernel, bias, activation: act });
    }
  }
  if (output === undefined || steps.length === 0) return undefined;
  // A Flatten is only needed when the input has more than one feature axis.
  const inputRank = model.inputs[0].shape.length;
  return { flatten: flatten || inputRank > 2, layers: steps, output, accuracy: c.metrics.map((m) => m.fn === sparseCategoricalAccuracy), compiled: c };
}

/** Class indices of y as int32 [n] (y: [n] or [n, 1], int or float), checked against the classes. */
function labelsOf(y: tf.Tensor, n: number, classes: number): tf.Tensor1D {
  if (!(y.rank === 1 || (y.rank === 2 && y.shape[1] === 1)) || y.shape[0] !== n) {
    throw new Error(`sparse_categorical_crossentropy: integer labels of shape [${y.shape.join(',')}] do not fit predictions of shape [${n},${classes}]; give one class index per sample, shape [${n}] or [${n},1].`);
  }
  const flat = y.rank === 1 ? y : tf.reshape(y, [n]);
  return (flat.dtype === 'int32' ? flat : tf.cast(flat, 'int32')) as tf.Tensor1D;
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
  let h: tf.Tensor = plan.flatten ? tf.reshape(xb, [n, -1]) : xb;
  for (const layer of plan.layers) {
    inputs.push(h);
    h = tf.fused.matMul({ a: h as tf.Tensor2D, b: layer.kernel as tf.Tensor2D, bias: layer.bias, activation: layer.activation });
    outputs.push(h);
  }
  const logits = h as tf.Tensor2D;
  const classes = logits.shape[1];
  const labels = labelsOf(yb, n, classes);
  const oneHot = tf.oneHot(labels, classes);
  // Cross-entropy from logits: logsumexp(z) - z[label]; softmax = exp(z - logsumexp(z)).
  const lse = tf.logSumExp(logits, 1, true);
  const logProbs = tf.sub(logits, lse);
  const probs = tf.exp(logProbs);
  const lossSum = tf.neg(tf.sum(tf.mul(oneHot, logProbs)));
  // Backward: d(mean loss)/dz = (softmax - onehot) / n.
  let dz: tf.Tensor = tf.div(tf.sub(probs, oneHot), n);
  const grads: tf.NamedTensorMap = {};
  for (let i = plan.layers.length - 1; i >= 0; i--) {
    const layer = plan.layers[i];
    if (i < plan.layers.length - 1 && layer.activation === 'relu') dz = tf.mul(dz, tf.step(outputs[i]));
    grads[layer.kernel.name] = tf.matMul(inputs[i], dz, true, false);
    if (layer.bias) grads[layer.bias.name] = tf.sum(dz, 0);
    if (i > 0) dz = tf.matMul(dz, layer.kernel, false, true);
  }
  const parts: tf.Scalar[] = [lossSum as tf.Scalar];
  let predicted: tf.Tensor | undefined;
  plan.compiled.metrics.forEach((m, i) => {
    if (plan.accuracy[i]) {
      predicted ??= tf.argMax(logits, 1);
      parts.push(tf.sum(tf.cast(tf.equal(predicted, labels), 'float32')));
    } else {
      const values = m.fn(yb, plan.output === 'softmax' ? probs : logits);
      parts.push(values.rank === 0 ? tf.mul(values, n) : tf.sum(values));
    }
  });
  return { sums: tf.stack(parts) as tf.Tensor1D, grads };
}
