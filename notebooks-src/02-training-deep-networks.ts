// %% [markdown]
// # 02 · Training deep networks
//
// Notebook 01 trained a shallow MLP with plain SGD. Deeper networks bring problems of their own, and
// lecture 001 goes through the remedies in this order:
//
// 1. **vanishing and exploding gradients**, and what alleviates them: a careful initialisation
//    (Glorot, He, LeCun), non-saturating activations (leaky ReLU, ELU, SELU), batch normalisation
//    (whose algorithm is seed 000's) and gradient clipping;
// 2. **transfer learning**: reuse the lower layers of a network trained on a similar task;
// 3. **faster optimisers**: momentum, Nesterov, AdaGrad, RMSProp, Adam, Nadam, and learning-rate
//    schedules.
//
// Each idea is measured here on Fashion-MNIST. The lecture only builds most of these models; we also
// train them, on a subset of the training set (`P.train` images for `P.epochs` epochs), so that
// comparisons stay quick. Batch normalisation is written by hand (seed 000's four steps) and
// checked against the tfjs layer. The regularisation part of the lecture is notebook 03.
//
// **What it needs.** Notebook 01: the Fashion-MNIST split, the seed's MLP (300-100), `compile`
// and `fit`.
//
// **How long.** Measured on a 2-core machine (wasm backend, README's course table): about 12 s on
// the `smoke` profile, about 2 min (116 s, with the native oneDNN kernels) on `full`. To switch to
// the small `smoke` sizes from inside Jupyter, without restarting the kernel, run this in a cell
// before the first code cell (then run the notebook from the top):
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
import { loadFashionMnist, seedSplit, toTensors, filterClasses } from '../dist/lib/data';
import { dense, initializer, VarianceScaling, LeakyReLU, SELU_ALPHA, SELU_SCALE } from '../dist/lib/layers';
import {
  compile, fit, evaluate, summary, sparseCategoricalCrossentropy, SGD, Adagrad, RMSprop, Adam, Nadam, clipGradients, LearningRateScheduler,
  ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, powerSchedule, sampleSchedule,
} from '../dist/lib/train';
import { cloneModel, reuseLayers, freeze, unfreeze, countParams, disposeModels } from '../dist/lib/train';
import { showFigure, lineChart } from '../dist/lib/plots';
import {
  seedMlp, deepMlp, layerGradientNorms, layerOutputStats, maxAbsDifference,
  compareVariants, comparisonTable, metricSeries,
} from '../dist/lib/deep';
import { check02_1, check02_2, check02_3, check02_4, check02_5 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

// full: comparisons on 8,000 training images for 5 epochs, the seed's 5,000 validation images;
// smoke: a few hundred images and 2 epochs, the same code.
const P = profileSizes({
  full: { train: 8000, val: 5000, test: 10000, epochs: 5, batchSize: 32, gradBatch: 512, transferA: 20000, transferEpochsA: 5, labelledB: 100, transferEpochsB: 20, frozenEpochsB: 10 },
  smoke: { train: 192, val: 100, test: 400, epochs: 2, batchSize: 32, gradBatch: 128, transferA: 600, transferEpochsA: 2, labelledB: 40, transferEpochsB: 4, frozenEpochsB: 2 },
});
console.log(P);

const fm = await loadFashionMnist();
const split = seedSplit(fm, { train: Math.max(P.train, P.transferA), val: P.val, test: P.test });
const classNames = fm.classNames;
const trainAll = toTensors(split.train);
const train = { x: trainAll.x.slice(0, P.train), y: trainAll.y.slice(0, P.train) };
const val = toTensors(split.val);
console.log(`training subset ${train.x.shape}, validation ${val.x.shape} (from ${fm.source})`);

// the common settings of every comparison below
const common = { x: train.x, y: train.y, validationData: [val.x, val.y] as [tf.Tensor, tf.Tensor], epochs: P.epochs, batchSize: P.batchSize };

// %% [markdown]
// ## 1 · The vanishing / exploding gradient problem
//
// Backpropagation sends the error gradient from the output layer back to the input layer. On the
// way, each layer multiplies it by its weights and by the derivative of its activation. If these
// factors are mostly below 1, the gradient **vanishes**: the lower layers barely learn. If they are
// mostly above 1, it **explodes**. The sigmoid is a prime suspect: its derivative σ'(z) = σ(z)(1 − σ(z))
// is at most 0.25, and close to 0 when the unit saturates (|z| large).
//
// Let us measure it. Two deep MLPs of 10 hidden layers of 100 units, on one batch of Fashion-MNIST
// images, *before any training*: the L2 norm of the loss gradient with respect to each layer's
// kernel (`layerGradientNorms`), from layer 1 (next to the input) to layer 11 (the output).
//
// - **sigmoid** with Keras's old default `random_normal` (σ = 0.05), the pre-2010 practice;
// - **sigmoid + Glorot** (Keras's default `glorot_uniform`);
// - **ReLU + He** (`he_normal`), the combination the lecture recommends.

// %%
const gradX = trainAll.x.slice(0, P.gradBatch);
const gradY = trainAll.y.slice(0, P.gradBatch);
const gradConfigs = [
  { name: 'sigmoid, random_normal', activation: 'sigmoid' as const, init: 'random_normal' },
  { name: 'sigmoid, glorot_uniform', activation: 'sigmoid' as const, init: 'glorot_uniform' },
  { name: 'ReLU, he_normal', activation: 'relu' as const, init: 'he_normal' },
];
const gradNorms = gradConfigs.map((c) => {
  setGlobalSeed(1);
  const m = deepMlp({ depth: 10, width: 100, activation: c.activation, kernelInitializer: c.init });
  const rows = layerGradientNorms(m, gradX, gradY);
  const stats = layerOutputStats(m, gradX);
  m.dispose();
  return { ...c, rows, stats };
});
showFigure(lineChart(
  gradNorms.map((g) => ({ name: g.name, x: g.rows.map((r) => r.depth), y: g.rows.map((r) => r.kernelNorm), markers: true })),
  { title: 'Gradient norm per layer at initialisation (layer 1 = input side)', xTitle: 'layer', yTitle: '‖∂loss/∂kernel‖', logY: true },
));
showMarkdown(markdownTable(['layer', ...gradNorms.map((g) => g.name)], [
  ...gradNorms[0].rows.map((r, i) => [r.depth, ...gradNorms.map((g) => g.rows[i].kernelNorm.toExponential(2))]),
  ['**layer 1 / layer 10**', ...gradNorms.map((g) => (g.rows[0].kernelNorm / g.rows[9].kernelNorm).toExponential(1))],
]));
for (const g of gradNorms) {
  const ratio = g.rows[0].kernelNorm / g.rows[9].kernelNorm;
  const orders = Math.log10(ratio);
  console.log(`${g.name}: layer 1's gradient is ${ratio < 1 ? `${(1 / ratio).toExponential(1)} times smaller` : `${ratio.toFixed(1)} times larger`} than layer 10's` +
    (Math.abs(orders) >= 2 ? ` (${Math.abs(orders).toFixed(0)} orders of magnitude: the lower layers ${orders < 0 ? 'barely learn' : 'get huge steps'})` : ' (the same order of magnitude)'));
}

// %% [markdown]
// What to look for in the table and the lines above it: with sigmoid and small random weights the
// lecture expects the first layer's gradient to be orders of magnitude smaller than the top
// layer's (the lower layers would hardly move); Glorot's initialisation should narrow the band,
// and ReLU with He initialisation keep the gradients of the same order from top to bottom.
//
// The forward signal tells the same story: the standard deviation of each hidden layer's output.
// With `random_normal` the sigmoid outputs should collapse towards 0.5 (std → 0: every unit says
// the same); with ReLU + He the spread should survive all ten layers.

// %%
showFigure(lineChart(
  gradNorms.map((g) => ({ name: g.name, x: g.stats.slice(1, 11).map((s) => s.index - 1), y: g.stats.slice(1, 11).map((s) => s.std), markers: true })),
  { title: 'Standard deviation of each hidden layer\'s output', xTitle: 'hidden layer', yTitle: 'std of activations', logY: true },
));

// %% [markdown]
// The lecture lists three remedies: make each layer's output variance equal to its input variance
// (initialisation), use non-saturating activations, and batch normalisation.
//
// ### 1.1 · Glorot and He initialisation
//
// Glorot and Bengio argue that the signal flows well when the variance of each layer's outputs
// equals the variance of its inputs, and the gradients' variance is the same before and after a
// layer in the backward direction. Both hold only if a layer has as many inputs (**fan-in**) as
// neurons (**fan-out**); the compromise is to draw the weights with mean 0 and a variance based on
// fan_avg = (fan_in + fan_out) / 2:
//
// | initialisation | activation functions | σ² (normal) |
// | --- | --- | --- |
// | Glorot (2010) | none, tanh, sigmoid, softmax | 1 / fan_avg |
// | He (2015) | ReLU and its variants | 2 / fan_in |
// | LeCun (1998) | SELU | 1 / fan_in |
//
// A uniform distribution on [−r, r] has variance r²/3, so the uniform versions use r = √(3σ²).
// Keras's default is **Glorot uniform**; `kernel_initializer='he_normal'` switches to He, and
// `VarianceScaling(scale=2, mode='fan_avg', distribution='uniform')` gives He's scale with fan_avg.
//
// The check: draw the 784 × 300 kernel of the MLP's first layer with each initialiser and compare
// the measured variance with the formula.

// %%
{
  const shape = [784, 300];
  const fanIn = 784;
  const fanAvg = (784 + 300) / 2;
  const cases: Array<[string, ReturnType<typeof initializer>, number]> = [
    ['glorot_uniform', initializer('glorot_uniform'), 1 / fanAvg],
    ['glorot_normal', initializer('glorot_normal'), 1 / fanAvg],
    ['he_uniform', initializer('he_uniform'), 2 / fanIn],
    ['he_normal', initializer('he_normal'), 2 / fanIn],
    ['lecun_normal', initializer('lecun_normal'), 1 / fanIn],
    ['VarianceScaling(2, fan_avg, uniform)', new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' }), 2 / fanAvg],
    ['tfjs\'s own tf.initializers.heNormal()', tf.initializers.heNormal({}), 2 / fanIn],
  ];
  setGlobalSeed(3);
  const rows = cases.map(([name, init, expected]) => {
    const w = init.apply(shape, 'float32');
    const v = tf.tidy(() => tf.moments(w).variance.dataSync()[0]);
    const lim = tf.tidy(() => w.abs().max().dataSync()[0]);
    w.dispose();
    return { name, expected, v, lim };
  });
  showMarkdown(markdownTable(['initialiser', 'σ² formula', 'σ² measured', 'ratio', 'max abs weight'],
    rows.map((r) => [r.name, r.expected.toExponential(3), r.v.toExponential(3), (r.v / r.expected).toFixed(3), r.lim.toFixed(4)])));
  const onFormula = rows.filter((r) => Math.abs(r.v / r.expected - 1) < 0.05).map((r) => r.name);
  const off = rows.filter((r) => Math.abs(r.v / r.expected - 1) >= 0.05);
  console.log(`within 5 % of the formula: ${onFormula.join(', ') || 'none'}`);
  console.log(off.length === 0 ? 'every initialiser is within 5 % of its formula' : `off by more than 5 %: ${off.map((r) => `${r.name} (ratio ${(r.v / r.expected).toFixed(3)})`).join(', ')}`);
  console.log(`uniform limits: glorot r = √(3/fan_avg) = ${Math.sqrt(3 / fanAvg).toFixed(4)}, he r = √(6/fan_in) = ${Math.sqrt(6 / fanIn).toFixed(4)}`);
}

// %% [markdown]
// The ratio column should be close to 1 for every Keras initialiser. The last row is a trap worth
// knowing: tfjs's built-in `heNormal` draws from a normal truncated at two standard deviations
// *without* correcting the standard deviation; in theory its variance is then 0.774 times the
// formula's, and the cell above prints the ratio measured. The course's `initializer('he_normal')`
// divides σ by 0.8796 as Keras does.
//
// ### 1.2 · Non-saturating activation functions
//
// The ReLU, max(0, z), does not saturate for positive inputs and is cheap, but a unit whose input
// is negative for every sample outputs 0 and gets a zero gradient: it **dies**. Its variants keep a
// gradient for z < 0:
//
// - **leaky ReLU**: LeakyReLU_α(z) = max(αz, z), e.g. α = 0.2 (the *parametric* leaky ReLU learns α);
// - **ELU**: φ(z) = z for z > 0, α(eᶻ − 1) for z ≤ 0; smooth, negative outputs push the mean
//   activation towards 0;
// - **SELU**: φ(z) = λ·z for z > 0, λ·α(eᶻ − 1) for z ≤ 0, with α ≈ 1.6733 and λ ≈ 1.0507. In a
//   stack of dense layers with `lecun_normal` weights and standardised inputs, each layer's output
//   tends to keep **mean 0 and standard deviation 1** (self-normalisation); with dropout, use
//   `AlphaDropout`.
//
// The lecture's rule of thumb: SELU > ELU > leaky ReLU > ReLU > tanh > sigmoid.

// %%
{
  const zs = Array.from({ length: 121 }, (_, i) => -4 + i / 15);
  const fns: Array<[string, (z: tf.Tensor) => tf.Tensor]> = [
    ['sigmoid', (z) => tf.sigmoid(z)],
    ['ReLU', (z) => tf.relu(z)],
    ['LeakyReLU(0.2)', (z) => tf.leakyRelu(z, 0.2)],
    ['ELU (α = 1)', (z) => tf.elu(z)],
    ['SELU', (z) => tf.selu(z)],
  ];
  const curve = (f: (z: tf.Tensor) => tf.Tensor): number[] => tf.tidy(() => Array.from(f(tf.tensor1d(zs)).dataSync()));
  const slope = (f: (z: tf.Tensor) => tf.Tensor): number[] => tf.tidy(() => Array.from(tf.grad((z: tf.Tensor) => f(z).sum())(tf.tensor1d(zs)).dataSync()));
  showFigure(lineChart(fns.map(([name, f]) => ({ name, x: zs, y: curve(f) })), { title: 'Activation functions', xTitle: 'z', yTitle: 'φ(z)', yRange: [-2, 4] }));
  showFigure(lineChart(fns.map(([name, f]) => ({ name, x: zs, y: slope(f) })), { title: 'Their derivatives (what backpropagation multiplies by)', xTitle: 'z', yTitle: "φ'(z)", yRange: [-0.1, 1.2] }));
  // SELU's constants, and its value at z = -1 from the formula vs tfjs
  const byFormula = SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1);
  console.log(`SELU: α = ${SELU_ALPHA.toFixed(4)}, λ = ${SELU_SCALE.toFixed(4)}; φ(−1) by the formula ${byFormula.toFixed(6)}, tf.selu ${tf.tidy(() => tf.selu(tf.scalar(-1)).dataSync()[0]).toFixed(6)}`);
}

// %% [markdown]
// Self-normalisation, measured: a stack of 20 dense SELU layers (100 units, `lecun_normal`) on
// standardised images should keep the mean near 0 and the standard deviation near 1 in every layer;
// the same stack with ReLU and Glorot is drawn for comparison. The printed line gives layer 20's
// figures.

// %%
{
  const xs = tf.tidy(() => {
    const flat = gradX.reshape([P.gradBatch, 784]);
    const { mean, variance } = tf.moments(flat, 0);
    return flat.sub(mean).div(variance.sqrt().add(1e-7)); // standardised inputs
  });
  const probe = (activation: 'selu' | 'relu', init: string): ReturnType<typeof layerOutputStats> => {
    setGlobalSeed(4);
    const m = deepMlp({ depth: 20, width: 100, activation, kernelInitializer: init, inputShape: [784] });
    const s = layerOutputStats(m, xs).slice(0, 20);
    m.dispose();
    return s;
  };
  const selu = probe('selu', 'lecun_normal');
  const relu = probe('relu', 'glorot_uniform');
  showFigure(lineChart([
    { name: 'SELU + lecun_normal: mean', x: selu.map((s) => s.index), y: selu.map((s) => s.mean), markers: true },
    { name: 'SELU + lecun_normal: std', x: selu.map((s) => s.index), y: selu.map((s) => s.std), markers: true },
    { name: 'ReLU + glorot_uniform: std', x: relu.map((s) => s.index), y: relu.map((s) => s.std), markers: true, dash: 'dash' },
  ], { title: 'Forward signal through 20 dense layers', xTitle: 'layer', yTitle: 'value' }));
  console.log(`layer 20: SELU mean ${selu[19].mean.toFixed(3)}, std ${selu[19].std.toFixed(3)}; ReLU+Glorot std ${relu[19].std.toExponential(2)}`);
  xs.dispose();
}

// %% [markdown]
// The lecture's two code cells: a leaky ReLU is a separate layer placed after a Dense layer without
// activation, and SELU is an activation name used with `lecun_normal`:

// %%
{
  const leakyModel = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      dense({ units: 300, kernelInitializer: 'he_normal' }),
      new LeakyReLU({ negativeSlope: 0.2 }),
      dense({ units: 100, activation: 'relu', kernelInitializer: 'he_normal' }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
  summary(leakyModel);
  leakyModel.dispose();
  const layer = dense({ units: 10, activation: 'selu', kernelInitializer: 'lecun_normal' });
  console.log(`SELU layer: activation ${layer.getConfig().activation}, kernel initialiser ${JSON.stringify(layer.getConfig().kernelInitializer)}`);
}

// %% [markdown]
// And trained: the seed's MLP (300-100) with each activation and its matching initialiser, same
// data, same optimiser (SGD 0.01), same number of epochs. The first variant is written out below,
// layer by layer, as the lecture writes its models; the others are the same network with another
// activation and initialiser, built by the library's `seedMlp` (a test keeps `seedMlp` identical
// to the written one). `compareVariants` re-seeds before each build, trains, and times every epoch.

// %%
function sigmoidMlp(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      dense({ units: 300, activation: 'sigmoid', kernelInitializer: 'glorot_uniform' }),
      dense({ units: 100, activation: 'sigmoid', kernelInitializer: 'glorot_uniform' }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

const activationResults = await compareVariants([
  { name: 'sigmoid + glorot_uniform', build: () => sigmoidMlp(), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'ReLU + glorot_uniform', build: () => seedMlp({ activation: 'relu' }), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'LeakyReLU(0.2) + he_normal', build: () => seedMlp({ activation: 'leaky_relu', negativeSlope: 0.2, kernelInitializer: 'he_normal' }), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'ELU + he_normal', build: () => seedMlp({ activation: 'elu', kernelInitializer: 'he_normal' }), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'SELU + lecun_normal', build: () => seedMlp({ activation: 'selu', kernelInitializer: 'lecun_normal' }), optimizer: () => SGD({ learningRate: 0.01 }) },
], common);
showMarkdown(comparisonTable(activationResults));
showFigure(lineChart(metricSeries(activationResults, 'val_accuracy'), { title: 'Validation accuracy by activation', xTitle: 'epoch', yTitle: 'val_accuracy' }));
{
  const [sig, ...others] = activationResults;
  const accs = others.map((r) => r.final.val_accuracy);
  const bestOther = others[accs.indexOf(Math.max(...accs))];
  const spread = Math.max(...accs) - Math.min(...accs);
  console.log(sig.final.val_accuracy < Math.min(...accs)
    ? `The sigmoid network is last: val_accuracy ${sig.final.val_accuracy.toFixed(4)} against ${Math.min(...accs).toFixed(4)}-${Math.max(...accs).toFixed(4)} for the non-saturating activations.`
    : `The sigmoid network (${sig.final.val_accuracy.toFixed(4)}) is not last on this run; the best is ${bestOther.name} (${bestOther.final.val_accuracy.toFixed(4)}).`);
  console.log(`The non-saturating activations are within ${(100 * spread).toFixed(1)} points of each other.`);
}

// %% [markdown]
// What to look for: the lecture expects the sigmoid network to learn more slowly with the same
// budget; the non-saturating activations are usually close to each other on a network this shallow
// (two hidden layers): their advantages grow with depth.
//
// ### 1.3 · Batch normalisation
//
// Batch normalisation (Ioffe and Szegedy, 2015) adds an operation just before or after the
// activation of each hidden layer: it **zero-centres and normalises each input over the
// mini-batch, then scales and shifts the result** with two learned vectors, γ (scale) and β
// (shift). Seed 000 gives the algorithm for a mini-batch B = {x₁ … x_m}:
//
// - μ_B = (1/m) Σᵢ xᵢ (mini-batch mean)
// - σ²_B = (1/m) Σᵢ (xᵢ − μ_B)² (mini-batch variance)
// - x̂ᵢ = (xᵢ − μ_B) / √(σ²_B + ε) (normalise)
// - yᵢ = γ x̂ᵢ + β (scale and shift)
//
// each feature separately (for d-dimensional inputs, k = 1 … d). At test time there may be a single
// sample, so the layer uses **moving averages** of μ_B and σ²_B kept during training instead:
// μ ← momentum·μ + (1 − momentum)·μ_B, likewise for σ² (Keras: momentum 0.99, ε = 0.001).
// γ and β are learned by backpropagation; the two moving averages are not (non-trainable).
//
// What batch normalisation brings, as seed 000 lists it:
//
// - **faster training**: each iteration is slower (the extra normalisation, more parameters), but
//   the network converges in far fewer epochs, so training is faster overall;
// - **higher learning rates**: without BN, deep networks need small rates to converge; with it,
//   much higher rates work;
// - **easier initialisation**: BN makes the network less sensitive to the initial weights.
//
// The four steps, written on plain numbers (a batch is `m` rows of `d` features), then the moving
// averages and the inference transform:

// %%
/** Seed 000's algorithm on one mini-batch: returns y and the batch statistics. */
function batchNormTraining(x: number[][], gamma: number[], beta: number[], epsilon: number): { y: number[][]; mean: number[]; variance: number[] } {
  const m = x.length;
  const d = x[0].length;
  const mean = new Array<number>(d).fill(0);
  for (const row of x) for (let k = 0; k < d; k++) mean[k] += row[k] / m; // 1. mini-batch mean μ_B
  const variance = new Array<number>(d).fill(0);
  for (const row of x) for (let k = 0; k < d; k++) variance[k] += (row[k] - mean[k]) ** 2 / m; // 2. mini-batch variance σ²_B
  const y = x.map((row) => row.map((v, k) => {
    const xHat = (v - mean[k]) / Math.sqrt(variance[k] + epsilon); // 3. normalise
    return gamma[k] * xHat + beta[k]; // 4. scale and shift
  }));
  return { y, mean, variance };
}

/** One moving-average update: moving ← momentum · moving + (1 − momentum) · batch statistic. */
function movingAverage(moving: number[], batch: number[], momentum: number): number[] {
  return moving.map((v, k) => momentum * v + (1 - momentum) * batch[k]);
}

/** Inference: normalise with the moving statistics instead of the batch's, then scale and shift. */
function batchNormInference(x: number[][], movingMean: number[], movingVariance: number[], gamma: number[], beta: number[], epsilon: number): number[][] {
  return x.map((row) => row.map((v, k) => gamma[k] * (v - movingMean[k]) / Math.sqrt(movingVariance[k] + epsilon) + beta[k]));
}

// %% [markdown]
// Check them against tfjs's `BatchNormalization` layer: a batch of 32 samples with 5 features of
// very different scales, γ and β set to non-trivial values, three training steps (output and moving
// statistics compared after each), then inference.

// %%
let bnMaxDifference = 0;
{
  setGlobalSeed(5);
  const scale = tf.tensor1d([1, 10, 0.1, 3, 0.5]);
  const shift = tf.tensor1d([0, 5, -2, 1, 7]);
  const makeBatch = (seed: number): tf.Tensor2D => tf.tidy(() => tf.randomNormal([32, 5], 0, 1, 'float32', seed).mul(scale).add(shift) as tf.Tensor2D);
  const layer = tf.layers.batchNormalization({ inputShape: [5], momentum: 0.9 });
  layer.build([null, 5]);
  {
    const [, , mm, mv] = layer.getWeights();
    const g = tf.tensor1d([0.5, 2, -1, 1.5, 3]);
    const b = tf.tensor1d([1, -1, 0.25, 0, 2]);
    layer.setWeights([g, b, mm, mv]);
    tf.dispose([g, b]);
  }
  const config = layer.getConfig() as { momentum: number; epsilon: number };
  const [gamma, beta, mm0, mv0] = layer.getWeights().map((w) => Array.from(w.dataSync()));
  let movingMean = mm0;
  let movingVariance = mv0;
  const rows: (string | number)[][] = [];
  for (let step = 1; step <= 3; step++) {
    const xb = makeBatch(step);
    const ours = batchNormTraining(xb.arraySync(), gamma, beta, config.epsilon);
    movingMean = movingAverage(movingMean, ours.mean, config.momentum);
    movingVariance = movingAverage(movingVariance, ours.variance, config.momentum);
    const theirs = tf.tidy(() => (layer.apply(xb, { training: true }) as tf.Tensor).arraySync() as number[][]);
    const [, , mm, mv] = layer.getWeights();
    const diffs = [maxAbsDifference(ours.y, theirs), maxAbsDifference([movingMean], [Array.from(mm.dataSync())]), maxAbsDifference([movingVariance], [Array.from(mv.dataSync())])];
    bnMaxDifference = Math.max(bnMaxDifference, ...diffs);
    rows.push([`training step ${step}`, ...diffs.map((d) => d.toExponential(2))]);
    if (step === 1) {
      console.log('step 1: μ_B =', ours.mean.map((v) => v.toFixed(3)).join(', '));
      console.log('        σ²_B =', ours.variance.map((v) => v.toFixed(3)).join(', '));
      const xHatMeans = [0, 1, 2, 3, 4].map((k) => ours.y.reduce((a, r) => a + (r[k] - beta[k]) / gamma[k], 0) / 32);
      console.log('        mean of x̂ per feature =', xHatMeans.map((v) => v.toExponential(1)).join(', '));
    }
    xb.dispose();
  }
  const xt = makeBatch(99);
  const inferTheirs = tf.tidy(() => (layer.apply(xt, { training: false }) as tf.Tensor).arraySync() as number[][]);
  const inferDiff = maxAbsDifference(batchNormInference(xt.arraySync(), movingMean, movingVariance, gamma, beta, config.epsilon), inferTheirs);
  bnMaxDifference = Math.max(bnMaxDifference, inferDiff);
  rows.push(['inference (moving statistics)', inferDiff.toExponential(2), '—', '—']);
  showMarkdown(markdownTable(['', 'max |ours − tfjs| output', 'moving mean', 'moving variance'], rows));
  console.log(bnMaxDifference < 1e-5
    ? `BN by hand matches the tfjs layer to 1e-5 (largest difference ${bnMaxDifference.toExponential(1)}).`
    : `BN by hand differs from the tfjs layer by ${bnMaxDifference.toExponential(1)}, more than 1e-5: check the four steps above.`);
  tf.dispose([xt, scale, shift]);
  for (const w of layer.weights) w.dispose();
}

// %% [markdown]
// The lecture's BN model puts a `BatchNormalization` layer first (it standardises the inputs, so
// the data need not be standardised beforehand) and after each hidden layer:

// %%
function buildBnAfter(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.batchNormalization(),
      dense({ units: 300, activation: 'elu', kernelInitializer: 'he_normal' }),
      tf.layers.batchNormalization(),
      dense({ units: 100, activation: 'elu', kernelInitializer: 'he_normal' }),
      tf.layers.batchNormalization(),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

const bnModel = buildBnAfter();
summary(bnModel);
// Lecture 001's figures for this model (from its model.summary()), beside ours:
const SEED_BN_PARAMS = { total: 271346, trainable: 268978, nonTrainable: 2368 };
const bnCounts = countParams(bnModel);
showMarkdown(markdownTable(['', 'ours', "seed's"], [
  ['total params', (bnCounts.trainable + bnCounts.nonTrainable).toLocaleString('en-US'), SEED_BN_PARAMS.total.toLocaleString('en-US')],
  ['trainable', bnCounts.trainable.toLocaleString('en-US'), SEED_BN_PARAMS.trainable.toLocaleString('en-US')],
  ['non-trainable', bnCounts.nonTrainable.toLocaleString('en-US'), SEED_BN_PARAMS.nonTrainable.toLocaleString('en-US')],
  ['BN layers by hand: 4 × (784 + 300 + 100)', (4 * (784 + 300 + 100)).toLocaleString('en-US'), '3,136 + 1,200 + 400'],
  ['non-trainable by hand: 2 × (784 + 300 + 100)', (2 * (784 + 300 + 100)).toLocaleString('en-US'), SEED_BN_PARAMS.nonTrainable.toLocaleString('en-US')],
]));

// %% [markdown]
// Each BN layer has 4 parameters per input: γ and β (trainable) and the moving mean and variance
// (non-trainable). The authors of the BN paper placed BN *before* the activation. Then the hidden
// layers lose their activation (it becomes a separate layer after BN), and their bias: BN subtracts
// the mean and adds its own shift β, so a bias before it is redundant (`useBias: false`).

// %%
function buildBnBefore(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.batchNormalization(),
      dense({ units: 300, kernelInitializer: 'he_normal', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'elu' }),
      dense({ units: 100, kernelInitializer: 'he_normal', useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'elu' }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

const bnBefore = buildBnBefore();
summary(bnBefore);
console.log(`BN before the activation without biases: ${bnBefore.countParams().toLocaleString('en-US')} parameters = ` +
  `${bnModel.countParams().toLocaleString('en-US')} − 300 − 100 biases` + (bnModel.countParams() - bnBefore.countParams() === 400 ? '' : ' (does not add up: compare the two cells)'));
bnModel.dispose();
bnBefore.dispose();

// %% [markdown]
// Trained on the same subset as the activations above. What to look for: BN makes each step slower
// (the s/epoch column) but should let the network learn more per epoch.

// %%
const bnResults = await compareVariants([
  { name: 'ELU + he_normal, no BN', build: () => seedMlp({ activation: 'elu', kernelInitializer: 'he_normal' }), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'BN after the activation', build: () => buildBnAfter(), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'BN before the activation, no bias', build: () => buildBnBefore(), optimizer: () => SGD({ learningRate: 0.01 }) },
], common);
showMarkdown(comparisonTable(bnResults));
{
  const [noBn, ...withBn] = bnResults;
  for (const r of withBn) {
    console.log(`${r.name}: val_accuracy ${r.final.val_accuracy.toFixed(4)} (${r.final.val_accuracy > noBn.final.val_accuracy ? 'above' : 'not above'} no BN's ${noBn.final.val_accuracy.toFixed(4)}), ` +
      `${(r.secondsPerEpoch / noBn.secondsPerEpoch).toFixed(2)}x the time per epoch`);
  }
}

// %% [markdown]
// ### 1.4 · Gradient clipping
//
// Against exploding gradients, clip them during backpropagation so that they never exceed a
// threshold (mostly used in recurrent networks, where BN is awkward). Keras does it with an
// optimiser argument: `clipvalue=1.0` clips every component of the gradient to [−1, 1];
// `clipnorm=1.0` rescales a gradient whose L2 norm exceeds 1 to norm 1. They differ: clipping by
// value can change the gradient's *direction*, clipping by norm keeps it.

// %%
{
  const g = tf.tensor1d([0.9, 100]);
  const [byValue] = clipGradients([g], { clipvalue: 1 });
  const [byNorm] = clipGradients([g], { clipnorm: 1 });
  console.log('gradient            [0.9, 100]');
  const angle = (t: tf.Tensor): number => { const [u, v] = Array.from(t.dataSync()); return (Math.atan2(v, u) * 180) / Math.PI; };
  console.log(`direction of the gradient: ${angle(g).toFixed(1)}° from the first axis`);
  console.log(`clipvalue = 1.0  →  [${Array.from(byValue!.dataSync()).map((v) => v.toFixed(4)).join(', ')}]  (direction ${angle(byValue!).toFixed(1)}°)`);
  console.log(`clipnorm = 1.0   →  [${Array.from(byNorm!.dataSync()).map((v) => v.toFixed(4)).join(', ')}]  (direction ${angle(byNorm!).toFixed(1)}°, norm ${tf.tidy(() => byNorm!.norm().dataSync()[0]).toFixed(4)})`);
  tf.dispose([g, byValue!, byNorm!]);
  // typical gradient norms of the seed's MLP at initialisation, for scale
  setGlobalSeed(6);
  const m = seedMlp();
  const norms = layerGradientNorms(m, gradX, gradY);
  console.log('seed MLP kernel-gradient norms at initialisation:', norms.map((r) => r.kernelNorm.toFixed(3)).join(', '));
  m.dispose();
}

// %% [markdown]
// In training, with a deliberately large learning rate (SGD 0.5) where plain SGD is unstable:

// %%
const clipResults = await compareVariants([
  { name: 'SGD(0.5)', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.5 }) },
  { name: 'SGD(0.5, clipvalue=1.0)', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.5, clipvalue: 1.0 }) },
  { name: 'SGD(0.5, clipnorm=1.0)', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.5, clipnorm: 1.0 }) },
], common);
showMarkdown(comparisonTable(clipResults));

// %% [markdown]
// ## 2 · Transfer learning
//
// Training a large network from scratch needs much data and computation. If a network already
// solves a similar task, **reuse its lower layers**: they detect generic features. Replace the output
// layer (it is specific to the old task, and may not even have the right number of outputs); the
// upper hidden layers are less likely to be useful than the lower ones. The recipe:
//
// 1. reuse the layers, **freeze** them (non-trainable), and train only the new output layer, so that
//    its random initial weights do not send large gradients into the reused layers;
// 2. **unfreeze** some or all of the reused layers and keep training with a **lower learning
//    rate**, so as not to wreck the reused weights. The more training data, the more layers you can
//    unfreeze.
//
// The experiment (after Géron's): **task A** classifies the 8 classes other than *T-shirt/top* and
// *Shirt*, with plenty of images. **Task B** tells T-shirts from shirts, with only `P.labelledB`
// labelled images. Model B trained from scratch is compared with model B built on A's hidden layers.

// %%
const A_CLASSES = [1, 2, 3, 4, 5, 7, 8, 9];
const B_CLASSES = [0, 6]; // T-shirt/top → 0, Shirt → 1
const splitA = filterClasses(split.train, A_CLASSES, { relabel: true });
const splitB = filterClasses(split.train, B_CLASSES, { relabel: true });
const testB = filterClasses(split.test, B_CLASSES, { relabel: true });
const binaryTargets = (labels: ArrayLike<number>, n: number): tf.Tensor2D => tf.tensor2d(Float32Array.from(Array.from(labels).slice(0, n)), [n, 1]);
const a = toTensors(splitA);
const bAll = toTensors(splitB);
const bTrain = { x: bAll.x.slice(0, P.labelledB), y: binaryTargets(splitB.labels, P.labelledB) };
const bTestT = toTensors(testB);
const bTest = { x: bTestT.x, y: binaryTargets(testB.labels, testB.count) };
tf.dispose([bAll.x, bAll.y, bTestT.y]);
console.log(`task A: ${splitA.count} images of 8 classes; task B: ${P.labelledB} labelled images (${Array.from(splitB.labels.slice(0, P.labelledB)).filter((l) => l === 1).length} shirts), tested on ${testB.count}`);

setGlobalSeed(7);
const modelA = seedMlp({ activation: 'relu', kernelInitializer: 'he_normal', outputs: 8 });
const optA = Adam({ learningRate: 0.001 });
compile(modelA, { loss: 'sparse_categorical_crossentropy', optimizer: optA, metrics: ['accuracy'] });
const histA = await fit(modelA, a.x, a.y, { epochs: P.transferEpochsA, batchSize: 32, verbose: 0 });
console.log(`model A: accuracy on task A's training images ${histA.history.accuracy.at(-1)!.toFixed(4)}`);

// %% [markdown]
// Model B from scratch: the same architecture with one sigmoid output, trained on the small set
// with Adam (0.001). Model B on A: `cloneModel(modelA)` (so that training B does not change A),
// `reuseLayers(…, -1)` takes all its layers but the output, and a new sigmoid output is added.
// Phase 1 trains only the new output layer (the reused layers are frozen, so a high rate, 0.01, is
// safe); phase 2 unfreezes everything and continues with a 10x lower rate (0.001). Both models get
// the same number of epochs in total.

// %%
// Models that share layers (bOnA and cloneA) are freed with disposeModels, each shared weight once:
// tfjs's model.dispose() miscounts shared layers, and disposing the second model then throws.
const fitB = async (m: tf.LayersModel, lr: number, epochs: number): Promise<void> => {
  const opt = Adam({ learningRate: lr });
  compile(m, { loss: 'binary_crossentropy', optimizer: opt, metrics: ['accuracy'] });
  await fit(m, bTrain.x, bTrain.y, { epochs, batchSize: 32, verbose: 0 });
  opt.dispose();
};

setGlobalSeed(8);
const bScratch = seedMlp({ activation: 'relu', kernelInitializer: 'he_normal', outputs: 1, outputActivation: 'sigmoid' });
await fitB(bScratch, 0.001, P.transferEpochsB);
const scratchLogs = evaluate(bScratch, bTest.x, bTest.y, { verbose: 0 });

setGlobalSeed(8);
const cloneA = cloneModel(modelA);
const bOnA = reuseLayers(cloneA, -1);
bOnA.add(dense({ units: 1, activation: 'sigmoid' }));
const reused = bOnA.layers.slice(0, -1);
freeze(reused);
console.log('frozen:', countParams(bOnA));
await fitB(bOnA, 0.01, P.frozenEpochsB); // phase 1: only the new output layer learns (a high rate is safe)
const frozenLogs = evaluate(bOnA, bTest.x, bTest.y, { verbose: 0 });
unfreeze(reused);
console.log('unfrozen:', countParams(bOnA));
await fitB(bOnA, 0.001, P.transferEpochsB - P.frozenEpochsB); // phase 2: everything, 10x lower rate
const transferLogs = evaluate(bOnA, bTest.x, bTest.y, { verbose: 0 });
showMarkdown(markdownTable([`task B (T-shirt vs shirt), ${P.labelledB} labelled images`, 'test accuracy', 'test loss'], [
  [`from scratch, ${P.transferEpochsB} epochs, Adam 1e-3`, scratchLogs.accuracy.toFixed(4), scratchLogs.loss.toFixed(4)],
  [`on A, reused layers frozen, ${P.frozenEpochsB} epochs, Adam 1e-2`, frozenLogs.accuracy.toFixed(4), frozenLogs.loss.toFixed(4)],
  [`on A, then unfrozen, ${P.transferEpochsB - P.frozenEpochsB} more epochs, Adam 1e-3`, transferLogs.accuracy.toFixed(4), transferLogs.loss.toFixed(4)],
  ['error rate divided by', ((1 - scratchLogs.accuracy) / Math.max(1e-9, 1 - transferLogs.accuracy)).toFixed(2), ''],
]));
console.log(transferLogs.accuracy > scratchLogs.accuracy
  ? `Transfer learning wins here: ${(100 * (transferLogs.accuracy - scratchLogs.accuracy)).toFixed(1)} points of accuracy.`
  : `Transfer learning does not win on this run (${P.profile} profile): see the note below.`);

// %% [markdown]
// Why transfer can win: with `P.transferA` images of other classes, model A learns features that
// also separate T-shirts from shirts (collars, buttons, sleeve shapes), and with only
// `P.labelledB` labels, starting from them can beat starting from random weights (the table above
// says whether it did on this run). With a few hundred images for two epochs (the smoke profile)
// model A's features are poor and the comparison can go either way. Géron warns
// that such gains are fragile with small dense networks (change the classes or the seed and they
// shrink); transfer learning shines with deep convolutional networks, whose lower layers detect
// generic features such as edges.
//
// ## 3 · Faster optimisers
//
// ### 3.1 · Momentum and Nesterov
//
// Gradient descent takes a step proportional to the current gradient: θ ← θ − η∇J(θ). **Momentum
// optimisation** (Polyak, 1964) cares about the previous gradients: it keeps a momentum vector m,
// and the gradient is used as an *acceleration*, not as a speed:
//
// - m ← β m − η ∇J(θ)
// - θ ← θ + m
//
// β (the *momentum*, between 0: high friction, and 1: no friction; typically 0.9) keeps m from
// growing without bound: with a constant gradient the step tends to η∇J / (1 − β), ten times the
// plain step for β = 0.9. Momentum rolls faster and faster down long valleys and past small local
// optima. Keras: `SGD(learning_rate=0.001, momentum=0.9)`.
//
// **Nesterov accelerated gradient** (1983) measures the gradient not at θ but slightly ahead, at
// θ + βm, where the momentum is taking us anyway (the seed's formula is garbled in the conversion;
// this is the standard form):
//
// - m ← β m − η ∇J(θ + β m)
// - θ ← θ + m
//
// It is almost always faster than plain momentum. Keras: `SGD(..., momentum=0.9, nesterov=True)`.
//
// ### 3.2 · Adaptive learning rates
//
// With s the per-parameter accumulated squared gradients (⊗ and ⊘ are element-wise):
//
// - **AdaGrad** (2011): s ← s + ∇J ⊗ ∇J; θ ← θ − η ∇J ⊘ √(s + ε). Steep directions get smaller
//   steps; good for sparse features; but s only grows, so learning slows to a stop.
// - **RMSProp** (2012): s ← ρ s + (1 − ρ) ∇J ⊗ ∇J (a moving average, ρ = 0.9): only recent
//   gradients count, so it does not stall.
// - **Adam** (2015) = momentum + RMSProp: m ← β₁ m + (1 − β₁) ∇J; s ← β₂ s + (1 − β₂) ∇J ⊗ ∇J;
//   m̂ = m / (1 − β₁ᵗ), ŝ = s / (1 − β₂ᵗ) (bias corrections for the zero start); θ ← θ − η m̂ ⊘ √(ŝ + ε),
//   with β₁ = 0.9, β₂ = 0.999 and usually η = 0.001, which needs little tuning.
// - **Nadam** (2016) = Adam with the Nesterov trick; often converges slightly faster.
//
// All seven on the seed's MLP, same data, same initial weights. Learning rates: 0.01 for the SGD
// family and AdaGrad (the lecture's momentum example uses 0.001, ten times smaller than notebook 01's
// plain SGD, which would make the comparison unfair), Keras's 0.001 for RMSProp, Adam and Nadam.

// %%
const optimizerResults = await compareVariants([
  { name: 'SGD 0.01', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.01 }) },
  { name: 'momentum 0.9', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.01, momentum: 0.9 }) },
  { name: 'Nesterov 0.9', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.01, momentum: 0.9, nesterov: true }) },
  { name: 'AdaGrad 0.01', build: () => seedMlp(), optimizer: () => Adagrad({ learningRate: 0.01 }) },
  { name: 'RMSProp 0.001', build: () => seedMlp(), optimizer: () => RMSprop({ learningRate: 0.001, rho: 0.9 }) },
  { name: 'Adam 0.001', build: () => seedMlp(), optimizer: () => Adam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 }) },
  { name: 'Nadam 0.001', build: () => seedMlp(), optimizer: () => Nadam({ learningRate: 0.001, beta1: 0.9, beta2: 0.999 }) },
], common);
showMarkdown(comparisonTable(optimizerResults));
showFigure(lineChart(metricSeries(optimizerResults, 'loss'), { title: 'Training loss by optimiser', xTitle: 'epoch', yTitle: 'loss' }));
showFigure(lineChart(metricSeries(optimizerResults, 'val_accuracy'), { title: 'Validation accuracy by optimiser', xTitle: 'epoch', yTitle: 'val_accuracy' }));

