import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import {
  bpttAutodiff,
  bpttBackward,
  bpttTrain,
  SCALAR_RNN_PARAM_NAMES,
  scalarRnnForward,
  SEED_RNN_PARAMS,
  sgdUpdate,
  type ScalarRnnOptions,
  type ScalarRnnParams,
} from '../lib/rnn';

const SEQ = [1, 2, 3, 4];
const OTHER: ScalarRnnParams = { wxh: 0.3, whh: 0.5, bh: -0.1, why: 2, by: 0.2 };

describe('forward pass and per-step loss on (1, 2, 3, 4)', () => {
  test('inputs 1, 2, 3 predict targets 2, 3, 4; the seed weights give the Elman numbers', () => {
    const f = scalarRnnForward(SEED_RNN_PARAMS, SEQ);
    expect(f.steps.map((s) => [s.x, s.target])).toEqual([[1, 2], [2, 3], [3, 4]]);
    expect(f.steps[0].h).toBeCloseTo(0.964, 4);
    expect(f.steps[1].y).toBeCloseTo(1.9993, 4);
    expect(f.steps[0].loss).toBeCloseTo((1.964028 - 2) ** 2, 6);
    expect(f.loss).toBeCloseTo(f.steps.reduce((a, s) => a + s.loss, 0), 12);
    expect(scalarRnnForward(SEED_RNN_PARAMS, SEQ, { reduction: 'mean' }).loss).toBeCloseTo(f.loss / 3, 12);
  });
  test('bad input throws', () => {
    expect(() => scalarRnnForward(SEED_RNN_PARAMS, [1])).toThrow(/at least 2 numbers/);
    expect(() => scalarRnnForward({ ...SEED_RNN_PARAMS, whh: NaN }, SEQ)).toThrow(/parameter whh is NaN/);
    expect(() => sgdUpdate(SEED_RNN_PARAMS, SEED_RNN_PARAMS, -1)).toThrow(/learning rate must be a positive number/);
  });
});

const CASES: { name: string; p: ScalarRnnParams; o: ScalarRnnOptions }[] = [
  { name: 'seed weights, tanh, sum', p: SEED_RNN_PARAMS, o: {} },
  { name: 'seed weights, sigmoid (the seed writes σ), sum', p: SEED_RNN_PARAMS, o: { activation: 'sigmoid' } },
  { name: 'other weights, tanh, sum', p: OTHER, o: {} },
  { name: 'other weights, sigmoid, mean, h0 = 0.5', p: OTHER, o: { activation: 'sigmoid', reduction: 'mean', h0: 0.5 } },
];

describe('BPTT by hand equals tf.grad', () => {
  test.each(CASES)('$name: all five gradients to 1e-6', ({ p, o }) => {
    const before = tf.memory().numTensors;
    const hand = bpttBackward(p, scalarRnnForward(p, SEQ, o));
    const auto = bpttAutodiff(p, SEQ, o);
    expect(tf.memory().numTensors).toBe(before);
    for (const k of SCALAR_RNN_PARAM_NAMES) expect(Math.abs(hand.grads[k] - auto.grads[k])).toBeLessThan(1e-6);
    expect(Math.abs(scalarRnnForward(p, SEQ, o).loss - auto.loss)).toBeLessThan(1e-5);
  });

  test('and equals central finite differences in float64 (to 1e-7)', () => {
    for (const { p, o } of CASES) {
      const hand = bpttBackward(p, scalarRnnForward(p, SEQ, o)).grads;
      for (const k of SCALAR_RNN_PARAM_NAMES) {
        const eps = 1e-6;
        const up = scalarRnnForward({ ...p, [k]: p[k] + eps }, SEQ, o).loss;
        const down = scalarRnnForward({ ...p, [k]: p[k] - eps }, SEQ, o).loss;
        expect(Math.abs(hand[k] - (up - down) / (2 * eps))).toBeLessThan(1e-7 * Math.max(1, Math.abs(hand[k])));
      }
    }
  });

  test('per-step contributions add up to the accumulated gradients; the last step is computed first', () => {
    const back = bpttBackward(OTHER, scalarRnnForward(OTHER, SEQ));
    expect(back.steps.map((s) => s.t)).toEqual([3, 2, 1]);
    for (const k of SCALAR_RNN_PARAM_NAMES) {
      expect(back.steps.reduce((a, s) => a + s.contribution[k], 0)).toBeCloseTo(back.grads[k], 12);
    }
    // at the last step nothing flows back from the future: dh_3 = dy_3 * W_hy
    expect(back.steps[0].dh).toBeCloseTo(back.steps[0].dy * OTHER.why, 12);
    // the first step has h_0 = 0, so it adds nothing to dW_hh
    expect(Math.abs(back.steps[2].contribution.whh)).toBe(0);
  });
});

describe('update and training', () => {
  test('one update moves every parameter against its gradient and lowers the loss', () => {
    const f = scalarRnnForward(OTHER, SEQ);
    const g = bpttBackward(OTHER, f).grads;
    const next = sgdUpdate(OTHER, g, 0.001);
    for (const k of SCALAR_RNN_PARAM_NAMES) expect(next[k]).toBeCloseTo(OTHER[k] - 0.001 * g[k], 12);
    expect(scalarRnnForward(next, SEQ).loss).toBeLessThan(f.loss);
  });
  test('500 epochs (lr 0.01) from the seed weights bring the loss from 5.00 to below 1e-3', () => {
    const run = bpttTrain(SEED_RNN_PARAMS, SEQ, { epochs: 500, lr: 0.01 });
    expect(run.history[0].loss).toBeCloseTo(5.0031, 3);
    expect(run.finalLoss).toBeLessThan(1e-3);
    expect(run.history).toHaveLength(500);
    expect(run.history[499].loss).toBeLessThan(run.history[100].loss);
    expect(() => bpttTrain(SEED_RNN_PARAMS, SEQ, { epochs: 0, lr: 0.1 })).toThrow(/epochs must be a positive integer/);
  });
});
