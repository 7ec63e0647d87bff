// %% [markdown]
// # 03 · Regularisation, batch sizes and how much data
//
// A deep network has hundreds of thousands of parameters (266,610 for notebook 01's small MLP).
// That freedom lets it fit almost any training set, and also **overfit** it. Lecture 001's section 4
// covers the usual defences, in this order:
//
// 1. **L1 and L2 penalties** (and their mix, the elastic net) on the weights, and network growing
//    and pruning;
// 2. **dropout**;
// 3. **early stopping**, and the other Keras callbacks seed 004 lists (History, ModelCheckpoint,
//    ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN), each used once.
//
// It ends with two practical questions: should the weights be updated after every sample, every
// mini-batch or every epoch (**online, mini-batch and batch learning**), and **should we gather more
// data?** Each is measured below on Fashion-MNIST; the regularised models are written out layer by
// layer.
//
// **What it needs.** Notebook 01 (the Fashion-MNIST split, the seed's MLP, `compile` and `fit`) and
// notebook 02 (initialisers, ELU, Adam).
//
// **How long.** Measured on a 2-core machine (wasm backend, README's course table): about 11 s on
// the `smoke` profile, about 420 s on `full`. To switch to the small `smoke` sizes from inside
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
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { showMarkdown, markdownTable } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors } from '../dist/lib/data';
import { dense, l1, l2, l1_l2, penaltyOf } from '../dist/lib/layers';
import {
  compile, fit, evaluate, predict, summary, sparseCategoricalCrossentropy, SGD, Adam, EarlyStopping, History, ModelCheckpoint,
  ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, loadModel, EpochTimer,
} from '../dist/lib/train';
import { showFigure, lineChart, learningCurves, histogram, barChart } from '../dist/lib/plots';
import {
  seedMlp, compareVariants, comparisonTable, metricSeries, modelSparsity, kernelValues,
  compareBatchModes, batchModeTable, trainingSizeExperiment, sizeTable, doublingSizes,
} from '../dist/lib/deep';
import { check03_1, check03_2, check03_3, check03_4, check03_5, check03_6 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: the seed's 55,000 / 5,000 split and 10 epochs for dropout and early stopping; subsets for
// the comparisons (as the lecture's "how much data" section suggests). smoke: a few hundred images.
const P = profileSizes({
  full: {
    train: 55000, val: 5000, epochs: 10, batchSize: 32,
    regTrain: 8000, regEpochs: 5, batchModeTrain: 2000, batchModeEpochs: 3,
    sizeStart: 250, sizeMax: 16000, sizeEpochs: 3, sweepTrain: 5000, sweepEpochs: 3, patienceEpochs: 10,
  },
  smoke: {
    train: 500, val: 200, epochs: 2, batchSize: 32,
    regTrain: 256, regEpochs: 2, batchModeTrain: 96, batchModeEpochs: 2,
    sizeStart: 64, sizeMax: 256, sizeEpochs: 2, sweepTrain: 160, sweepEpochs: 1, patienceEpochs: 4,
  },
});
console.log(P);

const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: P.train, val: P.val });
const train = toTensors(split.train);
const val = toTensors(split.val);
const sub = (n: number): { x: tf.Tensor; y: tf.Tensor } => ({ x: train.x.slice(0, n), y: train.y.slice(0, n) });
console.log(`training ${train.x.shape}, validation ${val.x.shape} (from ${fm.source})`);

// %% [markdown]
// ## 1 · L1 and L2 regularisation
//
// A penalty on the size of the weights is added to the loss, so that the optimiser trades a bit of
// training error for smaller weights (a smoother, less flexible function). With M weights wᵢ and a
// strength λ:
//
// - **ridge / L2**: λ Σᵢ wᵢ² shrinks all weights towards 0, big ones most;
// - **lasso / L1**: λ Σᵢ |wᵢ| pushes every weight towards 0 by the same amount per step, so the
//   unimportant ones reach 0: L1 gives **sparse** weights;
// - **elastic net**: β λ Σᵢ |wᵢ| + (1 − β)/2 · λ Σᵢ wᵢ², a mix of both.
//
// In Keras (and with `l1`, `l2`, `l1_l2` from `lib/layers`) the penalty is given per layer as
// `kernel_regularizer`: `l2(0.01)` adds 0.01 · Σ w² (no ½), `l1(0.01)` adds 0.01 · Σ |w|, and
// `l1_l2(l1, l2)` adds both. Careful with the lecture's `l1_l2(0.01)`: in Keras 3 the `l2` argument
// defaults to 0, so it is a pure L1 penalty. The lecture's three layers, and their penalties checked
// by hand on their initial weights:

// %%
{
  const layers = {
    'l2(0.01)': dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l2(0.01), inputShape: [300] }),
    'l1(0.01)': dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l1(0.01), inputShape: [300] }),
    'l1_l2(0.01)': dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: l1_l2(0.01), inputShape: [300] }),
  };
  const rows = Object.entries(layers).map(([name, layer]) => {
    layer.build([null, 300]);
    const w = layer.getWeights()[0];
    const byHand = tf.tidy(() => {
      const sq = w.square().sum().dataSync()[0];
      const ab = w.abs().sum().dataSync()[0];
      return name === 'l2(0.01)' ? 0.01 * sq : 0.01 * ab;
    });
    const reg = name === 'l2(0.01)' ? l2(0.01) : name === 'l1(0.01)' ? l1(0.01) : l1_l2(0.01);
    const lib = penaltyOf(reg, w);
    for (const v of layer.weights) v.dispose();
    return [name, byHand.toFixed(4), lib.toFixed(4)];
  });
  showMarkdown(markdownTable(['regulariser on a 300 × 100 he_normal kernel', 'penalty by hand', 'penaltyOf'], rows));
}

