// The faster wasm kernels (lib/backend/kernels/fast-paths.ts) against the cpu backend: matmul with
// transposed operands (plain, batched, fused with bias and relu), slices, gathers, and the
// data-sharing Identity (tf.clone) that must neither leak nor free shared data early.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { fastWasmKernelStatus, registerFastWasmKernels, restoreNativeWasmKernels } from '../lib/backend/kernels/fast-paths';

afterEach(async () => {
  await tf.setBackend('wasm');
});

/** Values of fn(...inputs) on wasm and on cpu, inputs given as (shape, values) pairs. */
async function onBoth(inputs: { shape: number[]; values: number[]; dtype?: 'float32' | 'int32' }[], fn: (ts: tf.Tensor[]) => tf.Tensor): Promise<{ wasm: number[]; cpu: number[]; shape: number[] }> {
  const run = (): { values: number[]; shape: number[] } =>
    tf.tidy(() => {
      const out = fn(inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? 'float32')));
      return { values: Array.from(out.dataSync()), shape: out.shape };
    });
  await tf.setBackend('wasm');
  const w = run();
  await tf.setBackend('cpu');
  const c = run();
  await tf.setBackend('wasm');
  expect(w.shape).toEqual(c.shape);
  return { wasm: w.values, cpu: c.values, shape: w.shape };
}

function seq(n: number, scale = 0.1): number[] {
  // Deterministic, non-symmetric values.
  return Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale * ((i % 7) + 1));
}

function expectClose(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

describe('registerFastWasmKernels', () => {
  it('serves the five kernels on wasm and is idempotent', () => {
    registerFastWasmKernels();
    registerFastWasmKernels();
    expect(fastWasmKernelStatus()).toEqual({ BatchMatMul: true, _FusedMatMul: true, Slice: true, SplitV: true, Unpack: true, GatherV2: true, MaxPoolGrad: true, Identity: true });
  });

  it('restoreNativeWasmKernels puts wasm\'s kernels back, with the same results', () => {
    const run = (): number[] => tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor2d([1, 0, 2, 1, 1, 3], [3, 2]), true, false).dataSync()));
    const fast = run();
    restoreNativeWasmKernels();
    try {
      expect(fastWasmKernelStatus()).toEqual({ BatchMatMul: false, _FusedMatMul: false, Slice: false, SplitV: false, Unpack: false, GatherV2: false, MaxPoolGrad: false, Identity: false });
      expect(run()).toEqual(fast);
    } finally {
      registerFastWasmKernels();
    }
    expect(fastWasmKernelStatus().BatchMatMul).toBe(true);
    expect(fast).toEqual([12, 18, 16, 22]);
  });
});

describe('matMul with transposed operands', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['aᵀ·b (a dense weight gradient)', [7, 5], [7, 3], true, false],
    ['a·bᵀ (a dense input gradient)', [4, 6], [9, 6], false, true],
    ['aᵀ·bᵀ', [6, 4], [5, 6], true, true],
    ['plain a·b', [3, 8], [8, 2], false, false],
    ['batched aᵀ·b (left to wasm)', [2, 5, 3], [2, 5, 4], true, false],
    ['one-row vector', [1, 5], [3, 5], false, true],
  ];
  for (const [name, sa, sb, ta, tb] of cases) {
    it(name, async () => {
      const na = sa.reduce((x, y) => x * y, 1);
      const nb = sb.reduce((x, y) => x * y, 1);
      const r = await onBoth([{ shape: sa, values: seq(na) }, { shape: sb, values: seq(nb, 0.3) }], ([a, b]) => tf.matMul(a, b, ta, tb));
      expectClose(r.wasm, r.cpu);
      expect(r.wasm.some((v) => v !== 0)).toBe(true);
    });
  }

  it('fused matMul with bias and relu, b transposed', async () => {
    const r = await onBoth(
      [{ shape: [4, 6], values: seq(24) }, { shape: [5, 6], values: seq(30, 0.4) }, { shape: [5], values: [0.1, -0.2, 0.05, 0, -0.01] }],
      ([a, b, bias]) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeB: true, bias, activation: 'relu' }),
    );
    expectClose(r.wasm, r.cpu);
    expect(r.wasm.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(r.wasm.filter((v) => v > 0).length).toBeGreaterThan(0);
  });

  it('dense layer gradients match cpu and free their temporaries', async () => {
    const grads = async (): Promise<number[][]> => {
      const x = tf.tensor2d(seq(8 * 6), [8, 6]);
      const w = tf.variable(tf.tensor2d(seq(6 * 4, 0.5), [6, 4]));
      const before = tf.memory().numTensors;
      const g = tf.variableGrads(() => tf.sum(tf.square(tf.relu(tf.matMul(tf.relu(tf.matMul(x, w)), w, false, true)))), [w]);
      const out = [Array.from(g.grads[w.name].dataSync()), Array.from(g.value.dataSync())];
      tf.dispose([g.value, g.grads[w.name]]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, w]);
      return out;
    };
    await tf.setBackend('wasm');
    const onWasm = await grads();
    await tf.setBackend('cpu');
    const onCpu = await grads();
    await tf.setBackend('wasm');
    expectClose(onWasm[0], onCpu[0]);
    expectClose(onWasm[1], onCpu[1]);
  });
});

