/**
 * The LSTM cell with plain numbers, every gate exposed (the seed's equations, PyTorch's layout
 * with an input bias and a recurrent bias per gate):
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)          input gate
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)          forget gate
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)       cell candidate c~_t
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)          output gate
 *   c_t = f_t ∘ c_{t-1} + i_t ∘ g_t,    h_t = o_t ∘ tanh(c_t)
 *
 * Usage:
 *   const w = constantLstmWeights({ inputs: 1, units: 1 }, 1);
 *   const s = lstmStep(w, [1], [0], [0]); // s.i = [0.9526], s.g = [0.9951], s.c = [0.9479], s.h = [0.7038]
 */
import type { Rng } from '../random';
import { checkSequence, constantGate, gatePreactivation, gateSizes, randomGate, type CellSizes, type GateWeights } from './gate';
import { checkVector, filledVector, mulVec, addVec, sigmoid, type Vector } from './math';

/** The four gates of an LSTM cell. */
export interface LstmWeights {
  input: GateWeights;
  forget: GateWeights;
  /** The cell candidate c~ (PyTorch calls it g). */
  cell: GateWeights;
  output: GateWeights;
}

/** One LSTM step, every gate exposed. */
export interface LstmStep {
  t: number;
  x: Vector;
  hPrev: Vector;
  cPrev: Vector;
  /** Input gate i_t. */
  i: Vector;
  /** Forget gate f_t. */
  f: Vector;
  /** Cell candidate c~_t (g_t). */
  g: Vector;
  /** Output gate o_t. */
  o: Vector;
  /** Cell state c_t (long-term memory). */
  c: Vector;
  /** Hidden state h_t (short-term memory, the output). */
  h: Vector;
}

/** The LSTM gate names in tfjs's (and Keras's) packed-kernel order: i, f, c, o. */
export const LSTM_GATES = ['input', 'forget', 'cell', 'output'] as const;

/** Reads and checks the sizes of LSTM weights. Usage: `lstmSizes(w).units` */
export function lstmSizes(w: LstmWeights): CellSizes {
  if (!w) throw new Error('LSTM weights: pass { input, forget, cell, output } gate weights.');
  let sizes: CellSizes | undefined;
  for (const name of LSTM_GATES) {
    if (!w[name]) throw new Error(`LSTM weights: gate '${name}' is missing; pass { input, forget, cell, output }.`);
    const s = gateSizes(w[name], `LSTM ${name}`);
    if (sizes && (s.inputs !== sizes.inputs || s.units !== sizes.units)) {
      throw new Error(`LSTM weights: gate '${name}' is ${s.units}x${s.inputs} but the input gate is ${sizes.units}x${sizes.inputs}; give every gate the same sizes.`);
    }
    sizes = s;
  }
  return sizes as CellSizes;
}

/** LSTM weights all equal to `value` (the seed uses 1). Usage: `constantLstmWeights({ inputs: 1, units: 1 }, 1)` */
export function constantLstmWeights(s: CellSizes, value: number): LstmWeights {
  return {
    input: constantGate(s.inputs, s.units, value),
    forget: constantGate(s.inputs, s.units, value),
    cell: constantGate(s.inputs, s.units, value),
    output: constantGate(s.inputs, s.units, value),
  };
}

/** LSTM weights uniform in [-scale, scale). Usage: `randomLstmWeights({ inputs: 3, units: 4 }, makeRng(1))` */
export function randomLstmWeights(s: CellSizes, rng: Rng, scale = 0.5): LstmWeights {
  return {
    input: randomGate(s.inputs, s.units, rng, scale),
    forget: randomGate(s.inputs, s.units, rng, scale),
    cell: randomGate(s.inputs, s.units, rng, scale),
    output: randomGate(s.inputs, s.units, rng, scale),
  };
}

/** One LSTM step. Usage: `lstmStep(w, x, hPrev, cPrev).f` */
export function lstmStep(w: LstmWeights, x: Vector, hPrev: Vector, cPrev: Vector, t = 1): LstmStep {
  const s = lstmSizes(w);
  checkVector(x, s.inputs, `lstmStep: x at step ${t}`);
  checkVector(hPrev, s.units, `lstmStep: hPrev at step ${t}`);
  checkVector(cPrev, s.units, `lstmStep: cPrev at step ${t}`);
  const i = gatePreactivation(w.input, x, hPrev).map(sigmoid);
  const f = gatePreactivation(w.forget, x, hPrev).map(sigmoid);
  const g = gatePreactivation(w.cell, x, hPrev).map(Math.tanh);
  const o = gatePreactivation(w.output, x, hPrev).map(sigmoid);
  const c = addVec(mulVec(f, cPrev), mulVec(i, g));
  const h = mulVec(o, c.map(Math.tanh));
  return { t, x: x.slice(), hPrev: hPrev.slice(), cPrev: cPrev.slice(), i, f, g, o, c, h };
}

/** Runs an LSTM over a sequence from h0 = c0 = 0 (or the given ones). Usage: `lstmForward(w, [[1], [2]])` */
export function lstmForward(w: LstmWeights, xs: Vector[], h0?: Vector, c0?: Vector): LstmStep[] {
  const s = lstmSizes(w);
  checkSequence(xs, s.inputs, 'lstmForward');
  let h = h0 ?? filledVector(s.units, () => 0);
  let c = c0 ?? filledVector(s.units, () => 0);
  const steps: LstmStep[] = [];
  xs.forEach((x, k) => {
    const step = lstmStep(w, x, h, c, k + 1);
    steps.push(step);
    h = step.h;
    c = step.c;
  });
  return steps;
}
