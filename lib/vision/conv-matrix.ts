/**
 * Convolution as a matrix product: for an H x W image I and a kernel k, build the matrix G with
 * one row per output pixel and one column per input pixel, such that G . vec(I) = vec(I * k)
 * (vec: row-major flattening, as the seed's I^T = [1, 2, ..., 16]).
 *
 * For a linear convolution G is doubly block Toeplitz (blocks of Toeplitz matrices, arranged as a
 * Toeplitz matrix of blocks); with boundary 'wrap' (circular convolution) it is doubly block
 * circulant, the name the seed uses. The seed's G computes a 'valid' cross-correlation (the
 * kernel is not flipped), which is what CNN layers call convolution.
 *
 * Usage: `const G = convolutionMatrix(4, 4, k, { mode: 'valid', flip: false });`
 */
import { Boundary, ConvMode, convGeometry } from './convolve';
import { Grid, checkSize } from './grid';

export interface ConvolutionMatrixOptions {
  /** Output size (default 'valid', as in the seed's example). */
  mode?: ConvMode;
  /** 'fill' (zeros: Toeplitz) or 'wrap' (circulant). Default 'fill'. */
  boundary?: Extract<Boundary, 'fill' | 'wrap'>;
  /** true: true convolution (kernel flipped); false (default): cross-correlation, as in the seed's G and in CNNs. */
  flip?: boolean;
}

function wrapIndex(i: number, n: number): number {
  return ((i % n) + n) % n;
}

/**
 * The matrix G (rows: output pixels row-major; columns: input pixels row-major).
 *
 * Usage: `const G = convolutionMatrix(4, 4, k); matVec(G, vec(I))`
 */
export function convolutionMatrix(height: number, width: number, kernel: Grid, options: ConvolutionMatrixOptions = {}): Grid {
  checkSize('image height', height);
  checkSize('image width', width);
  const mode = options.mode ?? 'valid';
  const boundary = options.boundary ?? 'fill';
  const flip = options.flip ?? false;
  const kh = kernel.height;
  const kw = kernel.width;
  if (mode === 'valid' && (kh > height || kw > width)) {
    throw new Error(`convolutionMatrix: kernel ${kh}x${kw} is larger than the ${height}x${width} image; use mode 'same' or 'full'.`);
  }
  // 'same' with an even kernel: the offsets of convolve2d / correlate2d (SciPy and tf.conv2d).
  const gy = convGeometry(height, kh, mode, flip);
  const gx = convGeometry(width, kw, mode, flip);
  const rows = gy.size * gx.size;
  const cols = height * width;
  const data = new Float64Array(rows * cols);
  // Work with the kernel in convolution orientation kc: out[i][j] = sum kc[s][t] I[i + off - s][j + off - t].
  for (let i = 0; i < gy.size; i++) {
    for (let j = 0; j < gx.size; j++) {
      const row = i * gx.size + j;
      for (let s = 0; s < kh; s++) {
        for (let t = 0; t < kw; t++) {
          const kc = flip ? kernel.data[s * kw + t] : kernel.data[(kh - 1 - s) * kw + (kw - 1 - t)];
          let r = i + gy.offset - s;
          let c = j + gx.offset - t;
          if (boundary === 'wrap') {
            r = wrapIndex(r, height);
            c = wrapIndex(c, width);
          } else if (r < 0 || r >= height || c < 0 || c >= width) continue;
          data[row * cols + r * width + c] += kc;
        }
      }
    }
  }
  return { height: rows, width: cols, data };
}

/**
 * Row-major flattening of a grid (the seed's vec(I)).
 *
 * Usage: `vec(gridFromRows([[1, 2], [3, 4]])) // Float64Array [1, 2, 3, 4]`
 */
export function vec(grid: Grid): Float64Array {
  return Float64Array.from(grid.data);
}

/**
 * Matrix-vector product G . v.
 *
 * Usage: `const h = matVec(G, vec(I));`
 */
export function matVec(matrix: Grid, v: ArrayLike<number>): Float64Array {
  if (v.length !== matrix.width) throw new Error(`matVec: the matrix has ${matrix.width} columns but the vector has ${v.length} entries.`);
  const out = new Float64Array(matrix.height);
  for (let i = 0; i < matrix.height; i++) {
    let acc = 0;
    for (let j = 0; j < matrix.width; j++) acc += matrix.data[i * matrix.width + j] * v[j];
    out[i] = acc;
  }
  return out;
}

/**
 * Whether a matrix is Toeplitz: constant along each diagonal (apply it to each block of G).
 *
 * Usage: `isToeplitz(block(G, 0, 0, 2, 4)) // true`
 */
export function isToeplitz(matrix: Grid): boolean {
  for (let i = 1; i < matrix.height; i++) {
    for (let j = 1; j < matrix.width; j++) {
      if (matrix.data[i * matrix.width + j] !== matrix.data[(i - 1) * matrix.width + (j - 1)]) return false;
    }
  }
  return true;
}

/**
 * The block (bi, bj) of size blockHeight x blockWidth of a matrix.
 *
 * Usage: `const B = block(G, 0, 1, 2, 4); // rows 0-1, columns 4-7`
 */
export function block(matrix: Grid, bi: number, bj: number, blockHeight: number, blockWidth: number): Grid {
  if ((bi + 1) * blockHeight > matrix.height || (bj + 1) * blockWidth > matrix.width) {
    throw new Error(`block (${bi}, ${bj}) of size ${blockHeight}x${blockWidth} lies outside the ${matrix.height}x${matrix.width} matrix.`);
  }
  const data = new Float64Array(blockHeight * blockWidth);
  for (let i = 0; i < blockHeight; i++) {
    for (let j = 0; j < blockWidth; j++) data[i * blockWidth + j] = matrix.data[(bi * blockHeight + i) * matrix.width + bj * blockWidth + j];
  }
  return { height: blockHeight, width: blockWidth, data };
}

/**
 * The seed's G for its 4x4 image and 3x3 kernel (-1..-9), as printed in the lecture, with its
 * typo: row 2 has 17 entries (one 0 too many at the end). Kept to show the typo; the test and
 * notebook 04 compare it with `convolutionMatrix`.
 *
 * Usage: `SEED_G_AS_PRINTED[1].length // 17`
 */
export const SEED_G_AS_PRINTED: readonly (readonly number[])[] = [
  [-1, -2, -3, 0, -4, -5, -6, 0, -7, -8, -9, 0, 0, 0, 0, 0],
  [0, -1, -2, -3, 0, -4, -5, -6, 0, -7, -8, -9, 0, 0, 0, 0, 0],
  [0, 0, 0, 0, -1, -2, -3, 0, -4, -5, -6, 0, -7, -8, -9, 0],
  [0, 0, 0, 0, 0, -1, -2, -3, 0, -4, -5, -6, 0, -7, -8, -9],
];

/**
 * The seed's G with the typo fixed (the extra trailing 0 of row 2 removed): a 4x16 matrix.
 *
 * Usage: `const G = seedGFixed();`
 */
export function seedGFixed(): Grid {
  const rows = SEED_G_AS_PRINTED.map((r) => (r.length > 16 ? r.slice(0, 16) : r.slice()));
  const data = new Float64Array(4 * 16);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i * 16 + j] = v)));
  return { height: 4, width: 16, data };
}
