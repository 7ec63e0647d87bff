// `npm run bench -- --convs` (bench/convs.ts): the seed CNN's conv layer shapes and MACs, the
// command line, which backends time them, merging PyTorch's runs, the rows and the table, and a
// tiny real timing on the test backend.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  callsPerRun,
  convBackends,
  convLabel,
  convLayer,
  convMacs,
  convRows,
  ConvTimings,
  formatConvTable,
  formatMacs,
  mergeConvTimings,
  seedCnnConvLayers,
  timeTfjsConvs,
} from '../bench/convs';
import { parseArgs } from '../bench/run';

/** Timings where every run of a pass took the same (wall, cpu) seconds per call. */
function steady(layers: readonly string[], secs: Record<'fwd' | 'dW' | 'dx', [number, number]>, runs = 3): ConvTimings {
  const t: ConvTimings = {};
  for (const name of layers) {
    t[name] = {
      fwd: { runs: Array.from({ length: runs }, () => ({ wall: secs.fwd[0], cpu: secs.fwd[1] })), callsPerRun: 1 },
      dW: { runs: Array.from({ length: runs }, () => ({ wall: secs.dW[0], cpu: secs.dW[1] })), callsPerRun: 1 },
      dx: { runs: Array.from({ length: runs }, () => ({ wall: secs.dx[0], cpu: secs.dx[1] })), callsPerRun: 1 },
    };
  }
  return t;
}

describe('conv layers and MACs', () => {
  it('takes the seed CNN conv layers from its spec, with the shapes each one sees', () => {
    const layers = seedCnnConvLayers(32);
    expect(layers.map((l) => [l.name, l.batch, l.height, l.width, l.channels, l.kernel, l.filters, l.outHeight, l.outWidth])).toEqual([
      ['conv1', 32, 28, 28, 1, 7, 64, 28, 28],
      ['conv2', 32, 14, 14, 64, 3, 128, 14, 14],
      ['conv3', 32, 14, 14, 128, 3, 128, 14, 14],
    ]);
    expect(layers.map((l) => l.pads)).toEqual([[3, 3, 3, 3], [1, 1, 1, 1], [1, 1, 1, 1]]);
    expect(layers.map((l) => l.inputGradientInTraining)).toEqual([false, true, true]);
    expect(layers.map(convMacs)).toEqual([78_675_968, 462_422_016, 924_844_032]);
    expect(convLabel(layers[1])).toBe('conv2 [32,14,14,64] 3x3→128');
    expect(seedCnnConvLayers(1).map(convMacs)).toEqual([78_675_968 / 32, 462_422_016 / 32, 924_844_032 / 32]);
  });

  it('counts MACs on the output size: valid padding and strides shrink it', () => {
    const valid = convLayer('v', [2, 10, 10, 3], { kernel: 3, filters: 4 });
    expect([valid.outHeight, valid.outWidth, valid.pads]).toEqual([8, 8, [0, 0, 0, 0]]);
    expect(convMacs(valid)).toBe(2 * 8 * 8 * 3 * 3 * 3 * 4);
    const strided = convLayer('s', [1, 7, 7, 2], { kernel: 2, filters: 5, stride: 2, padding: 'same' });
    expect([strided.outHeight, strided.outWidth, strided.pads]).toEqual([4, 4, [0, 1, 0, 1]]);
    expect(convMacs(strided)).toBe(4 * 4 * 2 * 2 * 2 * 5);
    expect(convLabel(strided)).toBe('s [1,7,7,2] 2x2→5 stride 2');
    expect(convLabel(valid)).toBe('v [2,10,10,3] 3x3→4 valid');
  });

  it('formats MACs and sizes a run to the time asked for', () => {
    expect(formatMacs(924_844_032)).toBe('924.8 M');
    expect(formatMacs(1_465_942_016)).toBe('1.47 G');
    expect(callsPerRun(0.12, 0.05)).toBe(1);
    expect(callsPerRun(0.01, 0.05)).toBe(5);
    expect(callsPerRun(0, 0.05)).toBe(100);
  });
});

describe('--convs on the command line', () => {
  it('is off by default, on with --convs, and --profile implies it', () => {
    expect(parseArgs([]).convs).toBe(false);
    expect(parseArgs(['--convs', '--only', 'cnn', '--quick'])).toMatchObject({ convs: true, only: ['cnn'], quick: true, profile: false });
    expect(parseArgs(['--profile'])).toMatchObject({ convs: true, profile: true });
    expect(() => parseArgs(['--conv'])).toThrow(/unknown option --conv; .*--convs/);
  });

  it('times the convolutions on the benchmarked backends, cpu only when named, never wasm-native', () => {
    expect(convBackends(undefined, ['wasm', 'cpu', 'tensorflow'])).toEqual({ backends: ['wasm', 'tensorflow'], skipped: ['cpu (slow; ask for it with --backends ...,cpu)'] });
    expect(convBackends(['wasm', 'cpu'], ['wasm', 'cpu']).backends).toEqual(['wasm', 'cpu']);
    const baseline = convBackends(undefined, ['wasm', 'wasm-native']);
    expect(baseline.backends).toEqual(['wasm']);
    expect(baseline.skipped[0]).toMatch(/^wasm-native/);
  });
});