// %% [markdown]
// Now trained: the lecture's MLP style (ELU, `he_normal`, 300-100) with the penalty on both hidden
// kernels, Adam (0.001), on `P.regTrain` images. The model, written out: `penalty` makes one
// regulariser per layer (or none, for the plain model).
//
// The lecture's strength 0.01 is very strong for 784 · 300 = 235,200 first-layer weights: the
// cell prints the L1 penalty this gives at initialisation, against a cross-entropy of about
// ln 10 ≈ 2.3 for an untrained 10-class model. We use λ = 10⁻⁴ for L1 and 10⁻³ for L2 (exercise 4
// tries 0.01).

// %%
function regularizedMlp(penalty?: () => ReturnType<typeof l2>): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      dense({ units: 300, activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: penalty?.() }),
      dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: penalty?.() }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

{
  setGlobalSeed(3);
  const m = regularizedMlp(() => l1(0.01));
  const w = m.layers[1].getWeights()[0];
  console.log(`L1 penalty of the first hidden kernel at initialisation with λ = 0.01: ${penaltyOf(l1(0.01), w).toFixed(1)} ` +
    `(mean |w| ${tf.tidy(() => w.abs().mean().dataSync()[0]).toFixed(4)}), against ln 10 = ${Math.log(10).toFixed(2)}`);
  m.dispose();
}
const regularized = (reg?: () => ReturnType<typeof l2>) => () => regularizedMlp(reg);
const regTrain = sub(P.regTrain);
const regResults = await compareVariants([
  { name: 'no penalty', build: regularized(), optimizer: () => Adam({ learningRate: 0.001 }) },
  { name: 'L2 (λ = 1e-3)', build: regularized(() => l2(1e-3)), optimizer: () => Adam({ learningRate: 0.001 }) },
  { name: 'L1 (λ = 1e-4)', build: regularized(() => l1(1e-4)), optimizer: () => Adam({ learningRate: 0.001 }) },
  { name: 'elastic net (1e-4, 1e-3)', build: regularized(() => l1_l2(1e-4, 1e-3)), optimizer: () => Adam({ learningRate: 0.001 }) },
], { x: regTrain.x, y: regTrain.y, validationData: [val.x, val.y], epochs: P.regEpochs, batchSize: P.batchSize, keepModels: true });
showMarkdown(comparisonTable(regResults));

// %% [markdown]
// The `loss` column includes the penalty (as in Keras), so it is not comparable across rows; the
// accuracies are. The effect on the weights: histograms of the first hidden layer's 235,200 weights,
// and how many are (almost) zero, |w| < 10⁻³.

// %%
{
  const firstKernels = regResults.map((r) => ({ name: r.name, values: kernelValues(r.model!)[0].values }));
  showFigure(histogram(firstKernels, { title: 'First hidden layer weights', bins: 80, xTitle: 'w', yTitle: 'count', logY: true }));
  const sp = regResults.map((r) => ({ name: r.name, s: modelSparsity(r.model!, 1e-3) }));
  showMarkdown(markdownTable(['model', 'first layer: |w| < 1e-3', 'all kernels: |w| < 1e-3', 'largest |w|'], sp.map(({ name, s }) => [
    name, `${s.layers[0].near0.toLocaleString('en-US')} of ${s.layers[0].total.toLocaleString('en-US')} (${(100 * s.layers[0].fraction).toFixed(1)} %)`,
    `${(100 * s.total.fraction).toFixed(1)} %`, s.total.maxAbs.toFixed(3)])));
  const share = (name: string): number => sp.find((x) => x.name === name)!.s.layers[0].fraction;
  const [none, l2s, l1s, en] = ['no penalty', 'L2 (λ = 1e-3)', 'L1 (λ = 1e-4)', 'elastic net (1e-4, 1e-3)'].map(share);
  console.log(`near-zero first-layer weights: L1 ${(100 * l1s).toFixed(1)} %, elastic net ${(100 * en).toFixed(1)} %, L2 ${(100 * l2s).toFixed(1)} %, no penalty ${(100 * none).toFixed(1)} %` +
    (l1s > 2 * none ? `: L1 makes ${(l1s / Math.max(none, 1e-9)).toFixed(0)}x more of them than no penalty.` : ': L1 has not made many weights zero yet on this run (more epochs let it).'));
  const acc = (name: string): number => regResults.find((r) => r.name === name)!.final.val_accuracy;
  const plainAcc = acc('no penalty');
  const better = regResults.filter((r) => r.name !== 'no penalty' && r.final.val_accuracy > plainAcc).map((r) => r.name);
  console.log(better.length === 0
    ? `No penalty beats the plain model's val_accuracy (${plainAcc.toFixed(4)}) here: with ${P.regEpochs} epochs on ${P.regTrain} images it does not overfit much yet, so there is little for the penalties to fix.`
    : `Above the plain model's val_accuracy (${plainAcc.toFixed(4)}): ${better.join(', ')}.`);
  showFigure(barChart(sp.map(({ name }) => name), sp.map(({ s }) => 100 * s.layers[0].fraction), { title: 'Share of first-layer weights with |w| < 1e-3 (%)', format: (v) => v.toFixed(1) }));
}

