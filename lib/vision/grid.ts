/**
 * A plain-number 2-D grid (one grey image, one kernel, one matrix): row-major Float64Array.
 * The hand-written convolutions work on this type, so that every number can be printed and
 * checked by hand; `gridToTensor` / `tensorToGrid` cross over to tfjs.
 *
 * Usage: `const g = gridFromRows([[1, 2], [3, 4]]); g.data[g.width * 1 + 0] // 3`
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageBatch } from '../images/batch';
import { markdownTable } from '../display';

/** A height x width array of numbers, row-major. */
export interface Grid {
  readonly height: number;
  readonly width: number;
  readonly data: Float64Array;
}

/**
 * Checks a size is a positive integer; throws an Error naming it otherwise.
 *
 * Usage: `checkSize('kernel size', k);`
 */
export function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

/**
 * A grid of zeros (or of `fill`).
 *
 * Usage: `const g = zerosGrid(3, 4);`
 */
export function zerosGrid(height: number, width: number, fill = 0): Grid {
  checkSize('height', height);
  checkSize('width', width);
  const data = new Float64Array(height * width);
  if (fill !== 0) data.fill(fill);
  return { height, width, data };
}

/**
 * A grid from nested rows; all rows must have the same length.
 *
 * Usage: `const k = gridFromRows([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]);`
 */
export function gridFromRows(rows: readonly (readonly number[])[]): Grid {
  if (rows.length === 0 || rows[0].length === 0) throw new Error('gridFromRows: give at least one row with at least one number.');
  const width = rows[0].length;
  const data = new Float64Array(rows.length * width);
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`gridFromRows: row ${i} has ${row.length} numbers but row 0 has ${width}; all rows must have the same length.`);
    row.forEach((v, j) => {
      data[i * width + j] = v;
    });
  });
  return { height: rows.length, width, data };
}

/**
 * Nested rows of a grid (for printing and for tests).
 *
 * Usage: `gridToRows(g) // [[1, 2], [3, 4]]`
 */
export function gridToRows(grid: Grid): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < grid.height; i++) rows.push(Array.from(grid.data.subarray(i * grid.width, (i + 1) * grid.width)));
  return rows;
}

/**
 * Element-wise map into a new grid.
 *
 * Usage: `const doubled = mapGrid(g, (v) => 2 * v);`
 */
export function mapGrid(grid: Grid, f: (value: number, index: number) => number): Grid {
  const data = new Float64Array(grid.data.length);
  for (let i = 0; i < data.length; i++) data[i] = f(grid.data[i], i);
  return { height: grid.height, width: grid.width, data };
}

/**
 * Element-wise combination of two grids of the same shape.
 *
 * Usage: `const diff = combineGrids(a, b, (x, y) => x - y);`
 */
export function combineGrids(a: Grid, b: Grid, f: (x: number, y: number) => number): Grid {
  if (a.height !== b.height || a.width !== b.width) {
    throw new Error(`combineGrids: shapes differ (${a.height}x${a.width} vs ${b.height}x${b.width}); give grids of the same shape.`);
  }
  return mapGrid(a, (v, i) => f(v, b.data[i]));
}

/** Smallest and largest value of a grid. Usage: `const { min, max } = gridRange(g);` */
export function gridRange(grid: Grid): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of grid.data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Rescales a grid linearly to [0, 1] (a constant grid becomes all zeros), for display.
 *
 * Usage: `const shown = normalizeGrid(gradient);`
 */
export function normalizeGrid(grid: Grid): Grid {
  const { min, max } = gridRange(grid);
  const span = max - min;
  return mapGrid(grid, (v) => (span > 0 ? (v - min) / span : 0));
}

/**
 * Clips every value into [lo, hi].
 *
 * Usage: `const shown = clipGrid(sharpened, 0, 1);`
 */
export function clipGrid(grid: Grid, lo: number, hi: number): Grid {
  if (!(lo <= hi)) throw new Error(`clipGrid: lo (${lo}) must not exceed hi (${hi}).`);
  return mapGrid(grid, (v) => Math.min(hi, Math.max(lo, v)));
}

/**
 * A float32 tensor of shape [height, width] holding the grid.
 *
 * Usage: `const t = gridToTensor(g); ...; t.dispose();`
 */
export function gridToTensor(grid: Grid): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(grid.data), [grid.height, grid.width], 'float32');
}

/**
 * A grid from a tensor of shape [h, w], [h, w, 1] or [1, h, w, 1] (read synchronously).
 *
 * Usage: `const g = tensorToGrid(t);`
 */
export function tensorToGrid(t: tf.Tensor): Grid {
  const shape = t.shape.filter((d, i) => !(d === 1 && (i === 0 || i === t.shape.length - 1) && t.shape.length > 2));
  if (shape.length !== 2) throw new Error(`tensorToGrid: expected shape [h, w], [h, w, 1] or [1, h, w, 1], got [${t.shape.join(', ')}].`);
  return { height: shape[0], width: shape[1], data: Float64Array.from(t.dataSync()) };
}

/**
 * Grids of one shape as a grey image batch for lib/images (showImageGrid, showImageRows).
 *
 * Usage: `showImageGrid(gridsToBatch([image, blurred]), { normalize: 'per-image', titles: ['original', 'blurred'] });`
 */
export function gridsToBatch(grids: readonly Grid[]): ImageBatch {
  if (grids.length === 0) throw new Error('gridsToBatch: give at least one grid.');
  const { height, width } = grids[0];
  const data = new Float32Array(grids.length * height * width);
  grids.forEach((g, i) => {
    if (g.height !== height || g.width !== width) {
      throw new Error(`gridsToBatch: grid ${i} is ${g.height}x${g.width} but grid 0 is ${height}x${width}; show grids of different sizes separately.`);
    }
    data.set(g.data, i * height * width);
  });
  return { count: grids.length, height, width, channels: 1, data };
}

/**
 * A grid as a Markdown table (small grids: kernels, the 4x4 example, G), numbers rounded.
 *
 * Usage: `showMarkdown(gridMarkdown(k));`
 */
export function gridMarkdown(grid: Grid, digits = 3): string {
  const fmt = (v: number): string => String(Number(v.toFixed(digits)));
  const header = Array.from({ length: grid.width }, (_, j) => String(j));
  return markdownTable(header, gridToRows(grid).map((r) => r.map(fmt)), { align: header.map(() => 'right') });
}
