/**
 * KerasOptimizer: a `tf.Optimizer` that wraps a tfjs optimiser (or one of ours) and adds Keras
 * behaviour: a learning rate that may be a schedule (evaluated per step like Keras), a settable
 * rate for every wrapped type, and gradient clipping (clipvalue, clipnorm, globalClipnorm).
 * Before each update it sets the wrapped optimiser's rate to `schedule.at(iterations)`
 * (iterations = 0 for the first update, as in Keras), clips the gradients, delegates, and frees
 * the clipped copies. It works with tfjs's `model.fit`, with `optimizer.minimize`, and with any
 * loop that calls `applyGradients`. The Keras-named factories that build it are in optimizers.ts.
 *
 * Usage:
 *   const opt = new KerasOptimizer(tf.train.adam(0.001), { learningRate: schedule, clipnorm: 1 });
 *   opt.learningRate = 0.001; // forwarded correctly to the wrapped tfjs optimiser
 */
import * as tf from '@tensorflow/tfjs';
import { checkLearningRate, readLearningRate, setLearningRate } from './learning-rate';
import { isSchedule, LearningRateSchedule, ScheduleConfig, scheduleFromConfig } from './schedules';

/** A named gradient or weight, as tf.Optimizer passes them (tfjs does not export this type). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** A learning rate: a constant or a schedule evaluated at each step. */
export type LearningRate = number | LearningRateSchedule;

/** Keras's gradient-clipping options; at most one may be set (as in Keras 3). */
export interface ClipOptions {
  /** Clip every gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Rescale each variable's gradient so that its L2 norm is at most clipnorm. */
  clipnorm?: number;
  /** Rescale all gradients together so that their joint L2 norm is at most globalClipnorm. */
  globalClipnorm?: number;
}

/** The optimiser families the factories build. */
export type OptimizerKind = 'SGD' | 'Adagrad' | 'Adadelta' | 'RMSprop' | 'Adam' | 'Adamax' | 'Nadam' | 'Wrapped';

/** A gradient slot: a tensor, or null/undefined for a variable without a gradient. */
export type Grad = tf.Tensor | null | undefined;

function checkClip(clip: ClipOptions): ClipOptions {
  const set = (['clipvalue', 'clipnorm', 'globalClipnorm'] as const).filter((k) => clip[k] !== undefined && clip[k] !== null);
  if (set.length > 1) {
    throw new Error(`Gradient clipping: only one of clipvalue, clipnorm and globalClipnorm can be set (got ${set.join(' and ')}), as in Keras; keep one.`);
  }
  for (const k of set) {
    const v = clip[k] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`Gradient clipping: ${k} must be a number > 0, got ${v}; e.g. ${k}: 1.0.`);
  }
  const out: ClipOptions = {};
  for (const k of set) out[k] = clip[k];
  return out;
}

/**
 * Clips a list of gradients as Keras does (clipnorm per variable: g * c / max(||g||, c);
 * globalClipnorm: every g * c / max(global norm, c); clipvalue: elementwise). Null entries stay
 * null. Returns new tensors (the caller disposes them), or the input list when no clipping is set.
 *
 * Usage: `const clipped = clipGradients([g1, g2], { clipnorm: 1 });`
 */
export function clipGradients(grads: Grad[], clip: ClipOptions): Grad[] {
  const c = checkClip(clip);
  if (c.clipnorm !== undefined) {
    const limit = c.clipnorm;
    return grads.map((g) => (g == null ? g : tf.tidy(() => {
      const norm = tf.sqrt(tf.sum(tf.square(g)));
      return tf.div(tf.mul(g, limit), tf.maximum(norm, limit));
    })));
  }
  if (c.globalClipnorm !== undefined) {
    const limit = c.globalClipnorm;
    const present = grads.filter((g): g is tf.Tensor => g != null);
    if (present.length === 0) return grads.slice();
    const factor = tf.tidy(() => {
      const total = tf.addN(present.map((g) => tf.sum(tf.square(g))));
      return tf.div(limit, tf.maximum(tf.sqrt(total), limit));
    });
    const out = grads.map((g) => (g == null ? g : tf.mul(g, factor)));
    factor.dispose();
    return out;
  }
  if (c.clipvalue !== undefined) {
    const v = c.clipvalue;
    return grads.map((g) => (g == null ? g : tf.clipByValue(g, -v, v)));
  }
  return grads;
}

type SerializableCtor = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;

function classEntry(className: string): [SerializableCtor, tf.serialization.FromConfigMethod<tf.serialization.Serializable>] {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!entry) throw new Error(`KerasOptimizer.fromConfig: optimiser class '${className}' is not registered; import the module that defines it before loading.`);
  return entry;
}

/** Options shared by every factory. */
export interface CommonOptimizerArgs extends ClipOptions {
  /** A number or a schedule from lib/optim/schedules (evaluated at each step). */
  learningRate?: LearningRate;
}

