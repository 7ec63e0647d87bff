/**
 * Native CPU kernels for the wasm backend from oneDNN (the library under PyTorch's CPU kernels),
 * through the optional addon in native/: Conv2D (and FusedConv2D), both its gradients, BatchMatMul
 * and _FusedMatMul run natively on the wasm heap's memory, and so do MaxPoolGrad and a biased
 * layer's bias add and bias gradient (plain loops, threaded); everything else stays on wasm. When the
 * addon is not built, does not load, or DL_NATIVE=0, the course runs on plain wasm and the status
 * line says why.
 *
 * Usage: `const status = enableOnednnKernels({ threads: threadsFromEnv().onednn }); console.log(status.line);`
 */
import { loadOnednnAddon, nativeAllowedFromEnv, type OnednnInfo } from './addon';
import { ONEDNN_CONV_KERNELS, registerConvKernels } from './conv';
import { ONEDNN_MATMUL_KERNELS, registerMatMulKernels } from './matmul';
import { ONEDNN_POOL_KERNELS, registerPoolKernels } from './pool';
import { ONEDNN_BIAS_KERNELS, registerBiasKernels } from './bias';

export { loadOnednnAddon, nativeAllowedFromEnv, type OnednnAddon, type OnednnInfo } from './addon';
export { onednnActive, onednnCalls, setOnednnActive } from './registry';

/** The kernels oneDNN serves when enabled. Usage: `ONEDNN_KERNELS.includes('Conv2D')` */
export const ONEDNN_KERNELS: readonly string[] = [...ONEDNN_CONV_KERNELS, ...ONEDNN_MATMUL_KERNELS, ...ONEDNN_POOL_KERNELS, ...ONEDNN_BIAS_KERNELS];

/** Whether the oneDNN kernels are in use, and one line saying so or why not. */
export interface OnednnStatus {
  enabled: boolean;
  /** One line for describeBackend. */
  line: string;
  /** The addon's report, when it loaded. */
  info?: OnednnInfo;
}

export interface EnableOnednnOptions {
  /** oneDNN's threads (initBackend passes threadsFromEnv().onednn from lib/backend/threads). */
  threads: number;
}

/**
 * Loads the addon (unless DL_NATIVE=0) and wraps the wasm kernels it serves; call after
 * lib/backend/kernels' registrations and before the wasm backend starts (initBackend does). Never
 * throws for a missing or broken addon: the status says why and wasm keeps its kernels.
 *
 * Usage: `const { enabled, line } = enableOnednnKernels({ threads: 2 });`
 */
export function enableOnednnKernels(options: EnableOnednnOptions): OnednnStatus {
  if (!nativeAllowedFromEnv()) return { enabled: false, line: 'off (DL_NATIVE=0): wasm computes every kernel' };
  const loaded = loadOnednnAddon();
  if (loaded.addon === undefined) return { enabled: false, line: `none: ${loaded.reason}; wasm computes every kernel` };
  const threads = options.threads;
  loaded.addon.setThreads(threads);
  registerConvKernels(loaded.addon);
  registerMatMulKernels(loaded.addon);
  registerPoolKernels(loaded.addon);
  registerBiasKernels(loaded.addon);
  const info = loaded.addon.info();
  return {
    enabled: true,
    line: `oneDNN ${info.version} (${info.isa}, ${info.threads} ${info.threads === 1 ? 'thread' : 'threads'}) computes Conv2D and its gradients, MatMul, MaxPoolGrad, bias adds and their gradients, softmax's row Sub; wasm the rest`,
    info,
  };
}
