/**
 * An activity penalty on a coding layer, for sparse autoencoders (seeds 003, 004: "a sparsity
 * penalty in the training loss in addition to the reconstruction error"). The layer passes its
 * input through unchanged and, in training, records a loss that fit adds to the compiled loss:
 *
 * - 'l1':  weight * sum(|a|) / batch            (Keras's ActivityRegularization(l1=weight))
 * - 'kl':  weight * sum_j KL(rho || rho_hat_j) / batch, rho_hat_j = mean activation of unit j
 *          over the batch, KL(p||q) = p log(p/q) + (1-p) log((1-p)/(1-q)); activations must lie
 *          in (0, 1), so put it after a sigmoid coding layer.
 *
 * Both are divided by the batch size, as Keras does with every activity regulariser (so
 * Géron's KL weight 0.05 means the same here as in his Keras code).
 *
 * (tfjs's activityRegularizer option throws in 4.22, hence this layer.)
 *
 * Usage:
 *   const codes = tf.layers.dense({ units: 300, activation: 'sigmoid' }).apply(h);
 *   const sparse = new SparsityRegularization({ penalty: 'kl', weight: 0.05, target: 0.1 }).apply(codes);
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { PenaltyLayer } from './penalty-layer';

/** Options for the activity penalty. */
export interface SparsityOptions {
  /** 'l1' (sum of |activations|) or 'kl' (divergence of the mean activation from `target`). */
  penalty: 'l1' | 'kl';
  /** Multiplier of the penalty. */
  weight: number;
  /** Target mean activation rho for 'kl' (default 0.1). */
  target?: number;
}

/** Constructor arguments of SparsityRegularization. */
export interface SparsityRegularizationArgs extends LayerArgs, SparsityOptions {}

/**
 * The KL sparsity penalty sum_j KL(rho || rho_hat_j) of a batch of activations [batch, units].
 * Usage: `klSparsity(tf.tensor2d([[0.1, 0.5]]), 0.1) // ~0.0 + KL(0.1||0.5)`
 */
export function klSparsity(activations: tf.Tensor, target: number): tf.Scalar {
  return tf.tidy(() => {
    const eps = 1e-7;
    const q = tf.clipByValue(tf.mean(activations, 0), eps, 1 - eps);
    const p = target;
    const kl = tf.add(tf.mul(p, tf.log(tf.div(p, q))), tf.mul(1 - p, tf.log(tf.div(1 - p, tf.sub(1, q)))));
    return tf.sum(kl) as tf.Scalar;
  });
}

/** The L1 activity penalty sum(|a|) / batch. Usage: `l1Activity(codes)` */
export function l1Activity(activations: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.abs(activations)), activations.shape[0] ?? 1) as tf.Scalar);
}

/** Identity layer that adds an L1 or KL activity penalty to the training loss. Usage: `new SparsityRegularization({ penalty: 'kl', weight: 0.05, target: 0.1 }).apply(codes)` */
export class SparsityRegularization extends PenaltyLayer {
  static readonly className = 'SparsityRegularization';
  readonly penalty: 'l1' | 'kl';
  readonly weight: number;
  readonly target: number;

  /** Usage: `new SparsityRegularization({ penalty: 'l1', weight: 1e-4 })` */
  constructor(args: SparsityRegularizationArgs) {
    super(args);
    if (args.penalty !== 'l1' && args.penalty !== 'kl') throw new Error(`SparsityRegularization: penalty must be 'l1' or 'kl', got ${String(args.penalty)}.`);
    if (!(args.weight >= 0)) throw new Error(`SparsityRegularization: weight must be >= 0, got ${args.weight}.`);
    const target = args.target ?? 0.1;
    if (!(target > 0 && target < 1)) throw new Error(`SparsityRegularization: target must be in (0, 1), got ${target}.`);
    this.penalty = args.penalty;
    this.weight = args.weight;
    this.target = target;
  }

  protected penaltyOf(inputs: tf.Tensor[]): tf.Scalar {
    const a = inputs[0];
    const batch = a.shape[0] ?? 1;
    return tf.tidy(() => tf.mul(this.weight, this.penalty === 'l1' ? l1Activity(a) : tf.div(klSparsity(a, this.target), batch)) as tf.Scalar);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    this.recordPenalty([x], kwargs);
    return tf.clone(x);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), penalty: this.penalty, weight: this.weight, target: this.target };
  }
}
tf.serialization.registerClass(SparsityRegularization);
