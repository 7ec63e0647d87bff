/**
 * Keras-like optimisers for tfjs: the Keras names and defaults, a learning rate that may be a
 * schedule (evaluated per step like Keras), gradient clipping (clipvalue, clipnorm,
 * globalClipnorm), Nadam, which tfjs lacks, and a Keras-exact Adadelta.
 *
 * Every factory returns a `KerasOptimizer`: a real `tf.Optimizer` subclass wrapping a tfjs
 * optimiser (or `NadamOptimizer`). Before each update it sets the wrapped optimiser's rate to
 * `schedule.at(iterations)` (iterations = 0 for the first update, as in Keras), clips the
 * gradients, delegates, and frees the clipped copies. It works with tfjs's `model.fit`, with
 * `optimizer.minimize`, and with any loop that calls `applyGradients`.
 *
 * Differences from Keras that remain (documented, small):
 * - SGD with momentum uses tfjs's rule (accumulate gradients, multiply by the current rate); it
 *   equals Keras's (accumulate rate x gradient) whenever the rate is constant.
 * - Adam adds epsilon to sqrt(v_hat) (tfjs) where Keras adds it to sqrt(v); with epsilon = 1e-7
 *   the two differ by less than 1e-7 relative unless gradients are about 1e-7 themselves.
 *
 * Usage:
 *   const opt = SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true, clipnorm: 1 });
 *   model.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
 *   opt.learningRate = 0.001; // forwarded correctly to the wrapped tfjs optimiser
 */
import * as tf from '@tensorflow/tfjs';
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

type Grad = tf.Tensor | null | undefined;

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

interface RateSettable {
  setLearningRate(lr: number): void;
}

function hasSetLearningRate(o: unknown): o is RateSettable {
  return typeof (o as RateSettable).setLearningRate === 'function';
}

function readInnerRate(o: tf.Optimizer): number | undefined {
  const v = (o as unknown as { learningRate?: unknown }).learningRate;
  return typeof v === 'number' ? v : undefined;
}

/** Sets a tfjs optimiser's rate the way that optimiser honours it (setLearningRate for sgd/momentum, else the field). */
function writeInnerRate(o: tf.Optimizer, lr: number): void {
  if (isKerasOptimizer(o)) {
    o.learningRate = lr;
  } else if (hasSetLearningRate(o)) {
    o.setLearningRate(lr);
  } else if (readInnerRate(o) !== undefined) {
    (o as unknown as { learningRate: number }).learningRate = lr;
  } else {
    throw new Error(`${o.getClassName()} has no learning rate that can be changed; wrap an optimiser built with tf.train.* or this module's factories.`);
  }
}

function checkRate(lr: number, who: string): void {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`${who}: learning rate must be a finite number >= 0, got ${lr}; e.g. 0.001.`);
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
    const lr = args.learningRate ?? readInnerRate(inner);
    if (lr === undefined) throw new Error(`KerasOptimizer: cannot read the learning rate of ${inner.getClassName()}; pass learningRate.`);
    if (isSchedule(lr)) {
      this.schedule = lr;
      this.rate = lr.at(0);
    } else {
      checkRate(lr, 'KerasOptimizer');
      this.rate = lr;
    }
    if (readInnerRate(inner) !== this.rate) writeInnerRate(inner, this.rate);
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
    checkRate(lr, 'KerasOptimizer.learningRate');
    this.rate = lr;
    writeInnerRate(this.inner, lr);
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
      if (lr !== readInnerRate(this.inner)) writeInnerRate(this.inner, lr);
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

function initialRate(lr: LearningRate | undefined, fallback: number, who: string): { value: number; lr: LearningRate } {
  const chosen = lr ?? fallback;
  if (isSchedule(chosen)) return { value: chosen.at(0), lr: chosen };
  checkRate(chosen, who);
  return { value: chosen, lr: chosen };
}

function checkUnit(name: string, value: number, lo: number, hi: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value >= hi) throw new Error(`${name} must be in [${lo}, ${hi}), got ${value}; ${fix}`);
}

export interface SGDArgs extends CommonOptimizerArgs {
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  /** Nesterov accelerated gradient (needs momentum > 0); default false. */
  nesterov?: boolean;
}

/**
 * keras.optimizers.SGD (learningRate 0.01, momentum 0, nesterov false).
 *
 * Usage: `SGD({ learningRate: 0.001, momentum: 0.9, nesterov: true })`
 */
