/**
 * Views of tensors on the wasm backend's heap, for the addon to read and write in place.
 *
 * The threaded build's memory is a SharedArrayBuffer that grows by replacement, so each view is
 * built from the memory's current buffer (never a cached HEAPF32) right before the call, after
 * every output has been allocated.
 *
 * Usage: `const out = backend.makeOutput(shape, 'float32'); const [xv, ov] = floatViews(backend, [x, out]);`
 */
import type * as tf from '@tensorflow/tfjs';

/** What the oneDNN kernels use of the wasm backend beyond KernelBackend. */
export interface WasmHeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array; wasmMemory?: { buffer: ArrayBufferLike } };
}

/** The number of elements of a shape. Usage: `sizeOf([2, 3]) // 6` */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Float32Array views (no copy) of float32 tensors on the wasm heap.
 *
 * Usage: `const [a, b] = floatViews(backend, [aInfo, bInfo]);`
 */
export function floatViews(backend: WasmHeapBackend, infos: readonly tf.TensorInfo[]): Float32Array[] {
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
  return infos.map((info) => {
    if (info.dtype !== 'float32') throw new Error(`onednn: expected a float32 tensor, got ${info.dtype}.`);
    const entry = backend.dataIdMap.get(info.dataId);
    if (entry === undefined) throw new Error('onednn: a tensor is not on the wasm backend (was it disposed?).');
    return new Float32Array(buffer, entry.memoryOffset, sizeOf(info.shape));
  });
}
