/**
 * A batch of images as one flat array of raw values, and the conversions that build it from
 * tensors, typed arrays and nested arrays.
 *
 * Usage:
 *   const batch = toImageBatch(xTrain.slice([0, 0, 0], [16, 28, 28]));   // 16 grayscale 28x28
 *   batch.count // 16
 */
import * as tf from '@tensorflow/tfjs';

/** Channels per pixel: 1 (grayscale) or 3 (RGB). */
export type Channels = 1 | 3;

/** `n` images of `height` x `width` x `channels` raw values, image-major, row-major (NHWC). */
export interface ImageBatch {
  count: number;
  height: number;
  width: number;
  channels: Channels;
  /** Raw values, length count * height * width * channels; any range (see `Normalize`). */
  data: Float32Array | Uint8Array;
}

/** Pixel arrays accepted where an image or a batch is expected (with a shape, see `ImageShape`). */
export type PixelArray = Float32Array | Float64Array | Uint8Array | Uint8ClampedArray | Int32Array | number[];

/** Nested plain arrays: one image as rows of values ([h][w]) or of pixels ([h][w][c]). */
export type NestedImage = number[][] | number[][][];

/** A dataset split as lib/data returns it (grayscale uint8 images, row-major). */
export interface SplitLike {
  images: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Anything that can be read as one image or as a batch of images. */
export type ImageSource = tf.Tensor | PixelArray | NestedImage | ImageBatch | SplitLike;

/** Height, width and channels of each image, needed when the source is a flat array. */
export interface ImageShape {
  height?: number;
  width?: number;
  channels?: Channels;
}

function isImageBatch(x: unknown): x is ImageBatch {
  return typeof x === 'object' && x !== null && 'count' in x && 'data' in x && 'height' in x && 'width' in x;
}

function isSplitLike(x: unknown): x is SplitLike {
  return typeof x === 'object' && x !== null && 'images' in x && (x as SplitLike).images instanceof Uint8Array && 'height' in x && 'width' in x && 'count' in x;
}

function checkChannels(c: number, where: string): Channels {
  if (c !== 1 && c !== 3) {
    throw new Error(`${where}: ${c} channels per pixel; images must have 1 (grayscale) or 3 (RGB) channels (slice the channels you want first).`);
  }
  return c;
}

function flattenNested(rows: NestedImage): { data: Float32Array; height: number; width: number; channels: Channels } {
  const height = rows.length;
  if (height === 0) throw new Error('toImageBatch: the nested array has no rows; pass at least one row of pixels.');
  const width = rows[0].length;
  const first = rows[0][0];
  const channels = checkChannels(Array.isArray(first) ? first.length : 1, 'toImageBatch');
  const data = new Float32Array(height * width * channels);
  let k = 0;
  for (let y = 0; y < height; y++) {
    const row = rows[y] as Array<number | number[]>;
    if (row.length !== width) {
      throw new Error(`toImageBatch: row ${y} has ${row.length} pixels but row 0 has ${width}; every row must have the same width.`);
    }
    for (const px of row) {
      if (Array.isArray(px)) {
        if (px.length !== channels) throw new Error(`toImageBatch: row ${y} has a pixel with ${px.length} channels, expected ${channels}.`);
        for (const v of px) data[k++] = v;
      } else {
        data[k++] = px;
      }
    }
  }
  return { data, height, width, channels };
}

/** Reads a tensor's shape as [count, height, width, channels] (see `toImageBatch` for the rules). */
function tensorLayout(shape: number[], hint: ImageShape, single: boolean): [number, number, number, Channels] {
  const where = `toImageBatch (tensor of shape [${shape.join(', ')}])`;
  switch (shape.length) {
    case 1: {
      const { height, width } = hint;
      const c = hint.channels ?? 1;
      if (height === undefined || width === undefined) {
        throw new Error(`${where}: a rank-1 tensor needs { height, width } to be read as images (e.g. { height: 28, width: 28 }).`);
      }
      const per = height * width * c;
      if (shape[0] % per !== 0) throw new Error(`${where}: ${shape[0]} values are not a whole number of ${height}x${width}x${c} images.`);
      return [shape[0] / per, height, width, c];
    }
    case 2:
      if (hint.height !== undefined && hint.width !== undefined && shape[1] === hint.height * hint.width * (hint.channels ?? 1)) {
        // [n, h*w*c]: flattened images, e.g. MNIST rows of 784 values.
        return [shape[0], hint.height, hint.width, hint.channels ?? 1];
      }
      return [1, shape[0], shape[1], 1];
    case 3:
      // [h, w, c] for one image (or when channels: 3 names the last axis), else [n, h, w].
      if (single || (hint.channels === 3 && shape[2] === 3)) return [1, shape[0], shape[1], checkChannels(shape[2], where)];
      return [shape[0], shape[1], shape[2], 1];
    case 4:
      return [shape[0], shape[1], shape[2], checkChannels(shape[3], where)];
    default:
      throw new Error(`${where}: images are rank 2 [h,w], 3 [n,h,w] or [h,w,c], or 4 [n,h,w,c]; reshape it first.`);
  }
}

/**
 * Reads images as a batch. Rules:
 * - tf.Tensor: rank 2 [h,w] is one image; rank 3 is [n,h,w] grayscale images, or one [h,w,c] image
 *   when `single` is true or `channels: 3` matches the last axis; rank 4 is [n,h,w,c];
 *   rank 2 [n, h*w*c] with `{height, width}` given is a batch of flattened images.
 *   The tensor is read (dataSync) and left to its owner to dispose.
 * - flat arrays (typed or number[]): need `{height, width}` (channels default 1); the length must be
 *   a whole number of images.
 * - nested arrays: one image [h][w] or [h][w][c].
 * - an ImageBatch is returned as it is; a dataset split ({ images, count, height, width }) is read as
 *   its grayscale images.
 *
 * Usage: `toImageBatch(new Uint8Array(2 * 9), { height: 3, width: 3 }).count // 2`
 */
export function toImageBatch(source: ImageSource, shape: ImageShape = {}, single = false): ImageBatch {
  if (isImageBatch(source)) {
    const { count, height, width, data } = source;
    const channels = checkChannels(source.channels, 'toImageBatch');
    for (const [name, v] of [['count', count], ['height', height], ['width', width]] as const) {
      if (!Number.isInteger(v) || v < (name === 'count' ? 0 : 1)) throw new Error(`toImageBatch: the ImageBatch's ${name} must be a whole number${name === 'count' ? '' : ' >= 1'}, got ${v}.`);
    }
    if (data.length !== count * height * width * channels) {
      throw new Error(
        `toImageBatch: the ImageBatch says ${count} images of ${height}x${width}x${channels} (${count * height * width * channels} values) but its data holds ${data.length}; fix count, height, width or channels, or the data.`,
      );
    }
    return source;
  }
  if (isSplitLike(source)) {
    const { images, count, height, width } = source;
    if (images.length !== count * height * width) {
      throw new Error(`toImageBatch: the split says ${count} images of ${height}x${width} but holds ${images.length} bytes; expected ${count * height * width}.`);
    }
    return { count, height, width, channels: 1, data: images };
  }
  if (source instanceof tf.Tensor) {
    if (source.isDisposed) throw new Error('toImageBatch: the tensor is already disposed; pass it before disposing it.');
    const [count, height, width, channels] = tensorLayout(source.shape, shape, single);
    const values = source.dataSync();
    const data = values instanceof Uint8Array ? new Uint8Array(values) : Float32Array.from(values as ArrayLike<number>);
    return { count, height, width, channels, data };
  }
  if (Array.isArray(source) && source.length > 0 && Array.isArray(source[0])) {
    const img = flattenNested(source as NestedImage);
    return { count: 1, ...img };
  }
  const flat = source as PixelArray;
  const { height, width } = shape;
  const channels = checkChannels(shape.channels ?? 1, 'toImageBatch');
  if (height === undefined || width === undefined || height <= 0 || width <= 0) {
    throw new Error('toImageBatch: a flat pixel array needs { height, width } (e.g. { height: 28, width: 28 }) to be read as images.');
  }
  const per = height * width * channels;
  if (flat.length === 0 || flat.length % per !== 0) {
    throw new Error(`toImageBatch: ${flat.length} values are not a whole number of ${height}x${width}x${channels} images (${per} values each); check height, width and channels.`);
  }
  const data = flat instanceof Uint8Array || flat instanceof Uint8ClampedArray ? new Uint8Array(flat) : Float32Array.from(flat);
  return { count: flat.length / per, height, width, channels, data };
}

/**
 * Joins several sources into one batch (all images must share height, width and channels).
 * Usage: `const batch = concatImages([imgA, imgB], { height: 28, width: 28 })`
 */
export function concatImages(sources: readonly ImageSource[], shape: ImageShape = {}): ImageBatch {
  if (sources.length === 0) throw new Error('concatImages: no images given; pass at least one image.');
  const batches = sources.map((s) => toImageBatch(s, shape, true));
  const { height, width, channels } = batches[0];
  for (const [i, b] of batches.entries()) {
    if (b.height !== height || b.width !== width || b.channels !== channels) {
      throw new Error(`concatImages: image ${i} is ${b.height}x${b.width}x${b.channels} but image 0 is ${height}x${width}x${channels}; resize them to one shape.`);
    }
  }
  const count = batches.reduce((s, b) => s + b.count, 0);
  const allBytes = batches.every((b) => b.data instanceof Uint8Array);
  const data = allBytes ? new Uint8Array(count * height * width * channels) : new Float32Array(count * height * width * channels);
  let offset = 0;
  for (const b of batches) {
    data.set(b.data, offset);
    offset += b.data.length;
  }
  return { count, height, width, channels, data };
}

function nestedDepth(x: unknown): number {
  let depth = 0;
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    depth += 1;
    cur = cur[0];
  }
  return depth;
}

