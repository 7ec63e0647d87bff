/**
 * Image data sets in memory: a split is unsigned-byte pixels plus labels. Helpers take
 * prefixes, subsets and per-class selections without tfjs (tensors.ts turns a split into tensors).
 *
 * Usage: `const small = takeFirst(data.train, 500); countLabels(small.labels, 10);`
 */

/** One split of an image data set. */
export interface ImageSplit {
  /** Pixels 0..255, `count * height * width` bytes, image after image, row-major. */
  images: Uint8Array;
  /** One class index per image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
}

/** A data set with its official train and test splits. */
export interface ImageDataset {
  train: ImageSplit;
  test: ImageSplit;
  /** Class names by label index. */
  classNames: readonly string[];
  /** Where the data came from, in words (folder or package). */
  source: string;
}

/**
 * Checks a `limit` option: undefined (everything) or a non-negative integer.
 *
 * Usage: `checkLimit(options.limit, 'loadFashionMnist limit')`
 */
export function checkLimit(limit: number | undefined, what: string): void {
  if (limit === undefined) return;
  if (!Number.isInteger(limit) || limit < 0) throw new Error(`${what} must be a non-negative integer (or left out for all), got ${limit}.`);
}

/** A copy of bytes start..end-1 that owns its buffer (also for a Node Buffer, whose slice is a view). */
function copyBytes(a: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(a, start, end);
}

/**
 * A copy of the images `start..end-1` of a split (clamped to the split).
 *
 * Usage: `const val = sliceSplit(train, 0, 5000);`
 */
export function sliceSplit(split: ImageSplit, start: number, end: number = split.count): ImageSplit {
  const s = Math.max(0, Math.min(split.count, start));
  const e = Math.max(s, Math.min(split.count, end));
  const px = split.height * split.width;
  return {
    images: copyBytes(split.images, s * px, e * px),
    labels: copyBytes(split.labels, s, e),
    count: e - s,
    height: split.height,
    width: split.width,
  };
}

/**
 * A copy of the first `limit` images (all when undefined or larger than the split).
 *
 * Usage: `const first500 = takeFirst(data.test, 500);`
 */
export function takeFirst(split: ImageSplit, limit?: number): ImageSplit {
  checkLimit(limit, 'takeFirst limit');
  return sliceSplit(split, 0, limit ?? split.count);
}

/**
 * A copy of the images at the given indices, in that order.
 *
 * Usage: `const some = pickImages(split, [0, 10, 20]);`
 */
export function pickImages(split: ImageSplit, indices: ArrayLike<number>): ImageSplit {
  const px = split.height * split.width;
  const n = indices.length;
  const images = new Uint8Array(n * px);
  const labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= split.count) throw new Error(`pickImages: index ${i} (position ${k}) is outside 0..${split.count - 1}.`);
    images.set(split.images.subarray(i * px, (i + 1) * px), k * px);
    labels[k] = split.labels[i];
  }
  return { images, labels, count: n, height: split.height, width: split.width };
}

/**
 * How many images each class has: element k counts label k.
 *
 * Usage: `countLabels(train.labels, 10) // [6000, 6000, ...]`
 */
export function countLabels(labels: ArrayLike<number>, numClasses: number): number[] {
  const out = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < 0 || v >= numClasses || !Number.isInteger(v)) throw new Error(`countLabels: label ${v} at ${i} is outside 0..${numClasses - 1}; pass the right numClasses.`);
    out[v]++;
  }
  return out;
}

/**
 * One image as a copy of its bytes (height * width).
 *
 * Usage: `const px = imageAt(test, 0);`
 */
export function imageAt(split: ImageSplit, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= split.count) throw new Error(`imageAt: index ${index} is outside 0..${split.count - 1}.`);
  const px = split.height * split.width;
  return copyBytes(split.images, index * px, (index + 1) * px);
}