export function SGD(args: SGDArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.01, 'SGD');
  const momentum = args.momentum ?? 0;
  checkUnit('SGD momentum', momentum, 0, 1, 'use 0 for plain SGD or e.g. 0.9.');
  const nesterov = args.nesterov ?? false;
  const inner = momentum > 0 ? tf.train.momentum(value, momentum, nesterov) : tf.train.sgd(value);
  return new KerasOptimizer(inner, { ...args, learningRate: lr, kind: 'SGD', hyper: { momentum, nesterov } });
}

export interface AdagradArgs extends CommonOptimizerArgs {
  /** Default 0.1. */
  initialAccumulatorValue?: number;
}

/**
 * keras.optimizers.Adagrad (learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7).
 *
 * Usage: `Adagrad({ learningRate: 0.01 })`
 */
export function Adagrad(args: AdagradArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'Adagrad');
  const acc = args.initialAccumulatorValue ?? 0.1;
  if (!(acc >= 0)) throw new Error(`Adagrad initialAccumulatorValue must be >= 0, got ${acc}; the Keras default is 0.1.`);
  return new KerasOptimizer(tf.train.adagrad(value, acc), { ...args, learningRate: lr, kind: 'Adagrad', hyper: { initialAccumulatorValue: acc } });
}

export interface RMSpropArgs extends CommonOptimizerArgs {
  /** Decay of the mean square, default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default false. */
  centered?: boolean;
}

/**
 * keras.optimizers.RMSprop (learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7).
 *
 * Usage: `RMSprop({ learningRate: 0.001, rho: 0.9 })`
 */
export function RMSprop(args: RMSpropArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'RMSprop');
  const rho = args.rho ?? 0.9;
  const momentum = args.momentum ?? 0;
  const epsilon = args.epsilon ?? 1e-7;
  const centered = args.centered ?? false;
  checkUnit('RMSprop rho', rho, 0, 1, 'the Keras default is 0.9.');
  checkUnit('RMSprop momentum', momentum, 0, 1, 'the Keras default is 0.');
  return new KerasOptimizer(tf.train.rmsprop(value, rho, momentum, epsilon, centered), { ...args, learningRate: lr, kind: 'RMSprop', hyper: { rho, momentum, epsilon, centered } });
}

export interface AdamArgs extends CommonOptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * keras.optimizers.Adam (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * Usage: `Adam({ learningRate: 0.01 })`
 */
export function Adam(args: AdamArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'Adam');
  const { beta1, beta2, epsilon } = betas('Adam', args);
  return new KerasOptimizer(tf.train.adam(value, beta1, beta2, epsilon), { ...args, learningRate: lr, kind: 'Adam', hyper: { beta1, beta2, epsilon } });
}

/**
 * keras.optimizers.Adamax (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *
 * Usage: `Adamax({ learningRate: 0.002 })`
 */
export function Adamax(args: AdamArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'Adamax');
  const { beta1, beta2, epsilon } = betas('Adamax', args);
  return new KerasOptimizer(tf.train.adamax(value, beta1, beta2, epsilon, 0), { ...args, learningRate: lr, kind: 'Adamax', hyper: { beta1, beta2, epsilon } });
}

export interface NadamArgs extends AdamArgs {
  /**
   * Multiplier of t in the momentum-cache exponent, u_t = beta1 * (1 - 0.5 * 0.96^(t * d)).
   * Default 1, what Keras 3 (and tf.keras since 2.11) computes; 0.004 gives the legacy Keras 2
   * `schedule_decay` form of Dozat's paper.
   */
  momentumScheduleDecay?: number;
}

/**
 * keras.optimizers.Nadam (learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7): Adam
 * with Nesterov momentum and Dozat's momentum-cache schedule (see NadamOptimizer).
 *
 * Usage: `Nadam({ learningRate: 0.001 })`
 */
export function Nadam(args: NadamArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'Nadam');
  const { beta1, beta2, epsilon } = betas('Nadam', args);
  const d = args.momentumScheduleDecay ?? 1;
  const inner = new NadamOptimizer(value, beta1, beta2, epsilon, d);
  return new KerasOptimizer(inner, { ...args, learningRate: lr, kind: 'Nadam', hyper: { beta1, beta2, epsilon, momentumScheduleDecay: d } });
}

