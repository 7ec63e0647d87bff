// The oneDNN kernels (native/, lib/backend/onednn) against the wasm kernels they replace, in one
// process: each case runs with the native kernels on and off (setOnednnActive) and must agree to
// 1e-4 relative, forward and gradients, over the course's shapes and odd ones; a short CNN fit
// gives the same losses both ways; no tensor leaks; wrong shapes are JavaScript errors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBackend, describeBackend } from '../lib/backend';
import { loadOnednnAddon, nativeAllowedFromEnv, onednnActive, onednnCalls, setOnednnActive } from '../lib/backend/onednn';
import { threadsFromEnv } from '../lib/backend/threads';
import { makeRng } from '../lib/random';

const TOL = 1e-4;
const loaded = loadOnednnAddon();
// Decided when the file is collected (before test/setup.ts starts the backend).
const enabled = loaded.addon !== undefined && nativeAllowedFromEnv();

/** max |a - b| / max |b|. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    err = Math.max(err, Math.abs(a[i] - b[i]));
  }
  return scale === 0 ? err : err / scale;
}

function randn(seed: number, shape: number[]): tf.Tensor {
  const rng = makeRng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return tf.tensor(v, shape);
}

/** Runs fn with the native kernels on and off; returns both outputs' values (native first). */
function bothWays(fn: () => tf.Tensor[]): { native: Float32Array[]; wasm: Float32Array[] } {
  const run = (): Float32Array[] => tf.tidy(() => fn().map((t) => t.dataSync() as Float32Array));
  const was = setOnednnActive(true);
  try {
    const native = run();
    setOnednnActive(false);
    const wasm = run();
    return { native, wasm };
  } finally {
    setOnednnActive(was);
  }
}

function nativeCount(kernel: string): number {
  return onednnCalls()[kernel]?.native ?? 0;
}

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dilations?: number | [number, number];
}

