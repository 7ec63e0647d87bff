/**
 * The Jordan network, step by step with plain numbers. Its context is the previous OUTPUT:
 *   h_t = f1(W_xh x_t + W_yh y_{t-1} + b_h),   y_t = f2(W_hy h_t + b_y)      (Jordan, 1986)
 *
 * The seed's slide writes the hidden update with an extra W_hh h_{t-1} term and its t = 1
 * arithmetic puts the terms in the wrong slots ("1·0 + 1·0 + 1·1 + 1"). Its printed numbers,
 * h2 = 0.9999 and y2 = 1.9999, are those of the standard definition above:
 *   h2 = tanh(2 + 1.9640 + 1) = tanh(4.964) = 0.99990.
 * With the extra W_hh h_{t-1} term, h2 = tanh(5.928) = 0.99999 (1.0000 to 4 decimals).
 * Pass `Whh` to get that hybrid (Elman + Jordan) variant; leave it out for the standard one.
 *
 * Usage:
 *   const w = constantJordanWeights({ inputs: 1, units: 1, outputs: 1 }, 1);
 *   jordanForward(w, [[1], [2]])[1].h // [0.9999]
 */
import type { Rng } from '../random';
import { checkSequence, randomMatrix, randomVector } from './gate';
import { checkRnnSizes, type RnnActivations, type RnnSizes } from './elman';
import { activate, addVec, checkMatrix, checkVector, filledMatrix, filledVector, matVec, type Matrix, type Vector } from './math';

/** Jordan weights: W_xh (units x inputs), W_yh (units x outputs), b_h, W_hy (outputs x units), b_y; optional W_hh. */
export interface JordanWeights {
  Wxh: Matrix;
  Wyh: Matrix;
  bh: Vector;
  Why: Matrix;
  by: Vector;
  /** Optional hidden-to-hidden weights (the seed's written formula); absent in Jordan's network. */
  Whh?: Matrix;
}

/** One Jordan step with every intermediate value. */
export interface JordanStep {
  t: number;
  x: Vector;
  hPrev: Vector;
  yPrev: Vector;
  /** Pre-activation W_xh x_t + W_yh y_{t-1} (+ W_hh h_{t-1}) + b_h. */
  a: Vector;
  h: Vector;
  y: Vector;
}

/** Reads and checks the sizes of Jordan weights. Usage: `jordanSizes(w).outputs` */
export function jordanSizes(w: JordanWeights): RnnSizes {
  if (!w || !Array.isArray(w.Wxh) || w.Wxh.length === 0 || !Array.isArray(w.Wxh[0])) {
    throw new Error('Jordan weights: Wxh must be a units x inputs number[][].');
  }
  const units = w.Wxh.length;
  const inputs = w.Wxh[0].length;
  const outputs = Array.isArray(w.Why) ? w.Why.length : 0;
  if (outputs < 1) throw new Error('Jordan weights: Why must be an outputs x units number[][] with at least one row.');
  checkMatrix(w.Wxh, units, inputs, 'Jordan Wxh');
  checkMatrix(w.Wyh, units, outputs, 'Jordan Wyh');
  checkVector(w.bh, units, 'Jordan bh');
  checkMatrix(w.Why, outputs, units, 'Jordan Why');
  checkVector(w.by, outputs, 'Jordan by');
  if (w.Whh !== undefined) checkMatrix(w.Whh, units, units, 'Jordan Whh');
  return { inputs, units, outputs };
}

/**
 * Jordan weights all equal to `value`; `withWhh` adds the seed's W_hh term (default false).
 * Usage: `constantJordanWeights({ inputs: 1, units: 1, outputs: 1 }, 1)`
 */
export function constantJordanWeights(s: RnnSizes, value: number, withWhh = false): JordanWeights {
  checkRnnSizes(s);
  const w: JordanWeights = {
    Wxh: filledMatrix(s.units, s.inputs, () => value),
    Wyh: filledMatrix(s.units, s.outputs, () => value),
    bh: filledVector(s.units, () => value),
    Why: filledMatrix(s.outputs, s.units, () => value),
    by: filledVector(s.outputs, () => value),
  };
  if (withWhh) w.Whh = filledMatrix(s.units, s.units, () => value);
  return w;
}

/** Jordan weights uniform in [-scale, scale). Usage: `randomJordanWeights({ inputs: 2, units: 3, outputs: 1 }, makeRng(1))` */
export function randomJordanWeights(s: RnnSizes, rng: Rng, scale = 0.5, withWhh = false): JordanWeights {
  checkRnnSizes(s);
  const w: JordanWeights = {
    Wxh: randomMatrix(s.units, s.inputs, rng, scale),
    Wyh: randomMatrix(s.units, s.outputs, rng, scale),
    bh: randomVector(s.units, rng, scale),
    Why: randomMatrix(s.outputs, s.units, rng, scale),
    by: randomVector(s.outputs, rng, scale),
  };
  if (withWhh) w.Whh = randomMatrix(s.units, s.units, rng, scale);
  return w;
}

/** One Jordan step. Usage: `jordanStep(w, [1], [0], [0]).y` */
export function jordanStep(w: JordanWeights, x: Vector, hPrev: Vector, yPrev: Vector, act: RnnActivations = {}, t = 1): JordanStep {
  const s = jordanSizes(w);
  checkVector(x, s.inputs, `jordanStep: x at step ${t}`);
  checkVector(hPrev, s.units, `jordanStep: hPrev at step ${t}`);
  checkVector(yPrev, s.outputs, `jordanStep: yPrev at step ${t}`);
  const terms = [matVec(w.Wxh, x), matVec(w.Wyh, yPrev), w.bh];
  if (w.Whh !== undefined) terms.push(matVec(w.Whh, hPrev));
  const a = addVec(...terms);
  const h = a.map((v) => activate(act.hidden ?? 'tanh', v));
  const y = addVec(matVec(w.Why, h), w.by).map((v) => activate(act.output ?? 'linear', v));
  return { t, x: x.slice(), hPrev: hPrev.slice(), yPrev: yPrev.slice(), a, h, y };
}

/** Runs a Jordan network from h0 = 0 and y0 = 0 (or the given ones). Usage: `jordanForward(w, [[1], [2]])` */
export function jordanForward(w: JordanWeights, xs: Vector[], h0?: Vector, y0?: Vector, act: RnnActivations = {}): JordanStep[] {
  const s = jordanSizes(w);
  checkSequence(xs, s.inputs, 'jordanForward');
  let h = h0 ?? filledVector(s.units, () => 0);
  let y = y0 ?? filledVector(s.outputs, () => 0);
  const steps: JordanStep[] = [];
  xs.forEach((x, i) => {
    const step = jordanStep(w, x, h, y, act, i + 1);
    steps.push(step);
    h = step.h;
    y = step.y;
  });
  return steps;
}