// %% [markdown]
// ### 3.3 · Learning-rate schedules
//
// Too high a learning rate diverges, too low a one crawls. A good start: begin large and divide by
// 3 until training stops diverging. Better: start high and **decrease the rate during training**
// (a learning schedule). With t the iteration (step) number:
//
// - **power scheduling**: η(t) = η₀ / (1 + t/s)^c (c usually 1): after s steps η₀/2, after 3s
//   steps η₀/4… (the old `decay` argument of Keras optimisers is 1/s);
// - **exponential scheduling**: η(t) = η₀ · r^(t/s) (Keras's `ExponentialDecay(η₀, s, r)`): divided
//   by 1/r every s steps;
// - **piecewise constant scheduling**: constant rates for given step ranges;
// - **polynomial decay**: η(t) = (η₀ − η_end)(1 − t/T)^p + η_end for t ≤ T (`power=1`: linear).
//
// The lecture's two Keras schedules (η₀ = 1, 10,000 decay steps) and a power and a piecewise
// schedule of the same scale, over 30,000 steps:

// %%
{
  const steps = Array.from({ length: 301 }, (_, i) => i * 100);
  const seedSchedules = [
    new PolynomialDecay({ initialLearningRate: 1.0, decaySteps: 10000, endLearningRate: 0.001, power: 1.0, cycle: false }),
    new ExponentialDecay({ initialLearningRate: 1.0, decaySteps: 10000, decayRate: 0.9 }),
    powerSchedule({ initialLearningRate: 1.0, steps: 10000 }),
    new PiecewiseConstantDecay({ boundaries: [10000, 20000], values: [1.0, 0.5, 0.1] }),
  ];
  showFigure(lineChart(seedSchedules.map((s) => { const v = sampleSchedule(s, steps); return { name: v.name, x: v.steps, y: v.values }; }),
    { title: 'Learning-rate schedules (η₀ = 1)', xTitle: 'step', yTitle: 'learning rate' }));
  showMarkdown(markdownTable(['schedule', 'η(0)', 'η(10,000)', 'η(20,000)', 'η(30,000)'],
    seedSchedules.map((s) => [s.name, ...[0, 10000, 20000, 30000].map((t) => s.at(t).toFixed(4))])));
}

