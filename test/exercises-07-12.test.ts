// The exercise checks of notebooks 07-12: a right answer passes, a missing one says missing, a
// wrong one says wrong (and none throws or leaks tensors).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import * as X from '../lib/exercises';
import type { Verdict } from '../lib/exercises';
import * as R from '../lib/rnn';
import { buildVariationalAutoencoder } from '../lib/models';

let log: MockInstance;
beforeAll(() => { log = vi.spyOn(console, 'log').mockImplementation(() => undefined); });
afterAll(() => log.mockRestore());

/** Runs right, missing and wrong answers through a check. */
async function triple(check: (a: never) => Promise<Verdict>, right: object, missing: object, wrong: object): Promise<void> {
  const before = tf.memory().numTensors;
  const ok = await check(right as never);
  expect(ok.status, ok.message).toBe('passed');
  const miss = await check(missing as never);
  expect(miss.status, miss.message).toBe('missing');
  const bad = await check(wrong as never);
  expect(bad.status, bad.message).toBe('wrong');
  expect(bad.message.length).toBeGreaterThan(0);
  expect(tf.memory().numTensors).toBe(before);
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('notebook 07 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_07).toEqual(['07.1', '07.2', '07.3', '07.4', '07.5', '07.6', '07.7']);
  });

  it('07.1 Elman by hand', async () => {
    const a3 = Math.tanh(Math.tanh(2) + 3) + 4;
    await triple(X.check07_1, { a3, h3: Math.tanh(a3), y3: Math.tanh(a3) + 1 }, { a3, h3: undefined, y3: 1 }, { a3: 3.9993, h3: Math.tanh(3.9993), y3: Math.tanh(3.9993) + 1 });
  });

  it('07.2 BPTT with a sigmoid', async () => {
    const right = (p: R.ScalarRnnParams, seq: number[]) => {
      const fwd = R.scalarRnnForward(p, seq, { activation: 'sigmoid' });
      return { loss: fwd.loss, grads: R.bpttBackward(p, fwd).grads };
    };
    const final = R.bpttTrain(R.SEED_RNN_PARAMS, [1, 2, 3, 4], { epochs: 500, lr: 0.01, activation: 'sigmoid' }).finalLoss;
    const tanhVersion = (p: R.ScalarRnnParams, seq: number[]) => {
      const fwd = R.scalarRnnForward(p, seq);
      return { loss: fwd.loss, grads: R.bpttBackward(p, fwd).grads };
    };
    await triple(X.check07_2, { bpttSigmoid: right, sigmoidFinalLoss: final }, { bpttSigmoid: right }, { bpttSigmoid: tanhVersion, sigmoidFinalLoss: final });
    const v = await X.check07_2({ bpttSigmoid: right, sigmoidFinalLoss: final * 2 + 0.1 });
    expect(v.status).toBe('wrong');
    void sig;
  });

  it('07.3 GRU parameter counts', async () => {
    const right = (i: number, u: number, r: boolean) => 3 * u * (i + u + (r ? 2 : 1));
    await triple(X.check07_3, { gruParamCount: right }, {}, { gruParamCount: (i: number, u: number) => 3 * u * (i + u + 1) });
  });

  it('07.4 the forget-gate bias', async () => {
    const right = (layer: tf.layers.Layer, b: number) => {
      const [k, rk, bias] = layer.getWeights();
      const units = bias.shape[0] / 4;
      const v = Array.from(bias.dataSync());
      for (let u = units; u < 2 * units; u++) v[u] = b;
      const nb = tf.tensor1d(v);
      layer.setWeights([k, rk, nb]);
      nb.dispose();
    };
    const inputBlock = (layer: tf.layers.Layer, b: number) => {
      const [k, rk, bias] = layer.getWeights();
      const v = Array.from(bias.dataSync());
      for (let u = 0; u < bias.shape[0] / 4; u++) v[u] = b;
      const nb = tf.tensor1d(v);
      layer.setWeights([k, rk, nb]);
      nb.dispose();
    };
    await triple(X.check07_4, { setForgetBias: right }, { setForgetBias: null }, { setForgetBias: inputBlock });
  });

  it('07.5 exploding gradients', async () => {
    await triple(X.check07_5, { lag39At09: 0.9 ** 39, lag39At11: 1.1 ** 39 }, { lag39At09: 0.9 ** 39 }, { lag39At09: 0.9 ** 38, lag39At11: 1.1 ** 39 });
  });

  it('07.6 the reset-after GRU', async () => {
    const right = (w: R.GruWeights, x: number[], h: number[]) => R.gruStep(w, x, h, { resetAfter: true }).h;
    const before = (w: R.GruWeights, x: number[], h: number[]) => R.gruStep(w, x, h).h;
    await triple(X.check07_6, { gruStepResetAfter: right }, {}, { gruStepResetAfter: before });
    const v = await X.check07_6({ gruStepResetAfter: before });
    expect(v.hint).toContain('reset-before');
    const threw = await X.check07_6({ gruStepResetAfter: () => { throw new Error('boom'); } });
    expect(threw.status).toBe('wrong');
  });

  it('07.7 the quiz', async () => {
    await triple(X.check07_7, { quiz16: 'd', quiz17: 'B' }, { quiz16: 'D' }, { quiz16: 'A', quiz17: 'B' });
    const v = await X.check07_7({ quiz16: 'D', quiz17: 'B ' });
    expect(v.passed).toBe(true);
    const bad = await X.check07_7({ quiz16: 'E', quiz17: 'B' });
    expect(bad.status).toBe('wrong');
  });
});

