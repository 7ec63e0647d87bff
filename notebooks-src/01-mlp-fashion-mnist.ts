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
// Every figure the lecture prints is printed next to ours at the end, labelled as the seed's.
//
// **What it needs.** Notebook 00 (the TypeScript kernel, tensors and the course library).
//
// **How long.** Measured on a 2-core machine (wasm backend, README's course table): about 8 s on
// the `smoke` profile, about 90 s on `full`. To switch to the small `smoke` sizes from inside
// Jupyter, without restarting the kernel, run this in a cell before the first code cell (then run
// the notebook from the top):
//
// ```ts
// import { useProfile } from '../dist/lib/profile'; useProfile('smoke');
// ```
//
// Run the cells in order, top to bottom: later cells use the names earlier ones define.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors, oneHotLabels } from '../dist/lib/data';
import { dense } from '../dist/lib/layers';
import { compile, fit, evaluate, predict, summary, kerasLayerName, SGD } from '../dist/lib/train';
import { showFigure, learningCurves } from '../dist/lib/plots';
import { showImageGrid } from '../dist/lib/images';
import { check01_1, check01_2, check01_3, check01_4, check01_5 } from '../dist/lib/exercises';

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
showMarkdown(markdownTable(['part', 'ours', "seed's"], [
  ['training', train.x.shape.join(' × '), '55000 × 28 × 28'],
  ['validation', val.x.shape.join(' × '), '5000 × 28 × 28'],
  ['test', test.x.shape.join(' × '), '10000 × 28 × 28'],
  ['pixel range', `${tf.tidy(() => train.x.min().dataSync()[0])} .. ${tf.tidy(() => train.x.max().dataSync()[0])}`, '0.0 .. 1.0'],
]));
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
// zero biases; tfjs's own default is a truncated normal). The model is written as a function, so
// that the exercises can build fresh copies of it:

