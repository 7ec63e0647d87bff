import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  CosineDecay, exponentialDecayFn, ExponentialDecay, InverseTimeDecay, piecewiseConstantFn, PiecewiseConstantDecay, PolynomialDecay,
  powerSchedule, sampleSchedule, scheduleFromConfig, Schedules, LearningRateSchedule, SGD,
} from '../lib/optim';

describe('step schedules (Keras formulas and documented examples)', () => {
  it('power scheduling eta0 / (1 + t/s)^c', () => {
    const s = powerSchedule({ initialLearningRate: 0.01, steps: 10000 });
    expect(s.at(0)).toBe(0.01);
    expect(s.at(10000)).toBeCloseTo(0.005, 12);
    expect(s.at(30000)).toBeCloseTo(0.0025, 12);
    const c2 = powerSchedule({ initialLearningRate: 1, steps: 10, power: 2 });
    expect(c2.at(10)).toBeCloseTo(0.25, 12);
    expect(() => powerSchedule({ initialLearningRate: 1, steps: 0 })).toThrow(/steps must be > 0/);
  });

  it('ExponentialDecay, smooth and staircase (the seed: lr0 1, 10000 steps, rate 0.9)', () => {
    const s = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10000, decayRate: 0.9 });
    expect(s.at(0)).toBe(1);
    expect(s.at(5000)).toBeCloseTo(Math.sqrt(0.9), 12);
    expect(s.at(10000)).toBeCloseTo(0.9, 12);
    expect(s.at(20000)).toBeCloseTo(0.81, 12);
    const st = new ExponentialDecay({ initialLearningRate: 1, decaySteps: 10000, decayRate: 0.9, staircase: true });
    expect(st.at(9999)).toBe(1);
    expect(st.at(19999)).toBeCloseTo(0.9, 12);
  });

  it('PiecewiseConstantDecay: Keras docs example [100000, 110000] -> [1, 0.5, 0.1]', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1, 0.5, 0.1] });
    expect(s.at(0)).toBe(1);
    expect(s.at(100000)).toBe(1); // "1.0 for the first 100001 steps"
    expect(s.at(100001)).toBe(0.5);
    expect(s.at(110000)).toBe(0.5);
    expect(s.at(110001)).toBe(0.1);
    expect(() => new PiecewiseConstantDecay({ boundaries: [5], values: [1] })).toThrow(/one more entry/);
    expect(() => new PiecewiseConstantDecay({ boundaries: [5, 3], values: [1, 2, 3] })).toThrow(/increase/);
  });

  it('PolynomialDecay: the seed (1 -> 0.001 over 10000 steps) and the Keras docs example (power 0.5)', () => {
    const s = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10000, endLearningRate: 0.001, power: 1 });
    expect(s.at(0)).toBe(1);
    expect(s.at(5000)).toBeCloseTo(0.5005, 12);
    expect(s.at(10000)).toBeCloseTo(0.001, 12);
    expect(s.at(50000)).toBeCloseTo(0.001, 12);
    const doc = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 10000, endLearningRate: 0.01, power: 0.5 });
    expect(doc.at(5000)).toBeCloseTo(0.09 * Math.sqrt(0.5) + 0.01, 12);
    const cyc = new PolynomialDecay({ initialLearningRate: 1, decaySteps: 100, endLearningRate: 0, cycle: true });
    expect(cyc.at(0)).toBe(1);
    expect(cyc.at(100)).toBeCloseTo(0, 12);
    expect(cyc.at(150)).toBeCloseTo(0.25, 12); // T = 200 -> 1 - 150/200
    expect(new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10 }).endLearningRate).toBe(0.0001);
  });

  it('InverseTimeDecay and CosineDecay', () => {
    const inv = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(inv.at(2)).toBeCloseTo(0.05, 12);
    const cos = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
    expect(cos.at(0)).toBeCloseTo(0.1, 12);
    expect(cos.at(500)).toBeCloseTo(0.1 * (0.9 * 0.5 + 0.1), 12);
    expect(cos.at(2000)).toBeCloseTo(0.01, 12);
  });

  it('at() is pure, rejects bad steps, and configs round-trip', () => {
    const all: LearningRateSchedule[] = [
      powerSchedule({ initialLearningRate: 0.01, steps: 20, power: 1.5 }),
      new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: 20, decayRate: 0.1, staircase: true }),
      new PiecewiseConstantDecay({ boundaries: [10, 20], values: [0.1, 0.01, 0.001] }),
      new PolynomialDecay({ initialLearningRate: 1, decaySteps: 30, endLearningRate: 0.01, power: 2, cycle: true }),
      new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 5, decayRate: 0.5 }),
      new CosineDecay({ initialLearningRate: 0.1, decaySteps: 40 }),
      exponentialDecayFn({ lr0: 0.01, s: 20 }),
      piecewiseConstantFn({ boundaries: [5, 15], values: [0.01, 0.005, 0.001] }),
    ];
    expect(all.map((s) => s.getConfig().className).sort()).toEqual(Object.keys(Schedules).sort());
    for (const s of all) {
      const copy = scheduleFromConfig(JSON.parse(JSON.stringify(s.getConfig())));
      expect(copy.name).toBe(s.name);
      // The config is the constructor's arguments (Keras's cls(**config)).
      const { className, config } = s.getConfig();
      const direct = new (Schedules[className as keyof typeof Schedules] as unknown as new (a: typeof config) => LearningRateSchedule)(config);
      expect(direct.name).toBe(s.name);
      expect(direct).toBeInstanceOf(s.constructor);
      for (const t of [0, 3, 7, 10, 11, 25, 61]) {
        expect(copy.at(t)).toBe(s.at(t));
        expect(s.at(t)).toBe(s.at(t));
      }
      expect(() => s.at(-1)).toThrow(/step must be/);
    }
    expect(() => scheduleFromConfig({ className: 'Nope', config: {} })).toThrow(/unknown schedule/);
    expect(() => scheduleFromConfig({ className: 'toString', config: {} })).toThrow(/unknown schedule 'toString'/);
    expect(() => scheduleFromConfig({ className: 'ExponentialDecay', config: { initialLearningRate: 1, decayRate: 0.9 } })).toThrow(/decaySteps must be a finite number/);
    const { steps, values } = sampleSchedule(all[0], 3);
    expect(steps).toEqual([0, 1, 2]);
    expect(values[2]).toBeCloseTo(0.01 / Math.pow(1.1, 1.5), 12);
  });
});

