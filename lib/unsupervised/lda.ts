/**
 * Fisher linear discriminant analysis, for 2-D (or up to C-1 dimensional) visualisations of
 * labelled codes (seed 001 projects 30-d autoencoder codes to 2-D with LDA).
 *
 * Maximises between-class over within-class scatter: S_b v = lambda S_w v, solved as a symmetric
 * problem via the Cholesky factor of S_w + ridge * (trace(S_w)/d) I (the ridge keeps S_w
 * invertible when features are constant or collinear). Directions are scaled so that each
 * class has unit within-class variance along them (as sklearn's LDA does), so distances in the
 * projection read in within-class standard deviations.
 *
 * Usage:
 *   const lda = new LDA({ nComponents: 2 }).fit(codes, labels);
 *   const xy = lda.transform(codes);   // number[][] or tf.Tensor2D, like the input
 */
import * as tf from '@tensorflow/tfjs';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { checkCols, FeatureMatrix, toDense, toRows } from './matrix';
import { symmetricEigen } from './pca';

export interface LDAOptions {
  /** Output dimensions, at most (number of classes - 1). Default 2. */
  nComponents?: number;
  /** Ridge added to S_w, relative to its mean diagonal. Default 1e-4. */
  ridge?: number;
}

/** Fisher LDA fitted on labelled rows. Usage: `new LDA({ nComponents: 2 }).fitTransform(codes, labels)` */
export class LDA {
  readonly nComponents: number;
  readonly ridge: number;
  private fitted = false;
  private nFeatures = 0;
  private meanV = new Float32Array(0);
  private wV = new Float32Array(0);
  private ratios = new Float64Array(0);
  private classList: number[] = [];

  /** Usage: `new LDA({ nComponents: 2 })` */
  constructor(options: LDAOptions = {}) {
    this.nComponents = options.nComponents ?? 2;
    this.ridge = options.ridge ?? 1e-4;
    if (!Number.isInteger(this.nComponents) || this.nComponents < 1) throw new Error(`LDA: nComponents must be a positive integer, got ${this.nComponents}.`);
    if (!(this.ridge >= 0)) throw new Error(`LDA: ridge must be >= 0, got ${this.ridge}.`);
  }

  /** Fits on rows x with integer class labels y. Usage: `lda.fit(x, labels)` */
  fit(x: FeatureMatrix, y: ArrayLike<number>): this {
    const m = toDense(x, 'LDA.fit');
    if (y.length !== m.rows) throw new Error(`LDA.fit: ${m.rows} rows but ${y.length} labels; give one label per row.`);
    const classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    if (classes.length < 2) throw new Error('LDA.fit: need at least 2 classes in the labels.');
    if (this.nComponents > classes.length - 1) throw new Error(`LDA.fit: nComponents=${this.nComponents} but ${classes.length} classes allow at most ${classes.length - 1}.`);
    const d = m.cols;
    if (this.nComponents > d) throw new Error(`LDA.fit: nComponents=${this.nComponents} exceeds the ${d} features.`);
    const index = new Map(classes.map((c, i) => [c, i]));
    const counts = new Float64Array(classes.length);
    const means = new Float64Array(classes.length * d);
    const mu = new Float64Array(d);
    for (let i = 0; i < m.rows; i++) {
      const c = index.get(y[i]) as number;
      counts[c] += 1;
      for (let j = 0; j < d; j++) {
        const v = m.data[i * d + j];
        means[c * d + j] += v;
        mu[j] += v;
      }
    }
    for (let c = 0; c < classes.length; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
    for (let j = 0; j < d; j++) mu[j] /= m.rows;
    // Within-class scatter: sum over samples of (x - mu_c)(x - mu_c)^T, as one matMul.
    const centred = new Float32Array(m.rows * d);
    for (let i = 0; i < m.rows; i++) {
      const c = index.get(y[i]) as number;
      for (let j = 0; j < d; j++) centred[i * d + j] = m.data[i * d + j] - means[c * d + j];
    }
    const swFlat = tf.tidy(() => {
      const t = tf.tensor2d(centred, [m.rows, d]);
      return tf.matMul(tf.transpose(t), t).dataSync() as Float32Array;
    });
    const sw = new Matrix(d, d);
    let trace = 0;
    for (let i = 0; i < d; i++) trace += swFlat[i * d + i];
    const eps = this.ridge * (trace > 0 ? trace / d : 1) + 1e-12;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sw.set(i, j, 0.5 * (swFlat[i * d + j] + swFlat[j * d + i]) + (i === j ? eps : 0));
    // Between-class scatter: sum_c n_c (mu_c - mu)(mu_c - mu)^T.
    const sb = new Matrix(d, d);
    for (let c = 0; c < classes.length; c++) {
      for (let i = 0; i < d; i++) {
        const di = means[c * d + i] - mu[i];
        for (let j = 0; j < d; j++) sb.set(i, j, sb.get(i, j) + counts[c] * di * (means[c * d + j] - mu[j]));
      }
    }
    // S_w = L L^T; solve the symmetric problem L^-1 S_b L^-T u = lambda u, then v = L^-T u.
    const chol = new CholeskyDecomposition(sw);
    if (!chol.isPositiveDefinite()) throw new Error('LDA.fit: the within-class scatter is not positive definite; raise the ridge option (e.g. 1e-2).');
    const L = chol.lowerTriangularMatrix;
    const Linv = forwardSubstituteIdentity(L);
    const M = Linv.mmul(sb).mmul(Linv.transpose());
    const { values, vectors } = symmetricEigen(M);
    // Scale so the projected within-class variance is 1 (S_w / (n - C) becomes the identity).
    const V = Linv.transpose().mmul(vectors).mul(Math.sqrt(Math.max(m.rows - classes.length, 1)));
    const k = this.nComponents;
    this.wV = new Float32Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) this.wV[i * k + j] = V.get(i, j);
    const pos = values.map((v) => Math.max(v, 0));
    const total = pos.reduce((a, b) => a + b, 0);
    this.ratios = pos.slice(0, k).map((v) => (total > 0 ? v / total : 0));
    this.meanV = Float32Array.from(mu);
    this.nFeatures = d;
    this.classList = classes;
    this.fitted = true;
    return this;
  }

