/**
 * 2-D convolution by hand, with the modes and boundaries of scipy.signal.convolve2d:
 * `mode` 'full' | 'same' | 'valid', `boundary` 'fill' (zeros or `fillValue`) | 'symm'
 * (mirror including the edge pixel: ... b a | a b c | c b ...) | 'wrap' (circular).
 *
 * True convolution flips the kernel: out(x, y) = sum_s sum_t k(s, t) I(x - s, y - t).
 * Cross-correlation (what a CNN layer and tf.conv2d compute) does not flip:
 * out(x, y) = sum_s sum_t k(s, t) I(x + s, y + t).
 *
 * Usage: `const gradV = convolve2d(image, SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' });`
 */
import * as tf from '@tensorflow/tfjs';
import { Grid, gridToTensor, tensorToGrid } from './grid';

/** Output size, as in scipy.signal: 'full' (n + k - 1), 'same' (n), 'valid' (n - k + 1). */
export type ConvMode = 'full' | 'same' | 'valid';
/** How pixels outside the image are read. */
export type Boundary = 'fill' | 'symm' | 'wrap';

export interface ConvolveOptions {
  /** Default 'full' (scipy's default). */
  mode?: ConvMode;
  /** Default 'fill'. */
  boundary?: Boundary;
  /** The value outside the image for boundary 'fill' (default 0). */
  fillValue?: number;
}

const MODES: readonly ConvMode[] = ['full', 'same', 'valid'];
const BOUNDARIES: readonly Boundary[] = ['fill', 'symm', 'wrap'];

/** Maps an index outside [0, n) into it, or returns -1 for 'fill'. */
function boundaryIndex(i: number, n: number, boundary: Boundary): number {
  if (i >= 0 && i < n) return i;
  if (boundary === 'fill') return -1;
  if (boundary === 'wrap') return ((i % n) + n) % n;
  // 'symm': reflect about the edges, edge pixel repeated; period 2n.
  let j = ((i % (2 * n)) + 2 * n) % (2 * n);
  if (j >= n) j = 2 * n - 1 - j;
  return j;
}

function check(image: Grid, kernel: Grid, options: ConvolveOptions): Required<ConvolveOptions> {
  const mode = options.mode ?? 'full';
  const boundary = options.boundary ?? 'fill';
  if (!MODES.includes(mode)) throw new Error(`mode '${mode}' is not known: use one of ${MODES.join(', ')}.`);
  if (!BOUNDARIES.includes(boundary)) throw new Error(`boundary '${boundary}' is not known: use one of ${BOUNDARIES.join(', ')}.`);
  for (const [what, g] of [['image', image], ['kernel', kernel]] as const) {
    if (g === null || typeof g !== 'object') throw new Error(`the ${what} must be a grid { height, width, data }, got ${g === null ? 'null' : typeof g}; build it with gridFromRows or zerosGrid.`);
    if (!Number.isInteger(g.height) || !Number.isInteger(g.width) || g.height < 1 || g.width < 1 || g.data?.length !== g.height * g.width) {
      throw new Error(`the ${what} grid says ${g.height}x${g.width} but holds ${g.data?.length} values; build grids with gridFromRows or zerosGrid.`);
    }
  }
  if (mode === 'valid' && (kernel.height > image.height || kernel.width > image.width)) {
    throw new Error(
      `mode 'valid' needs a kernel no larger than the image: kernel ${kernel.height}x${kernel.width}, image ${image.height}x${image.width}; use mode 'same' or 'full'.`,
    );
  }
  return { mode, boundary, fillValue: options.fillValue ?? 0 };
}

/**
 * Output size and the offset of output pixel 0 inside the 'full' result. In 'same' mode an
 * even-sized kernel cannot be centred: SciPy (convolve2d and correlate2d) and tf.conv2d put the
 * extra padding after the image for a correlation, i.e. the kernel's first tap sits
 * floor((k - 1) / 2) pixels before the output pixel. Convolution flips the kernel, so its offset
 * in the 'full' result is floor((k - 1) / 2), and a correlation's is ceil((k - 1) / 2).
 *
 * Usage: `convGeometry(28, 4, 'same', false) // { size: 28, offset: 2 }`
 */
export function convGeometry(n: number, k: number, mode: ConvMode, flip: boolean): { size: number; offset: number } {
  if (mode === 'full') return { size: n + k - 1, offset: 0 };
  if (mode === 'valid') return { size: n - k + 1, offset: k - 1 };
  return { size: n, offset: flip ? Math.floor((k - 1) / 2) : Math.ceil((k - 1) / 2) };
}

