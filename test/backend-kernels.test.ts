// The kernels lib/backend/kernels/index.ts supplies for wasm, checked against the cpu backend (the
// reference), directly and through gradients, plus a few training steps of every conv/embedding
// layer on wasm with no tensor leak.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MISSING_WASM_KERNELS,
  OVERRIDDEN_WASM_KERNELS,
  registerMissingWasmKernels,
  wasmKernelStatus,
} from '../lib/backend/kernels';
import { makeRng, type Rng } from '../lib/random';
import { conv2DBackpropInput } from '../lib/backend/kernels/conv2d-backprop';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

const TOL = 1e-4;

/** max |a - b| / max |b|: the relative error of a against the reference b. */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let err = 0;
  for (let i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  return scale === 0 ? err : err / scale;
}

/** Plain numbers, so the same inputs can be built on either backend. */
interface Spec {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype: 'float32' | 'int32';
}

function randn(rng: Rng, shape: number[]): Spec {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.normal();
  return { shape, values, dtype: 'float32' };
}

function ints(shape: number[], values: number[]): Spec {
  return { shape, values: Int32Array.from(values), dtype: 'int32' };
}

function build(spec: Spec): tf.Tensor {
  return tf.tensor(spec.values, spec.shape, spec.dtype);
}

/** Runs `fn` on fresh tensors on `backend`, returns every output's values, frees everything. */
async function onBackend(
  backend: 'wasm' | 'cpu',
  specs: Record<string, Spec>,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const t: Record<string, tf.Tensor> = {};
    for (const [k, s] of Object.entries(specs)) t[k] = build(s);
    const r = fn(t);
    return (Array.isArray(r) ? r : [r]).map((x) => tf.cast(x, 'float32'));
  });
  const values = out.map((o) => Float32Array.from(o.dataSync()));
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
  await tf.setBackend('wasm');
  return values;
}

/** Same computation on wasm and cpu; every output must agree to TOL. Returns the worst error. */
async function compare(
  specs: Record<string, Spec>,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<number> {
  const wasm = await onBackend('wasm', specs, fn);
  const cpu = await onBackend('cpu', specs, fn);
  expect(wasm.length).toBe(cpu.length);
  let worst = 0;
  wasm.forEach((w, i) => {
    expect(cpu[i].some((v) => v !== 0)).toBe(true); // a non-trivial reference
    worst = Math.max(worst, relError(w, cpu[i]));
  });
  return worst;
}

function kernel(name: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

function outShape(x: number[], f: number[], strides: number, pad: Pad, depthwise = false, dilations = 1): number[] {
  return tf.backend_util.computeConv2DInfo(
    x as [number, number, number, number],
    f as [number, number, number, number],
    strides,
    dilations,
    pad,
    undefined,
    depthwise,
  ).outShape;
}

const EXPLICIT: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 2],
  [2, 0],
  [0, 0],
];

// Pads larger than the kernel: the transposed convolutions then need negative padding.
const WIDE: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [4, 0],
  [0, 5],
  [0, 0],
];

/** (stride, kernel size, padding) over strides 1-3, kernel sizes 1-5, same/valid/explicit. */
function convCases(): Array<{ s: number; k: number; pad: Pad }> {
  const cases: Array<{ s: number; k: number; pad: Pad }> = [];
  for (const s of [1, 2, 3]) {
    for (const k of [1, 2, 3, 4, 5]) {
      cases.push({ s, k, pad: 'same' }, { s, k, pad: 'valid' });
      if (k >= 3) cases.push({ s, k, pad: EXPLICIT });
      if (k === 1 || k === 3) cases.push({ s, k, pad: WIDE });
      if (k === 2) cases.push({ s, k, pad: 1 });
    }
  }
  return cases;
}

let memBefore = 0;
beforeAll(() => {
  memBefore = tf.memory().numTensors;
});
afterAll(async () => {
  await tf.setBackend('wasm');
  expect(tf.memory().numTensors).toBe(memBefore);
});