function betas(who: string, args: AdamArgs): { beta1: number; beta2: number; epsilon: number } {
  const beta1 = args.beta1 ?? 0.9;
  const beta2 = args.beta2 ?? 0.999;
  const epsilon = args.epsilon ?? 1e-7;
  checkUnit(`${who} beta1`, beta1, 0, 1, 'the Keras default is 0.9.');
  checkUnit(`${who} beta2`, beta2, 0, 1, 'the Keras default is 0.999.');
  if (!(epsilon > 0)) throw new Error(`${who} epsilon must be > 0, got ${epsilon}; the Keras default is 1e-7.`);
  return { beta1, beta2, epsilon };
}

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/**
 * Nadam as Keras 3 implements it (keras/src/optimizers/nadam.py), for t = iterations + 1:
 *   u_t = b1 (1 - 0.5 * 0.96^(t d)),  u_{t+1} likewise,  U_t = u_1 ... u_t
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
 *   m_hat = u_{t+1} m / (1 - U_t u_{t+1}) + (1 - u_t) g / (1 - U_t),  v_hat = v / (1 - b2^t)
 *   w -= lr m_hat / (sqrt(v_hat) + eps)
 * d = 1 in Keras 3. Registered for serialization as 'Nadam'.
 *
 * Usage: `const opt = new NadamOptimizer(0.001, 0.9, 0.999, 1e-7); opt.minimize(() => loss());`
 */
