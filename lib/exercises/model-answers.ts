/**
 * Helpers for checks whose answer is a Keras-style model or a function that builds one: accept
 * only a tfjs LayersModel, and describe it layer by layer (class, output shape, parameters) so a
 * check compares structure without printing the expected model.
 *
 * Usage: `const m = expectModel(answer.model, 'model'); const layers = describeLayers(m);`
 */
import * as tf from '@tensorflow/tfjs';
import { AnswerWrong, describeValue, expectModel } from './check';

/** One layer of a model as a check sees it. */
export interface LayerDescription {
  /** tfjs class name, e.g. `Conv2D`, `MaxPooling2D`, `Dense`. */
  readonly className: string;
  /** Output shape without the batch axis. */
  readonly outputShape: readonly number[];
  readonly params: number;
}

/**
 * Calls a builder function answer and fails unless it returns a model.
 * Usage: `const m = buildWith(answer.buildCnn, 'buildCnn')`
 */
export function buildWith(builder: (...args: never[]) => unknown, name: string, ...args: unknown[]): tf.LayersModel {
  const model = (builder as (...a: unknown[]) => unknown)(...args);
  return expectModel(model, `${name}()`);
}

/**
 * Each layer of `model` (input layers excluded): class name, output shape without the batch
 * axis, parameter count. Usage: `describeLayers(model).map((l) => l.className)`
 */
export function describeLayers(model: tf.LayersModel): LayerDescription[] {
  return model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((l) => {
      const shape = l.outputShape as unknown;
      const first = (Array.isArray(shape) && Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
      return { className: l.getClassName(), outputShape: first.slice(1).map((d) => d ?? -1), params: l.countParams() };
    });
}

/** `[a, b, c]` for messages. Usage: `shapeText([28, 28, 1]) // '[28, 28, 1]'` */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
