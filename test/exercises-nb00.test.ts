// Notebook 00's checks pass the right answers, say "not yet" to the stubs and to wrong answers
// (with what is wrong, never the answer), never throw, and free their tensors; the helpers they use
// (expectTensor, expectModel, expectLayers) and the EXERCISES_NN registry.
import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect as want, it, vi } from 'vitest';
import {
  EXERCISES_00, check00_1, check00_2, check00_3, exerciseIds, expectLayers, expectModel, expectTensor, layerSignatures, notebookNumber,
} from '../lib/exercises';

const root = path.resolve(__dirname, '..');
let log: ReturnType<typeof vi.spyOn>;
beforeAll(() => { log = vi.spyOn(console, 'log').mockImplementation(() => undefined); });
afterAll(() => log.mockRestore());

const standardize = (v: tf.Tensor1D): tf.Tensor1D => tf.tidy(() => {
  const m = tf.moments(v);
  return v.sub(m.mean).div(m.variance.sqrt()) as tf.Tensor1D;
});

function wider(units = 200, activation: 'relu' | 'tanh' = 'relu'): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units, activation }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
}

describe('notebook 00 checks', () => {
  it('00.1 passes the [3, 4] grid and says what is wrong otherwise', async () => {
    const start = tf.memory().numTensors;
    const grid = tf.tidy(() => tf.range(0, 12).reshape([3, 4]));
    want((await check00_1({ grid: grid })).status).toBe('passed');
    want((await check00_1({ grid: undefined })).message).toBe('`grid` is not set yet: expected a tensor of shape [3, 4]');
    const flat = tf.range(0, 12);
    want((await check00_1({ grid: flat })).message).toBe('`grid` has shape [12]; the exercise asks for [3, 4]');
    const cols = tf.tidy(() => tf.range(0, 12).reshape([4, 3]).transpose());
    want((await check00_1({ grid: cols })).message).toBe('grid[0][1] is 3, not 4 * 0 + 1');
    want((await check00_1({ grid: [[0, 1, 2, 3]] })).message).toContain('should be a tensor, but it is an array of length 1');
    tf.dispose([flat, cols]);
    grid.dispose();
    want((await check00_1({ grid: grid })).message).toBe('`grid` has been disposed');
    want(tf.memory().numTensors).toBe(start);
  });

  it('00.2 tries standardize on hidden vectors, and catches wrong maths, leaks, throws and non-tensors', async () => {
    const start = tf.memory().numTensors;
    want((await check00_2({ standardize: standardize })).status).toBe('passed');
    want((await check00_2({})).status).toBe('missing');
    const sample = (v: tf.Tensor1D) => tf.tidy(() => { const m = tf.moments(v); return v.sub(m.mean).div(m.variance.mul(v.size / (v.size - 1)).sqrt()) as tf.Tensor1D; });
    const r = await check00_2({ standardize: sample });
    want(r.status).toBe('wrong');
    want(r.message).toMatch(/^on a vector of 8 numbers, entry 0 is -1\.40\d+ where -1\.5000 was expected$/);
    // right on the example of the prompt only: caught on the hidden inputs
    const memorised = (v: tf.Tensor1D) => (v.size === 8 ? standardize(v) : tf.zerosLike(v));
    want((await check00_2({ standardize: memorised })).message).toMatch(/on a vector of 2 numbers, entry 0 is 0/);
    const leaky = (v: tf.Tensor1D) => { const m = tf.moments(v); return v.sub(m.mean).div(m.variance.sqrt()) as tf.Tensor1D; };
    const leak = await check00_2({ standardize: leaky });
    want(leak.message).toMatch(/^standardize left \d+ tensor\(s\) behind besides its result$/);
    want(leak.hint).toContain('tf.tidy');
    const threw = await check00_2({ standardize: (_v: tf.Tensor1D) => { throw new Error('nope'); } });
    want(threw.message).toBe('checking your answer raised an error: nope');
    want((await check00_2({ standardize: (v: tf.Tensor1D) => Array.from(v.dataSync()) })).message).toContain('should be a tensor, but it is an array of length 8');
    want((await check00_2({ standardize: 'x => x' })).message).toContain('should be a function');
    const before = tf.memory().numTensors;
    await check00_2({ standardize: standardize });
    want(tf.memory().numTensors).toBe(before);
    want(before - start).toBeGreaterThan(0); // only the leaky answer's tensors stayed
  });

  it('00.3 checks the layers, the input and the count, without giving the count away', async () => {
    const m = wider();
    want((await check00_3({ wider: m, widerParams: 784 * 200 + 200 + 200 * 10 + 10 })).status).toBe('passed');
    const noBias = await check00_3({ wider: m, widerParams: 784 * 200 + 200 * 10 });
    want(noBias.message).toBe('widerParams is 158800: the weights are there, the biases are not');
    const off = await check00_3({ wider: m, widerParams: 12 });
    want(off.message).toBe('widerParams is 12, which is not the number of parameters of `wider`');
    want(off.message + off.hint).not.toContain('159010');
    want((await check00_3({ wider: m })).message).toBe('`widerParams` is not set yet: expected a number');
    const narrow = wider(100);
    want((await check00_3({ wider: narrow, widerParams: 1 })).message).toBe("layer 1 of `wider` is Dense (100 units, activation 'relu'); the exercise asks for Dense (200 units, activation 'relu')");
    const tanh = wider(200, 'tanh');
    want((await check00_3({ wider: tanh, widerParams: 1 })).message).toContain("activation 'tanh'");
    const small = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 200, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    want((await check00_3({ wider: small, widerParams: 1 })).message).toBe('`wider` takes inputs of shape [batch, 10]');
    want((await check00_3({ wider: { layers: 3 }, widerParams: 1 })).message).toContain('should be a model');
    tf.dispose([narrow, tanh, small].flatMap((x) => x.weights.map((w) => w.read())));
    m.dispose();
    want((await check00_3({ wider: m, widerParams: 1 })).message).toBe('`wider` has been disposed');
  });

  it('does not echo the verdict a second time as the value of the check cell', async () => {
    const v = await check00_1({});
    const util = await import('util');
    want(util.inspect(v)).toBe('');
    want(JSON.parse(JSON.stringify(v))).toEqual({ exercise: '00.1', title: 'A tensor of a given shape', status: 'missing', passed: false, message: '`grid` is not set yet: expected a tensor of shape [3, 4]', hint: want.any(String) });
  });
});

