import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { Callback, CallbackList, CSVLogger, EarlyStopping, EpochTimer, formatPath, LearningRateScheduler, ModelCheckpoint, monitorDirection, pythonFloat, ReduceLROnPlateau, TerminateOnNaN } from '../lib/train/callbacks';
import { compile } from '../lib/train/compile';
import { fit } from '../lib/train/fit';
import { getLearningRate, setLearningRate, SGD } from '../lib/optim';
import * as deep from '../lib/deep';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-cb-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function tinyModel(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
}

/** Drives a callback through epochs with scripted logs; before each epoch end, `beforeEnd` may change the model. */
async function drive(cb: Callback, model: tf.LayersModel, logs: Record<string, number>[], beforeEnd?: (epoch: number) => void): Promise<number> {
  cb.setModel(model);
  cb.setParams({ epochs: logs.length, steps: 1, verbose: 0 });
  cb.stopTraining = false;
  await cb.onTrainBegin({});
  let epochs = 0;
  for (let e = 0; e < logs.length && !cb.stopTraining; e++) {
    await cb.onEpochBegin(e, {});
    beforeEnd?.(e);
    await cb.onEpochEnd(e, { ...logs[e] });
    epochs++;
  }
  await cb.onTrainEnd({});
  return epochs;
}

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights exactly', async () => {
    const model = tinyModel();
    const es = new EarlyStopping({ patience: 2, restoreBestWeights: true });
    const setAll = (v: number) => model.setWeights(model.getWeights().map((w) => tf.fill(w.shape, v)));
    const ran = await drive(es, model, [1.0, 0.8, 0.9, 0.85, 0.95].map((v) => ({ val_loss: v })), (e) => setAll(e + 10));
    expect(ran).toBe(4);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(1);
    expect(es.best).toBe(0.8);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual([11, 11]);
  });

  it('honours minDelta, mode, baseline and startFromEpoch', async () => {
    const model = tinyModel();
    const withDelta = new EarlyStopping({ monitor: 'loss', minDelta: 0.02, patience: 1 });
    expect(await drive(withDelta, model, [{ loss: 1.0 }, { loss: 0.99 }, { loss: 0.5 }])).toBe(2);
    const acc = new EarlyStopping({ monitor: 'val_accuracy', patience: 1 });
    expect(await drive(acc, model, [{ val_accuracy: 0.5 }, { val_accuracy: 0.6 }, { val_accuracy: 0.55 }, { val_accuracy: 0.9 }])).toBe(3);
    const plain = new EarlyStopping({ patience: 2 });
    const based = new EarlyStopping({ patience: 2, baseline: 0.5 });
    const script = [0.8, 0.9, 0.9, 0.9].map((v) => ({ val_loss: v }));
    expect(await drive(plain, model, script)).toBe(3);
    expect(await drive(based, model, script)).toBe(2);
    const late = new EarlyStopping({ patience: 0, startFromEpoch: 2 });
    expect(await drive(late, model, [1, 2, 3, 4].map((v) => ({ val_loss: v })))).toBe(4);
  });

  it('restores the best epoch of a real training (weights compared exactly)', async () => {
    setGlobalSeed(21);
    const x = tf.randomNormal([64, 2]);
    const y = tf.tidy(() => tf.sum(x, 1, true));
    const yWrong = tf.neg(y);
    const model = tinyModel();
    compile(model, { optimizer: tf.train.sgd(0.05), loss: 'mse' });
    const snapshots: number[][][] = [];
    class Snap extends Callback {
      override onEpochEnd(): void {
        snapshots.push(model.getWeights().map((w) => Array.from(w.dataSync())));
      }
    }
    const es = new EarlyStopping({ patience: 3, restoreBestWeights: true });
    // Validation targets are negated: the better the fit, the worse val_loss, so epoch 0 is best.
    const h = await fit(model, x, y, { epochs: 20, batchSize: 16, validationData: [x, yWrong], verbose: 0, callbacks: [new Snap(), es] });
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(es.bestEpoch).toBe(0);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(snapshots[0]);
    expect(snapshots[3]).not.toEqual(snapshots[0]);
    tf.dispose([x, y, yWrong]);
    model.dispose();
  });

  it('says when it cannot tell the direction of a metric', () => {
    expect(monitorDirection('val_accuracy', 'auto')).toBe('max');
    expect(monitorDirection('val_loss', 'auto')).toBe('min');
    expect(monitorDirection('mae', 'auto')).toBe('min');
    expect(() => new EarlyStopping({ monitor: 'val_wobble' })).toThrow(/pass mode: 'min' or mode: 'max'/);
  });
});

