/**
 * Checks of notebook 02's exercises (training deep networks).
 *
 * Usage (in the notebook): `import { check02_1 } from '../dist/lib/exercises'; await check02_1({ buildBigMlp: buildBigMlp });`
 */
import * as tf from '@tensorflow/tfjs';
import { Verdict, close, describeValue, expect, expectFunction, expectNumber, need, runCheck } from './check';
import { buildWith, describeLayers } from './model-answers';

/** The ids of notebook 02's exercises. */
export const EXERCISES_02: readonly string[] = ['02.1', '02.2', '02.3', '02.4', '02.5'];

function kernelStd(layer: tf.layers.Layer): number {
  return tf.tidy(() => {
    const k = layer.getWeights()[0];
    return Math.sqrt(tf.moments(k).variance.dataSync()[0]);
  });
}

/**
 * Exercise 02.1: `buildBigMlp()` is a 10x100 ReLU MLP with N(0, 0.3²) kernels and a linear output.
 * Usage: `await check02_1({ buildBigMlp: buildBigMlp })`
 */
export const check02_1 = (answer: { buildBigMlp?: unknown }): Promise<Verdict> =>
  runCheck('02.1', 'Exploding gradients', () => {
    const build = expectFunction(need(answer.buildBigMlp, 'buildBigMlp', 'a function returning a tf.Sequential'), 'buildBigMlp');
    const a = buildWith(build, 'buildBigMlp');
    const b = buildWith(build, 'buildBigMlp');
    try {
      expect(a !== b, 'buildBigMlp() returned the same model twice', 'create the model inside the function, so each call builds a fresh one');
      const layers = describeLayers(a);
      const denses = a.layers.filter((l) => l.getClassName() === 'Dense');
      expect(denses.length === 11, `buildBigMlp() has ${denses.length} Dense layers`, '10 hidden Dense layers and one output layer');
      expect(layers[0].className === 'Flatten' && layers[0].outputShape[0] === 784, `the first layer is ${layers[0].className} with output [${layers[0].outputShape.join(', ')}]`,
        'start with tf.layers.flatten({ inputShape: [28, 28] })');
      denses.slice(0, 10).forEach((l, i) => {
        const cfg = l.getConfig() as { units: number; activation: string };
        expect(cfg.units === 100 && cfg.activation === 'relu', `hidden layer ${i + 1} has ${cfg.units} units and activation ${cfg.activation}`, 'each hidden layer: 100 units, ReLU');
        const std = kernelStd(l);
        expect(Math.abs(std - 0.3) < 0.03, `hidden layer ${i + 1}'s kernel has a standard deviation of ${std.toFixed(3)}`, 'draw every hidden kernel from tf.initializers.randomNormal({ stddev: 0.3 })');
      });
      const out = denses[10].getConfig() as { units: number; activation: string };
      expect(out.units === 10 && out.activation === 'linear', `the output layer has ${out.units} units and activation ${out.activation}`, "10 units, activation 'linear' (the loss works on logits)");
    } finally {
      if (a !== b) {
        a.dispose();
        b.dispose();
      }
    }
  });

function referencePath(nesterov: boolean, steps: number, eta: number, beta: number): number[] {
  let theta = 1;
  let m = 0;
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    m = beta * m - eta * (nesterov ? theta + beta * m : theta);
    theta += m;
    out.push(nesterov ? theta + beta * m : theta);
  }
  return out;
}

/**
 * Exercise 02.2: `momentumPath(nesterov, steps, eta, beta)`, tried on hidden settings.
 * Usage: `await check02_2({ momentumPath: momentumPath })`
 */
export const check02_2 = (answer: { momentumPath?: unknown }): Promise<Verdict> =>
  runCheck('02.2', 'Momentum by hand', () => {
    const f = expectFunction(need(answer.momentumPath, 'momentumPath', 'a function (nesterov, steps, eta, beta) => number[]'), 'momentumPath', 4) as
      (nesterov: boolean, steps: number, eta: number, beta: number) => unknown;
    for (const [nesterov, steps, eta, beta] of [[false, 7, 0.05, 0.8], [true, 12, 0.2, 0.5], [false, 3, 0.3, 0.0], [true, 9, 0.1, 0.95]] as const) {
      const got = f(nesterov, steps, eta, beta);
      const what = `momentumPath(${nesterov}, ${steps}, ${eta}, ${beta})`;
      expect(Array.isArray(got) && got.length === steps, `${what} returned ${describeValue(got)}`, 'return one value per step');
      const want = referencePath(nesterov, steps, eta, beta);
      const bad = (got as unknown[]).findIndex((v, i) => typeof v !== 'number' || !close(v, want[i], 1e-9));
      expect(bad < 0, `${what}: the value after step ${bad + 1} is ${String((got as unknown[])[bad])}, not what the formulas give`,
        nesterov ? 'Nesterov: the gradient at θ + βm, and return φ = θ + βm after the update' : 'm ← βm − η∇J(θ); θ ← θ + m, starting from θ = 1, m = 0');
    }
  });

/**
 * Exercise 02.3: trainable parameters after unfreezing only the top hidden layer, and the test
 * accuracy it reaches (an experiment: any accuracy in [0, 1] passes).
 * Usage: `await check02_3({ trainableTopOnly: trainableTopOnly, topOnlyAccuracy: topOnlyAccuracy })`
 */
