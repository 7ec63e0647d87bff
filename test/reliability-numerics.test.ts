// Issue 20, numbers: 'same' convolutions with even kernels line up with SciPy and tf.conv2d;
// figures printed from large reductions (PCA's reconstruction error) are accumulated in float64.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { PCA } from '../lib/unsupervised/pca';
import { convolutionMatrix, matVec, vec } from '../lib/vision/conv-matrix';
import { convolve2d, correlate2d } from '../lib/vision/convolve';
import { gridFromRows, gridToRows, type Grid } from '../lib/vision/grid';

/** The 4x5 image SciPy was run on: (i ** 1.5) % 7 for i = 0..19, row-major. */
const IMAGE = gridFromRows(Array.from({ length: 4 }, (_, r) => Array.from({ length: 5 }, (_, c) => ((r * 5 + c) ** 1.5) % 7)));
/** An even-sized (2x4) kernel, not symmetric. */
const KERNEL = gridFromRows([
  [1, 2, 0.5, -1],
  [3, 4, -2, 1],
]);
// python3 -c 'import numpy as np, scipy.signal as s; I=np.arange(20.).reshape(4,5)**1.5 % 7;
//   k=np.array([[1.,2.,0.5,-1],[3.,4.,-2,1]]); print(s.correlate2d(I,k,mode="same")); print(s.convolve2d(I,k,mode="same"))'
const SCIPY_CORRELATE_SAME = [
  [17.519315, 6.133733, 31.171949, 21.791177, 36.078403],
  [22.28347, 14.740478, 28.915531, 43.205011, 41.77673],
  [7.889567, 21.467157, 10.129389, 32.115511, 54.01749],
  [4.596705, -2.226384, -1.449722, 15.7374, 18.005692],
];
const SCIPY_CONVOLVE_SAME = [
  [1.0, 4.828427, 11.353007, 11.806518, 1.769649],
  [12.057618, 20.489587, 31.73823, 29.945781, 4.729572],
  [27.540601, 19.334205, 40.879016, 31.095362, 27.898696],
  [24.129225, 21.533766, 46.508782, 35.583253, 25.08683],
];

function expectRowsClose(got: number[][], want: number[][], digits = 5): void {
  expect(got.length).toBe(want.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], digits)));
}

/** tf.conv2d's 'same' (a correlation) of the grid with the kernel. */
function tfConvSame(image: Grid, kernel: Grid): number[][] {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from(image.data), [1, image.height, image.width, 1]);
    const k = tf.tensor4d(Float32Array.from(kernel.data), [kernel.height, kernel.width, 1, 1]);
    return (tf.conv2d(x, k, 1, 'same').reshape([image.height, image.width]).arraySync() as number[][]);
  });
}

describe("'same' mode with an even-sized kernel", () => {
  it('correlate2d matches tf.conv2d and SciPy (extra padding after, not before)', () => {
    const ours = gridToRows(correlate2d(IMAGE, KERNEL, { mode: 'same' }));
    expectRowsClose(ours, tfConvSame(IMAGE, KERNEL), 4);
    expectRowsClose(ours, SCIPY_CORRELATE_SAME);
    // A 2x2 kernel with a single 1 at the top left is the identity for 'same' (SciPy and tf).
    const unit = gridFromRows([[1, 0], [0, 0]]);
    expect(gridToRows(correlate2d(IMAGE, unit, { mode: 'same' }))).toEqual(gridToRows(IMAGE));
  });

  it('a missing grid is named, not a TypeError', () => {
    expect(() => correlate2d(undefined as unknown as Grid, KERNEL)).toThrow('the image must be a grid { height, width, data }, got undefined; build it with gridFromRows or zerosGrid.');
  });

  it('convolve2d still matches SciPy', () => {
    expectRowsClose(gridToRows(convolve2d(IMAGE, KERNEL, { mode: 'same' })), SCIPY_CONVOLVE_SAME);
  });

  it('convolutionMatrix (flip false and true) agrees with correlate2d and convolve2d', () => {
    for (const flip of [false, true]) {
      const G = convolutionMatrix(IMAGE.height, IMAGE.width, KERNEL, { mode: 'same', flip });
      const want = flip ? convolve2d(IMAGE, KERNEL, { mode: 'same' }) : correlate2d(IMAGE, KERNEL, { mode: 'same' });
      const got = matVec(G, vec(IMAGE));
      Array.from(want.data).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 10));
    }
    const G = convolutionMatrix(IMAGE.height, IMAGE.width, KERNEL, { mode: 'same', flip: false });
    const rows = Array.from({ length: 4 }, (_, r) => Array.from(matVec(G, vec(IMAGE)).slice(r * 5, r * 5 + 5)));
    expectRowsClose(rows, SCIPY_CORRELATE_SAME);
  });
});

describe('PCA.reconstructionError over millions of values', () => {
  it('equals the float64 mean of the squared differences (wasm sums float32 sequentially)', () => {
    setGlobalSeed(5);
    const n = 10000;
    const d = 150;
    // Low-rank data plus noise, in [0, 1] like pixels: 1.5 million values.
    const x = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(tf.randomNormal([n, 3], 0, 1, 'float32', 1), tf.randomNormal([3, d], 0, 1, 'float32', 2)), tf.randomNormal([n, d], 0, 0.3, 'float32', 3))) as tf.Tensor2D);
    const pca = new PCA({ nComponents: 2 }).fit(x);
    const got = pca.reconstructionError(x);
    const r = pca.inverseTransform(pca.transform(x));
    const a = x.dataSync();
    const b = r.dataSync();
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
    const exact = sum / a.length;
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-6);
    tf.dispose([x, r]);
  });
});

describe('PCA, LDA and the scalers refuse NaN in a tensor as they do in arrays', () => {
  it('names the row and column (the eigen-solver used to fail with a TypeError)', () => {
    const x = tf.tensor2d([[1, 2, 3], [NaN, 1, 2], [3, 1, 0], [2, 2, 2], [0, 1, 5]]);
    expect(() => new PCA({ nComponents: 1 }).fit(x)).toThrow('PCA.fit: value at row 1, column 0 is NaN; fill or drop missing values first.');
    x.dispose();
  });
});