describe('slice and gather read from heap views', () => {
  it('contiguous and strided slices of ranks 1 to 5', async () => {
    const shapes: [number[], number[], number[]][] = [
      [[10], [3], [4]],
      [[6, 5], [2, 0], [3, 5]],
      [[6, 5], [1, 2], [4, 2]],
      [[4, 3, 5], [1, 1, 2], [2, 2, 3]],
      [[3, 4, 2, 5], [1, 0, 1, 1], [2, 3, 1, 4]],
      [[2, 3, 2, 3, 4], [1, 1, 0, 1, 2], [1, 2, 2, 2, 2]],
    ];
    for (const [shape, begin, size] of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => i);
      const r = await onBoth([{ shape, values }], ([x]) => tf.slice(x, begin, size));
      expect(r.wasm).toEqual(r.cpu);
      expect(r.shape).toEqual(size);
    }
  });

  it('int32 slices and size -1', async () => {
    const r = await onBoth([{ shape: [5, 4], values: Array.from({ length: 20 }, (_, i) => i * 3), dtype: 'int32' }], ([x]) => tf.slice(x, [2, 1], [-1, 2]));
    expect(r.wasm).toEqual([27, 30, 39, 42, 51, 54]);
    expect(r.cpu).toEqual(r.wasm);
  });

  it('splits (equal and given sizes, any axis) and unstacks like cpu', async () => {
    const values = Array.from({ length: 4 * 6 * 3 }, (_, i) => i * 0.5);
    for (const [split, axis] of [
      [2, 0],
      [[1, 3, 2], 1],
      [3, -1],
      [[2, -1], 1],
    ] as [number | number[], number][]) {
      const r = await onBoth([{ shape: [4, 6, 3], values }], ([x]) => tf.concat(tf.split(x, split, axis).map((p) => tf.reshape(p, [-1])), 0));
      expect(r.wasm).toEqual(r.cpu);
    }
    for (const axis of [0, 1, 2]) {
      const r = await onBoth([{ shape: [4, 6, 3], values }], ([x]) => tf.stack(tf.unstack(x, axis).map((p) => tf.add(p, 1)), 0));
      expect(r.wasm).toEqual(r.cpu);
      expect(r.shape[0]).toBe([4, 6, 3][axis]);
    }
  });

  it('gathers rows, columns and a 2-D index set like cpu', async () => {
    const values = Array.from({ length: 4 * 3 * 5 }, (_, i) => i);
    for (const [axis, idx, idxShape] of [
      [0, [3, 0, 3, 1], [4]],
      [1, [2, 0], [2]],
      [2, [4, 1, 1, 0, 2, 3], [2, 3]],
    ] as [number, number[], number[]][]) {
      const r = await onBoth([{ shape: [4, 3, 5], values }, { shape: idxShape, values: idx, dtype: 'int32' }], ([x, i]) => tf.gather(x, i, axis));
      expect(r.wasm).toEqual(r.cpu);
    }
  });

  it('an out-of-range index throws', () => {
    const x = tf.ones([3, 2]);
    const i = tf.tensor1d([0, 3], 'int32');
    expect(() => tf.gather(x, i)).toThrow(/index value 3 is not in \[0, 2\]/);
    tf.dispose([x, i]);
  });
});

describe('MaxPoolGrad', () => {
  it('equals cpu (ties: the first maximum, as cpu) and, without ties, wasm\'s own kernel; 2x2/2, 3x3/2 same, 3x3/1 pools', async () => {
    const n = 2 * 7 * 6 * 3;
    // Values with ties: many zeros (as after a relu) and repeated values.
    const values = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0 : Math.round(Math.sin(i * 0.9) * 4) / 2));
    const configs: [number, number, 'valid' | 'same'][] = [
      [2, 2, 'valid'],
      [3, 2, 'same'],
      [3, 1, 'valid'],
      [2, 1, 'same'],
    ];
    for (const [f, s, pad] of configs) {
      const grad = (x: tf.Tensor): tf.Tensor => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, f, s, pad), tf.range(1, 1 + tf.maxPool(t as tf.Tensor4D, f, s, pad).size).reshape(tf.maxPool(t as tf.Tensor4D, f, s, pad).shape))))(x);
      const r = await onBoth([{ shape: [2, 7, 6, 3], values }], ([x]) => grad(x));
      expect(r.wasm).toEqual(r.cpu);
      // wasm's own kernel sends a tie to the last maximum, cpu to the first: compare without ties.
      const distinct = values.map((v, i) => v + i * 1e-3);
      const fast = tf.tidy(() => Array.from(grad(tf.tensor(distinct, [2, 7, 6, 3])).dataSync()));
      restoreNativeWasmKernels();
      let native: number[];
      try {
        native = tf.tidy(() => Array.from(grad(tf.tensor(distinct, [2, 7, 6, 3])).dataSync()));
      } finally {
        registerFastWasmKernels();
      }
      // (For 2x2 stride 1 'same', wasm's own kernel pads differently from cpu; ours follows cpu.)
      if (!(f === 2 && s === 1)) expect(fast).toEqual(native);
      expect(fast.filter((v) => v !== 0).length).toBeGreaterThan(10);
    }
  });
});

describe('Identity shares data', () => {
  it('a clone reads the same values, outlives its source, and frees the data with the last holder', () => {
    const wasm = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const ids = wasm.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    expect(wasm.numDataIds()).toBe(ids + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(wasm.numDataIds()).toBe(ids);
  });

  it('a variable assigned from a clone keeps its value when the clone is disposed', () => {
    const v = tf.variable(tf.zeros([2]));
    const c = tf.clone(tf.tensor1d([5, 6]));
    v.assign(c);
    c.dispose();
    expect(Array.from(v.dataSync())).toEqual([5, 6]);
    v.dispose();
  });
});
