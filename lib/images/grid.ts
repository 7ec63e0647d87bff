/**
 * Image grids as one PNG: tiles laid out in rows and columns, upscaled, with a gap between them.
 *
 * Usage:
 *   const png = gridPng(xTrain.slice([0, 0, 0], [20, 28, 28]), { cols: 10, scale: 2 });
 *   const one = imagePng(image, { scale: 4, cmap: 'binary' });
 */
import { asBatch, type Channels, type ImageBatch, type ImageShape, type ImageSource } from './batch';
import { toBytes, type ColorMap, type Normalize } from './normalize';
import { encodePng, upscaleNearest } from './png';

/** How to read and draw images. */
export interface ImageOptions extends ImageShape {
  /** Whole-number nearest-neighbour upscaling (default 1; 3 makes 28x28 digits 84x84). */
  scale?: number;
  /** Value range handling (default 'auto', see `Normalize`). */
  normalize?: Normalize;
  /** 'gray' (0 black, default) or 'binary' (0 white, like the seeds' plots). */
  cmap?: ColorMap;
}

/** Grid layout on top of `ImageOptions`. */
export interface GridOptions extends ImageOptions {
  /** Rows; default ceil(count / cols). */
  rows?: number;
  /** Columns; default min(count, 10), or ceil(count / rows) when rows is given. */
  cols?: number;
  /** Pixels between tiles (after scaling), default 2. */
  gap?: number;
  /** Gap and empty-cell gray level 0..255, default 255 (white). */
  background?: number;
}

/** Rows and columns for `count` tiles. Usage: `gridShape(20, { cols: 10 }) // { rows: 2, cols: 10 }` */
export function gridShape(count: number, options: { rows?: number; cols?: number } = {}): { rows: number; cols: number } {
  const { rows, cols } = options;
  for (const [name, v] of [['rows', rows], ['cols', cols]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`gridShape: ${name}=${v} must be a whole number >= 1.`);
  }
  if (count < 1) throw new Error('gridShape: no images to lay out; pass at least one image.');
  if (rows !== undefined && cols !== undefined) {
    if (rows * cols < count) {
      throw new Error(`gridShape: a ${rows}x${cols} grid has ${rows * cols} cells but there are ${count} images; give more rows/cols or fewer images.`);
    }
    return { rows, cols };
  }
  if (rows !== undefined) return { rows, cols: Math.ceil(count / rows) };
  const c = cols ?? Math.min(count, 10);
  return { rows: Math.ceil(count / c), cols: c };
}

/** Raw grid pixels before PNG encoding. */
export interface GridPixels {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: Channels;
}

/**
 * Lays a batch out as one image (row-major: image i goes to row floor(i / cols), column i % cols).
 * Usage: `renderGrid(batch, { cols: 5, scale: 2 }).width`
 */
export function renderGrid(batch: ImageBatch, options: GridOptions = {}): GridPixels {
  const scale = options.scale ?? 1;
  const gap = options.gap ?? 2;
  const background = options.background ?? 255;
  if (!Number.isInteger(gap) || gap < 0) throw new Error(`renderGrid: gap ${gap} must be a whole number of pixels >= 0.`);
  if (!(background >= 0 && background <= 255)) throw new Error(`renderGrid: background ${background} must be a gray level in 0..255.`);
  const { rows, cols } = gridShape(batch.count, options);
  const bytes = toBytes(batch, options.normalize ?? 'auto', options.cmap ?? 'gray');
  const { channels } = batch;
  const tileW = batch.width * scale;
  const tileH = batch.height * scale;
  const width = cols * tileW + (cols - 1) * gap;
  const height = rows * tileH + (rows - 1) * gap;
  const pixels = new Uint8Array(width * height * channels).fill(Math.round(background));
  const per = batch.height * batch.width * channels;
  for (let i = 0; i < batch.count; i++) {
    const tile = upscaleNearest(bytes.subarray(i * per, (i + 1) * per), batch.width, batch.height, channels, scale);
    const x0 = (i % cols) * (tileW + gap);
    const y0 = Math.floor(i / cols) * (tileH + gap);
    for (let y = 0; y < tileH; y++) {
      pixels.set(tile.subarray(y * tileW * channels, (y + 1) * tileW * channels), ((y0 + y) * width + x0) * channels);
    }
  }
  return { pixels, width, height, channels };
}

/**
 * One PNG with all images in a grid.
 * Usage: `gridPng(images, { rows: 2, cols: 10, height: 28, width: 28, scale: 2 })`
 */
export function gridPng(images: ImageSource | readonly ImageSource[], options: GridOptions = {}): Uint8Array {
  const g = renderGrid(asBatch(images, options), options);
  return encodePng(g.pixels, g.width, g.height, g.channels);
}

/**
 * Each image of a batch as its own PNG (normalised over the batch, or per image with
 * 'per-image'), for HTML tiles and plot thumbnails; `indices` encodes only those images.
 * Usage: `tilePngs(batch, { scale: 2 }).length === batch.count`
 */
export function tilePngs(images: ImageSource | readonly ImageSource[], options: ImageOptions & { indices?: readonly number[] } = {}): Uint8Array[] {
  const batch = asBatch(images, options);
  const scale = options.scale ?? 1;
  const bytes = toBytes(batch, options.normalize ?? 'auto', options.cmap ?? 'gray');
  const per = batch.height * batch.width * batch.channels;
  const out: Uint8Array[] = [];
  const indices = options.indices ?? Array.from({ length: batch.count }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= batch.count) {
      throw new Error(`tilePngs: index ${i} is out of range; the batch has ${batch.count} images (0..${batch.count - 1}).`);
    }
    const tile = upscaleNearest(bytes.subarray(i * per, (i + 1) * per), batch.width, batch.height, batch.channels, scale);
    out.push(encodePng(tile, batch.width * scale, batch.height * scale, batch.channels));
  }
  return out;
}

/**
 * One image (or image `index` of a batch) as a PNG.
 * Usage: `imagePng(xTest.slice([0, 0, 0], [1, 28, 28]), { scale: 4 })`
 */
export function imagePng(image: ImageSource, options: ImageOptions & { index?: number } = {}): Uint8Array {
  // Normalised as part of its batch, so an image looks the same here as in a grid of the batch.
  return tilePngs(image, { ...options, indices: [options.index ?? 0] })[0];
}
