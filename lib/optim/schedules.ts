/**
 * Learning-rate schedules, computed per optimiser step the way Keras computes them
 * (`keras.optimizers.schedules.*`), plus the per-epoch functions the seed's notebook uses with
 * a LearningRateScheduler callback.
 *
 * Every schedule is a small typed object with `at(step)` (a pure function of the step, which
 * starts at 0 for the first update, like Keras's `optimizer.iterations`), a `name` for plot
 * legends and a `getConfig()` whose `config` is the constructor's arguments, so that
 * `scheduleFromConfig` rebuilds it as `new Schedules[className](config)`.
 *
 * Usage:
 *   const s = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10000, decayRate: 0.9 });
 *   s.at(10000) // 0.9
 *   const opt = SGD({ learningRate: s }); // lib/optim/optimizers.ts evaluates s.at(iterations)
 */

/** A plain-JSON description of a schedule: its class name and its constructor's arguments. */
export interface ScheduleConfig {
  className: string;
  config: Record<string, number | boolean | number[]>;
}

/** A learning rate as a function of the optimiser step (or of the epoch for the epoch helpers). */
export interface LearningRateSchedule {
  /** Short label for plots and logs, e.g. `ExponentialDecay(lr0=1, steps=10000, rate=0.9)`. */
  readonly name: string;
  /** Whether `at` expects an optimiser step (Keras schedules) or an epoch (LearningRateScheduler helpers). */
  readonly unit: 'step' | 'epoch';
  /** The learning rate at this step (or epoch); a pure function. */
  at(step: number): number;
  /** The class name and the constructor's arguments (with defaults filled), for `scheduleFromConfig`. */
  getConfig(): ScheduleConfig;
}