// %% [markdown]
// What to look for: L1 should drive a share of the first layer's weights to zero: many of them
// multiply pixels near the border that are almost always 0, so nothing in the data defends them
// against the penalty. L2 pulls the bulk of the weights towards 0 (a narrower peak) but leaves far
// fewer near-zero weights. The lines above give this run's shares and accuracies.
//
// **Network growing and pruning.** Seed 001 places these penalties among the ways to fit a
// network's size to its task: **network growing** starts with a small MLP and adds units or layers
// while it cannot meet its specification; **network pruning** starts with a large MLP and removes
// weights by driving them to zero, which is what L1 does; **complexity regularisation** is the
// trade-off between fitting the training data and keeping the model simple, which the penalty's λ
// sets. Pruning the L1 model would remove the near-zero weights counted above; the cell below
// measures what removing them costs.

// %%
{
  const model = regResults.find((r) => r.name === 'L1 (λ = 1e-4)')!.model!;
  const before = evaluate(model, val.x, val.y, { verbose: 0 });
  const kept = model.layers.map((l) => l.getWeights());
  for (const l of model.layers) {
    const ws = l.getWeights();
    if (ws.length === 0) continue;
    const pruned = tf.tidy(() => [ws[0].where(ws[0].abs().greaterEqual(1e-3), tf.zerosLike(ws[0])), ...ws.slice(1).map((w) => w.clone())]);
    l.setWeights(pruned);
    tf.dispose(pruned);
  }
  const after = evaluate(model, val.x, val.y, { verbose: 0 });
  model.layers.forEach((l, i) => { if (kept[i].length > 0) l.setWeights(kept[i]); });
  console.log(`pruning the L1 model's kernels at |w| < 1e-3: val_accuracy ${before.accuracy.toFixed(4)} → ${after.accuracy.toFixed(4)}` +
    (Math.abs(after.accuracy - before.accuracy) < 0.005 ? ' (no real change: those weights did nothing)' : ''));
}

// %% [markdown]
// ## 2 · Dropout
//
// Dropout (Hinton et al., 2012): at every training step, every neuron, the inputs included but not
// the outputs, has a probability *p* (the **dropout rate**, often 10-50 %) of being ignored for this
// step. After training, no neuron is dropped. Neurons cannot co-adapt with their neighbours or rely
// on a few inputs; each must be useful on its own, and the network ends up less sensitive to small
// changes of its inputs: it generalises better. Each step trains one of 2ᴺ possible sub-networks,
// and the final network is a kind of average of them.
//
// One detail: at test time a neuron sees all its inputs, about 1/(1 − p) times more than in
// training. Keras (and tfjs) therefore divide the kept outputs by (1 − p) during training
// ("inverted dropout"), so nothing changes at test time. Checked on a tensor of ones:

// %%
{
  const layer = tf.layers.dropout({ rate: 0.2 });
  const ones = tf.ones([1000, 100]);
  const [dropped, kept, mean] = tf.tidy(() => {
    const out = layer.apply(ones, { training: true }) as tf.Tensor;
    const zero = out.equal(0).mean().dataSync()[0];
    const keptValue = out.max().dataSync()[0];
    return [zero, keptValue, out.mean().dataSync()[0]];
  });
  const test = tf.tidy(() => (layer.apply(ones, { training: false }) as tf.Tensor).mean().dataSync()[0]);
  showMarkdown(markdownTable(['Dropout(0.2) on ones', 'measured', 'expected'], [
    ['training: share of zeros', dropped.toFixed(4), '0.2'],
    ['training: value of the kept units', kept.toFixed(4), '1 / 0.8 = 1.25'],
    ['training: mean output', mean.toFixed(4), '1'],
    ['inference: mean output', test.toFixed(4), '1 (nothing dropped)'],
  ]));
  ones.dispose();
}

// %% [markdown]
// The lecture's dropout model: `Dropout(0.2)` before each Dense layer (on the inputs too), ELU and
// `he_normal`, trained like notebook 01's model: SGD (`'sgd'`: learning rate 0.01), 10 epochs,
// batch 32, on the 55,000 training images (full profile).

