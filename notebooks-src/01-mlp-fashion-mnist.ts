// %% [markdown]
// # 01 · An MLP on Fashion-MNIST with the Sequential API
//
// Lecture 001 ("Best practices for training ANNs") opens with a complete walkthrough: load
// Fashion-MNIST, keep the first 5,000 training images for validation, build a multi-layer
// perceptron with two hidden layers, compile it, train it with plain SGD for 10 epochs, read its
// learning curves, evaluate it on the test set and predict the class of new images.
//
// We do the same steps with TensorFlow.js and the course library: `tf.sequential` plays the role of
// `keras.models.Sequential`, and `compile` / `fit` / `evaluate` / `predict` / `summary` from
// `lib/train` behave like Keras's (same loss names, same history keys, same summary table).
// Every figure the lecture prints is printed next to ours at the end.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors, oneHotLabels } from '../dist/lib/data';
import { dense } from '../dist/lib/layers';
import { compile, fit, evaluate, predict, summary, kerasLayerName, SGD } from '../dist/lib/train';
import { showFigure, learningCurves } from '../dist/lib/plots';
import { showImageGrid } from '../dist/lib/images';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seed's sizes (55,000 / 5,000 / 10,000, 10 epochs, batch 32, SGD 0.01);
// smoke: 2,000 images and 3 epochs, the same code.
const P = profileSizes({
  full: { train: 55000, val: 5000, test: 10000, epochs: 10, batchSize: 32, learningRate: 0.01, exerciseTrain: 5000, exerciseEpochs: 2 },
  smoke: { train: 2000, val: 500, test: 500, epochs: 3, batchSize: 32, learningRate: 0.01, exerciseTrain: 300, exerciseEpochs: 1 },
});
console.log(P);

// %% [markdown]
// ## 1 · The data
//
// Fashion-MNIST has 70,000 grey images of 28x28 pixels in 10 classes: 60,000 for training and
// 10,000 for testing. As in the lecture, the **first 5,000 training images are the validation set**
// and the remaining 55,000 the training set, and pixel values are scaled from 0..255 to [0, 1]
// (`X / 255.0`): gradient descent works best when the inputs have a small, similar range.
//
// The validation set is what we look at while we choose the model and its hyper-parameters; the
// test set is kept for one final estimate of the generalisation error.

// %%
const fm = await loadFashionMnist();
console.log(`from ${fm.source}`);
console.log(`X_train_full (${fm.train.count}, ${fm.train.height}, ${fm.train.width}), X_test (${fm.test.count}, ${fm.test.height}, ${fm.test.width})`);
const split = seedSplit(fm, { train: P.train, val: P.val, test: P.test });
const classNames = fm.classNames;
const train = toTensors(split.train); // x [n, 28, 28] in [0, 1], y int32 [n]
const val = toTensors(split.val);
const test = toTensors(split.test);
showMarkdown([
  '| part | ours | seed |',
  '| --- | ---: | ---: |',
  `| training | ${train.x.shape.join(' × ')} | 55000 × 28 × 28 |`,
  `| validation | ${val.x.shape.join(' × ')} | 5000 × 28 × 28 |`,
  `| test | ${test.x.shape.join(' × ')} | 10000 × 28 × 28 |`,
  `| pixel range | ${tf.tidy(() => train.x.min().dataSync()[0])} .. ${tf.tidy(() => train.x.max().dataSync()[0])} | 0.0 .. 1.0 |`,
].join('\n'));
console.log('class_names:', classNames.join(', '));

// %% [markdown]
// The lecture shows ten training images of each class, one row per class:

// %%
{
  const perClass = 10;
  const labels = split.train.labels;
  const indices: number[] = [];
  for (let c = 0; c < 10; c++) {
    const ofClass: number[] = [];
    for (let i = 0; i < labels.length && ofClass.length < perClass; i++) if (labels[i] === c) ofClass.push(i);
    indices.push(...ofClass);
  }
  const images = tf.tidy(() => tf.gather(train.x, indices));
  showImageGrid(images, { cols: perClass, scale: 2, cmap: 'binary', titles: indices.map((i) => classNames[labels[i]]) });
  images.dispose();
}

// %% [markdown]
// ## 2 · Creating the model with the Sequential API
//
// A classification MLP with two hidden layers:
//
// - `Flatten` turns each 28x28 image into a vector of 784 values (it has no parameters);
// - a `Dense` hidden layer of 300 ReLU units, then one of 100 ReLU units;
// - a `Dense` output layer of 10 units with **softmax**, one probability per class (the classes are
//   exclusive).
//
// `dense` from `lib/layers` is `tf.layers.dense` with Keras's defaults (Glorot-uniform kernels and
// zero biases; tfjs's own default is a truncated normal).

