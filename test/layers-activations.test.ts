import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { ActivityRegularization, AlphaDropout, LeakyReLU, SELU_ALPHA, SELU_SCALE, alphaDropout, leakyReLU } from '../lib/layers';
import { SGD } from '../lib/optim';

function apply(layer: tf.layers.Layer, x: tf.Tensor, training = false): number[] {
  return tf.tidy(() => Array.from((layer.apply(x, { training }) as tf.Tensor).dataSync()));
}

describe('LeakyReLU', () => {
  it('uses negativeSlope (tfjs ignores Keras 3\'s name and gives 0.3)', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 3]);
    expect(apply(new LeakyReLU({ negativeSlope: 0.2 }), x)).toEqual([expect.closeTo(-0.4, 6), expect.closeTo(-0.1, 6), 0, 3]);
    expect(apply(leakyReLU(), x)[0]).toBeCloseTo(-0.6, 6); // Keras 3 default 0.3
    const tfjs = tf.layers.leakyReLU({ negativeSlope: 0.2 } as unknown as { alpha: number });
    expect(apply(tfjs, x)[0]).toBeCloseTo(-0.6, 6); // the tfjs quirk this layer fixes
    expect(() => new LeakyReLU({ negativeSlope: -1 })).toThrow(/negativeSlope/);
    x.dispose();
  });
});

describe('SELU / ELU in tfjs match Keras', () => {
  it('selu(x) = scale * (x if x > 0 else alpha (e^x - 1)); elu alpha 1', () => {
    const x = tf.tensor1d([-1, 2]);
    const s = tf.selu(x).dataSync();
    expect(s[0]).toBeCloseTo(SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), 5);
    expect(s[1]).toBeCloseTo(2 * SELU_SCALE, 5);
    expect(tf.elu(x).dataSync()[0]).toBeCloseTo(Math.exp(-1) - 1, 6);
    expect(SELU_SCALE * SELU_ALPHA).toBeCloseTo(1.7580993408473766, 12);
    x.dispose();
  });
});

describe('AlphaDropout', () => {
  it('keeps mean ~0 and variance ~1 of standard-normal inputs in training, identity at inference', () => {
    const n = 200000;
    const x = tf.randomNormal([n], 0, 1, 'float32', 11);
    const layer = new AlphaDropout({ rate: 0.2, seed: 3 });
    const y = apply(layer, x, true);
    let s = 0, s2 = 0, dropped = 0;
    const { a, b } = layer.affine();
    const droppedValue = a * AlphaDropout.ALPHA_PRIME + b;
    for (const v of y) {
      s += v; s2 += v * v;
      if (Math.abs(v - droppedValue) < 1e-5) dropped++;
    }
    const mean = s / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - mean * mean - 1)).toBeLessThan(0.02);
    expect(dropped / n).toBeCloseTo(0.2, 2);
    expect(AlphaDropout.ALPHA_PRIME).toBeCloseTo(-1.7580993408473766, 12);
    // tfjs's own alphaDropout, for contrast: mean far from 0
    const theirs = apply(tf.layers.alphaDropout({ rate: 0.2 }), x, true);
    expect(theirs.reduce((p, v) => p + v, 0) / n).toBeGreaterThan(0.2);
    const inf = apply(alphaDropout(0.2), tf.tensor1d([1, -2, 3]), false);
    expect(inf).toEqual([1, -2, 3]);
    expect(() => new AlphaDropout({ rate: 1 })).toThrow(/rate/);
    x.dispose();
  });
});

describe('ActivityRegularization', () => {
  const x = (): tf.Tensor => tf.tensor2d([[1, 2], [3, 4]]);
  const y = (): tf.Tensor => tf.tensor2d([[3, 3, 3], [7, 7, 7]]); // = x @ ones(2, 3)

  function model(reg: ActivityRegularization): tf.Sequential {
    return tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2], useBias: false, kernelInitializer: 'ones' }), reg] });
  }

  it('adds l1 * sum|a| (Keras 3: over the batch, not divided) to the training loss', async () => {
    const reg = new ActivityRegularization({ l1: 0.1 });
    const m = model(reg);
    m.compile({ optimizer: SGD({ learningRate: 0 }), loss: 'meanSquaredError' });
    const xs = x(), ys = y();
    const h = await m.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(h.history.loss[0] as number).toBeCloseTo(0.1 * 30, 4); // data loss 0; sum of activations 30
    expect(reg.lastPenalty()).toBeCloseTo(3, 4);
    const mean = new ActivityRegularization({ l1: 0.1, l2: 0.01, reduction: 'batchMean' });
    const p = mean.penaltyFor(tf.tensor2d([[3, 3, 3], [7, 7, 7]]));
    expect(p.dataSync()[0]).toBeCloseTo((3 + 0.01 * (27 + 147)) / 2, 5);
    p.dispose();
    m.dispose();
    tf.dispose([xs, ys]);
  });

  it('its gradient flows (activations shrink) and no tensors leak per epoch', async () => {
    const reg = new ActivityRegularization({ l1: 0.05 });
    const m = model(reg);
    m.compile({ optimizer: SGD({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const xs = x(), ys = y();
    await m.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
    const n = tf.memory().numTensors;
    const h = await m.fit(xs, ys, { epochs: 3, batchSize: 2, verbose: 0 });
    expect(tf.memory().numTensors).toBe(n);
    // only the penalty pulls the kernel (data loss is 0 at the start): the kernel moves below 1
    const k = m.layers[0].getWeights()[0].dataSync();
    for (const v of k) expect(v).toBeLessThan(1);
    expect((h.history.loss as number[])[2]).toBeLessThan(1.5);
    m.dispose();
    tf.dispose([xs, ys]);
  });

  it('all three layers survive toJSON / modelFromJSON with their settings', async () => {
    const m = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3] }), new LeakyReLU({ negativeSlope: 0.2 }),
        new AlphaDropout({ rate: 0.1 }), new ActivityRegularization({ l1: 1e-3, reduction: 'batchMean' }),
      ],
    });
    const copy = await tf.models.modelFromJSON({ modelTopology: JSON.parse(JSON.stringify(m.toJSON(null, false))) });
    expect((copy.layers[1] as LeakyReLU).negativeSlope).toBe(0.2);
    expect((copy.layers[2] as AlphaDropout).rate).toBe(0.1);
    const r = copy.layers[3] as ActivityRegularization;
    expect([r.l1, r.l2, r.reduction]).toEqual([1e-3, 0, 'batchMean']);
    m.dispose();
    copy.dispose();
  });
});
