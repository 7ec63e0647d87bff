import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { makeRng, type Rng } from '../lib/random';
import {
  constantLstmWeights,
  elmanForward,
  elmanToTfjs,
  gruForward,
  gruFromTfjs,
  gruToTfjs,
  lstmForward,
  lstmFromTfjs,
  lstmStep,
  lstmToTfjs,
  randomElmanWeights,
  randomGruWeights,
  randomLstmWeights,
  readPackedWeights,
  runRecurrentModel,
  tfjsGruFrom,
  tfjsLstmFrom,
  tfjsSimpleRnnFrom,
  type RnnVector as Vector,
} from '../lib/rnn';

function randomSequence(rng: Rng, steps: number, features: number): Vector[] {
  return Array.from({ length: steps }, () => Array.from({ length: features }, () => rng.normal()));
}

function maxAbsDiff(a: Vector[], b: Vector[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  a.forEach((row, t) => {
    expect(row.length).toBe(b[t].length);
    row.forEach((v, k) => (m = Math.max(m, Math.abs(v - b[t][k]))));
  });
  return m;
}

const SIZES = [
  { inputs: 1, units: 1 },
  { inputs: 3, units: 4 },
  { inputs: 5, units: 2 },
];

describe('hand-written cells equal tfjs layers given identical weights (random inputs, 1e-5)', () => {
  test.each(SIZES)('SimpleRNN = Elman hidden states, inputs $inputs, units $units', ({ inputs, units }) => {
    const before = tf.memory().numTensors;
    const rng = makeRng(100 + inputs * 10 + units);
    const w = randomElmanWeights({ inputs, units, outputs: 2 }, rng, 0.8);
    const xs = randomSequence(rng, 7, inputs);
    const model = tfjsSimpleRnnFrom(w);
    const ours = elmanForward(w, xs).map((s) => s.h);
    expect(maxAbsDiff(ours, runRecurrentModel(model, xs))).toBeLessThan(1e-5);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  test.each(SIZES)('LSTM (gate order i, f, c, o; biases summed), inputs $inputs, units $units', ({ inputs, units }) => {
    const rng = makeRng(200 + inputs * 10 + units);
    const w = randomLstmWeights({ inputs, units }, rng, 0.8);
    const xs = randomSequence(rng, 9, inputs);
    const model = tfjsLstmFrom(w);
    expect(maxAbsDiff(lstmForward(w, xs).map((s) => s.h), runRecurrentModel(model, xs))).toBeLessThan(1e-5);
    model.dispose();
  });

  test.each(SIZES)('GRU (order z, r, h; z negated; reset before the matmul), inputs $inputs, units $units', ({ inputs, units }) => {
    const rng = makeRng(300 + inputs * 10 + units);
    const w = randomGruWeights({ inputs, units }, rng, 0.8);
    const xs = randomSequence(rng, 9, inputs);
    const model = tfjsGruFrom(w);
    expect(maxAbsDiff(gruForward(w, xs).map((s) => s.h), runRecurrentModel(model, xs))).toBeLessThan(1e-5);
    model.dispose();
  });

  test("the seed's LSTM step through tfjs gives h1 = 0.7038", () => {
    const w = constantLstmWeights({ inputs: 1, units: 1 }, 1);
    const model = tfjsLstmFrom(w);
    const [h1] = runRecurrentModel(model, [[1]]);
    expect(h1[0]).toBeCloseTo(0.7038, 4);
    expect(h1[0]).toBeCloseTo(lstmStep(w, [1], [0], [0]).h[0], 6);
    model.dispose();
  });

  test('a GRU mapped without negating z would NOT match (the convention matters)', () => {
    const rng = makeRng(7);
    const w = randomGruWeights({ inputs: 2, units: 3 }, rng, 0.8);
    const xs = randomSequence(rng, 5, 2);
    const model = tfjsGruFrom({ ...w, update: { ...w.update, Wx: w.update.Wx.map((r) => r.map((v) => -v)), Wh: w.update.Wh.map((r) => r.map((v) => -v)), bx: w.update.bx.map((v) => -v), bh: w.update.bh.map((v) => -v) } });
    expect(maxAbsDiff(gruForward(w, xs).map((s) => s.h), runRecurrentModel(model, xs))).toBeGreaterThan(1e-2);
    model.dispose();
  });
});

describe('packed-kernel layout', () => {
  test('LSTM kernel columns are [i | f | c | o] blocks, transposed, with bias = bx + bh', () => {
    const w = randomLstmWeights({ inputs: 2, units: 3 }, makeRng(11));
    const p = lstmToTfjs(w);
    expect(p.kernel).toHaveLength(2);
    expect(p.kernel[0]).toHaveLength(12);
    expect(p.recurrentKernel).toHaveLength(3);
    expect(p.kernel[1][3 + 2]).toBe(w.forget.Wx[2][1]); // forget block, unit 2, input 1
    expect(p.recurrentKernel[0][6 + 1]).toBe(w.cell.Wh[1][0]); // cell block, unit 1, h 0
    expect(p.bias[9]).toBeCloseTo(w.output.bx[0] + w.output.bh[0], 12);
  });
  test('SimpleRNN and its Dense head: kernels are the transposed W', () => {
    const w = randomElmanWeights({ inputs: 2, units: 3, outputs: 4 }, makeRng(12));
    const { rnn, dense } = elmanToTfjs(w);
    expect(rnn.kernel[1][2]).toBe(w.Wxh[2][1]);
    expect(rnn.recurrentKernel[0][2]).toBe(w.Whh[2][0]);
    expect(dense.kernel).toHaveLength(3);
    expect(dense.kernel[2][3]).toBe(w.Why[3][2]);
  });
  test('reading a tfjs layer back gives the same hidden states (LSTM and GRU round trips)', () => {
    const rng = makeRng(13);
    const lw = randomLstmWeights({ inputs: 2, units: 3 }, rng);
    const gw = randomGruWeights({ inputs: 2, units: 3 }, rng);
    const xs = randomSequence(rng, 6, 2);
    const lm = tfjsLstmFrom(lw);
    const gm = tfjsGruFrom(gw);
    const lBack = lstmFromTfjs(readPackedWeights(lm.layers[0]));
    const gBack = gruFromTfjs(readPackedWeights(gm.layers[0]));
    expect(maxAbsDiff(lstmForward(lBack, xs).map((s) => s.h), lstmForward(lw, xs).map((s) => s.h))).toBeLessThan(1e-6);
    expect(maxAbsDiff(gruForward(gBack, xs).map((s) => s.h), gruForward(gw, xs).map((s) => s.h))).toBeLessThan(1e-6);
    expect(gruToTfjs(gBack).bias.length).toBe(9);
    lm.dispose();
    gm.dispose();
  });
  test('bad packed weights throw', () => {
    expect(() => lstmFromTfjs({ kernel: [[1, 2, 3]], recurrentKernel: [[1, 2, 3, 4]], bias: [0, 0, 0, 0] })).toThrow(/lstmFromTfjs kernel: row 0 has 3 entries, expected 4/);
    const dense = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], useBias: false })] });
    expect(() => readPackedWeights(dense.layers[0])).toThrow(/has 1 weights; expected a SimpleRNN, LSTM or GRU/);
    dense.dispose();
  });
});
