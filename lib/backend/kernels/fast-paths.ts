/**
 * Faster versions of kernels tfjs-backend-wasm 4.22 has, same results:
 *
 * - BatchMatMul and _FusedMatMul: wasm runs XNNPACK only when neither operand is transposed;
 *   with transposeA or transposeB it falls back to a scalar triple loop (4-6x slower). Every
 *   Dense gradient is such a product (dW = xᵀ·dy, dx = dy·Wᵀ), so training spent most of its
 *   time there. Here a transposed operand is transposed explicitly (wasm's Transpose kernel)
 *   and the product runs on XNNPACK.
 * - Slice: wasm copies the whole input out of the heap (readSync) before copying the slice, so
 *   cutting a batch out of a 55,000-image tensor copied 172 MB. Here the slice is read from a
 *   view of the heap.
 * - SplitV and Unpack (tf.split, tf.unstack: an LSTM's gates and time steps) are built on the
 *   same slice, so each part no longer copies the whole input first.
 * - GatherV2 (batchDims 0): wasm's element-by-element loop is replaced by block copies of the
 *   gathered rows (a shuffled batch of images is 32 row copies).
 * - MaxPoolGrad: wasm's loop is replaced by one pass over the pooling windows that routes each
 *   dy to the first maximum of its window (row-major, as the cpu backend; wasm's own kernel picks
 *   the last one on ties), in JavaScript over heap views (about 5x faster).
 * - Identity (tf.clone, and the engine's copy of every tensor saved for the backward pass):
 *   wasm copies the data; tensors are immutable, so here the output shares the input's data
 *   (a reference count, as wasm's own Reshape and the cpu backend's Identity do).
 *
 * Usage: `registerFastWasmKernels()` after tfjs-backend-wasm is loaded (initBackend does it).
 */
import * as tf from '@tensorflow/tfjs';

/** The kernels this module replaces on wasm. Usage: `FAST_WASM_KERNELS.includes('Slice')` */
export const FAST_WASM_KERNELS: readonly string[] = [tf.BatchMatMul, tf._FusedMatMul, tf.Slice, tf.SplitV, tf.Unpack, tf.GatherV2, tf.MaxPoolGrad, tf.Identity];

// Marks our kernel functions: a global symbol so a second copy of this module recognises them.
const FAST: unique symbol = Symbol.for('tsdl-course/wasm-fast-paths');
type Tagged = tf.KernelFunc & { [FAST]?: true };

/** What the wasm backend offers besides the KernelBackend interface (used read-only here). */
interface WasmBackendLike extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: tf.DataId): void;
}

function isFast(fn: tf.KernelFunc | undefined): boolean {
  return fn !== undefined && (fn as Tagged)[FAST] === true;
}

function tag(fn: tf.KernelFunc): tf.KernelFunc {
  (fn as Tagged)[FAST] = true;
  return fn;
}

function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** perm that swaps the last two axes of a rank-r tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * A matmul kernel (BatchMatMul or _FusedMatMul) that hands XNNPACK untransposed operands:
 * products of single matrices (batch 1) with a transposed float32 operand transpose it first.
 * Batched products and untransposed ones go to wasm's kernel unchanged.
 */
function matMulWithoutTransposes(native: tf.KernelConfig, transpose: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const inputs = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo };
    const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const { a, b } = inputs;
    if (!attrs.transposeA && !attrs.transposeB) return native.kernelFunc(args);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1) {
      return native.kernelFunc(args);
    }
    const temps: tf.TensorInfo[] = [];
    const flip = (t: tf.TensorInfo): tf.TensorInfo => {
      const out = transpose.kernelFunc({ inputs: { x: t }, backend: args.backend, attrs: { perm: swapLastTwo(t.shape.length) } }) as tf.TensorInfo;
      temps.push(out);
      return out;
    };
    try {
      const a2 = attrs.transposeA ? flip(a) : a;
      const b2 = attrs.transposeB ? flip(b) : b;
      return native.kernelFunc({
        inputs: { ...args.inputs, a: a2, b: b2 } as unknown as tf.NamedTensorInfoMap,
        backend: args.backend,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      for (const t of temps) (args.backend as tf.KernelBackend).disposeData(t.dataId);
    }
  });
}

/** Copies the box [begin, begin+size) of x (strides xs) into out, innermost axis as blocks. */
function copyBox(x: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> }, xs: number[], out: { set(v: ArrayLike<number>, o: number): void }, begin: number[], sizes: number[]): void {
  const rank = sizes.length;
  const inner = sizes[rank - 1];
  let o = 0;
  const walk = (axis: number, offset: number): void => {
    if (axis === rank - 1) {
      const start = offset + begin[axis];
      out.set(x.subarray(start, start + inner), o);
      o += inner;
      return;
    }
    for (let i = 0; i < sizes[axis]; i++) walk(axis + 1, offset + (begin[axis] + i) * xs[axis]);
  };
  walk(0, 0);
}