// %% [markdown]
// And used: SGD on the seed's MLP with each schedule, passed as the optimiser's learning rate
// (`SGD({ learningRate: schedule })`, Keras's `SGD(learning_rate=schedule)`), evaluated at every
// step. Each starts at η₀ = 0.05 and decays over the run's T steps; the baseline is notebook 01's
// constant 0.01.

// %%
const stepsTotal = P.epochs * Math.ceil(P.train / P.batchSize);
const runSchedules = {
  power: () => powerSchedule({ initialLearningRate: 0.05, steps: Math.round(stepsTotal / 5) }),
  exponential: () => new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: stepsTotal, decayRate: 0.1 }),
  'piecewise constant': () => new PiecewiseConstantDecay({ boundaries: [Math.round(stepsTotal / 2), Math.round(stepsTotal * 0.8)], values: [0.05, 0.02, 0.005] }),
  polynomial: () => new PolynomialDecay({ initialLearningRate: 0.05, decaySteps: stepsTotal, endLearningRate: 0.001, power: 1 }),
};
{
  const steps = Array.from({ length: stepsTotal }, (_, i) => i);
  showFigure(lineChart([
    { name: 'constant 0.01', x: [0, stepsTotal - 1], y: [0.01, 0.01], dash: 'dash' as const },
    ...Object.entries(runSchedules).map(([name, make]) => ({ name, x: steps, y: sampleSchedule(make(), steps).values })),
  ], { title: `The schedules used (T = ${stepsTotal} steps)`, xTitle: 'step', yTitle: 'learning rate' }));
}
const scheduleResults = await compareVariants([
  { name: 'constant 0.01', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.01 }) },
  ...Object.entries(runSchedules).map(([name, make]) => ({ name, build: () => seedMlp(), optimizer: () => SGD({ learningRate: make() }) })),
], common);
showMarkdown(comparisonTable(scheduleResults));
showFigure(lineChart(metricSeries(scheduleResults, 'val_loss'), { title: 'Validation loss by schedule', xTitle: 'epoch', yTitle: 'val_loss' }));

