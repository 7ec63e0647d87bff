import { describe, expect, test } from 'vitest';
import { makeRng } from '../lib/random';
import {
  constantElmanWeights,
  constantGruWeights,
  constantJordanWeights,
  constantLstmWeights,
  elmanForward,
  elmanStep,
  gruForward,
  gruStep,
  jordanForward,
  lstmForward,
  lstmStep,
  randomElmanWeights,
  randomGruWeights,
  randomLstmWeights,
  sigmoid,
} from '../lib/rnn';

const ONE = { inputs: 1, units: 1, outputs: 1 };

describe('Elman network (seed example: all weights 1, h0 = 0, inputs 1, 2)', () => {
  const steps = elmanForward(constantElmanWeights(ONE, 1), [[1], [2]]);
  test('reproduces h1, y1, h2, y2 to 4 decimals', () => {
    expect(steps[0].h[0]).toBeCloseTo(0.964, 4);
    expect(steps[0].y[0]).toBeCloseTo(1.964, 4);
    expect(steps[1].h[0]).toBeCloseTo(0.9993, 4);
    expect(steps[1].y[0]).toBeCloseTo(1.9993, 4);
  });
  test('exposes the pre-activations 2 and 3.9640', () => {
    expect(steps[0].a[0]).toBe(2);
    expect(steps[1].a[0]).toBeCloseTo(3.964, 4);
    expect(steps[1].hPrev[0]).toBe(steps[0].h[0]);
  });
  test('works for any sizes: 3 inputs, 4 units, 2 outputs', () => {
    const rng = makeRng(5);
    const w = randomElmanWeights({ inputs: 3, units: 4, outputs: 2 }, rng);
    const s = elmanStep(w, [0.1, -0.2, 0.3], [0, 0, 0, 0]);
    expect(s.h).toHaveLength(4);
    expect(s.y).toHaveLength(2);
    // h = tanh(W_xh x + b_h) from a zero state, unit 0 by hand
    const a0 = w.Wxh[0][0] * 0.1 - w.Wxh[0][1] * 0.2 + w.Wxh[0][2] * 0.3 + w.bh[0];
    expect(s.h[0]).toBeCloseTo(Math.tanh(a0), 12);
    const y1 = w.Why[1].reduce((acc, v, k) => acc + v * s.h[k], w.by[1]);
    expect(s.y[1]).toBeCloseTo(y1, 12);
  });
  test('bad sizes throw errors naming the problem', () => {
    const w = constantElmanWeights(ONE, 1);
    expect(() => elmanStep(w, [1, 2], [0])).toThrow(/x at step 1: expected a vector of length 1/);
    expect(() => elmanForward({ ...w, Whh: [[1, 2]] }, [[1]])).toThrow(/Elman Whh: row 0 has 2 entries, expected 1/);
    expect(() => elmanForward(w, [])).toThrow(/sequence is empty/);
    expect(() => constantElmanWeights({ inputs: 0, units: 1, outputs: 1 }, 1)).toThrow(/inputs must be a positive integer/);
  });
});

describe('Jordan network (context = previous output)', () => {
  test('reproduces the seed: h1 = 0.9640, y1 = 1.9640, h2 = 0.9999, y2 = 1.9999', () => {
    const s = jordanForward(constantJordanWeights(ONE, 1), [[1], [2]]);
    expect(s[0].h[0]).toBeCloseTo(0.964, 4);
    expect(s[0].y[0]).toBeCloseTo(1.964, 4);
    expect(s[1].h[0]).toBeCloseTo(0.9999, 4);
    expect(s[1].y[0]).toBeCloseTo(1.9999, 4);
    // h2 = tanh(x2 + y1 + b) = tanh(2 + 1.9640 + 1)
    expect(s[1].a[0]).toBeCloseTo(4.964, 4);
    expect(s[1].yPrev[0]).toBe(s[0].y[0]);
  });
  test("the seed's written formula (extra W_hh h_{t-1}) gives tanh(5.928) = 1.0000, not the printed 0.9999", () => {
    const s = jordanForward(constantJordanWeights(ONE, 1, true), [[1], [2]]);
    expect(s[1].a[0]).toBeCloseTo(5.928, 3);
    expect(s[1].h[0]).toBeCloseTo(1.0, 4);
    expect(s[1].h[0]).toBeGreaterThan(0.99995);
  });
});

