// A model or tensor used after it was freed (a cell re-run after the notebook's clean-up cell)
// gets an error that says what happened and what to run, from every entry point.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { compile } from '../lib/train/compile';
import { evaluate, fit, predict } from '../lib/train/fit';
import { saveModel } from '../lib/train/saving';
import { summary } from '../lib/train/summary';
import { assertUsableModel, isDisposedModel } from '../lib/train/usable';

function model(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.dense({ units: 1 })] });
}

describe('disposed models and tensors', () => {
  it('names the model, says it was freed and to re-run the cells that build it, in fit/evaluate/predict/summary/compile/saveModel', async () => {
    const before = tf.memory().numTensors;
    const m = model();
    compile(m, { optimizer: 'sgd', loss: 'mse' });
    const x = tf.ones([8, 4]);
    const y = tf.ones([8, 1]);
    expect(isDisposedModel(m)).toBe(false);
    m.dispose();
    expect(isDisposedModel(m)).toBe(true);
    const said = new RegExp(`model '${m.name}' has been disposed \\(freed\\).*clean-up cell.*re-run the cells that build it \\(Cell > Run All Above\\)`);
    await expect(fit(m, x, y, { verbose: 0 })).rejects.toThrow(new RegExp(`^fit: ${said.source}`));
    expect(() => evaluate(m, x, y, { verbose: 0 })).toThrow(new RegExp(`^evaluate: ${said.source}`));
    expect(() => predict(m, x)).toThrow(new RegExp(`^predict: ${said.source}`));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(() => summary(m)).toThrow(new RegExp(`^summary: ${said.source}`));
    } finally {
      log.mockRestore();
    }
    expect(() => compile(m, { optimizer: 'sgd', loss: 'mse' })).toThrow(new RegExp(`^compile: ${said.source}`));
    await expect(saveModel(m, '/tmp/never-written')).rejects.toThrow(/^saveModel: model .* has been disposed/);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says a freed tensor was freed and what to run', () => {
    const m = model();
    const x = tf.ones([2, 4]);
    x.dispose();
    expect(() => predict(m, x)).toThrow(/^predict: x has been disposed \(freed\), so its values are gone\. .*re-run the cells that build it/);
    m.dispose();
  });

  it('refuses something that is not a model, pointing at the cells above', () => {
    expect(() => assertUsableModel('fit', undefined)).toThrow(/^fit: expected a tfjs model .*got undefined\. .*run the cells above first/);
  });
});
