/**
 * Backpropagation through time by hand, for the seed's one-unit RNN predicting the next number:
 *   a_t = W_hh h_{t-1} + W_xh x_t + b_h,   h_t = f(a_t),   y_t = W_hy h_t + b_y,
 *   Loss_t = (y_t - x_{t+1})^2,   Loss = Σ_t Loss_t  (or the mean over t).
 * The seed writes one W_h for both the recurrent and the input weight (a typo: the Elman slides
 * before it use W_hh and W_xh) and σ for f; we keep two weights and let f be chosen (tanh by
 * default, as in the Elman example).
 *
 * The backward pass walks t = T..1, carrying dLoss/dh_t back through W_hh:
 *   dy_t = 2 (y_t - x_{t+1}),   dh_t = dy_t W_hy + da_{t+1} W_hh,   da_t = dh_t f'(a_t),
 * and accumulates dW_hy += dy_t h_t, db_y += dy_t, dW_xh += da_t x_t, dW_hh += da_t h_{t-1},
 * db_h += da_t. The update comes once per sequence: p <- p - α dLoss/dp.
 *
 * Usage:
 *   const fwd = scalarRnnForward(SEED_RNN_PARAMS, [1, 2, 3, 4]);
 *   const back = bpttBackward(SEED_RNN_PARAMS, fwd);   // back.grads.whh, back.steps[...]
 *   const next = sgdUpdate(SEED_RNN_PARAMS, back.grads, 0.01);
 */
import { activate, activationDerivative, type ActivationName } from './math';

/** The five scalars of a one-unit RNN. */
export interface ScalarRnnParams {
  wxh: number;
  whh: number;
  bh: number;
  why: number;
  by: number;
}

/** The parameter names in a fixed order (for tables and loops). */
export const SCALAR_RNN_PARAM_NAMES = ['wxh', 'whh', 'bh', 'why', 'by'] as const;

/** The seed's initialisation: every weight and bias 1. */
export const SEED_RNN_PARAMS: Readonly<ScalarRnnParams> = Object.freeze({ wxh: 1, whh: 1, bh: 1, why: 1, by: 1 });

/** Options of the scalar RNN. */
export interface ScalarRnnOptions {
  /** f, the hidden activation (default 'tanh'). */
  activation?: ActivationName;
  /** 'sum' (default) adds the per-step losses, 'mean' averages them. */
  reduction?: 'sum' | 'mean';
  /** h_0 (default 0). */
  h0?: number;
}

/** One step of the forward pass. */
export interface ScalarRnnStep {
  t: number;
  x: number;
  target: number;
  hPrev: number;
  a: number;
  h: number;
  y: number;
  /** (y_t - target_t)^2 */
  loss: number;
}

/** The forward pass over a sequence. */
export interface ScalarRnnForward {
  steps: ScalarRnnStep[];
  /** The reduced loss (sum or mean of the per-step losses). */
  loss: number;
  options: Required<ScalarRnnOptions>;
}

/** One step of the backward pass: the local gradients and this step's share of each parameter's gradient. */
export interface BpttStep {
  t: number;
  /** dLoss/dy_t */
  dy: number;
  /** dLoss/dh_t, including what flows back from step t+1 */
  dh: number;
  /** dLoss/da_t */
  da: number;
  /** This step's contribution to each gradient. */
  contribution: ScalarRnnParams;
}

/** The backward pass: accumulated gradients and per-step detail (ordered t = T..1, as computed). */
export interface BpttResult {
  grads: ScalarRnnParams;
  steps: BpttStep[];
}

function fullOptions(o: ScalarRnnOptions): Required<ScalarRnnOptions> {
  const reduction = o.reduction ?? 'sum';
  if (reduction !== 'sum' && reduction !== 'mean') throw new Error(`scalar RNN: reduction '${String(reduction)}' is not 'sum' or 'mean'.`);
  const h0 = o.h0 ?? 0;
  if (!Number.isFinite(h0)) throw new Error(`scalar RNN: h0 must be a finite number, got ${h0}.`);
  return { activation: o.activation ?? 'tanh', reduction, h0 };
}

/** Checks five finite parameters. Usage: `checkScalarParams(p)` */
export function checkScalarParams(p: ScalarRnnParams): void {
  for (const k of SCALAR_RNN_PARAM_NAMES) {
    if (!Number.isFinite(p?.[k])) throw new Error(`scalar RNN: parameter ${k} is ${p?.[k]}; pass finite { wxh, whh, bh, why, by }.`);
  }
}

/**
 * The forward pass on a sequence s_1..s_n: inputs s_1..s_{n-1}, targets s_2..s_n.
 * Usage: `scalarRnnForward(SEED_RNN_PARAMS, [1, 2, 3, 4]).loss`
 */
