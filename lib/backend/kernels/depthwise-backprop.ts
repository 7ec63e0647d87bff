/**
 * DepthwiseConv2dNative gradients for the wasm backend (missing in tfjs-backend-wasm 4.22),
 * written as depthwise convolutions wasm runs natively.
 *
 * - Input gradient: a depthwise convolution of dy (zeros inserted when strided) with the
 *   flipped filter, one output per (channel, multiplier), summed over the multiplier.
 * - Filter gradient: the input transposed to [1, H, W, inC*batch] convolved depthwise with dy
 *   transposed to [outH, outW, inC*batch, multiplier] as the filter (dilated by the stride,
 *   strided by the forward dilation), summed over the batch.
 *
 * Usage: `tf.registerKernel(depthwiseBackpropInputConfig)` (registerMissingWasmKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import { convSignedPads, inputGradientPads, pair, runWithTensors, zeroInsert } from './tensors';

type Shape4 = [number, number, number, number];

function shape4(shape: readonly number[], what: string): Shape4 {
  if (shape.length !== 4) throw new Error(`Depthwise conv gradient: ${what} must be rank 4 (NHWC), got shape [${shape.join(', ')}].`);
  return [shape[0], shape[1], shape[2], shape[3]];
}

/** The sizes both gradients of y = depthwiseConv2d(x, W) need (NHWC), from tfjs's Conv2DInfo. */
interface DepthwiseGeometry {
  n: number; inH: number; inW: number; inC: number;
  fH: number; fW: number; mult: number; dH: number; dW: number;
  sH: number; sW: number; outHeight: number; outWidth: number; top: number; left: number;
}

/** Reads x's and W's shapes (rank 4, named in errors as `xWhat` / `filterWhat`), dilations and padding. */
function geometryOf(
  xShape: readonly number[],
  xWhat: string,
  filterShape: readonly number[],
  filterWhat: string,
  a: Pick<tf.DepthwiseConv2dNativeBackpropFilterAttrs, 'strides' | 'dilations' | 'pad' | 'dimRoundingMode'>,
): DepthwiseGeometry {
  const [n, inH, inW, inC] = shape4(xShape, xWhat);
  const [fH, fW, , mult] = shape4(filterShape, filterWhat);
  const [dH, dW] = pair(a.dilations ?? 1);
  const info = tf.backend_util.computeConv2DInfo([n, inH, inW, inC], [fH, fW, inC, mult], a.strides, [dH, dW], a.pad, a.dimRoundingMode, true);
  const { strideHeight: sH, strideWidth: sW, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  return { n, inH, inW, inC, fH, fW, mult, dH, dW, sH, sW, outHeight, outWidth, top, left };
}

/**
 * dx for y = depthwiseConv2d(x, W): dy [N,outH,outW,C*M], W [fH,fW,C,M] → [N,H,W,C].
 *
 * Usage: kernel function for `DepthwiseConv2dNativeBackpropInput` on wasm.
 */
export const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const { n, inH, inW, inC, fH, fW, mult, dH, dW, sH, sW, outHeight, outWidth, top, left } = geometryOf(a.inputShape, 'inputShape', filter.shape, 'filter', a);
  const effH = (fH - 1) * dH + 1;
  const effW = (fW - 1) * dW + 1;
  const pads = inputGradientPads({ inH, inW, outH: outHeight, outW: outWidth, sH, sW, effH, effW, top, left });
  return runWithTensors(backend as tf.KernelBackend, [dy, filter], ([dyt, wt]) => {
    const dyUp = zeroInsert(dyt as tf.Tensor4D, sH, sW);
    const flipped = tf.reshape(tf.reverse(wt, [0, 1]), [fH, fW, inC * mult, 1]) as tf.Tensor4D;
    const perMultiplier = convSignedPads('depthwise', dyUp, flipped, pads, [1, 1], [dH, dW]); // [N,H,W,C*M]
    if (mult === 1) return perMultiplier;
    return tf.sum(tf.reshape(perMultiplier, [n, inH, inW, inC, mult]), 4);
  });
};

/**
 * dW for y = depthwiseConv2d(x, W): x [N,H,W,C], dy [N,outH,outW,C*M] → [fH,fW,C,M].
 *
 * Usage: kernel function for `DepthwiseConv2dNativeBackpropFilter` on wasm.
 */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const { n, inH, inW, inC, fH, fW, mult, dH, dW, sH, sW, outHeight, outWidth, top, left } = geometryOf(x.shape, 'x', a.filterShape, 'filterShape', a);
  const neededH = (outHeight - 1) * sH + (fH - 1) * dH + 1;
  const neededW = (outWidth - 1) * sW + (fW - 1) * dW + 1;
  const bottom = neededH - top - inH;
  const right = neededW - left - inW;
  // The inner convolution is strided by the forward dilation and dilated by the forward stride.
  const innerStrides: [number, number] = [fH > 1 ? dH : 1, fW > 1 ? dW : 1];
  const innerDilations: [number, number] = [outHeight > 1 ? sH : 1, outWidth > 1 ? sW : 1];
  if ((innerStrides[0] > 1 || innerStrides[1] > 1) && (innerDilations[0] > 1 || innerDilations[1] > 1)) {
    throw new Error(
      `DepthwiseConv2dNativeBackpropFilter on wasm: strides ${sH}x${sW} together with dilations ${dH}x${dW} are not supported; ` +
        'use either strides 1 or dilations 1 (tfjs requires the same for the forward gradient).',
    );
  }
  return runWithTensors(backend as tf.KernelBackend, [x, dy], ([xt, dyt]) => {
    let xs = tf.reshape(tf.transpose(xt, [1, 2, 3, 0]), [1, inH, inW, inC * n]) as tf.Tensor4D;
    if (bottom < 0 || right < 0) {
      xs = tf.slice(xs, [0, 0, 0, 0], [1, inH + Math.min(bottom, 0), inW + Math.min(right, 0), inC * n]);
    }
    const dyFilter = tf.reshape(
      tf.transpose(tf.reshape(dyt, [n, outHeight, outWidth, inC, mult]), [1, 2, 3, 0, 4]),
      [outHeight, outWidth, inC * n, mult],
    ) as tf.Tensor4D;
    const pads = { top, bottom: Math.max(bottom, 0), left, right: Math.max(right, 0) };
    const perSample = convSignedPads('depthwise', xs, dyFilter, pads, innerStrides, innerDilations); // [1,fH,fW,C*N*M]
    return tf.sum(tf.reshape(perSample, [fH, fW, inC, n, mult]), 3);
  });
};

/** `DepthwiseConv2dNativeBackpropInput` for wasm. Usage: `tf.registerKernel(depthwiseBackpropInputConfig)`. */
export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};

/** `DepthwiseConv2dNativeBackpropFilter` for wasm. Usage: `tf.registerKernel(depthwiseBackpropFilterConfig)`. */
export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};