describe('ReduceLROnPlateau', () => {
  it('lowers the rate on a scripted plateau, with cooldown and minLr, and logs learning_rate', async () => {
    const model = tinyModel();
    const opt = tf.train.sgd(0.1);
    compile(model, { optimizer: opt, loss: 'mse' });
    const cb = new ReduceLROnPlateau({ patience: 2, factor: 0.5, cooldown: 1, minLr: 0.03 });
    const logged: number[] = [];
    const rates: number[] = [];
    class Watch extends Callback {
      override onEpochEnd(_e: number, logs: Record<string, number>): void {
        logged.push(logs.learning_rate);
      }
    }
    const watch = new Watch();
    watch.setModel(model);
    cb.setModel(model);
    cb.onTrainBegin();
    for (let e = 0; e < 8; e++) {
      const logs = { val_loss: 1 };
      cb.onEpochEnd(e, logs);
      watch.onEpochEnd(e, logs);
      rates.push(getLearningRate(opt));
    }
    expect(logged).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03]);
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03]);
  });

  it('halves the rate in a real training whose validation loss stalls', async () => {
    setGlobalSeed(17);
    const x = tf.randomNormal([48, 2]);
    const y = tf.tidy(() => tf.sum(x, 1, true));
    const noise = tf.randomNormal([48, 1]);
    const model = tinyModel();
    compile(model, { optimizer: tf.train.sgd(0.1), loss: 'mse' });
    // Validation targets are pure noise: val_loss cannot keep improving.
    const h = await fit(model, x, y, { epochs: 12, batchSize: 8, validationData: [x, noise], verbose: 0, callbacks: [new ReduceLROnPlateau({ factor: 0.5, patience: 1 })] });
    const lr = h.history.learning_rate;
    expect(lr).toHaveLength(12);
    expect(lr[0]).toBe(0.1);
    expect(lr.at(-1)!).toBeLessThan(0.1);
    for (let i = 1; i < lr.length; i++) expect([1, 0.5]).toContain(lr[i] / lr[i - 1]);
    tf.dispose([x, y, noise]);
    model.dispose();
  });

  it('keeps the rate while the quantity improves by more than minDelta', () => {
    const model = tinyModel();
    const opt = tf.train.adam(0.01);
    compile(model, { optimizer: opt, loss: 'mse' });
    const cb = new ReduceLROnPlateau({ patience: 1, minDelta: 0.01 });
    cb.setModel(model);
    cb.onTrainBegin();
    [1, 0.9, 0.8].forEach((v, e) => cb.onEpochEnd(e, { val_loss: v }));
    expect(getLearningRate(opt)).toBe(0.01);
    cb.onEpochEnd(3, { val_loss: 0.795 });
    expect(getLearningRate(opt)).toBeCloseTo(0.001, 12);
    expect(() => new ReduceLROnPlateau({ factor: 2 })).toThrow(/factor must be in \(0, 1\)/);
  });
});

describe('learning rate helpers and LearningRateScheduler', () => {
  it('changes the effective rate of every tfjs optimiser (same step as one built with that rate)', () => {
    const makers: Record<string, (lr: number) => tf.Optimizer> = {
      sgd: (lr) => tf.train.sgd(lr),
      momentum: (lr) => tf.train.momentum(lr, 0.9),
      adam: (lr) => tf.train.adam(lr),
      adagrad: (lr) => tf.train.adagrad(lr),
      adadelta: (lr) => tf.train.adadelta(lr),
      adamax: (lr) => tf.train.adamax(lr),
      rmsprop: (lr) => tf.train.rmsprop(lr),
    };
    const step = (opt: tf.Optimizer): number => {
      const v = tf.variable(tf.tensor1d([1, -2]));
      const g = tf.tensor1d([0.5, 0.25]);
      opt.applyGradients([{ name: v.name, tensor: g }]);
      const out = v.dataSync()[0] - 1;
      tf.dispose([v, g]);
      return out;
    };
    for (const [name, make] of Object.entries(makers)) {
      const changed = make(0.001);
      setLearningRate(changed, 0.3);
      expect(getLearningRate(changed), name).toBe(0.3);
      const reference = step(make(0.3));
      expect(Math.abs(reference), name).toBeGreaterThan(1e-4);
      expect(step(changed), name).toBeCloseTo(reference, 6);
    }
    expect(() => setLearningRate(tf.train.sgd(0.1), -1)).toThrow(/finite number >= 0/);
  });

  it('sets SGD, Momentum and Keras SGD (lib/optim/optimizers) rates per epoch: the update steps have the scheduled size', async () => {
    for (const opt of [tf.train.sgd(0.01), tf.train.momentum(0.01, 0), SGD({ learningRate: 0.01 })]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
      compile(model, { optimizer: opt, loss: 'mse' });
      const x = tf.tensor2d([[1]]);
      const y = tf.tensor2d([[1]]);
      const rates = [0.25, 0.125];
      const h = await fit(model, x, y, { epochs: 2, batchSize: 1, verbose: 0, callbacks: [new LearningRateScheduler((e) => rates[e])] });
      // w0 = 0, grad = 2(w - 1): w1 = 0 + 0.25 * 2 = 0.5; w2 = 0.5 + 0.125 * 1 = 0.625.
      expect(model.getWeights()[0].dataSync()[0]).toBeCloseTo(0.625, 6);
      expect(h.history.learning_rate).toEqual([0.25, 0.125]);
      expect(h.history.loss).toEqual([1, 0.25]);
      tf.dispose([x, y]);
      model.dispose();
    }
  });
});

