/**
 * Checks for notebook 00's exercises: a tensor of a given shape, a function on tensors (tried on
 * vectors the notebook does not show), and a model with its parameter count.
 *
 * Usage (in notebook 00): `await check00_2({ standardize: standardize })`
 */
import * as tf from '@tensorflow/tfjs';
import { AnswerWrong, close, expect, expectFunction, expectLayers, expectModel, expectNumber, expectTensor, need, runCheck, type Verdict } from './check';

/** The exercises of notebook 00, in order. */
export const EXERCISES_00: readonly string[] = ['00.1', '00.2', '00.3'];

/**
 * 00.1 · `grid`: a [3, 4] tensor holding 0..11 row by row.
 * Usage: `await check00_1({ grid: grid })`
 */
export function check00_1(answer: { grid?: unknown }): Promise<Verdict> {
  return runCheck('00.1', 'A tensor of a given shape', () => {
    const grid = expectTensor(need(answer.grid, 'grid', 'a tensor of shape [3, 4]'), 'grid', [3, 4]);
    const values = Array.from(grid.dataSync());
    const wrong = values.findIndex((v, k) => v !== k);
    expect(wrong === -1, `grid[${Math.floor(wrong / 4)}][${wrong % 4}] is ${values[wrong]}, not 4 * ${Math.floor(wrong / 4)} + ${wrong % 4}`, 'tf.range(0, n) counts from 0 to n - 1; reshape fills the rows one after the other');
  });
}

/** Hidden inputs for 00.2: lengths, scales and offsets the prompt does not show. */
function standardizeInputs(): number[][] {
  const wave = (n: number, scale: number, offset: number): number[] => Array.from({ length: n }, (_, i) => offset + scale * Math.sin(1.7 * i + 0.3) + 0.1 * i);
  return [[2, 4, 4, 4, 5, 5, 7, 9], [-3, 1], wave(5, 0.01, 100), wave(97, 40, -7)];
}

function expectedStandardized(xs: number[]): number[] {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return xs.map((x) => (x - mean) / std);
}

/**
 * 00.2 · `standardize(v)`: (v - mean) / std of a 1-D tensor, leaving no tensor behind but its result.
 * Usage: `await check00_2({ standardize: standardize })`
 */
export function check00_2(answer: { standardize?: unknown }): Promise<Verdict> {
  return runCheck('00.2', 'A function on tensors', () => {
    const f = expectFunction(need(answer.standardize, 'standardize', 'a function (v: tf.Tensor1D) => tf.Tensor1D'), 'standardize', 1) as (v: tf.Tensor1D) => unknown;
    for (const xs of standardizeInputs()) {
      const input = tf.tensor1d(xs);
      const before = tf.memory().numTensors;
      let out: unknown;
      try {
        out = f(input);
        const made = tf.memory().numTensors - before;
        const got = expectTensor(out, `standardize(a vector of ${xs.length})`, [xs.length]);
        const want = expectedStandardized(xs);
        const values = Array.from(got.dataSync());
        const k = values.findIndex((v, i) => !close(v, want[i], 1e-3));
        if (k !== -1) {
          throw new AnswerWrong(`on a vector of ${xs.length} numbers, entry ${k} is ${values[k].toFixed(4)} where ${want[k].toFixed(4)} was expected`, 'subtract the mean, then divide by the square root of the variance (tf.moments(v) gives both)');
        }
        expect(!input.isDisposed, 'standardize disposed its input', 'the caller owns the input: dispose only tensors your function made');
        expect(made <= 1, `standardize left ${made - 1} tensor(s) behind besides its result`, 'wrap the body in tf.tidy(() => ...), which frees everything but the tensor returned');
      } finally {
        input.dispose();
        if (out instanceof tf.Tensor && out !== input) out.dispose();
      }
    }
  });
}

/**
 * 00.3 · `wider`: 784 -> Dense(200, relu) -> Dense(10, softmax), and `widerParams`, its parameter count.
 * Usage: `await check00_3({ wider: wider, widerParams: widerParams })`
 */
export function check00_3(answer: { wider?: unknown; widerParams?: unknown }): Promise<Verdict> {
  return runCheck('00.3', 'A model and its parameters', () => {
    const model = expectModel(need(answer.wider, 'wider', 'a tf.Sequential'), 'wider');
    const input = model.inputs[0]?.shape ?? [];
    expect(input.length === 2 && input[1] === 784, `\`wider\` takes inputs of shape [${input.map((d) => d ?? 'batch').join(', ')}]`, 'give its first layer inputShape: [784] (a flattened 28x28 image)');
    expectLayers(model, 'wider', [
      { type: 'Dense', units: 200, activation: 'relu' },
      { type: 'Dense', units: 10, activation: 'softmax' },
    ]);
    const params = expectNumber(need(answer.widerParams, 'widerParams', 'a number'), 'widerParams');
    const hidden = 784 * 200;
    expect(params !== hidden + 200 * 10, `widerParams is ${params}: the weights are there, the biases are not`, 'each Dense layer also has one bias per unit');
    expect(params === model.countParams(), `widerParams is ${params}, which is not the number of parameters of \`wider\``, 'count, for each Dense layer, inputs x units weights plus units biases; summary(wider) shows the count per layer');
  });
}
