import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  Adadelta, Adagrad, Adam, Adamax, clipGradients, isKerasOptimizer, KerasAdadeltaOptimizer, KerasOptimizer, Nadam, NadamOptimizer, optimizerFromName, RMSprop, SGD,
  SlotOptimizer, withClipping,
} from '../lib/optim';
import { ExponentialDecay, PiecewiseConstantDecay } from '../lib/optim';

/** One update with a fixed gradient; returns the variable's new values. */
function step(opt: tf.Optimizer, v: tf.Variable, grad: number[]): number[] {
  const g = tf.tensor(grad, v.shape);
  opt.applyGradients({ [v.name]: g });
  g.dispose();
  return Array.from(v.dataSync());
}

describe('Keras defaults', () => {
  it('factories use the Keras hyper-parameters and wrap the right tfjs optimiser', () => {
    const cases: [KerasOptimizer, number, string][] = [
      [SGD(), 0.01, 'SGD'], [SGD({ momentum: 0.9 }), 0.01, 'Momentum'], [Adagrad(), 0.001, 'Adagrad'],
      [RMSprop(), 0.001, 'RMSProp'], [Adam(), 0.001, 'Adam'], [Adamax(), 0.001, 'Adamax'], [Nadam(), 0.001, 'Nadam'],
    ];
    for (const [opt, lr, inner] of cases) {
      expect(opt).toBeInstanceOf(tf.Optimizer);
      expect(opt.learningRate).toBe(lr);
      expect(opt.inner.getClassName()).toBe(inner);
      opt.dispose();
    }
    const r = RMSprop();
    expect(r.hyper).toEqual({ rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    const a = Adam();
    expect(a.hyper).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(SGD({ learningRate: 0.001, momentum: 0.9, nesterov: true, clipvalue: 1 }).describe()).toBe('SGD(lr=0.001, momentum=0.9, nesterov=true, clipvalue=1)');
    expect(withClipping(tf.train.adam(0.01), { clipnorm: 2 }).describe()).toBe('Adam(lr=0.01, clipnorm=2)');
    expect(optimizerFromName('NADAM').kind).toBe('Nadam');
    expect(() => optimizerFromName('adamw')).toThrow(/unknown optimiser/);
    expect(optimizerFromName('adadelta').hyper).toEqual({ rho: 0.95, epsilon: 1e-7 });
    expect(() => SGD({ momentum: 1.5 })).toThrow(/momentum/);
    expect(() => Adam({ learningRate: -1 })).toThrow(/learning rate/);
  });
});

describe('the wrapped tfjs rules equal Keras\'s', () => {
  it('two steps (g = 2 then -0.5 from w = 1) match plain-float transcriptions of the Keras 3 update rules', () => {
    const cases: [string, KerasOptimizer, number][] = [
      ['Adagrad lr 0.1', Adagrad({ learningRate: 0.1 }), 0.9252002063383049],
      ['RMSprop lr 0.01', RMSprop({ learningRate: 0.01 }), 0.9764354559448931],
      ['Adam lr 0.01', Adam({ learningRate: 0.01 }), 0.9853053413039776],
      ['Adamax lr 0.01', Adamax({ learningRate: 0.01 }), 0.9865755235627075],
      ['SGD Nesterov lr 0.01 m 0.9', SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true }), 0.9552999999999999],
    ];
    for (const [label, opt, expected] of cases) {
      const w = tf.variable(tf.scalar(1));
      step(opt, w, [2]);
      const got = step(opt, w, [-0.5])[0];
      expect(Math.abs(got - expected), label).toBeLessThan(2e-6);
      opt.dispose();
      w.dispose();
    }
  });
});

describe('Nadam (Keras 3 update rule)', () => {
  it('matches hand-computed values after one and two steps', () => {
    // Reference values from a plain-float transcription of keras/src/optimizers/nadam.py:
    // u_t = 0.9 (1 - 0.5 * 0.96^t); lr 0.01; x0 = [1, -2]; g1 = [0.5, -1]; g2 = [0.2, 0.3].
    const opt = Nadam({ learningRate: 0.01 });
    const x = tf.variable(tf.tensor1d([1, -2]));
    const x1 = step(opt, x, [0.5, -1]);
    expect(x1[0]).toBeCloseTo(0.9893721240924874, 6);
    expect(x1[1]).toBeCloseTo(-1.9893721230297, 6);
    const x2 = step(opt, x, [0.2, 0.3]);
    expect(x2[0]).toBeCloseTo(0.9849065887941513, 6);
    expect(x2[1]).toBeCloseTo(-1.991618535950706, 6);
    expect(opt.iterations).toBe(2);
    opt.dispose();
    x.dispose();
  });
  it('the momentum cache follows 0.96^t (Keras 3) or 0.96^(0.004 t) (legacy)', () => {
    const k3 = new NadamOptimizer(0.001, 0.9, 0.999, 1e-7, 1);
    expect(k3.momentumCache(1)).toBeCloseTo(0.9 * 0.52, 12);
    const legacy = new NadamOptimizer(0.001, 0.9, 0.999, 1e-7, 0.004);
    expect(legacy.momentumCache(1)).toBeCloseTo(0.9 * (1 - 0.5 * Math.pow(0.96, 0.004)), 12);
  });
});