export class NadamOptimizer extends tf.Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'Nadam';
  }
  /** Assignable: the next update uses the new value. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly momentumScheduleDecay: number;
  private uProduct = 1;
  private m: Slot[] = [];
  private v: Slot[] = [];

  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, momentumScheduleDecay = 1) {
    super();
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.momentumScheduleDecay = momentumScheduleDecay;
  }

  /** u_t, the momentum cache at step t (1-based). */
  momentumCache(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t * this.momentumScheduleDecay));
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const t = this.iterations + 1;
    const uT = this.momentumCache(t);
    const uT1 = this.momentumCache(t + 1);
    this.uProduct *= uT;
    const uProductT = this.uProduct;
    const uProductT1 = uProductT * uT1;
    const b2Power = Math.pow(this.beta2, t);
    const { beta1, beta2, epsilon, learningRate } = this;
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (value == null) throw new Error(`Nadam: no variable named '${name}' is registered; pass gradients keyed by variable name (as optimizer.computeGradients returns).`);
      if (this.m[i] == null) {
        this.m[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.v[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      const g = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (g == null) return;
      const m = this.m[i].variable;
      const v = this.v[i].variable;
      tf.tidy(() => {
        const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const mHat = tf.add(tf.mul(newM, uT1 / (1 - uProductT1)), tf.mul(g, (1 - uT) / (1 - uProductT)));
        const vHat = tf.div(newV, 1 - b2Power);
        const step = tf.div(tf.mul(mHat, learningRate), tf.add(tf.sqrt(vHat), epsilon));
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.sub(value, step));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose([...this.m.map((s) => s.variable), ...this.v.map((s) => s.variable)]);
    this.m = [];
    this.v = [];
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.m, ...this.v];
    return [await this.saveIterations()].concat(slots.map((s) => ({ name: s.originalName, tensor: s.variable })));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length % 2 !== 0) throw new Error(`Nadam.setWeights: expected iterations then equal numbers of m and v slots, got ${rest.length} tensors after the iteration count.`);
    this.uProduct = 1;
    for (let s = 1; s <= this.iterations_; s++) this.uProduct *= this.momentumCache(s);
    tf.dispose([...this.m.map((s) => s.variable), ...this.v.map((s) => s.variable)]);
    const n = rest.length / 2;
    this.m = rest.slice(0, n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
    this.v = rest.slice(n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, momentumScheduleDecay: this.momentumScheduleDecay };
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const Ctor = cls as unknown as new (lr: number, b1: number, b2: number, eps: number, d: number) => T;
    return new Ctor(config.learningRate as number, config.beta1 as number, config.beta2 as number, config.epsilon as number, (config.momentumScheduleDecay as number | undefined) ?? 1);
  }
}
tf.serialization.registerClass(NadamOptimizer);

export interface AdadeltaArgs extends CommonOptimizerArgs {
  /** Decay of both running averages, default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * keras.optimizers.Adadelta (learningRate 0.001, rho 0.95, epsilon 1e-7), with Keras's update
 * rule (see KerasAdadeltaOptimizer: tfjs's adadelta divides by the previous step's average).
 * The seed's 2016 Keras blog used Keras 1's learning rate 1.0: pass { learningRate: 1 }.
 *
 * Usage: `Adadelta({ learningRate: 1 })`
 */
export function Adadelta(args: AdadeltaArgs = {}): KerasOptimizer {
  const { value, lr } = initialRate(args.learningRate, 0.001, 'Adadelta');
  const rho = args.rho ?? 0.95;
  const epsilon = args.epsilon ?? 1e-7;
  checkUnit('Adadelta rho', rho, 0, 1, 'the Keras default is 0.95.');
  if (!(epsilon > 0)) throw new Error(`Adadelta epsilon must be > 0, got ${epsilon}; the Keras default is 1e-7.`);
  return new KerasOptimizer(new KerasAdadeltaOptimizer(value, rho, epsilon), { ...args, learningRate: lr, kind: 'Adadelta', hyper: { rho, epsilon } });
}

/**
 * Adadelta as Keras computes it (keras/src/optimizers/adadelta.py):
 *   Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Edx + eps) / sqrt(Eg + eps) * g   (the NEW Eg)
 *   Edx = rho Edx + (1 - rho) d^2;  w += lr d
 * tfjs 4.22's AdadeltaOptimizer divides by the previous Eg, so its first step is lr * g instead
 * of about lr * sqrt(eps / (1 - rho)). Registered for serialization as 'KerasAdadelta'.
 *
 * Usage: `const opt = new KerasAdadeltaOptimizer(1.0, 0.95, 1e-7);`
 */
export class KerasAdadeltaOptimizer extends tf.Optimizer {
  /** @nocollapse */
  static get className(): string {
    return 'KerasAdadelta';
  }
  /** Assignable: the next update uses the new value. */
  learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  private accGrad: Slot[] = [];
  private accDelta: Slot[] = [];

  constructor(learningRate = 0.001, rho = 0.95, epsilon = 1e-7) {
    super();
    this.learningRate = learningRate;
    this.rho = rho;
    this.epsilon = epsilon;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    const { rho, epsilon, learningRate } = this;
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (value == null) throw new Error(`Adadelta: no variable named '${name}' is registered; pass gradients keyed by variable name.`);
      if (this.accGrad[i] == null) {
        this.accGrad[i] = { originalName: `${name}/accum_grad`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        this.accDelta[i] = { originalName: `${name}/accum_var`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      }
      const g = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
      if (g == null) return;
      const eg = this.accGrad[i].variable;
      const edx = this.accDelta[i].variable;
      tf.tidy(() => {
        const newEg = tf.add(tf.mul(eg, rho), tf.mul(tf.square(g), 1 - rho));
        const delta = tf.neg(tf.mul(tf.div(tf.sqrt(tf.add(edx, epsilon)), tf.sqrt(tf.add(newEg, epsilon))), g));
        const newEdx = tf.add(tf.mul(edx, rho), tf.mul(tf.square(delta), 1 - rho));
        eg.assign(newEg);
        edx.assign(newEdx);
        value.assign(tf.add(value, tf.mul(delta, learningRate)));
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose([...this.accGrad.map((s) => s.variable), ...this.accDelta.map((s) => s.variable)]);
    this.accGrad = [];
    this.accDelta = [];
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.accGrad, ...this.accDelta];
    return [await this.saveIterations()].concat(slots.map((s) => ({ name: s.originalName, tensor: s.variable })));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    if (rest.length % 2 !== 0) throw new Error(`Adadelta.setWeights: expected iterations then equal numbers of accumulator slots, got ${rest.length} tensors after the iteration count.`);
    tf.dispose([...this.accGrad.map((s) => s.variable), ...this.accDelta.map((s) => s.variable)]);
    const n = rest.length / 2;
    this.accGrad = rest.slice(0, n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
    this.accDelta = rest.slice(n).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const Ctor = cls as unknown as new (lr: number, rho: number, eps: number) => T;
    return new Ctor(config.learningRate as number, config.rho as number, config.epsilon as number);
  }
}
tf.serialization.registerClass(KerasAdadeltaOptimizer);

/**
 * Builds an optimiser from a Keras name ('sgd', 'adam', 'nadam', ...) with Keras defaults.
 *
 * Usage: `const opt = optimizerFromName('nadam', { learningRate: 0.001 });`
 */
export function optimizerFromName(name: string, args: CommonOptimizerArgs = {}): KerasOptimizer {
  switch (name.toLowerCase()) {
    case 'sgd': return SGD(args);
    case 'adagrad': return Adagrad(args);
    case 'adadelta': return Adadelta(args);
    case 'rmsprop': return RMSprop(args);
    case 'adam': return Adam(args);
    case 'adamax': return Adamax(args);
    case 'nadam': return Nadam(args);
    default:
      throw new Error(`optimizerFromName: unknown optimiser '${name}'; use sgd, adagrad, adadelta, rmsprop, adam, adamax or nadam.`);
  }
}
