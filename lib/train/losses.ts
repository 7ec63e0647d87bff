/**
 * Keras-named losses and metrics as per-sample functions: each returns a tensor of shape
 * [batch] (the value for every sample), so that the training loop can weight samples, average
 * over a batch, and accumulate epoch sums on the device.
 *
 * Formulas follow Keras 3 (TensorFlow backend): crossentropies are computed from probabilities
 * with clipping to [1e-7, 1 - 1e-7] unless `fromLogits` is set; elementwise losses average over
 * every non-batch axis.
 *
 * Usage:
 *   const loss = resolveLoss('sparse_categorical_crossentropy');
 *   const perSample = loss.perSample(yTrue, yPred); // shape [batch]
 */
import * as tf from '@tensorflow/tfjs';

/** Keras's fuzz factor (keras.backend.epsilon()). Usage: `tf.clipByValue(p, EPSILON, 1 - EPSILON)` */
export const EPSILON = 1e-7;

/** A user loss: returns a per-sample tensor of shape [batch] or a scalar (already averaged). */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The Keras loss names accepted by `compile` (snake_case, short and camelCase forms). Usage: `LOSS_NAMES.includes(name)` */
export const LOSS_NAMES = [
  'mse',
  'mean_squared_error',
  'meanSquaredError',
  'mae',
  'mean_absolute_error',
  'meanAbsoluteError',
  'msle',
  'mean_squared_logarithmic_error',
  'meanSquaredLogarithmicError',
  'mape',
  'mean_absolute_percentage_error',
  'meanAbsolutePercentageError',
  'binary_crossentropy',
  'binaryCrossentropy',
  'categorical_crossentropy',
  'categoricalCrossentropy',
  'sparse_categorical_crossentropy',
  'sparseCategoricalCrossentropy',
] as const;

/** One of the accepted loss names. */
export type LossName = (typeof LOSS_NAMES)[number];

/** The canonical Keras name of each built-in loss. */
export type CanonicalLoss =
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'mean_squared_logarithmic_error'
  | 'mean_absolute_percentage_error'
  | 'binary_crossentropy'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy';

/** A loss ready for the training loop. */
export interface ResolvedLoss {
  /** Canonical Keras name, or the function's name for a custom loss. */
  name: string;
  /** The built-in this is, when it is one (drives the choice of 'accuracy'). */
  kind?: CanonicalLoss;
  /** Values per sample (shape [batch]); for a custom scalar loss, a scalar. */
  perSample: LossFunction;
  /** True for a custom loss: its result may be a scalar (then sample weights cannot apply). */
  custom: boolean;
}

/** Options of the crossentropy losses. */
export interface CrossentropyOptions {
  /** The model outputs logits rather than probabilities (Keras from_logits). */
  fromLogits?: boolean;
}

const ALIASES: Record<LossName, CanonicalLoss> = {
  mse: 'mean_squared_error',
  mean_squared_error: 'mean_squared_error',
  meanSquaredError: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mean_absolute_error: 'mean_absolute_error',
  meanAbsoluteError: 'mean_absolute_error',
  msle: 'mean_squared_logarithmic_error',
  mean_squared_logarithmic_error: 'mean_squared_logarithmic_error',
  meanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  mape: 'mean_absolute_percentage_error',
  mean_absolute_percentage_error: 'mean_absolute_percentage_error',
  meanAbsolutePercentageError: 'mean_absolute_percentage_error',
  binary_crossentropy: 'binary_crossentropy',
  binaryCrossentropy: 'binary_crossentropy',
  categorical_crossentropy: 'categorical_crossentropy',
  categoricalCrossentropy: 'categorical_crossentropy',
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

/** Canonical name of a loss name, or undefined when it is not one. Usage: `canonicalLossName('mse') // 'mean_squared_error'` */
export function canonicalLossName(name: string): CanonicalLoss | undefined {
  return (ALIASES as Record<string, CanonicalLoss | undefined>)[name];
}

/** Mean over every axis but the first: [batch, ...] -> [batch]. */
function perSampleMean(t: tf.Tensor): tf.Tensor {
  if (t.rank <= 1) return t;
  const axes: number[] = [];
  for (let a = 1; a < t.rank; a++) axes.push(a);
  return tf.mean(t, axes);
}

function asFloat(t: tf.Tensor): tf.Tensor {
  return t.dtype === 'float32' ? t : tf.cast(t, 'float32');
}

/** Makes yTrue's rank match yPred's the way Keras does ([n] against [n, 1]). */
function matchRank(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (yTrue.rank === yPred.rank - 1 && yPred.shape[yPred.rank - 1] === 1) return tf.expandDims(yTrue, -1);
  if (yTrue.rank === yPred.rank + 1 && yTrue.shape[yTrue.rank - 1] === 1) return tf.squeeze(yTrue, [-1]);
  return yTrue;
}

function checkSameShape(what: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  const a = yTrue.shape.join(',');
  const b = yPred.shape.join(',');
  if (a !== b) {
    throw new Error(
      `${what}: targets of shape [${a}] do not match predictions of shape [${b}]; ` +
        'give y the shape of the model output (for integer class labels use sparse_categorical_crossentropy).',
    );
  }
}

function elementwise(what: string, f: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const t = asFloat(matchRank(yTrue, yPred));
      checkSameShape(what, t, yPred);
      return perSampleMean(f(t, yPred));
    });
}