/**
 * A tf.Optimizer that wraps another one and adds Keras behaviour: a scheduled or settable
 * learning rate and gradient clipping. Registered for serialization (class name
 * 'KerasOptimizer'), so `model.save(..., { includeOptimizer: true })` round-trips.
 *
 * Usage: `const opt = new KerasOptimizer(tf.train.adam(0.001), { learningRate: schedule, clipnorm: 1 });`
 */
export class KerasOptimizer extends tf.Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'KerasOptimizer';
  }
  /** The wrapped optimiser that does the update. */
  readonly inner: tf.Optimizer;
  /** Which family built this optimiser. */
  readonly kind: OptimizerKind;
  /** The Keras hyper-parameters it was built with (for display and config). */
  readonly hyper: Readonly<Record<string, number | boolean>>;
  private readonly clip: ClipOptions;
  private schedule: LearningRateSchedule | undefined;
  private rate: number;

  constructor(inner: tf.Optimizer, args: CommonOptimizerArgs & { kind?: OptimizerKind; hyper?: Record<string, number | boolean>; iterations?: number } = {}) {
    super();
    if (args.iterations !== undefined) this.iterations_ = args.iterations;
    if (!(inner instanceof tf.Optimizer)) throw new Error('KerasOptimizer: inner must be a tf.Optimizer (e.g. tf.train.adam(0.001)).');
    this.inner = inner;
    this.kind = args.kind ?? 'Wrapped';
    this.hyper = { ...(args.hyper ?? {}) };
    this.clip = checkClip(args);
    const lr = args.learningRate ?? readLearningRate(inner);
    if (lr === undefined) throw new Error(`KerasOptimizer: cannot read the learning rate of ${inner.getClassName()}; pass learningRate.`);
    if (isSchedule(lr)) {
      this.schedule = lr;
      this.rate = lr.at(0);
    } else {
      checkLearningRate(lr, 'KerasOptimizer');
      this.rate = lr;
    }
    if (readLearningRate(inner) !== this.rate) setLearningRate(inner, this.rate);
  }

  /** The clipping this optimiser applies (a copy). */
  get clipOptions(): ClipOptions {
    return { ...this.clip };
  }

  /** The schedule driving the rate, if any. */
  get learningRateSchedule(): LearningRateSchedule | undefined {
    return this.schedule;
  }

  /**
   * The learning rate for the next update: the schedule's value at `iterations`, or the
   * constant. Setting it works for every wrapped optimiser (sgd/momentum included); setting it
   * while a schedule drives the rate throws, as in Keras.
   */
  get learningRate(): number {
    return this.schedule ? this.schedule.at(this.iterations) : this.rate;
  }

  set learningRate(lr: number) {
    if (this.schedule) {
      throw new Error(`This optimiser's learning rate comes from the schedule ${this.schedule.name}, so it cannot be set (Keras refuses too); build the optimiser with a number to change the rate by hand or from a callback.`);
    }
    checkLearningRate(lr, 'KerasOptimizer.learningRate');
    this.rate = lr;
    setLearningRate(this.inner, lr);
  }

  /**
   * A one-line label for legends and tables, e.g. `SGD(lr=0.001, momentum=0.9, nesterov=true)`.
   *
   * Usage: `console.log(opt.describe())`
   */
  describe(): string {
    const parts = [`lr=${this.schedule ? this.schedule.name : String(this.rate)}`];
    for (const [k, v] of Object.entries(this.hyper)) parts.push(`${k}=${String(v)}`);
    for (const [k, v] of Object.entries(this.clip)) parts.push(`${k}=${String(v)}`);
    const name = this.kind === 'Wrapped' ? this.inner.getClassName() : this.kind;
    return `${name}(${parts.join(', ')})`;
  }

  /** Same as assigning `learningRate`. Usage: `opt.setLearningRate(0.001)` */
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /** Same as reading `learningRate`. Usage: `opt.getLearningRate()` */
  getLearningRate(): number {
    return this.learningRate;
  }

  /** Clips, sets the step's rate on the wrapped optimiser, updates, frees the clipped copies. */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    if (this.schedule) {
      const lr = this.schedule.at(this.iterations);
      if (lr !== readLearningRate(this.inner)) setLearningRate(this.inner, lr);
    }
    const clipping = Object.keys(this.clip).length > 0;
    if (!clipping) {
      this.inner.applyGradients(variableGradients);
    } else if (Array.isArray(variableGradients)) {
      const grads = variableGradients.map((v) => v.tensor as Grad);
      const clipped = clipGradients(grads, this.clip);
      try {
        this.inner.applyGradients(variableGradients.map((v, i) => ({ name: v.name, tensor: clipped[i] as tf.Tensor })));
      } finally {
        disposeNew(clipped, grads);
      }
    } else {
      const names = Object.keys(variableGradients);
      const grads = names.map((n) => variableGradients[n] as Grad);
      const clipped = clipGradients(grads, this.clip);
      const map: tf.NamedTensorMap = {};
      names.forEach((n, i) => { map[n] = clipped[i] as tf.Tensor; });
      try {
        this.inner.applyGradients(map);
      } finally {
        disposeNew(clipped, grads);
      }
    }
    this.incrementIterations();
  }

  /** Frees the wrapped optimiser's tensors (see freeSgdRateScalar). Usage: `opt.dispose()` */
  override dispose(): void {
    this.inner.dispose();
    freeSgdRateScalar(this.inner);
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return this.inner.getWeights();
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await this.inner.setWeights(weightValues);
    this.iterations_ = this.inner.iterations;
  }

  getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      kind: this.kind,
      hyper: { ...this.hyper },
      inner: { className: this.inner.getClassName(), config: this.inner.getConfig() },
    };
    config.learningRate = this.schedule ? (this.schedule.getConfig() as unknown as tf.serialization.ConfigDict) : this.rate;
    if (this.clip.clipvalue !== undefined) config.clipvalue = this.clip.clipvalue;
    if (this.clip.clipnorm !== undefined) config.clipnorm = this.clip.clipnorm;
    if (this.clip.globalClipnorm !== undefined) config.globalClipnorm = this.clip.globalClipnorm;
    return config;
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const innerSpec = config.inner as { className: string; config: tf.serialization.ConfigDict };
    const [innerCls, innerFromConfig] = classEntry(innerSpec.className);
    const inner = innerFromConfig(innerCls, innerSpec.config) as tf.Optimizer;
    const lrSpec = config.learningRate;
    const learningRate: LearningRate = typeof lrSpec === 'number' ? lrSpec : scheduleFromConfig(lrSpec as unknown as ScheduleConfig);
    const Ctor = cls as unknown as new (inner: tf.Optimizer, args: CommonOptimizerArgs & { kind?: OptimizerKind; hyper?: Record<string, number | boolean> }) => T;
    return new Ctor(inner, {
      learningRate,
      kind: config.kind as OptimizerKind,
      hyper: config.hyper as Record<string, number | boolean>,
      clipvalue: config.clipvalue as number | undefined,
      clipnorm: config.clipnorm as number | undefined,
      globalClipnorm: config.globalClipnorm as number | undefined,
    });
  }
}
tf.serialization.registerClass(KerasOptimizer);

