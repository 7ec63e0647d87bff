/**
 * Plain-number vector helpers for the hand-written recurrent cells: no tensors, so every
 * intermediate value can be printed. Vectors are `number[]`, matrices are row-major
 * `number[][]` with one row per output unit (so `W x` is `matVec(W, x)`).
 *
 * Usage: `const a = addVec(matVec(W, x), b); const h = a.map(Math.tanh);`
 */

/** A row-major matrix: `rows` arrays of equal length. */
export type Matrix = number[][];
/** A plain vector. */
export type Vector = number[];

/** The activations the hand-written cells understand. */
export type ActivationName = 'tanh' | 'sigmoid' | 'linear' | 'relu';

/** The logistic sigmoid 1 / (1 + e^-x). Usage: `sigmoid(3) // 0.9526` */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Applies a named activation to one number. Usage: `activate('tanh', 2) // 0.9640` */
export function activate(name: ActivationName, x: number): number {
  switch (name) {
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'linear':
      return x;
    case 'relu':
      return x > 0 ? x : 0;
    default:
      throw new Error(`activate: unknown activation '${String(name)}'; use 'tanh', 'sigmoid', 'linear' or 'relu'.`);
  }
}

/**
 * Derivative of a named activation written in terms of its input `a` (pre-activation).
 * Usage: `activationDerivative('tanh', 0) // 1`
 */
export function activationDerivative(name: ActivationName, a: number): number {
  switch (name) {
    case 'tanh': {
      const t = Math.tanh(a);
      return 1 - t * t;
    }
    case 'sigmoid': {
      const s = sigmoid(a);
      return s * (1 - s);
    }
    case 'linear':
      return 1;
    case 'relu':
      return a > 0 ? 1 : 0;
    default:
      throw new Error(`activationDerivative: unknown activation '${String(name)}'; use 'tanh', 'sigmoid', 'linear' or 'relu'.`);
  }
}

/** Checks that `m` is a rows x cols matrix of finite numbers; throws naming `what` otherwise. */
export function checkMatrix(m: Matrix, rows: number, cols: number, what: string): void {
  if (!Array.isArray(m) || m.length !== rows) {
    throw new Error(`${what}: expected ${rows} rows (one per unit), got ${Array.isArray(m) ? m.length : typeof m}; pass a ${rows}x${cols} number[][].`);
  }
  for (let r = 0; r < rows; r++) {
    const row = m[r];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new Error(`${what}: row ${r} has ${Array.isArray(row) ? row.length : typeof row} entries, expected ${cols}; pass a ${rows}x${cols} number[][].`);
    }
    for (const v of row) {
      if (!Number.isFinite(v)) throw new Error(`${what}: row ${r} holds ${v}; every weight must be a finite number.`);
    }
  }
}

/** Checks that `v` is a vector of `n` finite numbers; throws naming `what` otherwise. */
export function checkVector(v: Vector, n: number, what: string): void {
  if (!Array.isArray(v) || v.length !== n) {
    throw new Error(`${what}: expected a vector of length ${n}, got ${Array.isArray(v) ? `length ${v.length}` : typeof v}.`);
  }
  for (const x of v) {
    if (!Number.isFinite(x)) throw new Error(`${what}: holds ${x}; every entry must be a finite number.`);
  }
}

/** Matrix-vector product `W x`. Usage: `matVec([[1, 2]], [3, 4]) // [11]` */
export function matVec(w: Matrix, x: Vector): Vector {
  return w.map((row, r) => {
    if (row.length !== x.length) {
      throw new Error(`matVec: row ${r} has ${row.length} columns but the vector has ${x.length} entries; the sizes must agree.`);
    }
    let s = 0;
    for (let c = 0; c < row.length; c++) s += row[c] * x[c];
    return s;
  });
}

/** Element-wise sum of vectors of one length. Usage: `addVec([1], [2], [3]) // [6]` */
export function addVec(...vs: Vector[]): Vector {
  if (vs.length === 0) return [];
  const n = vs[0].length;
  for (const v of vs) {
    if (v.length !== n) throw new Error(`addVec: vectors of lengths ${vs.map((u) => u.length).join(', ')} cannot be added; give them one length.`);
  }
  const out = new Array<number>(n).fill(0);
  for (const v of vs) for (let i = 0; i < n; i++) out[i] += v[i];
  return out;
}

/** Element-wise (Hadamard) product. Usage: `mulVec([1, 2], [3, 4]) // [3, 8]` */
export function mulVec(a: Vector, b: Vector): Vector {
  if (a.length !== b.length) throw new Error(`mulVec: lengths ${a.length} and ${b.length} differ; give them one length.`);
  return a.map((v, i) => v * b[i]);
}

/** Transpose of a row-major matrix. Usage: `transpose([[1, 2]]) // [[1], [2]]` */
export function transpose(m: Matrix): Matrix {
  if (m.length === 0) return [];
  const cols = m[0].length;
  const out: Matrix = [];
  for (let c = 0; c < cols; c++) out.push(m.map((row) => row[c]));
  return out;
}

/** A rows x cols matrix filled by `fill(r, c)`. Usage: `filledMatrix(2, 3, () => 1)` */
export function filledMatrix(rows: number, cols: number, fill: (r: number, c: number) => number): Matrix {
  const out: Matrix = [];
  for (let r = 0; r < rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < cols; c++) row.push(fill(r, c));
    out.push(row);
  }
  return out;
}

/** A vector of length n filled by `fill(i)`. Usage: `filledVector(3, () => 0)` */
export function filledVector(n: number, fill: (i: number) => number): Vector {
  const out: Vector = [];
  for (let i = 0; i < n; i++) out.push(fill(i));
  return out;
}

/** Checks a size is a positive integer. Usage: `checkSize(units, 'units')` */
export function checkSize(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got ${n}.`);
}
