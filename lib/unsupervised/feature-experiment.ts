/**
 * The seed-002 experiment: reduce MNIST digits {0, 1, 2, 4, 7} to k features with PCA, an
 * autoencoder (784-k-784), a deeper autoencoder (784-400-k-400-784) or a denoising autoencoder,
 * then train a classifier (512-256-256, 512-512-512 or 512-256-128-64; logistic hidden units,
 * softmax, Adam lr 0.001, batch 32, cross-entropy, early stopping) on the features, and report
 * reconstruction errors (train / val / test), validation and test accuracy and the confusion
 * matrix.
 *
 * Choices the report leaves open, fixed here and stated: autoencoders use logistic (sigmoid)
 * hidden and output units ("784 linear | k logistic | 784 logistic"), MSE loss, Adam, early
 * stopping on the validation loss; reconstruction error = mean over samples of the per-pixel
 * MSE; the denoising autoencoder has the one-hidden-layer shape, is trained on "p % noise"
 * inputs (see noise.ts: clip(x + p/100 N(0,1), 0, 1), fresh noise every epoch) and its error is
 * measured from noisy inputs (fixed seed) to clean targets; features are standardised (fit on
 * train) before the classifier.
 *
 * Usage:
 *   const s = splitPerClass(mnist.all, { classes: [0, 1, 2, 4, 7], perClass: 300 });
 *   const data = experimentData(s.train, s.val, s.test, s.classes);
 *   const { rows } = await runFeatureExperiment({ data, extractors: [{ kind: 'pca', k: 32 }], classifiers: [[512, 256, 256]] });
 *   showMarkdown(resultsTable(rows));
 *   data.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/images';
import { PCA } from './pca';
import { StandardScaler } from './scalers';
import { addNoise, noisePercent } from './noise';
import { fitWithEarlyStopping } from './early-stopping-fit';
import { compile } from '../train/compile';
import { reconstructionErrorsOf } from './anomaly';
import { confusionMatrix } from '../metrics/classification';

/** One split as plain arrays: row-major pixels in [0, 1] and one label per row. */
export interface LabelledSet {
  x: Float32Array;
  labels: ArrayLike<number>;
  nFeatures: number;
}

/** Train / val / test as tensors, labels as class indices 0..C-1. */
export interface ExperimentData {
  train: { x: tf.Tensor2D; y: Int32Array };
  val: { x: tf.Tensor2D; y: Int32Array };
  test: { x: tf.Tensor2D; y: Int32Array };
  /** The original labels, in index order (e.g. [0, 1, 2, 4, 7]). */
  classes: number[];
  nFeatures: number;
  /** Frees the tensors. */
  dispose(): void;
}

/** Train / val / test numbers. */
export interface SplitErrors {
  train: number;
  val: number;
  test: number;
}

/** A feature extractor of the report. */
export type ExtractorSpec =
  | { kind: 'pca'; k: number; preprocess?: 'center' | 'standardize' }
  | { kind: 'ae'; k: number }
  | { kind: 'ae3'; k: number; hidden?: number }
  | { kind: 'dae'; k: number; noisePercent: number };

/** A classifier shape: hidden layer sizes, e.g. [512, 256, 256]. */
export type ClassifierShape = number[];

/** The report's three classifier shapes. Usage: `runFeatureExperiment({ ..., classifiers: [...SEED002_CLASSIFIERS] })` */
export const SEED002_CLASSIFIERS: readonly ClassifierShape[] = Object.freeze([
  [512, 256, 256],
  [512, 512, 512],
  [512, 256, 128, 64],
]);

/** The report's digits. Usage: `splitPerClass(mnist.all, { classes: SEED002_CLASSES })` */
export const SEED002_CLASSES: readonly number[] = Object.freeze([0, 1, 2, 4, 7]);

/** Converts an lib/data ImageSplit (bytes) to a LabelledSet (pixels / 255). Usage: `fromImageSplit(s.train)` */
export function fromImageSplit(split: ImageSplit): LabelledSet {
  const px = split.height * split.width;
  const x = new Float32Array(split.count * px);
  for (let i = 0; i < x.length; i++) x[i] = split.images[i] / 255;
  return { x, labels: split.labels, nFeatures: px };
}

function asLabelled(s: LabelledSet | ImageSplit): LabelledSet {
  return 'images' in s ? fromImageSplit(s) : s;
}

