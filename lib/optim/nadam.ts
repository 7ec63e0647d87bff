/**
 * Nadam, which tfjs lacks, exactly as Keras 3 computes it (built by the `Nadam` factory in
 * optimizers.ts, which wraps it in a KerasOptimizer).
 *
 * Usage: `const opt = new NadamOptimizer(0.001, 0.9, 0.999, 1e-7); opt.minimize(() => loss());`
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from './keras-optimizer';
import { SlotOptimizer, forEachGradient } from './slots';

/**
 * Nadam as Keras 3 implements it (keras/src/optimizers/nadam.py), for t = iterations + 1:
 *   u_t = b1 (1 - 0.5 * 0.96^(t d)),  u_{t+1} likewise,  U_t = u_1 ... u_t
 *   m = b1 m + (1 - b1) g,  v = b2 v + (1 - b2) g^2
 *   m_hat = u_{t+1} m / (1 - U_t u_{t+1}) + (1 - u_t) g / (1 - U_t),  v_hat = v / (1 - b2^t)
 *   w -= lr m_hat / (sqrt(v_hat) + eps)
 * d = 1 in Keras 3. Registered for serialization as 'Nadam'.
 *
 * Usage: `const opt = new NadamOptimizer(0.001, 0.9, 0.999, 1e-7); opt.minimize(() => loss());`
 */
export class NadamOptimizer extends SlotOptimizer {
  /** @nocollapse */
  static get className(): string {
    return 'Nadam';
  }
  /** Assignable: the next update uses the new value. */
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly momentumScheduleDecay: number;
  private uProduct = 1;

  constructor(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, momentumScheduleDecay = 1) {
    super('Nadam', 'm', 'v');
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.momentumScheduleDecay = momentumScheduleDecay;
  }

  /** u_t, the momentum cache at step t (1-based). */
  momentumCache(t: number): number {
    return this.beta1 * (1 - 0.5 * Math.pow(0.96, t * this.momentumScheduleDecay));
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const t = this.iterations + 1;
    const uT = this.momentumCache(t);
    const uT1 = this.momentumCache(t + 1);
    this.uProduct *= uT;
    const uProductT = this.uProduct;
    const uProductT1 = uProductT * uT1;
    const b2Power = Math.pow(this.beta2, t);
    const { beta1, beta2, epsilon, learningRate } = this;
    forEachGradient('Nadam', variableGradients, (i, name, value, g) => {
      const [m, v] = this.slots.at(i, name, value);
      if (g == null) return;
      tf.tidy(() => {
        const newM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const newV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const mHat = tf.add(tf.mul(newM, uT1 / (1 - uProductT1)), tf.mul(g, (1 - uT) / (1 - uProductT)));
        const vHat = tf.div(newV, 1 - b2Power);
        const step = tf.div(tf.mul(mHat, learningRate), tf.add(tf.sqrt(vHat), epsilon));
        m.assign(newM);
        v.assign(newV);
        value.assign(tf.sub(value, step));
      });
    });
    this.incrementIterations();
  }

  /** Restores the slots and iterations (SlotOptimizer), then rebuilds U_t from the iterations. */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(weightValues);
    this.uProduct = 1;
    for (let s = 1; s <= this.iterations_; s++) this.uProduct *= this.momentumCache(s);
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, momentumScheduleDecay: this.momentumScheduleDecay };
  }

  /** @nocollapse */
  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    const Ctor = cls as unknown as new (lr: number, b1: number, b2: number, eps: number, d: number) => T;
    return new Ctor(config.learningRate as number, config.beta1 as number, config.beta2 as number, config.epsilon as number, (config.momentumScheduleDecay as number | undefined) ?? 1);
  }
}
tf.serialization.registerClass(NadamOptimizer);