// %%
function buildMlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      dense({ units: 300, activation: 'relu' }),
      dense({ units: 100, activation: 'relu' }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

const model = buildMlp();
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
  const seedParams = ['235,500', '30,100', '1,010']; // lecture 001's model.summary()
  showMarkdown(markdownTable(['layer', 'by hand', 'tfjs', "seed's"], [
    ...model.layers.slice(1).map((l, i) => [kerasLayerName(l), byHand[i].toLocaleString('en-US'), l.countParams().toLocaleString('en-US'), seedParams[i]]),
    ['**total**', `**${byHand.reduce((a, b) => a + b).toLocaleString('en-US')}**`, `**${model.countParams().toLocaleString('en-US')}**`, '**266,610**'],
  ]));
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
const seedHistory = { // lecture 001's history, for comparison
  accuracy: [0.7658, 0.8301, 0.8435, 0.8536, 0.8609, 0.8655, 0.8700, 0.8754, 0.8789, 0.8807],
  val_accuracy: [0.8340, 0.8468, 0.8524, 0.8544, 0.8696, 0.8702, 0.8724, 0.8644, 0.8712, 0.8772],
};
showMarkdown(markdownTable(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', "seed's accuracy", "seed's val_accuracy"],
  history.epoch.map((e, i) => [e + 1, history.history.loss[i].toFixed(4), history.history.accuracy[i].toFixed(4),
    history.history.val_loss[i].toFixed(4), history.history.val_accuracy[i].toFixed(4), seedHistory.accuracy[e]?.toFixed(4) ?? '—', seedHistory.val_accuracy[e]?.toFixed(4) ?? '—'])));

// %% [markdown]
// ### Learning curves
//
// How to read them: when the training and validation curves rise together and stay close, the
// model is not overfitting; a validation curve that flattens or turns while the training curve goes
// on improving is the sign of overfitting. The validation figures are computed at the end of each
// epoch while the training ones are means over the epoch, so early on the validation accuracy can
// even be *above* the training accuracy. The cell below reads this run's curves that way.

// %%
showFigure(learningCurves(history, { title: 'Learning curves' }));
{
  const h = history.history;
  const gap = h.accuracy.at(-1)! - h.val_accuracy.at(-1)!;
  const above = history.epoch.filter((_, i) => h.val_accuracy[i] > h.accuracy[i]).map((e) => e + 1);
  const n = h.val_loss.length;
  const stillFalling = n > 1 && h.val_loss[n - 1] < h.val_loss[n - 2];
  console.log(`last epoch: training accuracy ${h.accuracy.at(-1)!.toFixed(4)}, validation ${h.val_accuracy.at(-1)!.toFixed(4)} (gap ${gap.toFixed(4)}):\n  ` +
    (gap > 0.03 ? 'the model fits its training images clearly better than new ones: it starts to overfit.' : 'the curves stay close: not much overfitting yet.'));
  console.log(above.length > 0 ? `validation accuracy above training accuracy at epoch(s) ${above.join(', ')}` : 'the validation accuracy never exceeded the training accuracy');
  console.log(stillFalling ? `the validation loss was still falling at the last epoch (${h.val_loss[n - 2].toFixed(4)} → ${h.val_loss[n - 1].toFixed(4)}): more epochs would help.`
    : 'the validation loss did not fall at the last epoch: more epochs would not help much without other changes.');
}

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
// images, SGD 0.01, 10 epochs, batch 32); the weights start from different random values, so
// expect the figures to agree to a couple of hundredths, not to the digit. On `smoke` the model sees
// far fewer images for fewer epochs (`P.train`, `P.epochs`), so its accuracy is lower: there only
// the code path is checked.

// %%
const SEED_TEST_ACCURACY = 0.8692; // lecture 001's model.evaluate
showMarkdown(markdownTable([`figure (profile: ${P.profile})`, 'ours', "seed's"], [
  ['split train / val / test', `${split.train.count.toLocaleString('en-US')} / ${split.val.count.toLocaleString('en-US')} / ${split.test.count.toLocaleString('en-US')}`, '55,000 / 5,000 / 10,000'],
  ['parameters', model.countParams().toLocaleString('en-US'), '266,610'],
  ['steps per epoch', history.params.steps, '1,719'],
  ['final training accuracy', history.history.accuracy.at(-1)!.toFixed(4), '0.8807'],
  ['final validation accuracy', history.history.val_accuracy.at(-1)!.toFixed(4), '0.8772'],
  ['final validation loss', history.history.val_loss.at(-1)!.toFixed(4), '0.3393'],
  ['test accuracy', testLogs.accuracy.toFixed(4), SEED_TEST_ACCURACY.toFixed(4)],
  ['test loss', testLogs.loss.toFixed(4), '0.3723'],
  ['predictions for the first 3 test images', yPred.map((c) => classNames[c]).join(', '), 'Ankle boot, Pullover, Trouser'],
  ['training time', `${trainSeconds.toFixed(0)} s (${backend.name})`, 'about 20 s (TensorFlow, CPU)'],
]));
{
  const diff = testLogs.accuracy - SEED_TEST_ACCURACY;
  console.log(Math.abs(diff) <= 0.02
    ? `The test accuracy is within ${Math.abs(diff).toFixed(4)} of the seed's: the same result up to the random start.`
    : `The test accuracy is ${Math.abs(diff).toFixed(4)} ${diff < 0 ? 'below' : 'above'} the seed's` +
      (P.train < 55000 ? ` (trained on ${P.train.toLocaleString('en-US')} images for ${P.epochs} epochs instead of 55,000 for 10).` : ': more than the random start explains; check the changes made above.'));
}

// %% [markdown]
// ## Exercises
//
// Each exercise has an answer cell (write your code between the `BEGIN SOLUTION` and `END SOLUTION`
// lines, keeping the names declared above them) and a check cell that says "passed" or what is not
// right yet. The training exercises use the first `P.exerciseTrain` training images for
// `P.exerciseEpochs` epochs, to stay quick, and fresh copies of the model from `buildMlp()`.
//
// **Exercise 1 · One-hot targets and the cross-entropy.** Write `crossEntropy(labels, probs)`: the
// mean over the samples of −log p, where p is the probability `probs[i]` gives to the true class
// `labels[i]` (plain numbers, no tensors). With one-hot targets t, the categorical cross-entropy
// −Σₖ tₖ log pₖ is the same number. Then train two fresh copies of the model from the same
// initial weights, one with sparse labels and `sparse_categorical_crossentropy`, one with one-hot
// labels (`oneHotLabels`) and `categorical_crossentropy`, and compare their losses.

// %%
let crossEntropy: ((labels: number[], probs: number[][]) => number) | undefined;
// ### BEGIN SOLUTION
crossEntropy = (labels, probs) => labels.reduce((sum, k, i) => sum - Math.log(probs[i][k]), 0) / labels.length;
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  const y1 = oneHotLabels(split.train.labels.subarray(0, n), 10);
  const losses: number[] = [];
  for (const [loss, y] of [['sparse_categorical_crossentropy', ys], ['categorical_crossentropy', y1]] as const) {
    setGlobalSeed(1);
    const m = buildMlp();
    const opt = SGD({ learningRate: 0.01 });
    compile(m, { loss, optimizer: opt, metrics: ['accuracy'] });
    const h = await fit(m, xs, y, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0 });
    losses.push(h.history.loss[0]);
    console.log(`${loss}: loss ${h.history.loss[0].toFixed(6)}, accuracy ${h.history.accuracy[0].toFixed(4)}`);
    m.dispose();
    opt.dispose();
  }
  console.log(`difference: ${Math.abs(losses[0] - losses[1]).toExponential(2)}`);
  const p3 = (yProba.arraySync() as number[][]);
  console.log(`crossEntropy on the first 3 test images: ${crossEntropy(Array.from(split.test.labels.subarray(0, 3)), p3).toFixed(4)}`);
  tf.dispose([xs, ys, y1]);
}
// ### END SOLUTION