describe('registration', () => {
  it('serves the four missing kernels and Conv2DBackpropInput, idempotently', () => {
    registerMissingWasmKernels();
    const first = MISSING_WASM_KERNELS.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    registerMissingWasmKernels();
    const status = wasmKernelStatus();
    expect(Object.keys(status).sort()).toEqual([...MISSING_WASM_KERNELS, ...OVERRIDDEN_WASM_KERNELS].sort());
    expect(Object.values(status).every((v) => v)).toBe(true);
    expect(MISSING_WASM_KERNELS.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc)).toEqual(first);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('Conv2DBackpropFilter / Conv2DBackpropInput kernels equal cpu', () => {
  it('strides 1-3, kernel sizes 1-5, same/valid/explicit padding, NHWC', async () => {
    const rng = makeRng(1);
    let worst = 0;
    let i = 0;
    for (const { s, k, pad } of convCases()) {
      const channels = [
        [1, 4],
        [3, 5],
        [6, 2],
      ][i++ % 3];
      const [cin, cout] = channels;
      const xShape = [2, 9, 8, cin];
      const fShape = [k, k, cin, cout];
      const dyShape = outShape(xShape, fShape, s, pad);
      worst = Math.max(
        worst,
        await compare({ x: randn(rng, xShape), dy: randn(rng, dyShape), w: randn(rng, fShape) }, (t) => [
          kernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: fShape }),
          kernel('Conv2DBackpropInput', { dy: t.dy, filter: t.w }, { strides: s, pad, dataFormat: 'NHWC', inputShape: xShape }),
        ]),
      );
    }
    expect(worst).toBeLessThan(TOL);
  });

  it('rectangular kernels with equal strides 2 and 3 (the phase-split input gradient)', async () => {
    const rng = makeRng(8);
    let worst = 0;
    for (const s of [2, 3]) {
      for (const [kh, kw] of [
        [5, 2],
        [1, 4],
        [3, 6],
      ]) {
        for (const pad of ['same', 'valid'] as const) {
          const xShape = [3, 11, 10, 4];
          const fShape = [kh, kw, 4, 3];
          const dyShape = outShape(xShape, fShape, s, pad);
          worst = Math.max(
            worst,
            await compare({ x: randn(rng, xShape), dy: randn(rng, dyShape), w: randn(rng, fShape) }, (t) => [
              kernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: fShape }),
              kernel('Conv2DBackpropInput', { dy: t.dy, filter: t.w }, { strides: s, pad, dataFormat: 'NHWC', inputShape: xShape }),
            ]),
          );
        }
      }
    }
    expect(worst).toBeLessThan(TOL);
  });

  it('NCHW and unequal strides', async () => {
    const rng = makeRng(2);
    const x = randn(rng, [2, 3, 10, 7]); // NCHW
    const fShape = [3, 2, 3, 4];
    const nhwc = [2, 10, 7, 3];
    const info = tf.backend_util.computeConv2DInfo(nhwc as [number, number, number, number], fShape as [number, number, number, number], [2, 1], 1, 'same');
    const dy = randn(rng, [2, 4, info.outHeight, info.outWidth]);
    const w = randn(rng, fShape);
    const attrs = { strides: [2, 1], pad: 'same', dataFormat: 'NCHW' };
    const worst = await compare({ x, dy, w }, (t) => [
      kernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, { ...attrs, filterShape: fShape }),
      kernel('Conv2DBackpropInput', { dy: t.dy, filter: t.w }, { ...attrs, inputShape: x.shape }),
    ]);
    expect(worst).toBeLessThan(TOL);
    // The registered Conv2DBackpropInput hands NCHW to wasm's own loop; the flipped-filter
    // kernel function handles it too (by transposing), checked here directly.
    const [ours] = await onBackend('wasm', { dy, w }, (t) =>
      conv2DBackpropInput({ inputs: { dy: t.dy, filter: t.w }, backend: tf.backend(), attrs: { ...attrs, inputShape: x.shape } }) as tf.Tensor,
    );
    const [reference] = await onBackend('cpu', { dy, w }, (t) =>
      kernel('Conv2DBackpropInput', { dy: t.dy, filter: t.w }, { ...attrs, inputShape: x.shape }),
    );
    expect(relError(ours, reference)).toBeLessThan(TOL);
  });
});