// %%
function buildDropoutMlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dropout({ rate: 0.2 }),
      dense({ units: 300, activation: 'elu', kernelInitializer: 'he_normal' }),
      tf.layers.dropout({ rate: 0.2 }),
      dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal' }),
      tf.layers.dropout({ rate: 0.2 }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

setGlobalSeed(42);
const dropoutModel = buildDropoutMlp();
summary(dropoutModel);
compile(dropoutModel, { loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
const dropoutTimer = new EpochTimer();
const dropoutHistory = await fit(dropoutModel, train.x, train.y, {
  epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.y], callbacks: [dropoutTimer],
});
showFigure(learningCurves(dropoutHistory, { title: 'Dropout 0.2 model' }));
{
  const h = dropoutHistory.history;
  showMarkdown(markdownTable([`dropout 0.2 model (profile ${P.profile}), last epoch`, 'ours', "seed's"], [
    ['accuracy (training, with dropout on)', h.accuracy.at(-1)!.toFixed(4), '0.8313'],
    ['loss', h.loss.at(-1)!.toFixed(4), '0.4546'],
    ['val_accuracy', h.val_accuracy.at(-1)!.toFixed(4), '0.8686'],
    ['val_loss', h.val_loss.at(-1)!.toFixed(4), '0.3779'],
    ['seconds per epoch', `${(dropoutTimer.seconds.reduce((a, b) => a + b, 0) / dropoutTimer.seconds.length).toFixed(1)} (${backend.name})`, '3'],
  ]));
  console.log(h.accuracy.at(-1)! < h.val_accuracy.at(-1)!
    ? 'The training accuracy is below the validation accuracy (as in the seed): it is measured with dropout on, a handicap the validation pass does not have, so the gap is no sign of overfitting.'
    : 'The training accuracy is above the validation accuracy on this run, even with dropout on during training: a sign that the model starts to fit its training images more closely than new ones.');
}

// %% [markdown]
// Note that the training accuracy is measured with dropout on, a handicap the validation pass does
// not have. The lecture's advice: if the model overfits, increase the rate; if it underfits, decrease it; use
// larger rates for large layers and smaller ones for small layers; many modern architectures only
// use dropout after the last hidden layer.
//
// ## 3 · Early stopping
//
// A very different regulariser for iterative training: stop as soon as the validation error
// reaches its minimum. As epochs go by the training error keeps falling, while the validation error
// falls, flattens, and then rises when the model starts to overfit. Keras's `EarlyStopping` callback
// watches a metric (`monitor='val_loss'`), stops after `patience` epochs without improvement, and
// with `restore_best_weights=True` rolls the model back to its best epoch.
//
// (Stopping on a small validation plateau may end training too soon; an alternative is to stop when
// the norm of the gradient falls below a threshold, which costs computing that norm.)
//
// The lecture recompiles the dropout model with Adam at a large learning rate (0.01) and trains 10
// more epochs with `EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)`; in
// the seed's run it stopped after 6 epochs, the best being epoch 3 (the table below puts our run
// beside those figures).

// %%
const early = new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true, verbose: 1 });
const esOptimizer = Adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999 });
compile(dropoutModel, { optimizer: esOptimizer, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const esHistory = await fit(dropoutModel, train.x, train.y, {
  epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.y], callbacks: [early],
});
const afterRestore = evaluate(dropoutModel, val.x, val.y, { verbose: 0 });
{
  const vl = esHistory.history.val_loss;
  const best = vl.indexOf(Math.min(...vl));
  showMarkdown(markdownTable([`early stopping (patience 3, profile ${P.profile})`, 'ours', "seed's"], [
    [`epochs run (of ${P.epochs})`, esHistory.epoch.length, '6 of 10'],
    ['best epoch (lowest val_loss)', best + 1, '3'],
    ['best val_loss', vl[best].toFixed(4), '0.5277'],
    ["last epoch's val_loss", vl.at(-1)!.toFixed(4), '0.6044'],
    ['val_loss of the model after fit (best weights restored)', afterRestore.loss.toFixed(4), '—'],
    ['val_accuracy after fit', afterRestore.accuracy.toFixed(4), '0.8328 at the best epoch'],
  ]));
  console.log(Math.abs(afterRestore.loss - vl[best]) < 1e-4 ? 'The model holds the best epoch\'s weights.' : 'The model does not hold the best epoch\'s weights!');
  const sgdBest = Math.min(...dropoutHistory.history.val_loss);
  console.log(vl[best] < sgdBest
    ? `Adam at 0.01 reached a lower val_loss (${vl[best].toFixed(4)}) than SGD did (${sgdBest.toFixed(4)}).`
    : `Adam at 0.01 does not beat what SGD reached (best val_loss ${vl[best].toFixed(4)} against ${sgdBest.toFixed(4)}): the rate is too aggressive for this model; ` +
      'early stopping still keeps the best weights, not the last ones.');
}
showFigure(learningCurves(esHistory, { title: 'Adam 0.01 with early stopping', yRange: 'auto' }));

// %% [markdown]
// ### Keras's callbacks
//
// Early stopping is one of the callbacks seed 004 lists, objects whose methods `fit` calls at given
// stages of training (the start and end of training, of each epoch and of each batch):
//
// | callback | what it does | used |
// | --- | --- | --- |
// | `History` | records every epoch's logs; `fit` returns it | every `fit` in the course; below |
// | `EarlyStopping` | stops when a monitored quantity stops improving | above |
// | `ModelCheckpoint` | saves the model after each epoch (or only when it improves) | below |
// | `ReduceLROnPlateau` | multiplies the learning rate by a factor when a metric stalls | below |
// | `LearningRateScheduler` | sets the learning rate at each epoch from a function | below (and notebook 02, exercise 4) |
// | `TerminateOnNaN` | stops training as soon as the loss becomes NaN | below |
//
// One run of the dropout model with the first four, on `P.sweepTrain` images: `ModelCheckpoint`
// keeps the best epoch in a folder, `ReduceLROnPlateau` halves Adam's rate after one epoch without
// improvement (its logs add a `learning_rate` column to the history), and the saved model is then
// loaded back and evaluated: its validation loss is the best epoch's.

// %%
const callbackDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-03-'));
{
  const s = sub(P.sweepTrain);
  setGlobalSeed(5);
  const m = buildDropoutMlp();
  const opt = Adam({ learningRate: 0.01 });
  compile(m, { optimizer: opt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const checkpoint = new ModelCheckpoint(path.join(callbackDir, 'best'), { monitor: 'val_loss', saveBestOnly: true });
  const plateau = new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 1, verbose: 1 });
  const history = await fit(m, s.x, s.y, { epochs: P.patienceEpochs, batchSize: P.batchSize, validationData: [val.x, val.y], callbacks: [checkpoint, plateau], verbose: 0 });
  console.log(`fit returned a History callback: ${history instanceof History}; it recorded ${Object.keys(history.history).join(', ')} for epochs ${history.epoch.map((e) => e + 1).join(', ')}`);
  showMarkdown(markdownTable(['epoch', 'val_loss', 'learning_rate'], history.epoch.map((e, i) => [e + 1, history.history.val_loss[i].toFixed(4), history.history.learning_rate[i].toPrecision(3)])));
  const restored = await loadModel(checkpoint.saved.at(-1)!);
  const restoredLoss = evaluate(restored, val.x, val.y, { verbose: 0 }).loss;
  console.log(`ModelCheckpoint saved ${checkpoint.saved.length} time(s); the last save, loaded back: val_loss ${restoredLoss.toFixed(4)} (best epoch's ${Math.min(...history.history.val_loss).toFixed(4)})`);
  restored.dispose();
  m.dispose();
  opt.dispose();
  tf.dispose([s.x, s.y]);
}

// %% [markdown]
// `LearningRateScheduler` sets the rate at the start of each epoch from a function of the epoch and
// the current rate (here: divide by 10 every 2 epochs), and `TerminateOnNaN` stops training at the
// first NaN (or infinite) loss or weight. NaN can come from two places. From the data: a copy in
// which one image is all NaN, the way a corrupt file would bring one in; the library's `fit` checks
// its inputs and refuses such data before the first step, with a message that says where the NaN is.
// And from training itself: a learning rate far too large makes the weights grow at every step until
// they overflow; that is what `TerminateOnNaN` is for. The cell tries both and prints what happened.

// %%
{
  const s = sub(P.sweepTrain);
  setGlobalSeed(6);
  const m = buildDropoutMlp();
  const opt = SGD({ learningRate: 0.01 });
  compile(m, { optimizer: opt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const rates: number[] = [];
  const scheduler = new LearningRateScheduler((epoch: number, lr: number) => {
    const next = epoch > 0 && epoch % 2 === 0 ? lr / 10 : lr;
    rates.push(next);
    return next;
  });
  await fit(m, s.x, s.y, { epochs: 4, batchSize: P.batchSize, callbacks: [scheduler], verbose: 0 });
  console.log(`LearningRateScheduler: rate per epoch ${rates.map((r) => r.toPrecision(2)).join(', ')}`);
  // image 5 replaced by NaNs
  const corrupt = tf.tidy(() => tf.concat([s.x.slice(0, 5), tf.fill([1, 28, 28], NaN), s.x.slice(6)]));
  let refusal = '';
  try {
    await fit(m, corrupt, s.y, { epochs: 1, batchSize: P.batchSize, verbose: 0 });
  } catch (e) {
    refusal = (e as Error).message;
  }
  console.log(refusal === '' ? 'fit trained on the corrupt data without a word.' : `fit refused the corrupt data before the first step:\n  ${refusal}`);
  // NaN made by training: a linear regression (predict each image's mean brightness) with a learning
  // rate hundreds of times too large; each step multiplies the error, until the weights overflow.
  const reg = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), dense({ units: 1 })] });
  const regOpt = SGD({ learningRate: 100 });
  compile(reg, { optimizer: regOpt, loss: 'mse' });
  const brightness = tf.tidy(() => s.x.mean([1, 2]).expandDims(1));
  const regStopper = new TerminateOnNaN({ checkEvery: 1 });
  const hr = await fit(reg, s.x, brightness, { epochs: 3, batchSize: P.batchSize, shuffle: false, callbacks: [regStopper], verbose: 0 });
  const lastLoss = hr.history.loss.at(-1);
  console.log(`regression with SGD(learningRate: 100): TerminateOnNaN stopped the training: ${regStopper.terminated}; ` +
    `epochs run ${hr.epoch.length} of 3; last loss ${lastLoss}`);
  console.log(regStopper.terminated
    ? 'The callback stopped the run at the first non-finite value instead of training on with NaN weights.'
    : 'The loss stayed finite here: raise the learning rate to see TerminateOnNaN stop the run.');
  m.dispose();
  reg.dispose();
  opt.dispose();
  regOpt.dispose();
  tf.dispose([s.x, s.y, corrupt, brightness]);
}
fs.rmSync(callbackDir, { recursive: true, force: true });