describe('notebook 08 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_08).toEqual(['08.1', '08.2', '08.3', '08.4', '08.5']);
  });

  it('08.1 reconstruction MSE', async () => {
    const right = (m: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => tf.mean(tf.squaredDifference(m.predict(x) as tf.Tensor, x)).dataSync()[0]);
    const rootMse = (m: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => Math.sqrt(tf.mean(tf.squaredDifference(m.predict(x) as tf.Tensor, x)).dataSync()[0]));
    await triple(X.check08_1, { reconstructionMse: right }, {}, { reconstructionMse: rootMse });
    const leaky = await X.check08_1({ reconstructionMse: (m: tf.LayersModel, x: tf.Tensor) => { const p = m.predict(x) as tf.Tensor; return tf.mean(tf.squaredDifference(p, x)).dataSync()[0]; } });
    expect(leaky.status).toBe('wrong');
    expect(leaky.message).toContain('left');
  });

  it('08.2 PCA reconstruction', async () => {
    const right = (x: tf.Tensor2D, m: tf.Tensor1D, W: tf.Tensor2D) => tf.tidy(() => tf.matMul(tf.matMul(x.sub(m), W), W, false, true).add(m) as tf.Tensor2D);
    const noMean = (x: tf.Tensor2D, _m: tf.Tensor1D, W: tf.Tensor2D) => tf.tidy(() => tf.matMul(tf.matMul(x, W), W, false, true) as tf.Tensor2D);
    await triple(X.check08_2, { pcaReconstruct: right }, { pcaReconstruct: undefined }, { pcaReconstruct: noMean });
  });

  it('08.3 the Adam linear autoencoder', async () => {
    const { compile, fit, Adam, SGD, getCompiled } = await import('../lib/train');
    const build = () => {
      const enc = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 2 })] });
      const dec = tf.sequential({ layers: [tf.layers.dense({ units: 784, inputShape: [2] }), tf.layers.reshape({ targetShape: [28, 28] })] });
      return tf.sequential({ layers: [enc, dec] });
    };
    const x = tf.randomUniform([8, 28, 28]);
    const good = build();
    compile(good, { optimizer: Adam({ learningRate: 0.01 }), loss: 'mse' });
    await fit(good, x, x, { epochs: 1, batchSize: 8, verbose: 0 });
    const sgd = build();
    compile(sgd, { optimizer: SGD({ learningRate: 0.1 }), loss: 'mse' });
    await fit(sgd, x, x, { epochs: 1, batchSize: 8, verbose: 0 });
    await triple(X.check08_3, { adamLinear: good }, {}, { adamLinear: sgd });
    const untrained = build();
    compile(untrained, { optimizer: Adam({ learningRate: 0.01 }), loss: 'mse' });
    expect((await X.check08_3({ adamLinear: untrained })).message).toContain('not been trained');
    for (const m of [good, sgd, untrained]) { getCompiled(m).optimizer.dispose(); m.dispose(); }
    x.dispose();
  });

  it('08.4 odd ones out', async () => {
    const right = (e: ArrayLike<number>, t: ArrayLike<number>, q: number) => {
      const th = (await0(t, q));
      return Array.from(e).map((v, i) => (v > th ? i : -1)).filter((i) => i >= 0);
    };
    const await0 = (t: ArrayLike<number>, q: number) => {
      const s = Float64Array.from(t).sort();
      const pos = q * (s.length - 1);
      const lo = Math.floor(pos);
      return s[lo] + (pos - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]);
    };
    const atLeast = (e: ArrayLike<number>, t: ArrayLike<number>, q: number) => Array.from(e).map((v, i) => (v >= await0(t, q) - 0.05 ? i : -1)).filter((i) => i >= 0);
    await triple(X.check08_4, { flagOddOnes: right }, {}, { flagOddOnes: atLeast });
  });

  it('08.5 a deeper tied autoencoder', async () => {
    const { notebookCode } = await import('./helpers/notebook-code');
    const DenseTranspose = notebookCode<new (d: tf.layers.Layer, a: string, args?: object) => tf.layers.Layer>('08-pca-vs-autoencoders.ts', ['DenseTranspose'], { tf });
    const right = () => {
      const d1 = tf.layers.dense({ units: 256, activation: 'selu' });
      const d2 = tf.layers.dense({ units: 64, activation: 'selu' });
      const d3 = tf.layers.dense({ units: 16, activation: 'selu' });
      const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), d1, d2, d3] });
      const decoder = tf.sequential({ layers: [new DenseTranspose(d3, 'selu', { inputShape: [16] }), new DenseTranspose(d2, 'selu'), new DenseTranspose(d1, 'sigmoid'), tf.layers.reshape({ targetShape: [28, 28] })] });
      return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
    };
    const untied = () => {
      const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 256 }), tf.layers.dense({ units: 64 }), tf.layers.dense({ units: 16 })] });
      const decoder = tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [16] }), tf.layers.dense({ units: 256 }), tf.layers.dense({ units: 784, activation: 'sigmoid' }), tf.layers.reshape({ targetShape: [28, 28] })] });
      return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
    };
    const ok = await X.check08_5({ deepTiedAutoencoder: right });
    expect(ok.status, ok.message).toBe('passed');
    expect((await X.check08_5({})).status).toBe('missing');
    const bad = await X.check08_5({ deepTiedAutoencoder: untied });
    expect(bad.status).toBe('wrong');
    expect(bad.message).toContain('weight matrices');
  });
});