/** Per-sample mean squared error. Usage: `meanSquaredError(y, p) // shape [batch]` */
export const meanSquaredError: LossFunction = elementwise('mean_squared_error', (t, p) => tf.squaredDifference(t, p));

/** Per-sample mean absolute error. Usage: `meanAbsoluteError(y, p)` */
export const meanAbsoluteError: LossFunction = elementwise('mean_absolute_error', (t, p) => tf.abs(tf.sub(t, p)));

/** Per-sample mean squared logarithmic error (Keras: log(max(x, eps) + 1)). Usage: `meanSquaredLogarithmicError(y, p)` */
export const meanSquaredLogarithmicError: LossFunction = elementwise('mean_squared_logarithmic_error', (t, p) =>
  tf.squaredDifference(tf.log1p(tf.maximum(p, EPSILON)), tf.log1p(tf.maximum(t, EPSILON))),
);

/** Per-sample mean absolute percentage error (100 * |y - p| / max(|y|, eps)). Usage: `meanAbsolutePercentageError(y, p)` */
export const meanAbsolutePercentageError: LossFunction = elementwise('mean_absolute_percentage_error', (t, p) =>
  tf.mul(100, tf.div(tf.abs(tf.sub(t, p)), tf.maximum(tf.abs(t), EPSILON))),
);

/**
 * Per-sample binary crossentropy, averaged over the last axis.
 * Usage: `binaryCrossentropy()(y, p)` or `binaryCrossentropy({ fromLogits: true })(y, logits)`
 */
export function binaryCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return elementwise('binary_crossentropy', (t, p) => {
    if (options.fromLogits) {
      // max(x, 0) - x * y + log(1 + exp(-|x|)), stable for large |x|.
      return tf.add(tf.sub(tf.relu(p), tf.mul(p, t)), tf.log1p(tf.exp(tf.neg(tf.abs(p)))));
    }
    const pc = clipKeepNaN(p, EPSILON, 1 - EPSILON);
    const pos = tf.mul(t, tf.log(tf.add(pc, EPSILON)));
    const neg = tf.mul(tf.sub(1, t), tf.log(tf.add(tf.sub(1, pc), EPSILON)));
    return tf.neg(tf.add(pos, neg));
  });
}

/**
 * Per-sample categorical crossentropy with one-hot (or soft) targets.
 * Usage: `categoricalCrossentropy()(yOneHot, probs)`
 */
export function categoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const t = asFloat(yTrue);
      checkSameShape('categorical_crossentropy', t, yPred);
      let logp: tf.Tensor;
      if (options.fromLogits) {
        logp = tf.logSoftmax(yPred, -1);
      } else {
        const p = tf.div(yPred, tf.sum(yPred, -1, true));
        logp = tf.log(clipKeepNaN(p, EPSILON, 1 - EPSILON));
      }
      return perSampleMean(tf.neg(tf.sum(tf.mul(t, logp), -1)));
    });
}

/**
 * Checks that class labels are whole numbers in [0, classes): a label out of range (10 for 10
 * classes, -1) or fractional (2.5) would otherwise train and evaluate silently (tf.oneHot gives
 * an all-zero row). Reads the labels once; labels of another shape (one-hot) are left to the
 * loss's shape check.
 *
 * Usage: `checkClassLabels('fit: y', y, 10, 'sparse_categorical_crossentropy');`
 */
export function checkClassLabels(what: string, labels: tf.Tensor, classes: number, reader = 'sparse_categorical_crossentropy'): void {
  if (!(labels.rank === 1 || (labels.rank === 2 && labels.shape[1] === 1))) return;
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (Number.isInteger(v) && v >= 0 && v < classes) continue;
    throw new Error(
      `${what} holds class label ${v} at sample ${i}; ${reader} needs whole numbers from 0 to ${classes - 1} (the model has ${classes} outputs). ` +
        'Fix the labels (count classes from 0), or give the last layer one unit per class.',
    );
  }
}

/**
 * tf.clipByValue that keeps NaN: the wasm backend clips NaN to the lower bound, which hid a NaN
 * prediction behind a finite loss. Same value and gradient as clipByValue otherwise.
 *
 * Usage: `const pc = clipKeepNaN(p, EPSILON, 1 - EPSILON);`
 */
