/**
 * UnsortedSegmentSum for the wasm backend (missing in tfjs-backend-wasm 4.22; the gradient of
 * gather, hence of every Embedding layer, calls it). Written as a ScatterNd, which sums rows
 * that share an index; ids outside [0, numSegments) are dropped, as TensorFlow does.
 *
 * Usage: `tf.registerKernel(unsortedSegmentSumConfig)` (registerMissingWasmKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import { runWithTensors } from './tensors';

/**
 * out[s, ...] = sum of x[i, ...] over i with segmentIds[i] = s; segmentIds may have the shape
 * of x's leading axes.
 *
 * Usage: kernel function for `UnsortedSegmentSum` on wasm.
 */
export const unsortedSegmentSum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as unknown as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}.`);
  }
  const idRank = segmentIds.shape.length;
  const leading = x.shape.slice(0, idRank);
  if (idRank === 0 || leading.some((d, i) => d !== segmentIds.shape[i])) {
    throw new Error(
      `UnsortedSegmentSum: segmentIds shape [${segmentIds.shape.join(', ')}] must match the leading axes of x [${x.shape.join(', ')}].`,
    );
  }
  const rows = leading.reduce((p, d) => p * d, 1);
  const rest = x.shape.slice(idRank);
  const outShape = [numSegments, ...rest];
  return runWithTensors(backend as tf.KernelBackend, [x, segmentIds], ([xt, idst]) => {
    if (rows === 0 || numSegments === 0) return tf.zeros(outShape, xt.dtype);
    const flatX = tf.reshape(xt, [rows, ...rest]);
    const ids = tf.reshape(idst.dtype === 'int32' ? idst : tf.cast(idst, 'int32'), [rows]);
    const values = ids.dataSync() as Int32Array;
    const keep: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] >= 0 && values[i] < numSegments) keep.push(i);
    if (keep.length === 0) return tf.zeros(outShape, xt.dtype);
    if (keep.length === rows) return tf.scatterND(tf.reshape(ids, [rows, 1]), flatX, outShape);
    const rowsKept = tf.tensor1d(keep, 'int32');
    return tf.scatterND(tf.reshape(tf.gather(ids, rowsKept), [keep.length, 1]), tf.gather(flatX, rowsKept), outShape);
  });
};

/** `UnsortedSegmentSum` for wasm. Usage: `tf.registerKernel(unsortedSegmentSumConfig)`. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};