describe('notebook 09 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_09).toEqual(['09.1', '09.2', '09.3', '09.4', '09.5']);
  });

  it('09.1 occlusion noise', async () => {
    let seedState = 1;
    const rand = () => ((seedState = (seedState * 16807) % 2147483647) / 2147483647);
    const right = (x: tf.Tensor, size: number, _seed: number) => tf.tidy(() => {
      const [n, h, w] = x.shape as [number, number, number];
      const mask = new Float32Array(n * h * w).fill(1);
      for (let k = 0; k < n; k++) {
        const top = Math.floor(rand() * (h - size + 1));
        const left = Math.floor(rand() * (w - size + 1));
        for (let r = top; r < top + size; r++) for (let c = left; c < left + size; c++) mask[k * h * w + r * w + c] = 0;
      }
      return x.mul(tf.tensor3d(mask, [n, h, w]));
    });
    const fixed = (x: tf.Tensor, size: number, _seed: number) => tf.tidy(() => {
      const [n, h, w] = x.shape as [number, number, number];
      const mask = new Float32Array(n * h * w).fill(1);
      for (let k = 0; k < n; k++) for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) mask[k * h * w + r * w + c] = 0;
      return x.mul(tf.tensor3d(mask, [n, h, w]));
    });
    const tooBig = (x: tf.Tensor, size: number, seed: number) => right(x, Math.max(1, size - 1), seed);
    await triple(X.check09_1, { occlude: right }, {}, { occlude: tooBig });
    expect((await X.check09_1({ occlude: fixed })).message).toContain('same place');
  });

  it('09.2 denoising error', async () => {
    const { addNoise, noisePercent } = await import('../lib/unsupervised');
    const right = (r: (x: tf.Tensor2D) => tf.Tensor, clean: tf.Tensor2D, p: number, seed: number) => tf.tidy(() => tf.mean(tf.squaredDifference(r(addNoise(clean, noisePercent(p), seed) as tf.Tensor2D), clean)).dataSync()[0]);
    const againstNoisy = (r: (x: tf.Tensor2D) => tf.Tensor, clean: tf.Tensor2D, p: number, seed: number) => tf.tidy(() => {
      const noisy = addNoise(clean, noisePercent(p), seed) as tf.Tensor2D;
      return tf.mean(tf.squaredDifference(r(noisy), noisy)).dataSync()[0];
    });
    await triple(X.check09_2, { denoisingError: right }, {}, { denoisingError: againstNoisy });
  });

  it('09.3 sparsity statistics', async () => {
    const right = (c: tf.Tensor2D) => tf.tidy(() => ({ meanActivation: c.mean().dataSync()[0], shareBelow: c.less(0.1).mean().dataSync()[0], quietUnits: c.mean(0).less(0.1).mean().dataSync()[0] }));
    const rowsNotUnits = (c: tf.Tensor2D) => tf.tidy(() => ({ meanActivation: c.mean().dataSync()[0], shareBelow: c.less(0.1).mean().dataSync()[0], quietUnits: c.mean(1).less(0.1).mean().dataSync()[0] }));
    await triple(X.check09_3, { sparsityStats: right }, {}, { sparsityStats: rowsNotUnits });
  });

  it('09.4 change by brightness', async () => {
    const right = (c: ArrayLike<number>, n: ArrayLike<number>) => {
      let d = 0, nd = 0, b = 0, nb = 0;
      for (let i = 0; i < c.length; i++) {
        if (c[i] < 0.1) { d += Math.abs(n[i] - c[i]); nd++; }
        if (c[i] > 0.9) { b += Math.abs(n[i] - c[i]); nb++; }
      }
      return { dark: d / nd, bright: b / nb };
    };
    const signed = (c: ArrayLike<number>, n: ArrayLike<number>) => {
      let d = 0, nd = 0, b = 0, nb = 0;
      for (let i = 0; i < c.length; i++) {
        if (c[i] < 0.1) { d += n[i] - c[i]; nd++; }
        if (c[i] > 0.9) { b += n[i] - c[i]; nb++; }
      }
      return { dark: d / nd, bright: b / nb };
    };
    await triple(X.check09_4, { changeByBrightness: right }, {}, { changeByBrightness: signed });
  });

  it('09.5 contractive penalty', async () => {
    const right = (k: tf.Tensor2D, h: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.sum(tf.square(h.mul(tf.sub(1, h))).mul(tf.sum(tf.square(k), 0)), 1)).dataSync()[0]);
    const wrongAxis = (k: tf.Tensor2D, h: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.sum(h.mul(tf.sub(1, h)).mul(tf.sum(tf.square(k), 0)), 1)).dataSync()[0]);
    await triple(X.check09_5, { contractivePenalty: right }, {}, { contractivePenalty: wrongAxis });
  });
});

