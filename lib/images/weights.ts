/**
 * What a layer learned, as images: hidden-unit weight tiles (each column of a [h*w, k] weight
 * matrix as an h x w tile) and feature maps (each channel of an [h, w, c] activation).
 *
 * Usage:
 *   showWeightImages(dense.getWeights()[0], { height: 28, width: 28, units: 32 });
 *   showFeatureMaps(convOut);   // convOut: [1, h, w, c] or [h, w, c]
 */
import * as tf from '@tensorflow/tfjs';
import { showBundle } from '../display';
import type { ImageBatch, PixelArray } from './batch';
import { imageTilesHtml, type TileOptions } from './html';

/** A 2-D matrix given as a tensor or as flat row-major values with its shape. */
export type MatrixSource = tf.Tensor | { data: PixelArray; shape: readonly [number, number] };

function readMatrix(m: MatrixSource, where: string): { data: ArrayLike<number>; rows: number; cols: number } {
  if (m instanceof tf.Tensor) {
    if (m.isDisposed) throw new Error(`${where}: the tensor is already disposed; pass it before disposing it.`);
    if (m.rank !== 2) throw new Error(`${where}: expected a rank-2 weight matrix [inputs, units], got shape [${m.shape.join(', ')}].`);
    const [rows, cols] = m.shape as [number, number];
    return { data: m.dataSync() as ArrayLike<number>, rows, cols };
  }
  const [rows, cols] = m.shape;
  if (m.data.length !== rows * cols) throw new Error(`${where}: ${m.data.length} values for shape [${rows}, ${cols}]; expected ${rows * cols}.`);
  return { data: m.data, rows, cols };
}

/** Options for weight tiles. */
export interface WeightImageOptions {
  /** Tile height (default 28). */
  height?: number;
  /** Tile width (default 28). */
  width?: number;
  /** How many units (columns) to show, from the first (default all). */
  units?: number;
}

/**
 * Each column of a [height*width, k] weight matrix (inputs x units, Keras's Dense kernel) as an
 * height x width tile: the input pattern that excites that hidden unit most. Raw weights are
 * returned; draw them with normalize 'per-image' (each tile stretched to its own range).
 * Usage: `const tiles = weightImages(kernel, { height: 28, width: 28, units: 16 })`
 */
export function weightImages(weights: MatrixSource, options: WeightImageOptions = {}): ImageBatch {
  const height = options.height ?? 28;
  const width = options.width ?? 28;
  const { data, rows, cols } = readMatrix(weights, 'weightImages');
  if (rows !== height * width) {
    throw new Error(`weightImages: the matrix has ${rows} rows (inputs) but tiles of ${height}x${width} need ${height * width}; pass { height, width } that match, or transpose a [units, inputs] matrix.`);
  }
  const count = Math.min(options.units ?? cols, cols);
  if (count < 1) throw new Error(`weightImages: units=${options.units} must be >= 1.`);
  const out = new Float32Array(count * rows);
  for (let u = 0; u < count; u++) {
    for (let i = 0; i < rows; i++) out[u * rows + i] = data[i * cols + u];
  }
  return { count, height, width, channels: 1, data: out };
}

/**
 * The channels of one activation ([h, w, c] or [1, h, w, c]) as c grayscale tiles.
 * Usage: `const maps = featureMapImages(model.predict(x.slice(0, 1)) as tf.Tensor)`
 */
export function featureMapImages(activation: tf.Tensor, options: { maps?: number } = {}): ImageBatch {
  if (activation.isDisposed) throw new Error('featureMapImages: the tensor is already disposed; pass it before disposing it.');
  let shape = activation.shape;
  if (shape.length === 4) {
    if (shape[0] !== 1) throw new Error(`featureMapImages: a batch of ${shape[0]} activations; slice one example first (shape [1, h, w, c]).`);
    shape = shape.slice(1);
  }
  if (shape.length !== 3) throw new Error(`featureMapImages: expected [h, w, c] or [1, h, w, c], got [${activation.shape.join(', ')}].`);
  const [height, width, channels] = shape;
  const count = Math.min(options.maps ?? channels, channels);
  const data = activation.dataSync() as ArrayLike<number>;
  const out = new Float32Array(count * height * width);
  for (let c = 0; c < count; c++) {
    for (let p = 0; p < height * width; p++) out[c * height * width + p] = data[p * channels + c];
  }
  return { count, height, width, channels: 1, data: out };
}

/**
 * Displays hidden-unit weight tiles, each normalised to its own range, captioned "unit i".
 * Usage: `showWeightImages(kernel, { units: 32, scale: 2, cols: 8 })`
 */
export function showWeightImages(weights: MatrixSource, options: WeightImageOptions & TileOptions = {}): void {
  const batch = weightImages(weights, options);
  const titles = options.titles ?? Array.from({ length: batch.count }, (_, i) => `unit ${i}`);
  const html = imageTilesHtml(batch, { normalize: 'per-image', scale: 2, cols: 8, ...options, titles });
  showBundle({ 'text/html': html, 'text/plain': `${options.title ? `${options.title}: ` : ''}weights of ${batch.count} hidden units as ${batch.height}x${batch.width} tiles` });
}

/**
 * Displays the feature maps of one example, each normalised to its own range, captioned "map i".
 * Usage: `showFeatureMaps(activation, { maps: 16, scale: 3 })`
 */
export function showFeatureMaps(activation: tf.Tensor, options: { maps?: number } & TileOptions = {}): void {
  const batch = featureMapImages(activation, options);
  const titles = options.titles ?? Array.from({ length: batch.count }, (_, i) => `map ${i}`);
  const html = imageTilesHtml(batch, { normalize: 'per-image', scale: 2, cols: 8, ...options, titles });
  showBundle({ 'text/html': html, 'text/plain': `${options.title ? `${options.title}: ` : ''}${batch.count} feature maps ${batch.height}x${batch.width}` });
}
