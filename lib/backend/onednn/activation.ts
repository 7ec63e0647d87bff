/**
 * The fused activations of the oneDNN kernels. The exact ones (relu, relu6, leaky relu: a max,
 * a clip, a product) run natively, fused by the addon (codes as in native/src/common.h); the
 * transcendental ones (sigmoid, elu) run after the native product or convolution on wasm's own
 * Sigmoid/Elu kernels, so a fused layer gives bit for bit what the unfused ops give (tfjs fuses
 * only outside gradient recording, and lib/train/fast-dense relies on the two agreeing). prelu (a
 * weight tensor) is not handled: those calls stay on wasm's kernels.
 *
 * Usage: `const plan = activationPlan(attrs.activation); if (plan === undefined) return fallback;`
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs's exact fused activations mapped to the addon's codes. */
const NATIVE_CODES: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 5 };

/** tfjs's transcendental fused activations, by the wasm kernel that applies them afterwards. */
const WASM_KERNELS: Readonly<Record<string, string>> = { sigmoid: tf.Sigmoid, elu: tf.Elu };

/** How to apply an activation: the addon's code, and a wasm kernel to run after (or none). */
export interface ActivationPlan {
  code: number;
  after?: string;
}

/**
 * The plan for a tfjs fused activation (undefined and 'linear': code 0), or undefined when it
 * cannot be applied here (prelu).
 *
 * Usage: `activationPlan('relu') // { code: 1 }`, `activationPlan('sigmoid') // { code: 0, after: 'Sigmoid' }`
 */
export function activationPlan(activation: string | undefined | null): ActivationPlan | undefined {
  if (activation === undefined || activation === null) return { code: 0 };
  if (activation in NATIVE_CODES) return { code: NATIVE_CODES[activation] };
  if (activation in WASM_KERNELS) return { code: 0, after: WASM_KERNELS[activation] };
  return undefined;
}

/**
 * Applies `plan.after` (a wasm kernel) to `out`, freeing `out`; returns `out` itself when there is
 * nothing to apply.
 *
 * Usage: `return finishActivation(backend, out, plan);`
 */
export function finishActivation(backend: tf.KernelBackend, out: tf.TensorInfo, plan: ActivationPlan): tf.TensorInfo {
  if (plan.after === undefined) return out;
  const kernel = tf.getKernel(plan.after, 'wasm');
  if (kernel === undefined) throw new Error(`onednn: wasm has no ${plan.after} kernel for the fused activation.`);
  try {
    return kernel.kernelFunc({ inputs: { x: out }, backend, attrs: {} }) as tf.TensorInfo;
  } finally {
    backend.disposeData(out.dataId);
  }
}

/** tfjs's default leaky-relu slope. Usage: `attrs.leakyreluAlpha ?? DEFAULT_LEAKY_ALPHA` */
export const DEFAULT_LEAKY_ALPHA = 0.2;