function checkFinite(what: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${what} must be a finite number, got ${value}: ${fix}`);
}

/** A learning rate: finite and >= 0 (a negative rate would climb the loss; the optimisers refuse it too). */
function checkRate(what: string, value: number, fix: string): void {
  checkFinite(what, value, fix);
  if (value < 0) throw new Error(`${what} must be a learning rate >= 0, got ${value}: ${fix}`);
}

function checkPositive(what: string, value: number, fix: string): void {
  checkFinite(what, value, fix);
  if (value <= 0) throw new Error(`${what} must be > 0, got ${value}: ${fix}`);
}

function checkStep(schedule: string, step: number): void {
  if (typeof step !== 'number' || !Number.isFinite(step) || step < 0) {
    throw new Error(`${schedule}.at(step): step must be a finite number >= 0, got ${step}; pass the optimiser's iteration count (0 for the first update).`);
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

export interface PowerScheduleArgs {
  /** eta0, the rate at step 0. */
  initialLearningRate: number;
  /** s: after s steps the rate is eta0 / 2^c. */
  steps: number;
  /** c, the power (default 1). */
  power?: number;
}

/**
 * Power scheduling as the seed writes it: eta(t) = eta0 / (1 + t/s)^c. With c = 1 this is
 * Keras's InverseTimeDecay(eta0, s, 1) and the old `decay = 1/s` optimiser argument.
 *
 * Usage: `const s = powerSchedule({ initialLearningRate: 0.01, steps: 10000 }); s.at(10000) // 0.005`
 */
export class PowerSchedule implements LearningRateSchedule {
  readonly unit = 'step' as const;
  readonly initialLearningRate: number;
  readonly steps: number;
  readonly power: number;
  constructor(args: PowerScheduleArgs) {
    checkRate('PowerSchedule initialLearningRate', args.initialLearningRate, 'give eta0, e.g. 0.01.');
    checkPositive('PowerSchedule steps', args.steps, 'give s, the number of steps it takes to halve the rate when c = 1.');
    this.initialLearningRate = args.initialLearningRate;
    this.steps = args.steps;
    this.power = args.power ?? 1;
    checkFinite('PowerSchedule power', this.power, 'give c, usually 1.');
  }
  get name(): string {
    return `Power(eta0=${fmt(this.initialLearningRate)}, s=${fmt(this.steps)}, c=${fmt(this.power)})`;
  }
  at(step: number): number {
    checkStep('PowerSchedule', step);
    return this.initialLearningRate / Math.pow(1 + step / this.steps, this.power);
  }
  getConfig(): ScheduleConfig {
    return { className: 'PowerSchedule', config: { initialLearningRate: this.initialLearningRate, steps: this.steps, power: this.power } };
  }
}

/** Power scheduling eta0 / (1 + t/s)^c. Usage: `powerSchedule({ initialLearningRate: 0.01, steps: 20 })` */
export function powerSchedule(args: PowerScheduleArgs): PowerSchedule {
  return new PowerSchedule(args);
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals (floor(step / decaySteps)); default false. */
  staircase?: boolean;
}

/**
 * What ExponentialDecay and InverseTimeDecay share: their four arguments, `name`, `getConfig`,
 * and `at`, which computes p = step / decaySteps (floored when staircase) and hands it to the
 * subclass's `rateAt(p)`. A subclass checks its arguments before calling `super`.
 *
 * Usage: `class ExponentialDecay extends StepRatioDecay { protected rateAt(p) { return lr0 * rate^p; } }`
 */
abstract class StepRatioDecay implements LearningRateSchedule {
  readonly unit = 'step' as const;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  protected constructor(private readonly scheduleClass: 'ExponentialDecay' | 'InverseTimeDecay', args: ExponentialDecayArgs) {
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.decayRate = args.decayRate;
    this.staircase = args.staircase ?? false;
  }
  get name(): string {
    return `${this.scheduleClass}(lr0=${fmt(this.initialLearningRate)}, steps=${fmt(this.decaySteps)}, rate=${fmt(this.decayRate)}${this.staircase ? ', staircase' : ''})`;
  }
  at(step: number): number {
    checkStep(this.scheduleClass, step);
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.rateAt(p);
  }
  /** The rate at p = step / decaySteps (already floored when staircase). */
  protected abstract rateAt(p: number): number;
  getConfig(): ScheduleConfig {
    return {
      className: this.scheduleClass,
      config: { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, decayRate: this.decayRate, staircase: this.staircase },
    };
  }
}

/**
 * Keras ExponentialDecay: lr0 * decayRate^(step / decaySteps) (the exponent floored when
 * staircase).
 *
 * Usage: `new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10000, decayRate: 0.9 }).at(20000) // 0.81`
 */
export class ExponentialDecay extends StepRatioDecay {
  constructor(args: ExponentialDecayArgs) {
    checkRate('ExponentialDecay initialLearningRate', args.initialLearningRate, 'give the starting rate, e.g. 0.01.');
    checkPositive('ExponentialDecay decaySteps', args.decaySteps, 'give the number of steps per decay, e.g. 10000.');
    checkPositive('ExponentialDecay decayRate', args.decayRate, 'give the factor per decaySteps, e.g. 0.9 (or 0.1 for a tenfold drop).');
    super('ExponentialDecay', args);
  }
  protected rateAt(p: number): number {
    return this.initialLearningRate * Math.pow(this.decayRate, p);
  }
}

export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries. */
  values: number[];
}

/**
 * Keras PiecewiseConstantDecay: values[0] while step <= boundaries[0], values[i] while
 * boundaries[i-1] < step <= boundaries[i], and the last value after the last boundary.
 *
 * Usage: `new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1, 0.5, 0.1] }).at(100001) // 0.5`
 */
