/**
 * Residual networks with the functional API: the residual unit (two 3x3 convs with batch norm
 * and ReLU, plus the skip connection, projected by a 1x1 conv when the shape changes), ResNet-34's
 * stage layout (3, 4, 6, 3 units of 64, 128, 256, 512 maps), its parameter count by arithmetic,
 * and a small residual net for Fashion-MNIST.
 *
 * Usage:
 *   resnetParams(RESNET34).trainable   // 21,797,672 (torchvision's resnet34 count)
 *   const model = buildResNet(SMALL_RESNET_FASHION);
 */
import * as tf from '@tensorflow/tfjs';
import { convOutputSize } from '../vision/arithmetic';

/** A stage: `units` residual units with `filters` maps; the first unit of every stage after the first has stride 2. */
export interface ResNetStage {
  filters: number;
  units: number;
}

/** The stem (first conv, optional max pool), the stages and the classifier of a ResNet. */
export interface ResNetConfig {
  name: string;
  inputShape: readonly [number, number, number];
  stem: { filters: number; kernel: number; strides: number; maxPool: boolean };
  stages: readonly ResNetStage[];
  classes: number;
}

/** ResNet-34 for ImageNet: 7x7/2 stem with 64 maps and a 3x3/2 max pool, stages 3-4-6-3, 1000 classes. */
export const RESNET34: ResNetConfig = {
  name: 'resnet34',
  inputShape: [224, 224, 3],
  stem: { filters: 64, kernel: 7, strides: 2, maxPool: true },
  stages: [
    { filters: 64, units: 3 },
    { filters: 128, units: 4 },
    { filters: 256, units: 6 },
    { filters: 512, units: 3 },
  ],
  classes: 1000,
};

/**
 * A small residual net for 28x28 Fashion-MNIST, cheap enough for a 2-core CPU: 3x3 stem with 16
 * maps, one unit each of 16, 32, 64 maps (28 -> 28 -> 14 -> 7), global average pooling, softmax.
 */
export const SMALL_RESNET_FASHION: ResNetConfig = {
  name: 'small_resnet',
  inputShape: [28, 28, 1],
  stem: { filters: 16, kernel: 3, strides: 1, maxPool: false },
  stages: [
    { filters: 16, units: 1 },
    { filters: 32, units: 1 },
    { filters: 64, units: 1 },
  ],
  classes: 10,
};

function checkConfig(config: ResNetConfig): void {
  const bad = (what: string, v: number): boolean => !Number.isInteger(v) || v < 1;
  if (config.inputShape.some((d) => bad('input', d))) throw new Error(`ResNet '${config.name}': inputShape must be three positive integers, got [${config.inputShape.join(', ')}].`);
  if (config.stages.length === 0) throw new Error(`ResNet '${config.name}': give at least one stage, e.g. { filters: 64, units: 2 }.`);
  config.stages.forEach((s, i) => {
    if (bad('filters', s.filters) || bad('units', s.units)) throw new Error(`ResNet '${config.name}': stage ${i} needs positive integer filters and units, got ${JSON.stringify(s)}.`);
  });
}

/** One row of `resnetLayout`. */
export interface ResNetStageRow {
  stage: string;
  units: number;
  filters: number;
  /** Output [height, width, maps]; [classes] for the head. */
  outputShape: number[];
  /** Conv layers in this stage (2 per unit; the 1x1 projections are not counted, as in the paper). */
  convLayers: number;
  params: number;
  trainable: number;
}

/** Parameters of conv (no bias) + batch norm: all, and trainable (batch norm's gamma and beta only). */
function convBn(cIn: number, cOut: number, k: number): { params: number; trainable: number } {
  const w = k * k * cIn * cOut;
  return { params: w + 4 * cOut, trainable: w + 2 * cOut };
}

/**
 * The network stage by stage (stem, each stage, head), with output shapes and parameter counts
 * computed by arithmetic (no weights allocated).
 *
 * Usage: `resnetLayout(RESNET34).map((r) => r.outputShape) // stem [56, 56, 64], ..., [7, 7, 512], head [1000]`
 */
