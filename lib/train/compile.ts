/**
 * Keras-style `compile`: attaches an optimiser, a loss and metrics to a tfjs model for our own
 * training loop (`fit`, `evaluate` in fit.ts). tfjs's model.compile is not used: it rejects
 * Keras's loss names ('mse', 'sparse_categorical_crossentropy'...) and names history keys 'acc'.
 *
 * Usage:
 *   compile(model, { optimizer: tf.train.sgd(0.01), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
 */
import * as tf from '@tensorflow/tfjs';
import { assertUsableModel } from './usable';
import {
  binaryAccuracy,
  categoricalAccuracy,
  CrossentropyOptions,
  LossFunction,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  resolveLoss,
  ResolvedLoss,
  sparseCategoricalAccuracy,
} from './losses';
import { isOptimizerName, OPTIMIZER_NAMES, optimizerFromName, type OptimizerName } from '../optim/optimizers';

/** A metric function: per-sample values (shape [batch]) or a batch mean (scalar). */
export type MetricFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** A metric: a Keras name ('accuracy', 'mae', 'mse'...), a named function, or an explicit pair. */
export type MetricSpec = string | MetricFunction | { name: string; fn: MetricFunction };

/** What `compile` takes. */
export interface CompileConfig {
  /** A tf.Optimizer (any subclass, including wrappers) or a Keras name ('sgd' is SGD(0.01), 'adam' Adam(0.001)...). */
  optimizer: tf.Optimizer | OptimizerName;
  /** A Keras loss name ('mse', 'sparse_categorical_crossentropy'...) or a function. */
  loss: string | LossFunction;
  /** Metrics to report besides the loss; history keys are their names ('accuracy', 'mae'). */
  metrics?: MetricSpec[];
  /** Crossentropy option: the model outputs logits (Keras from_logits). */
  fromLogits?: boolean;
  /**
   * The model owns the optimiser: model.dispose() (or compiling again) frees its state. Implied
   * for an optimiser name; for an optimiser object, set it when nothing else holds the optimiser
   * (loadModel does).
   */
  ownOptimizer?: boolean;
}

/** A metric ready for the training loop. */
export interface ResolvedMetric {
  /** The history/log key. */
  name: string;
  /** Per-sample values, shape [batch] (or a scalar batch mean for a custom metric). */
  fn: MetricFunction;
}

/** The training configuration attached to a model by `compile`. */
export interface CompiledModel {
  optimizer: tf.Optimizer;
  loss: ResolvedLoss;
  metrics: ResolvedMetric[];
  /** The config as given (for saving). */
  config: CompileConfig;
}

const compiled = new WeakMap<tf.LayersModel, CompiledModel>();

/** A Keras-exact optimiser (lib/optim/optimizers) for a Keras name, with Keras 3's defaults. */
function namedOptimizer(name: string): tf.Optimizer {
  if (!isOptimizerName(name)) {
    throw new Error(
      `compile: unknown optimizer '${name}'. Use one of ${OPTIMIZER_NAMES.join(', ')} or pass a tf.Optimizer ` +
        '(e.g. SGD({ learningRate: 0.01, momentum: 0.9 }) from lib/optim, or tf.train.adam(1e-3)).',
    );
  }
  return optimizerFromName(name);
}

function accuracyFor(loss: ResolvedLoss): MetricFunction {
  if (loss.kind === 'binary_crossentropy') return (t, p) => binaryAccuracy(t, p);
  if (loss.kind === 'sparse_categorical_crossentropy') return sparseCategoricalAccuracy;
  if (loss.kind === 'categorical_crossentropy') return categoricalAccuracy;
  // Keras decides from the shapes when the loss does not say.
  return (t, p) => {
    const classes = p.shape[p.rank - 1];
    if (classes === 1) return binaryAccuracy(t, p);
    if (t.rank < p.rank || t.shape[t.rank - 1] === 1) return sparseCategoricalAccuracy(t, p);
    return categoricalAccuracy(t, p);
  };
}

const NAMED_METRICS: Record<string, MetricFunction> = {
  mae: meanAbsoluteError,
  mean_absolute_error: meanAbsoluteError,
  mse: meanSquaredError,
  mean_squared_error: meanSquaredError,
  msle: meanSquaredLogarithmicError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  mape: meanAbsolutePercentageError,
  mean_absolute_percentage_error: meanAbsolutePercentageError,
  binary_accuracy: (t, p) => binaryAccuracy(t, p),
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
};