/**
 * Reads a batch from one source (see `toImageBatch`) or from a list of single images.
 * Nested plain arrays: [h][w] is one image, [h][w][3] one RGB image when `channels: 3`,
 * otherwise [n][h][w] is a list of grayscale images, and [n][h][w][c] a list of images.
 *
 * Usage: `asBatch([tensorA, tensorB])`, `asBatch(xTest.slice(0, 10))`
 */
export function asBatch(source: ImageSource | readonly ImageSource[], shape: ImageShape = {}): ImageBatch {
  if (!Array.isArray(source)) return toImageBatch(source as ImageSource, shape);
  if (source.length === 0) throw new Error('asBatch: the list of images is empty; pass at least one image.');
  const first: unknown = source[0];
  if (first instanceof tf.Tensor || isImageBatch(first) || isSplitLike(first) || ArrayBuffer.isView(first)) {
    return concatImages(source as ImageSource[], shape);
  }
  const depth = nestedDepth(source);
  if (depth <= 1) return toImageBatch(source as number[], shape);
  if (depth === 2 || (depth === 3 && shape.channels === 3)) return toImageBatch(source as NestedImage, shape);
  if (depth === 3 || depth === 4) return concatImages(source as NestedImage[], shape);
  throw new Error(`asBatch: nested arrays ${depth} deep are not images; use [h][w], [h][w][c], [n][h][w] or [n][h][w][c].`);
}

/** One image of a batch, as a batch of one (a view, no copy). Usage: `imageOfBatch(batch, 3)` */
export function imageOfBatch(batch: ImageBatch, index: number): ImageBatch {
  if (!Number.isInteger(index) || index < 0 || index >= batch.count) {
    throw new Error(`imageOfBatch: index ${index} is out of range; the batch has ${batch.count} images (0..${batch.count - 1}).`);
  }
  const per = batch.height * batch.width * batch.channels;
  return { ...batch, count: 1, data: batch.data.subarray(index * per, (index + 1) * per) };
}
