/**
 * Checks of notebook 08's exercises (PCA vs autoencoders). Each runs the student's answer on inputs
 * beyond the notebook's, never prints the solution, never throws, frees its tensors.
 *
 * Usage (in notebook 08): `await check08_2({ pcaReconstruct: pcaReconstruct })`
 */
import * as tf from '@tensorflow/tfjs';
import { getCompiled, isCompiled } from '../train/compile';
import { isKerasOptimizer } from '../optim/keras-optimizer';
import { disposeModels } from '../train/transfer';
import { quantile } from '../unsupervised/anomaly';
import { close, describeValue, expect, expectFunction, need, runCheck, type Verdict } from './check';

/** The ids of notebook 08's exercises. */
export const EXERCISES_08: readonly string[] = ['08.1', '08.2', '08.3', '08.4', '08.5'];

/** Runs `body` and fails when it leaves tensors behind. */
function expectNoLeak<T>(body: () => T, what: string): T {
  const before = tf.memory().numTensors;
  const out = body();
  const after = tf.memory().numTensors;
  expect(after <= before, `${what} left ${after - before} tensor(s) allocated`, 'wrap the computation in tf.tidy(() => ...) and return a plain number');
  return out;
}

/** Exercise 1: mean squared reconstruction error of a model. Usage: `await check08_1({ reconstructionMse })` */
export function check08_1(answer: { reconstructionMse?: unknown }): Promise<Verdict> {
  return runCheck('08.1', 'Reconstruction MSE', () => {
    const fn = expectFunction(need(answer.reconstructionMse, 'reconstructionMse', 'a function (model, x) => number'), 'reconstructionMse', 2) as (m: tf.LayersModel, x: tf.Tensor) => unknown;
    const flat = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [6], kernelInitializer: 'glorotNormal', biasInitializer: 'ones' })] });
    const images = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 4] }), tf.layers.dense({ units: 12, activation: 'sigmoid' }), tf.layers.reshape({ targetShape: [3, 4] })] });
    const x1 = tf.randomUniform([5, 6], 0, 1, 'float32', 8);
    const x2 = tf.randomUniform([4, 3, 4], 0, 1, 'float32', 9);
    try {
      for (const [m, x] of [[flat, x1], [images, x2]] as const) {
        const want = tf.tidy(() => tf.mean(tf.squaredDifference(m.predict(x) as tf.Tensor, x)).dataSync()[0]);
        const got = expectNoLeak(() => fn(m, x), 'reconstructionMse');
        expect(typeof got === 'number', `reconstructionMse returned ${describeValue(got)}`, 'return a plain number: read it with .dataSync()[0] (inside tf.tidy)');
        expect(close(got as number, want, 1e-4), `for a model on inputs of shape [${x.shape}] reconstructionMse is ${got}, not the mean squared difference`, 'average (prediction − x)² over every sample and every pixel');
      }
    } finally {
      tf.dispose([x1, x2]);
      flat.dispose();
      images.dispose();
    }
  });
}

/** Exercise 2: PCA projection and reconstruction. Usage: `await check08_2({ pcaReconstruct })` */
export function check08_2(answer: { pcaReconstruct?: unknown }): Promise<Verdict> {
  return runCheck('08.2', 'How many components?', () => {
    const fn = expectFunction(need(answer.pcaReconstruct, 'pcaReconstruct', 'a function (x, mean, W) => tf.Tensor2D'), 'pcaReconstruct', 3) as (x: tf.Tensor2D, m: tf.Tensor1D, w: tf.Tensor2D) => unknown;
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const cases: [number[][], number[], number[][]][] = [
      [[[1, 2, 3], [0, -1, 4], [2, 2, 2], [5, 0, 1]], [1, 1, 1], [[c, 0], [s, 0], [0, 1]]],
      [[[0.5, 0.1], [0.9, 0.3], [0.2, 0.8]], [0.4, 0.2], [[c], [s]]],
    ];
    for (const [xs, mu, w] of cases) {
      const x = tf.tensor2d(xs);
      const m = tf.tensor1d(mu);
      const W = tf.tensor2d(w);
      try {
        const want = tf.tidy(() => tf.matMul(tf.matMul(x.sub(m), W), W, false, true).add(m).arraySync() as number[][]);
        const got = fn(x, m, W);
        expect(got instanceof tf.Tensor, `pcaReconstruct returned ${describeValue(got)}`, 'return a tensor [n, d] (the reconstructed rows)');
        const t = got as tf.Tensor;
        const arr = t.arraySync() as number[][];
        t.dispose();
        expect(t.shape.length === 2 && t.shape[0] === xs.length && t.shape[1] === xs[0].length, `for x of shape [${x.shape}] the result has shape [${t.shape}]`, 'the reconstruction has the shape of x');
        const ok = arr.every((row, i) => row.every((v, j) => Math.abs(v - want[i][j]) < 1e-4));
        expect(ok, `for x of shape [${x.shape}] and W of shape [${W.shape}] the reconstruction is not (x − μ) W Wᵀ + μ`, 'subtract the mean, multiply by W, then by W transposed, then add the mean back');
      } finally {
        tf.dispose([x, m, W]);
      }
    }
  });
}

