// %% [markdown]
// # 08 · PCA vs autoencoders
//
// Lecture 001 closes with autoencoders on Fashion-MNIST: a **linear autoencoder** that ends up doing
// PCA, a **stacked autoencoder** (784-100-30-100-784), its codes projected to 2-D for a picture,
// **tied weights**, **greedy layer-wise training**, a **convolutional autoencoder**, and the idea of
// **unsupervised pretraining**. The student report (seed 002) gives PCA's recipe in four steps, and
// the Keras slides (seed 004) state the link: "a single layer autoencoder with linear transfer
// function is nearly equivalent to PCA — the W found by AE and PCA won't be the same, but the
// subspace spanned by the respective W's will."
//
// Everything below runs on the library in `lib/unsupervised` and `lib/models/autoencoders.ts`.
// Numbers the seed prints are shown next to ours.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { Matrix, SVD } from 'ml-matrix';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadFashionMnist, seedSplit } from '../dist/lib/data/fashion-mnist';
import { toTensors } from '../dist/lib/data/tensors';
import { compile } from '../dist/lib/train/compile';
import { fit, evaluate } from '../dist/lib/train/fit';
import { disposeModels } from '../dist/lib/train/transfer';
import { showFigure, learningCurves, lineChart, scatterByClass, scatterWithThumbnails } from '../dist/lib/plots';
import { showImageRows, showWeightImages } from '../dist/lib/images';
import {
  PCA,
  LDA,
  symmetricEigen,
  buildLinearAutoencoder,
  buildStackedAutoencoder,
  buildTiedAutoencoder,
  buildConvAutoencoder,
  setTrainable,
  trainGreedyLayerwise,
  reconstructionErrorsOf,
  quantile,
  flagAnomalies,
} from '../dist/lib/unsupervised';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seed's split (55,000 / 5,000); smoke: a few hundred images, 1-2 epochs.
const P = profileSizes({
  full: { train: 55000, val: 5000, test: 10000, linearEpochs: 20, stackedEpochs: 10, greedyEpochs: 5, convTrain: 20000, convEpochs: 5, labelled: 500, clfEpochs: 20, scatter: 5000, batchSize: 32 },
  smoke: { train: 600, val: 200, test: 200, linearEpochs: 2, stackedEpochs: 2, greedyEpochs: 1, convTrain: 200, convEpochs: 1, labelled: 100, clfEpochs: 5, scatter: 200, batchSize: 32 },
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
showMarkdown([
  '| share of variance | components needed |',
  '| --- | ---: |',
  ...[0.5, 0.8, 0.9, 0.95, 0.99].map((r) => `| ${r * 100} % | ${kFor(r)} |`),
  `| first 2 components | ${(cumulative[1] * 100).toFixed(1)} % |`,
].join('\n'));
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
// The seed's model: `Flatten`, `Dense(2)` with no activation (the encoder), `Dense(784)` with no
// activation and `Reshape` (the decoder); MSE loss, SGD with learning rate 0.1, 20 epochs.
// The best any rank-2 linear map can do is PCA's reconstruction error, so PCA-2's validation MSE is
// the floor the autoencoder's `val_loss` approaches.

// %%
const linear = buildLinearAutoencoder({ inputShape: [28, 28], codeSize: 2 });
const linearOpt = tf.train.sgd(0.1);
compile(linear.autoencoder, { optimizer: linearOpt, loss: 'mse' });
const linearHistory = await fit(linear.autoencoder, train.x, train.x, {
  epochs: P.linearEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const linearVal = linearHistory.history.val_loss.at(-1) as number;
const pcaVal = pca.reconstructionError(valFlat);
showMarkdown([
  '| | seed 001 | ours |',
  '| --- | ---: | ---: |',
  `| linear AE val_loss after ${P.linearEpochs} epochs | 0.0469 (20 epochs) | ${linearVal.toFixed(4)} |`,
  `| PCA-2 reconstruction MSE on the validation set | — | ${pcaVal.toFixed(4)} |`,
].join('\n'));
showFigure(learningCurves(linearHistory, { title: 'Linear autoencoder (MSE)', yRange: 'auto' }));

// %% [markdown]
// **Same subspace, different axes.** The decoder's two weight vectors span a plane in the
// 784-dimensional pixel space; so do PCA's two components. The cosines of the *principal angles*
// between the two planes are the singular values of Q_AE Q_PCAᵀ (each Q with orthonormal rows):
// 1 means the planes coincide along that direction. The codings themselves differ by a linear map
// (a rotation, a stretch, a shift), which is why the two scatter plots below look alike but turned.

// %%
{
  const decoderKernel = linear.decoder.layers.find((l) => l.getClassName() === 'Dense')!.getWeights()[0]; // [2, 784]
  const rows = decoderKernel.arraySync() as number[][];
  // Gram-Schmidt on the two rows.
  const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);
  const q1 = rows[0].map((v) => v / Math.sqrt(dot(rows[0], rows[0])));
  const r2 = rows[1].map((v, i) => v - dot(rows[1], q1) * q1[i]);
  const q2 = r2.map((v) => v / Math.sqrt(dot(r2, r2)));
  const m = new Matrix([[dot(q1, pca.components[0]), dot(q1, pca.components[1])], [dot(q2, pca.components[0]), dot(q2, pca.components[1])]]);
  const cosines = new SVD(m).diagonal;
  console.log(`cosines of the principal angles between the AE plane and the PCA plane: ${cosines.map((c) => c.toFixed(3)).join(', ')}`);
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
// converge faster"), SGD with learning rate 1.5, 10 epochs. The encoder and decoder are separate
// models; `stacked.autoencoder` chains them, like the seed's `Sequential([encoder, decoder])`.

// %%
const stacked = buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
const stackedOpt = tf.train.sgd(1.5);
compile(stacked.autoencoder, { optimizer: stackedOpt, loss: 'binary_crossentropy' });
const stackedHistory = await fit(stacked.autoencoder, train.x, train.x, {
  epochs: P.stackedEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const stackedVal = stackedHistory.history.val_loss.at(-1) as number;
showMarkdown([
  '| | seed 001 | ours |',
  '| --- | ---: | ---: |',
  `| stacked AE val_loss after ${P.stackedEpochs} epochs | 0.2834 (10 epochs) | ${stackedVal.toFixed(4)} |`,
  `| parameters (encoder + decoder) | — | ${stacked.encoder.countParams().toLocaleString('en-US')} + ${stacked.decoder.countParams().toLocaleString('en-US')} = ${stacked.autoencoder.countParams().toLocaleString('en-US')} |`,
].join('\n'));
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
// In a symmetric autoencoder the decoder can reuse the encoder's weight matrices, transposed:
// `DenseTranspose(dense)` computes activation(x Wᵀ + b) with W the encoder layer's kernel (the very
// same variable) and its own bias. The kernel is trained once, by the gradient of both of its uses,
// and counted once: about half the parameters. The seed: "a very slightly lower reconstruction error
// than the previous model, with almost half the number of parameters."

// %%
const tied = buildTiedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
const tiedOpt = tf.train.sgd(1.5);
compile(tied.autoencoder, { optimizer: tiedOpt, loss: 'binary_crossentropy' });
const tiedHistory = await fit(tied.autoencoder, train.x, train.x, {
  epochs: P.stackedEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
const tiedVal = tiedHistory.history.val_loss.at(-1) as number;
showMarkdown([
  '| model | parameters | val_loss |',
  '| --- | ---: | ---: |',
  `| stacked (untied) | ${stacked.autoencoder.countParams().toLocaleString('en-US')} | ${stackedVal.toFixed(4)} |`,
  `| tied | ${tied.autoencoder.countParams().toLocaleString('en-US')} | ${tiedVal.toFixed(4)} |`,
  `| ratio | ${(tied.autoencoder.countParams() / stacked.autoencoder.countParams()).toFixed(3)} | ${(tiedVal / stackedVal).toFixed(3)} |`,
].join('\n'));

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
  optimizer: (stage: number) => tf.train.sgd(stage === 0 ? 1.5 : 0.05),
  validationData: val.x,
});
const greedyOpt = tf.train.sgd(1.5);
compile(greedy.autoencoder, { optimizer: greedyOpt, loss: 'binary_crossentropy' });
const greedyVal = evaluate(greedy.autoencoder, val.x, val.x, { batchSize: 256, verbose: 0 }).loss;
showMarkdown([
  '| stage | shallow autoencoder | last loss | last val_loss |',
  '| --- | --- | ---: | ---: |',
  ...greedy.stages.map((s) => `| ${s.index + 1} | ${s.inputSize} → ${s.codeSize} → ${s.inputSize} | ${s.loss.at(-1)?.toFixed(4)} | ${s.valLoss.at(-1)?.toFixed(4)} |`),
  `| stacked | 784 → 100 → 30 → 100 → 784 | — | ${greedyVal.toFixed(4)} (BCE) |`,
  `| end-to-end stacked AE (section 4) | 784 → 100 → 30 → 100 → 784 | — | ${stackedVal.toFixed(4)} (BCE) |`,
].join('\n'));

// %% [markdown]
// ## 8 · A convolutional autoencoder
//
// The seed's encoder: three blocks of `Conv2D(3x3, same, SELU)` + `MaxPool2D(2)`, 28×28×1 → 14×14×16
// → 7×7×32 → 3×3×64; the decoder: `Conv2DTranspose` with stride 2 back up, 3×3 → 7×7 (valid
// padding) → 14×14 → 28×28×1 with a sigmoid. Training convolutions on this CPU backend is slow, so
// the full profile trains on `P.convTrain` images for `P.convEpochs` epochs (the seed: 55,000 images,
// 10 epochs).

// %%
const conv = buildConvAutoencoder({ inputShape: [28, 28] });
const convOpt = tf.train.sgd(1.5);
compile(conv.autoencoder, { optimizer: convOpt, loss: 'binary_crossentropy' });
const convX = train.x.slice([0, 0, 0], [Math.min(P.convTrain, P.train), 28, 28]);
const convStart = Date.now();
const convHistory = await fit(conv.autoencoder, convX, convX, {
  epochs: P.convEpochs, batchSize: P.batchSize, validationData: [val.x, val.x],
});
console.log(`encoder output ${JSON.stringify(conv.encoder.outputs[0].shape)}; ${conv.autoencoder.countParams().toLocaleString('en-US')} parameters; ${((Date.now() - convStart) / 1000).toFixed(1)} s of training`);
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
// `setTrainable(encoder, false)`: it works because the encoder is a nested model, not the first
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
const results: string[] = [];
for (const [name, enc, freeze] of [['from scratch', null, false], ['pretrained encoder, frozen', stacked.encoder, true]] as const) {
  if (enc) setTrainable(enc, !freeze);
  const clf = await classifier(enc);
  const optimizer = tf.train.adam(0.01);
  compile(clf, { optimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await fit(clf, fewX, fewY, { epochs: P.clfEpochs, batchSize: P.batchSize, verbose: 0 });
  const logs = evaluate(clf, test.x, test.y, { batchSize: 256, verbose: 0 });
  const trainable = clf.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  results.push(`| ${name} | ${trainable.toLocaleString('en-US')} | ${logs.accuracy.toFixed(4)} |`);
  if (enc) setTrainable(enc, true);
  // Free the classifier and its optimiser. The pretrained one shares stacked.encoder, still used
  // below: disposeModels keeps its weights (tfjs's clf.dispose() would free them).
  disposeModels([clf], { keep: [stacked.autoencoder] });
  optimizer.dispose();
}
showMarkdown([`| classifier trained on ${P.labelled} labels | trainable parameters | test accuracy |`, '| --- | ---: | ---: |', ...results].join('\n'));
tf.dispose([fewX, fewY]);

// %% [markdown]
// ## Summary: seed vs ours
//
// | quantity | seed 001 | ours (this run) |
// | --- | --- | --- |
// | linear AE val_loss (MSE) | 0.0469 after 20 epochs | see section 3 |
// | stacked AE val_loss (BCE) | 0.2834 after 10 epochs | see section 4 |
// | tied vs untied | "very slightly lower … almost half the parameters" | see section 6 |
//
// On the smoke profile (a few hundred images, one or two epochs) the losses are far from the seed's;
// the full profile uses the seed's sizes.

// %%
showMarkdown([
  '| quantity | seed 001 | ours |',
  '| --- | ---: | ---: |',
  `| linear AE val_loss | 0.0469 | ${linearVal.toFixed(4)} |`,
  `| PCA-2 val MSE (the linear optimum) | — | ${pcaVal.toFixed(4)} |`,
  `| stacked AE val_loss | 0.2834 | ${stackedVal.toFixed(4)} |`,
  `| tied AE val_loss | slightly below the stacked AE | ${tiedVal.toFixed(4)} |`,
  `| tied / untied parameters | about 1/2 | ${tied.autoencoder.countParams().toLocaleString('en-US')} / ${stacked.autoencoder.countParams().toLocaleString('en-US')} |`,
  `| greedy stacked val_loss | — | ${greedyVal.toFixed(4)} |`,
].join('\n'));
console.log(`profile ${P.profile}`);

// %% [markdown]
// ## Exercises
//
// 1. **PCA-30 vs the stacked autoencoder.** Fit a 30-component PCA on the training images and
//    compare its validation reconstruction MSE with the stacked autoencoder's (compute the MSE of
//    `stacked.autoencoder.predict(val.x)`; its training loss was BCE).
// 2. **How many components?** Using the eigenvectors computed by hand in section 2, reconstruct the
//    first 10 validation images with the k that keeps 90 % of the variance, and show them next to
//    the originals.
// 3. **A faster linear autoencoder.** Train the linear autoencoder again with Adam (learning rate
//    0.01) instead of SGD 0.1, for the same number of epochs. How close does it get to PCA-2's
//    validation MSE?
// 4. **Odd ones out.** Use the stacked autoencoder's per-image reconstruction error
//    (`reconstructionErrorsOf`) as an anomaly score on the validation set: show the 10 images with
//    the highest error, and count how many exceed the 99th percentile of the training errors.

// %% [solution]
{
  const pca30 = new PCA({ nComponents: 30 }).fit(trainFlat);
  const pcaMse = pca30.reconstructionError(valFlat);
  const aeMse = tf.tidy(() => tf.mean(tf.squaredDifference(stacked.autoencoder.predict(val.x) as tf.Tensor, val.x)).dataSync()[0]);
  showMarkdown(`| 30-d codes | validation MSE |\n| --- | ---: |\n| PCA-30 | ${pcaMse.toFixed(4)} |\n| stacked AE | ${aeMse.toFixed(4)} |`);
  console.log(`PCA-30 keeps ${(Array.from(pca30.explainedVarianceRatio).reduce((a, b) => a + b, 0) * 100).toFixed(1)} % of the variance`);
}

// %% [solution]
{
  const k = kFor(0.9);
  const w = new Float32Array(784 * k);
  for (let i = 0; i < 784; i++) for (let j = 0; j < k; j++) w[i * k + j] = eig.vectors.get(i, j);
  const recon = tf.tidy(() => {
    const W = tf.tensor2d(w, [784, k]);
    const m = trainFlat.mean(0);
    const x10 = valFlat.slice([0, 0], [10, 784]);
    return tf.matMul(tf.matMul(x10.sub(m), W), W, false, true).add(m).reshape([10, 28, 28]);
  });
  const originals = val.x.slice([0, 0, 0], [10, 28, 28]);
  showImageRows({ original: originals, [`PCA, k = ${k} (90 %)`]: recon }, { scale: 2, cmap: 'binary' });
  tf.dispose([originals, recon]);
}

// %% [solution]
{
  const ae = buildLinearAutoencoder({ inputShape: [28, 28], codeSize: 2 });
  const optimizer = tf.train.adam(0.01);
  compile(ae.autoencoder, { optimizer, loss: 'mse' });
  const h = await fit(ae.autoencoder, train.x, train.x, { epochs: P.linearEpochs, batchSize: P.batchSize, validationData: [val.x, val.x], verbose: 0 });
  showMarkdown(`| | val MSE |\n| --- | ---: |\n| linear AE, SGD 0.1 | ${linearVal.toFixed(4)} |\n| linear AE, Adam 0.01 | ${(h.history.val_loss.at(-1) as number).toFixed(4)} |\n| PCA-2 | ${pcaVal.toFixed(4)} |`);
  ae.autoencoder.dispose();
  optimizer.dispose();
}

// %% [solution]
{
  const trainErr = reconstructionErrorsOf(stacked.autoencoder, train.x);
  const valErr = reconstructionErrorsOf(stacked.autoencoder, val.x);
  const threshold = quantile(trainErr, 0.99);
  const flagged = flagAnomalies(valErr, threshold);
  console.log(`99th percentile of the training errors: ${threshold.toFixed(4)}; ${flagged.indices.length} of ${valErr.length} validation images exceed it`);
  const worst = Array.from(valErr.keys()).sort((a, b) => valErr[b] - valErr[a]).slice(0, 10);
  const imgs = tf.tidy(() => tf.gather(val.x, worst));
  const recon = stacked.autoencoder.predict(imgs) as tf.Tensor;
  showImageRows({ 'highest error': imgs, reconstruction: recon }, { scale: 2, cmap: 'binary' });
  console.log(worst.map((i) => `${classNames[valLabels[i]]} (${valErr[i].toFixed(3)})`).join(', '));
  tf.dispose([imgs, recon]);
}

// %% [markdown]
// ## Clean up
//
// Tensors live outside JavaScript's garbage collector: free the data, the models kept for the
// exercises and their optimisers (an optimiser passed to `compile` stays ours to free: SGD keeps its
// learning rate in a tensor).

// %%
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, trainFlat, valFlat, first15, valCodes, scatterIdx]);
disposeModels([linear.autoencoder, stacked.autoencoder, tied.autoencoder, greedy.autoencoder, conv.autoencoder]);
for (const o of [linearOpt, stackedOpt, tiedOpt, greedyOpt, convOpt]) o.dispose();
console.log('tensors left:', tf.memory().numTensors);