// %% [markdown]
//
// ## 4 · Online, mini-batch and batch learning
//
// How many samples to use per gradient step?
//
// - **online** (stochastic) learning: one sample per step. Many cheap, noisy steps: the path to
//   the minimum is erratic, sensitive to each sample;
// - **batch** learning: the whole training set per step, the average gradient. Smooth, but one step
//   per epoch: very slow to converge;
// - **mini-batch** learning: small random sets (32, 64, 128 are common): a compromise, and fast on
//   hardware that multiplies matrices efficiently.
//
// The same model, optimiser (SGD 0.01) and data (`P.batchModeTrain` images), trained with batch
// sizes 1, 32 and all of them, timed by `compareBatchModes`:

// %%
const bm = sub(P.batchModeTrain);
const modes = await compareBatchModes({
  build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.01 }), x: bm.x, y: bm.y, validationData: [val.x, val.y], epochs: P.batchModeEpochs, miniBatchSize: 32,
});
showMarkdown(batchModeTable(modes));
{
  const [online, mini] = modes; // the order of compareBatchModes: online, mini-batch, batch
  console.log(`time per epoch: ${modes.map((m) => `${m.mode} ${m.trainSecondsPerEpoch.toFixed(2)} s`).join(', ')}; ` +
    `${online.mode} takes ${(online.trainSecondsPerEpoch / mini.trainSecondsPerEpoch).toFixed(0)}x the ${mini.mode} time per epoch`);
  console.log(`val_loss after ${P.batchModeEpochs} epochs: ${modes.map((m) => `${m.mode} ${m.history.history.val_loss.at(-1)!.toFixed(4)}`).join(', ')}`);
}
showFigure(lineChart(metricSeries(modes, 'val_loss'), { title: 'Validation loss per epoch', xTitle: 'epoch', yTitle: 'val_loss' }));
showFigure(barChart(modes.map((m) => m.mode), modes.map((m) => m.trainSecondsPerEpoch), { title: 'Training time per epoch (s)', format: (v) => v.toFixed(2) }));