describe('Adadelta (Keras rule, unlike tfjs)', () => {
  it('matches hand-computed Keras values after one and two steps; tfjs\'s first step is lr * g', () => {
    // Keras: Eg = 0.95 Eg + 0.05 g^2; d = -sqrt(Edx + 1e-7) / sqrt(Eg + 1e-7) g; Edx = 0.95 Edx + 0.05 d^2; w += lr d
    const opt = Adadelta({ learningRate: 1 });
    const x = tf.variable(tf.zeros([2]));
    const x1 = step(opt, x, [1, -3]);
    expect(x1[0]).toBeCloseTo(-0.0014142121481616533, 7);
    expect(x1[1]).toBeCloseTo(0.0014142134052382805, 7);
    const x2 = step(opt, x, [0.5, 2]);
    expect(x2[0]).toBeCloseTo(-0.002327081860177821, 7);
    expect(x2[1]).toBeCloseTo(0.0002850986840608964, 7);
    const y = tf.variable(tf.zeros([1]));
    const tfjs = tf.train.adadelta(1, 0.95);
    expect(step(tfjs, y, [1])[0]).toBeCloseTo(-1, 4);
    [opt, tfjs].forEach((o) => o.dispose());
    tf.dispose([x, y]);
  });
});

describe('SlotOptimizer (shared slots of Nadam and Adadelta)', () => {
  it.each([
    ['Nadam', () => new NadamOptimizer(0.01, 0.9, 0.999, 1e-7, 1), ['m', 'v']],
    ['Adadelta', () => new KerasAdadeltaOptimizer(1, 0.95, 1e-7), ['accum_grad', 'accum_var']],
  ] as const)('%s: getWeights then setWeights on a fresh optimiser continues exactly; dispose frees the slots', async (_kind, make, suffixes) => {
    const a = make();
    const b = make();
    expect(a).toBeInstanceOf(SlotOptimizer);
    const x = tf.variable(tf.tensor1d([1, -2]));
    const y = tf.variable(tf.tensor1d([1, -2]));
    step(a, x, [0.5, -1]);
    step(a, x, [0.1, 0.4]);
    const saved = await a.getWeights();
    expect(saved.map((w) => w.name)).toEqual(['iter', `${x.name}/${suffixes[0]}`, `${x.name}/${suffixes[1]}`]);
    const copies = saved.map((w) => ({ name: w.name, tensor: w.tensor.clone() }));
    await b.setWeights(copies);
    expect(b.iterations).toBe(2);
    y.assign(x);
    // Same slots, same iteration count (and Nadam's rebuilt U_t): the next steps agree.
    const ax = step(a, x, [0.2, 0.3]);
    const tensorsAfterFirst = tf.memory().numTensors;
    const by = step(b, y, [0.2, 0.3]);
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    ax.forEach((v, i) => expect(by[i]).toBeCloseTo(v, 7));
    await expect(b.setWeights(saved.slice(0, 2))).rejects.toThrow(/expected iterations then equal numbers/);
    // saved[0] is a new scalar; the rest are a's own slot variables, which a.dispose() frees.
    tf.dispose([saved[0].tensor, ...copies.map((w) => w.tensor)]);
    const before = tf.memory().numTensors;
    a.dispose();
    expect(tf.memory().numTensors).toBe(before - 2);
    expect(saved[1].tensor.isDisposed).toBe(true);
    b.dispose();
    tf.dispose([x, y]);
  });
});