/**
 * Builds the experiment's tensors from three splits (ImageSplits from lib/data, or plain
 * LabelledSets); `classes` lists the labels to expect, in index order.
 *
 * Usage: `const data = experimentData(s.train, s.val, s.test, [0, 1, 2, 4, 7]);`
 */
export function experimentData(train: LabelledSet | ImageSplit, val: LabelledSet | ImageSplit, test: LabelledSet | ImageSplit, classes: readonly number[]): ExperimentData {
  const index = new Map(classes.map((c, i) => [c, i]));
  const parts = [train, val, test].map(asLabelled);
  const d = parts[0].nFeatures;
  const made = parts.map((p, which) => {
    const n = p.labels.length;
    if (p.nFeatures !== d) throw new Error(`experimentData: split ${which} has ${p.nFeatures} features but train has ${d}.`);
    if (p.x.length !== n * d) throw new Error(`experimentData: split ${which} has ${p.x.length} values for ${n} labels of ${d} features.`);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = index.get(p.labels[i]);
      if (c === undefined) throw new Error(`experimentData: label ${p.labels[i]} (split ${which}, row ${i}) is not in classes [${classes.join(', ')}]; filter the split first.`);
      y[i] = c;
    }
    return { x: tf.tensor2d(p.x, [n, d]), y };
  });
  return {
    train: made[0],
    val: made[1],
    test: made[2],
    classes: [...classes],
    nFeatures: d,
    dispose: () => tf.dispose(made.map((m) => m.x)),
  };
}

/** A readable name: 'PCA-32', 'AE 784-32-784', 'AE 784-400-32-400-784', 'DAE 784-256-784, 20 % noise'. Usage: `extractorName({ kind: 'pca', k: 32 })` */
export function extractorName(spec: ExtractorSpec, nFeatures = 784): string {
  switch (spec.kind) {
    case 'pca':
      return `PCA-${spec.k}`;
    case 'ae':
      return `AE ${nFeatures}-${spec.k}-${nFeatures}`;
    case 'ae3': {
      const h = spec.hidden ?? 400;
      return `AE ${nFeatures}-${h}-${spec.k}-${h}-${nFeatures}`;
    }
    case 'dae':
      return `DAE ${nFeatures}-${spec.k}-${nFeatures}, ${spec.noisePercent} % noise`;
  }
}

/** How the autoencoders are trained. */
export interface ExtractorTraining {
  /** Upper bound on epochs (default 30). */
  maxEpochs?: number;
  /** Early-stopping patience on val loss (default 3). */
  patience?: number;
  /** Default 32. */
  batchSize?: number;
  /** Adam learning rate (default 0.001). */
  learningRate?: number;
  /** Seed of the noise (default 42). */
  seed?: number;
}

/** A fitted feature extractor. */
export interface FittedExtractor {
  name: string;
  spec: ExtractorSpec;
  k: number;
  /** Mean per-sample MSE of reconstructing each split (DAE: noisy inputs to clean targets). */
  reconstructionError: SplitErrors;
  /** The same from clean inputs (equal to reconstructionError except for the DAE). */
  cleanReconstructionError: SplitErrors;
  /** Epochs trained (0 for PCA). */
  epochs: number;
  /** x [n, d] -> features [n, k]; the caller disposes the result. */
  encode(x: tf.Tensor2D): tf.Tensor2D;
  /** x [n, d] -> reconstruction [n, d]; the caller disposes the result. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D;
  /** First-layer weights as [d, units] row-major (for hidden-unit images). */
  firstLayerWeights(): { data: Float32Array; rows: number; cols: number };
  /** Frees the model. */
  dispose(): void;
}

function splitErrors(fn: (x: tf.Tensor2D, target: tf.Tensor2D) => number, data: ExperimentData, noisy?: { train: tf.Tensor2D; val: tf.Tensor2D; test: tf.Tensor2D }): SplitErrors {
  return {
    train: fn(noisy?.train ?? data.train.x, data.train.x),
    val: fn(noisy?.val ?? data.val.x, data.val.x),
    test: fn(noisy?.test ?? data.test.x, data.test.x),
  };
}

