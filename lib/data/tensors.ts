/**
 * Image splits to tfjs tensors: x float32 (pixels / 255 by default), y int32 labels.
 *
 * Usage: `const { x, y } = toTensors(train, { flatten: true }); ...; tf.dispose([x, y]);`
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from './images';

/** How to build the tensors. */
export interface ToTensorsOptions {
  /** Divide pixels by 255 to get [0, 1] (default true); false keeps 0..255 as float32. */
  normalize?: boolean;
  /** Shape x as [n, height*width] instead of [n, height, width] (default false). */
  flatten?: boolean;
  /** Add a trailing channel axis: [n, height, width, 1] for convolutions (default false; not with flatten). */
  channels?: boolean;
}

/** The tensors of one split; the caller owns and disposes them. */
export interface SplitTensors {
  /** Pixels, float32: [n, h, w], [n, h*w] or [n, h, w, 1]. */
  x: tf.Tensor;
  /** Labels, int32 [n]. */
  y: tf.Tensor1D;
}

/**
 * Turns a split into tensors without intermediate tensors (nothing to tidy). The caller
 * disposes the result.
 *
 * Usage: `const { x, y } = toTensors(split, { normalize: true, flatten: true }); // x [n, 784]`
 */
export function toTensors(split: ImageSplit, options: ToTensorsOptions = {}): SplitTensors {
  const normalize = options.normalize ?? true;
  if (options.flatten && options.channels) throw new Error('toTensors: choose flatten (for dense layers) or channels (for convolutions), not both.');
  const px = split.height * split.width;
  if (split.images.length !== split.count * px || split.labels.length !== split.count) {
    throw new Error(`toTensors: the split says ${split.count} images of ${split.height}x${split.width} but holds ${split.images.length} pixels and ${split.labels.length} labels; build it with the data loaders or sliceSplit.`);
  }
  const values = new Float32Array(split.images.length);
  const scale = normalize ? 1 / 255 : 1;
  for (let i = 0; i < values.length; i++) values[i] = split.images[i] * scale;
  const shape = options.flatten
    ? [split.count, px]
    : options.channels
      ? [split.count, split.height, split.width, 1]
      : [split.count, split.height, split.width];
  const x = tf.tensor(values, shape, 'float32');
  const y = tf.tensor1d(Int32Array.from(split.labels), 'int32');
  return { x, y };
}

/**
 * One-hot labels, float32 [n, numClasses], for losses that want them (categoricalCrossentropy).
 *
 * Usage: `const y1 = oneHotLabels(split.labels, 10); ...; y1.dispose();`
 */
export function oneHotLabels(labels: ArrayLike<number>, numClasses: number): tf.Tensor2D {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) throw new Error(`oneHotLabels: label ${v} at ${i} is outside 0..${numClasses - 1}; pass the right numClasses.`);
    out[i * numClasses + v] = 1;
  }
  return tf.tensor2d(out, [labels.length, numClasses]);
}