// %% [markdown]
// ## 4 · Key figures
//
// The key figures of this run next to the lecture's (the lecture states no accuracy for these
// models; it builds them and explains them):

// %%
{
  const best = (rs: typeof optimizerResults): string => { const r = [...rs].sort((p, q) => q.final.val_accuracy - p.final.val_accuracy)[0]; return `${r.name} (${r.final.val_accuracy.toFixed(4)})`; };
  const fmt = (n: number): string => n.toLocaleString('en-US');
  showMarkdown(markdownTable([`figure (profile: ${P.profile})`, 'this run', "seed's"], [
    ['layer-1 / layer-10 gradient norm, sigmoid + random_normal', (gradNorms[0].rows[0].kernelNorm / gradNorms[0].rows[9].kernelNorm).toExponential(1), '"vanishing gradients"'],
    ['same ratio, ReLU + he_normal', (gradNorms[2].rows[0].kernelNorm / gradNorms[2].rows[9].kernelNorm).toFixed(2), '—'],
    ['BN model: total / trainable / non-trainable', `${fmt(bnCounts.trainable + bnCounts.nonTrainable)} / ${fmt(bnCounts.trainable)} / ${fmt(bnCounts.nonTrainable)}`,
      `${fmt(SEED_BN_PARAMS.total)} / ${fmt(SEED_BN_PARAMS.trainable)} / ${fmt(SEED_BN_PARAMS.nonTrainable)}`],
    ['BN by hand vs tfjs layer, largest difference', bnMaxDifference.toExponential(1), '—'],
    ['transfer learning, task B test accuracy: scratch → on A', `${scratchLogs.accuracy.toFixed(4)} → ${transferLogs.accuracy.toFixed(4)}`, '"speeds up training, needs less data"'],
    [`best optimiser (val_accuracy after ${P.epochs} epochs)`, best(optimizerResults), 'Adam/Nadam "the standard"'],
    ['best schedule (val_accuracy)', best(scheduleResults), '—'],
  ]));
}

