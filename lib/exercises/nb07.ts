/**
 * Checks of notebook 07's exercises (RNN, LSTM and GRU). Each runs the student's answer on inputs
 * beyond the one shown in the notebook, never prints the solution, never throws, frees its tensors.
 *
 * Usage (in notebook 07): `await check07_6({ gruStepResetAfter: gruStepResetAfter })`
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../random';
import { bpttBackward, scalarRnnForward, SCALAR_RNN_PARAM_NAMES, SEED_RNN_PARAMS, type ScalarRnnParams } from '../rnn/bptt';
import { gruStep, randomGruWeights, type GruWeights } from '../rnn/gru';
import { close, expect, expectFunction, expectNumber, need, runCheck, type Verdict } from './check';

/** The ids of notebook 07's exercises. */
export const EXERCISES_07: readonly string[] = ['07.1', '07.2', '07.3', '07.4', '07.5', '07.6', '07.7'];

/** Exercise 1: the seed's Elman example continued to t = 3. Usage: `await check07_1({ a3, h3, y3 })` */
export function check07_1(answer: { a3?: unknown; h3?: unknown; y3?: unknown }): Promise<Verdict> {
  return runCheck('07.1', 'Elman by hand', () => {
    const a3 = expectNumber(need(answer.a3, 'a3', 'a number'), 'a3');
    const h3 = expectNumber(need(answer.h3, 'h3', 'a number'), 'h3');
    const y3 = expectNumber(need(answer.y3, 'y3', 'a number'), 'y3');
    const h1 = Math.tanh(2);
    const h2 = Math.tanh(h1 + 2 + 1);
    const wantA = h2 + 3 + 1;
    expect(close(a3, wantA, 1e-4), `a3 = ${a3} is not W_hh h_2 + W_xh x_3 + b_h`, 'use h_2 from section 1 (not rounded), x_3 = 3 and every weight 1');
    expect(close(h3, Math.tanh(a3), 1e-4), `h3 = ${h3} is not tanh(a3)`, 'the hidden activation is tanh');
    expect(close(y3, h3 + 1, 1e-4), `y3 = ${y3} is not W_hy h_3 + b_y`, 'the output is linear: W_hy h_3 + b_y');
  });
}

const PARAM_SETS: ScalarRnnParams[] = [
  { wxh: 0.5, whh: -0.3, bh: 0.1, why: 1.5, by: 0.2 },
  { wxh: -0.2, whh: 0.8, bh: -0.4, why: 0.7, by: 1.1 },
];
const SEQUENCES = [[0.5, 1, 1.5, 2, 2.5], [3, 1, 2]];

/** Exercise 2: BPTT with a sigmoid hidden activation. Usage: `await check07_2({ bpttSigmoid, sigmoidFinalLoss })` */
export function check07_2(answer: { bpttSigmoid?: unknown; sigmoidFinalLoss?: unknown }): Promise<Verdict> {
  return runCheck('07.2', 'BPTT with a sigmoid', () => {
    const fn = expectFunction(need(answer.bpttSigmoid, 'bpttSigmoid', 'a function (p, seq) => { loss, grads }'), 'bpttSigmoid', 2) as (p: ScalarRnnParams, s: number[]) => { loss?: unknown; grads?: Partial<Record<string, unknown>> };
    const cases: [ScalarRnnParams, number[]][] = [[{ ...SEED_RNN_PARAMS }, [1, 2, 3, 4]], ...PARAM_SETS.map((p, k) => [p, SEQUENCES[k]] as [ScalarRnnParams, number[]])];
    for (const [p, seq] of cases) {
      const want = scalarRnnForward(p, seq, { activation: 'sigmoid' });
      const grads = bpttBackward(p, want).grads;
      const got = fn({ ...p }, seq.slice());
      expect(got !== null && typeof got === 'object', 'bpttSigmoid should return an object { loss, grads }', 'return { loss, grads } as `bptt` does');
      const loss = expectNumber(got.loss, 'loss');
      expect(close(loss, want.loss, 1e-6), `the loss for weights ${JSON.stringify(p)} and sequence [${seq}] is ${loss}, not the sum of squared errors of the sigmoid network`, 'h_t = σ(a_t); sum (y_t − x_{t+1})² over the steps');
      expect(got.grads !== null && typeof got.grads === 'object', '`grads` is missing from the result', 'return { loss, grads } with grads = { wxh, whh, bh, why, by }');
      for (const k of SCALAR_RNN_PARAM_NAMES) {
        const g = expectNumber(got.grads[k], `grads.${k}`);
        expect(close(g, grads[k], 1e-6), `grads.${k} is ${g} for weights ${JSON.stringify(p)} and sequence [${seq}]: not the gradient of the loss`, 'the derivative of σ at a_t is h_t (1 − h_t); carry dL/da_{t+1} · W_hh back through time');
      }
    }
    const finalLoss = expectNumber(need(answer.sigmoidFinalLoss, 'sigmoidFinalLoss', 'a number'), 'sigmoidFinalLoss');
    let p: ScalarRnnParams = { ...SEED_RNN_PARAMS };
    for (let e = 0; e < 500; e++) {
      const g = bpttBackward(p, scalarRnnForward(p, [1, 2, 3, 4], { activation: 'sigmoid' })).grads;
      const next = { ...p };
      for (const k of SCALAR_RNN_PARAM_NAMES) next[k] = p[k] - 0.01 * g[k];
      p = next;
    }
    const want = scalarRnnForward(p, [1, 2, 3, 4], { activation: 'sigmoid' }).loss;
    expect(close(finalLoss, want, 1e-4), `sigmoidFinalLoss is ${finalLoss}: not the loss after 500 epochs with α = 0.01 from the seed's weights`, 'start from all weights 1, update 500 times, then compute the loss once more');
  });
}

