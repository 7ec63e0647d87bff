import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { cloneModel, countParams, disposeModels, freeze, reuseLayers, unfreeze } from '../lib/train/transfer';
import { SGD } from '../lib/optim';
import { LeakyReLU } from '../lib/layers';

function snapshot(layer: tf.layers.Layer | tf.LayersModel): number[][] {
  return layer.getWeights().map((w) => Array.from(w.dataSync()));
}

function data(n: number, classes: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([n, 4], 0, 1, 'float32', seed) as tf.Tensor2D;
    const ids = tf.argMax(tf.matMul(x, tf.randomNormal([4, classes], 0, 1, 'float32', seed + 1)), 1);
    return { x, y: tf.oneHot(ids, classes).toFloat() as tf.Tensor2D };
  });
}

function modelA(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
      new LeakyReLU({ negativeSlope: 0.2 }),
      tf.layers.dense({ units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

describe('cloneModel', () => {
  it('copies architecture and weights; training the copy leaves the original unchanged', async () => {
    const a = modelA();
    const { x, y } = data(32, 3, 1);
    const c = cloneModel(a);
    expect(c).not.toBe(a);
    expect(c.layers.length).toBe(a.layers.length);
    expect(snapshot(c)).toEqual(snapshot(a));
    const pa = a.predict(x) as tf.Tensor;
    const pc = c.predict(x) as tf.Tensor;
    expect(Array.from(pc.dataSync())).toEqual(Array.from(pa.dataSync()));
    const before = snapshot(a);
    c.compile({ optimizer: SGD({ learningRate: 0.1 }), loss: 'categoricalCrossentropy' });
    await c.fit(x, y, { epochs: 2, verbose: 0 });
    expect(snapshot(a)).toEqual(before);
    expect(snapshot(c)).not.toEqual(before);
    const fresh = cloneModel(a, { copyWeights: false });
    expect(snapshot(fresh)).not.toEqual(before);
    tf.dispose([pa, pc, x, y]);
    [a, c, fresh].forEach((m) => m.dispose());
  });

  it('clones functional models and keeps frozen flags', () => {
    const inp = tf.input({ shape: [4] });
    const h = tf.layers.dense({ units: 5, activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 2 }).apply(h) as tf.SymbolicTensor;
    const f = tf.model({ inputs: inp, outputs: out });
    f.layers[1].trainable = false;
    const c = cloneModel(f);
    expect(c.layers[1].trainable).toBe(false);
    expect(countParams(c)).toEqual({ trainable: 12, nonTrainable: 25 });
    c.layers.forEach((l, i) => expect(snapshot(l)).toEqual(snapshot(f.layers[i])));
    f.dispose();
    c.dispose();
  });
});

describe('reuse, freeze, unfreeze (the seed model_B_on_A recipe)', () => {
  it('frozen reused layers do not change during training; unfrozen and recompiled they do', async () => {
    const a = modelA();
    const { x: xa, y: ya } = data(48, 3, 2);
    a.compile({ optimizer: SGD({ learningRate: 0.05 }), loss: 'categoricalCrossentropy' });
    await a.fit(xa, ya, { epochs: 2, verbose: 0 });
    const aClone = cloneModel(a);
    const aWeights = snapshot(a);
    const b = reuseLayers(aClone, -1); // shares all layers but the output with aClone
    expect(b.layers.length).toBe(3);
    expect(b.layers[0]).toBe(aClone.layers[0]);
    b.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
    expect(freeze(b.layers.slice(0, -1))).toBe(3);
    b.compile({ optimizer: SGD({ learningRate: 0.1 }), loss: 'binaryCrossentropy' });
    expect(countParams(b)).toEqual({ trainable: 9, nonTrainable: 40 + 72 });
    const { x, y: y3 } = data(32, 2, 3);
    const yb = tf.tidy(() => y3.slice([0, 0], [-1, 1]));
    const reused = b.layers.slice(0, -1).map(snapshot);
    const head = snapshot(b.layers[3]);
    await b.fit(x, yb, { epochs: 3, batchSize: 8, verbose: 0 });
    expect(b.layers.slice(0, -1).map(snapshot)).toEqual(reused);
    expect(snapshot(b.layers[3])).not.toEqual(head);

    unfreeze(b.layers.slice(0, -1));
    b.compile({ optimizer: SGD({ learningRate: 1e-2 }), loss: 'binaryCrossentropy' });
    expect(countParams(b).nonTrainable).toBe(0);
    await b.fit(x, yb, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(snapshot(b.layers[0])).not.toEqual(reused[0]);
    expect(snapshot(b.layers[2])).not.toEqual(reused[2]);
    expect(snapshot(aClone.layers[0])).toEqual(snapshot(b.layers[0])); // shared with the clone
    expect(snapshot(a)).toEqual(aWeights); // model A itself is untouched
    tf.dispose([xa, ya, x, y3, yb]);
    [a, b].forEach((m) => m.dispose()); // b owns the layers it shares with aClone
  });

  it('freeze reaches inside a nested Sequential used as the first layer (tfjs encoder.trainable = false does not)', async () => {
    const build = (): { encoder: tf.Sequential; model: tf.Sequential } => {
      const encoder = tf.sequential({ layers: [tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 3 })] });
      const model = tf.sequential();
      model.add(encoder);
      model.add(tf.layers.dense({ units: 1 }));
      return { encoder, model };
    };
    const { x } = data(16, 2, 4);
    const y = tf.ones([16, 1]);
    const plain = build();
    plain.encoder.trainable = false;
    const before1 = snapshot(plain.encoder);
    plain.model.compile({ optimizer: SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    await plain.model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(snapshot(plain.encoder)).not.toEqual(before1); // the tfjs quirk

    const ours = build();
    freeze(ours.encoder);
    const before2 = snapshot(ours.encoder);
    ours.model.compile({ optimizer: SGD({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    await ours.model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(snapshot(ours.encoder)).toEqual(before2);
    tf.dispose([x, y]);
    [plain.model, ours.model].forEach((m) => m.dispose());
  });

  it('copy mode builds independent layers with the same weights; bad counts throw', () => {
    const a = modelA();
    const b = reuseLayers(a, 2, { mode: 'copy' });
    expect(b.layers[0]).not.toBe(a.layers[0]);
    expect(snapshot(b.layers[0])).toEqual(snapshot(a.layers[0]));
    expect((b.layers[1] as LeakyReLU).negativeSlope).toBe(0.2);
    expect(() => reuseLayers(a, 0)).toThrow(/count 0/);
    expect(() => reuseLayers(a, -4)).toThrow(/count -4/);
    expect(() => freeze([{} as tf.layers.Layer])).toThrow(/not a tfjs layer/);
    a.dispose();
    b.dispose();
  });
});

describe('disposeModels', () => {
  const encoderAndUsers = (): { encoder: tf.Sequential; autoencoder: tf.Sequential; classifier: tf.Sequential } => {
    const encoder = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [6], activation: 'relu' })] });
    const autoencoder = tf.sequential({ layers: [encoder, tf.layers.dense({ units: 6 })] });
    const classifier = tf.sequential({ layers: [encoder, tf.layers.dense({ units: 2, activation: 'softmax' })] });
    return { encoder, autoencoder, classifier };
  };

  it("frees a classifier that nests a shared encoder and keeps the encoder working (tfjs's dispose does not)", () => {
    const start = tf.memory().numTensors;
    const { autoencoder, classifier } = encoderAndUsers();
    expect(tf.memory().numTensors - start).toBe(6); // encoder 2, decoder 2, softmax layer 2
    // The tfjs behaviour this works around: classifier.dispose() frees the shared encoder's weights.
    const probe = encoderAndUsers();
    probe.classifier.dispose();
    expect(() => probe.autoencoder.dispose()).toThrow(/already disposed/);
    for (const w of probe.autoencoder.weights) {
      try {
        w.dispose();
      } catch {
        // freed by classifier.dispose() above
      }
    }
    expect(tf.memory().numTensors - start).toBe(6); // the probe is gone; the first three models remain

    const before = tf.memory().numTensors;
    expect(disposeModels([classifier], { keep: [autoencoder] })).toBe(2); // only the softmax layer's kernel and bias
    expect(tf.memory().numTensors).toBe(before - 2);
    const x = tf.ones([1, 6]);
    const y = autoencoder.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 6]);
    tf.dispose([x, y]);
    expect(disposeModels([autoencoder])).toBe(4);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('frees each shared weight once when both models go', () => {
    const start = tf.memory().numTensors;
    const { autoencoder, classifier } = encoderAndUsers();
    expect(disposeModels([autoencoder, classifier])).toBe(6);
    expect(tf.memory().numTensors).toBe(start);
  });
});
