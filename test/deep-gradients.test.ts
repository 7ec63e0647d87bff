import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { layerGradientNorms, layerOutputStats } from '../lib/deep/gradients';
import { deepMlp, seedMlp } from '../lib/deep/mlp';
import { kernelValues, modelSparsity, weightSparsity } from '../lib/deep/weights';
import { setGlobalSeed } from '../lib/random';
import { l2 } from '../lib/layers/regularizers';

function data(n: number, d: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, d], 0, 1, 'float32', seed) as tf.Tensor2D;
    const y = tf.argMax(tf.matMul(x, tf.randomNormal([d, 3], 0, 1, 'float32', seed + 1)), 1).toInt() as tf.Tensor1D;
    return { x, y };
  });
}

describe('layerGradientNorms', () => {
  it('equals the norm of tf.grads computed directly, layer by layer', () => {
    setGlobalSeed(1);
    const model = seedMlp({ hidden: [6, 5], inputShape: [4], outputs: 3 });
    const { x, y } = data(32, 4, 3);
    const start = tf.memory().numTensors;
    const rows = layerGradientNorms(model, x, y);
    expect(tf.memory().numTensors).toBe(start);
    expect(rows.map((r) => r.layer)).toEqual(model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => l.name));
    expect(rows.map((r) => r.depth)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.params)).toEqual([4 * 6 + 6, 6 * 5 + 5, 5 * 3 + 3]);
    // reference: gradient of the mean cross-entropy w.r.t. the first kernel, by tf.grad on a closure
    const dense = model.layers[1];
    const kernel = dense.getWeights()[0];
    const ref = tf.tidy(() => {
      const f = (k: tf.Tensor): tf.Scalar => {
        const [, b] = dense.getWeights();
        let h = tf.relu(tf.add(tf.matMul(x, k as tf.Tensor2D), b));
        for (const l of model.layers.slice(2)) h = l.apply(h) as tf.Tensor;
        return tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(y, 3), tf.log(tf.clipByValue(h, 1e-7, 1 - 1e-7))), -1))) as tf.Scalar;
      };
      return tf.norm(tf.grad(f)(kernel)).dataSync()[0];
    });
    expect(rows[0].kernelNorm).toBeCloseTo(ref, 5);
    expect(rows[0].kernelRms).toBeCloseTo(ref / Math.sqrt(24), 6);
    expect(rows[0].totalNorm).toBeGreaterThan(rows[0].kernelNorm);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('shows vanishing gradients: sigmoid lower layers get far smaller gradients than ReLU+He', () => {
    const { x, y } = data(128, 20, 5);
    setGlobalSeed(2);
    const sig = deepMlp({ depth: 8, width: 32, activation: 'sigmoid', inputShape: [20], outputs: 3 });
    setGlobalSeed(2);
    const relu = deepMlp({ depth: 8, width: 32, activation: 'relu', kernelInitializer: 'he_normal', inputShape: [20], outputs: 3 });
    const s = layerGradientNorms(sig, x, y);
    const r = layerGradientNorms(relu, x, y);
    expect(s).toHaveLength(9);
    // ratio first hidden layer / last hidden layer
    const ratio = (rows: typeof s): number => rows[0].kernelRms / rows[7].kernelRms;
    expect(ratio(s)).toBeLessThan(0.01);
    expect(ratio(r)).toBeGreaterThan(0.1);
    tf.dispose([x, y]);
    sig.dispose();
    relu.dispose();
  });

  it('rejects mismatched batches and models without weights', () => {
    const model = seedMlp({ hidden: [3], inputShape: [4], outputs: 2 });
    const x = tf.zeros([4, 4]);
    const y = tf.zeros([3], 'int32');
    expect(() => layerGradientNorms(model, x, y)).toThrow(/4 samples but y has 3/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('layerOutputStats', () => {
  it('reports mean/std of each layer; SELU+LeCun keeps std near 1 through 8 layers', () => {
    setGlobalSeed(3);
    const model = deepMlp({ depth: 8, width: 200, activation: 'selu', kernelInitializer: 'lecun_normal', inputShape: [100], outputs: 10 });
    const x = tf.randomNormal([256, 100], 0, 1, 'float32', 9);
    const start = tf.memory().numTensors;
    const stats = layerOutputStats(model, x);
    expect(tf.memory().numTensors).toBe(start);
    expect(stats.map((r) => r.className)).toEqual(new Array(9).fill('Dense'));
    const hidden = stats.slice(0, 8);
    for (const h of hidden) {
      expect(Math.abs(h.mean)).toBeLessThan(0.3);
      expect(h.std).toBeGreaterThan(0.7);
      expect(h.std).toBeLessThan(1.3);
    }
    expect(stats[8].mean).toBeCloseTo(0.1, 5); // softmax over 10 classes
    x.dispose();
    model.dispose();
  });
});

describe('weights and sparsity', () => {
  it('counts near-zero weights per kernel and overall', () => {
    expect(weightSparsity([0, 0.5, 1e-5, -2e-3], 1e-3)).toEqual({ near0: 2, total: 4, fraction: 0.5, maxAbs: 0.5 });
    const model = seedMlp({ hidden: [3], inputShape: [2], outputs: 2 });
    const [k1, b1] = model.layers[1].getWeights();
    const zeros = tf.tensor2d([[0, 0, 1], [0, 2, 0]]);
    model.layers[1].setWeights([zeros, b1]);
    zeros.dispose();
    void k1;
    const ks = kernelValues(model);
    expect(ks.map((k) => k.shape)).toEqual([[2, 3], [3, 2]]);
    const sp = modelSparsity(model, 1e-3);
    expect(sp.layers[0]).toMatchObject({ near0: 4, total: 6, maxAbs: 2 });
    expect(sp.total.total).toBe(12);
    expect(sp.total.near0).toBeGreaterThanOrEqual(4);
    expect(() => weightSparsity([], 1)).toThrow(/no values/);
    model.dispose();
  });
});

describe('seedMlp', () => {
  it('builds the seed\'s MLP and its variants with the right layers and parameter counts', () => {
    const plain = seedMlp();
    expect(plain.countParams()).toBe(266610);
    expect(plain.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dense', 'Dense']);
    const drop = seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', dropout: 0.2 });
    expect(drop.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dropout', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    const leaky = seedMlp({ activation: 'leaky_relu' });
    expect(leaky.layers.filter((l) => l.getClassName() === 'TsdlLeakyReLU')).toHaveLength(2);
    const before = seedMlp({ batchNorm: 'before', activation: 'elu' });
    expect(before.layers.map((l) => l.getClassName())).toEqual([
      'Flatten', 'BatchNormalization', 'Dense', 'BatchNormalization', 'Activation', 'Dense', 'BatchNormalization', 'Activation', 'Dense',
    ]);
    const binary = seedMlp({ outputs: 1, outputActivation: 'sigmoid', hidden: [4], inputShape: [3] });
    const p = tf.tidy(() => (binary.predict(tf.ones([2, 3])) as tf.Tensor).dataSync());
    expect(p[0]).toBeGreaterThan(0);
    expect(p[0]).toBeLessThan(1);
    expect(() => seedMlp({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\)/);
    expect(() => seedMlp({ hidden: [] })).toThrow(/positive layer sizes/);
    for (const m of [plain, drop, leaky, before, binary]) m.dispose();
  });

  it('puts a fresh kernel regulariser on every hidden layer (and none on the output)', () => {
    setGlobalSeed(4);
    const model = seedMlp({ hidden: [5, 4], inputShape: [3], outputs: 2, kernelRegularizer: l2(0.1) });
    const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
    // the penalty of each hidden kernel: 0.1 * sum(w^2)
    const expected = dense.slice(0, 2).reduce((a, l) => a + 0.1 * tf.tidy(() => l.getWeights()[0].square().sum().dataSync()[0]), 0);
    const lossFns = dense.flatMap((l) => l.losses as unknown as Array<() => tf.Scalar>);
    expect(dense.map((l) => l.losses.length)).toEqual([1, 1, 0]);
    const total = tf.tidy(() => lossFns.reduce((a, f) => a + f().dataSync()[0], 0));
    expect(total).toBeCloseTo(expected, 5);
    model.dispose();
  });
});