// %%
const model = tf.sequential({
  layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    dense({ units: 300, activation: 'relu' }),
    dense({ units: 100, activation: 'relu' }),
    dense({ units: 10, activation: 'softmax' }),
  ],
});
console.log('model.output_shape:', JSON.stringify(model.outputShape)); // [null, 10]: None is the batch size

// %% [markdown]
// `summary()` lists each layer, its output shape (`None` is the batch size, which can be anything)
// and its number of parameters. A Dense layer with *n* inputs and *m* units has *n·m* weights and
// *m* biases: the first hidden layer alone has 784 × 300 + 300 = 235,500 parameters. That much
// freedom fits the training data well, and also risks **overfitting** it.

// %%
summary(model);
{
  const byHand = [784 * 300 + 300, 300 * 100 + 100, 100 * 10 + 10];
  showMarkdown([
    '| layer | by hand | tfjs | seed |',
    '| --- | ---: | ---: | ---: |',
    ...model.layers.slice(1).map((l, i) => `| ${kerasLayerName(l)} | ${byHand[i].toLocaleString('en-US')} | ${l.countParams().toLocaleString('en-US')} | ${['235,500', '30,100', '1,010'][i]} |`),
    `| **total** | **${byHand.reduce((a, b) => a + b).toLocaleString('en-US')}** | **${model.countParams().toLocaleString('en-US')}** | **266,610** |`,
  ].join('\n'));
}

// %% [markdown]
// ## 3 · Compiling the model
//
// `compile` names the loss, the optimiser and the extra metrics:
//
// - **`sparse_categorical_crossentropy`**, because each label is a class index (0 to 9) and the
//   classes are exclusive. With one-hot targets (`[0, 0, 0, 1, 0, ...]` for class 3) the loss would
//   be `categorical_crossentropy`; for binary or multi-label classification, sigmoid outputs and
//   `binary_crossentropy`.
// - **SGD** with learning rate η = 0.01: every step moves the weights by −η times the gradient of the
//   loss on a mini-batch, θ ← θ − η ∇J(θ).
// - **accuracy**, reported besides the loss.
//
// The cross-entropy of one sample with true class *k* and predicted probabilities *p* is
// −log *p_k*: it is 0 when the model gives the true class probability 1, and large when it gives it
// almost 0.

// %%
const optimizer = SGD({ learningRate: P.learningRate });
console.log(optimizer.describe());
compile(model, { loss: 'sparse_categorical_crossentropy', optimizer, metrics: ['accuracy'] });
{
  // sparse labels vs one-hot labels (keras.utils.to_categorical)
  const first = Array.from(split.train.labels.subarray(0, 3));
  const oneHot = oneHotLabels(first, 10);
  console.log('sparse labels', first, '→ one-hot', oneHot.arraySync());
  oneHot.dispose();
}

// %% [markdown]
// ## 4 · Training and evaluating the model
//
// `fit` runs `epochs` passes over the training set in mini-batches of 32 (Keras's default), and
// evaluates the validation set at the end of each epoch. With 55,000 images, an epoch is
// 55,000 / 32 = 1,718.75, so 1,719 gradient steps (the last batch is smaller).

// %%
console.log(`X_train.shape = [${train.x.shape}], ${P.train}/${P.batchSize} = ${P.train / P.batchSize} → ${Math.ceil(P.train / P.batchSize)} steps per epoch`);
const t0 = Date.now();
const history = await fit(model, train.x, train.y, {
  epochs: P.epochs,
  batchSize: P.batchSize,
  validationData: [val.x, val.y],
});
const trainSeconds = (Date.now() - t0) / 1000;
console.log(`trained ${P.epochs} epochs in ${trainSeconds.toFixed(1)} s on ${backend.name}`);

// %% [markdown]
// `fit` returns a `History`: `history.history` holds one value per epoch for each metric,
// `history.params` the training parameters.

// %%
console.log('history.history.keys():', Object.keys(history.history));
console.log('history.params:', history.params);
const seedHistory = {
  accuracy: [0.7658, 0.8301, 0.8435, 0.8536, 0.8609, 0.8655, 0.8700, 0.8754, 0.8789, 0.8807],
  val_accuracy: [0.8340, 0.8468, 0.8524, 0.8544, 0.8696, 0.8702, 0.8724, 0.8644, 0.8712, 0.8772],
};
showMarkdown([
  '| epoch | loss | accuracy | val_loss | val_accuracy | seed accuracy | seed val_accuracy |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...history.epoch.map((e, i) => `| ${e + 1} | ${history.history.loss[i].toFixed(4)} | ${history.history.accuracy[i].toFixed(4)} | ` +
    `${history.history.val_loss[i].toFixed(4)} | ${history.history.val_accuracy[i].toFixed(4)} | ${seedHistory.accuracy[e] ?? '—'} | ${seedHistory.val_accuracy[e] ?? '—'} |`),
].join('\n'));

