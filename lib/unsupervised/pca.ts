/**
 * Principal component analysis by the four steps of seed 002:
 * 1. standardise (or only centre) the data, 2. build the covariance matrix,
 * 3. find its eigenvectors and eigenvalues, 4. sort them from highest to lowest and keep k.
 *
 * The covariance (X^T X / (m - 1)) is one tf.matMul on the active backend; the eigen step runs in
 * ml-matrix. Solver 'full' decomposes the whole n x n covariance (784 x 784: 5-15 s on two busy
 * cores) and knows every eigenvalue; 'randomized' finds only the top k by subspace iteration on
 * the covariance (Halko et al.: a random n x (k+10) block, power iterations with QR
 * re-orthonormalisation, then a small (k+10) x (k+10) eigenproblem), well under a second for
 * k = 30 of 784. 'auto' (default) uses 'randomized' when k <= n / 4 and n > 100.
 *
 * Usage:
 *   const pca = new PCA({ nComponents: 2 }).fit(xTrain);   // xTrain: tf.Tensor2D or number[][]
 *   const z = pca.transform(xTest);                         // same kind as the input
 *   const xBack = pca.inverseTransform(z);
 *   pca.explainedVarianceRatio                              // Float64Array of length k
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { makeRng } from '../random';
import { checkCols, columnStats, FeatureMatrix, toDense, toRows } from './matrix';

export interface PCAOptions {
  /** How many components to keep (k). */
  nComponents: number;
  /**
   * Step 1: 'center' subtracts the mean (sklearn's PCA, seed 001); 'standardize' also
   * divides by the standard deviation (z = (x - mu) / sigma, seed 002). Constant columns keep
   * sigma = 1. Default 'center'.
   */
  preprocess?: 'center' | 'standardize';
  /** Eigen solver: 'full', 'randomized' (top k only) or 'auto' (default; see the module comment). */
  solver?: 'auto' | 'full' | 'randomized';
  /** Power iterations of the randomized solver (default 12). */
  powerIterations?: number;
  /** Seed of the randomized solver's starting block (default 0). */
  seed?: number;
}

/** PCA fitted by eigen-decomposition of the covariance matrix. Usage: `new PCA({ nComponents: 2 }).fit(x).transform(x)` */
export class PCA {
  readonly nComponents: number;
  readonly preprocess: 'center' | 'standardize';
  private fitted = false;
  private nFeatures = 0;
  private meanV = new Float32Array(0);
  private scaleV = new Float32Array(0);
  /** n x k, column j is component j (row-major). */
  private wV = new Float32Array(0);
  private eigenvaluesV = new Float64Array(0);
  private totalVarianceV = 0;
  private solverUsed: 'full' | 'randomized' = 'full';
  private readonly options: PCAOptions;

  /** Usage: `new PCA({ nComponents: 30, preprocess: 'standardize' })` */
  constructor(options: PCAOptions) {
    const k = options.nComponents;
    if (!Number.isInteger(k) || k < 1) throw new Error(`PCA: nComponents must be a positive integer, got ${k}.`);
    this.nComponents = k;
    this.options = { ...options };
    if (options.solver !== undefined && !['auto', 'full', 'randomized'].includes(options.solver)) {
      throw new Error(`PCA: solver must be 'auto', 'full' or 'randomized', got ${String(options.solver)}.`);
    }
    this.preprocess = options.preprocess ?? 'center';
    if (this.preprocess !== 'center' && this.preprocess !== 'standardize') {
      throw new Error(`PCA: preprocess must be 'center' or 'standardize', got ${String(this.preprocess)}.`);
    }
  }

