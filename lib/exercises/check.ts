/**
 * The exercise checks' shared machinery: a check runs on a student's answers, never throws, and
 * shows one verdict: "passed", or "not yet" with what is wrong and a hint (never the solution).
 *
 * A verdict is displayed twice in one output: as a readable line (text/plain, and HTML in Jupyter)
 * and as JSON under {@link VERDICT_MIME}, which the grader (`npm run grade`) collects from the
 * executed notebook.
 *
 * Usage (in `lib/exercises/nbNN.ts`):
 *   export const check01_3 = (answer: { params?: unknown }): Promise<Verdict> =>
 *     runCheck('01.3', 'Counting parameters', () => {
 *       const n = need(answer.params, 'params', 'a number');
 *       expectNumber(n, 'params');
 *       expect(n === 669_706, `params is ${n}`, 'count weights and biases of every Dense layer');
 *     });
 */
import * as tf from '@tensorflow/tfjs';
import { showBundle } from '../display';

/** The mime type under which a verdict's JSON is displayed (read by the grader). */
export const VERDICT_MIME = 'application/vnd.tsdl.verdict+json';

/** What a check concluded: passed, no answer yet, or an answer that is not right yet. */
export type VerdictStatus = 'passed' | 'missing' | 'wrong';

/** One check's result, as displayed and as collected by the grader. */
export interface Verdict {
  /** `NN.K`: notebook number and exercise number, e.g. `05.2`. */
  readonly exercise: string;
  readonly title: string;
  readonly status: VerdictStatus;
  readonly passed: boolean;
  /** What was found (empty when passed). */
  readonly message: string;
  /** What to try (never the solution). */
  readonly hint: string;
}

/** Thrown inside a check when an answer is absent (the stub was left as it is). */
export class AnswerMissing extends Error {
  constructor(message: string, readonly hint: string = '') {
    super(message);
    this.name = 'AnswerMissing';
  }
}

/** Thrown inside a check when an answer is present but not right yet. */
export class AnswerWrong extends Error {
  constructor(message: string, readonly hint: string = '') {
    super(message);
    this.name = 'AnswerWrong';
  }
}

/**
 * Returns `value` when it was given; throws {@link AnswerMissing} for `undefined` or `null`.
 * Usage: `const model = need(answer.model, 'model', 'a tf.Sequential')`
 */
export function need<T>(value: T | undefined | null, name: string, what: string): T {
  if (value === undefined || value === null) {
    throw new AnswerMissing(`\`${name}\` is not set yet: expected ${what}`, `write your answer in the cell above, assign it to \`${name}\`, run that cell, then this one`);
  }
  return value;
}

/**
 * Fails the check with `message` and `hint` unless `condition` holds.
 * Usage: `expect(loss < 0.5, \`the loss is ${loss}\`, 'train for more epochs')`
 */
export function expect(condition: boolean, message: string, hint = ''): asserts condition {
  if (!condition) throw new AnswerWrong(message, hint);
}

/**
 * Fails unless `value` is a finite number. Usage: `const n = expectNumber(answer.params, 'params')`
 */
export function expectNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AnswerWrong(`\`${name}\` should be a finite number, but it is ${describeValue(value)}`, 'assign a number (not a string or a tensor)');
  }
  return value;
}

/**
 * Fails unless `value` is a function taking at least `minArgs` arguments.
 * Usage: `const f = expectFunction(answer.gruStep, 'gruStep', 3)`
 */
export function expectFunction(value: unknown, name: string, minArgs = 0): (...args: never[]) => unknown {
  if (typeof value !== 'function') {
    throw new AnswerWrong(`\`${name}\` should be a function, but it is ${describeValue(value)}`, `define it as \`function ${name}(...) { ... }\` or an arrow function`);
  }
  if (value.length < minArgs) {
    throw new AnswerWrong(`\`${name}\` takes ${value.length} argument(s); the exercise asks for ${minArgs}`, 'check the signature given in the exercise');
  }
  return value as (...args: never[]) => unknown;
}

/**
 * Fails unless `value` is a tensor not yet disposed and, when `shape` is given, of that shape
 * (`-1` matches any size). Usage: `const grid = expectTensor(answer.grid, 'grid', [3, 4])`
 */