// %% [markdown]
// What to look for: per epoch, online learning should make the most progress (it takes `n` steps)
// but be by far the slowest: each step pays the whole overhead of a forward and backward pass for a
// single sample (the lines above give the ratio on this machine). Batch learning is the cheapest per
// epoch and makes almost no progress (one step per epoch). Mini-batches sit in between: many steps
// per epoch, each one using the hardware efficiently, so that for the same *time* they get much
// further than either extreme. Hence batch sizes of 32 to 128 by default.
//
// ## 5 · Should we gather more data?
//
// After a first end-to-end system, how to improve it? The lecture's checklist:
//
// 1. Is the performance on the **training set** acceptable? If not, more data will not help: the
//    model does not even use the data it has. Make it bigger (layers, units), tune the optimisation
//    (learning rate); if that fails, suspect the *quality* of the data (noise, missing features).
// 2. If the training performance is fine, measure on a test set. If that is fine too, you are done.
//    If it is much worse than on the training set (a large **gap**), more data is one of the most
//    effective fixes; cheaper alternatives are a smaller model or more regularisation (weight decay,
//    dropout).
// 3. To decide **how much** data, plot the generalisation error against the training-set size,
//    with sizes on a logarithmic scale, e.g. **doubling** between experiments.
//
// `trainingSizeExperiment` trains a fresh seed MLP (Adam 0.001) on the first 250, 500, 1,000, …
// training images, with the same number of gradient steps for every size (small sets get more
// epochs), and measures the error on those images and on the validation set:

// %%
const sizes = doublingSizes(P.sizeStart, P.sizeMax);
const sizeRows = await trainingSizeExperiment({
  build: () => seedMlp(), optimizer: () => Adam({ learningRate: 0.001 }), x: train.x, y: train.y, validationData: [val.x, val.y],
  sizes, epochs: P.sizeEpochs, batchSize: P.batchSize, equalSteps: true,
  onRow: (r) => console.log(`size ${r.size}: ${r.epochs} epochs, train error ${r.trainError.toFixed(4)}, val error ${r.valError.toFixed(4)} (${r.seconds.toFixed(1)} s)`),
});
showMarkdown(sizeTable(sizeRows));
showFigure(lineChart([
  { name: 'training error', x: sizeRows.map((r) => r.size), y: sizeRows.map((r) => r.trainError), markers: true },
  { name: 'validation error', x: sizeRows.map((r) => r.size), y: sizeRows.map((r) => r.valError), markers: true },
], { title: 'Error vs training-set size (doubling)', xTitle: 'training images (log scale)', yTitle: 'error = 1 − accuracy', logX: true }));

// %% [markdown]
// What to look for: the training error is near 0 for small sets (the network memorises them) and
// rises with the size; the validation error falls as the set grows, by less and less, and not
// perfectly monotonically: each size gets the same number of steps, so the largest sets see only a
// few epochs, and one run per size is noisy. The gap between the two curves is what more data can
// still remove: as long as the validation curve is still falling at the right end, gathering more
// data is worth it; when it flattens near the training curve, work on the model instead. The cell
// below reads this run's curves that way.

// %%
{
  const last = sizeRows.at(-1)!;
  const first = sizeRows[0];
  const prev = sizeRows.at(-2) ?? first;
  const stillFalling = last.valError < prev.valError - 0.005;
  console.log(`validation error ${first.valError.toFixed(4)} at ${first.size} images → ${last.valError.toFixed(4)} at ${last.size}; ` +
    `gap (validation − training) ${first.gap.toFixed(4)} → ${last.gap.toFixed(4)}`);
  console.log(stillFalling
    ? `The validation error still fell between ${prev.size} and ${last.size} images (${prev.valError.toFixed(4)} → ${last.valError.toFixed(4)}): more data would still help.`
    : last.gap < 0.02
      ? `The curves have met (gap ${last.gap.toFixed(4)}) and the validation error has flattened: a bigger model or longer training would now pay more than more data.`
      : `The validation error has flattened (${prev.valError.toFixed(4)} → ${last.valError.toFixed(4)}) while a gap of ${last.gap.toFixed(4)} remains: more regularisation, or more steps per size, before more data.`);
  showMarkdown(markdownTable([`figure (profile ${P.profile})`, 'ours', "seed's"], [
    [`dropout 0.2 model: val_accuracy after ${P.epochs} epochs`, dropoutHistory.history.val_accuracy.at(-1)!.toFixed(4), '0.8686 (about 0.87)'],
    ['early stopping: epochs run / best epoch', `${esHistory.epoch.length} / ${early.bestEpoch + 1}`, '6 / 3'],
    ['L1: first-layer weights with |w| < 1e-3', `${(100 * modelSparsity(regResults[2].model!, 1e-3).layers[0].fraction).toFixed(1)} %`, '"promotes sparsity"'],
    ['time per epoch, online / mini-batch / batch', `${modes.map((m) => m.trainSecondsPerEpoch.toFixed(2)).join(' / ')} s`, '"online: erratic; batch: smooth but slow"'],
    [`validation error at ${first.size.toLocaleString('en-US')} → ${last.size.toLocaleString('en-US')} images`, `${first.valError.toFixed(4)} → ${last.valError.toFixed(4)}`, '—'],
    [`gap (validation − training error) at ${first.size.toLocaleString('en-US')} → ${last.size.toLocaleString('en-US')} images`, `${first.gap.toFixed(4)} → ${last.gap.toFixed(4)}`, '—'],
  ]));
}

