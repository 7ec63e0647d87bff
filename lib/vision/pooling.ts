/**
 * Pooling and strided sampling by hand on a grid: max pooling, average pooling, and taking
 * every s-th pixel (what a strided convolution does after the full convolution).
 *
 * Usage: `const pooled = pool2d(featureMap, { size: 2, kind: 'max' }); // half the height and width`
 */
import { convOutputSize } from './arithmetic';
import { Grid, checkSize } from './grid';

export interface PoolOptions {
  /** Window size (square). */
  size: number;
  /** Default: the window size (Keras's default), so windows do not overlap. */
  stride?: number;
  /** 'max' (default) or 'avg'. */
  kind?: 'max' | 'avg';
}

/**
 * Max or average pooling with 'valid' padding (windows that do not fit at the end are dropped).
 *
 * Usage: `pool2d(gridFromRows([[1, 2], [3, 4]]), { size: 2 }) // [[4]]`
 */
export function pool2d(grid: Grid, options: PoolOptions): Grid {
  const size = options.size;
  const stride = options.stride ?? size;
  const kind = options.kind ?? 'max';
  checkSize('pool size', size);
  checkSize('pool stride', stride);
  if (kind !== 'max' && kind !== 'avg') throw new Error(`pool kind '${String(kind)}' is not known: use 'max' or 'avg'.`);
  const oh = convOutputSize(grid.height, size, { stride });
  const ow = convOutputSize(grid.width, size, { stride });
  const out = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let acc = kind === 'max' ? -Infinity : 0;
      for (let s = 0; s < size; s++) {
        for (let t = 0; t < size; t++) {
          const v = grid.data[(i * stride + s) * grid.width + j * stride + t];
          acc = kind === 'max' ? Math.max(acc, v) : acc + v;
        }
      }
      out[i * ow + j] = kind === 'max' ? acc : acc / (size * size);
    }
  }
  return { height: oh, width: ow, data: out };
}

/**
 * Every `stride`-th pixel in each direction, starting at (0, 0): a stride-s 'valid' convolution
 * equals the stride-1 'valid' convolution subsampled this way.
 *
 * Usage: `subsample(gridFromRows([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 2) // [[1, 3], [7, 9]]`
 */
export function subsample(grid: Grid, stride: number): Grid {
  checkSize('stride', stride);
  const oh = Math.ceil(grid.height / stride);
  const ow = Math.ceil(grid.width / stride);
  const out = new Float64Array(oh * ow);
  for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) out[i * ow + j] = grid.data[i * stride * grid.width + j * stride];
  return { height: oh, width: ow, data: out };
}
