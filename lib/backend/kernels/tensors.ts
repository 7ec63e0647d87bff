/**
 * Plumbing shared by the wasm kernels: turning a kernel's input TensorInfos into Tensors that
 * ops can use without freeing the caller's data, and convolutions with signed padding.
 *
 * Usage: `return runWithTensors(backend, [x, dy], ([xt, dyt]) => tf.add(xt, dyt));`
 */
import * as tf from '@tensorflow/tfjs';

/** Padding of the two spatial axes, in rows/columns; negative values crop instead of pad. */
export interface SpatialPads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Runs `fn` on Tensor views of `infos` inside a tidy and returns its result (a Tensor the
 * engine adopts as the kernel output). Each view shares its input's data; the backend's
 * reference count is raised for the view so that disposing it never frees the caller's data.
 *
 * Usage: `runWithTensors(backend, [x], ([t]) => tf.neg(t))`
 */
export function runWithTensors(
  backend: tf.KernelBackend,
  infos: readonly tf.TensorInfo[],
  fn: (tensors: tf.Tensor[]) => tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    const engine = tf.engine();
    const views = infos.map((info) => {
      const view = engine.makeTensorFromTensorInfo(info, backend);
      backend.incRef(info.dataId);
      return view;
    });
    return fn(views);
  });
}

/** The `[height, width]` pair of a stride/dilation attribute given as a number or a pair. */
export function pair(value: number | readonly [number, number] | readonly number[]): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (value.length !== 2) throw new Error(`Expected one number or a [height, width] pair, got [${value.join(', ')}].`);
  return [value[0], value[1]];
}

/**
 * Convolution (`kind` 'conv' or 'depthwise', NHWC, stride 1 unless given) with per-side
 * padding that may be negative: positive sides are zero-padded by the convolution itself,
 * negative sides crop the result, which is the same as cropping the input there.
 *
 * Usage: `convSignedPads('conv', x, w, { top: 1, bottom: -1, left: 0, right: 0 }, [1, 1], [2, 2])`
 */
export function convSignedPads(
  kind: 'conv' | 'depthwise',
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  pads: SpatialPads,
  strides: [number, number],
  dilations: [number, number],
): tf.Tensor4D {
  const { top, bottom, left, right } = pads;
  const negative = top < 0 || bottom < 0 || left < 0 || right < 0;
  // With stride 1 each negative pad leaves exactly |pad| surplus rows/columns on that side.
  if (negative && (strides[0] !== 1 || strides[1] !== 1)) throw new Error('convSignedPads: negative padding needs stride 1.');
  const explicit: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  const out =
    kind === 'conv'
      ? tf.conv2d(x, filter, strides, explicit, 'NHWC', dilations)
      : tf.depthwiseConv2d(x, filter, strides, explicit, 'NHWC', dilations);
  if (!negative) return out;
  const [n, h, w, c] = out.shape;
  const cropTop = Math.max(-top, 0);
  const cropLeft = Math.max(-left, 0);
  const keepH = h - cropTop - Math.max(-bottom, 0);
  const keepW = w - cropLeft - Math.max(-right, 0);
  return tf.slice(out, [0, cropTop, cropLeft, 0], [n, keepH, keepW, c]);
}

/**
 * Spreads an NHWC tensor by its strides: [n, h, w, c] becomes [n, h*sH, w*sW, c] with the input
 * at rows/columns that are multiples of the stride and zeros elsewhere (including `sH - 1`
 * trailing zero rows and `sW - 1` trailing zero columns, which callers absorb by padding
 * that much less at the bottom/right; no slice needed).
 *
 * Usage: `zeroInsert(dy, 2, 2)`
 */
export function zeroInsert(x: tf.Tensor4D, strideH: number, strideW: number): tf.Tensor4D {
  if (strideH === 1 && strideW === 1) return x;
  const [n, h, w, c] = x.shape;
  const spread = tf.pad(tf.reshape(x, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, strideH - 1],
    [0, 0],
    [0, strideW - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, h * strideH, w * strideW, c]) as tf.Tensor4D;
}

/**
 * Padding of the zero-inserted dy for an input gradient computed as a stride-1 convolution with
 * the flipped filter. zeroInsert leaves strideH - 1 zero rows (strideW - 1 columns) after the
 * last row, so the bottom/right pads are that much smaller. `effH`/`effW` are the dilated filter
 * sizes; `top`/`left` the forward pass's padding.
 *
 * Usage: `const pads = inputGradientPads({ inH, inW, outH, outW, sH, sW, effH: fH, effW: fW, top, left });`
 */
export function inputGradientPads(g: {
  inH: number; inW: number; outH: number; outW: number; sH: number; sW: number; effH: number; effW: number; top: number; left: number;
}): SpatialPads {
  const upH = (g.outH - 1) * g.sH + 1;
  const upW = (g.outW - 1) * g.sW + 1;
  const padTop = g.effH - 1 - g.top;
  const padLeft = g.effW - 1 - g.left;
  return {
    top: padTop,
    bottom: g.inH - upH + g.effH - 1 - padTop - (g.sH - 1),
    left: padLeft,
    right: g.inW - upW + g.effW - 1 - padLeft - (g.sW - 1),
  };
}