describe('depthwise backprop kernels equal cpu', () => {
  it('strides 1-3, kernel sizes 1-5, depth multipliers 1-3, same/valid/explicit padding', async () => {
    const rng = makeRng(3);
    let worst = 0;
    let i = 0;
    for (const { s, k, pad } of convCases()) {
      const [c, m] = [
        [1, 1],
        [3, 2],
        [4, 3],
      ][i++ % 3];
      const xShape = [2, 9, 8, c];
      const fShape = [k, k, c, m];
      const dyShape = outShape(xShape, fShape, s, pad, true);
      worst = Math.max(
        worst,
        await compare({ x: randn(rng, xShape), dy: randn(rng, dyShape), w: randn(rng, fShape) }, (t) => [
          kernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, { strides: s, pad, dilations: 1, filterShape: fShape }),
          kernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.w }, { strides: s, pad, dilations: 1, inputShape: xShape }),
        ]),
      );
    }
    expect(worst).toBeLessThan(TOL);
  });

  // tfjs-backend-cpu 4.22 ignores dilations in these two kernels, so it is no reference there.
  // Both gradients are adjoints of the (cpu-computed) forward convolution y = conv(x, w):
  // <dy, y> = <dW(x, dy), w> = <dX(dy, w), x>.
  it('dilations 2 and 3 satisfy the adjoint identity with the forward convolution', async () => {
    const rng = makeRng(4);
    for (const d of [2, 3]) {
      for (const pad of ['same', 'valid'] as const) {
        const xShape = [2, 11, 10, 3];
        const fShape = [3, 3, 3, 2];
        const specs = { x: randn(rng, xShape), w: randn(rng, fShape), dy: randn(rng, outShape(xShape, fShape, 1, pad, true, d)) };
        const [forward] = await onBackend('cpu', specs, (t) =>
          tf.sum(tf.mul(t.dy, tf.depthwiseConv2d(t.x as tf.Tensor4D, t.w as tf.Tensor4D, 1, pad, 'NHWC', d))),
        );
        const [viaFilter, viaInput] = await onBackend('wasm', specs, (t) => [
          tf.sum(tf.mul(t.w, kernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, { strides: 1, pad, dilations: d, filterShape: fShape }))),
          tf.sum(tf.mul(t.x, kernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.w }, { strides: 1, pad, dilations: d, inputShape: xShape }))),
        ]);
        const scale = Math.max(1, Math.abs(forward[0]));
        expect(Math.abs(viaFilter[0] - forward[0]) / scale).toBeLessThan(TOL);
        expect(Math.abs(viaInput[0] - forward[0]) / scale).toBeLessThan(TOL);
      }
    }
  });

  it('strides together with dilations throw an error that names the fix', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 8, 8, 2]);
    const dy = tf.zeros([1, 4, 4, 2]);
    expect(() =>
      kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: 2, pad: 'same', dilations: 2, filterShape: [3, 3, 2, 1] }),
    ).toThrow(/either strides 1 or dilations 1/);
    tf.dispose([x, dy]);
  });
});

