/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on oneDNN, for NHWC float32
 * tensors on the wasm heap (read and written in place). NCHW, other dtypes, prelu and bias
 * shapes other than [outChannels] go to the wrapped wasm kernels.
 *
 * Usage: `registerConvKernels(addon)` (enableOnednnKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import { activationPlan, DEFAULT_LEAKY_ALPHA, finishActivation, type ActivationPlan } from './activation';
import type { OnednnAddon } from './addon';
import { floatViews, sizeOf, type WasmHeapBackend } from './heap';
import { wrapWasmKernel } from './registry';

type Shape4 = [number, number, number, number];

/** The addon's geometry array for a conv, or undefined when oneDNN cannot express it. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): number[] | undefined {
  if (info.dataFormat !== 'channelsLast') return undefined;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, filterHeight: fH, filterWidth: fW, outChannels: O, outHeight: oH, outWidth: oW } = info;
  const { strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left, bottom, right } = info.padInfo;
  if ([N, H, W, C, fH, fW, O, oH, oW].some((d) => d < 1) || top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;
  const effH = (fH - 1) * dH + 1;
  const effW = (fW - 1) * dW + 1;
  // oneDNN's output size is floor((in + pads - eff) / stride) + 1; anything else (ceil rounding) stays on wasm.
  if (Math.floor((H + top + bottom - effH) / sH) + 1 !== oH || Math.floor((W + left + right - effW) / sW) + 1 !== oW) return undefined;
  return [N, H, W, C, fH, fW, O, oH, oW, sH, sW, dH, dW, top, left, bottom, right];
}

function rank4(what: string, shape: readonly number[]): Shape4 {
  if (shape.length !== 4) throw new Error(`${what}: expected a rank-4 tensor, got shape [${shape.join(', ')}].`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Forward convolution (Conv2D, or FusedConv2D when `fused`). */
function forward(addon: OnednnAddon, fused: boolean) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as unknown as { x: tf.TensorInfo; filter: tf.TensorInfo; bias?: tf.TensorInfo | null; preluActivationWeights?: tf.TensorInfo | null };
    const a = args.attrs as unknown as tf.FusedConv2DAttrs;
    if (x.dtype !== 'float32' || filter.dtype !== 'float32' || (a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
    if (preluActivationWeights !== undefined && preluActivationWeights !== null) return undefined;
    const plan: ActivationPlan | undefined = fused ? activationPlan(a.activation) : { code: 0 };
    if (plan === undefined) return undefined;
    const fShape = rank4('Conv2D filter', filter.shape);
    const info = tf.backend_util.computeConv2DInfo(rank4('Conv2D input', x.shape), fShape, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    if (x.shape[3] !== fShape[2]) throw new Error(`Conv2D: the input has ${x.shape[3]} channels but the filter expects ${fShape[2]} (filter shape [${fShape.join(', ')}]).`);
    const withBias = bias !== undefined && bias !== null;
    if (withBias && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== fShape[3] || bias.shape[bias.shape.length - 1] !== fShape[3])) return undefined;
    const geometry = convGeometry(info);
    if (geometry === undefined || sizeOf(x.shape) === 0) return undefined;
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...info.outShape], 'float32');
    const views = floatViews(backend, withBias ? [x, filter, out, bias] : [x, filter, out]);
    addon.conv2d(views[0], views[1], withBias ? views[3] : null, views[2], geometry, plan.code, a.leakyreluAlpha ?? DEFAULT_LEAKY_ALPHA);
    return finishActivation(backend, out, plan);
  };
}

/** Conv2DBackpropInput: dx from dy and the filter. */
function backpropInput(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { dy, filter } = args.inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (dy.dtype !== 'float32' || filter.dtype !== 'float32' || (a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
    const inShape = rank4('Conv2DBackpropInput inputShape', a.inputShape);
    const info = tf.backend_util.computeConv2DInfo(inShape, rank4('Conv2DBackpropInput filter', filter.shape), a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    if (!sameShape(dy.shape, info.outShape)) {
      throw new Error(`Conv2DBackpropInput: dy has shape [${dy.shape.join(', ')}] but the convolution's output has shape [${info.outShape.join(', ')}].`);
    }
    if (inShape[3] !== filter.shape[2]) throw new Error(`Conv2DBackpropInput: the input has ${inShape[3]} channels but the filter expects ${filter.shape[2]}.`);
    const geometry = convGeometry(info);
    if (geometry === undefined || sizeOf(inShape) === 0) return undefined;
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...inShape], 'float32');
    const [dyv, fv, ov] = floatViews(backend, [dy, filter, out]);
    addon.conv2dBackpropInput(dyv, fv, ov, geometry);
    return out;
  };
}

/** Conv2DBackpropFilter: dW from x and dy. */
function backpropFilter(addon: OnednnAddon) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { x, dy } = args.inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (x.dtype !== 'float32' || dy.dtype !== 'float32' || (a.dataFormat ?? 'NHWC') !== 'NHWC') return undefined;
    const fShape = rank4('Conv2DBackpropFilter filterShape', a.filterShape);
    const info = tf.backend_util.computeConv2DInfo(rank4('Conv2DBackpropFilter input', x.shape), fShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
    if (!sameShape(dy.shape, info.outShape)) {
      throw new Error(`Conv2DBackpropFilter: dy has shape [${dy.shape.join(', ')}] but the convolution's output has shape [${info.outShape.join(', ')}].`);
    }
    if (x.shape[3] !== fShape[2]) throw new Error(`Conv2DBackpropFilter: the input has ${x.shape[3]} channels but the filter shape [${fShape.join(', ')}] expects ${fShape[2]}.`);
    const geometry = convGeometry(info);
    if (geometry === undefined || sizeOf(x.shape) === 0) return undefined;
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...fShape], 'float32');
    const [xv, dyv, ov] = floatViews(backend, [x, dy, out]);
    addon.conv2dBackpropFilter(xv, dyv, ov, geometry);
    return out;
  };
}

/** The convolution kernels this module serves. Usage: `ONEDNN_CONV_KERNELS.includes('Conv2D')` */
export const ONEDNN_CONV_KERNELS: readonly string[] = [tf.Conv2D, tf.FusedConv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter];

/**
 * Wraps wasm's convolution kernels with the oneDNN ones (idempotent).
 *
 * Usage: `registerConvKernels(loadOnednnAddon().addon)`
 */
export function registerConvKernels(addon: OnednnAddon): void {
  wrapWasmKernel(tf.Conv2D, forward(addon, false));
  wrapWasmKernel(tf.FusedConv2D, forward(addon, true));
  wrapWasmKernel(tf.Conv2DBackpropInput, backpropInput(addon));
  wrapWasmKernel(tf.Conv2DBackpropFilter, backpropFilter(addon));
}
