/**
 * Checks of notebook 01's exercises (an MLP on Fashion-MNIST).
 *
 * Usage (in the notebook): `import { check01_1 } from '../dist/lib/exercises'; await check01_1({ crossEntropy: crossEntropy });`
 */
import { Verdict, close, describeValue, expect, expectFunction, expectNumber, need, runCheck } from './check';
import { describeLayers } from './model-answers';
import { expectModel } from './check';

/** The ids of notebook 01's exercises. */
export const EXERCISES_01: readonly string[] = ['01.1', '01.2', '01.3', '01.4', '01.5'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Rows of probabilities (each sums to 1) and labels, from a seed. */
function randomPredictions(n: number, classes: number, seed: number): { probs: number[][]; labels: number[] } {
  const r = lcg(seed);
  const probs = Array.from({ length: n }, () => {
    const raw = Array.from({ length: classes }, () => r() ** 3 + 1e-3);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / sum);
  });
  return { probs, labels: Array.from({ length: n }, () => Math.floor(r() * classes)) };
}

/**
 * Exercise 01.1: `crossEntropy(labels, probs)`, tried on hidden predictions.
 * Usage: `await check01_1({ crossEntropy: crossEntropy })`
 */
export const check01_1 = (answer: { crossEntropy?: unknown }): Promise<Verdict> =>
  runCheck('01.1', 'One-hot targets and the cross-entropy', () => {
    const f = expectFunction(need(answer.crossEntropy, 'crossEntropy', 'a function (labels, probs) => number'), 'crossEntropy', 2) as (l: number[], p: number[][]) => unknown;
    for (const [n, c, seed] of [[6, 10, 1], [25, 4, 2], [1, 3, 3]]) {
      const { probs, labels } = randomPredictions(n, c, seed);
      const want = labels.reduce((s, k, i) => s - Math.log(probs[i][k]), 0) / n;
      const got = expectNumber(f(labels.slice(), probs.map((r) => r.slice())), 'crossEntropy(labels, probs)');
      expect(close(got, want, 1e-9), `on ${n} hidden predictions over ${c} classes, crossEntropy returned ${got}`,
        'for each sample take −log of the probability of its true class, then the mean (not the sum) over the samples');
    }
  });

/**
 * Exercise 01.2: `valAccuracyByRate` for 0.001, 0.01 and 0.1, and `bestRate`, the best of them.
 * Usage: `await check01_2({ valAccuracyByRate: valAccuracyByRate, bestRate: bestRate })`
 */
export const check01_2 = (answer: { valAccuracyByRate?: unknown; bestRate?: unknown }): Promise<Verdict> =>
  runCheck('01.2', 'The learning rate', () => {
    const rec = need(answer.valAccuracyByRate, 'valAccuracyByRate', "an object { '0.001': number, '0.01': number, '0.1': number }") as Record<string, unknown>;
    const accs = ['0.001', '0.01', '0.1'].map((k) => {
      expect(rec[k] !== undefined, `valAccuracyByRate has no entry '${k}'`, 'store each run under String(lr)');
      const a = expectNumber(rec[k], `valAccuracyByRate['${k}']`);
      expect(a >= 0 && a <= 1, `valAccuracyByRate['${k}'] is ${a}`, 'the final val_accuracy, between 0 and 1');
      return a;
    });
    const best = expectNumber(need(answer.bestRate, 'bestRate', 'a number (0.001, 0.01 or 0.1)'), 'bestRate');
    const wantBest = [0.001, 0.01, 0.1][accs.indexOf(Math.max(...accs))];
    expect(best === wantBest, `bestRate is ${best}, but your own table ranks ${wantBest} first`, 'keep the rate with the highest validation accuracy');
  });

/**
 * Exercise 01.3: `mlpParams(sizes)` on hidden layer lists, and the model `mlp3` (512-256-128).
 * Usage: `await check01_3({ mlpParams: mlpParams, mlp3: mlp3 })`
 */