export function resnetLayout(config: ResNetConfig): ResNetStageRow[] {
  checkConfig(config);
  const [h0, w0, c0] = config.inputShape;
  const st = config.stem;
  let h = convOutputSize(h0, st.kernel, { stride: st.strides, padding: 'same' });
  let w = convOutputSize(w0, st.kernel, { stride: st.strides, padding: 'same' });
  if (st.maxPool) {
    h = convOutputSize(h, 3, { stride: 2, padding: 'same' });
    w = convOutputSize(w, 3, { stride: 2, padding: 'same' });
  }
  const stem = convBn(c0, st.filters, st.kernel);
  const rows: ResNetStageRow[] = [
    { stage: 'stem', units: 0, filters: st.filters, outputShape: [h, w, st.filters], convLayers: 1, params: stem.params, trainable: stem.trainable },
  ];
  let c = st.filters;
  config.stages.forEach((stage, si) => {
    let params = 0;
    let trainable = 0;
    for (let u = 0; u < stage.units; u++) {
      const strides = u === 0 && si > 0 ? 2 : 1;
      const a = convBn(c, stage.filters, 3);
      const b = convBn(stage.filters, stage.filters, 3);
      params += a.params + b.params;
      trainable += a.trainable + b.trainable;
      if (strides > 1 || c !== stage.filters) {
        const p = convBn(c, stage.filters, 1);
        params += p.params;
        trainable += p.trainable;
      }
      h = convOutputSize(h, 3, { stride: strides, padding: 'same' });
      w = convOutputSize(w, 3, { stride: strides, padding: 'same' });
      c = stage.filters;
    }
    rows.push({ stage: `stage${si + 1}`, units: stage.units, filters: stage.filters, outputShape: [h, w, c], convLayers: 2 * stage.units, params, trainable });
  });
  const head = c * config.classes + config.classes;
  rows.push({ stage: 'head (GAP + dense)', units: 0, filters: config.classes, outputShape: [config.classes], convLayers: 1, params: head, trainable: head });
  return rows;
}

/**
 * Total, trainable and non-trainable parameter counts, and the depth (conv + dense layers, the
 * number in the name: 1 + 2 * units + 1).
 *
 * Usage: `resnetParams(RESNET34) // { total: 21,814,696, trainable: 21,797,672, nonTrainable: 17,024, depth: 34 }`
 */
export function resnetParams(config: ResNetConfig): { total: number; trainable: number; nonTrainable: number; depth: number } {
  const rows = resnetLayout(config);
  const total = rows.reduce((a, r) => a + r.params, 0);
  const trainable = rows.reduce((a, r) => a + r.trainable, 0);
  return { total, trainable, nonTrainable: total - trainable, depth: rows.reduce((a, r) => a + r.convLayers, 0) };
}

/**
 * One residual unit on a symbolic tensor (functional API): conv 3x3 (strides) - BN - ReLU -
 * conv 3x3 - BN, plus the input (through a 1x1 conv with the same strides and BN when the shape
 * changes), then ReLU. Convs have no bias: the batch norm's beta plays that role.
 *
 * Usage: `const y = residualUnit(x, 128, 2, 'stage2_unit1');`
 */
export function residualUnit(input: tf.SymbolicTensor, filters: number, strides = 1, name = 'res'): tf.SymbolicTensor {
  const cIn = input.shape[input.shape.length - 1];
  if (!Number.isInteger(filters) || filters < 1) throw new Error(`residualUnit: filters must be a positive integer, got ${filters}.`);
  const conv = (n: string, k: number, s: number): tf.layers.Layer =>
    tf.layers.conv2d({ name: `${name}_${n}`, filters, kernelSize: k, strides: s, padding: 'same', useBias: false, kernelInitializer: 'heNormal' });
  const bn = (n: string): tf.layers.Layer => tf.layers.batchNormalization({ name: `${name}_${n}` });
  let x = conv('conv1', 3, strides).apply(input) as tf.SymbolicTensor;
  x = bn('bn1').apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ name: `${name}_relu1`, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = conv('conv2', 3, 1).apply(x) as tf.SymbolicTensor;
  x = bn('bn2').apply(x) as tf.SymbolicTensor;
  let skip = input;
  if (strides > 1 || cIn !== filters) {
    skip = conv('proj', 1, strides).apply(input) as tf.SymbolicTensor;
    skip = bn('proj_bn').apply(skip) as tf.SymbolicTensor;
  }
  const sum = tf.layers.add({ name: `${name}_add` }).apply([x, skip]) as tf.SymbolicTensor;
  return tf.layers.activation({ name: `${name}_out`, activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
}

/**
 * Builds a ResNet (functional tf.LayersModel, uncompiled): stem conv + BN + ReLU (+ max pool
 * 3x3/2), the stages of residual units, global average pooling, dense softmax.
 *
 * Usage: `const model = buildResNet(SMALL_RESNET_FASHION); model.countParams() === resnetParams(SMALL_RESNET_FASHION).total`
 */
export function buildResNet(config: ResNetConfig): tf.LayersModel {
  checkConfig(config);
  const input = tf.input({ shape: config.inputShape.slice(), name: `${config.name}_input` });
  const st = config.stem;
  let x = tf.layers
    .conv2d({ name: 'stem_conv', filters: st.filters, kernelSize: st.kernel, strides: st.strides, padding: 'same', useBias: false, kernelInitializer: 'heNormal' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'stem_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ name: 'stem_relu', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  if (st.maxPool) x = tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  config.stages.forEach((stage, si) => {
    for (let u = 0; u < stage.units; u++) x = residualUnit(x, stage.filters, u === 0 && si > 0 ? 2 : 1, `stage${si + 1}_unit${u + 1}`);
  });
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ name: 'output', units: config.classes, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: config.name });
}