/**
 * Fits one extractor on the training split (early stopping on the validation split).
 *
 * Usage: `const ex = await fitExtractor({ kind: 'ae', k: 32 }, data, { maxEpochs: 20 }); ex.reconstructionError.test;`
 */
export async function fitExtractor(spec: ExtractorSpec, data: ExperimentData, training: ExtractorTraining = {}): Promise<FittedExtractor> {
  if (!Number.isInteger(spec.k) || spec.k < 1 || spec.k > data.nFeatures) throw new Error(`fitExtractor: k must be an integer in 1..${data.nFeatures}, got ${spec.k}.`);
  const name = extractorName(spec, data.nFeatures);
  const d = data.nFeatures;
  if (spec.kind === 'pca') {
    const pca = new PCA({ nComponents: spec.k, preprocess: spec.preprocess ?? 'center' }).fit(data.train.x);
    const err = (x: tf.Tensor2D): number => pca.reconstructionError(x);
    const errors = { train: err(data.train.x), val: err(data.val.x), test: err(data.test.x) };
    const comps = pca.components;
    return {
      name,
      spec,
      k: spec.k,
      reconstructionError: errors,
      cleanReconstructionError: errors,
      epochs: 0,
      encode: (x) => pca.transform(x),
      reconstruct: (x) => tf.tidy(() => pca.inverseTransform(pca.transform(x))),
      firstLayerWeights: () => {
        const out = new Float32Array(d * spec.k);
        for (let j = 0; j < spec.k; j++) for (let i = 0; i < d; i++) out[i * spec.k + j] = comps[j][i];
        return { data: out, rows: d, cols: spec.k };
      },
      dispose: () => undefined,
    };
  }
  const sizes = spec.kind === 'ae3' ? [spec.hidden ?? 400, spec.k] : [spec.k];
  // The encoder sees its input centred on the training mean (targets stay the raw pixels), like
  // PCA: with raw [0, 1] pixels, logistic units and glorotUniform, Adam sits on the "mean image"
  // plateau (MSE about 0.067) for some 35 epochs of 2,940 digits, and early stopping ends there.
  const mu = tf.tidy(() => data.train.x.mean(0));
  const centre = (x: tf.Tensor): tf.Tensor2D => tf.sub(x, mu) as tf.Tensor2D;
  const trainIn = centre(data.train.x);
  const valIn = centre(data.val.x);
  const input = tf.input({ shape: [d] });
  let h: tf.SymbolicTensor = input;
  const encLayers = sizes.map((u) => tf.layers.dense({ units: u, activation: 'sigmoid' }));
  for (const l of encLayers) h = l.apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({ inputs: input, outputs: h });
  let g: tf.SymbolicTensor = h;
  for (const u of [...sizes.slice(0, -1).reverse(), d]) g = tf.layers.dense({ units: u, activation: 'sigmoid' }).apply(g) as tf.SymbolicTensor;
  const autoencoder = tf.model({ inputs: input, outputs: g });
  const optimizer = tf.train.adam(training.learningRate ?? 0.001);
  compile(autoencoder, { optimizer, loss: 'mse' });
  const seed = training.seed ?? 42;
  const noise = spec.kind === 'dae' ? noisePercent(spec.noisePercent) : undefined;
  const noisyVal = noise ? tf.tidy(() => centre(addNoise(data.val.x, noise, seed + 100001))) : undefined;
  let epochs = 0;
  try {
    const r = await fitWithEarlyStopping(autoencoder, trainIn, data.train.x, [noisyVal ?? valIn, data.val.x], {
      maxEpochs: training.maxEpochs ?? 30,
      patience: training.patience ?? 3,
      batchSize: training.batchSize ?? 32,
      epochInputs: noise ? (epoch) => tf.tidy(() => centre(addNoise(data.train.x, noise, seed + epoch))) : undefined,
    });
    epochs = r.epochs;
  } finally {
    noisyVal?.dispose();
    tf.dispose([trainIn, valIn]);
    optimizer.dispose();
  }
  const err = (x: tf.Tensor2D, target: tf.Tensor2D): number => {
    const xc = centre(x);
    try {
      return average(reconstructionErrorsOf(autoencoder, xc, { target }));
    } finally {
      xc.dispose();
    }
  };
  const clean = splitErrors(err, data);
  let errors = clean;
  if (noise) {
    const noisy = {
      train: addNoise(data.train.x, noise, seed + 200001) as tf.Tensor2D,
      val: addNoise(data.val.x, noise, seed + 100001) as tf.Tensor2D,
      test: addNoise(data.test.x, noise, seed + 300001) as tf.Tensor2D,
    };
    errors = splitErrors(err, data, noisy);
    tf.dispose([noisy.train, noisy.val, noisy.test]);
  }
  return {
    name,
    spec,
    k: spec.k,
    reconstructionError: errors,
    cleanReconstructionError: clean,
    epochs,
    encode: (x) => tf.tidy(() => encoder.predict(centre(x), { batchSize: 256 }) as tf.Tensor2D),
    reconstruct: (x) => tf.tidy(() => autoencoder.predict(centre(x), { batchSize: 256 }) as tf.Tensor2D),
    firstLayerWeights: () => {
      const w = encLayers[0].getWeights()[0];
      return { data: Float32Array.from(w.dataSync()), rows: w.shape[0], cols: w.shape[1] as number };
    },
    dispose: () => {
      autoencoder.dispose();
      mu.dispose();
    },
  };
}

