/**
 * Checks of notebook 12's exercises (variational autoencoders). Each runs the student's answer on
 * inputs beyond the notebook's, never prints the solution, never throws, frees its tensors.
 *
 * Usage (in notebook 12): `await check12_5({ klGaussians: klGaussians })`
 */
import * as tf from '@tensorflow/tfjs';
import { disposeModels } from '../train/transfer';
import { close, describeValue, expect, expectFunction, expectNumber, need, runCheck, type Verdict } from './check';

/** The ids of notebook 12's exercises. */
export const EXERCISES_12: readonly string[] = ['12.1', '12.2', '12.3', '12.4', '12.5'];

/** Every layer of a model, nested models' layers included. */
function allLayers(m: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const walk = (ls: tf.layers.Layer[]): void => {
    for (const l of ls) {
      out.push(l);
      if (l instanceof tf.LayersModel) walk(l.layers);
    }
  };
  walk(m.layers);
  return out;
}

/** A tiny encoder with the VAE's outputs [μ, log σ², z] (z = μ here) and a tiny decoder. */
function tinyVae(inputs: number, latent: number, seed: number): { encoder: tf.LayersModel; decoder: tf.LayersModel } {
  const x = tf.input({ shape: [inputs] });
  const mu = tf.layers.dense({ units: latent, kernelInitializer: tf.initializers.randomNormal({ seed }), biasInitializer: 'ones' }).apply(x) as tf.SymbolicTensor;
  const lv = tf.layers.dense({ units: latent, kernelInitializer: tf.initializers.randomNormal({ seed: seed + 1 }) }).apply(x) as tf.SymbolicTensor;
  const z = tf.layers.activation({ activation: 'linear' }).apply(mu) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: x, outputs: [mu, lv, z] });
  const decoder = tf.sequential({ layers: [tf.layers.dense({ units: inputs, inputShape: [latent], activation: 'sigmoid', kernelInitializer: tf.initializers.randomNormal({ seed: seed + 2 }) })] });
  return { encoder, decoder };
}

/** Exercise 1: a β-VAE builder. Usage: `await check12_1({ betaVae })` */
export function check12_1(answer: { betaVae?: unknown }): Promise<Verdict> {
  return runCheck('12.1', 'β-VAE', () => {
    const fn = expectFunction(need(answer.betaVae, 'betaVae', 'a function (beta) => { encoder, decoder, autoencoder }'), 'betaVae', 1) as (b: number) => unknown;
    for (const beta of [3, 0.5]) {
      const parts = fn(beta) as { autoencoder?: unknown } | null;
      const ae = parts?.autoencoder;
      expect(ae instanceof tf.LayersModel, `betaVae(${beta}) returned ${describeValue(parts)} without an autoencoder`, 'return variationalAutoencoder(...) (it has encoder, decoder and autoencoder)');
      const model = ae as tf.LayersModel;
      try {
        const params = model.countParams();
        const want = (784 * 150 + 150) + (150 * 100 + 100) + 2 * (100 * 10 + 10) + (10 * 100 + 100) + (100 * 150 + 150) + (150 * 784 + 784);
        expect(params === want, `betaVae(${beta}) has ${params} parameters; the 10-d VAE of section 4 has ${want}`, 'keep the 10-d VAE of section 4; change only the KL weight');
        const weights = allLayers(model).map((l) => (l as unknown as { klWeight?: unknown }).klWeight).filter((w) => typeof w === 'number') as number[];
        expect(weights.length === 1, `found ${weights.length} Sampling layer(s) with a klWeight`, 'the VAE has one Sampling layer');
        expect(close(weights[0], beta / 784, 1e-9), `for β = ${beta} the Sampling layer's klWeight is ${weights[0]}`, 'the KL weight is β / 784 (β = 1 is the VAE of section 4)');
      } finally {
        disposeModels([model]);
      }
    }
  });
}

/** Exercise 2: spread of the encoder's μ. Usage: `await check12_2({ muSpread })` */
export function check12_2(answer: { muSpread?: unknown }): Promise<Verdict> {
  return runCheck('12.2', 'No KL at all', () => {
    const fn = expectFunction(need(answer.muSpread, 'muSpread', 'a function (encoder, x) => { meanAbs, meanStd }'), 'muSpread', 2) as (e: tf.LayersModel, x: tf.Tensor) => unknown;
    const { encoder, decoder } = tinyVae(5, 3, 11);
    const x = tf.randomNormal([20, 5], 0, 1, 'float32', 4);
    try {
      const want = tf.tidy(() => {
        const mu = (encoder.predict(x) as tf.Tensor[])[0];
        const { mean, variance } = tf.moments(mu, 0);
        return { meanAbs: tf.mean(tf.abs(mean)).dataSync()[0], meanStd: tf.mean(tf.sqrt(variance)).dataSync()[0] };
      });
      const before = tf.memory().numTensors;
      const got = fn(encoder, x) as { meanAbs?: unknown; meanStd?: unknown } | null;
      expect(tf.memory().numTensors <= before, 'muSpread left tensors allocated', 'wrap it in tf.tidy and return plain numbers');
      expect(got !== null && typeof got === 'object', `muSpread returned ${describeValue(got)}`, 'return { meanAbs, meanStd }');
      const a = expectNumber(got.meanAbs, 'meanAbs');
      const s = expectNumber(got.meanStd, 'meanStd');
      expect(close(a, want.meanAbs, 1e-4), `on a test encoder meanAbs is ${a}`, 'per latent unit: the mean of μⱼ over the images, its absolute value; then the mean over the units');
      expect(close(s, want.meanStd, 1e-4), `on a test encoder meanStd is ${s}`, 'per latent unit: the standard deviation of μⱼ over the images (tf.moments); then the mean over the units');
    } finally {
      x.dispose();
      encoder.dispose();
      decoder.dispose();
    }
  });
}