/** Exercise 3: GRU parameter counts with one or two biases per gate. Usage: `await check07_3({ gruParamCount })` */
export function check07_3(answer: { gruParamCount?: unknown }): Promise<Verdict> {
  return runCheck('07.3', 'GRU parameter counts', () => {
    const fn = expectFunction(need(answer.gruParamCount, 'gruParamCount', 'a function (inputs, units, resetAfter) => number'), 'gruParamCount', 3) as (i: number, u: number, r: boolean) => unknown;
    for (const [i, u] of [[2, 32], [1, 1], [7, 3], [16, 10]]) {
      for (const resetAfter of [false, true]) {
        const got = expectNumber(fn(i, u, resetAfter), `gruParamCount(${i}, ${u}, ${resetAfter})`);
        const want = 3 * u * (i + u + (resetAfter ? 2 : 1));
        expect(got === want, `gruParamCount(${i}, ${u}, ${resetAfter}) is ${got}, which is wrong`, resetAfter ? 'with reset_after, each of the 3 gates has an input bias and a recurrent bias' : 'each of the 3 gates has a u × i kernel, a u × u recurrent kernel and u biases');
      }
    }
    const m = tf.sequential({ layers: [tf.layers.gru({ units: 5, inputShape: [4, 3] })] });
    const tfjsCount = m.countParams();
    m.dispose();
    expect(fn(3, 5, false) === tfjsCount, 'gruParamCount(3, 5, false) differs from the tfjs GRU\'s countParams()', 'tfjs keeps one bias per gate');
  });
}

/** Exercise 4: set the forget-gate bias of a tfjs LSTM layer. Usage: `await check07_4({ setForgetBias })` */
export function check07_4(answer: { setForgetBias?: unknown }): Promise<Verdict> {
  return runCheck('07.4', 'The forget-gate bias', () => {
    const fn = expectFunction(need(answer.setForgetBias, 'setForgetBias', 'a function (layer, b) => void'), 'setForgetBias', 2) as (layer: tf.layers.Layer, b: number) => unknown;
    for (const [units, b] of [[3, 2.5], [5, -1]]) {
      const layer = tf.layers.lstm({ units, inputShape: [4, 2], biasInitializer: 'randomNormal' });
      const m = tf.sequential({ layers: [layer] });
      try {
        const before = layer.getWeights().map((w) => Array.from(w.dataSync()));
        fn(layer, b);
        const after = layer.getWeights().map((w) => Array.from(w.dataSync()));
        expect(after.length === 3, `the layer has ${after.length} weight tensors after setForgetBias; it should keep its 3`, 'setWeights with [kernel, recurrentKernel, bias]');
        const same = (x: number[], y: number[]) => x.length === y.length && x.every((v, k) => Math.abs(v - y[k]) < 1e-6);
        expect(same(after[0], before[0]) && same(after[1], before[1]), 'setForgetBias changed the kernels', 'change the bias only; keep the two kernels as they are');
        for (let k = 0; k < 4 * units; k++) {
          const inForget = k >= units && k < 2 * units;
          const want = inForget ? b : before[2][k];
          expect(Math.abs(after[2][k] - want) < 1e-6, inForget ? `for an LSTM of ${units} units, bias entry ${k} (forget gate) is ${after[2][k]}, not ${b}` : `for an LSTM of ${units} units, bias entry ${k} changed, but it is not a forget-gate bias`, 'the bias is [i | f | c | o], `units` entries each: the forget block is entries units .. 2·units − 1');
        }
      } finally {
        m.dispose();
      }
    }
  });
}

