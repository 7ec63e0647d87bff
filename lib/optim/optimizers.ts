/**
 * Keras-like optimisers for tfjs: the Keras names and defaults, a learning rate that may be a
 * schedule (evaluated per step like Keras), gradient clipping (clipvalue, clipnorm,
 * globalClipnorm), Nadam, which tfjs lacks, and a Keras-exact Adadelta.
 *
 * Every factory returns a `KerasOptimizer` (keras-optimizer.ts): a real `tf.Optimizer` subclass
 * wrapping a tfjs optimiser, `NadamOptimizer` (nadam.ts) or `KerasAdadeltaOptimizer`
 * (adadelta.ts). `OPTIMIZER_NAMES` is the one list of Keras optimiser names (compile uses it).
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
import { KerasAdadeltaOptimizer } from './adadelta';
import { CommonOptimizerArgs, KerasOptimizer, LearningRate } from './keras-optimizer';
import { checkLearningRate } from './learning-rate';
import { NadamOptimizer } from './nadam';
import { isSchedule } from './schedules';

function initialRate(lr: LearningRate | undefined, fallback: number, who: string): { value: number; lr: LearningRate } {
  const chosen = lr ?? fallback;
  if (isSchedule(chosen)) return { value: chosen.at(0), lr: chosen };
  checkLearningRate(chosen, who);
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

/** The Keras optimiser names that `compile` and `optimizerFromName` accept. */
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | 'nadam';

const FACTORIES: Record<OptimizerName, (args: CommonOptimizerArgs) => KerasOptimizer> = {
  sgd: SGD,
  adam: Adam,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adadelta: Adadelta,
  adamax: Adamax,
  nadam: Nadam,
};

/**
 * The one list of Keras optimiser names (Keras 3 defaults for each), in the order messages show them.
 *
 * Usage: `OPTIMIZER_NAMES.includes('nadam') // true`
 */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.keys(FACTORIES) as OptimizerName[];

/**
 * True when `name` is one of OPTIMIZER_NAMES (exact, lower case).
 *
 * Usage: `if (isOptimizerName(spec)) optimizerFromName(spec);`
 */
export function isOptimizerName(name: string): name is OptimizerName {
  return Object.prototype.hasOwnProperty.call(FACTORIES, name);
}

/**
 * Builds an optimiser from a Keras name ('sgd', 'adam', 'nadam', ...) with Keras defaults.
 *
 * Usage: `const opt = optimizerFromName('nadam', { learningRate: 0.001 });`
 */
export function optimizerFromName(name: string, args: CommonOptimizerArgs = {}): KerasOptimizer {
  const key = name.toLowerCase();
  if (!isOptimizerName(key)) {
    const names = OPTIMIZER_NAMES.slice(0, -1).join(', ') + ' or ' + OPTIMIZER_NAMES[OPTIMIZER_NAMES.length - 1];
    throw new Error(`optimizerFromName: unknown optimiser '${name}'; use ${names}.`);
  }
  return FACTORIES[key](args);
}
