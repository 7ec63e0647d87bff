// Issue 20, training: faults that used to train or load silently, leak tensors, or fail with an
// unclear message. Runs on wasm (test/setup.ts), where clipByValue turns NaN into 1e-7.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN } from '../lib/train/callbacks';
import { compile } from '../lib/train/compile';
import { setDenseFastPath } from '../lib/train/fast-dense';
import { evaluate, fit } from '../lib/train/fit';

const live = (): number => tf.memory().numTensors;

function data(n: number, seed = 1): { x: tf.Tensor2D; y: tf.Tensor1D } {
  setGlobalSeed(seed);
  const xs = Array.from({ length: n * 4 }, () => Math.random() * 2 - 1);
  const ys = Array.from({ length: n }, (_, i) => i % 3);
  return { x: tf.tensor2d(xs, [n, 4]), y: tf.tensor1d(ys, 'int32') };
}

/** A softmax classifier (fast Dense path) or, with dropout, one that takes the tape path. */
function classifier(tape: boolean): tf.Sequential {
  const layers: tf.layers.Layer[] = [tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] })];
  if (tape) layers.push(tf.layers.dropout({ rate: 0.1 }));
  layers.push(tf.layers.dense({ units: 3, activation: 'softmax' }));
  const model = tf.sequential({ layers });
  compile(model, { optimizer: tf.train.sgd(0.1), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

afterEach(() => {
  setDenseFastPath(true);
  vi.restoreAllMocks();
});

describe('NaN in the inputs', () => {
  for (const tape of [false, true]) {
    it(`fit and evaluate refuse NaN or Infinity in x, naming the sample (${tape ? 'tape' : 'fast Dense'} path)`, async () => {
      const { x, y } = data(64);
      const at = tf.range(0, 64 * 4).reshape([64, 4]);
      const nan = tf.where(at.notEqual(5), x, tf.scalar(NaN)) as tf.Tensor2D;
      const inf = tf.where(at.notEqual(42), x, tf.scalar(Infinity)) as tf.Tensor2D;
      const model = classifier(tape);
      const before = live();
      await expect(fit(model, nan, y, { epochs: 1, verbose: 0 })).rejects.toThrow(
        /fit: x holds NaN at sample 1 \(value 1 of the sample\); NaN or Infinity makes the weights NaN\. Clean the data first/,
      );
      expect(() => evaluate(model, inf, y, { verbose: 0 })).toThrow(/evaluate: x holds Infinity at sample 10 \(value 2 of the sample\)/);
      await expect(fit(model, x, y, { epochs: 1, verbose: 0, validationData: [nan, y] })).rejects.toThrow(/fit: validationData x holds NaN at sample 1/);
      const yNaN = tf.tensor1d([0, NaN, 1, 2]);
      const x4 = x.slice(0, 4);
      await expect(fit(model, x4, yNaN, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: y holds NaN at sample 1/);
      tf.dispose([yNaN, x4]);
      expect(live()).toBe(before);
      tf.dispose([x, y, at, nan, inf]);
      model.dispose();
    });
  }

  it('stops TerminateOnNaN when the weights are NaN though a custom loss stays finite', async () => {
    const { x, y } = data(32);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
    // A loss that hides NaN (as wasm's clip did): the weights still become NaN.
    const hiding = (t: tf.Tensor, p: tf.Tensor): tf.Tensor => tf.tidy(() => tf.mean(tf.where(tf.isNaN(p), tf.zerosLike(p), p), -1).add(tf.mul(t, 0).squeeze()));
    compile(model, { optimizer: tf.train.sgd(0.1), loss: hiding });
    model.layers[0].setWeights([tf.fill([4, 3], NaN), tf.zeros([3])]);
    const stop = new TerminateOnNaN({ checkEvery: 1 });
    const logs: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    const h = await fit(model, x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [stop] });
    expect(stop.terminated).toBe(true);
    expect(h.epoch.length).toBe(1);
    expect(logs.join('\n')).toMatch(/weights of layer .* are NaN or infinite/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('sparse labels out of range', () => {
  for (const [what, labels] of [
    ['10 for 3 classes', [0, 1, 3, 2]],
    ['-1', [0, -1, 2, 1]],
    ['2.5', [0, 1, 2.5, 1]],
  ] as const) {
    for (const tape of [false, true]) {
      it(`refuses ${what} in fit and evaluate (${tape ? 'tape' : 'fast Dense'} path), naming the sample and the fix`, async () => {
        const x = tf.randomNormal([4, 4]) as tf.Tensor2D;
        const y = tf.tensor1d(labels as unknown as number[], 'float32');
        const model = classifier(tape);
        const before = live();
        await expect(fit(model, x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: y holds class label .* at sample \d+; sparse_categorical_crossentropy needs whole numbers from 0 to 2 \(the model has 3 outputs\)/);
        expect(() => evaluate(model, x, y, { verbose: 0 })).toThrow(/evaluate: y holds class label/);
        await expect(fit(model, tf.zeros([4, 4]), tf.tensor1d([0, 1, 2, 1]), { epochs: 1, verbose: 0, validationData: [x, y] })).rejects.toThrow(/fit: validationData y holds class label/);
        expect(live()).toBe(before + 2); // only the two tensors the last call's arguments made
        tf.dispose([x, y]);
        model.dispose();
      });
    }
  }

});

describe('binary cross-entropy targets outside [0, 1]', () => {
  it('are refused by fit and evaluate, naming the value and the fix (pixels 0..255)', async () => {
    const x = tf.randomUniform([6, 4]) as tf.Tensor2D;
    const pixels = tf.tidy(() => tf.mul(x, 255).round());
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, activation: 'sigmoid', inputShape: [4] })] });
    compile(model, { optimizer: 'sgd', loss: 'binary_crossentropy' });
    const hi = tf.tidy(() => pixels.max().dataSync()[0]);
    const before = live();
    await expect(fit(model, x, pixels, { epochs: 1, verbose: 0 })).rejects.toThrow(
      new RegExp(`fit: y holds ${hi} at sample \\d; binary_crossentropy needs targets between 0 and 1 \\(probabilities\\)\\. Scale them \\(divide pixels by 255\\)`),
    );
    expect(() => evaluate(model, x, tf.fill([6, 4], -1), { verbose: 0 })).toThrow(/evaluate: y holds -1 at sample 0; binary_crossentropy needs targets between 0 and 1/);
    expect(live()).toBe(before + 1); // the fill above
    await fit(model, x, x, { epochs: 1, verbose: 0 });
    tf.dispose([x, pixels]);
    model.dispose();
  });
});

describe('no leaks when fit fails', () => {
  it('a fit whose loss throws on the tape path leaves no tensor behind', async () => {
    const { x, y } = data(16);
    const model2 = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    let calls = 0;
    compile(model2, {
      optimizer: tf.train.sgd(0.1),
      loss: (t, p) => {
        if (++calls === 2) throw new Error('boom');
        return tf.mean(tf.square(tf.sub(p, tf.oneHot(tf.cast(t, 'int32'), 3))), -1);
      },
    });
    await fit(model2, x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // optimiser state exists
    calls = 1;
    const before = live();
    for (let i = 0; i < 3; i++) {
      calls = 1;
      await expect(fit(model2, x, y, { epochs: 1, batchSize: 16, verbose: 0 })).rejects.toThrow('boom');
    }
    expect(live()).toBe(before);
    model2.dispose();
    tf.dispose([x, y]);
  });

  it('a fit that fails on the fast path or in validation leaves no tensor behind', async () => {
    const { x, y } = data(16);
    const model = classifier(false);
    await fit(model, x, y, { epochs: 1, verbose: 0 });
    const wrong = tf.ones([16, 3]); // one-hot targets for a sparse loss
    const before = live();
    await expect(fit(model, x, wrong, { epochs: 1, verbose: 0 })).rejects.toThrow(/integer labels of shape \[16,3\]/);
    expect(live()).toBe(before);
    await expect(fit(model, x, y, { epochs: 1, verbose: 0, validationData: [x, wrong] })).rejects.toThrow(/integer labels of shape \[16,3\]/);
    expect(live()).toBe(before);
    await expect(fit(model, x, y, { verbose: 0, validationSplit: 0.25, validationBatchSize: 0 })).rejects.toThrow(/validationBatchSize must be a positive integer/);
    await expect(fit(model, x, y, { verbose: 0, validationSplit: 0.25, callbacks: [{} as unknown as ModelCheckpoint] })).rejects.toThrow(/every callback must extend Callback/);
    expect(live()).toBe(before);
    setDenseFastPath(false);
    await expect(fit(model, x, y, { epochs: 1, verbose: 0, validationSplit: 0.5, validationFreq: 1, callbacks: [new (class extends ModelCheckpoint {
      override async onEpochEnd(): Promise<void> {
        throw new Error('disk full');
      }
    })('unused')] })).rejects.toThrow('disk full');
    expect(live()).toBe(before);
    tf.dispose([x, y, wrong]);
    model.dispose();
  });
});

describe('clear errors in fit options and callbacks', () => {
  it('accepts validationData as { x, y } like [x, y]', async () => {
    const { x, y } = data(30);
    const a = classifier(false);
    const b = classifier(false);
    b.setWeights(a.getWeights());
    setGlobalSeed(3);
    const ha = await fit(a, x, y, { epochs: 2, verbose: 0, validationData: [x, y] });
    setGlobalSeed(3);
    const hb = await fit(b, x, y, { epochs: 2, verbose: 0, validationData: { x, y } });
    expect(hb.history.val_loss).toEqual(ha.history.val_loss);
    await expect(fit(a, x, y, { verbose: 0, validationData: { x } as unknown as [tf.Tensor, tf.Tensor] })).rejects.toThrow(
      /fit: validationData must be \[xVal, yVal\] \(or \{ x: xVal, y: yVal \}\)/,
    );
    await expect(fit(a, x, y, { verbose: 0, validationData: [x] as unknown as [tf.Tensor, tf.Tensor] })).rejects.toThrow(/validationData must be \[xVal, yVal\]/);
    tf.dispose([x, y]);
    a.dispose();
    b.dispose();
  });

  it('says what a wrongly typed option is (a string "3", callbacks not in an array, a negative patience)', async () => {
    const { x, y } = data(8);
    const model = classifier(false);
    await expect(fit(model, x, y, { verbose: 0, epochs: '3' as unknown as number })).rejects.toThrow('fit: epochs must be a positive integer, got "3" (a string).');
    await expect(fit(model, x, y, { verbose: 0, callbacks: new EarlyStopping() as unknown as EarlyStopping[] })).rejects.toThrow(
      /fit: callbacks must be an array of callbacks, e\.g\. callbacks: \[new EarlyStopping\(\{ patience: 3 \}\)\]/,
    );
    expect(() => new ReduceLROnPlateau({ patience: -1 })).toThrow('ReduceLROnPlateau: patience must be an integer >= 0 (epochs), got -1.');
    expect(() => new ReduceLROnPlateau({ minLr: -0.1 })).toThrow('ReduceLROnPlateau: minLr must be a number >= 0, got -0.1.');
    tf.dispose([x, y]);
    model.dispose();
  });

  it('refuses initialEpoch >= epochs, saying that epochs is the last epoch', async () => {
    const { x, y } = data(8);
    const model = classifier(false);
    await expect(fit(model, x, y, { epochs: 3, initialEpoch: 3, verbose: 0 })).rejects.toThrow(
      /fit: initialEpoch \(3\) must be less than epochs \(3\): epochs is the number of the last epoch, not how many to run; to train 3 more epochs from epoch 3 pass epochs: 6/,
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('names a monitor typo with the closest metric and the available ones', async () => {
    expect(() => new EarlyStopping({ monitor: 'val_acuracy' })).toThrow(/EarlyStopping: monitor 'val_acuracy' is not a metric name; did you mean 'val_accuracy'\?/);
    const { x, y } = data(20);
    const model = classifier(false);
    const cb = new ReduceLROnPlateau({ monitor: 'val_los' });
    await expect(fit(model, x, y, { epochs: 2, verbose: 0, validationSplit: 0.2, callbacks: [cb] })).rejects.toThrow(
      /ReduceLROnPlateau: monitor 'val_los' is not in the logs of this training; did you mean 'val_loss'\? The logs have: accuracy, learning_rate, loss, val_accuracy, val_loss/,
    );
    tf.dispose([x, y]);
    model.dispose();
  });
});