// %%
await check01_1({ crossEntropy: crossEntropy });

// %% [markdown]
// **Exercise 2 · The learning rate.** Train fresh copies with SGD learning rates 0.001, 0.01 and 0.1
// and put their final validation accuracies in `valAccuracyByRate` (keys `'0.001'`, `'0.01'`,
// `'0.1'`), and the rate you would keep in `bestRate`. Why could the answer be different after many
// more epochs?

// %%
let valAccuracyByRate: Record<string, number> | undefined;
let bestRate: number | undefined;
// ### BEGIN SOLUTION
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  const results: Record<string, number> = {};
  const rows: (string | number)[][] = [];
  for (const lr of [0.001, 0.01, 0.1]) {
    setGlobalSeed(2);
    const m = buildMlp();
    const opt = SGD({ learningRate: lr });
    compile(m, { loss: 'sparse_categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });
    const h = await fit(m, xs, ys, { epochs: P.exerciseEpochs, validationData: [val.x, val.y], verbose: 0 });
    results[String(lr)] = h.history.val_accuracy.at(-1)!;
    rows.push([lr, h.history.loss.at(-1)!.toFixed(4), h.history.val_accuracy.at(-1)!.toFixed(4)]);
    m.dispose();
    opt.dispose();
  }
  showMarkdown(markdownTable(['learning rate', 'loss', 'val_accuracy'], rows));
  valAccuracyByRate = results;
  bestRate = Number(Object.entries(results).sort((a, b) => b[1] - a[1])[0][0]);
  console.log(`best here: ${bestRate}. With few steps the largest stable rate tends to win; over many epochs a too-large rate can bounce around the minimum.`);
  tf.dispose([xs, ys]);
}
// ### END SOLUTION

// %%
await check01_2({ valAccuracyByRate: valAccuracyByRate, bestRate: bestRate });

// %% [markdown]
// **Exercise 3 · Counting parameters.** Write `mlpParams(sizes)`: the parameters of a dense network
// whose layer sizes are `sizes` (input first, e.g. `[784, 300, 100, 10]`). Then write `mlp3`, the MLP
// with hidden layers 512, 256 and 128 on the same input and output (layer by layer, like
// `buildMlp`), and check your count with `summary(mlp3)`.

// %%
let mlpParams: ((sizes: number[]) => number) | undefined;
let mlp3: tf.Sequential | undefined;
// ### BEGIN SOLUTION
mlpParams = (sizes) => sizes.slice(1).reduce((a, m, i) => a + sizes[i] * m + m, 0);
mlp3 = tf.sequential({
  layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    dense({ units: 512, activation: 'relu' }),
    dense({ units: 256, activation: 'relu' }),
    dense({ units: 128, activation: 'relu' }),
    dense({ units: 10, activation: 'softmax' }),
  ],
});
summary(mlp3);
console.log(`by hand ${mlpParams([784, 512, 256, 128, 10]).toLocaleString('en-US')}, tfjs ${mlp3.countParams().toLocaleString('en-US')}`);
// ### END SOLUTION