export class PiecewiseConstantDecay implements LearningRateSchedule {
  readonly unit = 'step' as const;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  constructor(args: PiecewiseConstantDecayArgs) {
    checkPiecewise('PiecewiseConstantDecay', args.boundaries, args.values);
    this.boundaries = args.boundaries.slice();
    this.values = args.values.slice();
  }
  get name(): string {
    return `PiecewiseConstant([${this.boundaries.map(fmt).join(', ')}] -> [${this.values.map(fmt).join(', ')}])`;
  }
  at(step: number): number {
    checkStep('PiecewiseConstantDecay', step);
    for (let i = 0; i < this.boundaries.length; i++) if (step <= this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
  getConfig(): ScheduleConfig {
    return { className: 'PiecewiseConstantDecay', config: { boundaries: this.boundaries.slice(), values: this.values.slice() } };
  }
}

function checkPiecewise(what: string, boundaries: number[], values: number[]): void {
  if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
    throw new Error(`${what}: values must have exactly one more entry than boundaries (got ${values?.length} values for ${boundaries?.length} boundaries); e.g. boundaries [5, 15] with values [0.01, 0.005, 0.001].`);
  }
  boundaries.forEach((b, i) => {
    checkFinite(`${what} boundaries[${i}]`, b, 'boundaries are step (or epoch) numbers.');
    if (i > 0 && b <= boundaries[i - 1]) throw new Error(`${what}: boundaries must increase strictly, but boundaries[${i}] = ${b} <= ${boundaries[i - 1]}; sort them.`);
  });
  values.forEach((v, i) => checkRate(`${what} values[${i}]`, v, 'values are learning rates.'));
}

export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Default 0.0001 (Keras). */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart the decay every decaySteps (with a growing period), default false. */
  cycle?: boolean;
}

/**
 * Keras PolynomialDecay: (lr0 - end) * (1 - t/T)^power + end with t = min(step, T); with
 * cycle, T grows to decaySteps * ceil(step / decaySteps) instead.
 *
 * Usage: `new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10000, endLearningRate: 0.001 }).at(5000) // 0.5005`
 */
export class PolynomialDecay implements LearningRateSchedule {
  readonly unit = 'step' as const;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  constructor(args: PolynomialDecayArgs) {
    checkRate('PolynomialDecay initialLearningRate', args.initialLearningRate, 'give the starting rate.');
    checkPositive('PolynomialDecay decaySteps', args.decaySteps, 'give the number of steps over which the rate falls to endLearningRate.');
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.endLearningRate = args.endLearningRate ?? 0.0001;
    this.power = args.power ?? 1;
    this.cycle = args.cycle ?? false;
    checkRate('PolynomialDecay endLearningRate', this.endLearningRate, 'give the final rate, e.g. 0.001.');
    checkFinite('PolynomialDecay power', this.power, 'give the exponent, 1 for linear decay.');
  }
  get name(): string {
    return `PolynomialDecay(lr0=${fmt(this.initialLearningRate)}, steps=${fmt(this.decaySteps)}, end=${fmt(this.endLearningRate)}, power=${fmt(this.power)}${this.cycle ? ', cycle' : ''})`;
  }
  at(step: number): number {
    checkStep('PolynomialDecay', step);
    let t = step;
    let T = this.decaySteps;
    if (this.cycle) {
      T = this.decaySteps * (step === 0 ? 1 : Math.ceil(step / this.decaySteps));
    } else {
      t = Math.min(step, T);
    }
    return (this.initialLearningRate - this.endLearningRate) * Math.pow(1 - t / T, this.power) + this.endLearningRate;
  }
  getConfig(): ScheduleConfig {
    return {
      className: 'PolynomialDecay',
      config: { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, endLearningRate: this.endLearningRate, power: this.power, cycle: this.cycle },
    };
  }
}

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}

/**
 * Keras InverseTimeDecay: lr0 / (1 + decayRate * step / decaySteps) (floored ratio when staircase).
 *
 * Usage: `new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }).at(2) // 0.05`
 */
export class InverseTimeDecay extends StepRatioDecay {
  constructor(args: InverseTimeDecayArgs) {
    checkRate('InverseTimeDecay initialLearningRate', args.initialLearningRate, 'give the starting rate.');
    checkPositive('InverseTimeDecay decaySteps', args.decaySteps, 'give the step unit of the decay.');
    checkFinite('InverseTimeDecay decayRate', args.decayRate, 'give the decay rate, e.g. 0.5.');
    super('InverseTimeDecay', args);
  }
  protected rateAt(p: number): number {
    return this.initialLearningRate / (1 + this.decayRate * p);
  }
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor as a fraction of lr0 (default 0). */
  alpha?: number;
}

