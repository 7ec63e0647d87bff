/**
 * Activations by Keras name, for custom layers (tfjs's own activation lookup is not public).
 *
 * Usage: `const f = activationFn('selu'); const y = f(x);`
 */
import * as tf from '@tensorflow/tfjs';

/** The activation names the autoencoder builders and custom layers accept. */
export type AutoencoderActivation = 'linear' | 'relu' | 'selu' | 'elu' | 'sigmoid' | 'tanh' | 'softplus';

const FNS: Record<AutoencoderActivation, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  selu: (x) => tf.selu(x),
  elu: (x) => tf.elu(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softplus: (x) => tf.softplus(x),
};

/** The function for an activation name; throws naming the valid ones. Usage: `activationFn('relu')(x)` */
export function activationFn(name: string): (x: tf.Tensor) => tf.Tensor {
  const f = (FNS as Record<string, ((x: tf.Tensor) => tf.Tensor) | undefined>)[name];
  if (!f) throw new Error(`Unknown activation '${name}': use one of ${Object.keys(FNS).join(', ')}.`);
  return f;
}

/** Whether a string names a supported activation. Usage: `isActivationName('selu') // true` */
export function isActivationName(name: string): name is AutoencoderActivation {
  return Object.prototype.hasOwnProperty.call(FNS, name);
}