// %% [markdown]
// ### Learning curves
//
// The training and validation curves rise together and stay close: the model is not overfitting
// much yet. The validation curves are computed at the end of each epoch while the training curves
// are means over the epoch, so early on the validation accuracy is even *above* the training
// accuracy. The loss is still going down after 10 epochs: more epochs would help a little.

// %%
showFigure(learningCurves(history, { title: 'Learning curves' }));

// %% [markdown]
// Only when the model is chosen do we evaluate it on the test set, once. *Resist the temptation to
// tweak the hyper-parameters on the test set*, or the estimate of the generalisation error will be
// too optimistic.

// %%
const testLogs = evaluate(model, test.x, test.y);
console.log('[loss, accuracy] =', [testLogs.loss, testLogs.accuracy]);

// %% [markdown]
// ## 5 · Using the model to make predictions
//
// `predict` gives one probability per class for each image. The first three test images:

// %%
const xNew = test.x.slice([0, 0, 0], [3, 28, 28]);
const yProba = predict(model, xNew);
const rounded = (yProba.arraySync() as number[][]).map((row) => row.map((p) => Math.round(p * 100) / 100));
console.log('y_proba.round(2) =');
rounded.forEach((row) => console.log('  [' + row.map((p) => p.toFixed(2)).join(', ') + ']'));
const yPred = tf.tidy(() => Array.from(yProba.argMax(1).dataSync()));
console.log('y_pred =', yPred, '→', yPred.map((c) => classNames[c]));
console.log('t_test[:3] =', Array.from(split.test.labels.subarray(0, 3)));
showImageGrid(xNew, { scale: 3, cmap: 'binary', titles: yPred.map((c, i) => `${classNames[c]} (${(rounded[i][c]).toFixed(2)})`) });

// %% [markdown]
// ## 6 · Ours vs the lecture
//
// On the `full` profile the numbers below are the lecture's setting exactly (55,000 training
// images, SGD 0.01, 10 epochs, batch 32); the weights start from different random values, so the
// figures agree to about ±0.02, not to the digit. On `smoke` the model has seen 2,000 images for
// three epochs, so its accuracy is lower: there only the code path is checked.

// %%
showMarkdown([
  `| figure (profile: ${P.profile}) | ours | seed |`,
  '| --- | ---: | ---: |',
  `| split train / val / test | ${split.train.count.toLocaleString('en-US')} / ${split.val.count.toLocaleString('en-US')} / ${split.test.count.toLocaleString('en-US')} | 55,000 / 5,000 / 10,000 |`,
  `| parameters | ${model.countParams().toLocaleString('en-US')} | 266,610 |`,
  `| steps per epoch | ${history.params.steps} | 1,719 |`,
  `| final training accuracy | ${history.history.accuracy.at(-1)!.toFixed(4)} | 0.8807 |`,
  `| final validation accuracy | ${history.history.val_accuracy.at(-1)!.toFixed(4)} | 0.8772 |`,
  `| final validation loss | ${history.history.val_loss.at(-1)!.toFixed(4)} | 0.3393 |`,
  `| test accuracy | ${testLogs.accuracy.toFixed(4)} | 0.8692 |`,
  `| test loss | ${testLogs.loss.toFixed(4)} | 0.3723 |`,
  `| predictions for the first 3 test images | ${yPred.map((c) => classNames[c]).join(', ')} | Ankle boot, Pullover, Trouser |`,
  `| training time | ${trainSeconds.toFixed(0)} s (${backend.name}) | about 20 s (TensorFlow, CPU) |`,
].join('\n'));

// %% [markdown]
// ## Exercises
//
// The exercises train on the first `P.exerciseTrain` training images for `P.exerciseEpochs`
// epochs, to stay quick.
//
// 1. **One-hot targets.** Train a fresh copy of the model with one-hot labels (`oneHotLabels`) and
//    the `categorical_crossentropy` loss. Check that, from the same initial weights, the losses are
//    the same as with sparse labels.

// %% [solution]
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  const y1 = oneHotLabels(split.train.labels.subarray(0, n), 10);
  const build = (): tf.Sequential => tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    dense({ units: 300, activation: 'relu' }), dense({ units: 100, activation: 'relu' }), dense({ units: 10, activation: 'softmax' }),
  ] });
  const losses: number[] = [];
  for (const [loss, y] of [['sparse_categorical_crossentropy', ys], ['categorical_crossentropy', y1]] as const) {
    setGlobalSeed(1);
    const m = build();
    const opt = SGD({ learningRate: 0.01 });
    compile(m, { loss, optimizer: opt, metrics: ['accuracy'] });
    const h = await fit(m, xs, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    losses.push(h.history.loss[0]);
    console.log(`${loss}: loss ${h.history.loss[0].toFixed(6)}, accuracy ${h.history.accuracy[0].toFixed(4)}`);
    m.dispose();
    opt.dispose();
  }
  console.log(`difference: ${Math.abs(losses[0] - losses[1]).toExponential(2)}`);
  tf.dispose([xs, ys, y1]);
}