/**
 * Keras CosineDecay without warm-up: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, T) / T)) + alpha).
 *
 * Usage: `new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }).at(500) // 0.05`
 */
export class CosineDecay implements LearningRateSchedule {
  readonly unit = 'step' as const;
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  constructor(args: CosineDecayArgs) {
    checkRate('CosineDecay initialLearningRate', args.initialLearningRate, 'give the starting rate.');
    checkPositive('CosineDecay decaySteps', args.decaySteps, 'give the number of steps of the half cosine.');
    this.initialLearningRate = args.initialLearningRate;
    this.decaySteps = args.decaySteps;
    this.alpha = args.alpha ?? 0;
    checkFinite('CosineDecay alpha', this.alpha, 'give the final fraction of lr0, e.g. 0.');
  }
  get name(): string {
    return `CosineDecay(lr0=${fmt(this.initialLearningRate)}, steps=${fmt(this.decaySteps)}, alpha=${fmt(this.alpha)})`;
  }
  at(step: number): number {
    checkStep('CosineDecay', step);
    const t = Math.min(step, this.decaySteps) / this.decaySteps;
    const cosine = 0.5 * (1 + Math.cos(Math.PI * t));
    return this.initialLearningRate * ((1 - this.alpha) * cosine + this.alpha);
  }
  getConfig(): ScheduleConfig {
    return { className: 'CosineDecay', config: { initialLearningRate: this.initialLearningRate, decaySteps: this.decaySteps, alpha: this.alpha } };
  }
}

/**
 * The seed's per-epoch exponential schedule for a LearningRateScheduler callback:
 * lr(epoch) = lr0 * 0.1^(epoch / s) (ten times smaller every s epochs).
 *
 * Usage: `const s = exponentialDecayFn({ lr0: 0.01, s: 20 }); s.at(20) // 0.001`
 */
export class EpochExponentialDecay implements LearningRateSchedule {
  readonly unit = 'epoch' as const;
  readonly lr0: number;
  readonly s: number;
  constructor(args: { lr0: number; s: number }) {
    checkRate('exponentialDecayFn lr0', args.lr0, 'give the rate at epoch 0, e.g. 0.01.');
    checkPositive('exponentialDecayFn s', args.s, 'give the number of epochs per tenfold drop, e.g. 20.');
    this.lr0 = args.lr0;
    this.s = args.s;
  }
  get name(): string {
    return `exponential_decay(lr0=${fmt(this.lr0)}, s=${fmt(this.s)})`;
  }
  at(epoch: number): number {
    checkStep('exponentialDecayFn', epoch);
    return this.lr0 * Math.pow(0.1, epoch / this.s);
  }
  getConfig(): ScheduleConfig {
    return { className: 'EpochExponentialDecay', config: { lr0: this.lr0, s: this.s } };
  }
}

/** Per-epoch lr0 * 0.1^(epoch/s). Usage: `exponentialDecayFn({ lr0: 0.01, s: 20 }).at(epoch)` */
export function exponentialDecayFn(args: { lr0: number; s: number }): EpochExponentialDecay {
  return new EpochExponentialDecay(args);
}

/**
 * The seed's per-epoch piecewise-constant schedule: values[0] while epoch < boundaries[0],
 * values[i] while boundaries[i-1] <= epoch < boundaries[i], then the last value (the
 * `if epoch < 5: return 0.01 elif epoch < 15: return 0.005 else: return 0.001` form; note the
 * strict `<`, unlike Keras's step-based PiecewiseConstantDecay which uses `<=`).
 *
 * Usage: `piecewiseConstantFn({ boundaries: [5, 15], values: [0.01, 0.005, 0.001] }).at(5) // 0.005`
 */