/** Copies x[begin : begin+sizes] (float32/int32/bool) into a new output of shape outShape. */
function sliceInto(backend: WasmBackendLike, x: tf.TensorInfo, b: number[], sizes: number[], outShape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype);
  if (size(sizes) === 0) return out;
  // Views are taken after makeOutput: a malloc may grow (and so replace) the heap.
  const xv = backend.typedArrayFromHeap(x);
  const ov = backend.typedArrayFromHeap(out);
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, b, sizes)) {
    const start = tf.slice_util.computeFlatOffset(b, strides);
    ov.set(xv.subarray(start, start + size(sizes)));
  } else {
    copyBox(xv, [...strides, 1], ov, b, sizes);
  }
  return out;
}

function sliceable(x: tf.TensorInfo): boolean {
  return x.dtype !== 'string' && x.dtype !== 'complex64' && x.shape.length > 0;
}

/** Slice that reads its input from a heap view instead of a copy of the whole input. */
function sliceFromHeap(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { begin, size: sizeAttr } = args.attrs as unknown as tf.SliceAttrs;
    if (!sliceable(x)) return native.kernelFunc(args);
    const [b, s] = tf.slice_util.parseSliceParams({ shape: x.shape } as tf.Tensor, begin, sizeAttr);
    return sliceInto(args.backend as WasmBackendLike, x, b, s, s);
  });
}

/** SplitV (tf.split; the LSTM's gates) as slices from heap views (wasm copies the whole input per part). */
function splitFromHeap(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
    if (!sliceable(x)) return native.kernelFunc(args);
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const parts = tf.backend_util.prepareSplitSize({ shape: x.shape } as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return parts.map((part) => {
      const sizes = [...x.shape];
      sizes[ax] = part;
      const out = sliceInto(args.backend as WasmBackendLike, x, [...begin], sizes, sizes);
      begin[ax] += part;
      return out;
    });
  });
}

/** Unpack (tf.unstack; an RNN's time steps) as slices from heap views. */
function unstackFromHeap(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { value } = args.inputs as unknown as { value: tf.TensorInfo };
    const { axis } = args.attrs as unknown as tf.UnpackAttrs;
    if (!sliceable(value)) return native.kernelFunc(args);
    const ax = tf.util.parseAxisParam(axis, value.shape)[0];
    const count = value.shape[ax];
    const outShape = value.shape.filter((_, i) => i !== ax);
    const sizes = [...value.shape];
    sizes[ax] = 1;
    const outs: tf.TensorInfo[] = [];
    for (let i = 0; i < count; i++) {
      const begin = new Array<number>(value.shape.length).fill(0);
      begin[ax] = i;
      outs.push(sliceInto(args.backend as WasmBackendLike, value, begin, sizes, outShape));
    }
    return outs;
  });
}

/** GatherV2 along one axis (batchDims 0) as block copies from heap views. */
function gatherBlocks(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { x, indices } = args.inputs as unknown as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as tf.GatherV2Attrs;
    if (x.dtype === 'string' || x.dtype === 'complex64' || (batchDims ?? 0) !== 0 || indices.dtype !== 'int32') return native.kernelFunc(args);
    const backend = args.backend as WasmBackendLike;
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const outer = size(x.shape.slice(0, ax));
    const dim = x.shape[ax];
    const inner = size(x.shape.slice(ax + 1));
    const count = size(indices.shape);
    const idx = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < count; i++) {
      if (!(idx[i] >= 0 && idx[i] < dim)) throw new Error(`GatherV2: the index value ${idx[i]} is not in [0, ${dim - 1}]`);
    }
    const chosen = Int32Array.from(idx);
    const out = backend.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    if (outer * count * inner === 0) return out;
    const xv = backend.typedArrayFromHeap(x);
    const ov = backend.typedArrayFromHeap(out);
    let o = 0;
    for (let r = 0; r < outer; r++) {
      const base = r * dim * inner;
      for (let i = 0; i < count; i++) {
        const start = base + chosen[i] * inner;
        ov.set(xv.subarray(start, start + inner), o);
        o += inner;
      }
    }
    return out;
  });
}