function convolveCore(image: Grid, kernel: Grid, options: ConvolveOptions, flip: boolean): Grid {
  const { mode, boundary, fillValue } = check(image, kernel, options);
  const H = image.height;
  const W = image.width;
  const kh = kernel.height;
  const kw = kernel.width;
  // Correlation with k equals convolution with k flipped; work with the flipped kernel so that
  // one loop serves both: out[i][j] = sum_{s,t} kf[s][t] * I[i + off - s][j + off - t].
  const kd = kernel.data;
  const kf = new Float64Array(kh * kw);
  for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) kf[s * kw + t] = flip ? kd[s * kw + t] : kd[(kh - 1 - s) * kw + (kw - 1 - t)];
  const gy = convGeometry(H, kh, mode, flip);
  const gx = convGeometry(W, kw, mode, flip);
  const out = new Float64Array(gy.size * gx.size);
  const rowIdx = new Int32Array(kh);
  const colIdx = new Int32Array(kw);
  for (let i = 0; i < gy.size; i++) {
    for (let s = 0; s < kh; s++) rowIdx[s] = boundaryIndex(i + gy.offset - s, H, boundary);
    for (let j = 0; j < gx.size; j++) {
      for (let t = 0; t < kw; t++) colIdx[t] = boundaryIndex(j + gx.offset - t, W, boundary);
      let acc = 0;
      for (let s = 0; s < kh; s++) {
        const r = rowIdx[s];
        for (let t = 0; t < kw; t++) {
          const c = colIdx[t];
          const v = r < 0 || c < 0 ? fillValue : image.data[r * W + c];
          acc += kf[s * kw + t] * v;
        }
      }
      out[i * gx.size + j] = acc;
    }
  }
  return { height: gy.size, width: gx.size, data: out };
}

/**
 * True 2-D convolution (kernel flipped), scipy.signal.convolve2d semantics.
 *
 * Usage: `const blur = convolve2d(image, meanFilter(10), { mode: 'same', boundary: 'symm' });`
 */
export function convolve2d(image: Grid, kernel: Grid, options: ConvolveOptions = {}): Grid {
  return convolveCore(image, kernel, options, true);
}

/**
 * 2-D cross-correlation (no flip): what CNN layers and tf.conv2d compute,
 * scipy.signal.correlate2d semantics.
 *
 * Usage: `const out = correlate2d(image, kernel, { mode: 'valid' });`
 */
export function correlate2d(image: Grid, kernel: Grid, options: ConvolveOptions = {}): Grid {
  return convolveCore(image, kernel, options, false);
}

/**
 * The kernel turned by 180 degrees (flipped up-down and left-right): convolving with k is
 * correlating with flipKernel(k).
 *
 * Usage: `const kf = flipKernel(k);`
 */
export function flipKernel(kernel: Grid): Grid {
  const n = kernel.data.length;
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = kernel.data[n - 1 - i];
  return { height: kernel.height, width: kernel.width, data };
}

/**
 * The same convolution computed by TensorFlow.js: pad (tf.mirrorPad 'symmetric' for 'symm',
 * zeros for 'fill'), then tf.conv2d (a correlation) with the flipped kernel, 'valid'.
 * A cross-check of `convolve2d`; float32, so agreement is to about 1e-5 relative.
 * Boundary 'wrap' and a non-zero fillValue are not supported here.
 *
 * Usage: `const viaTf = convolve2dTf(image, SOBEL_VERTICAL, { mode: 'same', boundary: 'symm' });`
 */
export function convolve2dTf(image: Grid, kernel: Grid, options: ConvolveOptions = {}): Grid {
  const { mode, boundary, fillValue } = check(image, kernel, options);
  if (boundary === 'wrap' || fillValue !== 0) {
    throw new Error("convolve2dTf supports boundary 'fill' with fillValue 0 and 'symm'; use convolve2d for 'wrap' or another fill value.");
  }
  const kh = kernel.height;
  const kw = kernel.width;
  // Padding before/after each axis so that a 'valid' correlation gives the wanted mode.
  const pads = (k: number): [number, number] => {
    if (mode === 'valid') return [0, 0];
    if (mode === 'full') return [k - 1, k - 1];
    const before = k - 1 - Math.floor((k - 1) / 2);
    return [before, k - 1 - before];
  };
  const [pt, pb] = pads(kh);
  const [pl, pr] = pads(kw);
  if (boundary === 'symm' && (pt > image.height || pb > image.height || pl > image.width || pr > image.width)) {
    throw new Error(`convolve2dTf: symmetric padding of ${Math.max(pt, pb, pl, pr)} exceeds the image size; use convolve2d.`);
  }
  const out = tf.tidy(() => {
    const x = gridToTensor(image);
    const padded =
      boundary === 'symm'
        ? tf.mirrorPad(x, [[pt, pb], [pl, pr]], 'symmetric')
        : tf.pad(x, [[pt, pb], [pl, pr]]);
    const k = gridToTensor(flipKernel(kernel)).reshape([kh, kw, 1, 1]) as tf.Tensor4D;
    const y = tf.conv2d(padded.reshape([1, padded.shape[0], padded.shape[1], 1]) as tf.Tensor4D, k, 1, 'valid');
    return y;
  });
  const grid = tensorToGrid(out);
  out.dispose();
  return grid;
}
