/**
 * The two operations every biased layer adds when it trains, in native code on the wasm heap:
 * Add of a [.., C] tensor and a [C] bias (wasm broadcasts element by element), and Sum over the
 * leading axes (the bias gradient: a [N, H, W, C] gradient summed to [C]; wasm transposes first).
 * Other Adds and Sums, and small ones (under MIN_ELEMENTS), stay on wasm. Also the row-wise Sub
 * of softmax (below).
 *
 * Usage: `registerBiasKernels(addon)` (enableOnednnKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import type { OnednnAddon } from './addon';
import { floatViews, sizeOf, type WasmHeapBackend } from './heap';
import { wrapWasmKernel } from './registry';

/** Below this many elements the wasm kernels are as fast (the call costs more than the work). */
export const MIN_ELEMENTS = 4096;

/** Whether `row`'s shape is [C] or [1, .., 1, C] with C the last axis of `full`, and no longer than it. */
function isBiasOf(row: readonly number[], full: readonly number[]): boolean {
  if (row.length === 0 || full.length < 2 || row.length > full.length) return false;
  const c = full[full.length - 1];
  return row[row.length - 1] === c && row.slice(0, -1).every((d) => d === 1) && full.slice(0, -1).some((d) => d > 1);
}

function addRow(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
    const [full, row] = isBiasOf(b.shape, a.shape) ? [a, b] : isBiasOf(a.shape, b.shape) ? [b, a] : [undefined, undefined];
    if (full === undefined || row === undefined || sizeOf(full.shape) < MIN_ELEMENTS) return undefined;
    const cols = full.shape[full.shape.length - 1];
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...full.shape], 'float32');
    const [xv, rv, ov] = floatViews(backend, [full, row, out]);
    addon.addRow(xv, rv, ov, [sizeOf(full.shape) / cols, cols]);
    return out;
  };
}

function sumLeading(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    if (x.dtype !== 'float32' || x.shape.length < 2 || sizeOf(x.shape) < MIN_ELEMENTS) return undefined;
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
    const k = axes.length;
    if (k === 0 || k >= x.shape.length || axes.some((ax, i) => ax !== i)) return undefined;
    const rows = sizeOf(x.shape.slice(0, k));
    const cols = sizeOf(x.shape.slice(k));
    const outShape = keepDims ? [...new Array<number>(k).fill(1), ...x.shape.slice(k)] : x.shape.slice(k);
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput(outShape, 'float32');
    const [xv, ov] = floatViews(backend, [x, out]);
    addon.sumRows(xv, ov, [rows, cols]);
    return out;
  };
}

/**
 * Sub of a [.., R, C] tensor and its [.., R, 1] row statistic (softmax and log-softmax subtract
 * each row's maximum): wasm sends even a 32x10 one to its thread pool, which costs milliseconds
 * when the pool's threads wait for a busy core; here it is one pass on the calling thread.
 */
function subColumn(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { a, b } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || a.shape.length !== b.shape.length) return undefined;
    const r = a.shape.length;
    if (b.shape[r - 1] !== 1 || a.shape[r - 1] === 1 || b.shape.slice(0, -1).some((d, i) => d !== a.shape[i]) || sizeOf(a.shape) === 0) return undefined;
    const cols = a.shape[r - 1];
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...a.shape], 'float32');
    const [xv, cv, ov] = floatViews(backend, [a, b, out]);
    addon.subColumn(xv, cv, ov, [sizeOf(a.shape) / cols, cols]);
    return out;
  };
}

/** The kernels this module serves. Usage: `ONEDNN_BIAS_KERNELS.includes('Sum')` */
export const ONEDNN_BIAS_KERNELS: readonly string[] = [tf.Add, tf.Sum, tf.Sub];

/**
 * Wraps wasm's Add, Sum and Sub with the native bias add, bias gradient and row Sub (idempotent).
 *
 * Usage: `registerBiasKernels(loadOnednnAddon().addon)`
 */
export function registerBiasKernels(addon: OnednnAddon): void {
  wrapWasmKernel(tf.Add, addRow(addon));
  wrapWasmKernel(tf.Sum, sumLeading(addon));
  wrapWasmKernel(tf.Sub, subColumn(addon));
}