// The seed CNN's three convolutions (batch 4 to keep the file short), then odd shapes.
const CONV_CASES: ConvCase[] = [
  { name: 'nb05 conv1 28x28x1 -> 64, 7x7 same', x: [4, 28, 28, 1], f: [7, 7, 1, 64], strides: 1, pad: 'same' },
  { name: 'nb05 conv2 14x14x64 -> 128, 3x3 same', x: [4, 14, 14, 64], f: [3, 3, 64, 128], strides: 1, pad: 'same' },
  { name: 'nb05 conv3 7x7x128 -> 128, 3x3 same', x: [4, 7, 7, 128], f: [3, 3, 128, 128], strides: 1, pad: 'same' },
  { name: 'batch 1, one channel in and out', x: [1, 6, 6, 1], f: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { name: 'non-square input and filter', x: [2, 5, 9, 3], f: [2, 3, 3, 4], strides: 1, pad: 'same' },
  { name: 'stride 2, same (odd size)', x: [2, 9, 7, 3], f: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: 'strides [1, 2], valid (unused last column)', x: [2, 8, 10, 2], f: [3, 2, 2, 3], strides: [1, 2], pad: 'valid' },
  { name: 'stride 3, valid (unused rows)', x: [1, 11, 11, 4], f: [3, 3, 4, 2], strides: 3, pad: 'valid' },
  { name: 'explicit padding', x: [2, 6, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { name: 'numeric padding 1, stride 2', x: [3, 8, 8, 2], f: [4, 4, 2, 6], strides: 2, pad: 1 },
  { name: 'filter as large as the input', x: [2, 5, 5, 3], f: [5, 5, 3, 2], strides: 1, pad: 'valid' },
];

const DILATED_CASES: ConvCase[] = [
  { name: 'dilation 2, same', x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same', dilations: 2 },
  { name: 'dilations [2, 3], valid, non-square', x: [1, 10, 12, 2], f: [2, 3, 2, 3], strides: 1, pad: 'valid', dilations: [2, 3] },
];

describe.runIf(enabled)('oneDNN kernels (addon loaded)', () => {
  let before: number;
  beforeAll(() => {
    before = tf.memory().numTensors;
  });
  afterAll(() => {
    expect(onednnActive()).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says so in describeBackend, with the thread count DL_THREADS/DL_WASM_THREADS gives', () => {
    const info = currentBackend();
    expect(info?.name).toBe('wasm');
    expect(describeBackend(info!)).toMatch(new RegExp(`Native kernels: oneDNN \\d+\\.\\d+\\.\\d+ \\(\\w+, ${threadsFromEnv().onednn} threads?\\)`));
  });

  for (const c of CONV_CASES) {
    it(`Conv2D and both gradients: ${c.name}`, () => {
      const calls = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'].map(nativeCount);
      const r = bothWays(() => {
        const x = randn(1, c.x);
        const w = randn(2, c.f);
        const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad);
        const weight = randn(3, y.shape);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), weight)))([x, w]);
        return [y, dx, dw];
      });
      for (let i = 0; i < 3; i++) expect(relError(r.native[i], r.wasm[i]), ['forward', 'dx', 'dW'][i]).toBeLessThan(TOL);
      const after = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'].map(nativeCount);
      after.forEach((n, i) => expect(n, 'served natively').toBeGreaterThan(calls[i]));
    });
  }

  for (const c of DILATED_CASES) {
    it(`Conv2D forward: ${c.name}`, () => {
      const r = bothWays(() => [tf.conv2d(randn(4, c.x) as tf.Tensor4D, randn(5, c.f) as tf.Tensor4D, c.strides, c.pad, 'NHWC', c.dilations)]);
      expect(relError(r.native[0], r.wasm[0])).toBeLessThan(TOL);
    });
  }

  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
    it(`FusedConv2D with bias and ${activation}, and its gradients`, () => {
      const before = nativeCount('FusedConv2D');
      const r = bothWays(() => {
        const x = randn(6, [2, 8, 6, 3]);
        const w = randn(7, [3, 3, 3, 4]);
        const b = randn(8, [4]);
        const f = (a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor): tf.Tensor =>
          tf.fused.conv2d({ x: a as tf.Tensor4D, filter: k as tf.Tensor4D, strides: 1, pad: 'same', bias, activation, leakyreluAlpha: 0.3 });
        const y = f(x, w, b);
        const grads = tf.grads((a: tf.Tensor, k: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.square(f(a, k, bias))))([x, w, b]);
        return [y, ...grads];
      });
      for (let i = 0; i < 4; i++) expect(relError(r.native[i], r.wasm[i]), ['y', 'dx', 'dW', 'db'][i]).toBeLessThan(TOL);
      expect(nativeCount('FusedConv2D')).toBeGreaterThan(before);
    });
  }

  const MATMULS: Array<{ name: string; a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { name: 'Dense forward 32x784 . 784x300', a: [32, 784], b: [784, 300], ta: false, tb: false },
    { name: 'Dense dW = xT . dy', a: [32, 784], b: [32, 300], ta: true, tb: false },
    { name: 'Dense dx = dy . WT', a: [32, 300], b: [784, 300], ta: false, tb: true },
    { name: 'above the one-thread limit (38 M multiply-adds) 64x2304 . 2304x256', a: [64, 2304], b: [2304, 256], ta: false, tb: false },
    { name: 'both transposed, non-square', a: [7, 5], b: [3, 7], ta: true, tb: true },
    { name: 'one row, one column', a: [1, 9], b: [9, 1], ta: false, tb: false },
    { name: 'batched', a: [3, 4, 6], b: [3, 6, 5], ta: false, tb: false },
    { name: 'batch broadcast (b shared)', a: [2, 3, 4, 6], b: [6, 5], ta: false, tb: false },
    { name: 'batch broadcast, transposed a', a: [1, 6, 4], b: [3, 6, 5], ta: true, tb: false },
  ];
  for (const m of MATMULS) {
    it(`MatMul: ${m.name}`, () => {
      const before = nativeCount('BatchMatMul');
      const r = bothWays(() => [tf.matMul(randn(9, m.a), randn(10, m.b), m.ta, m.tb)]);
      expect(relError(r.native[0], r.wasm[0])).toBeLessThan(TOL);
      expect(nativeCount('BatchMatMul')).toBeGreaterThan(before);
    });
  }

  for (const activation of ['linear', 'relu', 'elu', 'sigmoid', 'leakyrelu', 'relu6'] as const) {
    it(`_FusedMatMul with bias and ${activation}, and its gradients`, () => {
      const before = nativeCount('_FusedMatMul');
      const r = bothWays(() => {
        const a = randn(11, [16, 20]);
        const b = randn(12, [20, 8]);
        const bias = randn(13, [8]);
        const f = (x: tf.Tensor, w: tf.Tensor, c: tf.Tensor): tf.Tensor => tf.fused.matMul({ a: x, b: w, bias: c, activation, leakyreluAlpha: 0.1 });
        return [f(a, b, bias), ...tf.grads((x: tf.Tensor, w: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(f(x, w, c))))([a, b, bias])];
      });
      for (let i = 0; i < 4; i++) expect(relError(r.native[i], r.wasm[i]), ['y', 'da', 'db', 'dbias'][i]).toBeLessThan(TOL);
      expect(nativeCount('_FusedMatMul')).toBeGreaterThan(before);
    });
  }

  const POOLS: Array<{ name: string; x: number[]; size: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' }> = [
    { name: 'nb05 pool 28x28x64, 2x2', x: [4, 28, 28, 64], size: 2, strides: 2, pad: 'valid' },
    { name: 'odd size, same, 3x3 stride 2', x: [2, 7, 9, 3], size: 3, strides: 2, pad: 'same' },
    { name: 'batch 1, one channel, overlapping windows', x: [1, 6, 5, 1], size: [3, 2], strides: 1, pad: 'valid' },
  ];
  for (const p of POOLS) {
    it(`MaxPoolGrad: ${p.name}`, () => {
      const before = nativeCount('MaxPoolGrad');
      const r = bothWays(() => {
        const x = randn(14, p.x);
        const f = (a: tf.Tensor): tf.Tensor => tf.maxPool(a as tf.Tensor4D, p.size, p.strides, p.pad);
        const w = randn(15, f(x).shape);
        return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(x)];
      });
      expect(relError(r.native[0], r.wasm[0])).toBeLessThan(TOL);
      expect(nativeCount('MaxPoolGrad')).toBeGreaterThan(before);
    });
  }

  it('bias add and bias gradient (Add of [..., C] and [C], Sum over the leading axes), keepDims, both operand orders', () => {
    const adds = nativeCount('Add');
    const sums = nativeCount('Sum');
    const r = bothWays(() => {
      const x = randn(16, [8, 14, 14, 16]);
      const b = randn(17, [16]);
      const b2 = randn(18, [1, 1, 16]);
      return [tf.add(x, b), tf.add(b2, x), tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1], true), tf.sum(x, [1, 0]), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.add(p, q))))([x, b])];
    });
    for (let i = 0; i < r.native.length; i++) expect(relError(r.native[i], r.wasm[i]), `output ${i}`).toBeLessThan(TOL);
    expect(nativeCount('Add')).toBeGreaterThan(adds);
    expect(nativeCount('Sum')).toBeGreaterThan(sums);
    // Shapes it leaves to wasm: same-shape adds, inner-axis sums, small tensors.
    const same = nativeCount('Add');
    tf.dispose(tf.tidy(() => [tf.add(randn(19, [64, 100]), randn(20, [64, 100])), tf.sum(randn(21, [64, 100]), 1), tf.add(randn(22, [4, 3]), randn(23, [3]))]));
    expect(nativeCount('Add')).toBe(same);
  });

  it("softmax's row Sub ([R, C] - [R, 1]) and a softmax cross-entropy gradient", () => {
    const subs = nativeCount('Sub');
    const r = bothWays(() => {
      const x = randn(24, [32, 10]);
      const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
      return [tf.sub(x, tf.max(x, 1, true)), tf.sub(randn(25, [2, 3, 5]), randn(26, [2, 3, 1])), tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, z))(x)];
    });
    for (let i = 0; i < r.native.length; i++) expect(relError(r.native[i], r.wasm[i]), `output ${i}`).toBeLessThan(TOL);
    expect(nativeCount('Sub')).toBeGreaterThan(subs);
  });

  it('a short CNN fit gives the same losses with and without the addon, and leaks no tensor', async () => {
    const build = (): tf.LayersModel => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }));
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 16, activation: 'relu' }));
      m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
      return m;
    };
    const x = randn(20, [48, 12, 12, 1]);
    const y = tf.tensor1d(Array.from({ length: 48 }, (_, i) => i % 4), 'float32');
    const reference = build();
    const initial = reference.getWeights().map((w) => w.clone());
    const fitOnce = async (active: boolean): Promise<number[]> => {
      const was = setOnednnActive(active);
      try {
        const start = tf.memory().numTensors;
        const model = build();
        model.setWeights(initial);
        const optimizer = tf.train.adam(0.01);
        model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
        const h = await model.fit(x, y, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
        model.dispose();
        optimizer.dispose();
        expect(tf.memory().numTensors - start, 'tensors left by fit').toBe(0);
        return h.history.loss as number[];
      } finally {
        setOnednnActive(was);
      }
    };
    const conv = nativeCount('FusedConv2D') + nativeCount('Conv2D');
    const native = await fitOnce(true);
    expect(nativeCount('FusedConv2D') + nativeCount('Conv2D')).toBeGreaterThan(conv);
    const wasm = await fitOnce(false);
    expect(native.length).toBe(4);
    expect(native[3]).toBeLessThan(native[0]);
    expect(relError(native, wasm)).toBeLessThan(TOL);
    tf.dispose([x, y, ...initial]);
    reference.dispose();
  });

  it('rejects wrong shapes with JavaScript errors, never a crash', () => {
    const addon = loaded.addon!;
    const good = [1, 4, 4, 1, 3, 3, 1, 4, 4, 1, 1, 1, 1, 1, 1, 1, 1];
    const x = new Float32Array(16);
    const w = new Float32Array(9);
    const y = new Float32Array(16);
    expect(() => addon.conv2d(x, w, null, y, good, 0, 0)).not.toThrow();
    expect(() => addon.conv2d(new Float32Array(15), w, null, y, good, 0, 0)).toThrow(/conv2d input has 15 elements but its shape needs 16/);
    expect(() => addon.conv2d(x, w, new Float32Array(2), y, good, 0, 0)).toThrow(/bias has 2 elements/);
    expect(() => addon.conv2d(x, w, null, y, good.slice(0, 16), 0, 0)).toThrow(/must have 17 numbers/);
    const badOut = [...good];
    badOut[7] = 5;
    expect(() => addon.conv2d(x, w, null, new Float32Array(20), badOut, 0, 0)).toThrow(/output 5x4 does not follow/);
    expect(() => addon.conv2d(x, w, null, y, good, 9, 0)).toThrow(/unknown activation/);
    expect(() => addon.conv2d(new Int32Array(16) as unknown as Float32Array, w, null, y, good, 0, 0)).toThrow(TypeError);
    expect(() => addon.conv2dBackpropFilter(x, y, new Float32Array(8), good)).toThrow(/dw has 8 elements/);
    expect(() => addon.matmul(new Float32Array(6), new Float32Array(6), null, new Float32Array(4), [1, 1, 2, 3, 2, 0, 0], 0, 0)).not.toThrow();
    expect(() => addon.matmul(new Float32Array(6), new Float32Array(5), null, new Float32Array(4), [1, 1, 2, 3, 2, 0, 0], 0, 0)).toThrow(/matmul b has 5 elements/);
    expect(() => addon.matmul(new Float32Array(12), new Float32Array(18), null, new Float32Array(12), [2, 3, 2, 3, 2, 0, 0], 0, 0)).toThrow(/do not broadcast/);
    expect(() => addon.setThreads(0)).toThrow(/from 1 to 1024/);
    expect(() => addon.maxPoolGrad(new Float32Array(16), new Float32Array(4), new Float32Array(16), [1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0])).not.toThrow();
    expect(() => addon.maxPoolGrad(new Float32Array(16), new Float32Array(3), new Float32Array(16), [1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 0, 0])).toThrow(/maxPoolGrad dy has 3 elements/);
    expect(() => addon.maxPoolGrad(new Float32Array(16), new Float32Array(9), new Float32Array(16), [1, 4, 4, 1, 2, 2, 3, 3, 2, 2, 0, 0])).toThrow(/last window starts outside/);
    expect(() => addon.sumRows(new Float32Array(6), new Float32Array(2), [2, 3])).toThrow(/sumRows out has 2 elements/);
    expect(() => addon.subColumn(new Float32Array(6), new Float32Array(3), new Float32Array(6), [2, 3])).toThrow(/subColumn column has 3 elements/);
    expect(() => addon.addRow(new Float32Array(6), new Float32Array(3), new Float32Array(6), [2, -3])).toThrow(/at least 1/);
    // Through tfjs: a dy that does not fit the convolution is refused before any native call.
    const dy = tf.zeros([1, 3, 4, 2]);
    const filter = tf.zeros([3, 3, 1, 2]);
    expect(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { inputShape: [1, 4, 4, 1], strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as tf.NamedAttrMap)).toThrow(
      /dy has shape \[1, 3, 4, 2\] but the convolution's output has shape \[1, 4, 4, 2\]/,
    );
    expect(() => tf.tidy(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 2])))).toThrow(/inner dimensions|inner shapes/);
    tf.dispose([dy, filter]);
  });
});