describe('UnsortedSegmentSum equals cpu', () => {
  it('repeated ids, unused segments, rank-3 x, out-of-range ids', async () => {
    const rng = makeRng(5);
    const ids = [0, 4, 0, 2, 4, 4, 1, 0];
    let worst = await compare({ x: randn(rng, [8, 3]), ids: ints([8], ids) }, (t) =>
      kernel('UnsortedSegmentSum', { x: t.x, segmentIds: t.ids }, { numSegments: 7 }),
    );
    worst = Math.max(
      worst,
      await compare({ x: randn(rng, [8, 2, 3]), ids: ints([8], ids) }, (t) =>
        kernel('UnsortedSegmentSum', { x: t.x, segmentIds: t.ids }, { numSegments: 5 }),
      ),
      await compare({ x: randn(rng, [6, 3]), ids: ints([6], [3, -1, 3, 9, 0, 5]) }, (t) =>
        kernel('UnsortedSegmentSum', { x: t.x, segmentIds: t.ids }, { numSegments: 5 }),
      ),
    );
    expect(worst).toBeLessThan(TOL);
  });

  it('sums repeated ids exactly', async () => {
    await tf.setBackend('wasm');
    const out = tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 2], 'int32'), 4),
    );
    expect(Array.from(out.dataSync())).toEqual([3, 4, 0, 0, 13, 16, 0, 0]);
    out.dispose();
  });

  // TensorFlow semantics (the cpu kernel only handles 1-D ids): ids cover x's leading axes.
  it('2-D ids over the two leading axes of x', async () => {
    await tf.setBackend('wasm');
    const out = tf.tidy(() =>
      kernel('UnsortedSegmentSum', { x: tf.tensor3d([[[1], [2]], [[3], [4]]]), segmentIds: tf.tensor2d([[1, 0], [1, 1]], [2, 2], 'int32') }, { numSegments: 3 }),
    );
    expect(out.shape).toEqual([3, 1]);
    expect(Array.from(out.dataSync())).toEqual([2, 8, 0]);
    out.dispose();
  });
});

describe('gradients through the public ops equal cpu', () => {
  /** Gradients of sum(f(x, w) * r) with respect to x and w (r random, so dy is not all ones). */
  function gradsOf(f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor) {
    return (t: Record<string, tf.Tensor>): tf.Tensor[] => {
      const g = tf.grads((x: tf.Tensor, w: tf.Tensor) => {
        const y = f(x, w);
        return tf.sum(tf.mul(y, tf.reshape(tf.slice(tf.reshape(t.r, [-1]), 0, y.size), y.shape)));
      });
      return g([t.x, t.w]);
    };
  }

  it('conv2d, fused conv2d (linear and relu, with bias), conv2dTranspose, depthwise (plain and fused), separable', async () => {
    const rng = makeRng(6);
    const r = randn(rng, [4096]);
    let worst = 0;
    for (const s of [1, 2, 3]) {
      for (const pad of ['same', 'valid'] as const) {
        const x = randn(rng, [2, 10, 9, 3]);
        const w = randn(rng, [3, 3, 3, 4]);
        const bias = randn(rng, [4]);
        worst = Math.max(
          worst,
          await compare({ x, w, r }, gradsOf((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad))),
          await compare({ x, w, r, bias }, (t) =>
            gradsOf((a, b) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: s, pad, bias: t.bias }))(t),
          ),
          await compare({ x, w, r, bias }, (t) =>
            gradsOf((a, b) =>
              tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: s, pad, bias: t.bias, activation: 'relu' }),
            )(t),
          ),
          await compare({ x, w: randn(rng, [3, 3, 3, 2]), r }, gradsOf((a, b) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad))),
          await compare({ x, w: randn(rng, [3, 3, 3, 2]), r, bias: randn(rng, [6]) }, (t) =>
            gradsOf((a, b) => tf.fused.depthwiseConv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: s, pad, bias: t.bias }))(t),
          ),
        );
        // conv2dTranspose: x is [2, 5, 4, 4] -> output [2, 5s(ish), ..., 3]; its filter is [k, k, outC, inC].
        const xt = randn(rng, [2, 5, 4, 4]);
        const outH = pad === 'same' ? 5 * s : (5 - 1) * s + 3;
        const outW = pad === 'same' ? 4 * s : (4 - 1) * s + 3;
        worst = Math.max(
          worst,
          await compare({ x: xt, w: randn(rng, [3, 3, 3, 4]), r }, gradsOf((a, b) =>
            tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, outH, outW, 3], s, pad),
          )),
        );
      }
    }
    const pointwise = randn(rng, [1, 1, 6, 5]);
    worst = Math.max(
      worst,
      await compare({ x: randn(rng, [2, 8, 8, 3]), w: randn(rng, [3, 3, 3, 2]), r, pointwise }, (t) =>
        gradsOf((a, b) => tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, t.pointwise as tf.Tensor4D, 1, 'same'))(t),
      ),
    );
    expect(worst).toBeLessThan(TOL);
  });

  it('gather (Embedding) with repeated ids', async () => {
    const rng = makeRng(7);
    const ids = ints([3, 4], [1, 5, 1, 1, 0, 5, 2, 9, 1, 5, 5, 0]);
    const worst = await compare({ table: randn(rng, [10, 6]), ids, r: randn(rng, [72]) }, (t) =>
      tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.reshape(tf.gather(table, t.ids), [72]), t.r)))(t.table),
    );
    expect(worst).toBeLessThan(TOL);
  });
});