export function scalarRnnForward(p: ScalarRnnParams, sequence: readonly number[], options: ScalarRnnOptions = {}): ScalarRnnForward {
  checkScalarParams(p);
  if (!Array.isArray(sequence) || sequence.length < 2) {
    throw new Error(`scalarRnnForward: need a sequence of at least 2 numbers (inputs and next-number targets), got ${Array.isArray(sequence) ? sequence.length : typeof sequence}.`);
  }
  sequence.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`scalarRnnForward: sequence[${i}] is ${v}; every entry must be a finite number.`);
  });
  const opts = fullOptions(options);
  const steps: ScalarRnnStep[] = [];
  let h = opts.h0;
  for (let k = 0; k < sequence.length - 1; k++) {
    const x = sequence[k];
    const target = sequence[k + 1];
    const a = p.whh * h + p.wxh * x + p.bh;
    const hNew = activate(opts.activation, a);
    const y = p.why * hNew + p.by;
    steps.push({ t: k + 1, x, target, hPrev: h, a, h: hNew, y, loss: (y - target) ** 2 });
    h = hNew;
  }
  const total = steps.reduce((s, st) => s + st.loss, 0);
  return { steps, loss: opts.reduction === 'mean' ? total / steps.length : total, options: opts };
}

/** The backward pass through time for a forward pass of `p`. Usage: `bpttBackward(p, scalarRnnForward(p, seq)).grads` */
export function bpttBackward(p: ScalarRnnParams, fwd: ScalarRnnForward): BpttResult {
  checkScalarParams(p);
  const scale = fwd.options.reduction === 'mean' ? 1 / fwd.steps.length : 1;
  const grads: ScalarRnnParams = { wxh: 0, whh: 0, bh: 0, why: 0, by: 0 };
  const out: BpttStep[] = [];
  let daNext = 0;
  for (let k = fwd.steps.length - 1; k >= 0; k--) {
    const s = fwd.steps[k];
    const dy = 2 * (s.y - s.target) * scale;
    const dh = dy * p.why + daNext * p.whh;
    const da = dh * activationDerivative(fwd.options.activation, s.a);
    const contribution: ScalarRnnParams = { why: dy * s.h, by: dy, wxh: da * s.x, whh: da * s.hPrev, bh: da };
    for (const name of SCALAR_RNN_PARAM_NAMES) grads[name] += contribution[name];
    out.push({ t: s.t, dy, dh, da, contribution });
    daNext = da;
  }
  return { grads, steps: out };
}

/** p - lr * grads. Usage: `sgdUpdate(p, grads, 0.01)` */
export function sgdUpdate(p: ScalarRnnParams, grads: ScalarRnnParams, lr: number): ScalarRnnParams {
  if (!Number.isFinite(lr) || lr <= 0) throw new Error(`sgdUpdate: learning rate must be a positive number, got ${lr}.`);
  checkScalarParams(p);
  checkScalarParams(grads);
  return {
    wxh: p.wxh - lr * grads.wxh,
    whh: p.whh - lr * grads.whh,
    bh: p.bh - lr * grads.bh,
    why: p.why - lr * grads.why,
    by: p.by - lr * grads.by,
  };
}

/** One epoch of a BPTT training run. */
export interface BpttEpoch {
  epoch: number;
  /** The loss before this epoch's update. */
  loss: number;
  params: ScalarRnnParams;
  grads: ScalarRnnParams;
}

/**
 * Repeats forward, loss, BPTT and update for `epochs` epochs (one sequence per epoch).
 * Returns one row per epoch and the final parameters.
 * Usage: `const run = bpttTrain(SEED_RNN_PARAMS, [1, 2, 3, 4], { epochs: 100, lr: 0.01 })`
 */
export function bpttTrain(
  p0: ScalarRnnParams,
  sequence: readonly number[],
  opts: { epochs: number; lr: number } & ScalarRnnOptions,
): { history: BpttEpoch[]; params: ScalarRnnParams; finalLoss: number } {
  if (!Number.isInteger(opts.epochs) || opts.epochs < 1) throw new Error(`bpttTrain: epochs must be a positive integer, got ${opts.epochs}.`);
  let p: ScalarRnnParams = { ...p0 };
  const history: BpttEpoch[] = [];
  for (let e = 1; e <= opts.epochs; e++) {
    const fwd = scalarRnnForward(p, sequence, opts);
    const { grads } = bpttBackward(p, fwd);
    history.push({ epoch: e, loss: fwd.loss, params: { ...p }, grads });
    p = sgdUpdate(p, grads, opts.lr);
  }
  return { history, params: p, finalLoss: scalarRnnForward(p, sequence, opts).loss };
}