/** How the classifiers are trained (the report: Adam lr 0.001, batch 32, early stopping). */
export interface ClassifierTraining {
  /** Upper bound on epochs (default 50). */
  maxEpochs?: number;
  /** Early-stopping patience on val loss (default 5). */
  patience?: number;
  /** Default 32. */
  batchSize?: number;
  /** Default 0.001. */
  learningRate?: number;
  /** Hidden activation (default 'sigmoid', the report's "logistic"). */
  activation?: 'sigmoid' | 'relu' | 'tanh' | 'selu';
}

/** One classifier's results. */
export interface ClassifierResult {
  /** '512-256-256'. */
  classifier: string;
  valAccuracy: number;
  testAccuracy: number;
  /** Test confusion matrix, rows = true class index, columns = predicted. */
  confusion: number[][];
  /** Epochs run and the best (restored) epoch, 0-based. */
  epochs: number;
  bestEpoch: number;
}

function average(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return values.length ? s / values.length : NaN;
}

function accuracyOf(model: tf.LayersModel, x: tf.Tensor2D, y: Int32Array): { acc: number; pred: Int32Array } {
  const pred = tf.tidy(() => Int32Array.from((model.predict(x, { batchSize: 256 }) as tf.Tensor).argMax(-1).dataSync()));
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return { acc: y.length ? ok / y.length : NaN, pred };
}

/**
 * Trains a classifier (hidden sizes `shape`, softmax out) on features with early stopping and
 * reports val/test accuracy and the test confusion matrix.
 *
 * Usage: `const r = await trainClassifier({ train: fTr, val: fVa, test: fTe }, data, [512, 256, 256]);`
 */
