// Backend choice (lib/backend/index.ts): automatic choice on this machine, DL_BACKEND parsing,
// describeBackend, switching cpu <-> wasm, and seeded training being repeatable.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backendFromEnv, describeBackend, initBackend, type BackendInfo } from '../lib/backend';
import { clearGlobalSeed, setGlobalSeed } from '../lib/random';
import { wasmKernelStatus } from '../lib/backend/kernels';
import { fastWasmKernelStatus } from '../lib/backend/kernels/fast-paths';

const savedEnv = process.env.DL_BACKEND;

beforeEach(() => {
  delete process.env.DL_BACKEND;
});

afterEach(async () => {
  if (savedEnv === undefined) delete process.env.DL_BACKEND;
  else process.env.DL_BACKEND = savedEnv;
  clearGlobalSeed();
  await tf.setBackend('wasm');
});

describe('backendFromEnv (DL_BACKEND)', () => {
  it('reads the three names, case and spaces ignored', () => {
    expect(backendFromEnv('wasm')).toBe('wasm');
    expect(backendFromEnv(' CPU ')).toBe('cpu');
    expect(backendFromEnv('tensorflow')).toBe('tensorflow');
  });

  it('maps the node aliases to tensorflow', () => {
    for (const alias of ['node', 'tfjs-node', 'tfjs-node-gpu', 'gpu', 'Node']) expect(backendFromEnv(alias)).toBe('tensorflow');
  });

  it('unset or blank means choose automatically', () => {
    expect(backendFromEnv(undefined)).toBeUndefined();
    expect(backendFromEnv('')).toBeUndefined();
    expect(backendFromEnv('   ')).toBeUndefined();
  });

  it('a typo throws an error naming the value and the valid names', () => {
    expect(() => backendFromEnv('wsam')).toThrow(/DL_BACKEND=wsam is not a backend: use one of tensorflow, wasm, cpu/);
    expect(() => backendFromEnv('webgl')).toThrow(/leave it unset/);
  });

  it('initBackend refuses a mistyped DL_BACKEND instead of ignoring it', async () => {
    process.env.DL_BACKEND = 'cpuu';
    await expect(initBackend()).rejects.toThrow(/DL_BACKEND=cpuu is not a backend/);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('initBackend', () => {
  it('chooses wasm automatically here (no tfjs-node), with a reason, the attempts and a hint', async () => {
    // A fresh copy of the module: test/setup.ts already made a (forced) choice in this one.
    vi.resetModules();
    const fresh = await import('../lib/backend');
    expect(fresh.currentBackend()).toBeUndefined();
    const info = await fresh.initBackend();
    expect(info.name).toBe('wasm');
    expect(info.provider).toBe('@tensorflow/tfjs-backend-wasm');
    expect(info.gpu).toBe(false);
    expect(info.reason).toMatch(/^WebAssembly/);
    expect(info.reason).not.toMatch(/forced/);
    expect(info.attempts).toEqual(['@tensorflow/tfjs-node-gpu: not installed', '@tensorflow/tfjs-node: not installed']);
    expect(info.hint).toMatch(/npm install @tensorflow\/tfjs-node@4\.22\.0/);
    expect(tf.getBackend()).toBe('wasm');
    // A second call without a forced backend returns the first choice.
    expect(await fresh.initBackend()).toBe(info);
    expect(fresh.currentBackend()).toBe(info);
  });

  it('forcing cpu then wasm switches the active backend, and conv gradients still work on wasm', async () => {
    const cpu = await initBackend({ backend: 'cpu' });
    expect(cpu.name).toBe('cpu');
    expect(cpu.reason).toMatch(/forced/);
    expect(cpu.hint).toMatch(/wasm/);
    expect(tf.getBackend()).toBe('cpu');

    const wasm = await initBackend({ backend: 'wasm' });
    expect(wasm.name).toBe('wasm');
    expect(wasm.reason).toMatch(/^forced \(DL_BACKEND or the backend option\); WebAssembly/);
    expect(tf.getBackend()).toBe('wasm');
    expect(Object.values(wasmKernelStatus())).toEqual([true, true, true, true, true]);
    // The faster matmul/slice/gather/identity kernels (lib/backend/kernels/fast-paths.ts).
    expect(fastWasmKernelStatus()).toEqual({ BatchMatMul: true, _FusedMatMul: true, Slice: true, SplitV: true, Unpack: true, GatherV2: true, MaxPoolGrad: true, Identity: true });

    // Conv2D's filter gradient needs a kernel wasm 4.22 lacks.
    const before = tf.memory().numTensors;
    const g = tf.tidy(() =>
      tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 3, 3, 1]) as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')))(tf.ones([2, 2, 1, 1])),
    );
    expect(Array.from(g.dataSync())).toEqual([4, 4, 4, 4]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('DL_BACKEND=cpu forces cpu when no option is given', async () => {
    process.env.DL_BACKEND = 'cpu';
    const info = await initBackend();
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await initBackend({ backend: 'wasm' });
  });

  it('DL_BACKEND=tensorflow without tfjs-node throws an error with the install command', async () => {
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(/npm install @tensorflow\/tfjs-node@4\.22\.0/);
  });
});

describe('describeBackend', () => {
  it('says what runs, why, what was tried, and how to go faster', () => {
    const info: BackendInfo = {
      name: 'wasm',
      provider: '@tensorflow/tfjs-backend-wasm',
      gpu: false,
      reason: 'WebAssembly with SIMD',
      attempts: ['@tensorflow/tfjs-node: not installed'],
      hint: 'npm install @tensorflow/tfjs-node@4.22.0',
    };
    expect(describeBackend(info)).toBe(
      [
        'Backend: wasm (@tensorflow/tfjs-backend-wasm)',
        'Why: WebAssembly with SIMD',
        'Tried first: @tensorflow/tfjs-node: not installed',
        'Faster: npm install @tensorflow/tfjs-node@4.22.0',
      ].join('\n'),
    );
  });

  it('marks a GPU and leaves out empty attempts and hint', () => {
    const info: BackendInfo = {
      name: 'tensorflow',
      provider: '@tensorflow/tfjs-node-gpu',
      gpu: true,
      reason: 'CUDA',
      attempts: [],
      hint: '',
    };
    expect(describeBackend(info)).toBe('Backend: tensorflow (@tensorflow/tfjs-node-gpu) on GPU\nWhy: CUDA');
  });
});

describe('determinism', () => {
  /** A small dense model trained one epoch (shuffled, 4 batches) after setGlobalSeed(seed). */
  async function trainedWeights(seed: number): Promise<Float32Array[]> {
    setGlobalSeed(seed);
    const x = tf.tidy(() => tf.reshape(tf.range(0, 64 * 4), [64, 4]).div(256));
    const y = tf.tidy(() => tf.sum(x, 1, true).sin());
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu' }), tf.layers.dropout({ rate: 0.2 }), tf.layers.dense({ units: 1 })],
    });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: true, verbose: 0 });
    const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    model.dispose();
    tf.dispose([x, y]);
    return weights;
  }

  it('two seeded runs give identical weights; another seed gives different ones', async () => {
    const before = tf.memory().numTensors;
    const a = await trainedWeights(42);
    const b = await trainedWeights(42);
    const c = await trainedWeights(7);
    expect(a.length).toBe(4);
    a.forEach((w, i) => expect(Array.from(b[i])).toEqual(Array.from(w)));
    expect(Array.from(c[0])).not.toEqual(Array.from(a[0]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
