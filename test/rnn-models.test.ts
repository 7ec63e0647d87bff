import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { inputGradientByLag, recurrentLayer, UnitForgetBias, recurrentParamCount, RNN_SHAPES, rnnShapeModel, SEQUENCE_MODEL_KINDS, sequenceRegressor } from '../lib/rnn';

describe('parameter counts', () => {
  test('formulas: SimpleRNN u(i+u+1), LSTM 4x, GRU 3x, biLSTM 8x', () => {
    expect(recurrentParamCount('simpleRNN', 1, 1)).toBe(3);
    expect(recurrentParamCount('lstm', 1, 1)).toBe(12);
    expect(recurrentParamCount('gru', 2, 32)).toBe(3 * 32 * 35);
    expect(recurrentParamCount('biLSTM', 2, 16)).toBe(8 * 16 * 19);
    expect(() => recurrentParamCount('transformer' as never, 1, 1)).toThrow(/unknown recurrent kind 'transformer'/);
  });
  test.each(SEQUENCE_MODEL_KINDS)('%s regressor: tfjs countParams equals the formula + Dense head', (kind) => {
    const m = sequenceRegressor(kind, { steps: 10, features: 2, units: 8 });
    const headInputs = kind === 'biLSTM' ? 16 : 8;
    expect(m.countParams()).toBe(recurrentParamCount(kind, 2, 8) + headInputs + 1);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    m.dispose();
  });
  test('the LSTM starts with forget bias 1 and uses sigmoid gates (Keras defaults)', () => {
    const layer = recurrentLayer('lstm', { units: 3, inputShape: [4, 1] });
    const m = tf.sequential({ layers: [layer] });
    const bias = layer.getWeights()[2].arraySync() as number[];
    expect(bias.slice(3, 6)).toEqual([1, 1, 1]);
    expect(bias.slice(0, 3)).toEqual([0, 0, 0]);
    expect((layer.getConfig() as { recurrentActivation: string }).recurrentActivation).toBe('sigmoid');
    m.dispose();
  });
});

describe('the four RNN shapes', () => {
  const sizes = { inSteps: 6, outSteps: 4, features: 3, units: 5, outputs: 2 };
  const expected: Record<string, { input: (number | null)[]; output: (number | null)[] }> = {
    'one-to-many': { input: [null, 3], output: [null, 4, 2] },
    'many-to-one': { input: [null, 6, 3], output: [null, 2] },
    'many-to-many': { input: [null, 6, 3], output: [null, 6, 2] },
    seq2seq: { input: [null, 6, 3], output: [null, 4, 2] },
  };
  test.each(RNN_SHAPES)('%s has the right input and output shapes and runs', (shape) => {
    const before = tf.memory().numTensors;
    const m = rnnShapeModel(shape, sizes);
    expect(m.inputs[0].shape).toEqual(expected[shape].input);
    expect(m.outputs[0].shape).toEqual(expected[shape].output);
    const x = tf.ones([2, ...(expected[shape].input.slice(1) as number[])]);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, ...(expected[shape].output.slice(1) as number[])]);
    tf.dispose([x, y]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  test('parameter counts follow the layers (SimpleRNN, 3 -> 5 units, Dense 5 -> 2)', () => {
    const rnn = recurrentParamCount('simpleRNN', 3, 5);
    const head = 5 * 2 + 2;
    const count = (shape: (typeof RNN_SHAPES)[number], kind?: 'gru'): number => {
      const m = rnnShapeModel(shape, { ...sizes, kind });
      const n = m.countParams();
      m.dispose();
      return n;
    };
    expect(count('many-to-one')).toBe(rnn + head);
    expect(count('many-to-many')).toBe(rnn + head);
    expect(count('one-to-many')).toBe(rnn + head);
    expect(count('seq2seq')).toBe(rnn + recurrentParamCount('simpleRNN', 5, 5) + head);
    expect(count('seq2seq', 'gru')).toBe(recurrentParamCount('gru', 3, 5) + recurrentParamCount('gru', 5, 5) + head);
    expect(() => rnnShapeModel('two-to-one' as never, sizes)).toThrow(/unknown shape 'two-to-one'/);
  });
});

describe('gradient norm by time lag', () => {
  test('a SimpleRNN with small recurrent weights forgets geometrically; lag 0 is the last step', () => {
    setGlobalSeed(1);
    const before = tf.memory().numTensors;
    const layer = tf.layers.simpleRNN({ units: 1, inputShape: [12, 1], useBias: false, activation: 'linear' });
    const m = tf.sequential({ layers: [layer] });
    const ws = [tf.tensor2d([[1]]), tf.tensor2d([[0.5]])];
    layer.setWeights(ws);
    tf.dispose(ws);
    const x = tf.randomNormal([3, 12, 1]) as tf.Tensor3D;
    const g = inputGradientByLag(m, x);
    // linear RNN h_T = sum_k 0.5^k x_{T-k}: d h_T / d x_{T-k} = 0.5^k exactly
    expect(g.lag).toEqual(Array.from({ length: 12 }, (_, k) => k));
    g.norm.forEach((v, k) => expect(v).toBeCloseTo(0.5 ** k, 6));
    x.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  test('works through LSTM layers and rejects rank-2 input', () => {
    setGlobalSeed(2);
    const m = sequenceRegressor('lstm', { steps: 8, features: 1, units: 4 });
    const x = tf.randomNormal([2, 8, 1]) as tf.Tensor3D;
    const g = inputGradientByLag(m, x);
    expect(g.norm).toHaveLength(8);
    for (const v of g.norm) expect(v).toBeGreaterThan(0);
    const x2 = tf.ones([2, 8]);
    expect(() => inputGradientByLag(m, x2 as unknown as tf.Tensor3D)).toThrow(/must be \[batch, steps, features\]/);
    tf.dispose([x, x2]);
    m.dispose();
  });
});

describe('recurrentLayer input checks', () => {
  test('a wrapper kind or an unknown kind throws naming the fix', () => {
    expect(() => recurrentLayer('biLSTM' as never, { units: 2 })).toThrow(/unknown kind 'biLSTM'.*bidirectionalLstm/);
    expect(() => recurrentLayer('lstm', { units: 0 })).toThrow(/units must be a positive integer/);
  });
});

describe('UnitForgetBias (forget-gate bias 1 without tfjs 4.22 unitForgetBias leak)', () => {
  test('building and disposing LSTM and biLSTM regressors leaves no tensors', () => {
    const before = tf.memory().numTensors;
    for (const kind of ['lstm', 'biLSTM'] as const) sequenceRegressor(kind, { steps: 5, features: 2, units: 3 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
  test('both directions of the biLSTM start with forget bias 1, and the config round-trips', async () => {
    const m = sequenceRegressor('biLSTM', { steps: 5, features: 2, units: 3 });
    const biases = m.layers[0].getWeights().filter((w) => w.rank === 1).map((w) => Array.from(w.dataSync()));
    expect(biases).toHaveLength(2);
    for (const b of biases) expect(b).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const json = JSON.stringify(m.toJSON(null, false));
    expect(json).toContain('UnitForgetBias');
    const copy = await tf.models.modelFromJSON({ modelTopology: JSON.parse(json) as tf.io.ModelJSON['modelTopology'] });
    expect(copy.countParams()).toBe(m.countParams());
    copy.dispose();
    m.dispose();
  });
  test('a non-LSTM bias shape throws', () => {
    expect(() => new UnitForgetBias().apply([6])).toThrow(/expected an LSTM bias of shape \[4 \* units\], got \[6\]/);
  });
});
