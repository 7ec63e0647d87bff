/**
 * Classic image filters from the seed: Sobel edge masks, the mean (box) filter, unsharp masking.
 * All use `convolve2d` with mode 'same' and the symmetric boundary by default, as the seed's
 * `signal.convolve2d(image, mask, boundary='symm', mode='same')`.
 *
 * Usage: `const { vertical, horizontal, magnitude } = sobelGradients(image);`
 */
import { Boundary, convolve2d } from './convolve';
import { Grid, checkSize, combineGrids, gridFromRows, mapGrid, zerosGrid } from './grid';

/** The vertical Sobel mask S_v (responds to vertical edges: left-right intensity changes). */
export const SOBEL_VERTICAL: Grid = gridFromRows([
  [-1, 0, 1],
  [-2, 0, 2],
  [-1, 0, 1],
]);

/** The horizontal Sobel mask S_h (responds to horizontal edges: top-bottom intensity changes). */
export const SOBEL_HORIZONTAL: Grid = gridFromRows([
  [-1, -2, -1],
  [0, 0, 0],
  [1, 2, 1],
]);

/**
 * A size x size mean filter: every weight 1 / size^2 (the seed uses size 10).
 *
 * Usage: `const m = meanFilter(10); // 10x10, each 0.01`
 */
export function meanFilter(size: number): Grid {
  checkSize('meanFilter size', size);
  return zerosGrid(size, size, 1 / (size * size));
}

export interface FilterOptions {
  /** Default 'symm', as in the seed. */
  boundary?: Boundary;
}

/** The result of `sobelGradients`. */
export interface SobelGradients {
  /** Image convolved with S_v. */
  vertical: Grid;
  /** Image convolved with S_h. */
  horizontal: Grid;
  /** sqrt(vertical^2 + horizontal^2). */
  magnitude: Grid;
}

/**
 * Vertical and horizontal Sobel gradients and their magnitude ('same' size).
 *
 * Usage: `const g = sobelGradients(image); showPng(gridToPng(normalizeGrid(g.magnitude)));`
 */
export function sobelGradients(image: Grid, options: FilterOptions = {}): SobelGradients {
  const boundary = options.boundary ?? 'symm';
  const vertical = convolve2d(image, SOBEL_VERTICAL, { mode: 'same', boundary });
  const horizontal = convolve2d(image, SOBEL_HORIZONTAL, { mode: 'same', boundary });
  const magnitude = combineGrids(vertical, horizontal, (a, b) => Math.hypot(a, b));
  return { vertical, horizontal, magnitude };
}

/**
 * Blurs with a size x size mean filter ('same' size).
 *
 * Usage: `const blurred = meanBlur(image, 10);`
 */
export function meanBlur(image: Grid, size: number, options: FilterOptions = {}): Grid {
  return convolve2d(image, meanFilter(size), { mode: 'same', boundary: options.boundary ?? 'symm' });
}

export interface UnsharpOptions extends FilterOptions {
  /** Mean-filter size (default 10, the seed's). */
  size?: number;
  /** How much of the detail (image - blur) to add back (default 1: the seed's image + (image - blur)). */
  amount?: number;
}

/** The result of `unsharpMask`: the blur, the detail it removed, and the sharpened image. */
export interface UnsharpResult {
  blurred: Grid;
  detail: Grid;
  sharpened: Grid;
}

/**
 * Unsharp masking: sharpened = image + amount * (image - meanBlur(image)).
 *
 * Usage: `const { sharpened } = unsharpMask(image, { size: 10, amount: 1 });`
 */
export function unsharpMask(image: Grid, options: UnsharpOptions = {}): UnsharpResult {
  const amount = options.amount ?? 1;
  if (!Number.isFinite(amount)) throw new Error(`unsharpMask: amount must be a finite number, got ${amount}.`);
  const blurred = meanBlur(image, options.size ?? 10, options);
  const detail = combineGrids(image, blurred, (a, b) => a - b);
  const sharpened = combineGrids(image, detail, (a, d) => a + amount * d);
  return { blurred, detail, sharpened };
}

/**
 * Absolute value of every pixel (gradients are signed; their magnitude is what the seed shows).
 *
 * Usage: `const shown = absGrid(gradV);`
 */
export function absGrid(grid: Grid): Grid {
  return mapGrid(grid, Math.abs);
}