describe('conv rows and table', () => {
  const layers = seedCnnConvLayers(32);
  const names = layers.map((l) => l.name);

  it('merges the runs before and after, so the median is over both', () => {
    const before = steady(['conv1'], { fwd: [1, 1], dW: [2, 2], dx: [3, 3] }, 2);
    const after = steady(['conv1'], { fwd: [5, 5], dW: [2, 2], dx: [3, 3] }, 1);
    const m = mergeConvTimings(before, after);
    expect(m.conv1.fwd?.runs.map((r) => r.wall)).toEqual([1, 1, 5]);
    expect(mergeConvTimings(before, {}).conv1.dW?.runs).toHaveLength(2);
  });

  it('gives ms, GMAC/s and ratios per pass, and a training total without conv1 dx', () => {
    // tfjs: 100 ms wall / 80 ms CPU forward, 120/100 dW, 110/90 dx on every layer; torch 4x faster in CPU time.
    const tfjs = steady(names, { fwd: [0.1, 0.08], dW: [0.12, 0.1], dx: [0.11, 0.09] });
    const torch = steady(names, { fwd: [0.05, 0.02], dW: [0.05, 0.025], dx: [0.05, 0.0225] }, 6);
    const rows = convRows(layers, [{ backend: 'wasm', timings: tfjs }], torch);
    expect(rows).toHaveLength(4);
    const conv3 = rows[2];
    expect(conv3.macs).toBe(924_844_032);
    expect(conv3.passes.dW.tfjs).toEqual({ wall: 0.12, cpu: 0.1 });
    const total = rows[3];
    expect(total.total).toBe(true);
    expect(total.macs).toBe(78_675_968 + 462_422_016 + 924_844_032);
    expect(total.passes.fwd.tfjs?.cpu).toBeCloseTo(0.24, 12);
    // conv1's dx is not part of training: two layers in the dx total.
    expect(total.passes.dx.macs).toBe(462_422_016 + 924_844_032);
    expect(total.passes.dx.tfjs?.cpu).toBeCloseTo(0.18, 12);
    expect(total.passes.dx.torch?.cpu).toBeCloseTo(0.045, 12);

    const table = formatConvTable(rows, { basis: 'cpu', runs: 3, torchRuns: 6, torchThreads: 1, noInputGradient: ['conv1'], loadStart: 2, loadEnd: 3 });
    const lines = table.split('\n');
    expect(lines[0]).toBe('| layer | backend | MACs/batch | fwd ms (tfjs / torch) | fwd GMAC/s (tfjs / torch) | fwd ratio | dW ms (tfjs / torch) | dW GMAC/s (tfjs / torch) | dW ratio | dx ms (tfjs / torch) | dx GMAC/s (tfjs / torch) | dx ratio |');
    // 924,844,032 MACs in 80 ms = 11.6 GMAC/s, in 20 ms = 46.2 GMAC/s.
    expect(table).toContain('| conv3 [32,14,14,128] 3x3→128 | wasm | 924.8 M | 80.0 / 20.0 | 11.6 / 46.2 | 4.00 | 100.0 / 25.0 | 9.2 / 37.0 | 4.00 | 90.0 / 22.5 | 10.3 / 41.1 | 4.00 |');
    // Total dx: 1,387,266,048 MACs in 180 ms = 7.7 GMAC/s.
    expect(table).toContain('| **all convs (training)** | wasm | 1.47 G | 240.0 / 60.0 | 6.1 / 24.4 | 4.00 | 300.0 / 75.0 | 4.9 / 19.5 | 4.00 | 180.0 / 45.0 | 7.7 / 30.8 | 4.00 |');
    expect(table).toContain('Per call, CPU time (median of 3 runs, PyTorch 6;');
    expect(table).toContain('PyTorch ran 1 thread.');
    expect(table).toContain('Training does not compute the input gradient of conv1');
    expect(formatConvTable(rows, { basis: 'wall', runs: 3 })).toContain('| conv3 [32,14,14,128] 3x3→128 | wasm | 924.8 M | 100.0 / 50.0 | 9.2 / 18.5 | 2.00 |');
  });

  it('leaves PyTorch columns and failed passes empty, and says why', () => {
    const tfjs = steady(names, { fwd: [0.1, 0.08], dW: [0.12, 0.1], dx: [0.11, 0.09] });
    tfjs.conv2.dW = { runs: [], callsPerRun: 0, error: "Kernel 'Conv2DBackpropFilter' not registered" };
    const rows = convRows(layers, [{ backend: 'wasm', timings: tfjs }]);
    const table = formatConvTable(rows, { basis: 'cpu', runs: 3, torchSkipped: 'no python3 with torch' });
    expect(table).toContain('| conv2 [32,14,14,64] 3x3→128 | wasm | 462.4 M | 80.0 / - | 5.8 / - | - | - / - | - / - | - |');
    expect(table).toContain('| **all convs (training)** | wasm | 1.47 G | 240.0 / - | 6.1 / - | - | - / - | - / - | - |');
    expect(table).toContain('PyTorch did not run (no python3 with torch).');
  });
});

describe('timing on the test backend', () => {
  it('times the three kernels of a small layer and frees every tensor', () => {
    const layer = convLayer('tiny', [2, 6, 6, 3], { kernel: 3, filters: 4, padding: 'same' });
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const t = timeTfjsConvs([layer], { runs: 2, minSeconds: 0.001 }, (name) => seen.push(name));
    expect(seen).toEqual(['tiny']);
    for (const p of ['fwd', 'dW', 'dx'] as const) {
      const pass = t.tiny[p];
      expect(pass?.error).toBeUndefined();
      expect(pass?.runs).toHaveLength(2);
      expect(pass?.callsPerRun).toBeGreaterThanOrEqual(1);
      for (const r of pass?.runs ?? []) expect(r.wall).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
