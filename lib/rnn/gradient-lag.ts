/**
 * Vanishing gradients through time, measured: how strongly the model's final output depends on
 * the input `lag` steps before the end, as the norm of d(sum of outputs)/d(x_t).
 *
 * Usage:
 *   const g = inputGradientByLag(model, x);   // x: [batch, steps, features]
 *   g.lag[0] === 0 (the last step), g.norm[k] the mean over the batch of ||dy/dx_{T-1-k}||
 */
import * as tf from '@tensorflow/tfjs';

/** Gradient norms by lag (lag 0 = the last input step). */
export interface GradientByLag {
  lag: number[];
  norm: number[];
}

/**
 * Mean (over the batch) L2 norm of the gradient of the model's summed output with respect to
 * each input step, ordered by lag from the end. Tensors are freed.
 * Usage: `inputGradientByLag(model, tf.randomNormal([8, 50, 1]))`
 */
export function inputGradientByLag(model: tf.LayersModel, x: tf.Tensor3D): GradientByLag {
  if (x.rank !== 3) throw new Error(`inputGradientByLag: x must be [batch, steps, features], got rank ${x.rank}.`);
  const [batch, steps] = x.shape;
  const perStep = tf.tidy(() => {
    const f = (inp: tf.Tensor): tf.Scalar => tf.sum(model.apply(inp) as tf.Tensor);
    const g = tf.grad(f)(x);
    // ||g[b, t, :]||, then the mean over b -> [steps]
    return tf.mean(tf.sqrt(tf.sum(tf.square(g), 2)), 0).arraySync() as number[];
  });
  if (perStep.length !== steps || batch < 1) throw new Error('inputGradientByLag: unexpected gradient shape.');
  const lag: number[] = [];
  const norm: number[] = [];
  for (let k = 0; k < steps; k++) {
    lag.push(k);
    norm.push(perStep[steps - 1 - k]);
  }
  return { lag, norm };
}