  /** Projects rows onto the discriminant directions. Usage: `lda.transform(x)` */
  transform(x: tf.Tensor2D): tf.Tensor2D;
  transform(x: number[][]): number[][];
  transform(x: FeatureMatrix): FeatureMatrix {
    if (!this.fitted) throw new Error('LDA.transform: the LDA is not fitted yet; call fit(x, y) first.');
    if (x instanceof tf.Tensor) {
      checkCols(x.shape[1] ?? -1, this.nFeatures, 'LDA.transform');
      return tf.tidy(() => tf.matMul(x.sub(tf.tensor1d(this.meanV)), tf.tensor2d(this.wV, [this.nFeatures, this.nComponents])) as tf.Tensor2D);
    }
    const m = toDense(x, 'LDA.transform');
    checkCols(m.cols, this.nFeatures, 'LDA.transform');
    const t = tf.tensor2d(m.data, [m.rows, m.cols]);
    const z = this.transform(t);
    const out = toRows(z.dataSync(), m.rows, this.nComponents);
    tf.dispose([t, z]);
    return out;
  }

  /** Fits and projects. Usage: `const xy = new LDA().fitTransform(codes, labels)` */
  fitTransform(x: number[][], y: ArrayLike<number>): number[][];
  fitTransform(x: tf.Tensor2D, y: ArrayLike<number>): tf.Tensor2D;
  fitTransform(x: FeatureMatrix, y: ArrayLike<number>): FeatureMatrix {
    this.fit(x, y);
    return x instanceof tf.Tensor ? this.transform(x) : this.transform(x);
  }

  /** Share of the between-class separation along each kept direction. */
  get explainedVarianceRatio(): Float64Array {
    if (!this.fitted) throw new Error('LDA.explainedVarianceRatio: call fit first.');
    return this.ratios.slice();
  }

  /** The sorted distinct labels seen at fit time. */
  get classes(): number[] {
    return this.classList.slice();
  }

  /** The d x k projection matrix as rows of length k. */
  get scalings(): number[][] {
    if (!this.fitted) throw new Error('LDA.scalings: call fit first.');
    return toRows(this.wV, this.nFeatures, this.nComponents);
  }
}

/** Inverse of a lower-triangular matrix by forward substitution. */
function forwardSubstituteIdentity(L: Matrix): Matrix {
  const n = L.rows;
  const inv = new Matrix(n, n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = col; k < i; k++) s -= L.get(i, k) * inv.get(k, col);
      inv.set(i, col, s / L.get(i, i));
    }
  }
  return inv;
}