describe('notebook 12 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_12).toEqual(['12.1', '12.2', '12.3', '12.4', '12.5']);
  });

  it('12.1 β-VAE', async () => {
    const right = (beta: number) => buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: 10, klWeight: beta / 784 });
    const betaOnly = (beta: number) => buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: 10, klWeight: beta });
    await triple(X.check12_1, { betaVae: right }, {}, { betaVae: betaOnly });
  });

  it('12.2 spread of μ', async () => {
    const right = (e: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => {
      const mu = (e.predict(x) as tf.Tensor[])[0];
      const { mean, variance } = tf.moments(mu, 0);
      return { meanAbs: tf.mean(tf.abs(mean)).dataSync()[0], meanStd: tf.mean(tf.sqrt(variance)).dataSync()[0] };
    });
    const variance = (e: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => {
      const mu = (e.predict(x) as tf.Tensor[])[0];
      const m = tf.moments(mu, 0);
      return { meanAbs: tf.mean(tf.abs(m.mean)).dataSync()[0], meanStd: tf.mean(m.variance).dataSync()[0] };
    });
    await triple(X.check12_2, { muSpread: right }, {}, { muSpread: variance });
  });

  it('12.3 samples around a class', async () => {
    const right = (e: tf.LayersModel, d: tf.LayersModel, x: tf.Tensor, n: number, s: number) => tf.tidy(() => {
      const mu = (e.predict(x) as tf.Tensor[])[0];
      return d.predict(tf.mean(mu, 0, true).add(tf.randomNormal([n, mu.shape[1]!], 0, s))) as tf.Tensor;
    });
    const sameNoise = (e: tf.LayersModel, d: tf.LayersModel, x: tf.Tensor, n: number, s: number) => tf.tidy(() => {
      const mu = (e.predict(x) as tf.Tensor[])[0];
      const one = tf.mean(mu, 0, true).add(tf.randomNormal([1, mu.shape[1]!], 0, s));
      return d.predict(tf.tile(one, [n, 1])) as tf.Tensor;
    });
    await triple(X.check12_3, { samplesAround: right }, {}, { samplesAround: sameNoise });
  });

  it('12.4 mean σ', async () => {
    const right = (lv: tf.Tensor) => tf.tidy(() => Array.from(tf.mean(tf.exp(tf.mul(0.5, lv)), 0).dataSync()));
    const variance = (lv: tf.Tensor) => tf.tidy(() => Array.from(tf.mean(tf.exp(lv), 0).dataSync()));
    await triple(X.check12_4, { meanSigma: right }, {}, { meanSigma: variance });
  });

  it('12.5 KL between Gaussians', async () => {
    const right = (m1: number[], l1: number[], m2: number[], l2: number[]) => 0.5 * m1.reduce((s, _, j) => s + l2[j] - l1[j] + (Math.exp(l1[j]) + (m1[j] - m2[j]) ** 2) / Math.exp(l2[j]) - 1, 0);
    const standardOnly = (m1: number[], l1: number[]) => -0.5 * m1.reduce((s, m, j) => s + 1 + l1[j] - m * m - Math.exp(l1[j]), 0);
    await triple(X.check12_5, { klGaussians: right }, {}, { klGaussians: standardOnly });
  });
});