/** Resolves one metric spec against the loss (for 'accuracy'). Usage: `resolveMetric('accuracy', resolveLoss('mse'))` */
export function resolveMetric(spec: MetricSpec, loss: ResolvedLoss): ResolvedMetric {
  if (typeof spec === 'function') {
    if (!spec.name) throw new Error('compile: a metric function needs a name; pass { name: "my_metric", fn } instead.');
    return { name: spec.name, fn: spec };
  }
  if (typeof spec === 'object') {
    if (!spec.name || typeof spec.fn !== 'function') throw new Error('compile: a metric object needs { name: string, fn: (yTrue, yPred) => tf.Tensor }.');
    return { name: spec.name, fn: spec.fn };
  }
  if (spec === 'accuracy' || spec === 'acc') return { name: spec, fn: accuracyFor(loss) };
  const fn = NAMED_METRICS[spec];
  if (fn === undefined) {
    throw new Error(`compile: unknown metric '${spec}'. Use 'accuracy', ${Object.keys(NAMED_METRICS).join(', ')}, or pass { name, fn }.`);
  }
  return { name: spec, fn };
}

/** Optimisers created by `compile` from a name, by the model that owns them. */
const ownedOptimizers = new WeakMap<tf.LayersModel, tf.Optimizer>();
const disposeHooked = new WeakSet<tf.LayersModel>();

/**
 * An optimiser created here from a name belongs to the model, as with tfjs's own
 * model.compile('sgd'): model.dispose() frees its state (learning-rate scalar, moments), and
 * compiling again frees the previous one. An optimiser passed in stays the caller's to dispose.
 * (tfjs's owner flag cannot be reused: a Sequential asks its inner model for the optimiser.)
 */
function ownOptimizer(model: tf.LayersModel, optimizer: tf.Optimizer, owned: boolean): void {
  const previous = ownedOptimizers.get(model);
  if (previous !== undefined && previous !== optimizer) previous.dispose();
  if (!owned) {
    ownedOptimizers.delete(model);
    return;
  }
  ownedOptimizers.set(model, optimizer);
  if (disposeHooked.has(model)) return;
  disposeHooked.add(model);
  const disposeModel = model.dispose.bind(model);
  model.dispose = () => {
    const result = disposeModel();
    const own = ownedOptimizers.get(model);
    if (result.refCountAfterDispose === 0 && own !== undefined) {
      own.dispose();
      ownedOptimizers.delete(model);
    }
    return result;
  };
}

/**
 * Attaches optimiser, loss and metrics to the model for `fit`/`evaluate`. Calling it again
 * replaces the previous configuration (and so the optimiser state).
 *
 * Usage: `compile(model, { optimizer: 'adam', loss: 'mse', metrics: ['mae'] });`
 */
export function compile(model: tf.LayersModel, config: CompileConfig): CompiledModel {
  if (!(model instanceof tf.LayersModel)) throw new Error('compile: the first argument must be a tf.LayersModel (tf.sequential() or tf.model()).');
  assertUsableModel('compile', model);
  if (config === undefined || config.loss === undefined) throw new Error("compile: give a loss, e.g. compile(model, { optimizer: 'sgd', loss: 'mse' }).");
  if (config.optimizer === undefined) throw new Error("compile: give an optimizer, e.g. 'sgd' or tf.train.adam(1e-3).");
  if (typeof config.optimizer !== 'string' && !(config.optimizer instanceof tf.Optimizer) && typeof (config.optimizer as { applyGradients?: unknown }).applyGradients !== 'function') {
    throw new Error('compile: optimizer must be a tf.Optimizer (it needs applyGradients).');
  }
  const lossOptions: CrossentropyOptions = { fromLogits: config.fromLogits ?? false };
  const loss = resolveLoss(config.loss, lossOptions);
  const metrics = (config.metrics ?? []).map((m) => resolveMetric(m, loss));
  const names = new Set<string>(['loss']);
  for (const m of metrics) {
    if (names.has(m.name)) throw new Error(`compile: metric name '${m.name}' is used twice; give each metric its own name.`);
    names.add(m.name);
  }
  // Created last, so that a bad loss or metric leaves no optimiser state behind.
  const optimizer = typeof config.optimizer === 'string' ? namedOptimizer(config.optimizer) : config.optimizer;
  ownOptimizer(model, optimizer, typeof config.optimizer === 'string' || config.ownOptimizer === true);
  const result: CompiledModel = { optimizer, loss, metrics, config };
  compiled.set(model, result);
  return result;
}

/** The configuration `compile` attached, or an Error saying to compile first. Usage: `getCompiled(model).optimizer` */
export function getCompiled(model: tf.LayersModel): CompiledModel {
  const c = compiled.get(model);
  if (c === undefined) {
    throw new Error(`${model.name}: the model is not compiled; call compile(model, { optimizer, loss, metrics }) from lib/train first.`);
  }
  return c;
}

/** Whether `compile` was called on the model. Usage: `if (!isCompiled(m)) compile(m, cfg);` */
export function isCompiled(model: tf.LayersModel): boolean {
  return compiled.has(model);
}