  /** Fits on the rows of x (samples x features). Returns this. Usage: `pca.fit(x)` */
  fit(x: FeatureMatrix): this {
    const m = toDense(x, 'PCA.fit');
    if (m.rows < 2) throw new Error(`PCA.fit: need at least 2 samples to estimate a covariance, got ${m.rows}.`);
    if (this.nComponents > m.cols) throw new Error(`PCA.fit: nComponents=${this.nComponents} exceeds the ${m.cols} features; choose k <= ${m.cols}.`);
    const n = m.cols;
    // Step 1: centre (and optionally scale).
    const { mean, std } = columnStats(m, 0);
    this.meanV = Float32Array.from(mean);
    this.scaleV = new Float32Array(n).fill(1);
    if (this.preprocess === 'standardize') for (let j = 0; j < n; j++) this.scaleV[j] = std[j] > 1e-12 ? std[j] : 1;
    // Step 2: covariance, one matMul.
    const cov = tf.tidy(() => {
      const xs = tf.tensor2d(m.data, [m.rows, n]).sub(tf.tensor1d(this.meanV)).div(tf.tensor1d(this.scaleV));
      // An explicit transpose is several times faster on wasm than matMul's transposeA flag.
      return tf.matMul(tf.transpose(xs), xs).div(m.rows - 1).dataSync() as Float32Array;
    });
    const sym = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = 0.5 * (cov[i * n + j] + cov[j * n + i]);
        sym[i * n + j] = v;
        sym[j * n + i] = v;
      }
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += Math.max(sym[i * n + i], 0);
    this.totalVarianceV = trace;
    // Steps 3 and 4.
    const k = this.nComponents;
    const solver = this.options.solver ?? 'auto';
    this.solverUsed = solver === 'full' || (solver === 'auto' && !(k <= n / 4 && n > 100)) ? 'full' : 'randomized';
    const { values, vectors } =
      this.solverUsed === 'full' ? symmetricEigen(Matrix.from1DArray(n, n, sym)) : topEigen({ data: sym, n }, k, this.options.powerIterations ?? 12, this.options.seed ?? 0);
    this.eigenvaluesV = values;
    this.wV = new Float32Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) this.wV[i * k + j] = vectors.get(i, j);
    this.nFeatures = n;
    this.fitted = true;
    return this;
  }

  /** Projects x onto the k components. Usage: `const z = pca.transform(x)` */
  transform(x: tf.Tensor2D): tf.Tensor2D;
  transform(x: number[][]): number[][];
  transform(x: FeatureMatrix): FeatureMatrix {
    this.check('transform');
    if (x instanceof tf.Tensor) {
      checkCols(x.shape[1] ?? -1, this.nFeatures, 'PCA.transform');
      return tf.tidy(() => tf.matMul(x.sub(tf.tensor1d(this.meanV)).div(tf.tensor1d(this.scaleV)), this.wTensor()) as tf.Tensor2D);
    }
    const m = toDense(x, 'PCA.transform');
    checkCols(m.cols, this.nFeatures, 'PCA.transform');
    const t = tf.tensor2d(m.data, [m.rows, m.cols]);
    const z = this.transform(t);
    const out = toRows(z.dataSync(), m.rows, this.nComponents);
    tf.dispose([t, z]);
    return out;
  }

  /** Fits and returns the projection of x. Usage: `const z = new PCA({ nComponents: 2 }).fitTransform(x)` */
  fitTransform(x: tf.Tensor2D): tf.Tensor2D;
  fitTransform(x: number[][]): number[][];
  fitTransform(x: FeatureMatrix): FeatureMatrix {
    this.fit(x);
    return x instanceof tf.Tensor ? this.transform(x) : this.transform(x);
  }

  /** Maps codes back to feature space: z W^T * sigma + mu. Usage: `pca.inverseTransform(z)` */
  inverseTransform(z: tf.Tensor2D): tf.Tensor2D;
  inverseTransform(z: number[][]): number[][];
  inverseTransform(z: FeatureMatrix): FeatureMatrix {
    this.check('inverseTransform');
    if (z instanceof tf.Tensor) {
      checkCols(z.shape[1] ?? -1, this.nComponents, 'PCA.inverseTransform');
      return tf.tidy(() => tf.matMul(z, this.wTensor(), false, true).mul(tf.tensor1d(this.scaleV)).add(tf.tensor1d(this.meanV)) as tf.Tensor2D);
    }
    const m = toDense(z, 'PCA.inverseTransform');
    checkCols(m.cols, this.nComponents, 'PCA.inverseTransform');
    const t = tf.tensor2d(m.data, [m.rows, m.cols]);
    const r = this.inverseTransform(t);
    const out = toRows(r.dataSync(), m.rows, this.nFeatures);
    tf.dispose([t, r]);
    return out;
  }

  /**
   * Mean squared reconstruction error per sample, averaged: mean((x - x_hat)^2), accumulated in
   * float64 block by block (a float32 mean over millions of values on wasm comes out some 0.5 %
   * low). Usage: `pca.reconstructionError(x)`
   */
  reconstructionError(x: tf.Tensor2D): number {
    const [n, d] = x.shape;
    if (n === 0 || d === 0) throw new Error(`PCA.reconstructionError: x is empty ([${x.shape.join(', ')}]); give at least one sample.`);
    const block = Math.max(1, Math.floor(262_144 / d));
    let sum = 0;
    for (let start = 0; start < n; start += block) {
      const rows = Math.min(block, n - start);
      // Squared differences of one block in float32 (exact enough per value), summed here in float64.
      const sq = tf.tidy(() => {
        const xb = tf.slice(x, [start, 0], [rows, d]) as tf.Tensor2D;
        return tf.squaredDifference(xb, this.inverseTransform(this.transform(xb))).dataSync();
      });
      for (let i = 0; i < sq.length; i++) sum += sq[i];
    }
    return sum / (n * d);
  }

  /** The k components as rows (k x n), like sklearn's components_. Usage: `pca.components[0]` */
  get components(): number[][] {
    this.check('components');
    const k = this.nComponents;
    const n = this.nFeatures;
    const out: number[][] = [];
    for (let j = 0; j < k; j++) {
      const row = new Array<number>(n);
      for (let i = 0; i < n; i++) row[i] = this.wV[i * k + j];
      out.push(row);
    }
    return out;
  }

  /** The per-feature mean subtracted in step 1. */
  get mean(): Float32Array {
    this.check('mean');
    return this.meanV.slice();
  }

  /** The per-feature divisor of step 1 (all 1 with preprocess 'center'). */
  get scale(): Float32Array {
    this.check('scale');
    return this.scaleV.slice();
  }

  /** Which eigen solver the last fit used. */
  get solver(): 'full' | 'randomized' {
    return this.solverUsed;
  }

  /** Total variance: the trace of the covariance (the sum of all its eigenvalues). */
  get totalVariance(): number {
    this.check('totalVariance');
    return this.totalVarianceV;
  }

  /**
   * Eigenvalues of the covariance, sorted from highest to lowest (for scree plots): all of them
   * with the 'full' solver, the top k with 'randomized'.
   */
  get eigenvalues(): Float64Array {
    this.check('eigenvalues');
    return this.eigenvaluesV.slice();
  }

  /** Variance along each kept component (the top-k eigenvalues). */
  get explainedVariance(): Float64Array {
    return this.eigenvalues.slice(0, this.nComponents);
  }

  /** Share of the total variance along each kept component. */
  get explainedVarianceRatio(): Float64Array {
    const all = this.eigenvalues;
    const total = this.totalVarianceV;
    return all.slice(0, this.nComponents).map((v) => (total > 0 ? Math.max(v, 0) / total : 0));
  }

  /**
   * The smallest k whose components explain at least `ratio` of the variance
   * (uses all eigenvalues, so it may exceed nComponents). Usage: `pca.componentsFor(0.95)`
   */
  componentsFor(ratio: number): number {
    if (!(ratio > 0 && ratio <= 1)) throw new Error(`PCA.componentsFor: ratio must be in (0, 1], got ${ratio}.`);
    this.check('componentsFor');
    if (this.solverUsed !== 'full') throw new Error("PCA.componentsFor: needs every eigenvalue; fit with { solver: 'full' }.");
    const all = this.eigenvalues;
    const total = this.totalVarianceV;
    let acc = 0;
    for (let i = 0; i < all.length; i++) {
      acc += Math.max(all[i], 0);
      if (acc / total >= ratio - 1e-12) return i + 1;
    }
    return all.length;
  }

  private wTensor(): tf.Tensor2D {
    return tf.tensor2d(this.wV, [this.nFeatures, this.nComponents]);
  }

  private check(what: string): void {
    if (!this.fitted) throw new Error(`PCA.${what}: the PCA is not fitted yet; call fit(x) first.`);
  }
}

