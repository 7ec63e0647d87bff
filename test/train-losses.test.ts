import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compile, resolveMetric } from '../lib/train/compile';
import { evaluate } from '../lib/train/fit';
import { isKerasOptimizer } from '../lib/optim';
import {
  binaryAccuracy,
  binaryCrossentropy,
  categoricalAccuracy,
  categoricalCrossentropy,
  meanAbsoluteError,
  meanSquaredError,
  meanSquaredLogarithmicError,
  resolveLoss,
  sparseCategoricalAccuracy,
  sparseCategoricalCrossentropy,
} from '../lib/train/losses';

const values = (t: tf.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

describe('Keras losses, per sample', () => {
  it('mse, mae and msle average over every non-batch axis', () => {
    const y = tf.tensor2d([[1, 2], [0, 0]]);
    const p = tf.tensor2d([[2, 4], [0, -1]]);
    expect(values(meanSquaredError(y, p))).toEqual([2.5, 0.5]);
    expect(values(meanAbsoluteError(y, p))).toEqual([1.5, 0.5]);
    const msle = values(meanSquaredLogarithmicError(y, p));
    expect(msle[0]).toBeCloseTo(((Math.log(3) - Math.log(2)) ** 2 + (Math.log(5) - Math.log(3)) ** 2) / 2, 6);
    // predictions below 0 are clipped to eps: (log1p(1e-7) - log1p(1e-7))^2 = 0 for the second pair
    expect(msle[1]).toBeCloseTo(0, 10);
    // targets of shape [n] against outputs [n, 1] (Keras expands them)
    expect(values(meanSquaredError(tf.tensor1d([1, 2]), tf.tensor2d([[0], [0]])))).toEqual([1, 4]);
    tf.dispose([y, p]);
  });

  it('crossentropies match hand computations with Keras clipping at 1e-7', () => {
    const probs = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [1, 0, 0]]);
    const labels = tf.tensor1d([0, 1, 1], 'int32');
    const oneHot = tf.oneHot(labels, 3).cast('float32');
    const sparse = values(sparseCategoricalCrossentropy()(labels, probs));
    expect(sparse[0]).toBeCloseTo(-Math.log(0.7), 5);
    expect(sparse[1]).toBeCloseTo(-Math.log(0.1), 5);
    expect(sparse[2]).toBeCloseTo(-Math.log(1e-7), 3); // p = 0 clipped, finite
    const cat = values(categoricalCrossentropy()(oneHot, probs));
    sparse.forEach((v, i) => expect(cat[i]).toBeCloseTo(v, 4));
    // labels as [n, 1] floats work too
    const again = values(sparseCategoricalCrossentropy()(tf.tensor2d([[0], [1], [1]]), probs));
    sparse.forEach((v, i) => expect(again[i]).toBeCloseTo(v, 6));
    const logits = tf.tensor2d([[2, 0, -1]]);
    const fromLogits = values(sparseCategoricalCrossentropy({ fromLogits: true })(tf.tensor1d([0], 'int32'), logits));
    expect(fromLogits[0]).toBeCloseTo(Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2, 5);
    const bce = values(binaryCrossentropy()(tf.tensor2d([[1, 0]]), tf.tensor2d([[0.9, 0.2]])));
    expect(bce[0]).toBeCloseTo((-Math.log(0.9) - Math.log(0.8)) / 2, 5);
    const bceLogits = values(binaryCrossentropy({ fromLogits: true })(tf.tensor2d([[1, 0]]), tf.tensor2d([[2, -1]])));
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    expect(bceLogits[0]).toBeCloseTo((-Math.log(sig(2)) - Math.log(1 - sig(-1))) / 2, 5);
    tf.dispose([probs, labels, oneHot, logits]);
  });

  it('accuracies per sample, and "accuracy" picked from the loss the Keras way', () => {
    const probs = tf.tensor2d([[0.7, 0.3], [0.4, 0.6], [0.9, 0.1]]);
    const labels = tf.tensor1d([0, 0, 0], 'int32');
    expect(values(sparseCategoricalAccuracy(labels, probs))).toEqual([1, 0, 1]);
    expect(values(categoricalAccuracy(tf.oneHot(labels, 2), probs))).toEqual([1, 0, 1]);
    expect(values(binaryAccuracy(tf.tensor2d([[1], [0], [1]]), tf.tensor2d([[0.8], [0.7], [0.2]])))).toEqual([1, 0, 0]);
    const sparseAcc = resolveMetric('accuracy', resolveLoss('sparse_categorical_crossentropy'));
    expect(values(sparseAcc.fn(labels, probs))).toEqual([1, 0, 1]);
    const byShape = resolveMetric('acc', resolveLoss('mse'));
    expect(byShape.name).toBe('acc');
    expect(values(byShape.fn(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.6], [0.6]])))).toEqual([1, 0]);
    tf.dispose([probs, labels]);
  });

  it('accepts Keras names and custom functions in compile, and rejects unknown ones', () => {
    for (const name of ['mse', 'mean_squared_error', 'meanSquaredError']) expect(resolveLoss(name).name).toBe('mean_squared_error');
    expect(resolveLoss('msle').kind).toBe('mean_squared_logarithmic_error');
    expect(() => resolveLoss('kld')).toThrow(/unknown loss 'kld'.*sparse_categorical_crossentropy/);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false })] });
    const x = tf.tensor2d([[1], [2]]);
    const y = tf.tensor2d([[0], [0]]);
    compile(model, { optimizer: 'adam', loss: function sumAbs(t, p) { return tf.sum(tf.abs(tf.sub(t, p))); }, metrics: ['mse', { name: 'max_err', fn: (t, p) => tf.max(tf.abs(tf.sub(t, p))) }] });
    const r = evaluate(model, x, y, { batchSize: 2, verbose: 0 });
    expect(r).toEqual({ loss: 3, mse: 2.5, max_err: 2 });
    expect(() => compile(model, { optimizer: 'adam', loss: 'mse', metrics: ['mse', 'mse'] })).toThrow(/used twice/);
    expect(() => compile(model, { optimizer: 'lbfgs' as 'adam', loss: 'mse' })).toThrow(/unknown optimizer 'lbfgs'/);
    const nadam = compile(model, { optimizer: 'nadam', loss: 'mse' }).optimizer;
    expect(isKerasOptimizer(nadam) && nadam.kind).toBe('Nadam');
    tf.dispose([x, y]);
    model.dispose();
  });
});
