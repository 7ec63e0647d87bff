/**
 * Checks that a model or tensor handed to the library has not been freed, with an error that
 * says what happened and what to run. A notebook's last cell disposes its models and tensors;
 * a cell run after it (or after a dispose() call) otherwise fails deep inside tfjs with
 * "Container 'sequential_1' is already disposed" and a Node stack trace.
 *
 * Usage: `assertUsableModel('fit', model); assertUsableTensor('fit: x', x);`
 */
import * as tf from '@tensorflow/tfjs';

/** What to do about a freed model or tensor (the second half of every message here). */
export const RERUN_ADVICE =
  "This happens when a cell runs after the notebook's clean-up cell (or a dispose() call): re-run the cells that build it " +
  '(Cell > Run All Above), then this cell.';

/** True when the model (or any of its weights) has been disposed. Usage: `if (isDisposedModel(m)) ...` */
export function isDisposedModel(model: tf.LayersModel): boolean {
  const refCount = (model as unknown as { _refCount?: number | null })._refCount;
  if (refCount === 0) return true;
  try {
    for (const w of model.weights) if (w.read().isDisposed) return true;
  } catch {
    return true; // LayerVariable.read() throws once its layer is disposed
  }
  return false;
}

/**
 * Throws a clear Error when `model` is not a tfjs model or has been disposed.
 * Usage: `assertUsableModel('evaluate', model)`
 */
export function assertUsableModel(fn: string, model: unknown): asserts model is tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) {
    const got = model === null ? 'null' : model === undefined ? 'undefined' : typeof model;
    throw new Error(`${fn}: expected a tfjs model (tf.sequential(...), tf.model(...) or a library builder), got ${got}. If it is built in an earlier cell, run the cells above first (Cell > Run All Above).`);
  }
  if (isDisposedModel(model)) {
    throw new Error(`${fn}: model '${model.name}' has been disposed (freed), so its weights are gone. ${RERUN_ADVICE}`);
  }
}

/**
 * Throws a clear Error when `t` has been disposed (its memory freed).
 * Usage: `assertUsableTensor('predict: x', x)`
 */
export function assertUsableTensor(what: string, t: tf.Tensor): void {
  if (t.isDisposed) throw new Error(`${what} has been disposed (freed), so its values are gone. ${RERUN_ADVICE}`);
}
