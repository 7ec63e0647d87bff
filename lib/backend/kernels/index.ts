/**
 * Kernels that tfjs-backend-wasm 4.22 lacks (or runs slowly), registered for 'wasm' and
 * computed with ops wasm has, so that Conv2D, Conv2DTranspose, SeparableConv2D,
 * DepthwiseConv2D, ConvLSTM2D and Embedding layers train there.
 *
 * Registered as kernels rather than gradients, so every caller is covered (fused conv2d's own
 * gradient, conv2dTranspose, gather's gradient...).
 *
 * Usage: `registerMissingWasmKernels()` before `tf.setBackend('wasm')` (initBackend does it).
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig, conv2DBackpropInput } from './conv2d-backprop';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { unsortedSegmentSumConfig } from './segment-sum';

/**
 * Kernels wasm 4.22 does not have at all; registered only when still missing.
 *
 * Usage: `MISSING_WASM_KERNELS.every((k) => tf.getKernel(k, 'wasm') !== undefined)`
 */
export const MISSING_WASM_KERNELS: readonly string[] = [
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
  tf.UnsortedSegmentSum,
];

/**
 * Kernels wasm has but that are replaced by faster equivalents (same results; NCHW stays native).
 *
 * Usage: `OVERRIDDEN_WASM_KERNELS.includes('Conv2DBackpropInput')`
 */
export const OVERRIDDEN_WASM_KERNELS: readonly string[] = [tf.Conv2DBackpropInput];

// Marks the kernel functions registered here. A global symbol, not a module-level set, so that
// a second copy of this module (module reloading in a notebook or a test) still recognises them.
const OURS: unique symbol = Symbol.for('tsdl-course/wasm-kernels');
type TaggedKernelFunc = tf.KernelFunc & { [OURS]?: true };

function tagged(fn: tf.KernelFunc): tf.KernelFunc {
  (fn as TaggedKernelFunc)[OURS] = true;
  return fn;
}

function isOurs(fn: tf.KernelFunc | undefined): boolean {
  return fn !== undefined && (fn as TaggedKernelFunc)[OURS] === true;
}

function ensureWasmKernelsLoaded(): void {
  if (tf.getKernel(tf.Conv2D, 'wasm') !== undefined) return;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`registerMissingWasmKernels: @tensorflow/tfjs-backend-wasm does not load (${msg}); run npm ci.`);
  }
  if (tf.getKernel(tf.Conv2D, 'wasm') === undefined) {
    throw new Error(
      'registerMissingWasmKernels: @tensorflow/tfjs-backend-wasm loaded but registered no kernels with this tfjs instance; ' +
        'make sure only one copy of @tensorflow/tfjs-core is installed (npm ls @tensorflow/tfjs-core).',
    );
  }
}

function registerIfMissing(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) return;
  tf.registerKernel({ ...config, kernelFunc: tagged(config.kernelFunc) });
}

/** Replaces wasm's Conv2DBackpropInput (NHWC) and keeps the original for NCHW. */
function overrideConv2DBackpropInput(): void {
  const native = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (isOurs(native?.kernelFunc)) return;
  const kernelFunc = tagged((args) => {
    const format = (args.attrs as unknown as tf.Conv2DBackpropInputAttrs | undefined)?.dataFormat ?? 'NHWC';
    if (format !== 'NHWC' && native !== undefined) return native.kernelFunc(args);
    return conv2DBackpropInput(args);
  });
  if (native !== undefined) tf.unregisterKernel(tf.Conv2DBackpropInput, 'wasm');
  // The original's setup (binding its wasm function) must still run for the NCHW fallback.
  tf.registerKernel({ kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc, setupFunc: native?.setupFunc });
}

/**
 * Registers the kernels wasm lacks and the faster Conv2DBackpropInput. Idempotent; loads
 * @tensorflow/tfjs-backend-wasm if it was not loaded yet (its own registrations must come
 * first). Safe to call before or after the wasm backend is active.
 *
 * Usage: `registerMissingWasmKernels(); await tf.setBackend('wasm');`
 */
export function registerMissingWasmKernels(): void {
  ensureWasmKernelsLoaded();
  registerIfMissing(conv2DBackpropFilterConfig);
  registerIfMissing(depthwiseBackpropFilterConfig);
  registerIfMissing(depthwiseBackpropInputConfig);
  registerIfMissing(unsortedSegmentSumConfig);
  overrideConv2DBackpropInput();
}

/**
 * Which of the kernels above are currently served by this module (true) or by wasm itself.
 *
 * Usage: `wasmKernelStatus()['UnsortedSegmentSum'] === true`
 */
export function wasmKernelStatus(): Record<string, boolean> {
  const status: Record<string, boolean> = {};
  for (const name of [...MISSING_WASM_KERNELS, ...OVERRIDDEN_WASM_KERNELS]) {
    const k = tf.getKernel(name, 'wasm');
    status[name] = isOurs(k?.kernelFunc);
  }
  return status;
}