// %% [markdown]
// ## Exercises
//
// Each exercise has an answer cell (write your code between the `BEGIN SOLUTION` and `END SOLUTION`
// lines, keeping the names declared above them) and a check cell that says "passed" or what is not
// right yet.
//
// **Exercise 1 · Monte Carlo dropout.** Dropout can also estimate uncertainty: keep it on at
// inference (`model.apply(x, { training: true })`), predict the same images many times and average.
// Write `mcDropout(model, x, runs)`, returning the mean and the standard deviation of the `runs`
// predicted probabilities (two `[n, classes]` tensors, the caller disposes them). Apply it to the
// first 3 validation images with the dropout model: how do the averaged probabilities compare with
// the ordinary prediction, and how much do they vary?

// %%
let mcDropout: ((model: tf.LayersModel, x: tf.Tensor, runs: number) => { mean: tf.Tensor; std: tf.Tensor }) | undefined;
// ### BEGIN SOLUTION
mcDropout = (model, x, runs) => tf.tidy(() => {
  const all = tf.stack(Array.from({ length: runs }, () => model.apply(x, { training: true }) as tf.Tensor));
  const { mean, variance } = tf.moments(all, 0);
  return { mean, std: variance.sqrt() };
});
{
  const x3 = val.x.slice(0, 3);
  const { mean, std } = mcDropout(dropoutModel, x3, 20);
  const plain = tf.tidy(() => dropoutModel.apply(x3, { training: false }) as tf.Tensor);
  const [m, sd, p] = [mean, std, plain].map((t) => t.arraySync() as number[][]);
  for (let i = 0; i < 3; i++) {
    const top = m[i].indexOf(Math.max(...m[i]));
    console.log(`image ${i} (true ${fm.classNames[split.val.labels[i]]}): MC top class ${fm.classNames[top]} p = ${m[i][top].toFixed(3)} ± ${sd[i][top].toFixed(3)}; ordinary p = ${p[i][top].toFixed(3)}`);
  }
  tf.dispose([x3, mean, std, plain]);
}
// ### END SOLUTION

// %%
await check03_1({ mcDropout: mcDropout });

// %% [markdown]
// **Exercise 2 · The dropout rate.** Write `dropoutMlp(rate)`: the dropout model of section 2 with
// any rate (a fresh model each call). Train it with rates 0, 0.2 and 0.5 on `P.sweepTrain` images
// for `P.sweepEpochs` epochs (SGD 0.01) and compare training and validation accuracy.

// %%
let dropoutMlp: ((rate: number) => tf.Sequential) | undefined;
// ### BEGIN SOLUTION
dropoutMlp = (rate) => tf.sequential({
  layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    tf.layers.dropout({ rate }),
    dense({ units: 300, activation: 'elu', kernelInitializer: 'he_normal' }),
    tf.layers.dropout({ rate }),
    dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal' }),
    tf.layers.dropout({ rate }),
    dense({ units: 10, activation: 'softmax' }),
  ],
});
{
  const s = sub(P.sweepTrain);
  const build = dropoutMlp;
  const results = await compareVariants([0, 0.2, 0.5].map((rate) => ({
    name: `dropout ${rate}`, build: () => build(rate), optimizer: () => SGD({ learningRate: 0.01 }),
  })), { x: s.x, y: s.y, validationData: [val.x, val.y], epochs: P.sweepEpochs });
  showMarkdown(comparisonTable(results, { keys: ['accuracy', 'val_accuracy'] }));
  tf.dispose([s.x, s.y]);
}
// ### END SOLUTION

// %%
await check03_2({ dropoutMlp: dropoutMlp });

// %% [markdown]
// **Exercise 3 · The penalty inside the loss.** Write `l2Penalty(model, lambda)`: λ Σ w² over the
// kernels of all Dense layers but the last (the hidden ones, which carry the penalty in section 1). For the trained L2 model,
// check that `evaluate`'s loss minus the plain cross-entropy equals `l2Penalty(model, 1e-3)`.

// %%
let l2Penalty: ((model: tf.LayersModel, lambda: number) => number) | undefined;
// ### BEGIN SOLUTION
l2Penalty = (model, lambda) => {
  const denses = model.layers.filter((l) => l.getClassName() === 'Dense').slice(0, -1);
  return denses.reduce((sum, l) => sum + lambda * tf.tidy(() => l.getWeights()[0].square().sum().dataSync()[0]), 0);
};
{
  const model = regResults[1].model!;
  const byHand = l2Penalty(model, 1e-3);
  const withPenalty = evaluate(model, val.x, val.y, { verbose: 0 }).loss;
  const ce = tf.tidy(() => {
    const probs = predict(model, val.x, { batchSize: 256 });
    return tf.mean(sparseCategoricalCrossentropy()(val.y, probs)).dataSync()[0];
  });
  console.log(`λ Σ w² by hand ${byHand.toFixed(5)}; evaluate loss ${withPenalty.toFixed(5)} − cross-entropy ${ce.toFixed(5)} = ${(withPenalty - ce).toFixed(5)}`);
}
// ### END SOLUTION