describe('learning rate access', () => {
  it('assigning learningRate changes the next update for sgd, momentum and adam', () => {
    const w = tf.variable(tf.scalar(1));
    const sgd = SGD({ learningRate: 0.1 });
    expect(step(sgd, w, [1])[0]).toBeCloseTo(0.9, 6);
    sgd.learningRate = 0.01; // tf.train.sgd ignores a plain assignment; the wrapper calls setLearningRate
    expect(step(sgd, w, [1])[0]).toBeCloseTo(0.89, 6);
    sgd.setLearningRate(0.5);
    expect(sgd.getLearningRate()).toBe(0.5);
    expect(step(sgd, w, [1])[0]).toBeCloseTo(0.39, 6);

    const m = tf.variable(tf.scalar(0));
    const mom = SGD({ learningRate: 0.1, momentum: 0.9 });
    expect(step(mom, m, [1])[0]).toBeCloseTo(-0.1, 6); // v = 1
    mom.learningRate = 0.01;
    expect(step(mom, m, [1])[0]).toBeCloseTo(-0.1 - 0.01 * 1.9, 6); // v = 0.9 + 1

    const a = tf.variable(tf.scalar(0));
    const adam = Adam({ learningRate: 0.1 });
    expect(step(adam, a, [2])[0]).toBeCloseTo(-0.1, 4); // Adam's first step is lr * sign(g)
    adam.learningRate = 0.001;
    const before = a.dataSync()[0];
    expect(step(adam, a, [2])[0] - before).toBeCloseTo(-0.001, 4);
    [sgd, mom, adam].forEach((o) => o.dispose());
    tf.dispose([w, m, a]);
  });

  it('a schedule sets the rate of every step (measured on a variable with gradient 1)', () => {
    const sched = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const opt = SGD({ learningRate: sched });
    const w = tf.variable(tf.scalar(0));
    const updates: number[] = [];
    let prev = 0;
    for (let i = 0; i < 4; i++) {
      expect(opt.learningRate).toBeCloseTo(sched.at(i), 12);
      const now = step(opt, w, [1])[0];
      updates.push(prev - now);
      prev = now;
    }
    expect(updates[0]).toBeCloseTo(0.1, 6);
    expect(updates[1]).toBeCloseTo(0.05, 6);
    expect(updates[2]).toBeCloseTo(0.025, 6);
    expect(updates[3]).toBeCloseTo(0.0125, 6);
    expect(() => { opt.learningRate = 0.3; }).toThrow(/schedule/);
    opt.dispose();
    w.dispose();
  });

  it('a schedule drives Adam too (first step of Adam moves by the rate)', () => {
    const opt = Adam({ learningRate: new PiecewiseConstantDecay({ boundaries: [0], values: [0.5, 0.01] }) });
    const w = tf.variable(tf.scalar(0));
    expect(step(opt, w, [3])[0]).toBeCloseTo(-0.5, 4); // step 0 <= boundary 0 -> 0.5
    expect(opt.learningRate).toBe(0.01);
    opt.dispose();
    w.dispose();
  });
});

describe('gradient clipping', () => {
  it('clipvalue clips each element', () => {
    const opt = SGD({ learningRate: 1, clipvalue: 0.5 });
    const w = tf.variable(tf.zeros([3]));
    const out = step(opt, w, [2, -0.1, -3]);
    expect(out[0]).toBeCloseTo(-0.5, 6);
    expect(out[1]).toBeCloseTo(0.1, 6);
    expect(out[2]).toBeCloseTo(0.5, 6);
    opt.dispose();
    w.dispose();
  });

  it('clipnorm rescales each variable; globalClipnorm rescales them jointly', () => {
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor1d([0, 1]);
    const per = clipGradients([a, b, null], { clipnorm: 1 });
    expect(Array.from((per[0] as tf.Tensor).dataSync())).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from((per[1] as tf.Tensor).dataSync())).toEqual([0, 1]);
    expect(per[2]).toBeNull();
    const glob = clipGradients([a, b], { globalClipnorm: 1 });
    const s = 1 / Math.sqrt(26);
    expect((glob[0] as tf.Tensor).dataSync()[1]).toBeCloseTo(4 * s, 6);
    expect((glob[1] as tf.Tensor).dataSync()[1]).toBeCloseTo(1 * s, 6);
    tf.dispose([a, b, ...per.filter((g): g is tf.Tensor => g != null), ...glob.filter((g): g is tf.Tensor => g != null)]);
    expect(() => clipGradients([], { clipnorm: 1, clipvalue: 1 })).toThrow(/only one of/);
    expect(() => SGD({ clipnorm: 0 })).toThrow(/clipnorm must be a number > 0/);
  });

  it('withClipping wraps any tf.Optimizer and keeps its rate settable', () => {
    const opt = withClipping(tf.train.sgd(1), { clipnorm: 1 });
    const w = tf.variable(tf.zeros([2]));
    const out = step(opt, w, [30, 40]);
    expect(out[0]).toBeCloseTo(-0.6, 6);
    expect(out[1]).toBeCloseTo(-0.8, 6);
    opt.learningRate = 0.5;
    const out2 = step(opt, w, [0, -10]);
    expect(out2[1]).toBeCloseTo(-0.8 + 0.5, 6);
    const adam = withClipping(Adam(), { clipvalue: 1 });
    expect(adam.kind).toBe('Adam');
    expect(adam.clipOptions).toEqual({ clipvalue: 1 });
    expect(() => withClipping(adam, { clipnorm: 1 })).toThrow(/already clips/);
    opt.dispose();
    adam.dispose();
    w.dispose();
  });
});

