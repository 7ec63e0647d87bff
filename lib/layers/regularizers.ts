/**
 * Keras-named weight regularisers: `l1(0.01)`, `l2(0.01)`, `l1_l2(0.01)` with Keras 3's
 * defaults. The penalty is Keras's, rate * sum|w| and rate * sum w^2 (no 1/2), which is what
 * tfjs's L1L2 computes; the difference is the defaults: Keras's `l1_l2(l1, l2)` defaults both
 * rates to 0 (so the seed's `l1_l2(0.01)` is a pure L1 penalty), tfjs's `l1l2()` to 0.01.
 *
 * Usage: `tf.layers.dense({ units: 100, kernelRegularizer: l2(0.01) })`
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs's Regularizer type (the class is not exported by @tensorflow/tfjs). */
export type TfRegularizer = ReturnType<typeof tf.regularizers.l1l2>;

function rate(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a finite number >= 0, got ${v}; e.g. 0.01.`);
  return v;
}

/** L1 penalty rate * sum|w| (Keras default rate 0.01). Usage: `l1(0.01)` */
export function l1(l1Rate = 0.01): TfRegularizer {
  return tf.regularizers.l1l2({ l1: rate('l1', l1Rate), l2: 0 });
}

/** L2 penalty rate * sum w^2 (Keras default rate 0.01, no 1/2). Usage: `l2(0.01)` */
export function l2(l2Rate = 0.01): TfRegularizer {
  return tf.regularizers.l1l2({ l1: 0, l2: rate('l2', l2Rate) });
}

/**
 * Elastic-net penalty l1 * sum|w| + l2 * sum w^2 with Keras 3's defaults (both 0). Takes
 * Keras's positional form `l1_l2(0.01, 0.001)` or `l1_l2({ l1: 0.01, l2: 0.001 })`.
 *
 * Usage: `l1_l2({ l1: 0.01, l2: 0.01 })`
 */
export function l1_l2(l1OrArgs: number | { l1?: number; l2?: number } = 0, l2Rate = 0): TfRegularizer {
  const a = typeof l1OrArgs === 'number' ? { l1: l1OrArgs, l2: l2Rate } : { l1: l1OrArgs.l1 ?? 0, l2: l1OrArgs.l2 ?? 0 };
  return tf.regularizers.l1l2({ l1: rate('l1_l2 l1', a.l1), l2: rate('l1_l2 l2', a.l2) });
}

/**
 * The penalty a regulariser adds for a tensor, as a number (for checks and teaching).
 *
 * Usage: `penaltyOf(l2(0.01), layer.getWeights()[0])`
 */
export function penaltyOf(reg: TfRegularizer, x: tf.Tensor): number {
  return tf.tidy(() => reg.apply(x).dataSync()[0]);
}