export function clipKeepNaN(x: tf.Tensor, lo: number, hi: number): tf.Tensor {
  return tf.add(tf.clipByValue(x, lo, hi), tf.mul(x, 0));
}

/** Integer labels as int32 with predictions' shape minus the class axis; checks their shape. */
function sparseLabels(what: string, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const target = yPred.shape.slice(0, -1);
  let labels = yTrue;
  if (labels.rank === target.length + 1 && labels.shape[labels.rank - 1] === 1) labels = tf.squeeze(labels, [-1]);
  if (labels.shape.join(',') !== target.join(',')) {
    throw new Error(
      `${what}: integer labels of shape [${yTrue.shape.join(',')}] do not fit predictions of shape [${yPred.shape.join(',')}]; ` +
        `give one class index per sample, shape [${target.join(',')}] or [${[...target, 1].join(',')}] (use categorical_crossentropy for one-hot targets).`,
    );
  }
  return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
}

/**
 * Per-sample sparse categorical crossentropy: labels are class indices (int32 or float, shape
 * [n] or [n, 1]). From probabilities it matches Keras: log(sum clip(p)) - log(clip(p)[label]).
 * Usage: `sparseCategoricalCrossentropy()(labels, probs)`
 */
export function sparseCategoricalCrossentropy(options: CrossentropyOptions = {}): LossFunction {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const labels = sparseLabels('sparse_categorical_crossentropy', yTrue, yPred);
      const classes = yPred.shape[yPred.rank - 1];
      const oneHot = tf.reshape(tf.oneHot(tf.reshape(labels, [-1]), classes), yPred.shape);
      if (options.fromLogits) {
        return perSampleMean(tf.sub(tf.logSumExp(yPred, -1), tf.sum(tf.mul(oneHot, yPred), -1)));
      }
      // Keras: log_softmax(log(clip(p))) at the label = log(clip(p)[label]) - log(sum(clip(p))).
      const pc = clipKeepNaN(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
      return perSampleMean(tf.sub(tf.log(tf.sum(pc, -1)), tf.log(tf.sum(tf.mul(oneHot, pc), -1))));
    });
}

/**
 * A loss name or function, resolved for the training loop. Throws on an unknown name, listing
 * the accepted ones.
 *
 * Usage: `resolveLoss('mse')`, `resolveLoss((y, p) => tf.losses.huberLoss(y, p))`
 */
export function resolveLoss(spec: string | LossFunction, options: CrossentropyOptions = {}): ResolvedLoss {
  if (typeof spec === 'function') {
    return { name: spec.name || 'custom_loss', perSample: spec, custom: true };
  }
  const kind = canonicalLossName(spec);
  if (kind === undefined) {
    throw new Error(
      `compile: unknown loss '${spec}'. Use one of ${LOSS_NAMES.filter((n) => n.includes('_') || n.length <= 4).join(', ')} ` +
        '(camelCase forms work too) or pass a function (yTrue, yPred) => tf.Tensor.',
    );
  }
  const perSample: Record<CanonicalLoss, LossFunction> = {
    mean_squared_error: meanSquaredError,
    mean_absolute_error: meanAbsoluteError,
    mean_squared_logarithmic_error: meanSquaredLogarithmicError,
    mean_absolute_percentage_error: meanAbsolutePercentageError,
    binary_crossentropy: binaryCrossentropy(options),
    categorical_crossentropy: categoricalCrossentropy(options),
    sparse_categorical_crossentropy: sparseCategoricalCrossentropy(options),
  };
  return { name: kind, kind, perSample: perSample[kind], custom: false };
}

/** Per-sample binary accuracy (prediction > threshold equals the target), averaged over the last axis. Usage: `binaryAccuracy(y, p)` */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() => {
    const t = asFloat(matchRank(yTrue, yPred));
    checkSameShape('binary_accuracy', t, yPred);
    return perSampleMean(tf.cast(tf.equal(t, tf.cast(tf.greater(yPred, threshold), 'float32')), 'float32'));
  });
}

/** Per-sample categorical accuracy (argmax of one-hot targets equals argmax of predictions). Usage: `categoricalAccuracy(y, p)` */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    checkSameShape('categorical_accuracy', yTrue, yPred);
    return perSampleMean(tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32'));
  });
}

/** Per-sample sparse categorical accuracy (label equals argmax of predictions). Usage: `sparseCategoricalAccuracy(labels, p)` */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const labels = sparseLabels('sparse_categorical_accuracy', yTrue, yPred);
    return perSampleMean(tf.cast(tf.equal(labels, tf.argMax(yPred, -1)), 'float32'));
  });
}