/** Exercise 3: decoded samples around the mean code of some images. Usage: `await check12_3({ samplesAround })` */
export function check12_3(answer: { samplesAround?: unknown }): Promise<Verdict> {
  return runCheck('12.3', 'Generate a chosen class', () => {
    const fn = expectFunction(need(answer.samplesAround, 'samplesAround', 'a function (encoder, decoder, images, count, std) => tf.Tensor'), 'samplesAround', 5) as (e: tf.LayersModel, d: tf.LayersModel, x: tf.Tensor, n: number, s: number) => unknown;
    const { encoder, decoder } = tinyVae(6, 2, 21);
    const x = tf.randomNormal([9, 6], 0, 1, 'float32', 5);
    try {
      const want = tf.tidy(() => (decoder.predict(tf.mean((encoder.predict(x) as tf.Tensor[])[0], 0, true)) as tf.Tensor).dataSync());
      const before = tf.memory().numTensors;
      const exact = fn(encoder, decoder, x, 4, 0);
      expect(exact instanceof tf.Tensor, `samplesAround returned ${describeValue(exact)}`, 'return the decoded images as one tensor');
      const t = exact as tf.Tensor;
      const shape = t.shape;
      const rows = t.arraySync() as number[][];
      t.dispose();
      expect(tf.memory().numTensors <= before, 'samplesAround left tensors allocated besides its result', 'wrap it in tf.tidy');
      expect(shape[0] === 4 && shape[1] === 6, `with count 4 the result has shape [${shape}]`, 'decode `count` codes: the result is [count, ...image shape]');
      expect(rows.every((r) => r.every((v, k) => Math.abs(v - want[k]) < 1e-4)), 'with std 0 the samples are not the decoded mean code', 'centre = mean of μ over the images (keep the batch axis), then add the noise, then decode');
      const noisy = fn(encoder, decoder, x, 5, 1) as tf.Tensor;
      const spread = tf.tidy(() => tf.moments(noisy, 0).variance.mean().dataSync()[0]);
      noisy.dispose();
      expect(spread > 1e-6, 'with std 1 the samples are all equal', 'draw different noise for each of the `count` codes: tf.randomNormal([count, latent], 0, std)');
    } finally {
      x.dispose();
      encoder.dispose();
      decoder.dispose();
    }
  });
}

/** Exercise 4: mean σ per latent unit. Usage: `await check12_4({ meanSigma })` */
export function check12_4(answer: { meanSigma?: unknown }): Promise<Verdict> {
  return runCheck('12.4', 'Where is σ?', () => {
    const fn = expectFunction(need(answer.meanSigma, 'meanSigma', 'a function (logVar) => number[]'), 'meanSigma', 1) as (l: tf.Tensor) => unknown;
    for (const values of [[[0, -2], [1, 0.5], [-1, 0]], [[0.3, 0.1, -4]]]) {
      const lv = tf.tensor2d(values);
      try {
        const want = values[0].map((_, j) => values.reduce((s, r) => s + Math.exp(0.5 * r[j]), 0) / values.length);
        const got = fn(lv);
        expect(Array.isArray(got) && got.length === want.length, `for log σ² of shape [${lv.shape}] meanSigma returned ${describeValue(got)}`, 'return an array with one number per latent unit (column)');
        const g = got as unknown[];
        expect(g.every((v, j) => typeof v === 'number' && close(v, want[j], 1e-5)), `for log σ² of shape [${lv.shape}] the values are not the mean σ per unit`, 'σ = exp(½ log σ²), then the mean over the rows (axis 0)');
      } finally {
        lv.dispose();
      }
    }
  });
}

/** Exercise 5: KL between two diagonal Gaussians. Usage: `await check12_5({ klGaussians })` */
export function check12_5(answer: { klGaussians?: unknown }): Promise<Verdict> {
  return runCheck('12.5', 'KL between two Gaussians', () => {
    const fn = expectFunction(need(answer.klGaussians, 'klGaussians', 'a function (mu1, logVar1, mu2, logVar2) => number'), 'klGaussians', 4) as (a: number[], b: number[], c: number[], d: number[]) => unknown;
    const kl = (m1: number[], l1: number[], m2: number[], l2: number[]) => 0.5 * m1.reduce((s, _, j) => s + l2[j] - l1[j] + (Math.exp(l1[j]) + (m1[j] - m2[j]) ** 2) / Math.exp(l2[j]) - 1, 0);
    const cases: [number[], number[], number[], number[]][] = [
      [[1, 2], [0, 0], [1, 2], [0, 0]],
      [[0.3], [-1], [0], [0]],
      [[0.5, -1, 2], [0.2, -0.3, 1], [1, 0, -1], [0.5, -2, 0.3]],
    ];
    for (const [m1, l1, m2, l2] of cases) {
      const got = expectNumber(fn(m1.slice(), l1.slice(), m2.slice(), l2.slice()), 'klGaussians(...)');
      expect(close(got, kl(m1, l1, m2, l2), 1e-6), `klGaussians([${m1}], [${l1}], [${m2}], [${l2}]) is ${got}`, 'sum over the units of log σ₂² − log σ₁² + (σ₁² + (μ₁ − μ₂)²) / σ₂² − 1, times ½; σ² = exp(log σ²)');
    }
  });
}