// %% [markdown]
// ## Exercises
//
// Each exercise has an answer cell (write your code between the `BEGIN SOLUTION` and `END SOLUTION`
// lines, keeping the names declared above them) and a check cell that says "passed" or what is not
// right yet.
//
// **Exercise 1 · Exploding gradients.** Write `buildBigMlp()`, returning a fresh model each call: 10
// hidden Dense layers of 100 ReLU units whose kernels are drawn from
// `tf.initializers.randomNormal({ stddev: 0.3 })`, after a flatten of the 28x28 images, and a
// *linear* output of 10 units (the cross-entropy is then computed from logits: a saturated softmax
// would hide the effect). Measure its per-layer gradient norms with `layerGradientNorms(model,
// gradX, gradY, { loss: sparseCategoricalCrossentropy({ fromLogits: true }) })` and compare them
// with the same network under `he_normal`. Why are they so different?

// %%
let buildBigMlp: (() => tf.Sequential) | undefined;
// ### BEGIN SOLUTION
buildBigMlp = () => tf.sequential({
  layers: [
    tf.layers.flatten({ inputShape: [28, 28] }),
    ...Array.from({ length: 10 }, () => dense({ units: 100, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev: 0.3 }) })),
    dense({ units: 10, activation: 'linear' }),
  ],
});
{
  const loss = sparseCategoricalCrossentropy({ fromLogits: true });
  setGlobalSeed(11);
  const big = buildBigMlp();
  setGlobalSeed(11);
  const he = seedMlp({ hidden: new Array<number>(10).fill(100), activation: 'relu', kernelInitializer: 'he_normal', outputActivation: 'linear' });
  const nb = layerGradientNorms(big, gradX, gradY, { loss });
  const nh = layerGradientNorms(he, gradX, gradY, { loss });
  showMarkdown(markdownTable(['layer', 'N(0, 0.3²)', 'he_normal', 'ratio'], nb.map((r, i) => [r.depth, r.kernelNorm.toExponential(2), nh[i].kernelNorm.toExponential(2), (r.kernelNorm / nh[i].kernelNorm).toFixed(0)])));
  // σ² = 0.09 against He's 2/fan_in = 0.02: each ReLU layer multiplies the signal's variance by
  // 100 · 0.09 / 2 = 4.5 forwards, and the error's backwards; a kernel's gradient is (input below) ×
  // (error above), so every layer collects one factor per layer of the network.
  big.dispose();
  he.dispose();
}
// ### END SOLUTION