describe('memory and integration', () => {
  it('no tensors leak per step (all optimisers, clipping and schedules)', () => {
    const sched = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    const opts = [
      SGD({ learningRate: sched, clipnorm: 1 }), SGD({ momentum: 0.9, nesterov: true, globalClipnorm: 1 }), Adagrad({ clipvalue: 1 }),
      RMSprop({ learningRate: sched }), Adam({ clipnorm: 1 }), Adamax(), Adadelta({ clipnorm: 1 }), Nadam({ learningRate: sched, clipvalue: 0.1 }),
    ];
    const w = tf.variable(tf.randomNormal([4, 3]));
    const b = tf.variable(tf.zeros([3]));
    const x = tf.randomNormal([8, 4]);
    const loss = (): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.add(tf.matMul(x, w), b))) as tf.Scalar);
    for (const opt of opts) {
      opt.minimize(loss); // the first step creates the optimiser's slots
      const n = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) opt.minimize(loss);
      expect(tf.memory().numTensors).toBe(n);
      opt.dispose();
    }
    tf.dispose([w, b, x]);
  });

  it('dispose() frees every tensor the optimiser made (momentum SGD\'s rate scalar included)', () => {
    const sched = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    const w = tf.variable(tf.randomNormal([4, 3]));
    const x = tf.randomNormal([8, 4]);
    const loss = (): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.matMul(x, w))) as tf.Scalar);
    const makers: Array<[string, () => tf.Optimizer]> = [
      ['SGD', () => SGD()],
      ['SGD momentum', () => SGD({ learningRate: 0.01, momentum: 0.9 })],
      ['SGD Nesterov + schedule', () => SGD({ learningRate: sched, momentum: 0.9, nesterov: true })],
      ['SGD momentum + clipnorm', () => SGD({ momentum: 0.9, clipnorm: 1 })],
      ['Adagrad', () => Adagrad()], ['RMSprop', () => RMSprop({ momentum: 0.9 })], ['Adam', () => Adam({ clipvalue: 1 })],
      ['Adamax', () => Adamax()], ['Nadam', () => Nadam({ learningRate: sched })], ['Adadelta', () => Adadelta()],
      ['withClipping(tf.train.momentum)', () => withClipping(tf.train.momentum(0.01, 0.9), { clipnorm: 1 })],
    ];
    for (const [name, make] of makers) {
      const start = tf.memory().numTensors;
      const opt = make();
      for (let i = 0; i < 3; i++) opt.minimize(loss);
      if (isKerasOptimizer(opt) && !opt.learningRateSchedule) opt.learningRate = 0.005; // a rate change replaces the inner scalar
      opt.minimize(loss);
      opt.dispose();
      expect({ name, left: tf.memory().numTensors - start }).toEqual({ name, left: 0 });
    }
    tf.dispose([w, x]);
  });

  it('trains a model with tfjs model.fit, and skips frozen variables (null gradients)', async () => {
    const x = tf.tensor2d([[0], [1], [2], [3]]);
    const y = tf.tensor2d([[1], [3], [5], [7]]);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [1] }), tf.layers.dense({ units: 1 })] });
    const frozen = model.layers[0].getWeights()[0].arraySync();
    model.layers[0].trainable = false;
    model.compile({ optimizer: Nadam({ learningRate: 0.05, globalClipnorm: 5 }), loss: 'meanSquaredError' });
    const h = await model.fit(x, y, { epochs: 30, verbose: 0 });
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    expect(model.layers[0].getWeights()[0].arraySync()).toEqual(frozen);
    model.optimizer.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });

  it('round-trips through model.save / loadLayersModel with its optimiser state', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const sched = new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 10, decayRate: 0.5 });
    const opt = Nadam({ learningRate: sched, clipnorm: 2 });
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const x = tf.randomNormal([6, 3]);
    const y = tf.randomNormal([6, 2]);
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }), { includeOptimizer: true });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const lo = loaded.optimizer as KerasOptimizer;
    expect(isKerasOptimizer(lo)).toBe(true);
    expect(isKerasOptimizer(tf.train.sgd(0.1))).toBe(false);
    expect(lo.kind).toBe('Nadam');
    expect(lo.clipOptions).toEqual({ clipnorm: 2 });
    expect(lo.iterations).toBe(4);
    expect(lo.learningRate).toBeCloseTo(sched.at(4), 10);
    const w1 = (await opt.getWeights()).map((t) => Array.from(t.tensor.dataSync()));
    const w2 = (await lo.getWeights()).map((t) => Array.from(t.tensor.dataSync()));
    expect(w2).toEqual(w1);
    opt.dispose();
    lo.dispose();
    model.dispose();
    loaded.dispose();
    tf.dispose([x, y]);
  });
});
