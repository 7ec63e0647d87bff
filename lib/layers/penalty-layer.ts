/**
 * Base for layers that add a loss computed from their inputs (activity penalties, the VAE's KL
 * term). tfjs evaluates Layer.addLoss callbacks after the forward pass, by which time a nested
 * model has already disposed its intermediate tensors; so the penalty is computed during the
 * training forward pass itself (inside fit's gradient tape, so it is differentiated), kept, and
 * handed to fit by the loss callback. At most one scalar per layer stays alive between steps; it
 * is released by the next call or by dispose().
 *
 * Usage (subclass): `protected penaltyOf(inputs: tf.Tensor[]): tf.Scalar { return tf.sum(tf.abs(inputs[0])); }`
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';

/**
 * A layer whose subclass defines `penaltyOf`; the penalty of the last training pass is added to the loss.
 * Usage: `class MyPenalty extends PenaltyLayer { ... call(x, kwargs) { this.recordPenalty([x], kwargs); return x; } }`
 */
export abstract class PenaltyLayer extends tf.layers.Layer {
  private pending: tf.Scalar | null = null;
  private consumed: tf.Scalar | null = null;

  constructor(args: LayerArgs) {
    super(args);
    this.addLoss(() => {
      const p = this.pending;
      this.pending = null;
      if (p === null) return tf.scalar(0);
      this.consumed = p;
      return p;
    });
  }

  /** The penalty for this batch of inputs (already weighted). */
  protected abstract penaltyOf(inputs: tf.Tensor[]): tf.Scalar;

  /** Computes and keeps the penalty when `training` is set; call it from `call`. */
  protected recordPenalty(inputs: tf.Tensor[], kwargs: Record<string, unknown> | undefined): void {
    this.release();
    if (kwargs?.training !== true) return;
    const p = this.penaltyOf(inputs);
    this.pending = tf.keep(p);
  }

  /** The penalty of the last training pass, as a number (NaN when none is pending). Usage: `layer.lastPenalty()` */
  lastPenalty(): number {
    const p = this.pending ?? this.consumed;
    return p && !p.isDisposed ? p.dataSync()[0] : NaN;
  }

  private release(): void {
    for (const t of [this.pending, this.consumed]) if (t && !t.isDisposed) t.dispose();
    this.pending = null;
    this.consumed = null;
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    this.release();
    return super.dispose();
  }
}
