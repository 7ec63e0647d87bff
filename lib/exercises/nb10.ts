/**
 * Checks of notebook 10's exercises (autoencoder features for classification). Each runs the
 * student's answer on inputs beyond the notebook's, never prints the solution, never throws, frees
 * its tensors.
 *
 * Usage (in notebook 10): `await check10_3({ confusionOf: confusionOf })`
 */
import * as tf from '@tensorflow/tfjs';
import { close, describeValue, expect, expectFunction, expectNumber, need, runCheck, type Verdict } from './check';
import { expectNoisyInputError } from './noisy-error';

/** The ids of notebook 10's exercises. */
export const EXERCISES_10: readonly string[] = ['10.1', '10.2', '10.3', '10.4'];

/** Exercise 1: standardise with the training split's statistics. Usage: `await check10_1({ standardize })` */
export function check10_1(answer: { standardize?: unknown }): Promise<Verdict> {
  return runCheck('10.1', 'Raw pixels as the baseline', () => {
    const fn = expectFunction(need(answer.standardize, 'standardize', 'a function (train, other) => tf.Tensor2D'), 'standardize', 2) as (a: tf.Tensor2D, b: tf.Tensor2D) => unknown;
    const trainRows = [[0, 1, 5], [2, 1, 7], [4, 1, 6], [6, 1, 2]];
    const otherRows = [[1, 1, 3], [3, 0, 9]];
    const train = tf.tensor2d(trainRows);
    const other = tf.tensor2d(otherRows);
    try {
      const n = trainRows.length;
      const mean = trainRows[0].map((_, j) => trainRows.reduce((s, r) => s + r[j], 0) / n);
      const std = trainRows[0].map((_, j) => Math.sqrt(trainRows.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n));
      const want = otherRows.map((r) => r.map((v, j) => (std[j] > 0 ? (v - mean[j]) / std[j] : 0)));
      const before = tf.memory().numTensors;
      const got = fn(train, other);
      expect(got instanceof tf.Tensor, `standardize returned ${describeValue(got)}`, 'return a tensor shaped like `other`');
      const t = got as tf.Tensor;
      const arr = t.arraySync() as number[][];
      t.dispose();
      expect(tf.memory().numTensors <= before, 'standardize left tensors allocated besides its result', 'wrap it in tf.tidy');
      expect(arr.length === want.length && arr[0]?.length === want[0].length, `the result has shape [${t.shape}]`, 'keep the shape of `other`');
      expect(arr[0].every((v) => Number.isFinite(v)) && arr[1].every((v) => Number.isFinite(v)), 'a constant column gives NaN or Infinity', 'where the training standard deviation is 0, output 0');
      expect(arr.every((r, i) => r.every((v, j) => Math.abs(v - want[i][j]) < 1e-4)), 'the values are not (other − training mean) / training std', "use the training split's mean and population std (tf.moments(train, 0)), not `other`'s");
    } finally {
      tf.dispose([train, other]);
    }
  });
}

/** Exercise 2: a ReLU classifier. Usage: `await check10_2({ reluClassifier })` */
export function check10_2(answer: { reluClassifier?: unknown }): Promise<Verdict> {
  return runCheck('10.2', 'ReLU instead of logistic units', () => {
    const fn = expectFunction(need(answer.reluClassifier, 'reluClassifier', 'a function (inputs, hidden, classes) => tf.Sequential'), 'reluClassifier', 3) as (i: number, h: number[], c: number) => unknown;
    for (const [inputs, hidden, classes] of [[32, [512, 256, 256], 5], [10, [8, 4], 3]] as [number, number[], number][]) {
      const m = fn(inputs, hidden.slice(), classes);
      expect(m instanceof tf.LayersModel, `reluClassifier(${inputs}, [${hidden}], ${classes}) returned ${describeValue(m)}`, 'return a tf.sequential model');
      const model = m as tf.LayersModel;
      try {
        const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
        const acts = dense.map((l) => (l.getConfig() as { activation?: string }).activation);
        const units = dense.map((l) => (l.getConfig() as { units?: number }).units);
        expect(JSON.stringify(units) === JSON.stringify([...hidden, classes]), `the Dense layers have ${units.join(', ')} units for hidden [${hidden}] and ${classes} classes`, 'one Dense per hidden size, then one with `classes` units');
        expect(acts.slice(0, -1).every((a) => a === 'relu'), `the hidden activations are ${acts.slice(0, -1).join(', ')}`, "activation: 'relu' on every hidden layer");
        expect(acts.at(-1) === 'softmax', `the output activation is ${acts.at(-1)}`, 'softmax on the output');
        expect(JSON.stringify(model.inputs[0].shape) === JSON.stringify([null, inputs]), `the input shape is ${JSON.stringify(model.inputs[0].shape)}`, 'inputShape: [inputs] on the first layer');
      } finally {
        model.dispose();
      }
    }
  });
}

/** Exercise 3: confusion matrix and accuracy. Usage: `await check10_3({ confusionOf })` */
export function check10_3(answer: { confusionOf?: unknown }): Promise<Verdict> {
  return runCheck('10.3', 'Accuracy and the confusion matrix', () => {
    const fn = expectFunction(need(answer.confusionOf, 'confusionOf', 'a function (trueLabels, predicted, classes) => { matrix, accuracy }'), 'confusionOf', 3) as (t: ArrayLike<number>, p: ArrayLike<number>, c: number) => unknown;
    const cases: [number[], number[], number][] = [
      [[0, 1, 2, 2, 1, 0, 2], [0, 2, 2, 1, 1, 0, 0], 3],
      [[1, 1, 0, 3], [1, 0, 0, 3], 4],
    ];
    for (const [t, p, c] of cases) {
      const want = Array.from({ length: c }, () => new Array(c).fill(0));
      t.forEach((v, i) => want[v][p[i]]++);
      const acc = t.filter((v, i) => v === p[i]).length / t.length;
      const got = fn(Int32Array.from(t), Int32Array.from(p), c) as { matrix?: unknown; accuracy?: unknown } | null;
      expect(got !== null && typeof got === 'object', `confusionOf returned ${describeValue(got)}`, 'return { matrix, accuracy }');
      const m = got.matrix;
      expect(Array.isArray(m) && m.length === c && m.every((r) => Array.isArray(r) && r.length === c), `for ${c} classes the matrix is not ${c} × ${c}`, 'one row per true class, one column per predicted class');
      const ok = (m as number[][]).every((r, i) => r.every((v, j) => v === want[i][j]));
      const transposed = (m as number[][]).every((r, i) => r.every((v, j) => v === want[j][i]));
      expect(ok, `for ${t.length} test labels the counts are wrong`, transposed ? 'rows are the true classes, columns the predictions: you have them the other way round' : 'count each (true, predicted) pair once');
      const a = expectNumber(got.accuracy, 'accuracy');
      expect(close(a, acc, 1e-9), `the accuracy is ${a}`, 'the share of labels predicted right (the diagonal over the total)');
    }
  });
}

/** Exercise 4: reconstruction error from noisy inputs. Usage: `await check10_4({ noisyInputError })` */
export function check10_4(answer: { noisyInputError?: unknown }): Promise<Verdict> {
  return runCheck('10.4', 'Noise at test time', () => expectNoisyInputError(answer.noisyInputError, 'noisyInputError', {
    shape: [6, 20],
    seed: 31,
    reconstructors: [['identity', (x) => x.clone()], ['a blur', (x) => x.mul(0.8).add(0.1)]],
    levels: [[40, 7], [20, 3]],
    hint: 'the target is the clean image; the input is addNoise(clean, noisePercent(percent), seed)',
  }));
}
