/**
 * Reading and changing an optimiser's learning rate, for every tfjs optimiser type: the one place
 * that does it (the callbacks and KerasOptimizer both go through here).
 *
 * tfjs 4.22 is inconsistent here: SGD and Momentum precompute `-lr` as a tensor, so assigning
 * `opt.learningRate = x` changes nothing (their `setLearningRate` must be called); Adam, Adagrad,
 * Adadelta, Adamax and RMSProp read the `learningRate` field at every step, so assigning works.
 * These two helpers hide the difference, and also work for wrapper optimisers (gradient
 * clipping, schedules, Nadam...) that expose `setLearningRate(lr)` and/or a `learningRate` field
 * or accessor.
 *
 * Usage: `setLearningRate(opt, getLearningRate(opt) * 0.5);`
 */
import * as tf from '@tensorflow/tfjs';

/** What a learning-rate aware optimiser may expose (tfjs keeps `learningRate` protected). */
interface LearningRateFields {
  learningRate?: unknown;
  setLearningRate?: unknown;
  getLearningRate?: unknown;
}

function fields(opt: tf.Optimizer): LearningRateFields {
  return opt as unknown as LearningRateFields;
}

function describe(opt: tf.Optimizer): string {
  const name = typeof opt.getClassName === 'function' ? opt.getClassName() : opt.constructor.name;
  return name || 'optimizer';
}

/**
 * Throws unless `lr` is a finite number >= 0; `who` starts the message.
 *
 * Usage: `checkLearningRate(0.01, 'SGD');`
 */
export function checkLearningRate(lr: unknown, who: string): asserts lr is number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new Error(`${who}: learning rate must be a finite number >= 0, got ${String(lr)}; e.g. 0.001.`);
  }
}

/**
 * The optimiser's current learning rate, or undefined when it exposes none (no throw): its
 * `getLearningRate()` when it has one, else its numeric `learningRate` field.
 *
 * Usage: `const lr = readLearningRate(opt) ?? 0.001;`
 */
export function readLearningRate(opt: tf.Optimizer): number | undefined {
  const f = fields(opt);
  if (typeof f.getLearningRate === 'function') {
    const v = (f.getLearningRate as () => unknown).call(opt);
    if (typeof v === 'number') return v;
  }
  return typeof f.learningRate === 'number' ? f.learningRate : undefined;
}

/**
 * The optimiser's current learning rate (a plain number).
 * Throws when the optimiser does not expose one (e.g. a schedule-driven wrapper without a rate).
 *
 * Usage: `const lr = getLearningRate(tf.train.sgd(0.01)); // 0.01`
 */
export function getLearningRate(opt: tf.Optimizer): number {
  const lr = readLearningRate(opt);
  if (lr !== undefined) return lr;
  throw new Error(
    `getLearningRate: ${describe(opt)} exposes no numeric learningRate; give the optimiser a ` +
      '`learningRate` number field or a `getLearningRate()` method.',
  );
}

/**
 * Sets the optimiser's learning rate so that the next step uses it: calls `setLearningRate`
 * where the optimiser has one (SGD, Momentum, wrappers), assigns `learningRate` otherwise.
 *
 * Usage: `setLearningRate(opt, 1e-3);`
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  checkLearningRate(lr, 'setLearningRate');
  const f = fields(opt);
  if (typeof f.setLearningRate === 'function') {
    (f.setLearningRate as (v: number) => void).call(opt, lr);
    return;
  }
  if (typeof f.learningRate === 'number' || 'learningRate' in f) {
    f.learningRate = lr;
    return;
  }
  throw new Error(
    `setLearningRate: ${describe(opt)} has neither setLearningRate() nor a learningRate field; ` +
      'add one of them to the optimiser class.',
  );
}