// %%
await check01_3({ mlpParams: mlpParams, mlp3: mlp3 });

// %% [markdown]
// **Exercise 4 · Confident mistakes.** Write `confidentMistakes(probs, labels, k)`: the indices of
// the `k` images the model gets wrong with the highest confidence (the probability of its predicted
// class), most confident first. Show the 8 of the test set with their true and predicted classes.
// Are they understandable mistakes?

// %%
let confidentMistakes: ((probs: number[][], labels: number[], k: number) => number[]) | undefined;
// ### BEGIN SOLUTION
confidentMistakes = (probs, labels, k) => probs
  .map((row, i) => ({ i, pred: row.indexOf(Math.max(...row)), conf: Math.max(...row) }))
  .filter((r) => r.pred !== labels[r.i])
  .sort((a, b) => b.conf - a.conf)
  .slice(0, k)
  .map((r) => r.i);
{
  const probs = predict(model, test.x, { batchSize: 256 });
  const p = probs.arraySync() as number[][];
  probs.dispose();
  const labels = Array.from(split.test.labels);
  const wrong = confidentMistakes(p, labels, 8);
  if (wrong.length > 0) {
    const imgs = tf.tidy(() => tf.gather(test.x, wrong));
    const pred = (i: number): number => p[i].indexOf(Math.max(...p[i]));
    showImageGrid(imgs, { scale: 2, cmap: 'binary', cols: 4, titles: wrong.map((i) => `${classNames[labels[i]]} → ${classNames[pred(i)]} (${p[i][pred(i)].toFixed(2)})`) });
    imgs.dispose();
  }
}
// ### END SOLUTION

// %%
await check01_4({ confidentMistakes: confidentMistakes });

// %% [markdown]
// **Exercise 5 · `validation_split` instead of a hand-made split.** Keras's `fit` can hold out the
// *last* fraction of the training data (`validationSplit`). Train a fresh model on the exercise
// subset with `validationSplit: 0.1` and set `validatedOn` to the first and last index (in the
// subset) of the images it validated on.

// %%
let validatedOn: [number, number] | undefined;
// ### BEGIN SOLUTION
{
  const n = P.exerciseTrain;
  const xs = train.x.slice(0, n);
  const ys = train.y.slice(0, n);
  setGlobalSeed(3);
  const m = buildMlp();
  const opt = SGD({ learningRate: 0.01 });
  compile(m, { loss: 'sparse_categorical_crossentropy', optimizer: opt, metrics: ['accuracy'] });
  const h = await fit(m, xs, ys, { epochs: P.exerciseEpochs, validationSplit: 0.1, verbose: 0 });
  validatedOn = [Math.floor(n * 0.9), n - 1];
  console.log(`validated on images ${validatedOn[0]}..${validatedOn[1]} of the subset (the last 10 %, taken before shuffling): ` +
    `val_accuracy ${h.history.val_accuracy.at(-1)!.toFixed(4)}`);
  m.dispose();
  opt.dispose();
  tf.dispose([xs, ys]);
}
// ### END SOLUTION

// %%
await check01_5({ validatedOn: validatedOn, subsetSize: P.exerciseTrain });

// %% [markdown]
// ## Summary
//
// - The lecture's MLP is four lines of layers (`Flatten`, `Dense` 300 and 100 ReLU, `Dense` 10
//   softmax), 266,610 parameters, written once in `buildMlp`.
// - `compile` names the loss (sparse categorical cross-entropy for class indices), the optimiser
//   (SGD 0.01) and the metrics; `fit` trains in mini-batches and returns the history whose learning
//   curves tell whether the model over- or underfits; `evaluate` measures the test set once, at the
//   end; `predict` gives one probability per class.
// - The comparison table puts this run's figures beside the lecture's.
//
// Next: [02 · Training deep networks](02-training-deep-networks.ipynb): initialisation, activations,
// batch normalisation, transfer learning and faster optimisers.

// %%
// Free the tensors this notebook kept.
tf.dispose([train.x, train.y, val.x, val.y, test.x, test.y, xNew, yProba]);
model.dispose();
mlp3?.dispose();
optimizer.dispose();
console.log('tensors alive:', tf.memory().numTensors);