describe('layers train on wasm', () => {
  /** Trains a few full-batch steps; returns the losses and checks that no tensor leaks. */
  async function train(makeModel: () => tf.LayersModel, xSpec: Spec, loss = 'meanSquaredError'): Promise<number[]> {
    await tf.setBackend('wasm');
    const start = tf.memory().numTensors;
    const model = makeModel();
    const optimizer = tf.train.adam(0.01);
    model.compile({ optimizer, loss });
    const x = build(xSpec);
    const outShape = (model.outputs[0].shape as Array<number | null>).map((d, i) => (i === 0 ? xSpec.shape[0] : (d as number)));
    const y = tf.tidy(() => tf.mul(tf.randomUniform(outShape, -1, 1, 'float32', 11), 0.5));
    const losses: number[] = [];
    const steps = 5;
    let afterFirst = 0;
    for (let i = 0; i < steps; i++) {
      const h = await model.fit(x, y, { epochs: 1, batchSize: xSpec.shape[0], shuffle: false, verbose: 0 });
      losses.push(h.history.loss[0] as number);
      if (i === 0) afterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(afterFirst); // nothing accumulates per step
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(start);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[steps - 1]).toBeLessThan(losses[0]);
    return losses;
  }

  const images = (seed: number, c = 2): Spec => randn(makeRng(seed), [8, 8, 8, c]);

  it('Conv2D (linear activation, strides 2), Conv2DTranspose, SeparableConv2D, DepthwiseConv2D', async () => {
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same' }), tf.layers.flatten()],
        }),
      images(10),
    );
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.conv2dTranspose({ inputShape: [8, 8, 2], filters: 3, kernelSize: 3, strides: 2, padding: 'same' })],
        }),
      images(11),
    );
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.separableConv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, depthMultiplier: 2, activation: 'relu' })],
        }),
      images(12),
    );
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.depthwiseConv2d({ inputShape: [8, 8, 2], kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same' })],
        }),
      images(13),
    );
  });

  it('Embedding with repeated ids', async () => {
    const idValues = Array.from({ length: 8 * 6 }, (_, i) => (i * 7) % 5); // ids 0..4 of 20, repeated
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 6 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })],
        }),
      { shape: [8, 6], values: Float32Array.from(idValues), dtype: 'float32' },
    );
  });

  it('ConvLSTM2D', async () => {
    await train(
      () =>
        tf.sequential({
          layers: [tf.layers.convLstm2d({ inputShape: [3, 6, 6, 1], filters: 2, kernelSize: 3, padding: 'same' }), tf.layers.flatten()],
        }),
      randn(makeRng(14), [4, 3, 6, 6, 1]),
    );
  });
});
