/**
 * How the oneDNN kernels take the place of the wasm backend's: each wraps the kernel registered
 * before it (tfjs's own, or lib/backend/kernels'), handles the calls it can (float32, NHWC, the
 * activations oneDNN fuses) and hands every other call to the one it wrapped. A global switch
 * turns them all back to the wrapped kernels (tests and the bench compare both in one process).
 *
 * Usage: `wrapWasmKernel(tf.Conv2D, (args) => handled ?? undefined);`
 */
import * as tf from '@tensorflow/tfjs';

/** A kernel body that returns undefined when the call is not one it handles. */
export type NativeKernel = (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | tf.TensorInfo[] | undefined;

const TAG: unique symbol = Symbol.for('tsdl-course/onednn-kernels');
type Tagged = tf.KernelFunc & { [TAG]?: true };

interface RegistryState {
  /** Whether the native kernels compute (false: every call goes to the wrapped kernel). */
  active: boolean;
  /** The wrapped kernels, by kernel name. */
  wrapped: Map<string, tf.KernelConfig>;
  /** Calls served natively and handed on, by kernel name (for the status and the tests). */
  calls: Map<string, { native: number; wasm: number }>;
}

// Global, so a second copy of this module (a notebook reloading it) shares the state.
const STATE_KEY = Symbol.for('tsdl-course/onednn-kernels/state');
function state(): RegistryState {
  const g = globalThis as unknown as Record<symbol, RegistryState | undefined>;
  if (g[STATE_KEY] === undefined) g[STATE_KEY] = { active: true, wrapped: new Map(), calls: new Map() };
  return g[STATE_KEY] as RegistryState;
}

function count(name: string, which: 'native' | 'wasm'): void {
  const calls = state().calls;
  const c = calls.get(name) ?? { native: 0, wasm: 0 };
  c[which] += 1;
  calls.set(name, c);
}

/**
 * Wraps the wasm kernel `name` with `body` (idempotent). The wrapped kernel's marks (the global
 * symbols lib/backend/kernels and its fast paths tag their kernels with) are copied onto the wrapper,
 * so registering those again later leaves the wrapper in place.
 *
 * Usage: `wrapWasmKernel(tf.BatchMatMul, matMulBody);`
 */
export function wrapWasmKernel(name: string, body: NativeKernel): void {
  const previous = tf.getKernel(name, 'wasm');
  if (previous === undefined) throw new Error(`onednn: wasm has no ${name} kernel to wrap; load @tensorflow/tfjs-backend-wasm 4.22 (and register lib/backend/kernels) first.`);
  if ((previous.kernelFunc as Tagged)[TAG] === true) return;
  const kernelFunc = ((args) => {
    if (state().active) {
      const out = body(args);
      if (out !== undefined) {
        count(name, 'native');
        return out;
      }
    }
    count(name, 'wasm');
    return previous.kernelFunc(args);
  }) as Tagged;
  for (const sym of Object.getOwnPropertySymbols(previous.kernelFunc)) {
    (kernelFunc as unknown as Record<symbol, unknown>)[sym] = (previous.kernelFunc as unknown as Record<symbol, unknown>)[sym];
  }
  kernelFunc[TAG] = true;
  state().wrapped.set(name, previous);
  tf.unregisterKernel(name, 'wasm');
  // The wrapped kernel's setup (binding its wasm function) must still run: it serves the other calls.
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc, setupFunc: previous.setupFunc, disposeFunc: previous.disposeFunc });
}

/**
 * Turns the native kernels on (default) or off (every call goes to the wrapped wasm kernel);
 * returns the previous setting.
 *
 * Usage: `const was = setOnednnActive(false); try { ... } finally { setOnednnActive(was); }`
 */
export function setOnednnActive(active: boolean): boolean {
  const was = state().active;
  state().active = active;
  return was;
}

/** Whether the native kernels compute now. Usage: `if (onednnActive()) ...` */
export function onednnActive(): boolean {
  return state().active;
}

/**
 * The kernels wrapped so far, with how many calls each served natively and handed to wasm.
 *
 * Usage: `onednnCalls().Conv2D.native > 0`
 */
export function onednnCalls(): Record<string, { native: number; wasm: number }> {
  const out: Record<string, { native: number; wasm: number }> = {};
  for (const name of state().wrapped.keys()) out[name] = { ...(state().calls.get(name) ?? { native: 0, wasm: 0 }) };
  return out;
}