// %%
await check02_1({ buildBigMlp: buildBigMlp });

// %% [markdown]
// **Exercise 2 · Momentum by hand.** Write `momentumPath(nesterov, steps, eta, beta)`: minimise
// J(θ) = θ² / 2 (so ∇J(θ) = θ) from θ = 1 with `steps` steps of momentum (or Nesterov), written with
// plain numbers from the formulas of section 3.1, and return the value after each step. Keras and
// tfjs implement Nesterov with the variable φ = θ + βm, the look-ahead point (the update then needs
// only the gradient at the stored point), so for Nesterov return φ after each step. Compare your
// numbers with `SGD({ learningRate: eta, momentum: beta, nesterov })` minimising a `tf.variable`.

// %%
let momentumPath: ((nesterov: boolean, steps: number, eta: number, beta: number) => number[]) | undefined;
// ### BEGIN SOLUTION
momentumPath = (nesterov, steps, eta, beta) => {
  let theta = 1;
  let m = 0;
  const out: number[] = [];
  for (let t = 0; t < steps; t++) {
    const grad = nesterov ? theta + beta * m : theta; // ∇J at the look-ahead point for Nesterov
    m = beta * m - eta * grad;
    theta += m;
    out.push(nesterov ? theta + beta * m : theta);
  }
  return out;
};
{
  const byTf = (nesterov: boolean): number[] => {
    const theta = tf.tidy(() => tf.variable(tf.scalar(1))); // tidy frees the scalar the variable was copied from
    const opt = SGD({ learningRate: 0.1, momentum: 0.9, nesterov });
    const out: number[] = [];
    for (let t = 0; t < 20; t++) {
      opt.minimize(() => theta.square().div(2) as tf.Scalar, false, [theta]);
      out.push(theta.dataSync()[0]);
    }
    theta.dispose();
    opt.dispose();
    return out;
  };
  for (const nesterov of [false, true]) {
    const h = momentumPath(nesterov, 20, 0.1, 0.9);
    const t = byTf(nesterov);
    console.log(`${nesterov ? 'Nesterov' : 'momentum'}: after 5, 10, 20 steps ${[4, 9, 19].map((i) => h[i].toFixed(4)).join(', ')}; ` +
      `max |hand − tfjs| = ${Math.max(...h.map((v, i) => Math.abs(v - t[i]))).toExponential(1)}`);
  }
}
// ### END SOLUTION