export function expectTensor(value: unknown, name: string, shape?: readonly number[]): tf.Tensor {
  const t = value as Partial<tf.Tensor> | null;
  const isTensor = value instanceof tf.Tensor
    || (typeof value === 'object' && t !== null && Array.isArray(t.shape) && typeof t.dataSync === 'function' && typeof t.isDisposed === 'boolean');
  if (!isTensor) {
    throw new AnswerWrong(`\`${name}\` should be a tensor, but it is ${describeValue(value)}`, 'make it with a tf function (tf.tensor, tf.zeros, tf.range, ...)');
  }
  const tensor = value as tf.Tensor;
  if (tensor.isDisposed) {
    throw new AnswerWrong(`\`${name}\` has been disposed`, 'dispose it after the check, not before (or keep it out of tf.tidy by returning it)');
  }
  if (shape !== undefined) {
    const fits = tensor.shape.length === shape.length && shape.every((d, i) => d === -1 || d === tensor.shape[i]);
    if (!fits) {
      const want = `[${shape.map((d) => (d === -1 ? 'any' : String(d))).join(', ')}]`;
      throw new AnswerWrong(`\`${name}\` has shape [${tensor.shape.join(', ')}]; the exercise asks for ${want}`, 'print its .shape, then reshape or build it with the asked shape');
    }
  }
  return tensor;
}

/**
 * Fails unless `value` is a tf.LayersModel (a `tf.sequential` or `tf.model`) whose weights are
 * still alive. Usage: `const model = expectModel(answer.wider, 'wider')`
 */
export function expectModel(value: unknown, name: string): tf.LayersModel {
  const m = value as Partial<tf.LayersModel> | null;
  const isModel = value instanceof tf.LayersModel
    || (typeof value === 'object' && m !== null && Array.isArray(m.layers) && typeof m.countParams === 'function' && typeof m.predict === 'function');
  if (!isModel) {
    throw new AnswerWrong(`\`${name}\` should be a model (tf.sequential or tf.model), but it is ${describeValue(value)}`, 'build it with tf.sequential({ layers: [...] })');
  }
  const model = value as tf.LayersModel;
  const disposed = model.weights.some((w) => {
    try {
      return w.read().isDisposed;
    } catch {
      return true;
    }
  });
  if (disposed) throw new AnswerWrong(`\`${name}\` has been disposed`, 'dispose the model after its check, not before');
  return model;
}

/** What a check compares about one layer: its Keras class name and the settings that shape it. */
export interface LayerSignature {
  readonly type: string;
  readonly units?: number;
  readonly filters?: number;
  readonly kernelSize?: number[];
  readonly activation?: string;
  /** Output shape with `null` for the batch dimension. */
  readonly outputShape?: (number | null)[];
}

/** The signature of each layer of a model, in order. Usage: `layerSignatures(model)[0].units` */
export function layerSignatures(model: tf.LayersModel): LayerSignature[] {
  return model.layers.map((layer) => {
    const config = layer.getConfig() as { units?: number; filters?: number; kernelSize?: number | number[]; activation?: string };
    const kernel = config.kernelSize;
    const out = layer.outputShape;
    return {
      type: layer.getClassName(),
      ...(config.units !== undefined ? { units: config.units } : {}),
      ...(config.filters !== undefined ? { filters: config.filters } : {}),
      ...(kernel !== undefined ? { kernelSize: Array.isArray(kernel) ? kernel : [kernel, kernel] } : {}),
      ...(config.activation !== undefined ? { activation: config.activation } : {}),
      ...(Array.isArray(out) && !Array.isArray(out[0]) ? { outputShape: out as (number | null)[] } : {}),
    };
  });
}