export async function trainClassifier(
  features: { train: tf.Tensor2D; val: tf.Tensor2D; test: tf.Tensor2D },
  data: Pick<ExperimentData, 'train' | 'val' | 'test' | 'classes'>,
  shape: ClassifierShape,
  training: ClassifierTraining = {},
): Promise<ClassifierResult> {
  if (shape.length === 0 || shape.some((u) => !Number.isInteger(u) || u < 1)) throw new Error(`trainClassifier: shape must be hidden sizes such as [512, 256, 256], got [${shape.join(', ')}].`);
  const k = features.train.shape[1];
  const c = data.classes.length;
  const model = tf.sequential();
  shape.forEach((u, i) => model.add(tf.layers.dense({ units: u, activation: training.activation ?? 'sigmoid', inputShape: i === 0 ? [k] : undefined })));
  model.add(tf.layers.dense({ units: c, activation: 'softmax' }));
  const optimizer = tf.train.adam(training.learningRate ?? 0.001);
  compile(model, { optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const yTr = tf.tensor1d(data.train.y, 'float32');
  const yVa = tf.tensor1d(data.val.y, 'float32');
  try {
    const r = await fitWithEarlyStopping(model, features.train, yTr, [features.val, yVa], {
      maxEpochs: training.maxEpochs ?? 50,
      patience: training.patience ?? 5,
      batchSize: training.batchSize ?? 32,
    });
    const val = accuracyOf(model, features.val, data.val.y);
    const test = accuracyOf(model, features.test, data.test.y);
    return {
      classifier: shape.join('-'),
      valAccuracy: val.acc,
      testAccuracy: test.acc,
      confusion: confusionMatrix(Array.from(data.test.y), Array.from(test.pred), { numClasses: c }),
      epochs: r.epochs,
      bestEpoch: r.bestEpoch,
    };
  } finally {
    tf.dispose([yTr, yVa]);
    optimizer.dispose();
    model.dispose();
  }
}

/** One row of the results table. */
export interface ExperimentRow extends ClassifierResult {
  extractor: string;
  k: number;
  reconstructionError: SplitErrors;
  classes: number[];
}

/** Options of runFeatureExperiment. */
export interface FeatureExperimentOptions {
  data: ExperimentData;
  extractors: ExtractorSpec[];
  classifiers: ClassifierShape[];
  extractorTraining?: ExtractorTraining;
  classifierTraining?: ClassifierTraining;
  /** Called after each row (for progress). */
  onRow?: (row: ExperimentRow) => void;
  /** Keep the fitted extractors (for reconstructions and weight images); default false (disposed). */
  keepExtractors?: boolean;
}

/**
 * Every extractor x every classifier: fit the extractor once, standardise its features
 * (fit on train), train each classifier.
 *
 * Usage: see the module comment.
 */
export async function runFeatureExperiment(options: FeatureExperimentOptions): Promise<{ rows: ExperimentRow[]; extractors: FittedExtractor[] }> {
  const { data } = options;
  const rows: ExperimentRow[] = [];
  const kept: FittedExtractor[] = [];
  for (const spec of options.extractors) {
    const ex = await fitExtractor(spec, data, options.extractorTraining);
    const raw = { train: ex.encode(data.train.x), val: ex.encode(data.val.x), test: ex.encode(data.test.x) };
    const scaler = new StandardScaler().fit(raw.train);
    const feats = { train: scaler.transform(raw.train), val: scaler.transform(raw.val), test: scaler.transform(raw.test) };
    tf.dispose([raw.train, raw.val, raw.test]);
    try {
      for (const shape of options.classifiers) {
        const r = await trainClassifier(feats, data, shape, options.classifierTraining);
        const row: ExperimentRow = { ...r, extractor: ex.name, k: ex.k, reconstructionError: ex.reconstructionError, classes: data.classes };
        rows.push(row);
        options.onRow?.(row);
      }
    } finally {
      tf.dispose([feats.train, feats.val, feats.test]);
      if (options.keepExtractors) kept.push(ex);
      else ex.dispose();
    }
  }
  return { rows, extractors: kept };
}

const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
const err4 = (v: number): string => v.toFixed(4);

/**
 * The report's results table as markdown: extractor, classifier, reconstruction error
 * train / val / test, val and test accuracy. Usage: `showMarkdown(resultsTable(rows))`
 */
export function resultsTable(rows: readonly ExperimentRow[]): string {
  const head = '| features | classifier | recon. error train | val | test | val accuracy | test accuracy | epochs |\n| :--- | :--- | ---: | ---: | ---: | ---: | ---: | ---: |';
  const body = rows.map((r) => `| ${r.extractor} | ${r.classifier} | ${err4(r.reconstructionError.train)} | ${err4(r.reconstructionError.val)} | ${err4(r.reconstructionError.test)} | ${pct(r.valAccuracy)} | ${pct(r.testAccuracy)} | ${r.epochs} |`);
  return [head, ...body].join('\n');
}

/** A confusion matrix as markdown with class labels. Usage: `showMarkdown(confusionTable(row.confusion, row.classes))` */
export function confusionTable(confusion: readonly number[][], classes: readonly number[]): string {
  const head = `| true \\ predicted | ${classes.join(' | ')} |\n| :--- | ${classes.map(() => '---:').join(' | ')} |`;
  const body = confusion.map((r, i) => `| **${classes[i]}** | ${r.join(' | ')} |`);
  return [head, ...body].join('\n');
}

/** The row with the highest value of `by` (default validation accuracy; ties: first). Usage: `bestRow(rows)` */
export function bestRow(rows: readonly ExperimentRow[], by: 'valAccuracy' | 'testAccuracy' = 'valAccuracy'): ExperimentRow {
  if (rows.length === 0) throw new Error('bestRow: no rows.');
  return rows.reduce((b, r) => (r[by] > b[by] ? r : b));
}