describe('notebook 11 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_11).toEqual(['11.1', '11.2', '11.3', '11.4', '11.5']);
  });

  it('11.1 MAE on the first columns', async () => {
    const right = (p: tf.Tensor2D, t: tf.Tensor2D, k: number) => tf.tidy(() => tf.mean(tf.abs(tf.sub(p.slice([0, 0], [-1, k]), t.slice([0, 0], [-1, k])))).dataSync()[0]);
    const allColumns = (p: tf.Tensor2D, t: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.abs(tf.sub(p, t))).dataSync()[0]);
    await triple(X.check11_1, { maeOnFirstColumns: right }, {}, { maeOnFirstColumns: (p: tf.Tensor2D, t: tf.Tensor2D, _k: number) => allColumns(p, t) });
  });

  it('11.2 PCA baseline', async () => {
    const { PCA } = await import('../lib/unsupervised');
    const right = (a: tf.Tensor2D, b: tf.Tensor2D, k: number) => {
      const pca = new PCA({ nComponents: k }).fit(a);
      return tf.tidy(() => tf.mean(tf.abs(tf.sub(pca.inverseTransform(pca.transform(b)), b))).dataSync()[0]);
    };
    const fitOnTest = (_a: tf.Tensor2D, b: tf.Tensor2D, k: number) => right(b, b, k);
    await triple(X.check11_2, { pcaMae: right }, {}, { pcaMae: fitOnTest });
  });

  it('11.3 MAE per column', async () => {
    const right = (p: tf.Tensor2D, t: tf.Tensor2D) => tf.tidy(() => Array.from(tf.mean(tf.abs(tf.sub(p, t)), 0).dataSync()));
    const perRow = (p: tf.Tensor2D, t: tf.Tensor2D) => tf.tidy(() => Array.from(tf.mean(tf.abs(tf.sub(p, t)), 1).dataSync()));
    await triple(X.check11_3, { columnMae: right }, {}, { columnMae: perRow });
  });

  it('11.4 the regressor', async () => {
    const right = (n: number) => tf.sequential({ layers: [tf.layers.dense({ inputShape: [n], units: 32, activation: 'relu' }), tf.layers.dense({ units: 1 })] });
    const sigmoidOut = (n: number) => tf.sequential({ layers: [tf.layers.dense({ inputShape: [n], units: 32, activation: 'relu' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })] });
    await triple(X.check11_4, { houseValueRegressor: right }, {}, { houseValueRegressor: sigmoidOut });
  });

  it('11.5 values a sigmoid cannot produce', async () => {
    const right = (v: ArrayLike<number>) => Array.from(v).filter((x) => x <= 0 || x >= 1).length / v.length;
    const negativesOnly = (v: ArrayLike<number>) => Array.from(v).filter((x) => x < 0).length / v.length;
    await triple(X.check11_5, { shareOutsideSigmoid: right }, {}, { shareOutsideSigmoid: negativesOnly });
  });
});

