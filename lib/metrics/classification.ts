/**
 * Classification metrics on plain numbers: accuracy (from class ids, one-hot rows or
 * probability rows), confusion matrix (rows = true class, columns = predicted, as sklearn),
 * per-class precision / recall / F1, and sklearn's classification report (the same text, plus
 * the numbers as data).
 *
 * Inputs may be tf tensors (rank 1: class ids; rank 2: one-hot or probabilities, argmax per
 * row; a single column is read as a binary probability, > 0.5 -> 1), arrays of rows, or
 * 1-D arrays / typed arrays of class ids.
 *
 * Usage:
 *   accuracy(yTest, model.predict(xTest) as tf.Tensor)       // 0.87
 *   const r = classificationReport(yTest, probs, { targetNames: CLASS_NAMES }); console.log(r.text);
 */
import * as tf from '@tensorflow/tfjs';

/** Class labels or scores: a tensor, rows of scores, or a flat list of class ids. */
export type ClassInput = tf.Tensor | ArrayLike<number> | ArrayLike<number>[] | number[][];

function isRows(x: ClassInput): x is ArrayLike<number>[] {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

function argmaxRow(row: ArrayLike<number>): number {
  if (row.length === 1) return row[0] > 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * Turns labels or scores into integer class ids (argmax of rows; a single column is a binary
 * probability thresholded at 0.5).
 *
 * Usage: `toClassIds(tf.tensor2d([[0.1, 0.9]])) // Int32Array [1]`
 */
export function toClassIds(x: ClassInput, what = 'labels'): Int32Array {
  if (x instanceof tf.Tensor) {
    if (x.rank === 1) return toClassIds(x.dataSync() as Float32Array | Int32Array, what);
    if (x.rank === 2) {
      const [n, k] = x.shape as [number, number];
      if (k === 1) {
        const d = x.dataSync();
        return Int32Array.from(d, (v) => (v > 0.5 ? 1 : 0));
      }
      return tf.tidy(() => tf.argMax(x, 1).dataSync() as Int32Array).slice(0, n);
    }
    throw new Error(`${what}: expected a rank-1 tensor of class ids or a rank-2 tensor of scores, got rank ${x.rank}; reshape it to [n] or [n, classes].`);
  }
  if (isRows(x)) return Int32Array.from(x, argmaxRow);
  const flat = x as ArrayLike<number>;
  const out = new Int32Array(flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (!Number.isInteger(v) || v < 0) throw new Error(`${what}[${i}] = ${v} is not a class id (a whole number >= 0); pass class ids or rows of scores.`);
    out[i] = v;
  }
  return out;
}

function pair(yTrue: ClassInput, yPred: ClassInput): [Int32Array, Int32Array] {
  const t = toClassIds(yTrue, 'yTrue');
  const p = toClassIds(yPred, 'yPred');
  if (t.length !== p.length) throw new Error(`yTrue has ${t.length} samples but yPred has ${p.length}; pass predictions for the same samples.`);
  if (t.length === 0) throw new Error('No samples: yTrue and yPred are empty.');
  return [t, p];
}

/**
 * Fraction of samples whose predicted class equals the true class.
 *
 * Usage: `accuracy([0, 1, 2, 2], [[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0, 0, 1], [0.5, 0.4, 0.1]]) // 0.75`
 */
export function accuracy(yTrue: ClassInput, yPred: ClassInput): number {
  const [t, p] = pair(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hit++;
  return hit / t.length;
}

/**
 * Confusion matrix of counts: cm[i][j] = samples of true class i predicted as j. The size is
 * numClasses, or 1 + the largest class id seen.
 *
 * Usage: `confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1]) // [[1,0,0],[0,0,1],[0,1,1]]`
 */
export function confusionMatrix(yTrue: ClassInput, yPred: ClassInput, options: { numClasses?: number } = {}): number[][] {
  const [t, p] = pair(yTrue, yPred);
  let k = options.numClasses ?? 0;
  if (options.numClasses === undefined) for (let i = 0; i < t.length; i++) k = Math.max(k, t[i] + 1, p[i] + 1);
  if (!Number.isInteger(k) || k < 1) throw new Error(`confusionMatrix: numClasses must be a whole number >= 1, got ${k}.`);
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= k || p[i] >= k) throw new Error(`confusionMatrix: class id ${Math.max(t[i], p[i])} at sample ${i} is >= numClasses ${k}; raise numClasses.`);
    cm[t[i]][p[i]]++;
  }
  return cm;
}

/** Precision, recall, F1 and support of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision, recall, F1 and support from a confusion matrix (0 where a ratio is
 * 0/0, as sklearn's zero_division default reports).
 *
 * Usage: `perClassScores(confusionMatrix(yTrue, yPred))[2].f1`
 */
export function perClassScores(cm: number[][]): ClassScores[] {
  const k = cm.length;
  if (k === 0 || cm.some((r) => r.length !== k)) throw new Error('perClassScores: the confusion matrix must be square and non-empty; build it with confusionMatrix().');
  return cm.map((row, i) => {
    const tp = row[i];
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += cm[r][i];
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}

/** The numbers and text of a classification report. */
export interface ClassificationReport {
  /** One row per class, in class-id order. */
  classes: (ClassScores & { name: string; classId: number })[];
  accuracy: number;
  macroAvg: ClassScores;
  weightedAvg: ClassScores;
  /** The confusion matrix over the reported classes. */
  confusion: number[][];
  /** The report formatted exactly like sklearn.metrics.classification_report. */
  text: string;
}

function maxOf(xs: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m;
}

/** Python's format(x, '.Nf'): round half to even on exact ties (JS toFixed rounds them up). */
function pyFixed(x: number, digits: number): string {
  const scale = Math.pow(10, digits);
  const scaled = x * scale;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) {
    const n = floor % 2 === 0 ? floor : floor + 1;
    return (n / scale).toFixed(digits);
  }
  return x.toFixed(digits);
}

/**
 * sklearn's classification_report: per-class precision, recall, F1 and support, accuracy,
 * macro and weighted averages, as text (same layout and rounding) and as data. Classes are
 * 0..numClasses-1 (numClasses defaults to targetNames.length, else the classes seen, as
 * sklearn's labels).
 *
 * Usage: `console.log(classificationReport(yTrue, yPred, { targetNames: ['T-shirt', 'Trouser'] }).text)`
 */
export function classificationReport(
  yTrue: ClassInput,
  yPred: ClassInput,
  options: { targetNames?: string[]; digits?: number; numClasses?: number } = {},
): ClassificationReport {
  const [t, p] = pair(yTrue, yPred);
  const digits = options.digits ?? 2;
  if (!Number.isInteger(digits) || digits < 0 || digits > 10) throw new Error(`classificationReport: digits must be a whole number in 0..10, got ${digits}.`);
  let labels: number[];
  const k = options.numClasses ?? options.targetNames?.length;
  if (k !== undefined) {
    const top = Math.max(maxOf(t), maxOf(p));
    if (top >= k) {
      throw new Error(`classificationReport: class id ${top} appears but only ${k} classes were named (targetNames/numClasses); give one name per class.`);
    }
    labels = Array.from({ length: k }, (_, i) => i);
  } else {
    labels = Array.from(new Set([...t, ...p])).sort((a, b) => a - b);
  }
  if (options.targetNames && options.targetNames.length !== labels.length) {
    throw new Error(`classificationReport: ${options.targetNames.length} target names for ${labels.length} classes; give one name per class.`);
  }
  const size = Math.max(maxOf(labels), maxOf(t), maxOf(p)) + 1;
  const full = confusionMatrix(t, p, { numClasses: size });
  const confusion = labels.map((i) => labels.map((j) => full[i][j]));
  // precision needs all predictions of a class, including from classes outside `labels`
  const scores = labels.map((c) => {
    const tp = full[c][c];
    const support = full[c].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < size; r++) predicted += full[r][c];
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
  const names = options.targetNames ?? labels.map(String);
  const classes = scores.map((s, i) => ({ ...s, name: names[i], classId: labels[i] }));
  const total = scores.reduce((a, s) => a + s.support, 0);
  const avg = (w: (s: ClassScores) => number, denom: number): ClassScores => ({
    precision: scores.reduce((a, s) => a + w(s) * s.precision, 0) / denom,
    recall: scores.reduce((a, s) => a + w(s) * s.recall, 0) / denom,
    f1: scores.reduce((a, s) => a + w(s) * s.f1, 0) / denom,
    support: total,
  });
  const macroAvg = avg(() => 1, scores.length);
  const weightedAvg = total === 0 ? { precision: 0, recall: 0, f1: 0, support: 0 } : avg((s) => s.support, total);
  const acc = accuracy(t, p);

  const width = Math.max(...names.map((n) => n.length), 'weighted avg'.length, digits);
  const pad = (s: string, w: number): string => s.padStart(w);
  const num = (x: number): string => ' ' + pad(pyFixed(x, digits), 9);
  const row = (name: string, s: ClassScores): string => `${pad(name, width)} ${num(s.precision)}${num(s.recall)}${num(s.f1)} ${pad(String(s.support), 9)}\n`;
  let text = `${pad('', width)} ${['precision', 'recall', 'f1-score', 'support'].map((h) => ' ' + pad(h, 9)).join('')}\n\n`;
  classes.forEach((c) => { text += row(c.name, c); });
  text += '\n';
  text += `${pad('accuracy', width)} ${' ' + pad('', 9)}${' ' + pad('', 9)}${num(acc)} ${pad(String(total), 9)}\n`;
  text += row('macro avg', macroAvg);
  text += row('weighted avg', weightedAvg);
  return { classes, accuracy: acc, macroAvg, weightedAvg, confusion, text };
}
