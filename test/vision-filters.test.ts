import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../lib/random';
import {
  Grid,
  SOBEL_HORIZONTAL,
  SOBEL_VERTICAL,
  convolve2d,
  convolve2dTf,
  correlate2d,
  flipKernel,
  gridFromRows,
  gridMarkdown,
  gridRange,
  gridToTensor,
  gridsToBatch,
  tensorToGrid,
  gridToRows,
  meanBlur,
  meanFilter,
  pool2d,
  sobelGradients,
  subsample,
  syntheticScene,
  unsharpMask,
  upscale,
} from '../lib/vision';

function randomGrid(h: number, w: number, seed: number): Grid {
  const rng = makeRng(seed);
  return gridFromRows(Array.from({ length: h }, () => Array.from({ length: w }, () => rng.uniform() * 2 - 1)));
}

function expectClose(a: Grid, b: Grid, tol: number): void {
  expect([a.height, a.width]).toEqual([b.height, b.width]);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  expect(worst).toBeLessThan(tol);
}

describe('convolve2d: hand-computed cases', () => {
  it('full mode of a 2x2 image with a 2x2 box gives the 3x3 sums', () => {
    const out = convolve2d(gridFromRows([[1, 2], [3, 4]]), gridFromRows([[1, 1], [1, 1]]));
    expect(gridToRows(out)).toEqual([
      [1, 3, 2],
      [4, 10, 6],
      [3, 7, 4],
    ]);
  });

  it('convolution flips the kernel, correlation does not', () => {
    const img = gridFromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const k = gridFromRows([[1, 0], [0, 0]]);
    expect(gridToRows(convolve2d(img, k, { mode: 'valid' }))).toEqual([[5, 6], [8, 9]]);
    expect(gridToRows(correlate2d(img, k, { mode: 'valid' }))).toEqual([[1, 2], [4, 5]]);
    expect(gridToRows(convolve2d(img, flipKernel(k), { mode: 'valid' }))).toEqual([[1, 2], [4, 5]]);
  });

  it('boundaries: symm repeats the edge pixel, fill uses zeros or fillValue, wrap is circular', () => {
    const row = gridFromRows([[1, 2, 3]]);
    const box = gridFromRows([[1, 1, 1]]);
    expect(gridToRows(convolve2d(row, box, { mode: 'same', boundary: 'symm' }))).toEqual([[4, 6, 8]]);
    expect(gridToRows(convolve2d(row, box, { mode: 'same', boundary: 'fill' }))).toEqual([[3, 6, 5]]);
    expect(gridToRows(convolve2d(row, box, { mode: 'same', boundary: 'fill', fillValue: 10 }))).toEqual([[13, 6, 15]]);
    expect(gridToRows(convolve2d(row, box, { mode: 'same', boundary: 'wrap' }))).toEqual([[6, 6, 6]]);
  });

  it('same mode with an even kernel keeps the centre of the full result at offset (k-1)/2 rounded down', () => {
    const row = gridFromRows([[1, 2, 3, 4]]);
    const k = gridFromRows([[1, 10]]);
    // full: [1, 12, 23, 34, 40]; same takes indices 0..3 (offset floor(1/2) = 0)
    expect(gridToRows(convolve2d(row, k, { mode: 'full' }))).toEqual([[1, 12, 23, 34, 40]]);
    expect(gridToRows(convolve2d(row, k, { mode: 'same' }))).toEqual([[1, 12, 23, 34]]);
    expect(gridToRows(convolve2d(row, k, { mode: 'valid' }))).toEqual([[12, 23, 34]]);
  });

  it('rejects bad modes and a kernel larger than the image in valid mode', () => {
    const img = gridFromRows([[1, 2], [3, 4]]);
    expect(() => convolve2d(img, meanFilter(3), { mode: 'valid' })).toThrow(/larger|no larger/);
    expect(() => convolve2d(img, meanFilter(1), { mode: 'bogus' as 'same' })).toThrow(/mode 'bogus'/);
    expect(() => gridFromRows([[1, 2], [3]])).toThrow(/same length/);
  });
});

