/**
 * Adadelta with Keras's update rule (tfjs's adadelta divides by the previous step's average);
 * built by the `Adadelta` factory in optimizers.ts, which wraps it in a KerasOptimizer.
 *
 * Usage: `const opt = new KerasAdadeltaOptimizer(1.0, 0.95, 1e-7);`
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './keras-optimizer';
import { SlotOptimizer, forEachGradient } from './slots';

/**
 * Adadelta as Keras computes it (keras/src/optimizers/adadelta.py):
 *   Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Edx + eps) / sqrt(Eg + eps) * g   (the NEW Eg)
 *   Edx = rho Edx + (1 - rho) d^2;  w += lr d
 * tfjs 4.22's AdadeltaOptimizer divides by the previous Eg, so its first step is lr * g instead
 * of about lr * sqrt(eps / (1 - rho)). Registered for serialization as 'KerasAdadelta'.
 *
 * Usage: `const opt = new KerasAdadeltaOptimizer(1.0, 0.95, 1e-7);`
 */
export class KerasAdadeltaOptimizer extends SlotOptimizer {
  /** @nocollapse */
  static get className(): string {
    return 'KerasAdadelta';
  }
  /** Assignable: the next update uses the new value. */
  learningRate: number;
  readonly rho: number;
  readonly epsilon: number;

  constructor(learningRate = 0.001, rho = 0.95, epsilon = 1e-7) {
    super('Adadelta', 'accum_grad', 'accum_var');
    this.learningRate = learningRate;
    this.rho = rho;
    this.epsilon = epsilon;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const { rho, epsilon, learningRate } = this;
    forEachGradient('Adadelta', variableGradients, (i, name, value, g) => {
      const [eg, edx] = this.slots.at(i, name, value);
      if (g == null) return;
      tf.tidy(() => {
        const newEg = tf.add(tf.mul(eg, rho), tf.mul(tf.square(g), 1 - rho));
        const delta = tf.neg(tf.mul(tf.div(tf.sqrt(tf.add(edx, epsilon)), tf.sqrt(tf.add(newEg, epsilon))), g));
        const newEdx = tf.add(tf.mul(edx, rho), tf.mul(tf.square(delta), 1 - rho));
        eg.assign(newEg);
        edx.assign(newEdx);
        value.assign(tf.add(value, tf.mul(delta, learningRate)));
      });
    });
    this.incrementIterations();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const Ctor = cls as unknown as new (lr: number, rho: number, eps: number) => T;
    return new Ctor(config.learningRate as number, config.rho as number, config.epsilon as number);
  }
}
tf.serialization.registerClass(KerasAdadeltaOptimizer);