function describeLayer(s: Partial<LayerSignature>): string {
  const parts: string[] = [];
  if (s.units !== undefined) parts.push(`${s.units} units`);
  if (s.filters !== undefined) parts.push(`${s.filters} filters`);
  if (s.kernelSize !== undefined) parts.push(`kernel ${s.kernelSize.join('x')}`);
  if (s.activation !== undefined) parts.push(`activation '${s.activation}'`);
  if (s.outputShape !== undefined) parts.push(`output [${s.outputShape.map((d) => (d === null ? 'batch' : d)).join(', ')}]`);
  return `${s.type ?? 'a layer'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/**
 * Fails unless the model's layers match `expected` one for one, comparing only the fields each
 * expected entry gives; the message names the first layer that differs.
 * Usage: `expectLayers(model, 'wider', [{ type: 'Dense', units: 200 }, { type: 'Dense', units: 10 }])`
 */
export function expectLayers(model: tf.LayersModel, name: string, expected: readonly Partial<LayerSignature>[]): void {
  const got = layerSignatures(model);
  if (got.length !== expected.length) {
    throw new AnswerWrong(`\`${name}\` has ${got.length} layer(s); the exercise asks for ${expected.length}`, `layers asked for, in order: ${expected.map(describeLayer).join(', ')}`);
  }
  expected.forEach((want, i) => {
    const have = got[i];
    const same = (Object.keys(want) as (keyof LayerSignature)[]).every((k) => JSON.stringify(want[k]) === JSON.stringify(have[k]));
    if (!same) {
      const shown: Partial<LayerSignature> = {};
      for (const k of Object.keys(want) as (keyof LayerSignature)[]) (shown as Record<string, unknown>)[k] = have[k];
      throw new AnswerWrong(`layer ${i + 1} of \`${name}\` is ${describeLayer(shown)}; the exercise asks for ${describeLayer(want)}`, 'print summary(model) and compare it with the exercise, layer by layer');
    }
  });
}

/**
 * Numbers close in relative terms (|a - b| <= tol * max(1, |a|, |b|)).
 * Usage: `expect(close(got, want, 1e-4), ...)`
 */
export function close(a: number, b: number, tol = 1e-5): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

/** A short description of any value for messages: its type, and its shape for arrays and tensors. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const shape = (value as { shape?: unknown }).shape;
  if (Array.isArray(shape)) return `a tensor of shape [${shape.join(', ')}]`;
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
}

function verdictText(v: Verdict): string {
  if (v.passed) return `Exercise ${v.exercise} (${v.title}): passed`;
  const hint = v.hint ? `\n  hint: ${v.hint}` : '';
  return `Exercise ${v.exercise} (${v.title}): not yet - ${v.message}${hint}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function verdictHtml(v: Verdict): string {
  const colour = v.passed ? '#1b7f3b' : '#9a5b00';
  const head = `<b style="color:${colour}">Exercise ${escapeHtml(v.exercise)} · ${escapeHtml(v.title)}: ${v.passed ? 'passed ✓' : 'not yet'}</b>`;
  if (v.passed) return `<div class="tsdl-verdict">${head}</div>`;
  const hint = v.hint ? `<br><i>Hint:</i> ${escapeHtml(v.hint)}` : '';
  return `<div class="tsdl-verdict">${head}<br>${escapeHtml(v.message)}${hint}</div>`;
}

/** Displays a verdict (text, HTML, and JSON for the grader). Usage: `showVerdict(v)` */
export function showVerdict(v: Verdict): void {
  showBundle({ 'text/plain': verdictText(v), 'text/html': verdictHtml(v), [VERDICT_MIME]: { ...v } });
}

/**
 * Runs one exercise's check and shows its verdict. `body` throws {@link AnswerMissing} or
 * {@link AnswerWrong} (through {@link need}, {@link expect}, ...) to say what is not right; any other
 * error (the student's function threw, a tensor had the wrong shape) becomes a "not yet" that quotes
 * it. Never throws, so "Run all" goes on.
 * Usage: `export const check05_1 = (a: { model?: unknown }) => runCheck('05.1', 'A wider CNN', () => { ... })`
 */
export async function runCheck(exercise: string, title: string, body: () => void | Promise<void>): Promise<Verdict> {
  let verdict: Verdict;
  try {
    await body();
    verdict = { exercise, title, status: 'passed', passed: true, message: '', hint: '' };
  } catch (err) {
    if (err instanceof AnswerMissing) {
      verdict = { exercise, title, status: 'missing', passed: false, message: err.message, hint: err.hint };
    } else if (err instanceof AnswerWrong) {
      verdict = { exercise, title, status: 'wrong', passed: false, message: err.message, hint: err.hint };
    } else {
      const text = err instanceof Error ? err.message : String(err);
      verdict = {
        exercise, title, status: 'wrong', passed: false,
        message: `checking your answer raised an error: ${text.split('\n')[0]}`,
        hint: 'run your answer cell on a small input yourself and read the error',
      };
    }
  }
  showVerdict(verdict);
  // tslab echoes a cell's last value with console.log: the verdict is already displayed, so its
  // echo is empty (a hidden, non-enumerable hook; the JSON and the fields are unchanged).
  Object.defineProperty(verdict, Symbol.for('nodejs.util.inspect.custom'), { value: () => '', enumerable: false });
  return verdict;
}