describe('filters', () => {
  it('Sobel on a dark-to-bright vertical step: S_v gives -4 on the two edge columns, S_h gives 0', () => {
    const step = gridFromRows(Array.from({ length: 4 }, () => [0, 0, 1, 1]));
    const g = sobelGradients(step);
    expect(gridToRows(g.vertical)).toEqual(Array.from({ length: 4 }, () => [0, -4, -4, 0]));
    expect(gridToRows(g.horizontal).flat().every((v) => v === 0)).toBe(true);
    expect(gridToRows(g.magnitude)[2]).toEqual([0, 4, 4, 0]);
  });

  it('Sobel masks are transposes of each other and sum to zero', () => {
    const v = gridToRows(SOBEL_VERTICAL);
    const h = gridToRows(SOBEL_HORIZONTAL);
    expect(v.map((_, i) => v.map((r) => r[i]))).toEqual(h);
    expect(v.flat().reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('mean filter weights sum to 1 and leave a constant image unchanged (symm boundary)', () => {
    const m = meanFilter(10);
    expect(m.data[0]).toBeCloseTo(0.01, 12);
    expect(m.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const flat = gridFromRows(Array.from({ length: 12 }, () => Array(12).fill(0.3)));
    expect(gridRange(meanBlur(flat, 10)).min).toBeCloseTo(0.3, 12);
    expect(gridRange(meanBlur(flat, 10)).max).toBeCloseTo(0.3, 12);
  });

  it('3x3 mean blur of a single bright pixel spreads 1/9 over its neighbourhood', () => {
    const img = gridFromRows([[0, 0, 0, 0], [0, 9, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    const out = gridToRows(meanBlur(img, 3, { boundary: 'fill' }));
    expect(out[0].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 1, 1, 0]);
    expect(out[3].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0, 0, 0, 0]);
  });

  it('unsharp masking is image + amount * (image - blur): overshoots on both sides of an edge', () => {
    const step = gridFromRows(Array.from({ length: 6 }, () => [0, 0, 0, 1, 1, 1]));
    const { blurred, detail, sharpened } = unsharpMask(step, { size: 3, amount: 1 });
    const r = (g: Grid): number[] => gridToRows(g)[2].map((v) => Math.round(v * 1e9) / 1e9);
    expect(r(blurred)).toEqual([0, 0, 1 / 3, 2 / 3, 1, 1].map((v) => Math.round(v * 1e9) / 1e9));
    expect(r(sharpened)).toEqual([0, 0, -1 / 3, 4 / 3, 1, 1].map((v) => Math.round(v * 1e9) / 1e9));
    expect(r(detail)[2]).toBeCloseTo(-1 / 3, 9);
    expect(() => unsharpMask(step, { amount: Number.NaN })).toThrow(/amount/);
  });
});

describe('convolve2d agrees with tf.conv2d', () => {
  const img = randomGrid(12, 10, 1);
  for (const kernelSize of [3, 4, 5]) {
    for (const mode of ['same', 'valid', 'full'] as const) {
      for (const boundary of ['fill', 'symm'] as const) {
        it(`kernel ${kernelSize}x${kernelSize}, ${mode}, ${boundary}`, () => {
          const k = randomGrid(kernelSize, kernelSize, 10 + kernelSize);
          const before = tf.memory().numTensors;
          expectClose(convolve2d(img, k, { mode, boundary }), convolve2dTf(img, k, { mode, boundary }), 1e-4);
          expect(tf.memory().numTensors).toBe(before);
        });
      }
    }
  }

  it('Sobel gradients of the synthetic scene agree with tf.conv2d', () => {
    const scene = syntheticScene({ size: 64 });
    expectClose(convolve2d(scene, SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }), convolve2dTf(scene, SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' }), 1e-4);
  });
});

describe('pooling and strides', () => {
  const fm = gridFromRows([
    [1, 3, 2, 0],
    [5, 2, 1, 1],
    [0, 0, 4, 8],
    [2, 6, 0, 0],
  ]);
  it('2x2 max and average pooling', () => {
    expect(gridToRows(pool2d(fm, { size: 2 }))).toEqual([[5, 2], [6, 8]]);
    expect(gridToRows(pool2d(fm, { size: 2, kind: 'avg' }))).toEqual([[2.75, 1], [2, 3]]);
  });
  it('3x3 pooling with stride 1 overlaps windows; stride 2 drops the window that does not fit', () => {
    expect(gridToRows(pool2d(fm, { size: 3, stride: 1 }))).toEqual([[5, 8], [6, 8]]);
    expect(gridToRows(pool2d(fm, { size: 3, stride: 2 }))).toEqual([[5]]);
  });
  it('a stride-2 valid convolution is the stride-1 result subsampled, and matches tf.conv2d with strides 2', () => {
    const img = randomGrid(9, 9, 3);
    const k = randomGrid(3, 3, 4);
    const viaSub = subsample(correlate2d(img, k, { mode: 'valid' }), 2);
    const viaTf = tf.tidy(() =>
      tf.conv2d(tf.tensor4d(Float32Array.from(img.data), [1, 9, 9, 1]), tf.tensor4d(Float32Array.from(k.data), [3, 3, 1, 1]), 2, 'valid').dataSync(),
    );
    expect([viaSub.height, viaSub.width]).toEqual([4, 4]);
    Array.from(viaTf).forEach((v, i) => expect(v).toBeCloseTo(viaSub.data[i], 4));
  });
});

describe('images made by code', () => {
  it('the synthetic scene is deterministic, square and mostly in [0, 1]', () => {
    const a = syntheticScene({ size: 64 });
    const b = syntheticScene({ size: 64 });
    expect([a.height, a.width]).toEqual([64, 64]);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const { min, max } = gridRange(a);
    expect(min).toBeGreaterThan(-0.15);
    expect(max).toBeLessThan(1.15);
    // it has strong edges: the Sobel magnitude peaks well above the noise level
    expect(gridRange(sobelGradients(a).magnitude).max).toBeGreaterThan(2);
    expect(() => syntheticScene({ size: 8 })).toThrow(/at least 32/);
  });
  it('bilinear upscaling keeps constants and interpolates between pixel centres', () => {
    const up = upscale(gridFromRows([[0, 1]]), 2);
    expect([up.height, up.width]).toEqual([2, 4]);
    expect(gridToRows(up)[0]).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('grid helpers', () => {
  it('round-trips through tensors of shape [h, w], [h, w, 1] and [1, h, w, 1]', () => {
    const g = gridFromRows([[1, 2, 3], [4, 5, 6]]);
    const t = gridToTensor(g);
    expect(t.shape).toEqual([2, 3]);
    const t4 = t.reshape([1, 2, 3, 1]);
    expect(gridToRows(tensorToGrid(t4))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(gridToRows(tensorToGrid(t))).toEqual([[1, 2, 3], [4, 5, 6]]);
    tf.dispose([t, t4]);
    const bad = tf.zeros([2, 2, 2]);
    expect(() => tensorToGrid(bad)).toThrow(/expected shape/);
    bad.dispose();
  });
  it('stacks grids into an image batch and prints small grids as Markdown', () => {
    const b = gridsToBatch([gridFromRows([[0, 1]]), gridFromRows([[2, 3]])]);
    expect([b.count, b.height, b.width, b.channels]).toEqual([2, 1, 2, 1]);
    expect(Array.from(b.data)).toEqual([0, 1, 2, 3]);
    expect(() => gridsToBatch([gridFromRows([[0, 1]]), gridFromRows([[2]])])).toThrow(/grid 1 is 1x1/);
    expect(gridMarkdown(gridFromRows([[1, 0.12345]]), 2).split('\n')[2]).toBe('| 1 | 0.12 |');
  });
});
