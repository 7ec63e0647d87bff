// %% [markdown]
// # 03 · Regularisation, batch sizes and how much data
//
// A deep network has hundreds of thousands of parameters (266,610 for notebook 01's small MLP).
// That freedom lets it fit almost any training set, and also **overfit** it. Lecture 001's section 4
// covers the usual defences, in this order:
//
// 1. **L1 and L2 penalties** (and their mix, the elastic net) on the weights;
// 2. **dropout**;
// 3. **early stopping**.
//
// It ends with two practical questions: should the weights be updated after every sample, every
// mini-batch or every epoch (**online, mini-batch and batch learning**), and **should we gather more
// data?** Each is measured below on Fashion-MNIST.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadFashionMnist, seedSplit, toTensors } from '../dist/lib/data';
import { dense, l1, l2, l1_l2, penaltyOf } from '../dist/lib/layers';
import { compile, fit, evaluate, predict, summary, sparseCategoricalCrossentropy, SGD, Adam, EarlyStopping } from '../dist/lib/train';
import { showFigure, lineChart, learningCurves, histogram, barChart } from '../dist/lib/plots';
import {
  seedMlp, compareVariants, comparisonTable, metricSeries, modelSparsity, kernelValues,
  compareBatchModes, batchModeTable, trainingSizeExperiment, sizeTable, doublingSizes, EpochTimer,
} from '../dist/lib/deep';

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
    return `| ${name} | ${byHand.toFixed(4)} | ${lib.toFixed(4)} |`;
  });
  showMarkdown(['| regulariser on a 300 × 100 he_normal kernel | penalty by hand | penaltyOf | ', '| --- | ---: | ---: |', ...rows].join('\n'));
}

// %% [markdown]
// Now trained: the lecture's MLP style (ELU, `he_normal`, 300-100) with the penalty on both hidden
// kernels, Adam (0.001), on `P.regTrain` images. The lecture's strength 0.01 is very strong for
// 235,200 first-layer weights (the L1 penalty alone starts near 0.01 · 235,200 · 0.04 ≈ 90, against
// a cross-entropy of about 2.3); we use λ = 10⁻⁴ for L1 and 10⁻³ for L2 (exercise 4 tries 0.01).

// %%
const regularized = (reg?: () => ReturnType<typeof l2>) => () => seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: reg });
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
  showMarkdown([
    '| model | first layer: \\|w\\| < 1e-3 | all kernels: \\|w\\| < 1e-3 | largest \\|w\\| |',
    '| --- | ---: | ---: | ---: |',
    ...sp.map(({ name, s }) => `| ${name} | ${s.layers[0].near0.toLocaleString('en-US')} of ${s.layers[0].total.toLocaleString('en-US')} (${(100 * s.layers[0].fraction).toFixed(1)} %) | ` +
      `${(100 * s.total.fraction).toFixed(1)} % | ${s.total.maxAbs.toFixed(3)} |`),
  ].join('\n'));
  showFigure(barChart(sp.map(({ name }) => name), sp.map(({ s }) => 100 * s.layers[0].fraction), { title: 'Share of first-layer weights with |w| < 1e-3 (%)', format: (v) => v.toFixed(1) }));
}

// %% [markdown]
// L1 drives a large share of the first layer's weights to zero (on the full profile about 30 %,
// against about 1 % without a penalty): many of them multiply pixels near the border that are almost
// always 0, so nothing in the data defends them against the penalty. L2 pulls the bulk of the weights
// towards 0 (a narrower peak) but leaves far fewer near-zero weights; the elastic net, with both
// penalties, gives the most. The penalties cost a little validation accuracy here: after 5 epochs on
// 8,000 images the plain model is not overfitting much yet, so there is little for them to fix.
//
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
  showMarkdown([
    '| Dropout(0.2) on ones | measured | expected |',
    '| --- | ---: | ---: |',
    `| training: share of zeros | ${dropped.toFixed(4)} | 0.2 |`,
    `| training: value of the kept units | ${kept.toFixed(4)} | 1 / 0.8 = 1.25 |`,
    `| training: mean output | ${mean.toFixed(4)} | 1 |`,
    `| inference: mean output | ${test.toFixed(4)} | 1 (nothing dropped) |`,
  ].join('\n'));
  ones.dispose();
}

