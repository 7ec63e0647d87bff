/**
 * The Elman network (simple RNN), step by step with plain numbers:
 *   h_t = f1(W_hh h_{t-1} + W_xh x_t + b_h),   y_t = f2(W_hy h_t + b_y)
 * f1 defaults to tanh and f2 to linear, as in the seed's example.
 *
 * Usage:
 *   const w = constantElmanWeights({ inputs: 1, units: 1, outputs: 1 }, 1);
 *   const steps = elmanForward(w, [[1], [2]]); // steps[0].h = [0.9640], steps[0].y = [1.9640]
 */
import type { Rng } from '../random';
import { checkSequence, randomMatrix, randomVector } from './gate';
import { activate, addVec, checkMatrix, checkSize, checkVector, filledMatrix, filledVector, matVec, type ActivationName, type Matrix, type Vector } from './math';

/** Elman weights: W_xh (units x inputs), W_hh (units x units), b_h, W_hy (outputs x units), b_y. */
export interface ElmanWeights {
  Wxh: Matrix;
  Whh: Matrix;
  bh: Vector;
  Why: Matrix;
  by: Vector;
}

/** Sizes of an Elman or Jordan network. */
export interface RnnSizes {
  inputs: number;
  units: number;
  outputs: number;
}

/** Activations of an Elman or Jordan network. */
export interface RnnActivations {
  /** f1, for the hidden state (default 'tanh'). */
  hidden?: ActivationName;
  /** f2, for the output (default 'linear'). */
  output?: ActivationName;
}

/** One time step with every intermediate value. */
export interface ElmanStep {
  /** Time index, from 1 as in the seed. */
  t: number;
  x: Vector;
  hPrev: Vector;
  /** The pre-activation W_hh h_{t-1} + W_xh x_t + b_h. */
  a: Vector;
  h: Vector;
  y: Vector;
}

/** Reads and checks the sizes of Elman weights. Usage: `elmanSizes(w).units` */
export function elmanSizes(w: ElmanWeights): RnnSizes {
  if (!w || !Array.isArray(w.Wxh) || w.Wxh.length === 0 || !Array.isArray(w.Wxh[0])) {
    throw new Error('Elman weights: Wxh must be a units x inputs number[][].');
  }
  const units = w.Wxh.length;
  const inputs = w.Wxh[0].length;
  const outputs = Array.isArray(w.Why) ? w.Why.length : 0;
  checkMatrix(w.Wxh, units, inputs, 'Elman Wxh');
  checkMatrix(w.Whh, units, units, 'Elman Whh');
  checkVector(w.bh, units, 'Elman bh');
  if (outputs < 1) throw new Error('Elman weights: Why must be an outputs x units number[][] with at least one row.');
  checkMatrix(w.Why, outputs, units, 'Elman Why');
  checkVector(w.by, outputs, 'Elman by');
  return { inputs, units, outputs };
}

/** Elman weights all equal to `value` (the seed uses 1). Usage: `constantElmanWeights({ inputs: 1, units: 1, outputs: 1 }, 1)` */
export function constantElmanWeights(s: RnnSizes, value: number): ElmanWeights {
  checkRnnSizes(s);
  return {
    Wxh: filledMatrix(s.units, s.inputs, () => value),
    Whh: filledMatrix(s.units, s.units, () => value),
    bh: filledVector(s.units, () => value),
    Why: filledMatrix(s.outputs, s.units, () => value),
    by: filledVector(s.outputs, () => value),
  };
}

/** Elman weights uniform in [-scale, scale). Usage: `randomElmanWeights({ inputs: 3, units: 4, outputs: 2 }, makeRng(1))` */
export function randomElmanWeights(s: RnnSizes, rng: Rng, scale = 0.5): ElmanWeights {
  checkRnnSizes(s);
  return {
    Wxh: randomMatrix(s.units, s.inputs, rng, scale),
    Whh: randomMatrix(s.units, s.units, rng, scale),
    bh: randomVector(s.units, rng, scale),
    Why: randomMatrix(s.outputs, s.units, rng, scale),
    by: randomVector(s.outputs, rng, scale),
  };
}

/** One Elman step. Usage: `elmanStep(w, [1], [0]).h` */
export function elmanStep(w: ElmanWeights, x: Vector, hPrev: Vector, act: RnnActivations = {}, t = 1): ElmanStep {
  const s = elmanSizes(w);
  checkVector(x, s.inputs, `elmanStep: x at step ${t}`);
  checkVector(hPrev, s.units, `elmanStep: hPrev at step ${t}`);
  const a = addVec(matVec(w.Whh, hPrev), matVec(w.Wxh, x), w.bh);
  const h = a.map((v) => activate(act.hidden ?? 'tanh', v));
  const y = addVec(matVec(w.Why, h), w.by).map((v) => activate(act.output ?? 'linear', v));
  return { t, x: x.slice(), hPrev: hPrev.slice(), a, h, y };
}

/** Runs an Elman network over a sequence from h0 (default zeros). Usage: `elmanForward(w, [[1], [2], [3]])` */
export function elmanForward(w: ElmanWeights, xs: Vector[], h0?: Vector, act: RnnActivations = {}): ElmanStep[] {
  const s = elmanSizes(w);
  checkSequence(xs, s.inputs, 'elmanForward');
  let h = h0 ?? filledVector(s.units, () => 0);
  const steps: ElmanStep[] = [];
  xs.forEach((x, i) => {
    const step = elmanStep(w, x, h, act, i + 1);
    steps.push(step);
    h = step.h;
  });
  return steps;
}

/** Checks sizes are positive integers. Usage: `checkRnnSizes({ inputs: 1, units: 1, outputs: 1 })` */
export function checkRnnSizes(s: RnnSizes): void {
  checkSize(s.inputs, 'inputs');
  checkSize(s.units, 'units');
  checkSize(s.outputs, 'outputs');
}
