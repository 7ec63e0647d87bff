/**
 * Conv2D gradients for the wasm backend, written as ordinary (fast, XNNPACK) convolutions.
 *
 * - Conv2DBackpropFilter (missing in tfjs-backend-wasm 4.22): the filter gradient is a
 *   convolution of the padded input, transposed to [inC, H, W, batch], with dy, transposed to
 *   [outH, outW, batch, outC], as the filter, dilated by the stride.
 * - Conv2DBackpropInput (wasm has a slow scalar loop): the input gradient is a convolution of
 *   dy (zeros inserted between its rows/columns when strided) with the spatially flipped
 *   filter, its in/out channels swapped.
 *
 * Usage: `tf.registerKernel(conv2DBackpropFilterConfig)` (registerMissingWasmKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import { convSignedPads, runWithTensors, zeroInsert } from './tensors';

type Shape4 = [number, number, number, number];

/** NHWC shape of an input given in `dataFormat`. */
function toNhwcShape(shape: readonly number[], dataFormat: 'NHWC' | 'NCHW'): Shape4 {
  if (shape.length !== 4) throw new Error(`Conv2D gradient: expected a rank-4 input, got shape [${shape.join(', ')}].`);
  return dataFormat === 'NHWC' ? [shape[0], shape[1], shape[2], shape[3]] : [shape[0], shape[2], shape[3], shape[1]];
}

function toNhwc(t: tf.Tensor, dataFormat: 'NHWC' | 'NCHW'): tf.Tensor4D {
  return (dataFormat === 'NHWC' ? t : tf.transpose(t, [0, 2, 3, 1])) as tf.Tensor4D;
}

function fromNhwc(t: tf.Tensor4D, dataFormat: 'NHWC' | 'NCHW'): tf.Tensor4D {
  return dataFormat === 'NHWC' ? t : tf.transpose(t, [0, 3, 1, 2]);
}

function formatOf(attrs: { dataFormat?: string }): 'NHWC' | 'NCHW' {
  const f = attrs.dataFormat ?? 'NHWC';
  if (f !== 'NHWC' && f !== 'NCHW') throw new Error(`Conv2D gradient: dataFormat must be 'NHWC' or 'NCHW', got '${f}'.`);
  return f;
}

/**
 * dW for y = conv2d(x, W): x [N,H,W,inC] (or NCHW), dy [N,outH,outW,outC] → [fH,fW,inC,outC].
 *
 * Usage: kernel function for `Conv2DBackpropFilter` on wasm.
 */
export const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as tf.Conv2DBackpropFilterInputs & { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dataFormat = formatOf(a);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [, inH, inW] = toNhwcShape(x.shape, dataFormat);
  const { strideHeight: sH, strideWidth: sW, filterHeight: fH, filterWidth: fW, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  // Rows/columns of the padded input that some output position reads.
  const neededH = (outHeight - 1) * sH + fH;
  const neededW = (outWidth - 1) * sW + fW;
  return runWithTensors(backend as tf.KernelBackend, [x, dy], ([xt, dyt]) => {
    const xT = tf.transpose(toNhwc(xt, dataFormat), [3, 1, 2, 0]); // [inC, H, W, N]
    const dyT = tf.transpose(toNhwc(dyt, dataFormat), [1, 2, 0, 3]); // [outH, outW, N, outC]
    const pads = { top, bottom: neededH - top - inH, left, right: neededW - left - inW };
    // Rows/columns the convolution never reads are cropped from the input rather than the result.
    const cropped = cropBottomRight(xT, pads.bottom, pads.right);
    const dilations: [number, number] = [outHeight > 1 ? sH : 1, outWidth > 1 ? sW : 1];
    const dW = convSignedPads(
      'conv',
      cropped,
      dyT,
      { top, bottom: Math.max(pads.bottom, 0), left, right: Math.max(pads.right, 0) },
      [1, 1],
      dilations,
    ); // [inC, fH, fW, outC]
    return tf.transpose(dW, [1, 2, 0, 3]);
  });
};

/** Drops `-bottom` rows / `-right` columns when those are negative. */
function cropBottomRight(t: tf.Tensor4D, bottom: number, right: number): tf.Tensor4D {
  if (bottom >= 0 && right >= 0) return t;
  const [n, h, w, c] = t.shape;
  return tf.slice(t, [0, 0, 0, 0], [n, h + Math.min(bottom, 0), w + Math.min(right, 0), c]);
}

/**
 * dx for y = conv2d(x, W): dy [N,outH,outW,outC] (or NCHW), W [fH,fW,inC,outC] → x's shape.
 * NCHW is transposed to NHWC and back (registerMissingWasmKernels keeps wasm's own loop for it).
 *
 * Usage: kernel function for `Conv2DBackpropInput` on wasm.
 */
export const conv2DBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const dataFormat = formatOf(a);
  const info = tf.backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as Shape4,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [, inH, inW] = toNhwcShape(a.inputShape, dataFormat);
  const { strideHeight: sH, strideWidth: sW, filterHeight: fH, filterWidth: fW, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const upH = (outHeight - 1) * sH + 1;
  const upW = (outWidth - 1) * sW + 1;
  const padTop = fH - 1 - top;
  const padLeft = fW - 1 - left;
  // zeroInsert leaves sH - 1 zero rows (sW - 1 columns) after the last row: pad that much less.
  const pads = {
    top: padTop,
    bottom: inH - upH + fH - 1 - padTop - (sH - 1),
    left: padLeft,
    right: inW - upW + fW - 1 - padLeft - (sW - 1),
  };
  return runWithTensors(backend as tf.KernelBackend, [dy, filter], ([dyt, wt]) => {
    const dyUp = zeroInsert(toNhwc(dyt, dataFormat), sH, sW);
    const flipped = tf.transpose(tf.reverse(wt as tf.Tensor4D, [0, 1]), [0, 1, 3, 2]); // [fH,fW,outC,inC]
    const dx = convSignedPads('conv', dyUp, flipped, pads, [1, 1], [1, 1]);
    return fromNhwc(dx, dataFormat);
  });
};

/** `Conv2DBackpropFilter` for wasm. Usage: `tf.registerKernel(conv2DBackpropFilterConfig)`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