// %% [markdown]
// The lecture's dropout model: `Dropout(0.2)` before each Dense layer (on the inputs too), ELU and
// `he_normal`, trained like notebook 01's model: SGD (`'sgd'`: learning rate 0.01), 10 epochs,
// batch 32, on the 55,000 training images (full profile).

// %%
setGlobalSeed(42);
const dropoutModel = tf.sequential({
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
summary(dropoutModel);
compile(dropoutModel, { loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
const dropoutTimer = new EpochTimer();
const dropoutHistory = await fit(dropoutModel, train.x, train.y, {
  epochs: P.epochs, batchSize: P.batchSize, validationData: [val.x, val.y], callbacks: [dropoutTimer],
});
showFigure(learningCurves(dropoutHistory, { title: 'Dropout 0.2 model' }));
{
  const h = dropoutHistory.history;
  showMarkdown([
    `| dropout 0.2 model (profile ${P.profile}), last epoch | ours | seed |`,
    '| --- | ---: | ---: |',
    `| accuracy (training, with dropout on) | ${h.accuracy.at(-1)!.toFixed(4)} | 0.8313 |`,
    `| loss | ${h.loss.at(-1)!.toFixed(4)} | 0.4546 |`,
    `| val_accuracy | ${h.val_accuracy.at(-1)!.toFixed(4)} | 0.8686 |`,
    `| val_loss | ${h.val_loss.at(-1)!.toFixed(4)} | 0.3779 |`,
    `| seconds per epoch | ${(dropoutTimer.seconds.reduce((a, b) => a + b, 0) / dropoutTimer.seconds.length).toFixed(1)} (${backend.name}) | 3 |`,
  ].join('\n'));
}

// %% [markdown]
// The training accuracy is *below* the validation accuracy: it is measured with dropout on, a
// handicap the validation pass does not have. The gap between the two is no sign of overfitting.
// The lecture's advice: if the model overfits, increase the rate; if it underfits, decrease it; use
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
// more epochs with `EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)`. It
// stopped after 6 epochs, the best being epoch 3.

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
  showMarkdown([
    `| early stopping (patience 3, profile ${P.profile}) | ours | seed |`,
    '| --- | ---: | ---: |',
    `| epochs run (of ${P.epochs}) | ${esHistory.epoch.length} | 6 of 10 |`,
    `| best epoch (lowest val_loss) | ${best + 1} | 3 |`,
    `| best val_loss | ${vl[best].toFixed(4)} | 0.5277 |`,
    `| last epoch's val_loss | ${vl.at(-1)!.toFixed(4)} | 0.6044 |`,
    `| val_loss of the model after fit (best weights restored) | ${afterRestore.loss.toFixed(4)} | — |`,
    `| val_accuracy after fit | ${afterRestore.accuracy.toFixed(4)} | 0.8328 at the best epoch |`,
  ].join('\n'));
  console.log(Math.abs(afterRestore.loss - vl[best]) < 1e-4 ? 'The model holds the best epoch\'s weights.' : 'The model does not hold the best epoch\'s weights!');
}
showFigure(learningCurves(esHistory, { title: 'Adam 0.01 with early stopping', yRange: 'auto' }));

// %% [markdown]
// Adam at 0.01 is too aggressive for this model: the validation loss jumps around and does not
// beat what SGD reached. Early stopping does its job anyway: training ends soon after the best epoch
// and the model keeps the best weights, not the last ones.
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
showFigure(lineChart(metricSeries(modes, 'val_loss'), { title: 'Validation loss per epoch', xTitle: 'epoch', yTitle: 'val_loss' }));
showFigure(barChart(modes.map((m) => m.mode), modes.map((m) => m.trainSecondsPerEpoch), { title: 'Training time per epoch (s)', format: (v) => v.toFixed(2) }));

// %% [markdown]
// Per epoch, online learning makes the most progress (it takes `n` steps) but is by far the
// slowest: each step pays the whole overhead of a forward and backward pass for a single sample
// (on the full profile about 20x the time of a mini-batch epoch). Batch learning is the cheapest per
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
// The training error is 0 for small sets (the network memorises them) and rises with the size;
// the validation error falls as the set grows (on the full profile from about 0.24 with 250 images to
// about 0.13-0.14 with 8,000-16,000), by less and less, and not perfectly monotonically: each size
// gets the same number of steps, so the largest sets see only a few epochs, and one run per size is
// noisy. The gap between the two curves is what more data can still remove: as long as the
// validation curve is still falling at the right end, gathering more data is worth it; when it
// flattens near the training curve, work on the model instead (here the two meet around 16,000
// images: a bigger model or longer training would now pay more than more data).

// %%
{
  const last = sizeRows.at(-1)!;
  const first = sizeRows[0];
  showMarkdown([
    `| figure (profile ${P.profile}) | ours | seed |`,
    '| --- | ---: | ---: |',
    `| dropout 0.2 model: val_accuracy after ${P.epochs} epochs | ${dropoutHistory.history.val_accuracy.at(-1)!.toFixed(4)} | 0.8686 (about 0.87) |`,
    `| early stopping: epochs run / best epoch | ${esHistory.epoch.length} / ${early.bestEpoch + 1} | 6 / 3 |`,
    `| L1: first-layer weights with \\|w\\| < 1e-3 | ${(100 * modelSparsity(regResults[2].model!, 1e-3).layers[0].fraction).toFixed(1)} % | "promotes sparsity" |`,
    `| time per epoch, online / mini-batch / batch | ${modes.map((m) => m.trainSecondsPerEpoch.toFixed(2)).join(' / ')} s | "online: erratic; batch: smooth but slow" |`,
    `| validation error at ${first.size.toLocaleString('en-US')} → ${last.size.toLocaleString('en-US')} images | ${first.valError.toFixed(4)} → ${last.valError.toFixed(4)} | — |`,
    `| gap (validation − training error) at ${first.size.toLocaleString('en-US')} → ${last.size.toLocaleString('en-US')} images | ${first.gap.toFixed(4)} → ${last.gap.toFixed(4)} | — |`,
  ].join('\n'));
}

// %% [markdown]
// ## Exercises
//
// 1. **Monte Carlo dropout.** Dropout can also estimate uncertainty: keep it on at inference
//    (`model.apply(x, { training: true })`), predict the same images 20 times and average. Do it for
//    the first 3 validation images with the dropout model: how do the averaged probabilities compare
//    with the ordinary prediction, and how much do they vary?

// %% [solution]
{
  const x3 = val.x.slice(0, 3);
  const runs = tf.tidy(() => tf.stack(Array.from({ length: 20 }, () => dropoutModel.apply(x3, { training: true }) as tf.Tensor)));
  const mean = tf.tidy(() => runs.mean(0));
  const std = tf.tidy(() => tf.moments(runs, 0).variance.sqrt());
  const plain = tf.tidy(() => dropoutModel.apply(x3, { training: false }) as tf.Tensor);
  const m = mean.arraySync() as number[][];
  const s = std.arraySync() as number[][];
  const p = plain.arraySync() as number[][];
  for (let i = 0; i < 3; i++) {
    const top = m[i].indexOf(Math.max(...m[i]));
    console.log(`image ${i} (true ${fm.classNames[split.val.labels[i]]}): MC top class ${fm.classNames[top]} p = ${m[i][top].toFixed(3)} ± ${s[i][top].toFixed(3)}; ordinary p = ${p[i][top].toFixed(3)}`);
  }
  tf.dispose([x3, runs, mean, std, plain]);
}

// %% [markdown]
// 2. **The dropout rate.** Train the dropout model with rates 0, 0.2 and 0.5 on `P.sweepTrain`
//    images for `P.sweepEpochs` epochs (SGD 0.01) and compare training and validation accuracy.

// %% [solution]
{
  const s = sub(P.sweepTrain);
  const rates = [0, 0.2, 0.5];
  const results = await compareVariants(rates.map((rate) => ({
    name: `dropout ${rate}`, build: () => seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', dropout: rate }), optimizer: () => SGD({ learningRate: 0.01 }),
  })), { x: s.x, y: s.y, validationData: [val.x, val.y], epochs: P.sweepEpochs });
  showMarkdown(comparisonTable(results, { keys: ['accuracy', 'val_accuracy'] }));
  tf.dispose([s.x, s.y]);
}

// %% [markdown]
// 3. **The penalty inside the loss.** For the trained L2 model, compute λ Σ w² over its two hidden
//    kernels by hand and check that `evaluate`'s loss minus the plain cross-entropy equals it.

// %% [solution]
{
  const model = regResults[1].model!;
  const kernels = kernelValues(model).slice(0, 2);
  const byHand = kernels.reduce((a, k) => a + 1e-3 * k.values.reduce((s, w) => s + w * w, 0), 0);
  const withPenalty = evaluate(model, val.x, val.y, { verbose: 0 }).loss;
  const ce = tf.tidy(() => {
    const probs = predict(model, val.x, { batchSize: 256 });
    return tf.mean(sparseCategoricalCrossentropy()(val.y, probs)).dataSync()[0];
  });
  console.log(`λ Σ w² by hand ${byHand.toFixed(5)}; evaluate loss ${withPenalty.toFixed(5)} − cross-entropy ${ce.toFixed(5)} = ${(withPenalty - ce).toFixed(5)}`);
}

// %% [markdown]
// 4. **The lecture's strength.** Train the L1 model with the lecture's λ = 0.01 (on the same subset
//    and epochs as section 1). What happens to the accuracy and to the share of zero weights?

// %% [solution]
{
  const [r] = await compareVariants([
    { name: 'L1 (λ = 0.01)', build: regularized(() => l1(0.01)), optimizer: () => Adam({ learningRate: 0.001 }) },
  ], { x: regTrain.x, y: regTrain.y, validationData: [val.x, val.y], epochs: P.regEpochs, keepModels: true });
  const sp = modelSparsity(r.model!, 1e-3);
  console.log(`val_accuracy ${r.final.val_accuracy.toFixed(4)} (λ = 1e-4: ${regResults[2].final.val_accuracy.toFixed(4)}); ` +
    `first layer |w| < 1e-3: ${(100 * sp.layers[0].fraction).toFixed(1)} %; loss ${r.final.loss.toFixed(3)} (mostly penalty)`);
  r.model!.dispose();
  r.optimizer?.dispose();
}

// %% [markdown]
// 5. **Patience.** Retrain a fresh dropout model with Adam 0.01 and early stopping with patience 1
//    and with patience 5 (`P.sweepTrain` images, up to `P.patienceEpochs` epochs). How many epochs does each run, and
//    which ends with the lower validation loss?

// %% [solution]
{
  const s = sub(P.sweepTrain);
  for (const patience of [1, 5]) {
    const es = new EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
    const [r] = await compareVariants([{
      name: `patience ${patience}`, build: () => seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', dropout: 0.2 }),
      optimizer: () => Adam({ learningRate: 0.01 }), callbacks: () => [es],
    }], { x: s.x, y: s.y, validationData: [val.x, val.y], epochs: P.patienceEpochs });
    console.log(`patience ${patience}: ${r.epochsRun} epochs, best epoch ${es.bestEpoch + 1}, best val_loss ${Math.min(...r.history.history.val_loss).toFixed(4)}`);
  }
  tf.dispose([s.x, s.y]);
}

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
