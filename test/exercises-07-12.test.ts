// The exercise checks of notebooks 07-12: a right answer passes, a missing one says missing, a
// wrong one says wrong (and none throws or leaks tensors).
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import * as X from '../lib/exercises';
import type { Verdict } from '../lib/exercises';
import * as R from '../lib/rnn';

let log: MockInstance;
beforeAll(() => { log = vi.spyOn(console, 'log').mockImplementation(() => undefined); });
afterAll(() => log.mockRestore());

/** Runs right, missing and wrong answers through a check. */
async function triple(check: (a: never) => Promise<Verdict>, right: object, missing: object, wrong: object): Promise<void> {
  const before = tf.memory().numTensors;
  const ok = await check(right as never);
  expect(ok.status, ok.message).toBe('passed');
  const miss = await check(missing as never);
  expect(miss.status, miss.message).toBe('missing');
  const bad = await check(wrong as never);
  expect(bad.status, bad.message).toBe('wrong');
  expect(bad.message.length).toBeGreaterThan(0);
  expect(tf.memory().numTensors).toBe(before);
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe('notebook 07 checks', () => {
  it('lists its exercises', () => {
    expect(X.EXERCISES_07).toEqual(['07.1', '07.2', '07.3', '07.4', '07.5', '07.6', '07.7']);
  });

  it('07.1 Elman by hand', async () => {
    const a3 = Math.tanh(Math.tanh(2) + 3) + 4;
    await triple(X.check07_1, { a3, h3: Math.tanh(a3), y3: Math.tanh(a3) + 1 }, { a3, h3: undefined, y3: 1 }, { a3: 3.9993, h3: Math.tanh(3.9993), y3: Math.tanh(3.9993) + 1 });
  });

  it('07.2 BPTT with a sigmoid', async () => {
    const right = (p: R.ScalarRnnParams, seq: number[]) => {
      const fwd = R.scalarRnnForward(p, seq, { activation: 'sigmoid' });
      return { loss: fwd.loss, grads: R.bpttBackward(p, fwd).grads };
    };
    const final = R.bpttTrain(R.SEED_RNN_PARAMS, [1, 2, 3, 4], { epochs: 500, lr: 0.01, activation: 'sigmoid' }).finalLoss;
    const tanhVersion = (p: R.ScalarRnnParams, seq: number[]) => {
      const fwd = R.scalarRnnForward(p, seq);
      return { loss: fwd.loss, grads: R.bpttBackward(p, fwd).grads };
    };
    await triple(X.check07_2, { bpttSigmoid: right, sigmoidFinalLoss: final }, { bpttSigmoid: right }, { bpttSigmoid: tanhVersion, sigmoidFinalLoss: final });
    const v = await X.check07_2({ bpttSigmoid: right, sigmoidFinalLoss: final * 2 + 0.1 });
    expect(v.status).toBe('wrong');
    void sig;
  });

  it('07.3 GRU parameter counts', async () => {
    const right = (i: number, u: number, r: boolean) => 3 * u * (i + u + (r ? 2 : 1));
    await triple(X.check07_3, { gruParamCount: right }, {}, { gruParamCount: (i: number, u: number) => 3 * u * (i + u + 1) });
  });

  it('07.4 the forget-gate bias', async () => {
    const right = (layer: tf.layers.Layer, b: number) => {
      const [k, rk, bias] = layer.getWeights();
      const units = bias.shape[0] / 4;
      const v = Array.from(bias.dataSync());
      for (let u = units; u < 2 * units; u++) v[u] = b;
      const nb = tf.tensor1d(v);
      layer.setWeights([k, rk, nb]);
      nb.dispose();
    };
    const inputBlock = (layer: tf.layers.Layer, b: number) => {
      const [k, rk, bias] = layer.getWeights();
      const v = Array.from(bias.dataSync());
      for (let u = 0; u < bias.shape[0] / 4; u++) v[u] = b;
      const nb = tf.tensor1d(v);
      layer.setWeights([k, rk, nb]);
      nb.dispose();
    };
    await triple(X.check07_4, { setForgetBias: right }, { setForgetBias: null }, { setForgetBias: inputBlock });
  });

  it('07.5 exploding gradients', async () => {
    await triple(X.check07_5, { lag39At09: 0.9 ** 39, lag39At11: 1.1 ** 39 }, { lag39At09: 0.9 ** 39 }, { lag39At09: 0.9 ** 38, lag39At11: 1.1 ** 39 });
  });

  it('07.6 the reset-after GRU', async () => {
    const right = (w: R.GruWeights, x: number[], h: number[]) => R.gruStep(w, x, h, { resetAfter: true }).h;
    const before = (w: R.GruWeights, x: number[], h: number[]) => R.gruStep(w, x, h).h;
    await triple(X.check07_6, { gruStepResetAfter: right }, {}, { gruStepResetAfter: before });
    const v = await X.check07_6({ gruStepResetAfter: before });
    expect(v.hint).toContain('reset-before');
    const threw = await X.check07_6({ gruStepResetAfter: () => { throw new Error('boom'); } });
    expect(threw.status).toBe('wrong');
  });

  it('07.7 the quiz', async () => {
    await triple(X.check07_7, { quiz16: 'd', quiz17: 'B' }, { quiz16: 'D' }, { quiz16: 'A', quiz17: 'B' });
    const v = await X.check07_7({ quiz16: 'D', quiz17: 'B ' });
    expect(v.passed).toBe(true);
    const bad = await X.check07_7({ quiz16: 'E', quiz17: 'B' });
    expect(bad.status).toBe('wrong');
  });
});
