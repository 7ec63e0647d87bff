import { describe, expect, it } from 'vitest';
import { makeRng } from '../lib/random';
import {
  Grid,
  SEED_G_AS_PRINTED,
  block,
  convolutionMatrix,
  convolve2d,
  correlate2d,
  flipKernel,
  gridFromRows,
  gridToRows,
  isToeplitz,
  matVec,
  seedGFixed,
  vec,
} from '../lib/vision';

const I = gridFromRows([
  [1, 2, 3, 4],
  [5, 6, 7, 8],
  [9, 10, 11, 12],
  [13, 14, 15, 16],
]);
const k = gridFromRows([
  [-1, -2, -3],
  [-4, -5, -6],
  [-7, -8, -9],
]);

function randomGrid(h: number, w: number, seed: number): Grid {
  const rng = makeRng(seed);
  return gridFromRows(Array.from({ length: h }, () => Array.from({ length: w }, () => rng.int(7) - 3)));
}

describe("the seed's 4x4 image and 3x3 kernel", () => {
  it('the seed printed row 2 of G with 17 entries (a typo); fixed, G is 4x16', () => {
    expect(SEED_G_AS_PRINTED.map((r) => r.length)).toEqual([16, 17, 16, 16]);
    const G = seedGFixed();
    expect([G.height, G.width]).toEqual([4, 16]);
  });

  it('our convolutionMatrix equals the fixed seed G (valid cross-correlation, kernel not flipped)', () => {
    const G = convolutionMatrix(4, 4, k, { mode: 'valid' });
    expect(gridToRows(G)).toEqual(gridToRows(seedGFixed()));
  });

  it('G . vec(I) = [-348, -393, -528, -573] = the valid correlation of I with k', () => {
    const h = Array.from(matVec(seedGFixed(), vec(I)));
    expect(h).toEqual([-348, -393, -528, -573]);
    expect(gridToRows(correlate2d(I, k, { mode: 'valid' })).flat()).toEqual(h);
    // ... which is the true convolution with the kernel turned 180 degrees
    expect(gridToRows(convolve2d(I, flipKernel(k), { mode: 'valid' })).flat()).toEqual(h);
    // the true convolution with k itself gives different numbers
    expect(gridToRows(convolve2d(I, k, { mode: 'valid' })).flat()).toEqual([-192, -237, -372, -417]);
  });

  it('G is block Toeplitz: 2x4 blocks, each Toeplitz, block (i, j) depending on j - i only', () => {
    const G = seedGFixed();
    for (let bi = 0; bi < 2; bi++) for (let bj = 0; bj < 4; bj++) expect(isToeplitz(block(G, bi, bj, 2, 4))).toBe(true);
    expect(gridToRows(block(G, 0, 0, 2, 4))).toEqual(gridToRows(block(G, 1, 1, 2, 4)));
    expect(gridToRows(block(G, 0, 1, 2, 4))).toEqual(gridToRows(block(G, 1, 2, 2, 4)));
    expect(gridToRows(block(G, 0, 0, 2, 4))).toEqual([[-1, -2, -3, 0], [0, -1, -2, -3]]);
  });
});

describe('convolution matrices for every mode', () => {
  const img = randomGrid(5, 6, 1);
  const ker = randomGrid(3, 2, 2);
  for (const mode of ['full', 'same', 'valid'] as const) {
    it(`${mode}: G . vec(I) equals convolve2d (flip) and correlate2d (no flip)`, () => {
      const conv = convolve2d(img, ker, { mode });
      expect(Array.from(matVec(convolutionMatrix(5, 6, ker, { mode, flip: true }), vec(img)))).toEqual(Array.from(conv.data));
      const corr = correlate2d(img, ker, { mode });
      expect(Array.from(matVec(convolutionMatrix(5, 6, ker, { mode, flip: false }), vec(img)))).toEqual(Array.from(corr.data));
    });
  }

  it('circular (wrap) convolution gives a doubly block circulant matrix', () => {
    const G = convolutionMatrix(4, 4, k, { mode: 'same', boundary: 'wrap', flip: true });
    expect([G.height, G.width]).toEqual([16, 16]);
    expect(Array.from(matVec(G, vec(I)))).toEqual(Array.from(convolve2d(I, k, { mode: 'same', boundary: 'wrap' }).data));
    // block (i, j) depends only on (j - i) mod 4, and each 4x4 block is circulant
    for (let bi = 0; bi < 4; bi++) {
      for (let bj = 0; bj < 4; bj++) {
        const B = gridToRows(block(G, bi, bj, 4, 4));
        expect(B).toEqual(gridToRows(block(G, 0, (bj - bi + 4) % 4, 4, 4)));
        for (let r = 1; r < 4; r++) expect(B[r]).toEqual(B[r - 1].map((_, c) => B[r - 1][(c + 3) % 4]));
      }
    }
  });

  it('explains bad input', () => {
    expect(() => convolutionMatrix(2, 2, k)).toThrow(/larger than/);
    expect(() => matVec(seedGFixed(), [1, 2, 3])).toThrow(/16 columns/);
  });
});
