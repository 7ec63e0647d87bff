import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  buildConvAutoencoder,
  buildDenoisingAutoencoder,
  buildLinearAutoencoder,
  buildSparseAutoencoder,
  buildStackedAutoencoder,
  buildTiedAutoencoder,
} from '../lib/models/autoencoders';
import { buildVariationalAutoencoder, sampleFromPrior } from '../lib/models/vae';
import { DenseTranspose, tieDenseTransposes } from '../lib/layers/dense-transpose';
import { klSparsity, l1Activity } from '../lib/layers/sparsity';
import { klDivergence } from '../lib/layers/sampling';
import { PCA } from '../lib/unsupervised/pca';
import { makeRng, setGlobalSeed } from '../lib/random';

function disposeModels(...models: tf.LayersModel[]): void {
  for (const m of models) m.dispose();
}

describe('stacked and tied autoencoders', () => {
  it('builds seed 001 stacked AE 784-100-30 with the right shapes and parameter counts', () => {
    const { autoencoder, encoder, decoder } = buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30] });
    expect(encoder.countParams()).toBe(784 * 100 + 100 + 100 * 30 + 30);
    expect(decoder.countParams()).toBe(30 * 100 + 100 + 100 * 784 + 784);
    expect(autoencoder.countParams()).toBe(163814);
    expect(encoder.outputs[0].shape).toEqual([null, 30]);
    expect(autoencoder.outputs[0].shape).toEqual([null, 28, 28]);
    disposeModels(autoencoder);
  });

  it('ties the decoder to the encoder kernels: same variable, half the parameters, listed once', () => {
    const { autoencoder, decoder } = buildTiedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30] });
    expect(autoencoder.countParams()).toBe(81530 + 100 + 784);
    expect(decoder.countParams()).toBe(100 + 784);
    const ids = autoencoder.trainableWeights.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    const dts = decoder.layers.filter((l): l is DenseTranspose => l instanceof DenseTranspose);
    expect(dts).toHaveLength(2);
    const kernel = dts[1].tiedLayer?.weights.find((w) => w.originalName.includes('kernel'));
    expect(kernel?.shape).toEqual([784, 100]);
    disposeModels(autoencoder);
  });

  it('sends gradient through both uses of the tied kernel (finite-difference check)', () => {
    setGlobalSeed(1);
    const { autoencoder } = buildTiedAutoencoder({ inputShape: [3], hiddenSizes: [2], activation: 'linear', outputActivation: 'linear' });
    const x = tf.tensor2d([[1, 2, 3], [0.5, -1, 2]]);
    const lossFn = (): tf.Scalar => tf.mean(tf.square(tf.sub(autoencoder.apply(x) as tf.Tensor, x))) as tf.Scalar;
    const kernelVar = autoencoder.trainableWeights.find((w) => w.originalName.includes('kernel'));
    if (!kernelVar) throw new Error('no kernel');
    const variable = kernelVar.read() as tf.Variable;
    const { grads } = tf.variableGrads(lossFn, [variable]);
    const g = grads[variable.name].dataSync()[0];
    const base = variable.dataSync().slice();
    const eps = 1e-2;
    const at = (delta: number): number => {
      const w = base.slice();
      w[0] += delta;
      variable.assign(tf.tensor(w, variable.shape));
      return tf.tidy(() => lossFn().dataSync()[0]);
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    variable.assign(tf.tensor(base, variable.shape));
    expect(g).toBeCloseTo(fd, 2);
    // The decoder path alone would give a different number: the check above needs both paths.
    expect(Math.abs(g)).toBeGreaterThan(1e-3);
    tf.dispose([x, grads[variable.name]]);
    disposeModels(autoencoder);
  });

  it('round-trips a tied model through save/load and re-ties it', async () => {
    setGlobalSeed(2);
    const { autoencoder } = buildTiedAutoencoder({ inputShape: [6], hiddenSizes: [4, 2] });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await autoencoder.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    if (!artifacts) throw new Error('not saved');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    expect(tieDenseTransposes(loaded)).toBe(2);
    const x = tf.tensor2d([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]);
    const a = autoencoder.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(loaded.countParams()).toBe(autoencoder.countParams());
    tf.dispose([x, a, b]);
    disposeModels(autoencoder, loaded);
  });
});