describe('check helpers', () => {
  it('expectTensor accepts any size where the shape says -1', () => {
    const t = tf.zeros([2, 5]);
    want(expectTensor(t, 't', [-1, 5])).toBe(t);
    want(() => expectTensor(t, 't', [-1, 4])).toThrow('`t` has shape [2, 5]; the exercise asks for [any, 4]');
    t.dispose();
  });

  it('layerSignatures and expectLayers compare convolutions too', () => {
    const m = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 10 })] });
    want(layerSignatures(m)[0]).toEqual({ type: 'Conv2D', filters: 8, kernelSize: [3, 3], activation: 'relu', outputShape: [null, 26, 26, 8] });
    want(() => expectLayers(expectModel(m, 'cnn'), 'cnn', [{ type: 'Conv2D', filters: 16 }, { type: 'Flatten' }, { type: 'Dense' }])).toThrow('layer 1 of `cnn` is Conv2D (8 filters); the exercise asks for Conv2D (16 filters)');
    want(() => expectLayers(m, 'cnn', [{ type: 'Conv2D' }])).toThrow('`cnn` has 3 layer(s); the exercise asks for 1');
    m.dispose();
  });
});

describe('exercise registry', () => {
  it('finds EXERCISES_NN for notebooks with checks and null for the others', async () => {
    want(await exerciseIds('00')).toEqual(EXERCISES_00);
    want(await exerciseIds('00-getting-started.ipynb')).toEqual(['00.1', '00.2', '00.3']);
    want(await exerciseIds('99')).toBeNull();
    want(await exerciseIds('notes.ipynb')).toBeNull();
    want(notebookNumber('05-cnn-fashion-mnist.ipynb')).toBe('05');
    want(notebookNumber('/a/b/123-x.ipynb')).toBeNull();
  });

  it('each notebook with checks calls each listed check once, in a cell of its own, and no other', async () => {
    for (const name of fs.readdirSync(path.join(root, 'notebooks-src')).filter((f) => f.endsWith('.ts')).sort()) {
      const nn = notebookNumber(name);
      const ids = nn === null ? null : await exerciseIds(nn);
      if (ids === null) continue;
      const src = fs.readFileSync(path.join(root, 'notebooks-src', name), 'utf8');
      const called = [...src.matchAll(/await check(\d\d)_(\d+)\(/g)].map((m) => `${m[1]}.${m[2]}`);
      want(called, `${name} calls checks ${called.join(', ')}; EXERCISES_${nn} lists ${ids.join(', ')}`).toEqual([...ids]);
      const mod = (await import(/* @vite-ignore */ `../lib/exercises/nb${nn}`)) as Record<string, unknown>;
      for (const id of ids) want(typeof mod[`check${id.replace('.', '_')}`], `lib/exercises/nb${nn}.ts exports check${id.replace('.', '_')}`).toBe('function');
    }
  });
});
