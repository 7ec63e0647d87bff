import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { accuracy, classificationReport, confusionMatrix, perClassScores, toClassIds } from '../lib/metrics';

describe('accuracy', () => {
  it('works from class ids, one-hot rows, probability rows and tensors', () => {
    expect(accuracy([0, 1, 2, 2], [0, 2, 2, 1])).toBe(0.5);
    const probs = [[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0, 0, 1], [0.5, 0.4, 0.1]];
    expect(accuracy([0, 1, 2, 2], probs)).toBe(0.75);
    const oneHot = tf.oneHot(tf.tensor1d([0, 1, 2, 2], 'int32'), 3);
    const p = tf.tensor2d(probs);
    expect(accuracy(oneHot, p)).toBe(0.75);
    expect(accuracy(Int32Array.from([1, 0, 1]), tf.tensor2d([[0.8], [0.3], [0.4]]))).toBeCloseTo(2 / 3, 12); // binary column
    expect(Array.from(toClassIds(p))).toEqual([0, 1, 2, 0]);
    tf.dispose([oneHot, p]);
  });
  it('rejects mismatched lengths and non-class ids', () => {
    expect(() => accuracy([0, 1], [0])).toThrow(/2 samples but yPred has 1/);
    expect(() => accuracy([0, 1.5], [0, 1])).toThrow(/not a class id/);
    expect(() => accuracy([], [])).toThrow(/No samples/);
  });
});

describe('confusion matrix and per-class scores', () => {
  it('counts rows = true, columns = predicted (hand-computed)', () => {
    const cm = confusionMatrix([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]);
    expect(cm).toEqual([[1, 0, 0], [1, 0, 0], [0, 1, 2]]);
    expect(confusionMatrix([0, 1], [1, 1], { numClasses: 4 })).toEqual([[0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
    expect(() => confusionMatrix([0, 5], [0, 1], { numClasses: 3 })).toThrow(/raise numClasses/);
    const s = perClassScores(cm);
    expect(s[0]).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(s[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(s[2].precision).toBe(1);
    expect(s[2].recall).toBeCloseTo(2 / 3, 12);
    expect(s[2].f1).toBeCloseTo(0.8, 12);
  });
});

describe('classification report', () => {
  it('reproduces sklearn\'s documented example exactly', () => {
    const r = classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], { targetNames: ['class 0', 'class 1', 'class 2'] });
    const expected = [
      '              precision    recall  f1-score   support',
      '',
      '     class 0       0.50      1.00      0.67         1',
      '     class 1       0.00      0.00      0.00         1',
      '     class 2       1.00      0.67      0.80         3',
      '',
      '    accuracy                           0.60         5',
      '   macro avg       0.50      0.56      0.49         5',
      'weighted avg       0.70      0.60      0.61         5',
      '',
    ].join('\n');
    expect(r.text).toBe(expected);
    expect(r.accuracy).toBe(0.6);
    expect(r.macroAvg.recall).toBeCloseTo((1 + 0 + 2 / 3) / 3, 12);
    expect(r.weightedAvg.precision).toBeCloseTo((0.5 + 0 + 3) / 5, 12);
    expect(r.classes.map((c) => c.name)).toEqual(['class 0', 'class 1', 'class 2']);
    expect(r.confusion).toEqual([[1, 0, 0], [1, 0, 0], [0, 1, 2]]);
  });

  it('uses the classes seen by default, digits, and rounds half to even like Python', () => {
    // class 7 only: precision 1/8 = 0.125 -> Python prints 0.12 (JS toFixed would print 0.13)
    const yTrue = [7, 3, 3, 3, 3, 3, 3, 3];
    const yPred = [7, 7, 7, 7, 7, 7, 7, 7];
    const r = classificationReport(yTrue, yPred);
    expect(r.classes.map((c) => c.classId)).toEqual([3, 7]);
    const line7 = r.text.split('\n').find((l) => l.trim().startsWith('7 '));
    expect(line7).toBe('           7       0.12      1.00      0.22         1');
    const r4 = classificationReport([0, 1], [0, 1], { digits: 4 });
    expect(r4.text).toContain('    1.0000');
    expect(() => classificationReport([0, 1], [0, 1], { targetNames: ['a'] })).toThrow(/one name per class/);
  });
});