export class EpochPiecewiseConstant implements LearningRateSchedule {
  readonly unit = 'epoch' as const;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  constructor(args: { boundaries: number[]; values: number[] }) {
    checkPiecewise('piecewiseConstantFn', args.boundaries, args.values);
    this.boundaries = args.boundaries.slice();
    this.values = args.values.slice();
  }
  get name(): string {
    return `piecewise_constant([${this.boundaries.map(fmt).join(', ')}] -> [${this.values.map(fmt).join(', ')}])`;
  }
  at(epoch: number): number {
    checkStep('piecewiseConstantFn', epoch);
    for (let i = 0; i < this.boundaries.length; i++) if (epoch < this.boundaries[i]) return this.values[i];
    return this.values[this.values.length - 1];
  }
  getConfig(): ScheduleConfig {
    return { className: 'EpochPiecewiseConstant', config: { boundaries: this.boundaries.slice(), values: this.values.slice() } };
  }
}

/** Per-epoch piecewise constant. Usage: `piecewiseConstantFn({ boundaries: [5, 15], values: [0.01, 0.005, 0.001] })` */
export function piecewiseConstantFn(args: { boundaries: number[]; values: number[] }): EpochPiecewiseConstant {
  return new EpochPiecewiseConstant(args);
}

/**
 * Evaluates a schedule at 0..n-1 (or at the given steps), for plots.
 *
 * Usage: `const { steps, values } = sampleSchedule(s, 100);`
 */
export function sampleSchedule(schedule: LearningRateSchedule, n: number | number[]): { name: string; steps: number[]; values: number[] } {
  const steps = Array.isArray(n) ? n.slice() : Array.from({ length: n }, (_, i) => i);
  if (!Array.isArray(n) && (!Number.isInteger(n) || n < 0)) throw new Error(`sampleSchedule: n must be a whole number >= 0 or a list of steps, got ${n}.`);
  return { name: schedule.name, steps, values: steps.map((s) => schedule.at(s)) };
}

/**
 * Every schedule class under the class name its `getConfig()` gives, so that a config rebuilds
 * its schedule as `new Schedules[className](config)` (Keras's `cls(**config)`).
 *
 * Usage: `const s = new Schedules.ExponentialDecay({ initialLearningRate: 1, decaySteps: 10, decayRate: 0.9 });`
 */
export const Schedules = {
  PowerSchedule,
  ExponentialDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  InverseTimeDecay,
  CosineDecay,
  EpochExponentialDecay,
  EpochPiecewiseConstant,
} as const;

/** The class names `scheduleFromConfig` knows. */
export type ScheduleClassName = keyof typeof Schedules;

/** A schedule class taking its own getConfig().config (each constructor checks its arguments). */
type ScheduleClass = new (args: ScheduleConfig['config']) => LearningRateSchedule;

/**
 * Rebuilds a schedule from `getConfig()` (used when an optimiser is saved and loaded):
 * `new Schedules[className](config)`, since every schedule's config is its constructor's arguments.
 *
 * Usage: `const copy = scheduleFromConfig(s.getConfig());`
 */
export function scheduleFromConfig(c: ScheduleConfig): LearningRateSchedule {
  const className = c?.className;
  if (typeof className !== 'string' || !Object.prototype.hasOwnProperty.call(Schedules, className)) {
    throw new Error(`scheduleFromConfig: unknown schedule '${String(className)}'; use one of ${Object.keys(Schedules).join(', ')}.`);
  }
  if (typeof c.config !== 'object' || c.config === null || Array.isArray(c.config)) {
    throw new Error(`scheduleFromConfig: config of ${className} must be an object of constructor arguments, got ${JSON.stringify(c.config)}; pass what getConfig() returned.`);
  }
  const Schedule = Schedules[className as ScheduleClassName] as unknown as ScheduleClass;
  return new Schedule(c.config);
}

/** True for objects that look like a LearningRateSchedule. Usage: `if (isSchedule(lr)) lr.at(0);` */
export function isSchedule(x: unknown): x is LearningRateSchedule {
  return typeof x === 'object' && x !== null && typeof (x as LearningRateSchedule).at === 'function' && typeof (x as LearningRateSchedule).getConfig === 'function';
}
