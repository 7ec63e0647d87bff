/**
 * The GRU cell with plain numbers, every gate exposed. The seed's GRU slide is partly lost; it
 * keeps the update gate and the state update h_t = (1 - z_t) ∘ h_{t-1} + z_t ∘ h~_t (Cho et al.,
 * 2014: z weights the NEW candidate). The rest is the standard GRU:
 *   z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)                       update gate
 *   r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)                       reset gate
 *   h~_t = tanh(W_ih x_t + b_ih + W_hh (r_t ∘ h_{t-1}) + b_hh)          candidate, reset BEFORE the matmul
 *   h_t = (1 - z_t) ∘ h_{t-1} + z_t ∘ h~_t
 * "Reset before the matmul" is the original GRU and the only one tfjs implements (tfjs's GRUCell
 * throws on resetAfter). `resetAfter: true` gives PyTorch's / Keras 2's default instead:
 *   h~_t = tanh(W_ih x_t + b_ih + r_t ∘ (W_hh h_{t-1} + b_hh)).
 * tfjs (like Keras) writes the update the other way round, h_t = z' ∘ h_{t-1} + (1 - z') ∘ h~_t;
 * since 1 - σ(a) = σ(-a), its z' gate is ours with every weight negated (see tfjs-weights.ts).
 *
 * Usage:
 *   const w = randomGruWeights({ inputs: 2, units: 3 }, makeRng(1));
 *   const s = gruStep(w, [0.5, -1], [0, 0, 0]); // s.z, s.r, s.hTilde, s.h
 */
import type { Rng } from '../random';
import { checkSequence, constantGate, gatePreactivation, gateSizes, randomGate, type CellSizes, type GateWeights } from './gate';
import { addVec, checkVector, filledVector, matVec, mulVec, sigmoid, type Vector } from './math';

/** The two gates and the candidate of a GRU cell. */
export interface GruWeights {
  update: GateWeights;
  reset: GateWeights;
  candidate: GateWeights;
}

/** GRU variant. */
export interface GruOptions {
  /** Apply the reset gate after the recurrent matmul (PyTorch, Keras 2 default); default false (tfjs, original GRU). */
  resetAfter?: boolean;
}

/** One GRU step, every gate exposed. */
export interface GruStep {
  t: number;
  x: Vector;
  hPrev: Vector;
  /** Update gate z_t: the share of the new candidate in h_t. */
  z: Vector;
  /** Reset gate r_t: how much of h_{t-1} the candidate sees. */
  r: Vector;
  /** Candidate h~_t. */
  hTilde: Vector;
  h: Vector;
}

/** The GRU gate names in tfjs's (and Keras's) packed-kernel order: z, r, h. */
export const GRU_GATES = ['update', 'reset', 'candidate'] as const;

/** Reads and checks the sizes of GRU weights. Usage: `gruSizes(w).inputs` */
export function gruSizes(w: GruWeights): CellSizes {
  if (!w) throw new Error('GRU weights: pass { update, reset, candidate } gate weights.');
  let sizes: CellSizes | undefined;
  for (const name of GRU_GATES) {
    if (!w[name]) throw new Error(`GRU weights: gate '${name}' is missing; pass { update, reset, candidate }.`);
    const s = gateSizes(w[name], `GRU ${name}`);
    if (sizes && (s.inputs !== sizes.inputs || s.units !== sizes.units)) {
      throw new Error(`GRU weights: gate '${name}' is ${s.units}x${s.inputs} but the update gate is ${sizes.units}x${sizes.inputs}; give every gate the same sizes.`);
    }
    sizes = s;
  }
  return sizes as CellSizes;
}

/** GRU weights all equal to `value`. Usage: `constantGruWeights({ inputs: 1, units: 1 }, 1)` */
export function constantGruWeights(s: CellSizes, value: number): GruWeights {
  return {
    update: constantGate(s.inputs, s.units, value),
    reset: constantGate(s.inputs, s.units, value),
    candidate: constantGate(s.inputs, s.units, value),
  };
}

/** GRU weights uniform in [-scale, scale). Usage: `randomGruWeights({ inputs: 3, units: 4 }, makeRng(1))` */
export function randomGruWeights(s: CellSizes, rng: Rng, scale = 0.5): GruWeights {
  return {
    update: randomGate(s.inputs, s.units, rng, scale),
    reset: randomGate(s.inputs, s.units, rng, scale),
    candidate: randomGate(s.inputs, s.units, rng, scale),
  };
}

/** One GRU step. Usage: `gruStep(w, x, hPrev).z` */
export function gruStep(w: GruWeights, x: Vector, hPrev: Vector, opts: GruOptions = {}, t = 1): GruStep {
  const s = gruSizes(w);
  checkVector(x, s.inputs, `gruStep: x at step ${t}`);
  checkVector(hPrev, s.units, `gruStep: hPrev at step ${t}`);
  const z = gatePreactivation(w.update, x, hPrev).map(sigmoid);
  const r = gatePreactivation(w.reset, x, hPrev).map(sigmoid);
  const cand = w.candidate;
  const fromInput = addVec(matVec(cand.Wx, x), cand.bx);
  const fromState = opts.resetAfter
    ? mulVec(r, addVec(matVec(cand.Wh, hPrev), cand.bh))
    : addVec(matVec(cand.Wh, mulVec(r, hPrev)), cand.bh);
  const hTilde = addVec(fromInput, fromState).map(Math.tanh);
  const h = hPrev.map((hp, k) => (1 - z[k]) * hp + z[k] * hTilde[k]);
  return { t, x: x.slice(), hPrev: hPrev.slice(), z, r, hTilde, h };
}

/** Runs a GRU over a sequence from h0 = 0 (or the given one). Usage: `gruForward(w, [[1], [2]])` */
export function gruForward(w: GruWeights, xs: Vector[], h0?: Vector, opts: GruOptions = {}): GruStep[] {
  const s = gruSizes(w);
  checkSequence(xs, s.inputs, 'gruForward');
  let h = h0 ?? filledVector(s.units, () => 0);
  const steps: GruStep[] = [];
  xs.forEach((x, k) => {
    const step = gruStep(w, x, h, opts, k + 1);
    steps.push(step);
    h = step.h;
  });
  return steps;
}