/** Exercise 3: a linear autoencoder trained with Adam 0.01. Usage: `await check08_3({ adamLinear })` */
export function check08_3(answer: { adamLinear?: unknown }): Promise<Verdict> {
  return runCheck('08.3', 'A faster linear autoencoder', () => {
    const m = need(answer.adamLinear, 'adamLinear', 'a trained tf.LayersModel');
    expect(m instanceof tf.LayersModel, `adamLinear is ${describeValue(m)}`, 'assign the autoencoder model (linearAutoencoder(2).autoencoder)');
    const model = m as tf.LayersModel;
    expect(model.countParams() === 784 * 2 + 2 + 2 * 784 + 784, `adamLinear has ${model.countParams()} parameters; the linear 2-d autoencoder has 3,922`, 'build it with linearAutoencoder(2)');
    expect(JSON.stringify(model.outputs[0].shape) === JSON.stringify([null, 28, 28]), `adamLinear outputs ${JSON.stringify(model.outputs[0].shape)}`, 'the autoencoder reshapes back to [28, 28]');
    expect(isCompiled(model), 'adamLinear is not compiled', "compile it with { optimizer: Adam({ learningRate: 0.01 }), loss: 'mse' }");
    const opt = getCompiled(model).optimizer;
    expect(isKerasOptimizer(opt) && opt.kind === 'Adam', `adamLinear's optimiser is ${isKerasOptimizer(opt) ? opt.kind : opt.getClassName()}, not the library's Adam`, 'use Adam({ learningRate: 0.01 }) from lib/train');
    expect(isKerasOptimizer(opt) && Math.abs(opt.learningRate - 0.01) < 1e-9, `the learning rate is ${isKerasOptimizer(opt) ? opt.learningRate : '?'}`, 'the exercise asks for 0.01');
    expect(opt.iterations > 0, 'adamLinear has not been trained yet (its optimiser made no step)', 'fit it for P.linearEpochs epochs');
  });
}

/** Exercise 4: flag the errors above a quantile of the training errors. Usage: `await check08_4({ flagOddOnes })` */
export function check08_4(answer: { flagOddOnes?: unknown }): Promise<Verdict> {
  return runCheck('08.4', 'Odd ones out', () => {
    const fn = expectFunction(need(answer.flagOddOnes, 'flagOddOnes', 'a function (errors, trainErrors, q) => number[]'), 'flagOddOnes', 3) as (e: ArrayLike<number>, t: ArrayLike<number>, q: number) => unknown;
    const train = Float32Array.from({ length: 101 }, (_, i) => (i * 37) % 101 / 100);
    const cases: [ArrayLike<number>, number][] = [
      [[0.1, 0.995, 0.5, 1.2, 0.99], 0.99],
      [Float32Array.from([0.95, 0.2, 0.91, 0.89, 0.3]), 0.9],
      [[0.05, 0.02], 0.5],
    ];
    for (const [errors, q] of cases) {
      const t = quantile(train, q);
      const want = Array.from(errors).map((e, i) => (e > t ? i : -1)).filter((i) => i >= 0);
      const got = fn(errors, train, q);
      expect(Array.isArray(got), `flagOddOnes returned ${describeValue(got)}`, 'return an array of indices');
      const g = got as unknown[];
      expect(g.length === want.length && g.every((v, k) => v === want[k]), `for q = ${q} flagOddOnes returned [${g.join(', ')}]: not the indices of the errors above the q-quantile of the training errors`, 'threshold = quantile(trainErrors, q); keep index i when errors[i] > threshold, in ascending order');
    }
  });
}

/** Exercise 5: a 784-256-64-16 autoencoder with tied weights. Usage: `await check08_5({ deepTiedAutoencoder })` */
export function check08_5(answer: { deepTiedAutoencoder?: unknown }): Promise<Verdict> {
  return runCheck('08.5', 'A deeper tied autoencoder', () => {
    const fn = expectFunction(need(answer.deepTiedAutoencoder, 'deepTiedAutoencoder', 'a function () => { encoder, decoder, autoencoder }'), 'deepTiedAutoencoder') as () => unknown;
    const before = tf.memory().numTensors;
    const parts = fn() as { encoder?: unknown; decoder?: unknown; autoencoder?: unknown } | null;
    const ae = parts?.autoencoder;
    expect(ae instanceof tf.LayersModel, `deepTiedAutoencoder() returned ${describeValue(parts)} without an autoencoder model`, 'return { encoder, decoder, autoencoder } as tiedAutoencoder does');
    const model = ae as tf.LayersModel;
    try {
      const enc = parts?.encoder as tf.LayersModel | undefined;
      expect(enc instanceof tf.LayersModel && JSON.stringify(enc.outputs[0].shape) === JSON.stringify([null, 16]), `the encoder outputs ${enc instanceof tf.LayersModel ? JSON.stringify(enc.outputs[0].shape) : 'nothing'}`, 'the code has 16 numbers');
      expect(JSON.stringify(model.outputs[0].shape) === JSON.stringify([null, 28, 28]), `the autoencoder outputs ${JSON.stringify(model.outputs[0].shape)}`, 'end the decoder with a Reshape to [28, 28]');
      const kernels = model.weights.filter((w) => w.shape.length === 2);
      expect(kernels.length === 3, `the autoencoder has ${kernels.length} weight matrices; tied, it has the encoder's 3 only`, 'the decoder should be DenseTranspose layers reusing the encoder Dense layers, not new Dense layers');
      const tied = 784 * 256 + 256 + 256 * 64 + 64 + 64 * 16 + 16 + 64 + 256 + 784;
      expect(model.countParams() === tied, `the autoencoder has ${model.countParams()} parameters`, 'encoder 784 → 256 → 64 → 16; each DenseTranspose adds only its bias (64, 256, 784)');
      const y = tf.tidy(() => (model.predict(tf.ones([2, 28, 28])) as tf.Tensor).arraySync() as number[][][]);
      const flat = y.flat(2);
      expect(flat.every((v) => v >= 0 && v <= 1), 'the outputs are not all in [0, 1]', 'the last DenseTranspose uses a sigmoid');
    } finally {
      disposeModels([model]);
    }
    expect(tf.memory().numTensors <= before, 'building and freeing deepTiedAutoencoder() leaves tensors behind', 'create every tensor inside the layers (addWeight), not outside them');
  });
}
