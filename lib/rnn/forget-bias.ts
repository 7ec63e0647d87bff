/**
 * A bias initialiser for LSTM layers that starts the forget gate at 1 and the rest at 0 (Keras's
 * `unit_forget_bias=True`, Jozefowicz et al. 2015), without the tensor leak of tfjs 4.22's own
 * `unitForgetBias: true` (its CustomInit keeps 4 intermediate tensors per layer build).
 * The LSTM bias is [i | f | c | o], so entries [units, 2 units) are set to 1.
 *
 * Usage: `tf.layers.lstm({ units: 8, biasInitializer: new UnitForgetBias() })`
 */
import * as tf from '@tensorflow/tfjs';

type TfInitializer = ReturnType<typeof tf.initializers.ones>;
/** tfjs's Initializer base class (not exported by @tensorflow/tfjs), from a built-in's prototype chain. */
const InitializerBase = Object.getPrototypeOf(tf.initializers.ones().constructor) as abstract new () => TfInitializer;

/** Zeros, with ones in the forget-gate quarter of an LSTM bias of shape [4 units]. Usage: `new UnitForgetBias()` */
export class UnitForgetBias extends InitializerBase {
  /** @nocollapse */
  static className = 'UnitForgetBias';

  apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length !== 1 || shape[0] % 4 !== 0 || shape[0] === 0) {
      throw new Error(`UnitForgetBias: expected an LSTM bias of shape [4 * units], got [${shape}]; use it as an LSTM layer's biasInitializer.`);
    }
    const units = shape[0] / 4;
    const values = new Float32Array(shape[0]);
    values.fill(1, units, 2 * units);
    return tf.tensor1d(values, dtype === 'int32' ? 'int32' : 'float32');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(UnitForgetBias as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