describe.runIf(!enabled)('without the oneDNN addon', () => {
  it('is only without it where CI does not build it, or with DL_NATIVE=0', () => {
    // .ci/run installs libdnnl-dev and g++ and builds the addon: there it must load.
    if (process.env.CI === 'true' && nativeAllowedFromEnv()) expect(loaded.addon === undefined ? loaded.reason : 'loaded').toBe('loaded');
    expect(onednnCalls()).toEqual({});
  });

  it('describeBackend says why in one line', () => {
    const info = currentBackend();
    expect(info?.native).toMatch(/^(off \(DL_NATIVE=0\)|none: the oneDNN addon)/);
    expect(describeBackend(info!).split('\n').filter((l) => l.startsWith('Native kernels:'))).toHaveLength(1);
  });
});

describe('settings', () => {
  it('DL_THREADS sizes both pools (wasm at most 4), DL_WASM_THREADS only wasm, else one per core', () => {
    expect(threadsFromEnv({}, 2)).toEqual({ onednn: 2, wasm: 2 });
    expect(threadsFromEnv({}, 8)).toEqual({ onednn: 8, wasm: 4 });
    expect(threadsFromEnv({ DL_THREADS: '3' }, 2)).toEqual({ onednn: 3, wasm: 3 });
    expect(threadsFromEnv({ DL_THREADS: '6' }, 2)).toEqual({ onednn: 6, wasm: 4 });
    expect(threadsFromEnv({ DL_WASM_THREADS: '1' }, 2)).toEqual({ onednn: 1, wasm: 1 });
    expect(threadsFromEnv({ DL_THREADS: '2', DL_WASM_THREADS: '1' }, 2)).toEqual({ onednn: 2, wasm: 1 });
    expect(() => threadsFromEnv({ DL_THREADS: 'two' }, 2)).toThrow(/DL_THREADS=two is not a thread count/);
    expect(() => threadsFromEnv({ DL_WASM_THREADS: '5' }, 2)).toThrow(/DL_WASM_THREADS=5 is not a thread count: use a whole number from 1 to 4/);
  });

  it('DL_NATIVE is 0 or 1 (or unset); anything else is an error naming the fix', () => {
    expect(nativeAllowedFromEnv({})).toBe(true);
    expect(nativeAllowedFromEnv({ DL_NATIVE: '1' })).toBe(true);
    expect(nativeAllowedFromEnv({ DL_NATIVE: '0' })).toBe(false);
    expect(nativeAllowedFromEnv({ DL_NATIVE: ' off ' })).toBe(false);
    expect(() => nativeAllowedFromEnv({ DL_NATIVE: 'maybe' })).toThrow(/DL_NATIVE=maybe is not a switch: use 0 .* or 1/);
  });
});
