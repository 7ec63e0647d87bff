/**
 * MaxPoolGrad in native code for NHWC float32 tensors on the wasm heap: dy goes to the first
 * maximum (row-major) of each window, as the kernel it wraps (lib/backend/kernels' fast path) and
 * tfjs's cpu backend do; images run on oneDNN's OpenMP threads. Dilated pooling goes to wasm.
 *
 * Usage: `registerPoolKernels(addon)` (enableOnednnKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import type { OnednnAddon } from './addon';
import { floatViews, sizeOf, type WasmHeapBackend } from './heap';
import { wrapWasmKernel } from './registry';

function maxPoolGrad(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { dy, input } = args.inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const a = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) return undefined;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || info.dataFormat !== 'channelsLast') return undefined;
    if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== info.outShape[i])) {
      throw new Error(`MaxPoolGrad: dy has shape [${dy.shape.join(', ')}] but the pooling's output has shape [${info.outShape.join(', ')}].`);
    }
    const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
    const { top, left } = info.padInfo;
    if (sizeOf(input.shape) === 0 || sizeOf(dy.shape) === 0 || top < 0 || left < 0 || top >= filterHeight || left >= filterWidth) return undefined;
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...input.shape], 'float32');
    const [xv, dyv, ov] = floatViews(backend, [input, dy, out]);
    addon.maxPoolGrad(xv, dyv, ov, [batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, top, left]);
    return out;
  };
}

/** The pooling kernels this module serves. Usage: `ONEDNN_POOL_KERNELS.includes('MaxPoolGrad')` */
export const ONEDNN_POOL_KERNELS: readonly string[] = [tf.MaxPoolGrad];

/**
 * Wraps wasm's MaxPoolGrad with the native one (idempotent).
 *
 * Usage: `registerPoolKernels(loadOnednnAddon().addon)`
 */
export function registerPoolKernels(addon: OnednnAddon): void {
  wrapWasmKernel(tf.MaxPoolGrad, maxPoolGrad(addon));
}