describe('linear autoencoder vs PCA', () => {
  it('converges to the PCA reconstruction error on data with a 2-D principal subspace', async () => {
    setGlobalSeed(3);
    const rng = makeRng(3);
    const rows = Array.from({ length: 200 }, () => {
      const a = rng.normal() * 2;
      const b = rng.normal();
      return [a + b, a - b, 0.5 * a, b + 0.1 * rng.normal(), 0.1 * rng.normal()];
    });
    const x = tf.tensor2d(rows);
    const pcaErr = new PCA({ nComponents: 2 }).fit(x).reconstructionError(x);
    const { autoencoder } = buildLinearAutoencoder({ inputShape: [5], codeSize: 2 });
    autoencoder.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.05) });
    await autoencoder.fit(x, x, { epochs: 1, batchSize: 50, verbose: 0, shuffle: false }); // creates Adam's slots
    const before = tf.memory().numTensors;
    const h = await autoencoder.fit(x, x, { epochs: 150, batchSize: 50, verbose: 0, shuffle: false });
    expect(tf.memory().numTensors).toBe(before);
    const aeErr = h.history.loss[h.history.loss.length - 1] as number;
    expect(pcaErr).toBeGreaterThan(0.001);
    expect(aeErr).toBeGreaterThan(pcaErr * 0.97);
    expect(aeErr).toBeLessThan(pcaErr * 1.15);
    x.dispose();
    disposeModels(autoencoder);
  });
});

describe('conv, denoising, sparse', () => {
  it('builds seed 001 conv AE (28x28 -> 3x3x64 -> 28x28) and takes a training step', async () => {
    setGlobalSeed(4);
    const { autoencoder, encoder, decoder } = buildConvAutoencoder({ inputShape: [28, 28] });
    expect(encoder.outputs[0].shape).toEqual([null, 3, 3, 64]);
    expect(autoencoder.outputs[0].shape).toEqual([null, 28, 28]);
    expect(encoder.countParams()).toBe(160 + 4640 + 18496);
    expect(decoder.countParams()).toBe(18464 + 4624 + 145);
    autoencoder.compile({ loss: 'binaryCrossentropy', optimizer: tf.train.sgd(0.5) });
    const x = tf.randomUniform([4, 28, 28]);
    const h = await autoencoder.fit(x, x, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(Number.isFinite(h.history.loss[1] as number)).toBe(true);
    x.dispose();
    disposeModels(autoencoder);
    expect(() => buildConvAutoencoder({ inputShape: [32, 32] })).toThrow(/does not round-trip/);
  });

  it('applies input noise only in training', () => {
    setGlobalSeed(5);
    const { autoencoder } = buildDenoisingAutoencoder({ inputShape: [20], hiddenSizes: [8], inputNoise: { kind: 'dropout', rate: 0.5 } });
    const x = tf.ones([3, 20]);
    const [p1, p2, t1, t2] = tf.tidy(() => [
      autoencoder.predict(x) as tf.Tensor,
      autoencoder.predict(x) as tf.Tensor,
      autoencoder.apply(x, { training: true }) as tf.Tensor,
      autoencoder.apply(x, { training: true }) as tf.Tensor,
    ]);
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(t1, t2))).dataSync()[0]);
    expect(diff).toBeGreaterThan(1e-4);
    tf.dispose([x, p1, p2, t1, t2]);
    disposeModels(autoencoder);
    expect(() => buildDenoisingAutoencoder({ inputShape: [4], hiddenSizes: [2], inputNoise: { kind: 'dropout', rate: 1 } })).toThrow(/\[0, 1\)/);
  });

  it('computes the KL and L1 sparsity penalties on known activations', () => {
    const a = tf.tensor2d([[0.1, 0.5], [0.1, 0.5]]);
    const kl = klSparsity(a, 0.1);
    expect(kl.dataSync()[0]).toBeCloseTo(0.1 * Math.log(0.2) + 0.9 * Math.log(1.8), 5);
    const l1 = l1Activity(tf.tensor2d([[1, -2], [3, 0]]));
    expect(l1.dataSync()[0]).toBeCloseTo(3, 6);
    tf.dispose([a, kl, l1]);
  });

  it('adds the sparsity penalty to the loss and pushes mean activation towards the target', async () => {
    setGlobalSeed(6);
    const x = tf.randomUniform([64, 16], 0, 1, 'float32', 6);
    const train = async (weight: number): Promise<{ mean: number; penalty: number }> => {
      setGlobalSeed(6);
      const { autoencoder, encoder } = buildSparseAutoencoder({ inputShape: [16], hiddenSizes: [24], sparsity: { penalty: 'kl', weight, target: 0.05 } });
      // The registered loss equals weight * KL(target || mean activation) of the last forward pass.
      const codes = encoder.predict(x) as tf.Tensor;
      const expected = tf.tidy(() => klSparsity(codes, 0.05).mul(weight).div(64).dataSync()[0]); // divided by the batch, like Keras
      const penalty = tf.tidy(() => {
        tf.dispose(autoencoder.apply(x, { training: true }) as tf.Tensor);
        return autoencoder.calculateLosses()[0].dataSync()[0];
      });
      expect(penalty).toBeCloseTo(expected, 4);
      // Outside training no penalty is pending.
      tf.dispose(autoencoder.predict(x) as tf.Tensor);
      expect(tf.tidy(() => autoencoder.calculateLosses()[0].dataSync()[0])).toBe(0);
      codes.dispose();
      autoencoder.compile({ loss: 'meanSquaredError', optimizer: tf.train.adam(0.01) });
      await autoencoder.fit(x, x, { epochs: 60, batchSize: 64, verbose: 0 });
      const mean = tf.tidy(() => (encoder.predict(x) as tf.Tensor).mean().dataSync()[0]);
      disposeModels(autoencoder);
      return { mean, penalty };
    };
    const sparse = await train(64);
    const plain = await train(0);
    expect(plain.penalty).toBe(0);
    expect(sparse.mean).toBeLessThan(0.15);
    expect(plain.mean).toBeGreaterThan(sparse.mean + 0.1);
    x.dispose();
  });
});

