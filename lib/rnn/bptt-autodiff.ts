/**
 * The same one-unit RNN loss written with tensors, differentiated by tfjs (tf.grads), to check
 * the hand-written BPTT against autodiff.
 *
 * Usage: `const g = bpttAutodiff(SEED_RNN_PARAMS, [1, 2, 3, 4]); g.grads.whh`
 */
import * as tf from '@tensorflow/tfjs';
import { checkScalarParams, SCALAR_RNN_PARAM_NAMES, type ScalarRnnOptions, type ScalarRnnParams } from './bptt';

function applyActivation(name: string, a: tf.Scalar): tf.Scalar {
  switch (name) {
    case 'tanh':
      return tf.tanh(a);
    case 'sigmoid':
      return tf.sigmoid(a);
    case 'linear':
      return a;
    case 'relu':
      return tf.relu(a);
    default:
      throw new Error(`bpttAutodiff: unknown activation '${name}'; use 'tanh', 'sigmoid', 'linear' or 'relu'.`);
  }
}

/**
 * Loss and gradients of the scalar RNN by tfjs autodiff (float32). Tensors are freed.
 * Usage: `bpttAutodiff(p, [1, 2, 3, 4], { activation: 'tanh' }).grads`
 */
export function bpttAutodiff(p: ScalarRnnParams, sequence: readonly number[], options: ScalarRnnOptions = {}): { loss: number; grads: ScalarRnnParams } {
  checkScalarParams(p);
  if (!Array.isArray(sequence) || sequence.length < 2) throw new Error('bpttAutodiff: need a sequence of at least 2 numbers.');
  const activation = options.activation ?? 'tanh';
  const reduction = options.reduction ?? 'sum';
  const h0 = options.h0 ?? 0;
  return tf.tidy(() => {
    const lossFn = (wxh: tf.Tensor, whh: tf.Tensor, bh: tf.Tensor, why: tf.Tensor, by: tf.Tensor): tf.Scalar => {
      let h: tf.Scalar = tf.scalar(h0);
      const losses: tf.Scalar[] = [];
      for (let k = 0; k < sequence.length - 1; k++) {
        const a = tf.addN([tf.mul(whh, h), tf.mul(wxh, sequence[k]), bh]) as tf.Scalar;
        h = applyActivation(activation, a);
        const y = tf.add(tf.mul(why, h), by);
        losses.push(tf.square(tf.sub(y, sequence[k + 1])) as tf.Scalar);
      }
      const total = tf.addN(losses) as tf.Scalar;
      return reduction === 'mean' ? (tf.div(total, losses.length) as tf.Scalar) : total;
    };
    const args = SCALAR_RNN_PARAM_NAMES.map((k) => tf.scalar(p[k]));
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => lossFn(xs[0], xs[1], xs[2], xs[3], xs[4]))(args);
    const g = grads.map((t) => t.dataSync()[0]);
    return {
      loss: value.dataSync()[0],
      grads: { wxh: g[0], whh: g[1], bh: g[2], why: g[3], by: g[4] },
    };
  });
}