describe('TerminateOnNaN, CSVLogger, ModelCheckpoint', () => {
  it('stops a training whose loss is NaN', async () => {
    const model = tinyModel();
    compile(model, { optimizer: 'sgd', loss: 'mse' });
    // fit refuses NaN in x; a NaN weight (a diverged training) makes the loss NaN.
    model.layers[0].setWeights([tf.tensor2d([[NaN], [1]]), tf.zeros([1])]);
    const x = tf.tensor2d([[0, 1], [1, 1], [2, 2], [3, 3]]);
    const y = tf.zeros([4, 1]);
    const t = new TerminateOnNaN({ checkEvery: 1 });
    const batches: number[] = [];
    class Count extends Callback {
      override onBatchEnd(b: number): void {
        batches.push(b);
      }
    }
    const h = await fit(model, x, y, { epochs: 3, batchSize: 1, shuffle: false, verbose: 0, callbacks: [t, new Count()] });
    expect(t.terminated).toBe(true);
    expect(batches).toEqual([0]);
    expect(h.epoch).toEqual([0]);
    expect(Number.isNaN(h.history.loss[0])).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('CSVLogger writes sorted keys with Python float formatting and appends without a second header', async () => {
    const model = tinyModel();
    const file = path.join(tmp, 'log.csv');
    await drive(new CSVLogger(file), model, [{ val_loss: 0.25, loss: 0.5 }, { val_loss: 1e-5, loss: 3 }]);
    expect(fs.readFileSync(file, 'utf8')).toBe('epoch,loss,val_loss\n0,0.5,0.25\n1,3.0,1e-05\n');
    await drive(new CSVLogger(file, { append: true }), model, [{ val_loss: 0.125, loss: 0.75 }]);
    expect(fs.readFileSync(file, 'utf8').split('\n')).toEqual(['epoch,loss,val_loss', '0,0.5,0.25', '1,3.0,1e-05', '0,0.75,0.125', '']);
    expect(pythonFloat(0.0001)).toBe('0.0001');
    expect(pythonFloat(1.5e-7)).toBe('1.5e-07');
    expect(pythonFloat(1e16)).toBe('1e+16');
  });

  it('ModelCheckpoint saves on improvement only, at the formatted path', async () => {
    const model = tinyModel();
    compile(model, { optimizer: 'sgd', loss: 'mse' });
    const cb = new ModelCheckpoint(path.join(tmp, 'ck-{epoch:02d}-{val_loss:.2f}'), { saveBestOnly: true });
    await drive(cb, model, [0.5, 0.7, 0.4].map((v) => ({ val_loss: v })));
    expect(cb.saved.map((p) => path.basename(p))).toEqual(['ck-01-0.50', 'ck-03-0.40']);
    for (const dir of cb.saved) expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(formatPath('e{epoch}-{loss:.3e}-{acc:5.1f}', 9, { loss: 0.000123, acc: 0.5 })).toBe('e10-1.230e-04-  0.5');
    expect(() => formatPath('{val_acc}', 0, { loss: 1 })).toThrow(/no 'val_acc'/);
  });
});

describe('CallbackList', () => {
  it('gives every callback the model and params, calls hooks in order, awaits promises, refuses non-callbacks', async () => {
    const calls: string[] = [];
    class Slow extends Callback {
      override async onEpochEnd(epoch: number): Promise<void> {
        await new Promise((r) => setTimeout(r, 5));
        calls.push(`slow ${epoch}`);
      }
    }
    class Quick extends Callback {
      override onEpochEnd(epoch: number): void {
        calls.push(`quick ${epoch}`);
      }
    }
    const model = tinyModel();
    const params = { epochs: 2, steps: 3, verbose: 0 as const };
    const slow = new Slow();
    const quick = new Quick();
    const list = new CallbackList([slow, quick], { model, params });
    expect(slow.model).toBe(model);
    expect(quick.params).toEqual(params);
    await list.onEpochEnd(0, {});
    await list.onEpochEnd(1, {});
    expect(calls).toEqual(['slow 0', 'quick 0', 'slow 1', 'quick 1']);
    expect(() => new CallbackList([{} as Callback], { who: 'fit' })).toThrow('fit: every callback must extend Callback from lib/train/callbacks.');
    model.dispose();
  });

  it('EpochTimer is one class, also reachable from lib/deep', () => {
    expect(deep.EpochTimer).toBe(EpochTimer);
  });
});