export const check01_3 = (answer: { mlpParams?: unknown; mlp3?: unknown }): Promise<Verdict> =>
  runCheck('01.3', 'Counting parameters', () => {
    const f = expectFunction(need(answer.mlpParams, 'mlpParams', 'a function (sizes) => number'), 'mlpParams', 1) as (s: number[]) => unknown;
    for (const sizes of [[784, 300, 100, 10], [3, 2], [10, 7, 5, 3, 2], [64, 1]]) {
      const want = sizes.slice(1).reduce((a, m, i) => a + sizes[i] * m + m, 0);
      const got = f(sizes.slice());
      expect(got === want, `mlpParams([${sizes.join(', ')}]) returned ${describeValue(got)}`, 'each Dense layer from n to m units has n·m weights and m biases');
    }
    const m = expectModel(need(answer.mlp3, 'mlp3', 'a tf.Sequential'), 'mlp3');
    const layers = describeLayers(m);
    const dims = layers.map((l) => `${l.className}${l.outputShape.join('x')}`).join(' ');
    expect(dims === 'Flatten784 Dense512 Dense256 Dense128 Dense10', `mlp3 is ${dims}`, 'Flatten the 28x28 images, then Dense 512, 256, 128 and 10');
    const acts = m.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { activation: string }).activation);
    expect(acts.join() === 'relu,relu,relu,softmax', `mlp3's activations are ${acts.join(', ')}`, 'ReLU hidden layers, softmax output');
  });

/**
 * Exercise 01.4: `confidentMistakes(probs, labels, k)`, tried on hidden predictions.
 * Usage: `await check01_4({ confidentMistakes: confidentMistakes })`
 */
export const check01_4 = (answer: { confidentMistakes?: unknown }): Promise<Verdict> =>
  runCheck('01.4', 'Confident mistakes', () => {
    const f = expectFunction(need(answer.confidentMistakes, 'confidentMistakes', 'a function (probs, labels, k) => number[]'), 'confidentMistakes', 3) as
      (p: number[][], l: number[], k: number) => unknown;
    for (const [n, c, k, seed] of [[30, 5, 4, 7], [12, 3, 20, 8]]) {
      const { probs, labels } = randomPredictions(n, c, seed);
      const want = probs
        .map((row, i) => ({ i, pred: row.indexOf(Math.max(...row)), conf: Math.max(...row) }))
        .filter((r) => r.pred !== labels[r.i])
        .sort((a, b) => b.conf - a.conf)
        .slice(0, k)
        .map((r) => r.i);
      const got = f(probs.map((r) => r.slice()), labels.slice(), k);
      expect(Array.isArray(got) && got.length === want.length && got.every((v, i) => v === want[i]),
        `on ${n} hidden predictions (k = ${k}) confidentMistakes returned ${Array.isArray(got) ? `[${got.join(', ')}]` : describeValue(got)}`,
        'keep the images whose arg-max differs from the label, sort them by the arg-max probability (largest first), and return at most k indices');
    }
  });

/**
 * Exercise 01.5: `validatedOn`: first and last index of the images `validationSplit: 0.1` holds out.
 * Usage: `await check01_5({ validatedOn: validatedOn, subsetSize: P.exerciseTrain })`
 */
export const check01_5 = (answer: { validatedOn?: unknown; subsetSize?: number }): Promise<Verdict> =>
  runCheck('01.5', 'validation_split instead of a hand-made split', () => {
    const v = need(answer.validatedOn, 'validatedOn', 'a pair [first, last] of indices');
    expect(Array.isArray(v) && v.length === 2, `validatedOn is ${describeValue(v)}`, 'give [first index, last index]');
    const n = answer.subsetSize ?? 0;
    const [first, last] = v as unknown[];
    const at = Math.floor(n * (1 - 0.1));
    expect(first === at && last === n - 1, `validatedOn is [${String(first)}, ${String(last)}]`,
      'validationSplit takes the LAST 10 % of the samples, before any shuffling: from floor(0.9·n) to n − 1');
  });