describe('LSTM cell (seed example: every weight and both biases 1, h0 = c0 = 0, x1 = 1)', () => {
  const s = lstmStep(constantLstmWeights({ inputs: 1, units: 1 }, 1), [1], [0], [0]);
  test('i1 = f1 = o1 = 0.9526, c~1 = 0.9951, c1 = 0.9479, h1 = 0.7038', () => {
    expect(s.i[0]).toBeCloseTo(0.9526, 4);
    expect(s.f[0]).toBeCloseTo(0.9526, 4);
    expect(s.o[0]).toBeCloseTo(0.9526, 4);
    expect(s.g[0]).toBeCloseTo(0.9951, 4);
    expect(s.c[0]).toBeCloseTo(0.9479, 4);
    expect(s.h[0]).toBeCloseTo(0.7038, 4);
    expect(s.i[0]).toBe(sigmoid(3));
    expect(s.g[0]).toBe(Math.tanh(3));
  });
  test('the cell state carries over: with the forget gate shut and the input gate shut, c stays', () => {
    const w = constantLstmWeights({ inputs: 1, units: 1 }, 0);
    w.forget.bx = [50]; // f = 1
    w.input.bx = [-50]; // i = 0
    const steps = lstmForward(w, [[3], [-2], [7]], [0], [0.4]);
    for (const st of steps) expect(st.c[0]).toBeCloseTo(0.4, 12);
    expect(steps[2].h[0]).toBeCloseTo(0.5 * Math.tanh(0.4), 12); // o = σ(0) = 0.5
  });
  test('any sizes: gates have `units` entries and lie in (0, 1)', () => {
    const w = randomLstmWeights({ inputs: 3, units: 5 }, makeRng(2), 1);
    const steps = lstmForward(w, [[1, 0, -1], [0.5, 0.5, 0.5]]);
    for (const st of steps) {
      for (const gate of [st.i, st.f, st.o]) {
        expect(gate).toHaveLength(5);
        for (const v of gate) expect(v > 0 && v < 1).toBe(true);
      }
      st.c.forEach((c, k) => expect(c).toBeCloseTo(st.f[k] * st.cPrev[k] + st.i[k] * st.g[k], 12));
    }
  });
  test('mismatched gates throw', () => {
    const w = constantLstmWeights({ inputs: 1, units: 1 }, 1);
    const bad = { ...w, output: constantLstmWeights({ inputs: 2, units: 1 }, 1).output };
    expect(() => lstmStep(bad, [1], [0], [0])).toThrow(/gate 'output' is 1x2 but the input gate is 1x1/);
  });
});

describe('GRU cell (standard, reset before the matmul; h = (1 - z) h_prev + z h~)', () => {
  test('one step with all weights 1 from h0 = 0, x = 1, by hand', () => {
    const s = gruStep(constantGruWeights({ inputs: 1, units: 1 }, 1), [1], [0]);
    expect(s.z[0]).toBeCloseTo(sigmoid(3), 12);
    expect(s.r[0]).toBeCloseTo(sigmoid(3), 12);
    expect(s.hTilde[0]).toBeCloseTo(Math.tanh(3), 12); // r * h0 = 0, so W_hh contributes nothing
    expect(s.h[0]).toBeCloseTo(0.9479, 4); // z h~ = 0.9526 * 0.9951
  });
  test('second step uses r before the recurrent matmul', () => {
    const w = constantGruWeights({ inputs: 1, units: 1 }, 1);
    const [s1, s2] = gruForward(w, [[1], [2]]);
    const z2 = sigmoid(1 + 2 + 1 + s1.h[0]);
    const r2 = sigmoid(1 + 2 + 1 + s1.h[0]);
    const hT = Math.tanh(2 + 1 + r2 * s1.h[0] + 1);
    expect(s2.z[0]).toBeCloseTo(z2, 12);
    expect(s2.hTilde[0]).toBeCloseTo(hT, 12);
    expect(s2.h[0]).toBeCloseTo((1 - z2) * s1.h[0] + z2 * hT, 12);
  });
  test('reset after the matmul equals reset before for one unit without a recurrent candidate bias, and differs otherwise', () => {
    const w1 = randomGruWeights({ inputs: 2, units: 1 }, makeRng(4), 1);
    w1.candidate.bh = [0];
    const xs = [[0.3, -0.7], [1.2, 0.1], [-0.4, 0.9]];
    const before = gruForward(w1, xs);
    const after = gruForward(w1, xs, undefined, { resetAfter: true });
    before.forEach((s, k) => expect(after[k].h[0]).toBeCloseTo(s.h[0], 12));
    const w3 = randomGruWeights({ inputs: 2, units: 3 }, makeRng(4), 1);
    const b3 = gruForward(w3, xs);
    const a3 = gruForward(w3, xs, undefined, { resetAfter: true });
    const diff = Math.max(...b3[2].h.map((v, k) => Math.abs(v - a3[2].h[k])));
    expect(diff).toBeGreaterThan(1e-3);
  });
  test('z = 0 keeps the state, z = 1 takes the candidate', () => {
    const w = randomGruWeights({ inputs: 1, units: 2 }, makeRng(9), 1);
    w.update.bx = [-60, 60];
    const s = gruStep(w, [0.5], [0.25, -0.5]);
    expect(s.h[0]).toBeCloseTo(0.25, 12);
    expect(s.h[1]).toBeCloseTo(s.hTilde[1], 12);
  });
});
