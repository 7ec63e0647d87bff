/**
 * One gate (or the candidate) of a gated cell, written the way the seed writes it:
 * `W_x x + b_x + W_h h + b_h` with separate input and recurrent biases (PyTorch's layout).
 * tfjs keeps one bias per gate; the mapping to tfjs adds the two.
 *
 * Usage: `const g = constantGate(1, 1, 1); gatePreactivation(g, [1], [0]) // [3]`
 */
import type { Rng } from '../random';
import { addVec, checkMatrix, checkSize, checkVector, filledMatrix, filledVector, matVec, type Matrix, type Vector } from './math';

/** Weights of one gate: `Wx` is units x inputs, `Wh` is units x units, biases have `units` entries. */
export interface GateWeights {
  Wx: Matrix;
  Wh: Matrix;
  bx: Vector;
  bh: Vector;
}

/** The sizes of a cell. */
export interface CellSizes {
  /** Features per time step. */
  inputs: number;
  /** Hidden units. */
  units: number;
}

/** Reads the sizes of a gate and checks every array; throws naming `what` on a mismatch. */
export function gateSizes(g: GateWeights, what: string): CellSizes {
  if (!g || !Array.isArray(g.Wx) || g.Wx.length === 0 || !Array.isArray(g.Wx[0])) {
    throw new Error(`${what}.Wx must be a units x inputs number[][] (one row per unit).`);
  }
  const units = g.Wx.length;
  const inputs = g.Wx[0].length;
  checkMatrix(g.Wx, units, inputs, `${what}.Wx`);
  checkMatrix(g.Wh, units, units, `${what}.Wh`);
  checkVector(g.bx, units, `${what}.bx`);
  checkVector(g.bh, units, `${what}.bh`);
  return { inputs, units };
}

/** `Wx x + bx + Wh h + bh`. Usage: `gatePreactivation(gate, x, hPrev)` */
export function gatePreactivation(g: GateWeights, x: Vector, h: Vector): Vector {
  return addVec(matVec(g.Wx, x), g.bx, matVec(g.Wh, h), g.bh);
}

/** A gate whose every weight and bias is `value` (the seed's examples use 1). Usage: `constantGate(1, 1, 1)` */
export function constantGate(inputs: number, units: number, value: number): GateWeights {
  checkSize(inputs, 'inputs');
  checkSize(units, 'units');
  return {
    Wx: filledMatrix(units, inputs, () => value),
    Wh: filledMatrix(units, units, () => value),
    bx: filledVector(units, () => value),
    bh: filledVector(units, () => value),
  };
}

/** A gate with weights drawn uniformly from [-scale, scale). Usage: `randomGate(3, 4, makeRng(1), 0.5)` */
export function randomGate(inputs: number, units: number, rng: Rng, scale = 0.5): GateWeights {
  checkSize(inputs, 'inputs');
  checkSize(units, 'units');
  const u = (): number => (2 * rng.uniform() - 1) * scale;
  return {
    Wx: filledMatrix(units, inputs, u),
    Wh: filledMatrix(units, units, u),
    bx: filledVector(units, u),
    bh: filledVector(units, u),
  };
}

/** A uniform [-scale, scale) matrix. Usage: `randomMatrix(2, 3, makeRng(1))` */
export function randomMatrix(rows: number, cols: number, rng: Rng, scale = 0.5): Matrix {
  checkSize(rows, 'rows');
  checkSize(cols, 'cols');
  return filledMatrix(rows, cols, () => (2 * rng.uniform() - 1) * scale);
}

/** A uniform [-scale, scale) vector. Usage: `randomVector(3, makeRng(1))` */
export function randomVector(n: number, rng: Rng, scale = 0.5): Vector {
  checkSize(n, 'length');
  return filledVector(n, () => (2 * rng.uniform() - 1) * scale);
}

/** Checks every step of a sequence has `inputs` features. */
export function checkSequence(xs: Vector[], inputs: number, what: string): void {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${what}: the sequence is empty; pass at least one time step (an array of number[]).`);
  xs.forEach((x, t) => checkVector(x, inputs, `${what}: step ${t + 1}`));
}
