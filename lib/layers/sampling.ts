/**
 * The variational autoencoder's sampling layer (seed 003: "reparameterisation trick",
 * "KL-divergence regularisation"). Given [mean, logVar] it returns
 *   z = mean + exp(logVar / 2) * eps,   eps ~ N(0, I)
 * so z stays differentiable in mean and logVar, and in training it adds the KL term
 *   weight * mean_batch( -1/2 * sum_j (1 + logVar_j - mean_j^2 - exp(logVar_j)) )
 * to the training loss (see PenaltyLayer). eps is drawn from Math.random's stream, so
 * setGlobalSeed makes it repeatable.
 *
 * Usage:
 *   const z = new Sampling({ klWeight: 1 / 784 }).apply([mean, logVar]) as tf.SymbolicTensor;
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { PenaltyLayer } from './penalty-layer';

/** Constructor arguments of Sampling. */
export interface SamplingArgs extends LayerArgs {
  /** Multiplier of the KL term added to the loss (default 1). */
  klWeight?: number;
}

/**
 * KL(N(mean, exp(logVar)) || N(0, I)) summed over latent units, averaged over the batch.
 * Usage: `klDivergence(tf.zeros([4, 2]), tf.zeros([4, 2])) // 0`
 */
export function klDivergence(mean: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const perUnit = tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar)));
    return tf.mean(tf.mul(-0.5, tf.sum(perUnit, -1))) as tf.Scalar;
  });
}

/** z = mean + exp(logVar/2) * eps, with the KL term added as a loss. Usage: `new Sampling().apply([mean, logVar])` */
export class Sampling extends PenaltyLayer {
  static readonly className = 'Sampling';
  readonly klWeight: number;

  /** Usage: `new Sampling({ klWeight: 1 / 784 })` */
  constructor(args: SamplingArgs = {}) {
    super(args);
    this.klWeight = args.klWeight ?? 1;
    if (!(this.klWeight >= 0)) throw new Error(`Sampling: klWeight must be >= 0, got ${this.klWeight}.`);
  }

  protected penaltyOf(inputs: tf.Tensor[]): tf.Scalar {
    return tf.tidy(() => tf.mul(this.klWeight, klDivergence(inputs[0], inputs[1])) as tf.Scalar);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    if (!Array.isArray(inputShape[0])) throw new Error('Sampling: expects two inputs [mean, logVar].');
    return inputShape[0] as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new Error('Sampling: call it on [mean, logVar] (two tensors of the same shape).');
    const [mean, logVar] = inputs;
    this.recordPenalty([mean, logVar], kwargs);
    return tf.tidy(() => tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(mean.shape))));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), klWeight: this.klWeight };
  }
}
tf.serialization.registerClass(Sampling);