/** MaxPoolGrad (NHWC, dilation 1): dy goes to the first maximum of each window. */
function maxPoolGradWindows(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { dy, input } = args.inputs as unknown as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const a = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return native.kernelFunc(args);
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1 || info.dataFormat !== 'channelsLast') return native.kernelFunc(args);
    const backend = args.backend as WasmBackendLike;
    const dx = backend.makeOutput([...input.shape], 'float32');
    const out = backend.typedArrayFromHeap(dx) as Float32Array;
    out.fill(0);
    const x = backend.typedArrayFromHeap(input) as Float32Array;
    const g = backend.typedArrayFromHeap(dy) as Float32Array;
    const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const best = new Float32Array(C);
    const where = new Int32Array(C);
    for (let n = 0; n < batchSize; n++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          best.fill(-Infinity);
          where.fill(-1);
          for (let fh = 0; fh < filterHeight; fh++) {
            const ih = oh * strideHeight - top + fh;
            if (ih < 0 || ih >= inHeight) continue;
            for (let fw = 0; fw < filterWidth; fw++) {
              const iw = ow * strideWidth - left + fw;
              if (iw < 0 || iw >= inWidth) continue;
              const base = ((n * inHeight + ih) * inWidth + iw) * C;
              for (let c = 0; c < C; c++) {
                const v = x[base + c];
                if (v > best[c] || where[c] < 0) {
                  best[c] = v;
                  where[c] = base + c;
                }
              }
            }
          }
          const gBase = ((n * outHeight + oh) * outWidth + ow) * C;
          for (let c = 0; c < C; c++) if (where[c] >= 0) out[where[c]] += g[gBase + c];
        }
      }
    }
    return dx;
  });
}

/** Identity that shares the input's data (tensors are immutable). */
function sharedIdentity(native: tf.KernelConfig): tf.KernelFunc {
  return tag((args) => {
    const { x } = args.inputs as unknown as { x: tf.TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64') return native.kernelFunc(args);
    (args.backend as WasmBackendLike).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}

// wasm's own kernels, kept to put them back (restoreNativeWasmKernels); global for module copies.
const NATIVE_KEY = Symbol.for('tsdl-course/wasm-fast-paths/native');
function natives(): Map<string, tf.KernelConfig> {
  const g = globalThis as unknown as Record<symbol, Map<string, tf.KernelConfig> | undefined>;
  if (g[NATIVE_KEY] === undefined) g[NATIVE_KEY] = new Map();
  return g[NATIVE_KEY] as Map<string, tf.KernelConfig>;
}

function replace(name: string, make: (native: tf.KernelConfig) => tf.KernelFunc): void {
  const native = tf.getKernel(name, 'wasm');
  if (native === undefined) throw new Error(`registerFastWasmKernels: wasm has no ${name} kernel; load @tensorflow/tfjs-backend-wasm 4.22 first.`);
  if (isFast(native.kernelFunc)) return;
  natives().set(name, native);
  tf.unregisterKernel(name, 'wasm');
  // The native setup (binding its wasm function) still runs: our kernels call the native ones.
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: make(native), setupFunc: native.setupFunc, disposeFunc: native.disposeFunc });
}

/**
 * Replaces wasm's BatchMatMul, _FusedMatMul, Slice, SplitV, Unpack, GatherV2, MaxPoolGrad and Identity with the faster equivalents
 * described above. Idempotent; call it before the wasm backend is first initialised (the
 * native setup functions must run), as initBackend does.
 *
 * Usage: `registerFastWasmKernels(); await tf.setBackend('wasm');`
 */
export function registerFastWasmKernels(): void {
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (transpose === undefined) throw new Error('registerFastWasmKernels: wasm has no Transpose kernel; load @tensorflow/tfjs-backend-wasm 4.22 first.');
  replace(tf.BatchMatMul, (native) => matMulWithoutTransposes(native, transpose));
  replace(tf._FusedMatMul, (native) => matMulWithoutTransposes(native, transpose));
  replace(tf.Slice, sliceFromHeap);
  replace(tf.SplitV, splitFromHeap);
  replace(tf.Unpack, unstackFromHeap);
  replace(tf.GatherV2, gatherBlocks);
  replace(tf.MaxPoolGrad, maxPoolGradWindows);
  replace(tf.Identity, sharedIdentity);
}

/**
 * Puts wasm's own kernels back (to measure what the fast paths gain: `npm run bench -- --baseline`).
 *
 * Usage: `restoreNativeWasmKernels(); ...; registerFastWasmKernels();`
 */
export function restoreNativeWasmKernels(): void {
  for (const [name, native] of natives()) {
    if (!isFast(tf.getKernel(name, 'wasm')?.kernelFunc)) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(native);
  }
}

/**
 * Whether each kernel above is currently served by this module (true) or by wasm itself.
 *
 * Usage: `fastWasmKernelStatus().BatchMatMul === true`
 */
export function fastWasmKernelStatus(): Record<string, boolean> {
  const status: Record<string, boolean> = {};
  for (const name of FAST_WASM_KERNELS) status[name] = isFast(tf.getKernel(name, 'wasm')?.kernelFunc);
  return status;
}
