/**
 * Batch normalisation written by hand, on plain numbers, following the algorithm of the BN paper
 * (seed 000, "Algorithm 1: Batch Normalizing Transform"):
 *
 *   mu_B      = 1/m sum_i x_i                      mini-batch mean
 *   sigma2_B  = 1/m sum_i (x_i - mu_B)^2           mini-batch variance (biased)
 *   xhat_i    = (x_i - mu_B) / sqrt(sigma2_B + eps) normalise
 *   y_i       = gamma * xhat_i + beta              scale and shift
 *
 * each feature separately. At inference the batch statistics are replaced by moving averages
 * kept during training, as Keras and tfjs do:
 *   moving_mean     <- momentum * moving_mean     + (1 - momentum) * mu_B
 *   moving_variance <- momentum * moving_variance + (1 - momentum) * sigma2_B
 * with Keras's defaults momentum 0.99 and eps 0.001.
 *
 * Usage:
 *   const bn = new BatchNormByHand({ features: 3 });
 *   const { y, mean, variance } = bn.forwardTraining([[1, 2, 3], [3, 4, 5]]);
 *   const yInfer = bn.forwardInference([[1, 2, 3]]);
 */
import * as tf from '@tensorflow/tfjs';

/** A batch of feature vectors: rows are samples, columns features. */
export type RowMatrix = ReadonlyArray<ArrayLike<number>>;

/** Options of BatchNormByHand (Keras's names and defaults). */
export interface BatchNormByHandArgs {
  /** Number of features d (the size of the last axis). */
  features: number;
  /** Moving-average momentum (default 0.99, Keras and tfjs). */
  momentum?: number;
  /** Added to the variance before the square root (default 0.001, Keras and tfjs). */
  epsilon?: number;
}

/** Everything one training step of the transform computes. */
export interface BatchNormStep {
  /** gamma * xhat + beta, one row per sample. */
  y: number[][];
  /** The normalised inputs xhat. */
  xHat: number[][];
  /** mu_B, one value per feature. */
  mean: number[];
  /** sigma^2_B (biased: divided by m), one value per feature. */
  variance: number[];
}

function checkMatrix(x: RowMatrix, d: number, who: string): number {
  if (!Array.isArray(x) || x.length === 0) throw new Error(`${who}: expected a non-empty array of rows (samples x ${d} features).`);
  x.forEach((row, i) => {
    if (row.length !== d) throw new Error(`${who}: row ${i} has ${row.length} values but the layer has ${d} features; give every row ${d} values.`);
  });
  return x.length;
}

function toMatrix(x: RowMatrix | tf.Tensor, who: string): RowMatrix {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new Error(`${who}: expected a 2-D tensor [batch, features], got shape [${x.shape.join(',')}]; flatten it first.`);
    return x.arraySync() as number[][];
  }
  return x;
}

/**
 * Batch normalisation on plain numbers: per-feature batch mean and variance, normalise, scale
 * and shift; moving averages for inference. `gamma`, `beta`, `movingMean` and `movingVariance`
 * are public so they can be copied from (or to) a tfjs BatchNormalization layer.
 *
 * Usage: `const bn = BatchNormByHand.fromLayer(layer); bn.forwardInference(x.arraySync())`
 */
export class BatchNormByHand {
  readonly features: number;
  readonly momentum: number;
  readonly epsilon: number;
  /** Scale, learned (starts at 1). */
  gamma: number[];
  /** Shift, learned (starts at 0). */
  beta: number[];
  /** Moving mean used at inference (starts at 0). */
  movingMean: number[];
  /** Moving variance used at inference (starts at 1). */
  movingVariance: number[];

  constructor(args: BatchNormByHandArgs) {
    const { features } = args;
    if (!Number.isInteger(features) || features < 1) throw new Error(`BatchNormByHand: features must be a positive integer, got ${features}.`);
    const momentum = args.momentum ?? 0.99;
    const epsilon = args.epsilon ?? 1e-3;
    if (!(momentum >= 0 && momentum <= 1)) throw new Error(`BatchNormByHand: momentum must be in [0, 1], got ${momentum}; Keras uses 0.99.`);
    if (!(epsilon > 0)) throw new Error(`BatchNormByHand: epsilon must be > 0, got ${epsilon}; Keras uses 0.001.`);
    this.features = features;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.gamma = new Array<number>(features).fill(1);
    this.beta = new Array<number>(features).fill(0);
    this.movingMean = new Array<number>(features).fill(0);
    this.movingVariance = new Array<number>(features).fill(1);
  }

