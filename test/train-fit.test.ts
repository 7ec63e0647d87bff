import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { Callback, CSVLogger, EarlyStopping, LearningRateScheduler, Logs, ModelCheckpoint, ReduceLROnPlateau, TerminateOnNaN } from '../lib/train/callbacks';
import { compile } from '../lib/train/compile';
import { evaluate, fit, predict } from '../lib/train/fit';

/** 2-D points labelled by the sign of x0 + x1, with a margin: linearly separable. */
function separable(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  setGlobalSeed(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  while (ys.length < n) {
    const a = Math.random() * 4 - 2;
    const b = Math.random() * 4 - 2;
    if (Math.abs(a + b) < 0.5) continue;
    xs.push(a, b);
    ys.push(a + b > 0 ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor1d(ys, 'int32') };
}

function classifier(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
}

/** Records the `training` flag of every call. */
class TrainingProbe extends tf.layers.Layer {
  static className = 'TrainingProbe';
  readonly flags: (boolean | undefined)[] = [];
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    this.flags.push(kwargs.training as boolean | undefined);
    return tf.clone(Array.isArray(inputs) ? inputs[0] : inputs);
  }
}

describe('fit / evaluate / predict', () => {
  it('learns a linearly separable problem to accuracy 1 with Keras history keys and params', async () => {
    const { x, y } = separable(200, 1);
    const model = classifier();
    compile(model, { optimizer: tf.train.adam(0.05), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const h = await fit(model, x, y, { epochs: 30, batchSize: 16, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']); // Keras 3's order
    expect(h.params).toEqual({ epochs: 30, steps: 10, verbose: 0 });
    expect(h.epoch).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(h.history.accuracy.at(-1)).toBe(1);
    expect(h.history.val_accuracy.at(-1)).toBe(1);
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0] * 0.5);
    const r = evaluate(model, x, y, { verbose: 0 });
    expect(r.accuracy).toBe(1);
    // evaluate's loss is the mean sparse crossentropy of the predictions.
    const p = predict(model, x);
    const manual = tf.tidy(() => tf.neg(tf.mean(tf.log(tf.sum(tf.mul(p, tf.oneHot(y, 2)), 1)))).dataSync()[0]);
    expect(r.loss).toBeCloseTo(manual, 5);
    tf.dispose([x, y, p]);
    model.dispose();
  });

  it('evaluate includes an L2 kernel penalty equal to lambda * sum(w^2)', async () => {
    setGlobalSeed(3);
    const x = tf.randomNormal([64, 4]);
    const y = tf.randomNormal([64, 1]);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4], kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) })] });
    compile(model, { optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    await fit(model, x, y, { epochs: 2, verbose: 0 });
    const r = evaluate(model, x, y, { batchSize: 10, verbose: 0 });
    const kernel = model.layers[0].getWeights()[0];
    const penalty = tf.tidy(() => tf.mul(0.01, tf.sum(tf.square(kernel))).dataSync()[0]);
    const p = predict(model, x);
    const mse = tf.tidy(() => tf.mean(tf.squaredDifference(p, y)).dataSync()[0]);
    const mae = tf.tidy(() => tf.mean(tf.abs(tf.sub(p, y))).dataSync()[0]);
    expect(penalty).toBeGreaterThan(1e-4);
    expect(r.loss).toBeCloseTo(mse + penalty, 5);
    expect(r.mae).toBeCloseTo(mae, 5); // metrics leave the penalty out
    tf.dispose([x, y, p]);
    model.dispose();
  });

  it('counts losses a layer adds in call() for the current step only, in fit and evaluate', async () => {
    /** Identity layer adding 0.5 * mean(x^2) of its inputs at every call. */
    // tfjs disposes a model's intermediate tensors before it calls the loss functions, so the
    // penalty is computed in call() (on the gradient tape) and kept until the next call.
    class ActivityPenalty extends tf.layers.Layer {
      static className = 'TestActivityPenalty';
      last: tf.Scalar | null = null;
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const p = tf.keep(tf.mul(0.5, tf.mean(tf.square(x))) as tf.Scalar);
        this.last?.dispose();
        this.last = p;
        this.addLoss(() => p);
        return tf.clone(x);
      }
    }
    const penalty = new ActivityPenalty({});
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], kernelInitializer: 'ones', useBias: false }), penalty] });
    compile(model, { optimizer: tf.train.sgd(0), loss: 'mse' });
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = tf.zeros([2, 2]);
    // outputs [[3, 3], [7, 7]]: mse = mean(9, 9, 49, 49) = 29, penalty = 0.5 * 29 = 14.5
    const h = await fit(model, x, y, { epochs: 2, batchSize: 2, verbose: 0 });
    expect(h.history.loss).toEqual([43.5, 43.5]);
    expect(evaluate(model, x, y, { verbose: 0 }).loss).toBe(43.5);
    expect(penalty.losses).toHaveLength(0);
    const before = tf.memory().numTensors;
    await fit(model, x, y, { epochs: 3, batchSize: 1, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('includes regularisers of nested models (an autoencoder of two Sequentials) and trains both', async () => {
    setGlobalSeed(13);
    const encoder = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [4], kernelRegularizer: tf.regularizers.l1({ l1: 0.1 }) })] });
    const decoder = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2] })] });
    const ae = tf.sequential({ layers: [encoder, decoder] });
    compile(ae, { optimizer: 'adam', loss: 'mse' });
    const x = tf.randomNormal([16, 4]);
    const r = evaluate(ae, x, x, { verbose: 0 });
    const p = predict(ae, x);
    const mse = tf.tidy(() => tf.mean(tf.squaredDifference(p, x)).dataSync()[0]);
    const l1 = tf.tidy(() => tf.mul(0.1, tf.sum(tf.abs(encoder.layers[0].getWeights()[0]))).dataSync()[0]);
    expect(r.loss).toBeCloseTo(mse + l1, 5);
    expect(Math.fround(r.loss)).toBe(r.loss); // float32 values, like Keras's history
    const kernelBefore = Array.from(encoder.layers[0].getWeights()[0].dataSync());
    const decoderBefore = Array.from(decoder.layers[0].getWeights()[0].dataSync());
    await fit(ae, x, x, { epochs: 1, verbose: 0 });
    expect(Array.from(encoder.layers[0].getWeights()[0].dataSync())).not.toEqual(kernelBefore);
    expect(Array.from(decoder.layers[0].getWeights()[0].dataSync())).not.toEqual(decoderBefore);
    tf.dispose([x, p]);
    ae.dispose();
  });

  it('trains with training=true (BN moving statistics update) and evaluates/predicts with training=false', async () => {
    setGlobalSeed(4);
    const x = tf.add(tf.randomNormal([40, 3]), 5);
    const y = tf.randomNormal([40, 1]);
    const probe = new TrainingProbe({});
    const bn = tf.layers.batchNormalization({ inputShape: [3] });
    const model = tf.sequential({ layers: [bn, probe, tf.layers.dense({ units: 1 })] });
    compile(model, { optimizer: 'sgd', loss: 'mse' });
    const movingMean = () => bn.getWeights()[2].dataSync()[0];
    const m0 = movingMean();
    expect(m0).toBe(0);
    probe.flags.length = 0;
    await fit(model, x, y, { epochs: 1, batchSize: 10, verbose: 0, validationData: [x, y] });
    expect(probe.flags.slice(0, 4)).toEqual([true, true, true, true]);
    expect(probe.flags.slice(4)).toEqual([false, false, false, false]); // validation
    const m1 = movingMean();
    // moving = 0.99 * moving + 0.01 * batchMean over 4 steps, batch means near 5: 5 * (1 - 0.99^4) = 0.199.
    expect(m1).toBeGreaterThan(0.15);
    expect(m1).toBeLessThan(0.25);
    probe.flags.length = 0;
    evaluate(model, x, y, { verbose: 0 });
    const p1 = predict(model, x);
    const p2 = predict(model, x);
    expect(movingMean()).toBe(m1);
    expect(probe.flags.every((f) => f === false)).toBe(true);
    expect(Array.from(p1.dataSync())).toEqual(Array.from(p2.dataSync()));
    tf.dispose([x, y, p1, p2]);
    model.dispose();
  });

  it('runs frozen BatchNormalization in inference mode during fit, like Keras 3', async () => {
    setGlobalSeed(14);
    const x = tf.add(tf.randomNormal([32, 3]), 4);
    const y = tf.randomNormal([32, 1]);
    const bn = tf.layers.batchNormalization({ inputShape: [3] });
    const base = tf.sequential({ layers: [bn] });
    const model = tf.sequential({ layers: [base, tf.layers.dense({ units: 1 })] });
    base.trainable = false; // frozen through its container, as when fine-tuning
    compile(model, { optimizer: tf.train.sgd(0.01), loss: 'mse' });
    const stats = () => bn.getWeights().map((w) => Array.from(w.dataSync()));
    const before = stats();
    await fit(model, x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(stats()).toEqual(before); // gamma/beta frozen and moving statistics not updated
    bn.trainable = true;
    base.trainable = true;
    await fit(model, x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(stats()[2]).not.toEqual(before[2]); // unfrozen: moving mean moves again
    tf.dispose([x, y]);
    model.dispose();
  });

  it('leaves frozen layers untouched', async () => {
    setGlobalSeed(5);
    const x = tf.randomNormal([32, 3]);
    const y = tf.randomNormal([32, 1]);
    const first = tf.layers.dense({ units: 4, inputShape: [3] });
    const last = tf.layers.dense({ units: 1 });
    const model = tf.sequential({ layers: [first, last] });
    first.trainable = false;
    compile(model, { optimizer: tf.train.sgd(0.1), loss: 'mse' });
    const before = first.getWeights().map((w) => Array.from(w.dataSync()));
    const lastBefore = Array.from(last.getWeights()[0].dataSync());
    await fit(model, x, y, { epochs: 2, verbose: 0 });
    expect(first.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(Array.from(last.getWeights()[0].dataSync())).not.toEqual(lastBefore);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('weights the loss by sampleWeight the Keras way: sum(l * w) / batch', () => {
    setGlobalSeed(6);
    const x = tf.randomNormal([20, 2]);
    const y = tf.randomNormal([20, 1]);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    compile(model, { optimizer: 'sgd', loss: 'mse' });
    const w = tf.tensor1d([...Array(10).fill(1), ...Array(10).fill(0)]);
    const weighted = evaluate(model, x, y, { batchSize: 20, sampleWeight: w, verbose: 0 }).loss;
    const firstHalf = evaluate(model, x.slice(0, 10), y.slice(0, 10), { batchSize: 20, verbose: 0 }).loss;
    expect(weighted).toBeCloseTo(firstHalf / 2, 6);
    tf.dispose([x, y, w]);
    model.dispose();
  });

  it('is repeatable with setGlobalSeed: identical weights and history (shuffle and dropout on)', async () => {
    const run = async () => {
      setGlobalSeed(42);
      const { x, y } = separable(60, 9);
      setGlobalSeed(42);
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), tf.layers.dropout({ rate: 0.3 }), tf.layers.dense({ units: 2, activation: 'softmax' })],
      });
      compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
      const h = await fit(model, x, y, { epochs: 3, batchSize: 8, verbose: 0 });
      const weights = model.getWeights().map((t) => Array.from(t.dataSync()));
      tf.dispose([x, y]);
      model.dispose();
      return { weights, history: h.history };
    };
    const a = await run();
    const b = await run();
    expect(b.weights).toEqual(a.weights);
    expect(b.history).toEqual(a.history);
  });

  it('keeps tf.memory().numTensors constant across 20 epochs with every callback attached', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-leak-'));
    const { x, y } = separable(48, 11);
    const model = classifier();
    compile(model, { optimizer: tf.train.momentum(0.01, 0.9), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const counts: number[] = [];
    class Count extends Callback {
      override onBatchEnd(_b: number, logs: Logs): void {
        expect(logs.loss).toBeGreaterThan(0); // reading a running mean leaks nothing either
      }
      override onEpochEnd(): void {
        counts.push(tf.memory().numTensors);
      }
    }
    const callbacks = () => [
      new EarlyStopping({ monitor: 'val_loss', patience: 100, restoreBestWeights: true }),
      new LearningRateScheduler((_e, lr) => lr * 0.99),
      new ReduceLROnPlateau({ patience: 2 }),
      new ModelCheckpoint(path.join(dir, 'best'), { saveBestOnly: true }),
      new TerminateOnNaN({ checkEvery: 1 }),
      new CSVLogger(path.join(dir, 'log.csv')),
      new Count(),
    ];
    const start = tf.memory().numTensors;
    await fit(model, x, y, { epochs: 20, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: callbacks() });
    expect(counts).toHaveLength(20);
    expect(new Set(counts).size).toBe(1);
    const afterFirst = tf.memory().numTensors;
    // The optimizer's momentum accumulators (one per trainable weight) are the only new tensors.
    expect(afterFirst - start).toBe(model.trainableWeights.length);
    counts.length = 0;
    await fit(model, x, y, { epochs: 20, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: callbacks() });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(afterFirst);
    tf.dispose([x, y]);
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts from initialEpoch, stops on stopTraining, and predicts in batches', async () => {
    const { x, y } = separable(40, 12);
    const model = classifier();
    compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const h = await fit(model, x, y, { epochs: 5, initialEpoch: 3, verbose: 0, validationData: [x, y], validationFreq: 2 });
    expect(h.epoch).toEqual([3, 4]);
    expect(h.history.val_loss).toHaveLength(1); // Keras validates when (epoch + 1) % freq == 0: epoch 3 only
    class StopAtBatch2 extends Callback {
      batches = 0;
      override onBatchEnd(batch: number): void {
        this.batches++;
        if (batch === 1) this.stopTraining = true;
      }
    }
    const stopper = new StopAtBatch2();
    const h2 = await fit(model, x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [stopper] });
    expect(stopper.batches).toBe(2);
    expect(h2.epoch).toEqual([0]);
    const whole = model.predict(x) as tf.Tensor;
    const batched = predict(model, x, { batchSize: 7 });
    expect(batched.shape).toEqual([40, 2]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(whole, batched))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([x, y, whole, batched]);
    model.dispose();
  });

  it('rejects bad input with messages that say what to do', async () => {
    const model = classifier();
    const x = tf.zeros([4, 2]);
    const y = tf.zeros([3], 'int32');
    await expect(fit(model, x, y)).rejects.toThrow(/not compiled; call compile/);
    compile(model, { optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    await expect(fit(model, x, y, { verbose: 0 })).rejects.toThrow(/x has 4 samples but y has 3/);
    await expect(fit(model, x, tf.zeros([4], 'int32'), { verbose: 0, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    expect(() => compile(model, { optimizer: 'sgd', loss: 'hinge_squared' })).toThrow(/unknown loss 'hinge_squared'/);
    expect(() => compile(model, { optimizer: 'sgd', loss: 'mse', metrics: ['f2'] })).toThrow(/unknown metric 'f2'/);
    tf.dispose([x, y]);
    model.dispose();
  });
});