/**
 * True when `o` is a KerasOptimizer. (Do not use `instanceof`: tf.Optimizer overrides it to
 * accept any object with minimize/applyGradients, and subclasses inherit that.)
 *
 * Usage: `if (isKerasOptimizer(model.optimizer)) model.optimizer.learningRate = 1e-4;`
 */
export function isKerasOptimizer(o: unknown): o is KerasOptimizer {
  return typeof o === 'object' && o !== null && KerasOptimizer.prototype.isPrototypeOf(o);
}

/**
 * tfjs 4.22's MomentumOptimizer (tf.train.momentum, what SGD({ momentum }) wraps) extends
 * SGDOptimizer, which keeps the negated learning rate as a scalar `c`, but its dispose() frees
 * only its own tensors and never calls SGDOptimizer.dispose(): every momentum optimiser leaves
 * that scalar alive. Called after `inner.dispose()`, this frees `c` when it is still alive (a
 * no-op for plain SGD, whose dispose() already freed it, and for optimisers without `c`).
 */
function freeSgdRateScalar(inner: tf.Optimizer): void {
  const c = (inner as unknown as { c?: unknown }).c;
  if (c instanceof tf.Tensor && !c.isDisposed) c.dispose();
}

function disposeNew(clipped: Grad[], original: Grad[]): void {
  clipped.forEach((g, i) => {
    if (g != null && g !== original[i]) g.dispose();
  });
}

/**
 * Adds Keras gradient clipping to any tf.Optimizer (the rate stays settable through the wrapper).
 * Given a KerasOptimizer, returns a new wrapper around the same inner optimiser (same state and
 * step count); use the returned one from then on.
 *
 * Usage: `const opt = withClipping(tf.train.adam(0.001), { clipvalue: 1 });`
 */
export function withClipping(opt: tf.Optimizer, clip: ClipOptions): KerasOptimizer {
  const c = checkClip(clip);
  if (Object.keys(c).length === 0) throw new Error('withClipping: give one of clipvalue, clipnorm or globalClipnorm (e.g. { clipnorm: 1 }).');
  if (isKerasOptimizer(opt)) {
    if (Object.keys(opt.clipOptions).length > 0) throw new Error('withClipping: this optimiser already clips gradients; build it once with the clipping you want.');
    return new KerasOptimizer(opt.inner, { ...c, learningRate: opt.learningRateSchedule ?? opt.learningRate, kind: opt.kind, hyper: { ...opt.hyper }, iterations: opt.iterations });
  }
  return new KerasOptimizer(opt, { ...c, kind: 'Wrapped' });
}