// %%
await check03_3({ l2Penalty: l2Penalty });

// %% [markdown]
// **Exercise 4 · The lecture's strength.** Train the L1 model with the lecture's λ = 0.01
// (`regularizedMlp(() => l1(0.01))`, on the same subset and epochs as section 1). Set
// `strongL1` to its validation accuracy and the share (0 to 1) of its first-layer weights with
// |w| < 1e-3 (`modelSparsity`). What happens to the accuracy and to the share of zero weights?

// %%
let strongL1: { valAccuracy: number; zeroShare: number } | undefined;
// ### BEGIN SOLUTION
{
  const [r] = await compareVariants([
    { name: 'L1 (λ = 0.01)', build: regularized(() => l1(0.01)), optimizer: () => Adam({ learningRate: 0.001 }) },
  ], { x: regTrain.x, y: regTrain.y, validationData: [val.x, val.y], epochs: P.regEpochs, keepModels: true });
  const sp = modelSparsity(r.model!, 1e-3);
  strongL1 = { valAccuracy: r.final.val_accuracy, zeroShare: sp.layers[0].fraction };
  console.log(`val_accuracy ${r.final.val_accuracy.toFixed(4)} (λ = 1e-4: ${regResults[2].final.val_accuracy.toFixed(4)}); ` +
    `first layer |w| < 1e-3: ${(100 * sp.layers[0].fraction).toFixed(1)} %; loss ${r.final.loss.toFixed(3)} (mostly penalty)`);
  r.model!.dispose();
  r.optimizer?.dispose();
}
// ### END SOLUTION

// %%
await check03_4({ strongL1: strongL1 });

// %% [markdown]
// **Exercise 5 · Patience.** Retrain a fresh dropout model with Adam 0.01 and early stopping with
// patience 1 and with patience 5 (`P.sweepTrain` images, up to `P.patienceEpochs` epochs), and put
// the epochs each one ran in `epochsRun` (keys `'1'` and `'5'`). Which ends with the lower
// validation loss?

// %%
let epochsRun: Record<string, number> | undefined;
// ### BEGIN SOLUTION
epochsRun = {};
{
  const s = sub(P.sweepTrain);
  for (const patience of [1, 5]) {
    const es = new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
    const [r] = await compareVariants([{
      name: `patience ${patience}`, build: () => buildDropoutMlp(),
      optimizer: () => Adam({ learningRate: 0.01 }), callbacks: () => [es],
    }], { x: s.x, y: s.y, validationData: [val.x, val.y], epochs: P.patienceEpochs });
    epochsRun[String(patience)] = r.epochsRun;
    console.log(`patience ${patience}: ${r.epochsRun} epochs, best epoch ${es.bestEpoch + 1}, best val_loss ${Math.min(...r.history.history.val_loss).toFixed(4)}`);
  }
  tf.dispose([s.x, s.y]);
}
// ### END SOLUTION

// %%
await check03_5({ epochsRun: epochsRun, maxEpochs: P.patienceEpochs });

// %% [markdown]
// **Exercise 6 · ReduceLROnPlateau by hand.** Write `plateauRates(valLosses, lr, factor,
// patience)`: the learning rate in force after each epoch, given the validation losses of the
// epochs, under ReduceLROnPlateau's rule: an epoch whose loss is below the best so far is an
// improvement (it becomes the best and the count of bad epochs restarts at 0); otherwise the count
// grows by one, and when it reaches `patience` the rate is multiplied by `factor` and the count
// restarts at 0. Compare with the `learning_rate` column of the callbacks run above.

// %%
let plateauRates: ((valLosses: number[], lr: number, factor: number, patience: number) => number[]) | undefined;
// ### BEGIN SOLUTION
plateauRates = (valLosses, lr, factor, patience) => {
  let best = Infinity;
  let wait = 0;
  let rate = lr;
  return valLosses.map((loss) => {
    if (loss < best) {
      best = loss;
      wait = 0;
    } else if (++wait >= patience) {
      rate *= factor;
      wait = 0;
    }
    return rate;
  });
};
console.log(plateauRates([1, 0.8, 0.85, 0.9, 0.7, 0.75], 0.01, 0.5, 1));
// ### END SOLUTION

// %%
await check03_6({ plateauRates: plateauRates });

// %% [markdown]
// ## Summary
//
// - L1 and L2 penalties, written into the layers, trade training error for smaller weights; L1
//   zeroes many of them, which is a first step towards pruning the network.
// - Dropout switches neurons off at random during training, so none can rely on a few others;
//   Keras scales the kept outputs by 1 / (1 − p) so that nothing changes at inference.
// - Early stopping, with the best weights restored, is the cheapest regulariser; it is one of the
//   Keras callbacks (History, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler,
//   TerminateOnNaN) used above.
// - Mini-batches get further per second than online or full-batch learning; the learning curve over
//   training-set sizes says whether more data would still help.
//
// Next: [04 · Convolutions by hand](04-convolutions-by-hand.ipynb): the operation behind CNNs.

// %%
// Free the tensors this notebook kept.
for (const r of regResults) {
  r.model?.dispose();
  r.optimizer?.dispose();
}
tf.dispose([train.x, train.y, val.x, val.y, regTrain.x, regTrain.y, bm.x, bm.y]);
dropoutModel.dispose();
esOptimizer.dispose();
console.log('tensors alive:', tf.memory().numTensors);