  /**
   * A hand-written copy of a tfjs BatchNormalization layer over the last axis: same momentum,
   * epsilon, gamma, beta and moving statistics (a layer without scale or center gets gamma 1 or
   * beta 0). The layer must be built.
   *
   * Usage: `const bn = BatchNormByHand.fromLayer(model.layers[1]);`
   */
  static fromLayer(layer: tf.layers.Layer): BatchNormByHand {
    if (layer.getClassName() !== 'BatchNormalization') throw new Error(`BatchNormByHand.fromLayer: '${layer.name}' is a ${layer.getClassName()}, not a BatchNormalization layer.`);
    if (!layer.built) throw new Error(`BatchNormByHand.fromLayer: '${layer.name}' is not built yet; call it on a batch (or build the model) first.`);
    const config = layer.getConfig();
    const axis = config.axis as number | number[];
    const ax = Array.isArray(axis) ? axis : [axis];
    if (!(ax.length === 1 && (ax[0] === -1 || ax[0] === (layer.batchInputShape?.length ?? 2) - 1))) {
      throw new Error(`BatchNormByHand.fromLayer: '${layer.name}' normalises axis ${JSON.stringify(axis)}; only the last axis is supported.`);
    }
    const byName = new Map<string, number[]>();
    for (const w of layer.weights) {
      const short = w.name.split('/').pop() ?? w.name;
      byName.set(short.replace(/_\d+$/, ''), Array.from(w.read().dataSync()));
    }
    const mean = byName.get('moving_mean');
    if (!mean) throw new Error(`BatchNormByHand.fromLayer: '${layer.name}' has no moving_mean weight (weights: ${layer.weights.map((w) => w.name).join(', ')}).`);
    const bn = new BatchNormByHand({ features: mean.length, momentum: config.momentum as number, epsilon: config.epsilon as number });
    bn.movingMean = mean;
    bn.movingVariance = byName.get('moving_variance') ?? bn.movingVariance;
    bn.gamma = byName.get('gamma') ?? bn.gamma;
    bn.beta = byName.get('beta') ?? bn.beta;
    return bn;
  }

  /**
   * mu_B and sigma^2_B (biased, divided by m), one value per feature.
   *
   * Usage: `const { mean, variance } = bn.batchStatistics(x);`
   */
  batchStatistics(x: RowMatrix | tf.Tensor): { mean: number[]; variance: number[] } {
    const rows = toMatrix(x, 'BatchNormByHand.batchStatistics');
    const m = checkMatrix(rows, this.features, 'BatchNormByHand.batchStatistics');
    const d = this.features;
    const mean = new Array<number>(d).fill(0);
    for (const row of rows) for (let k = 0; k < d; k++) mean[k] += row[k];
    for (let k = 0; k < d; k++) mean[k] /= m;
    const variance = new Array<number>(d).fill(0);
    for (const row of rows) {
      for (let k = 0; k < d; k++) {
        const c = row[k] - mean[k];
        variance[k] += c * c;
      }
    }
    for (let k = 0; k < d; k++) variance[k] /= m;
    return { mean, variance };
  }

  /** Normalise with the given statistics, then scale and shift. */
  private transform(rows: RowMatrix, mean: readonly number[], variance: readonly number[]): { y: number[][]; xHat: number[][] } {
    const d = this.features;
    const inv = variance.map((v) => 1 / Math.sqrt(v + this.epsilon));
    const xHat = rows.map((row) => Array.from({ length: d }, (_, k) => (row[k] - mean[k]) * inv[k]));
    const y = xHat.map((row) => row.map((v, k) => this.gamma[k] * v + this.beta[k]));
    return { y, xHat };
  }

  /**
   * The training-mode transform (the seed's algorithm with the batch's own statistics), then
   * one moving-average update of movingMean and movingVariance.
   *
   * Usage: `const { y, mean, variance } = bn.forwardTraining(batch);`
   */
  forwardTraining(x: RowMatrix | tf.Tensor): BatchNormStep {
    const rows = toMatrix(x, 'BatchNormByHand.forwardTraining');
    const { mean, variance } = this.batchStatistics(rows);
    const { y, xHat } = this.transform(rows, mean, variance);
    const mo = this.momentum;
    this.movingMean = this.movingMean.map((v, k) => mo * v + (1 - mo) * mean[k]);
    this.movingVariance = this.movingVariance.map((v, k) => mo * v + (1 - mo) * variance[k]);
    return { y, xHat, mean, variance };
  }

  /**
   * The inference-mode transform: normalise with the moving statistics, scale and shift.
   *
   * Usage: `const y = bn.forwardInference(batch);`
   */
  forwardInference(x: RowMatrix | tf.Tensor): number[][] {
    const rows = toMatrix(x, 'BatchNormByHand.forwardInference');
    checkMatrix(rows, this.features, 'BatchNormByHand.forwardInference');
    return this.transform(rows, this.movingMean, this.movingVariance).y;
  }

  /**
   * Parameters as Keras counts them: gamma and beta are trainable (2d), the moving mean and
   * variance are not (2d).
   *
   * Usage: `new BatchNormByHand({ features: 784 }).paramCounts() // { trainable: 1568, nonTrainable: 1568 }`
   */
  paramCounts(): { trainable: number; nonTrainable: number } {
    return { trainable: 2 * this.features, nonTrainable: 2 * this.features };
  }
}

/**
 * The largest absolute difference between two matrices of the same shape (for the checks
 * against the tfjs layer).
 *
 * Usage: `maxAbsDifference(bn.forwardInference(x), layerOutput.arraySync() as number[][])`
 */
export function maxAbsDifference(a: RowMatrix, b: RowMatrix): number {
  if (a.length !== b.length) throw new Error(`maxAbsDifference: ${a.length} rows vs ${b.length} rows; compare matrices of the same shape.`);
  let max = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i].length) throw new Error(`maxAbsDifference: row ${i} has ${row.length} vs ${b[i].length} values.`);
    for (let k = 0; k < row.length; k++) max = Math.max(max, Math.abs(row[k] - b[i][k]));
  });
  return max;
}