// %%
await check02_2({ momentumPath: momentumPath });

// %% [markdown]
// **Exercise 3 · How many layers to unfreeze?** Redo the transfer experiment but unfreeze only the
// top hidden layer (the 100-unit Dense) in phase 2. Set `trainableTopOnly` to the number of
// trainable parameters after that partial unfreeze (`countParams(model).trainable`) and
// `topOnlyAccuracy` to its test accuracy on task B. Compare with unfreezing everything.

// %%
let trainableTopOnly: number | undefined;
let topOnlyAccuracy: number | undefined;
// ### BEGIN SOLUTION
{
  setGlobalSeed(8);
  const clone = cloneModel(modelA);
  const m = reuseLayers(clone, -1);
  m.add(dense({ units: 1, activation: 'sigmoid' }));
  const hidden = m.layers.slice(0, -1);
  freeze(hidden);
  await fitB(m, 0.01, P.frozenEpochsB);
  unfreeze(hidden.filter((l) => l.getClassName() === 'Dense').slice(-1));
  trainableTopOnly = countParams(m).trainable;
  await fitB(m, 0.001, P.transferEpochsB - P.frozenEpochsB);
  topOnlyAccuracy = evaluate(m, bTest.x, bTest.y, { verbose: 0 }).accuracy;
  console.log(`top layer unfrozen (${trainableTopOnly} trainable): test accuracy ${topOnlyAccuracy.toFixed(4)}; ` +
    `everything unfrozen: ${transferLogs.accuracy.toFixed(4)}; from scratch: ${scratchLogs.accuracy.toFixed(4)}`);
  disposeModels([m, clone]);
}
// ### END SOLUTION

