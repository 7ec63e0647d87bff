/**
 * Per-feature scalers, fitted on the training split only and then applied to every split
 * (fitting on validation or test data would leak their statistics into training).
 *
 * - MinMaxScaler: x' = (x - min) / (max - min) * (hi - lo) + lo (seed 000 scales California
 *   housing to [0, 1] this way). A constant column maps to lo.
 * - StandardScaler: x' = (x - mean) / std (population std, like sklearn). A constant column
 *   maps to 0.
 *
 * Both accept number[][] (e.g. a DataFrame's values) or a tf.Tensor2D and return the same kind.
 *
 * Usage:
 *   const scaler = new MinMaxScaler().fit(xTrain);
 *   const xTrainS = scaler.transform(xTrain), xTestS = scaler.transform(xTest);
 *   const back = scaler.inverseTransform(xTestS);
 */
import * as tf from '@tensorflow/tfjs';
import { checkCols, columnStats, FeatureMatrix, toDense, toRows } from './matrix';

/** Shared machinery: x' = (x - offset) / divisor * mul + add, per column. */
abstract class AffineScaler {
  protected offset = new Float32Array(0);
  protected divisor = new Float32Array(0);
  protected mul = 1;
  protected add = 0;
  protected nFeatures = 0;
  protected fitted = false;
  protected abstract readonly label: string;

  /** Learns the per-feature statistics from x. */
  abstract fit(x: FeatureMatrix): this;

  /** Scales x with the fitted statistics. */
  transform(x: tf.Tensor2D): tf.Tensor2D;
  transform(x: number[][]): number[][];
  transform(x: FeatureMatrix): FeatureMatrix {
    return this.apply(x, 'transform', false);
  }

  /** Undoes transform. */
  inverseTransform(x: tf.Tensor2D): tf.Tensor2D;
  inverseTransform(x: number[][]): number[][];
  inverseTransform(x: FeatureMatrix): FeatureMatrix {
    return this.apply(x, 'inverseTransform', true);
  }

  /** fit then transform. */
  fitTransform(x: tf.Tensor2D): tf.Tensor2D;
  fitTransform(x: number[][]): number[][];
  fitTransform(x: FeatureMatrix): FeatureMatrix {
    this.fit(x);
    return this.apply(x, 'transform', false);
  }

  private apply(x: FeatureMatrix, what: string, inverse: boolean): FeatureMatrix {
    if (!this.fitted) throw new Error(`${this.label}.${what}: the scaler is not fitted yet; call fit(xTrain) first.`);
    if (x instanceof tf.Tensor) {
      checkCols(x.shape[1] ?? -1, this.nFeatures, `${this.label}.${what}`);
      return tf.tidy(() => {
        const off = tf.tensor1d(this.offset);
        const div = tf.tensor1d(this.divisor);
        return (inverse ? x.sub(this.add).div(this.mul).mul(div).add(off) : x.sub(off).div(div).mul(this.mul).add(this.add)) as tf.Tensor2D;
      });
    }
    const m = toDense(x, `${this.label}.${what}`);
    checkCols(m.cols, this.nFeatures, `${this.label}.${what}`);
    const out = new Float64Array(m.data.length);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j];
        out[i * m.cols + j] = inverse ? ((v - this.add) / this.mul) * this.divisor[j] + this.offset[j] : ((v - this.offset[j]) / this.divisor[j]) * this.mul + this.add;
      }
    }
    return toRows(out, m.rows, m.cols);
  }

  protected setStats(offset: ArrayLike<number>, divisor: ArrayLike<number>, cols: number): void {
    this.offset = Float32Array.from(offset);
    this.divisor = Float32Array.from(divisor, (d) => (d > 1e-12 ? d : 1));
    this.nFeatures = cols;
    this.fitted = true;
  }
}

/** Scales each feature to a range (default [0, 1]) using the training min and max. Usage: `new MinMaxScaler().fit(xTrain).transform(xTest)` */
export class MinMaxScaler extends AffineScaler {
  protected readonly label = 'MinMaxScaler';
  readonly featureRange: [number, number];
  private minV = new Float32Array(0);
  private maxV = new Float32Array(0);

  /** Usage: `new MinMaxScaler({ featureRange: [-1, 1] })` */
  constructor(options: { featureRange?: [number, number] } = {}) {
    super();
    this.featureRange = options.featureRange ?? [0, 1];
    const [lo, hi] = this.featureRange;
    if (!(hi > lo)) throw new Error(`MinMaxScaler: featureRange must be [lo, hi] with hi > lo, got [${lo}, ${hi}].`);
    this.add = lo;
    this.mul = hi - lo;
  }

  /** Learns per-feature min and max. Usage: `scaler.fit(xTrain)` */
  fit(x: FeatureMatrix): this {
    const m = toDense(x, 'MinMaxScaler.fit');
    const min = new Float32Array(m.cols).fill(Infinity);
    const max = new Float32Array(m.cols).fill(-Infinity);
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        const v = m.data[i * m.cols + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    this.minV = min;
    this.maxV = max;
    this.setStats(min, max.map((v, j) => v - min[j]), m.cols);
    return this;
  }

  /** Per-feature training minimum. */
  get dataMin(): Float32Array {
    return this.minV.slice();
  }

  /** Per-feature training maximum. */
  get dataMax(): Float32Array {
    return this.maxV.slice();
  }
}

/** Centres each feature to mean 0 and scales it to standard deviation 1 (training statistics). Usage: `new StandardScaler().fitTransform(xTrain)` */
export class StandardScaler extends AffineScaler {
  protected readonly label = 'StandardScaler';
  private meanV = new Float32Array(0);
  private stdV = new Float32Array(0);

  /** Learns per-feature mean and (population) standard deviation. Usage: `new StandardScaler().fit(xTrain)` */
  fit(x: FeatureMatrix): this {
    const m = toDense(x, 'StandardScaler.fit');
    const { mean, std } = columnStats(m, 0);
    this.meanV = Float32Array.from(mean);
    this.stdV = Float32Array.from(std);
    this.setStats(mean, std, m.cols);
    return this;
  }

  /** Per-feature training mean. */
  get mean(): Float32Array {
    return this.meanV.slice();
  }

  /** Per-feature training standard deviation (0 for constant columns). */
  get std(): Float32Array {
    return this.stdV.slice();
  }
}
