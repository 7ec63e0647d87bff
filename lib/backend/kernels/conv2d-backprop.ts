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
import { convSignedPads, inputGradientPads, runWithTensors, zeroInsert } from './tensors';

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
 * The geometry both gradients need, from tfjs's Conv2DInfo of y = conv2d(x, W) (no dilation):
 * the input's height and width, strides, filter size, output size and top/left padding.
 */
function geometryOf(
  xShape: readonly number[],
  filterShape: readonly number[],
  a: Pick<tf.Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
  dataFormat: 'NHWC' | 'NCHW',
): { inH: number; inW: number; sH: number; sW: number; fH: number; fW: number; outHeight: number; outWidth: number; top: number; left: number } {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const [, inH, inW] = toNhwcShape(xShape, dataFormat);
  const { strideHeight: sH, strideWidth: sW, filterHeight: fH, filterWidth: fW, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  return { inH, inW, sH, sW, fH, fW, outHeight, outWidth, top, left };
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
  const { inH, inW, sH, sW, fH, fW, outHeight, outWidth, top, left } = geometryOf(x.shape, a.filterShape, a, dataFormat);
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
  const { inH, inW, sH, sW, fH, fW, outHeight, outWidth, top, left } = geometryOf(a.inputShape, filter.shape, a, dataFormat);
  const pads = inputGradientPads({ inH, inW, outH: outHeight, outW: outWidth, sH, sW, effH: fH, effW: fW, top, left });
  return runWithTensors(backend as tf.KernelBackend, [dy, filter], ([dyt, wt]) => {
    if (sH === sW && sH > 1) {
      return fromNhwc(phasedBackpropInput(toNhwc(dyt, dataFormat), wt as tf.Tensor4D, sH, top, left, inH, inW), dataFormat);
    }
    const dyUp = zeroInsert(toNhwc(dyt, dataFormat), sH, sW);
    const flipped = tf.transpose(tf.reverse(wt as tf.Tensor4D, [0, 1]), [0, 1, 3, 2]); // [fH,fW,outC,inC]
    const dx = convSignedPads('conv', dyUp, flipped, pads, [1, 1], [1, 1]);
    return fromNhwc(dx, dataFormat);
  });
};

/**
 * Strided input gradient without zero insertion (s² fewer multiply-adds on zeros): input row
 * q = h + top receives dy[u - t] * W[r + s*t] where u = floor(q / s) and r = q mod s. Each phase
 * r (and column phase) is a stride-1 convolution of dy with every s-th filter tap; all s*s phases
 * run as one convolution whose output channels are (row phase, column phase, inC), and a
 * transpose interleaves them into rows/columns.
 *
 * Usage: `phasedBackpropInput(dy, w, 2, top, left, inH, inW)` (NHWC dy, [fH,fW,inC,outC] w)
 */
export function phasedBackpropInput(
  dy: tf.Tensor4D,
  w: tf.Tensor4D,
  s: number,
  top: number,
  left: number,
  inH: number,
  inW: number,
): tf.Tensor4D {
  const [n, outH, outW, outC] = dy.shape;
  const [fH, fW, inC] = w.shape;
  const tH = Math.ceil(fH / s);
  const tW = Math.ceil(fW / s);
  // Filter taps i = t*s + r, zero-padded to tH*s: [tH, s(r), tW, s(r'), inC, outC].
  const wz = tf.pad(w, [[0, tH * s - fH], [0, tW * s - fW], [0, 0], [0, 0]]);
  const byPhase = tf.reverse(tf.reshape(wz, [tH, s, tW, s, inC, outC]), [0, 2]);
  // Correlation filter [tH, tW, outC, (r, r', inC)].
  const phaseFilter = tf.reshape(tf.transpose(byPhase, [0, 2, 5, 1, 3, 4]), [tH, tW, outC, s * s * inC]) as tf.Tensor4D;
  const rowsU = Math.ceil((inH + top) / s);
  const colsU = Math.ceil((inW + left) / s);
  const pads = { top: tH - 1, bottom: rowsU - outH, left: tW - 1, right: colsU - outW };
  const phases = convSignedPads('conv', dy, phaseFilter, pads, [1, 1], [1, 1]); // [N, rowsU, colsU, s*s*inC]
  // Interleave (wasm's DepthToSpace is a slow loop; a 6-D transpose is not): row q = u*s + r.
  const grid = tf.transpose(tf.reshape(phases, [n, rowsU, colsU, s, s, inC]), [0, 1, 3, 2, 4, 5]);
  const full = tf.reshape(grid, [n, rowsU * s, colsU * s, inC]) as tf.Tensor4D;
  if (top === 0 && left === 0 && rowsU * s === inH && colsU * s === inW) return full;
  return tf.slice(full, [0, top, left, 0], [n, inH, inW, inC]);
}

/** `Conv2DBackpropFilter` for wasm. Usage: `tf.registerKernel(conv2DBackpropFilterConfig)`. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