/** Exercise 5: measured gradients of a linear RNN at lag 39. Usage: `await check07_5({ lag39At09, lag39At11 })` */
export function check07_5(answer: { lag39At09?: unknown; lag39At11?: unknown }): Promise<Verdict> {
  return runCheck('07.5', 'Exploding gradients', () => {
    const g09 = expectNumber(need(answer.lag39At09, 'lag39At09', 'a number'), 'lag39At09');
    const g11 = expectNumber(need(answer.lag39At11, 'lag39At11', 'a number'), 'lag39At11');
    expect(Math.abs(g09 - 0.9 ** 39) <= 1e-3 * 0.9 ** 39, `lag39At09 is ${g09}: not the gradient at lag 39 for W_hh = 0.9`, 'lag 39 is the first of 40 steps: `norm[39]` of inputGradientByLag; kernel 1, recurrent kernel 0.9, no bias, linear activation');
    expect(Math.abs(g11 - 1.1 ** 39) <= 1e-3 * 1.1 ** 39, `lag39At11 is ${g11}: not the gradient at lag 39 for W_hh = 1.1`, 'same model with recurrent kernel 1.1');
  });
}

/** Exercise 6: the GRU step with the reset gate after the recurrent matmul. Usage: `await check07_6({ gruStepResetAfter })` */
export function check07_6(answer: { gruStepResetAfter?: unknown }): Promise<Verdict> {
  return runCheck('07.6', 'The other GRU', () => {
    const fn = expectFunction(need(answer.gruStepResetAfter, 'gruStepResetAfter', 'a function (w, x, hPrev) => number[]'), 'gruStepResetAfter', 3) as (w: GruWeights, x: number[], h: number[]) => unknown;
    const rng = makeRng(707);
    for (const [inputs, units] of [[1, 1], [2, 3], [4, 2]]) {
      const w = randomGruWeights({ inputs, units }, rng, 1);
      const x = Array.from({ length: inputs }, () => rng.normal());
      const h = Array.from({ length: units }, () => rng.normal() * 0.5);
      const want = gruStep(w, x, h, { resetAfter: true }).h;
      const before = gruStep(w, x, h).h;
      const got = fn(w, x.slice(), h.slice());
      expect(Array.isArray(got) && got.length === units, `for ${units} units gruStepResetAfter returned ${Array.isArray(got) ? `an array of length ${got.length}` : typeof got}`, 'return h_t, one number per unit');
      const arr = got as unknown[];
      const ok = arr.every((v, k) => typeof v === 'number' && Math.abs(v - want[k]) < 1e-6);
      const isBefore = arr.every((v, k) => typeof v === 'number' && Math.abs(v - before[k]) < 1e-6);
      expect(ok, `for ${inputs} input(s) and ${units} unit(s) the state differs from the reset-after GRU's`, isBefore ? 'this is the reset-before GRU: multiply r_t with (W_hh h_{t-1} + b_hh), not h_{t-1} inside the matmul' : 'h~ = tanh(W_ih x + b_ih + r ∘ (W_hh h + b_hh)); h = (1 − z) ∘ h_prev + z ∘ h~');
    }
  });
}

/** Exercise 7: the lecture's quiz. Usage: `await check07_7({ quiz16, quiz17 })` */
export function check07_7(answer: { quiz16?: unknown; quiz17?: unknown }): Promise<Verdict> {
  return runCheck('07.7', "The lecture's quiz", () => {
    const letter = (v: unknown, name: string): string => {
      const s = need(v, name, "a letter 'A' to 'D'");
      expect(typeof s === 'string' && /^[A-Da-d]$/.test(s.trim()), `${name} should be one letter A to D`, "assign a string such as 'A'");
      return (s as string).trim().toUpperCase();
    };
    const q16 = letter(answer.quiz16, 'quiz16');
    const q17 = letter(answer.quiz17, 'quiz17');
    expect(q16 === 'D', 'quiz16 is not right yet', 'feature selection and engineering shape the input layer, and the task shapes the output layer: which layers are left out of our control?');
    expect(q17 === 'B', 'quiz17 is not right yet', 'what does dropout prevent, and what family of techniques does that make it?');
  });
}
