/**
 * Checks of notebook 11's exercises (a tabular autoencoder). Each runs the student's answer on
 * inputs beyond the notebook's, never prints the solution, never throws, frees its tensors.
 *
 * Usage (in notebook 11): `await check11_3({ columnMae: columnMae })`
 */
import * as tf from '@tensorflow/tfjs';
import { PCA } from '../unsupervised/pca';
import { close, describeValue, expect, expectFunction, expectNumber, need, runCheck, type Verdict } from './check';

/** The ids of notebook 11's exercises. */
export const EXERCISES_11: readonly string[] = ['11.1', '11.2', '11.3', '11.4', '11.5'];

function noLeak<T>(fn: () => T, name: string): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors <= before, `${name} left tensors allocated`, 'wrap the computation in tf.tidy and return plain numbers');
  return out;
}

/** Exercise 1: MAE over the first k columns. Usage: `await check11_1({ maeOnFirstColumns })` */
export function check11_1(answer: { maeOnFirstColumns?: unknown }): Promise<Verdict> {
  return runCheck('11.1', 'Put ocean_proximity back', () => {
    const fn = expectFunction(need(answer.maeOnFirstColumns, 'maeOnFirstColumns', 'a function (pred, target, k) => number'), 'maeOnFirstColumns', 3) as (p: tf.Tensor2D, t: tf.Tensor2D, k: number) => unknown;
    const pred = tf.tensor2d([[0.1, 0.5, 0.9, 1], [0.3, 0.2, 0.0, 0], [0.7, 0.7, 0.7, 1]]);
    const target = tf.tensor2d([[0.2, 0.5, 0.5, 0], [0.3, 0.6, 0.1, 1], [0.4, 0.9, 0.6, 0]]);
    try {
      for (const k of [2, 3, 1]) {
        const p = pred.arraySync() as number[][];
        const t = target.arraySync() as number[][];
        let sum = 0;
        for (let i = 0; i < p.length; i++) for (let j = 0; j < k; j++) sum += Math.abs(p[i][j] - t[i][j]);
        const want = sum / (p.length * k);
        const got = expectNumber(noLeak(() => fn(pred, target, k), 'maeOnFirstColumns'), `maeOnFirstColumns(pred, target, ${k})`);
        expect(close(got, want, 1e-5), `for k = ${k} the MAE is ${got}`, 'slice the first k columns of both (slice([0, 0], [-1, k])), then the mean of |pred − target|');
      }
    } finally {
      tf.dispose([pred, target]);
    }
  });
}

/** Exercise 2: PCA reconstruction MAE. Usage: `await check11_2({ pcaMae })` */
export function check11_2(answer: { pcaMae?: unknown }): Promise<Verdict> {
  return runCheck('11.2', 'PCA as the baseline', () => {
    const fn = expectFunction(need(answer.pcaMae, 'pcaMae', 'a function (train, test, k) => number'), 'pcaMae', 3) as (a: tf.Tensor2D, b: tf.Tensor2D, k: number) => unknown;
    const train = tf.tidy(() => tf.randomUniform([40, 5], 0, 1, 'float32', 3).matMul(tf.randomNormal([5, 5], 0, 1, 'float32', 4))) as tf.Tensor2D;
    const test = tf.tidy(() => tf.randomUniform([10, 5], 0, 1, 'float32', 5).matMul(tf.randomNormal([5, 5], 0, 1, 'float32', 4))) as tf.Tensor2D;
    try {
      for (const k of [2, 4]) {
        const pca = new PCA({ nComponents: k }).fit(train);
        const want = tf.tidy(() => tf.mean(tf.abs(tf.sub(pca.inverseTransform(pca.transform(test)), test))).dataSync()[0]);
        const got = expectNumber(fn(train, test, k), `pcaMae(train, test, ${k})`);
        expect(close(got, want, 1e-3), `for k = ${k} on test data the MAE is ${got}`, 'fit on the training rows only, then reconstruct the test rows with inverseTransform(transform(test)) and average |reconstruction − test|');
      }
    } finally {
      tf.dispose([train, test]);
    }
  });
}

