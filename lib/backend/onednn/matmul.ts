/**
 * BatchMatMul and _FusedMatMul on oneDNN's sgemm, for float32 tensors on the wasm heap: either
 * operand transposed (no transpose copy), equal batches or one side's batch broadcast, a bias
 * over the last axis and the activations oneDNN fuses. Other calls go to the wrapped kernels.
 *
 * Usage: `registerMatMulKernels(addon)` (enableOnednnKernels does it).
 */
import * as tf from '@tensorflow/tfjs';
import { activationPlan, DEFAULT_LEAKY_ALPHA, finishActivation, type ActivationPlan } from './activation';
import type { OnednnAddon } from './addon';
import { floatViews, sizeOf, type WasmHeapBackend } from './heap';
import { wrapWasmKernel } from './registry';

function product(addon: OnednnAddon, fused: boolean) {
  return (args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | undefined => {
    const { a, b, bias, preluActivationWeights } = args.inputs as unknown as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo | null; preluActivationWeights?: tf.TensorInfo | null };
    const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
    if (preluActivationWeights !== undefined && preluActivationWeights !== null) return undefined;
    const plan: ActivationPlan | undefined = fused ? activationPlan(attrs.activation) : { code: 0 };
    if (plan === undefined) return undefined;
    const ra = a.shape.length;
    const rb = b.shape.length;
    const transA = attrs.transposeA === true;
    const transB = attrs.transposeB === true;
    const M = transA ? a.shape[ra - 1] : a.shape[ra - 2];
    const K = transA ? a.shape[ra - 2] : a.shape[ra - 1];
    const K2 = transB ? b.shape[rb - 1] : b.shape[rb - 2];
    const N = transB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (K !== K2) {
      throw new Error(`MatMul: the inner dimensions of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] (transposeA=${transA}, transposeB=${transB}) must agree: ${K} vs ${K2}.`);
    }
    const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const batch = sizeOf(batchShape);
    const batchA = sizeOf(a.shape.slice(0, -2));
    const batchB = sizeOf(b.shape.slice(0, -2));
    if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
    const withBias = bias !== undefined && bias !== null;
    if (withBias && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== N || (bias.shape.length > 0 && bias.shape[bias.shape.length - 1] !== N))) return undefined;
    if (batch * M * N * K === 0) return undefined;
    const backend = args.backend as WasmHeapBackend;
    const out = backend.makeOutput([...batchShape, M, N], 'float32');
    const views = floatViews(backend, withBias ? [a, b, out, bias] : [a, b, out]);
    addon.matmul(views[0], views[1], withBias ? views[3] : null, views[2], [batchA, batchB, M, K, N, transA ? 1 : 0, transB ? 1 : 0], plan.code, attrs.leakyreluAlpha ?? DEFAULT_LEAKY_ALPHA);
    return finishActivation(backend, out, plan);
  };
}

/** The matrix-product kernels this module serves. Usage: `ONEDNN_MATMUL_KERNELS.includes('BatchMatMul')` */
export const ONEDNN_MATMUL_KERNELS: readonly string[] = [tf.BatchMatMul, tf._FusedMatMul];

/**
 * Wraps wasm's BatchMatMul and _FusedMatMul with the oneDNN ones (idempotent).
 *
 * Usage: `registerMatMulKernels(loadOnednnAddon().addon)`
 */
export function registerMatMulKernels(addon: OnednnAddon): void {
  wrapWasmKernel(tf.BatchMatMul, product(addon, false));
  wrapWasmKernel(tf._FusedMatMul, product(addon, true));
}