describe('variational autoencoder', () => {
  it('computes KL(N(mu, sigma^2) || N(0, 1)) on a known mean and logvar', () => {
    const kl = klDivergence(tf.tensor2d([[1, 0], [1, 0]]), tf.tensor2d([[0, Math.log(2)], [0, Math.log(2)]]));
    expect(kl.dataSync()[0]).toBeCloseTo(0.5 + -0.5 * (Math.log(2) - 1), 5);
    kl.dispose();
  });

  it('adds klWeight * KL as a loss, samples, and generates from the decoder without leaks', () => {
    setGlobalSeed(7);
    const { autoencoder, encoder, decoder } = buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [32], latentDim: 2 });
    const x = tf.randomUniform([5, 28, 28], 0, 1, 'float32', 7);
    const before = tf.memory().numTensors;
    const [mean, logVar, z] = encoder.predict(x) as tf.Tensor[];
    const expected = tf.tidy(() => klDivergence(mean, logVar).div(784).dataSync()[0]);
    // A training pass records klWeight * KL of that pass; fit adds it to the loss.
    const losses = tf.tidy(() => {
      tf.dispose(autoencoder.apply(x, { training: true }) as tf.Tensor);
      return autoencoder.calculateLosses().map((t) => t.dataSync()[0]);
    });
    expect(losses).toHaveLength(1);
    expect(losses[0]).toBeCloseTo(expected, 5);
    const samples = sampleFromPrior(decoder, 3, 2);
    expect(samples.shape).toEqual([3, 28, 28]);
    const s = samples.dataSync();
    expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...s)).toBeLessThanOrEqual(1);
    tf.dispose([mean, logVar, z, samples]);
    expect(tf.memory().numTensors).toBe(before + 1); // the penalty scalar of the training pass
    tf.dispose(autoencoder.predict(x) as tf.Tensor); // an inference pass releases it
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    disposeModels(autoencoder);
  });
});

describe('with lib/train', () => {
  it("trains a sparse AE with lib/train's fit: the penalty is in the training loss, not in evaluate", async () => {
    const { compile } = await import('../lib/train/compile');
    const { fit, evaluate } = await import('../lib/train/fit');
    setGlobalSeed(8);
    const x = tf.randomUniform([64, 12], 0, 1, 'float32', 8);
    const { autoencoder } = buildSparseAutoencoder({ inputShape: [12], hiddenSizes: [16], sparsity: { penalty: 'kl', weight: 64, target: 0.05 } });
    compile(autoencoder, { optimizer: tf.train.sgd(0), loss: 'mse' }); // lr 0: the weights stay, so the two losses are comparable
    const before = tf.memory().numTensors;
    const h = await fit(autoencoder, x, x, { epochs: 1, batchSize: 64, verbose: 0 });
    const ev = evaluate(autoencoder, x, x, { batchSize: 64, verbose: 0 });
    const codes = autoencoder.layers[1].apply(x) as tf.Tensor;
    const penalty = tf.tidy(() => klSparsity(codes, 0.05).dataSync()[0]); // weight 64 / batch 64 = 1
    expect(h.history.loss[0] - ev.loss).toBeCloseTo(penalty, 3);
    tf.dispose(codes);
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 1);
    x.dispose();
    autoencoder.dispose();
  });
});
