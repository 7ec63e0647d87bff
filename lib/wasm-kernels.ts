/**
 * Kernels that tfjs-backend-wasm 4.22 lacks, registered for 'wasm' from ops it has.
 * (Being written: see the foundation issue.)
 *
 * Usage: `registerMissingWasmKernels()` before `tf.setBackend('wasm')` (initBackend does it).
 */
export function registerMissingWasmKernels(): void {
  // filled in by the wasm-kernels work
}