export const check02_3 = (answer: { trainableTopOnly?: unknown; topOnlyAccuracy?: unknown }): Promise<Verdict> =>
  runCheck('02.3', 'How many layers to unfreeze?', () => {
    const n = expectNumber(need(answer.trainableTopOnly, 'trainableTopOnly', 'a number of parameters'), 'trainableTopOnly');
    const topHidden = 300 * 100 + 100;
    const head = 100 * 1 + 1;
    expect(n === topHidden + head, `trainableTopOnly is ${n}`,
      n === head ? 'that is only the new output layer: unfreeze the 100-unit Dense layer too'
        : 'count the kernel and bias of the 100-unit hidden layer and of the new 1-unit output layer; everything below stays frozen');
    const acc = expectNumber(need(answer.topOnlyAccuracy, 'topOnlyAccuracy', 'a test accuracy'), 'topOnlyAccuracy');
    expect(acc >= 0 && acc <= 1, `topOnlyAccuracy is ${acc}, not an accuracy in [0, 1]`, 'store evaluate(...).accuracy');
  });

/**
 * Exercise 02.4: `halveEachEpoch(epoch, lr)`, tried on hidden epochs and rates.
 * Usage: `await check02_4({ halveEachEpoch: halveEachEpoch })`
 */
export const check02_4 = (answer: { halveEachEpoch?: unknown }): Promise<Verdict> =>
  runCheck('02.4', 'Schedules per epoch', () => {
    const f = expectFunction(need(answer.halveEachEpoch, 'halveEachEpoch', 'a function (epoch, lr) => number'), 'halveEachEpoch', 2) as (e: number, lr: number) => unknown;
    for (const [epoch, lr, want] of [[0, 0.7, 0.05], [0, 0.01, 0.05], [1, 0.05, 0.025], [4, 0.004, 0.002], [9, 1e-4, 5e-5]]) {
      const got = f(epoch, lr);
      expect(typeof got === 'number' && close(got, want, 1e-9), `halveEachEpoch(${epoch}, ${lr}) returned ${describeValue(got)}`,
        'epoch 0: 0.05 whatever lr is; later epochs: half the lr it receives');
    }
  });

function referenceBnChannels(x: number[][][][], gamma: number[], beta: number[], eps: number): number[][][][] {
  const c = gamma.length;
  const values: number[][] = Array.from({ length: c }, () => []);
  for (const img of x) for (const row of img) for (const px of row) px.forEach((v, k) => values[k].push(v));
  const mean = values.map((vs) => vs.reduce((s, v) => s + v, 0) / vs.length);
  const variance = values.map((vs, k) => vs.reduce((s, v) => s + (v - mean[k]) ** 2, 0) / vs.length);
  return x.map((img) => img.map((row) => row.map((px) => px.map((v, k) => gamma[k] * (v - mean[k]) / Math.sqrt(variance[k] + eps) + beta[k]))));
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Exercise 02.5: `batchNormChannels(x, gamma, beta, epsilon)`, tried on hidden random batches.
 * Usage: `await check02_5({ batchNormChannels: batchNormChannels })`
 */
export const check02_5 = (answer: { batchNormChannels?: unknown }): Promise<Verdict> =>
  runCheck('02.5', 'Batch normalisation for images', () => {
    const f = expectFunction(need(answer.batchNormChannels, 'batchNormChannels', 'a function (x, gamma, beta, epsilon) => number[][][][]'), 'batchNormChannels', 4) as
      (x: number[][][][], g: number[], b: number[], e: number) => unknown;
    const rand = lcg(2002);
    for (const [bs, h, w, c, eps] of [[3, 2, 4, 3, 1e-3], [2, 3, 3, 2, 0.5]]) {
      const x = Array.from({ length: bs }, () => Array.from({ length: h }, () => Array.from({ length: w }, () =>
        Array.from({ length: c }, (_, k) => 5 * k + (k + 1) * (rand() - 0.5) * 4))));
      const gamma = Array.from({ length: c }, () => 0.5 + rand() * 2);
      const beta = Array.from({ length: c }, () => rand() * 4 - 2);
      const want = referenceBnChannels(x, gamma, beta, eps).flat(3);
      const got = f(x.map((img) => img.map((row) => row.map((px) => px.slice()))), gamma.slice(), beta.slice(), eps);
      const flat = Array.isArray(got) ? (got as unknown[]).flat(3) : [];
      const shape = `[${bs}, ${h}, ${w}, ${c}]`;
      expect(flat.length === want.length, `on a hidden batch of shape ${shape} the result is ${describeValue(got)} (${flat.length} values, expected ${want.length})`,
        'return an array of the same nested shape as x');
      const bad = flat.findIndex((v, i) => typeof v !== 'number' || !close(v, want[i], 1e-6));
      expect(bad < 0, `on a hidden batch of shape ${shape} (epsilon ${eps}) value ${bad} is ${String(flat[bad])}, not the normalised value`,
        'per channel k: mean and (biased) variance over every b, i, j; then (x − mean) / √(variance + ε), times γ[k], plus β[k]');
    }
  });