// %%
await check02_3({ trainableTopOnly: trainableTopOnly, topOnlyAccuracy: topOnlyAccuracy });

// %% [markdown]
// **Exercise 4 · Schedules per epoch.** Keras's `LearningRateScheduler` callback changes the rate at
// each epoch instead of each step. Write `halveEachEpoch(epoch, lr)`: 0.05 at epoch 0, then half the
// current rate at each later epoch. Train the seed's MLP with SGD and
// `new LearningRateScheduler(halveEachEpoch)`, print the rate at each epoch, and compare its
// validation accuracy with the step-wise exponential schedule above.

// %%
let halveEachEpoch: ((epoch: number, lr: number) => number) | undefined;
// ### BEGIN SOLUTION
halveEachEpoch = (epoch, lr) => (epoch < 1 ? 0.05 : lr * 0.5);
{
  const lrs: number[] = [];
  const schedule = halveEachEpoch;
  const [r] = await compareVariants([{
    name: 'halve every epoch', build: () => seedMlp(), optimizer: () => SGD({ learningRate: 0.05 }),
    callbacks: () => [new LearningRateScheduler((epoch: number, lr: number) => { const next = schedule(epoch, lr); lrs.push(next); return next; })],
  }], common);
  console.log('learning rate per epoch:', lrs.map((v) => v.toFixed(4)).join(', '));
  const expo = scheduleResults.find((s) => s.name === 'exponential')!;
  console.log(`val_accuracy: per-epoch halving ${r.final.val_accuracy.toFixed(4)}, step-wise exponential ${expo.final.val_accuracy.toFixed(4)}`);
}
// ### END SOLUTION

// %%
await check02_4({ halveEachEpoch: halveEachEpoch });

// %% [markdown]
// **Exercise 5 · Batch normalisation for images.** After a convolution, BN normalises each
// *channel* over the batch and both spatial axes (for a `[batch, height, width, channels]` input,
// the statistics are taken over axes 0, 1 and 2). Write `batchNormChannels(x, gamma, beta,
// epsilon)` on plain nested arrays (`x[b][i][j][c]`), with the four steps of `batchNormTraining`,
// and check it against `tf.layers.batchNormalization()` applied with `{ training: true }` to a
// small random batch.

// %%
let batchNormChannels: ((x: number[][][][], gamma: number[], beta: number[], epsilon: number) => number[][][][]) | undefined;
// ### BEGIN SOLUTION
batchNormChannels = (x, gamma, beta, epsilon) => {
  const c = gamma.length;
  const mean = new Array<number>(c).fill(0);
  const variance = new Array<number>(c).fill(0);
  let count = 0;
  for (const img of x) for (const row of img) for (const px of row) { count++; px.forEach((v, k) => { mean[k] += v; }); }
  for (let k = 0; k < c; k++) mean[k] /= count;
  for (const img of x) for (const row of img) for (const px of row) px.forEach((v, k) => { variance[k] += (v - mean[k]) ** 2 / count; });
  return x.map((img) => img.map((row) => row.map((px) => px.map((v, k) => gamma[k] * (v - mean[k]) / Math.sqrt(variance[k] + epsilon) + beta[k]))));
};
{
  const xb = tf.randomNormal([4, 3, 3, 2], 2, 3, 'float32', 12) as tf.Tensor4D;
  const layer = tf.layers.batchNormalization();
  const theirs = tf.tidy(() => (layer.apply(xb, { training: true }) as tf.Tensor4D).arraySync());
  const ours = batchNormChannels(xb.arraySync(), [1, 1], [0, 0], 1e-3);
  console.log(`max |ours − tfjs| = ${maxAbsDifference(ours.flat(2), theirs.flat(2)).toExponential(1)}`);
  xb.dispose();
  for (const w of layer.weights) w.dispose();
}
// ### END SOLUTION

// %%
await check02_5({ batchNormChannels: batchNormChannels });

// %% [markdown]
// ## Summary
//
// - Deep networks suffer from vanishing or exploding gradients; the per-layer gradient norms above
//   show how initialisation (Glorot, He, LeCun) and non-saturating activations keep them in range.
// - Batch normalisation is four steps per feature (batch mean, batch variance, normalise, scale and
//   shift) plus moving averages for inference; written by hand above, it matches the tfjs layer.
// - Gradient clipping by value changes the gradient's direction, by norm it keeps it.
// - Transfer learning reuses lower layers: freeze, train the new head, unfreeze with a lower rate.
// - Momentum, Nesterov, AdaGrad, RMSProp, Adam and Nadam, and learning-rate schedules, compared on
//   the same network and data.
//
// Next: [03 · Regularisation](03-regularisation.ipynb): L1 and L2 penalties, dropout, max-norm,
// early stopping and Keras's callbacks.

// %%
// Free the tensors this notebook kept.
tf.dispose([trainAll.x, trainAll.y, train.x, train.y, val.x, val.y, gradX, gradY, a.x, a.y, bTrain.x, bTrain.y, bTest.x, bTest.y]);
modelA.dispose();
bScratch.dispose();
disposeModels([bOnA, cloneA]);
optA.dispose();
console.log('tensors alive:', tf.memory().numTensors);