describe('notebook 10 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_10).toEqual(['10.1', '10.2', '10.3', '10.4']);
  });

  it('10.1 standardise with the training statistics', async () => {
    const right = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.tidy(() => {
      const { mean, variance } = tf.moments(a, 0);
      const std = tf.sqrt(variance);
      return tf.div(tf.sub(b, mean), tf.where(tf.greater(std, 0), std, tf.onesLike(std))).mul(tf.greater(std, 0).toFloat()) as tf.Tensor2D;
    });
    const ownStats = (_a: tf.Tensor2D, b: tf.Tensor2D) => right(b, b);
    await triple(X.check10_1, { standardize: right }, {}, { standardize: ownStats });
  });

  it('10.2 the ReLU classifier', async () => {
    const build = (act: 'relu' | 'sigmoid') => (inputs: number, hidden: number[], classes: number) => {
      const m = tf.sequential();
      hidden.forEach((u, i) => m.add(tf.layers.dense({ units: u, activation: act, ...(i === 0 ? { inputShape: [inputs] } : {}) })));
      m.add(tf.layers.dense({ units: classes, activation: 'softmax' }));
      return m;
    };
    await triple(X.check10_2, { reluClassifier: build('relu') }, {}, { reluClassifier: build('sigmoid') });
  });

  it('10.3 confusion matrix', async () => {
    const right = (t: ArrayLike<number>, p: ArrayLike<number>, c: number) => {
      const matrix = Array.from({ length: c }, () => new Array(c).fill(0));
      let ok = 0;
      for (let i = 0; i < t.length; i++) { matrix[t[i]][p[i]]++; if (t[i] === p[i]) ok++; }
      return { matrix, accuracy: ok / t.length };
    };
    const transposed = (t: ArrayLike<number>, p: ArrayLike<number>, c: number) => right(p, t, c);
    await triple(X.check10_3, { confusionOf: right }, {}, { confusionOf: transposed });
    expect((await X.check10_3({ confusionOf: transposed })).hint).toContain('other way round');
  });

  it('10.4 noisy inputs, clean targets', async () => {
    const { addNoise, noisePercent } = await import('../lib/unsupervised');
    const right = (r: (x: tf.Tensor2D) => tf.Tensor, c: tf.Tensor2D, p: number, s: number) => tf.tidy(() => tf.mean(tf.squaredDifference(r(addNoise(c, noisePercent(p), s) as tf.Tensor2D), c)).dataSync()[0]);
    const cleanInput = (r: (x: tf.Tensor2D) => tf.Tensor, c: tf.Tensor2D) => tf.tidy(() => tf.mean(tf.squaredDifference(r(c), c)).dataSync()[0]);
    await triple(X.check10_4, { noisyInputError: right }, {}, { noisyInputError: (r: (x: tf.Tensor2D) => tf.Tensor, c: tf.Tensor2D, _p: number, _s: number) => cleanInput(r, c) });
  });
});
