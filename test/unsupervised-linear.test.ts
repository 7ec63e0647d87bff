import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { Matrix, SVD } from 'ml-matrix';
import { PCA, symmetricEigen } from '../lib/unsupervised/pca';
import { LDA } from '../lib/unsupervised/lda';
import { MinMaxScaler, StandardScaler } from '../lib/unsupervised/scalers';
import { makeRng } from '../lib/random';

function randomRows(rows: number, cols: number, seed: number): number[][] {
  const rng = makeRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

describe('symmetricEigen', () => {
  it('sorts eigenpairs of a known 2x2 matrix and fixes signs', () => {
    const { values, vectors } = symmetricEigen(new Matrix([[2, 1], [1, 2]]));
    expect(values[0]).toBeCloseTo(3, 10);
    expect(values[1]).toBeCloseTo(1, 10);
    expect(vectors.get(0, 0)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(vectors.get(1, 0)).toBeCloseTo(Math.SQRT1_2, 10);
    expect(Math.abs(vectors.get(0, 1))).toBeCloseTo(Math.SQRT1_2, 10);
    expect(vectors.get(0, 1) * vectors.get(1, 1)).toBeCloseTo(-0.5, 10);
  });
});

describe('PCA', () => {
  // Points along (1,1) with spread sqrt(3) and along (1,-1) with spread 1: covariance [[8/3, 4/3], [4/3, 8/3]].
  const a = Math.sqrt(3);
  const x = [[a, a], [-a, -a], [1, -1], [-1, 1]];

  it('finds the known eigenvectors and explained variance of a 2-D set', () => {
    const pca = new PCA({ nComponents: 2 }).fit(x);
    const [c1, c2] = pca.components;
    expect(Math.abs(c1[0])).toBeCloseTo(Math.SQRT1_2, 5);
    expect(c1[0] * c1[1]).toBeCloseTo(0.5, 5);
    expect(c2[0] * c2[1]).toBeCloseTo(-0.5, 5);
    expect(pca.explainedVariance[0]).toBeCloseTo(4, 4);
    expect(pca.explainedVariance[1]).toBeCloseTo(4 / 3, 4);
    expect(pca.explainedVarianceRatio[0]).toBeCloseTo(0.75, 5);
    expect(pca.componentsFor(0.7)).toBe(1);
    expect(pca.componentsFor(0.9)).toBe(2);
    const z = pca.transform([[a, a]]);
    expect(Math.abs(z[0][0])).toBeCloseTo(Math.sqrt(6), 4);
    expect(z[0][1]).toBeCloseTo(0, 5);
  });

  it('reconstructs exactly with all components and matches the SVD subspace', () => {
    const rows = randomRows(40, 5, 1);
    const pca = new PCA({ nComponents: 5 }).fit(rows);
    const back = pca.inverseTransform(pca.transform(rows));
    for (let i = 0; i < rows.length; i++) for (let j = 0; j < 5; j++) expect(back[i][j]).toBeCloseTo(rows[i][j], 4);
    // Reference: right singular vectors of the centred data, and s^2/(m-1) as variances.
    const X = new Matrix(rows);
    X.subRowVector(X.mean('column'));
    const svd = new SVD(X);
    const pcs = pca.components;
    for (let k = 0; k < 5; k++) {
      let dot = 0;
      for (let j = 0; j < 5; j++) dot += pcs[k][j] * svd.rightSingularVectors.get(j, k);
      expect(Math.abs(dot)).toBeCloseTo(1, 4);
      expect(pca.explainedVariance[k]).toBeCloseTo(svd.diagonal[k] ** 2 / 39, 3);
    }
  });

  it('keeps the top-k subspace: error falls as k grows, tensors in and out, no leaks', () => {
    const rows = randomRows(60, 6, 2).map((r) => [r[0] * 5, r[1] * 3, r[2], r[3] * 0.5, r[4] * 0.2, r[5] * 0.1]);
    const t = tf.tensor2d(rows);
    const before = tf.memory().numTensors;
    const errs = [1, 2, 3, 6].map((k) => new PCA({ nComponents: k }).fit(t).reconstructionError(t));
    expect(errs[0]).toBeGreaterThan(errs[1]);
    expect(errs[1]).toBeGreaterThan(errs[2]);
    expect(errs[3]).toBeLessThan(1e-8);
    const pca = new PCA({ nComponents: 2 }).fit(t);
    const z = pca.transform(t);
    expect(z.shape).toEqual([60, 2]);
    // The first component is mostly the high-variance first feature.
    expect(Math.abs(pca.components[0][0])).toBeGreaterThan(0.95);
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('randomized solver finds the same top-k components and variances as the full one', () => {
    const rng = makeRng(8);
    const n = 150;
    const rows = Array.from({ length: 300 }, () => Array.from({ length: n }, (_, j) => rng.normal() * Math.pow(0.93, j) * 3));
    const full = new PCA({ nComponents: 5, solver: 'full' }).fit(rows);
    const fast = new PCA({ nComponents: 5 }).fit(rows);
    expect(fast.solver).toBe('randomized');
    expect(full.solver).toBe('full');
    for (let k = 0; k < 5; k++) {
      const dot = full.components[k].reduce((s, v, i) => s + v * fast.components[k][i], 0);
      expect(dot).toBeGreaterThan(0.995); // same sign convention too
      expect(fast.explainedVariance[k]).toBeCloseTo(full.explainedVariance[k], 3);
      expect(fast.explainedVarianceRatio[k]).toBeCloseTo(full.explainedVarianceRatio[k], 5);
    }
    expect(fast.totalVariance).toBeCloseTo(full.totalVariance, 3);
    expect(() => fast.componentsFor(0.5)).toThrow(/solver: 'full'/);
  });

  it('standardises with sigma, leaving constant columns at scale 1', () => {
    const rows = randomRows(30, 3, 3).map((r) => [r[0] * 10 + 4, r[1], 7]);
    const pca = new PCA({ nComponents: 2, preprocess: 'standardize' }).fit(rows);
    expect(pca.scale[0]).toBeGreaterThan(5);
    expect(pca.scale[2]).toBe(1);
    expect(pca.mean[2]).toBeCloseTo(7, 5);
    // Standardised non-constant features have unit variance: eigenvalues sum to ~2 * m/(m-1).
    const total = Array.from(pca.eigenvalues).reduce((s, v) => s + v, 0);
    expect(total).toBeCloseTo((2 * 30) / 29, 3);
  });

  it('names the problem on bad input', () => {
    expect(() => new PCA({ nComponents: 0 })).toThrow(/positive integer/);
    expect(() => new PCA({ nComponents: 3 }).fit([[1, 2], [3, 4]])).toThrow(/exceeds the 2 features/);
    expect(() => new PCA({ nComponents: 1 }).transform([[1]])).toThrow(/not fitted/);
    const p = new PCA({ nComponents: 1 }).fit([[1, 2], [3, 5], [0, 1]]);
    expect(() => p.transform([[1, 2, 3]])).toThrow(/has 3 features/);
  });
});

describe('LDA', () => {
  it('finds the discriminant direction, not the high-variance one', () => {
    const rng = makeRng(4);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 100; i++) {
      const c = i % 2;
      x.push([c * 3 + rng.normal() * 0.3, rng.normal() * 10]);
      y.push(c);
    }
    const lda = new LDA({ nComponents: 1 }).fit(x, y);
    const w = lda.scalings;
    expect(Math.abs(w[0][0])).toBeGreaterThan(50 * Math.abs(w[1][0]));
    const z = lda.transform(x).map((r) => r[0]);
    const m0 = z.filter((_, i) => y[i] === 0).reduce((s, v) => s + v, 0) / 50;
    const m1 = z.filter((_, i) => y[i] === 1).reduce((s, v) => s + v, 0) / 50;
    // Every sample lies on its own class's side of the midpoint.
    const mid = (m0 + m1) / 2;
    const correct = z.filter((v, i) => (v > mid) === (m1 > m0 ? y[i] === 1 : y[i] === 0)).length;
    expect(correct).toBeGreaterThanOrEqual(99);
  });

  it('projects 3 classes to 2-D with a constant feature (ridge) and separates the means', () => {
    const rng = makeRng(5);
    const centres = [[0, 0, 0], [4, 0, 0], [0, 4, 0]];
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 90; i++) {
      const c = i % 3;
      x.push([centres[c][0] + rng.normal(), centres[c][1] + rng.normal(), 1.5]);
      y.push(c + 10);
    }
    const lda = new LDA().fit(x, y);
    expect(lda.classes).toEqual([10, 11, 12]);
    const ratio = lda.explainedVarianceRatio;
    expect(ratio[0] + ratio[1]).toBeCloseTo(1, 5);
    const t = tf.tensor2d(x);
    const z = lda.transform(t);
    expect(z.shape).toEqual([90, 2]);
    const zs = z.arraySync();
    const means = [0, 1, 2].map((c) => {
      const pts = zs.filter((_, i) => y[i] === c + 10);
      return [pts.reduce((s, p) => s + p[0], 0) / 30, pts.reduce((s, p) => s + p[1], 0) / 30];
    });
    const dist = (p: number[], q: number[]): number => Math.hypot(p[0] - q[0], p[1] - q[1]);
    expect(dist(means[0], means[1])).toBeGreaterThan(2);
    expect(dist(means[0], means[2])).toBeGreaterThan(2);
    tf.dispose([t, z]);
    expect(() => new LDA({ nComponents: 3 }).fit(x, y)).toThrow(/at most 2/);
    expect(() => new LDA().fit(x, y.slice(1))).toThrow(/labels/);
  });
});

describe('scalers', () => {
  const train = [[1, 10, 5], [3, 20, 5], [2, 30, 5]];
  it('MinMaxScaler maps the training range to [0, 1] and back; constant column goes to 0', () => {
    const s = new MinMaxScaler().fit(train);
    expect(s.transform(train)).toEqual([[0, 0, 0], [1, 0.5, 0], [0.5, 1, 0]]);
    const test = s.transform([[5, 0, 6]]);
    expect(test[0][0]).toBeCloseTo(2, 6);
    expect(test[0][1]).toBeCloseTo(-0.5, 6);
    expect(test[0][2]).toBeCloseTo(1, 6);
    const back = s.inverseTransform(test);
    expect(back[0][0]).toBeCloseTo(5, 5);
    expect(back[0][1]).toBeCloseTo(0, 5);
    const r = new MinMaxScaler({ featureRange: [-1, 1] }).fit(train).transform(train);
    expect(r[1][0]).toBeCloseTo(1, 6);
    expect(r[0][0]).toBeCloseTo(-1, 6);
  });

  it('StandardScaler gives mean 0 and std 1 per feature on tensors, with no leaks', () => {
    const t = tf.tensor2d(train);
    const before = tf.memory().numTensors;
    const s = new StandardScaler().fit(t);
    expect(s.mean[1]).toBeCloseTo(20, 5);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(200 / 3), 4);
    const z = s.transform(t);
    const m = z.mean(0);
    const sd = tf.tidy(() => z.sub(m).square().mean(0).sqrt());
    expect(Array.from(m.dataSync()).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([0, 0, 0]);
    const sds = sd.dataSync();
    expect(sds[0]).toBeCloseTo(1, 5);
    expect(sds[1]).toBeCloseTo(1, 5);
    expect(sds[2]).toBe(0);
    const back = s.inverseTransform(z);
    expect(back.arraySync()[2][1]).toBeCloseTo(30, 4);
    tf.dispose([z, m, sd, back]);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });

  it('refuses unfitted use and mismatched columns', () => {
    expect(() => new StandardScaler().transform([[1]])).toThrow(/not fitted/);
    expect(() => new MinMaxScaler().fit(train).transform([[1, 2]])).toThrow(/has 2 features/);
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(/hi > lo/);
    expect(() => new StandardScaler().fit([[1, NaN]])).toThrow(/missing values/);
  });
});