// %% [markdown]
// 2. **The learning rate.** Train fresh copies with SGD learning rates 0.001, 0.01 and 0.1 and
//    compare their validation accuracy. Which one would you keep, and why is the answer different
//    after many more epochs?

// %% [solution]
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  const rows: string[] = [];
  for (const lr of [0.001, 0.01, 0.1]) {
    setGlobalSeed(2);
    const m = tf.sequential({ layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      dense({ units: 300, activation: 'relu' }), dense({ units: 100, activation: 'relu' }), dense({ units: 10, activation: 'softmax' }),
    ] });
    const opt = SGD({ learningRate: lr });
    compile(m, { loss: 'sparse_categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });
    const h = await fit(m, xs, ys, { epochs: P.exerciseEpochs, validationData: [val.x, val.y], verbose: 0 });
    rows.push(`| ${lr} | ${h.history.loss.at(-1)!.toFixed(4)} | ${h.history.val_accuracy.at(-1)!.toFixed(4)} |`);
    m.dispose();
    opt.dispose();
  }
  showMarkdown(['| learning rate | loss | val_accuracy |', '| ---: | ---: | ---: |', ...rows].join('\n'));
  console.log('With few steps the largest stable rate wins; over many epochs a too-large rate bounces around the minimum.');
  tf.dispose([xs, ys]);
}

// %% [markdown]
// 3. **Counting parameters.** Without building it, how many parameters has an MLP with hidden
//    layers 512, 256 and 128 on the same input and output? Build it and check with `summary`.

// %% [solution]
{
  const sizes = [784, 512, 256, 128, 10];
  const byHand = sizes.slice(1).reduce((a, m, i) => a + sizes[i] * m + m, 0);
  const m = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    dense({ units: 512, activation: 'relu' }), dense({ units: 256, activation: 'relu' }),
    dense({ units: 128, activation: 'relu' }), dense({ units: 10, activation: 'softmax' }),
  ] });
  summary(m);
  console.log(`by hand ${byHand.toLocaleString('en-US')}, tfjs ${m.countParams().toLocaleString('en-US')}`);
  m.dispose();
}

// %% [markdown]
// 4. **Confident mistakes.** Among the test images, find the 8 the trained model gets wrong with
//    the highest confidence and show them with their true and predicted classes. Are they
//    understandable mistakes?

// %% [solution]
{
  const probs = predict(model, test.x, { batchSize: 256 });
  const p = probs.arraySync() as number[][];
  probs.dispose();
  const labels = split.test.labels;
  const wrong = p
    .map((row, i) => ({ i, pred: row.indexOf(Math.max(...row)), conf: Math.max(...row) }))
    .filter((r) => r.pred !== labels[r.i])
    .sort((a, b) => b.conf - a.conf)
    .slice(0, 8);
  console.log(`${p.filter((row, i) => row.indexOf(Math.max(...row)) !== labels[i]).length} of ${p.length} test images are misclassified`);
  if (wrong.length > 0) {
    const imgs = tf.tidy(() => tf.gather(test.x, wrong.map((w) => w.i)));
    showImageGrid(imgs, { scale: 2, cmap: 'binary', cols: 4, titles: wrong.map((w) => `${classNames[labels[w.i]]} → ${classNames[w.pred]} (${w.conf.toFixed(2)})`) });
    imgs.dispose();
  }
}

// %% [markdown]
// 5. **`validation_split` instead of a hand-made split.** Keras's `fit` can hold out the *last*
//    fraction of the training data (`validationSplit`). Train a fresh model on the exercise subset
//    with `validationSplit: 0.1` and say which images it validated on.

// %% [solution]
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  setGlobalSeed(3);
  const m = tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    dense({ units: 300, activation: 'relu' }), dense({ units: 100, activation: 'relu' }), dense({ units: 10, activation: 'softmax' }),
  ] });
  const opt = SGD({ learningRate: 0.01 });
  compile(m, { loss: 'sparse_categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });
  const h = await fit(m, xs, ys, { epochs: P.exerciseEpochs, validationSplit: 0.1, verbose: 0 });
  console.log(`validated on images ${Math.floor(n * 0.9)}..${n - 1} of the subset (the last 10 %, taken before shuffling): ` +
    `val_accuracy ${h.history.val_accuracy.at(-1)!.toFixed(4)}`);
  m.dispose();
  opt.dispose();
  tf.dispose([xs, ys]);
}

// %%
// Free the tensors this notebook kept.
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, xNew, yProba]);
model.dispose();
optimizer.dispose();
console.log('tensors alive:', tf.memory().numTensors);