/** Exercise 3: MAE per column. Usage: `await check11_3({ columnMae })` */
export function check11_3(answer: { columnMae?: unknown }): Promise<Verdict> {
  return runCheck('11.3', 'Which column is hardest?', () => {
    const fn = expectFunction(need(answer.columnMae, 'columnMae', 'a function (pred, target) => number[]'), 'columnMae', 2) as (p: tf.Tensor2D, t: tf.Tensor2D) => unknown;
    for (const [p, t] of [[[[0.1, 0.5, 0.9], [0.3, 0.2, 0.0]], [[0.2, 0.5, 0.5], [0.3, 0.6, 0.1]]], [[[1, 0], [0, 1], [0.5, 0.5], [0.2, 0.9]], [[0, 0], [0, 0], [0, 1], [1, 1]]]] as number[][][][]) {
      const pred = tf.tensor2d(p);
      const target = tf.tensor2d(t);
      try {
        const want = p[0].map((_, j) => p.reduce((s, r, i) => s + Math.abs(r[j] - t[i][j]), 0) / p.length);
        const got = noLeak(() => fn(pred, target), 'columnMae');
        expect(Array.isArray(got) && got.length === want.length, `for ${p[0].length} columns columnMae returned ${describeValue(got)}`, 'return an array with one number per column');
        const g = got as unknown[];
        expect(g.every((v, j) => typeof v === 'number' && close(v, want[j], 1e-5)), `for a test table of ${p.length} rows the per-column MAE is wrong`, 'the mean of |pred − target| over the rows (axis 0), one value per column');
      } finally {
        tf.dispose([pred, target]);
      }
    }
  });
}

/** Exercise 4: the small regressor. Usage: `await check11_4({ houseValueRegressor })` */
export function check11_4(answer: { houseValueRegressor?: unknown }): Promise<Verdict> {
  return runCheck('11.4', 'Are the features useful?', () => {
    const fn = expectFunction(need(answer.houseValueRegressor, 'houseValueRegressor', 'a function (inputs) => tf.LayersModel'), 'houseValueRegressor', 1) as (n: number) => unknown;
    for (const n of [7, 8, 3]) {
      const m = fn(n);
      expect(m instanceof tf.LayersModel, `houseValueRegressor(${n}) returned ${describeValue(m)}`, 'return a tf.sequential model');
      const model = m as tf.LayersModel;
      try {
        const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
        expect(dense.length === 2, `houseValueRegressor(${n}) has ${dense.length} Dense layers`, 'Dense(32, relu) then Dense(1)');
        const acts = dense.map((l) => (l.getConfig() as { activation?: string }).activation);
        expect(acts[0] === 'relu' && acts[1] === 'linear', `the activations are ${acts.join(', ')}`, 'ReLU on the hidden layer, none (linear) on the output');
        expect(model.countParams() === n * 32 + 32 + 33, `houseValueRegressor(${n}) has ${model.countParams()} parameters`, 'Dense(32) on the inputs, then Dense(1)');
        expect(JSON.stringify(model.outputs[0].shape) === JSON.stringify([null, 1]), `the output shape is ${JSON.stringify(model.outputs[0].shape)}`, 'one number per row');
      } finally {
        model.dispose();
      }
    }
  });
}

/** Exercise 5: share of values outside (0, 1). Usage: `await check11_5({ shareOutsideSigmoid })` */
export function check11_5(answer: { shareOutsideSigmoid?: unknown }): Promise<Verdict> {
  return runCheck('11.5', 'StandardScaler instead', () => {
    const fn = expectFunction(need(answer.shareOutsideSigmoid, 'shareOutsideSigmoid', 'a function (values) => number'), 'shareOutsideSigmoid', 1) as (v: ArrayLike<number>) => unknown;
    for (const values of [[-1, 0, 0.5, 1, 2, 0.99], [0.1, 0.2], [-0.3, 1.7, 0.4, 0.000001]]) {
      const want = values.filter((v) => v <= 0 || v >= 1).length / values.length;
      const got = expectNumber(fn(Float64Array.from(values)), 'shareOutsideSigmoid(...)');
      expect(close(got, want, 1e-9), `for [${values.join(', ')}] the share is ${got}`, 'count the values ≤ 0 or ≥ 1 (a sigmoid reaches neither), divide by how many there are');
    }
  });
}