/**
 * The top-k eigenpairs of a symmetric positive semi-definite matrix by randomized subspace
 * iteration (k + 10 columns, `iterations` power steps, each C Q product on the tfjs backend and a
 * Gram-Schmidt re-orthonormalisation, then a small (k+10) x (k+10) eigenproblem).
 *
 * Usage: `const { values, vectors } = topEigen(cov, 30); // vectors: n x k`
 */
export function topEigen(c: Matrix | { data: ArrayLike<number>; n: number }, k: number, iterations = 12, seed = 0): { values: Float64Array; vectors: Matrix } {
  const n = c instanceof Matrix ? c.rows : c.n;
  if (c instanceof Matrix && c.columns !== n) throw new Error(`topEigen: matrix must be square, got ${n}x${c.columns}.`);
  const flat = c instanceof Matrix ? Float32Array.from(c.to1DArray()) : Float32Array.from(c.data);
  if (flat.length !== n * n) throw new Error(`topEigen: expected ${n * n} values for an ${n} x ${n} matrix, got ${flat.length}.`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`topEigen: k must be an integer in 1..${n}, got ${k}.`);
  const l = Math.min(n, k + 10);
  const rng = makeRng(seed);
  const cT = tf.tensor2d(flat, [n, n]);
  // q: n x l, row-major.
  const times = (q: Float64Array): Float64Array => Float64Array.from(tf.tidy(() => tf.matMul(cT, tf.tensor2d(Float32Array.from(q), [n, l])).dataSync()));
  const orth = (q: Float64Array): Float64Array => {
    for (let j = 0; j < l; j++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[i * l + j] * q[i * l + p];
        for (let i = 0; i < n; i++) q[i * l + j] -= d * q[i * l + p];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += q[i * l + j] ** 2;
      norm = Math.sqrt(norm);
      if (norm < 1e-12) {
        // A rank-deficient block: restart this column at random (it is orthogonalised next round).
        for (let i = 0; i < n; i++) q[i * l + j] = rng.normal() * 1e-3;
        norm = 1;
      }
      for (let i = 0; i < n; i++) q[i * l + j] /= norm;
    }
    return q;
  };
  let q = new Float64Array(n * l);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  let cq: Float64Array;
  try {
    for (let it = 0; it <= iterations; it++) q = orth(times(q));
    q = orth(q);
    cq = times(q);
  } finally {
    cT.dispose();
  }
  // B = Q^T C Q (l x l), then its eigenvectors rotate Q.
  const b = new Matrix(l, l);
  for (let r = 0; r < l; r++) {
    for (let s2 = r; s2 < l; s2++) {
      let v = 0;
      for (let i = 0; i < n; i++) v += q[i * l + r] * cq[i * l + s2];
      b.set(r, s2, v);
      b.set(s2, r, v);
    }
  }
  const small = symmetricEigen(b);
  const v = new Matrix(n, k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let r = 0; r < l; r++) acc += q[i * l + r] * small.vectors.get(r, j);
      v.set(i, j, acc);
    }
  }
  // Same sign convention as symmetricEigen: largest-magnitude entry positive.
  for (let j = 0; j < k; j++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v.get(i, j)) > Math.abs(big)) big = v.get(i, j);
    if (big < 0) for (let i = 0; i < n; i++) v.set(i, j, -v.get(i, j));
  }
  return { values: small.values.slice(0, k), vectors: v };
}

/**
 * Eigen-decomposition of a symmetric matrix, sorted by decreasing eigenvalue, each
 * eigenvector's sign fixed so its largest-magnitude entry is positive (repeatable output).
 *
 * Usage: `const { values, vectors } = symmetricEigen(new Matrix([[2, 1], [1, 2]]));`
 */
export function symmetricEigen(c: Matrix): { values: Float64Array; vectors: Matrix } {
  if (c.rows !== c.columns) throw new Error(`symmetricEigen: matrix must be square, got ${c.rows}x${c.columns}.`);
  const evd = new EigenvalueDecomposition(c, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const v = evd.eigenvectorMatrix;
  const order = raw.map((_, i) => i).sort((a, b) => raw[b] - raw[a]);
  const n = c.rows;
  const values = new Float64Array(order.map((i) => raw[i]));
  const vectors = new Matrix(n, order.length);
  order.forEach((src, dst) => {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v.get(i, src)) > Math.abs(big)) big = v.get(i, src);
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors.set(i, dst, sign * v.get(i, src));
  });
  return { values, vectors };
}