describe('per-epoch helpers (the seed LearningRateScheduler functions)', () => {
  it('exponential_decay_fn(epoch) = lr0 * 0.1^(epoch / s)', () => {
    const s = exponentialDecayFn({ lr0: 0.01, s: 20 });
    expect(s.unit).toBe('epoch');
    expect(s.at(0)).toBe(0.01);
    expect(s.at(20)).toBeCloseTo(0.001, 12);
    expect(s.at(10)).toBeCloseTo(0.01 * Math.pow(0.1, 0.5), 12);
  });
  it('piecewise by epoch uses epoch < boundary', () => {
    const s = piecewiseConstantFn({ boundaries: [5, 15], values: [0.01, 0.005, 0.001] });
    expect([0, 4, 5, 14, 15, 100].map((e) => s.at(e))).toEqual([0.01, 0.01, 0.005, 0.005, 0.001, 0.001]);
  });
});

describe('an optimiser driven by a schedule', () => {
  it('changes the measured update size of a variable with gradient 1 according to the schedule', () => {
    const sched = new PiecewiseConstantDecay({ boundaries: [1, 3], values: [0.2, 0.1, 0.05] });
    const opt = SGD({ learningRate: sched });
    const w = tf.variable(tf.scalar(0));
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = w.dataSync()[0];
      opt.minimize(() => tf.mul(w, 1) as tf.Scalar); // d/dw = 1
      sizes.push(before - w.dataSync()[0]);
    }
    expect(sizes.map((x) => Number(x.toFixed(6)))).toEqual([0.2, 0.2, 0.1, 0.1, 0.05]);
    opt.dispose();
    w.dispose();
  });
});
