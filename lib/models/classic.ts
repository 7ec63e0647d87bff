/**
 * Classic CNN architectures as layer specs (count them without allocating, build them with
 * `buildSequential`): LeNet-5 (1998), AlexNet from the seed's table (2012), VGG-16 (2014); and
 * the regular vs depthwise-separable convolution comparison behind Xception (2016).
 *
 * Usage:
 *   summarizeSpec([227, 227, 3], alexnetSpec()).totalParams   // 62,378,344 (seed: 62.3 M)
 *   summarizeSpec([224, 224, 3], vgg16Spec()).totalParams     // 138,357,544
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dParams, separableConv2dParams } from '../vision/arithmetic';
import { LayerSpec, SpecActivation, buildSequential } from './spec';

/** LeNet-5's input: 32x32 grey (MNIST's 28x28 digits padded by 2). */
export const LENET5_INPUT_SHAPE: readonly [number, number, number] = [32, 32, 1];
/** AlexNet's input in the seed's table: 227x227 RGB. */
export const ALEXNET_INPUT_SHAPE: readonly [number, number, number] = [227, 227, 3];
/** VGG-16's input: 224x224 RGB. */
export const VGG16_INPUT_SHAPE: readonly [number, number, number] = [224, 224, 3];

export interface ClassicOptions {
  /** Output classes (default 10 for LeNet-5, 1000 for AlexNet and VGG-16). */
  classes?: number;
}

/**
 * LeNet-5 after the seed's table: C1 6@5x5, S2 avg 2x2, C3 16@5x5, S4 avg 2x2, C5 120@5x5,
 * F6 84, output 10; tanh everywhere. Three modern simplifications (said in notebook 06): the
 * output is softmax instead of RBF units, C3 connects to all 6 S2 maps (the 1998 network used a
 * sparse connection table), and the pooling layers have no trainable coefficient and bias.
 *
 * Usage: `buildSequential(LENET5_INPUT_SHAPE, lenet5Spec())`
 */
export function lenet5Spec(options: ClassicOptions & { activation?: SpecActivation } = {}): LayerSpec[] {
  const act = options.activation ?? 'tanh';
  return [
    { kind: 'conv2d', name: 'C1', filters: 6, kernel: 5, activation: act },
    { kind: 'avgPool', name: 'S2', pool: 2 },
    { kind: 'conv2d', name: 'C3', filters: 16, kernel: 5, activation: act },
    { kind: 'avgPool', name: 'S4', pool: 2 },
    { kind: 'conv2d', name: 'C5', filters: 120, kernel: 5, activation: act },
    { kind: 'flatten', name: 'flatten' },
    { kind: 'dense', name: 'F6', units: 84, activation: act },
    { kind: 'dense', name: 'out', units: options.classes ?? 10, activation: 'softmax' },
  ];
}

/**
 * AlexNet from the seed's table (one tower, no local response normalisation): C1 96@11x11/4
 * valid, S2 max 3x3/2, C3 256@5x5 same, S4 max 3x3/2, C5 384, C6 384, C7 256 @3x3 same, S8 max
 * 3x3/2, dropout 0.5, F9 4096, dropout 0.5, F10 4096, output 1000 softmax.
 *
 * Usage: `summarizeSpec(ALEXNET_INPUT_SHAPE, alexnetSpec()).totalParams // 62,378,344`
 */
export function alexnetSpec(options: ClassicOptions = {}): LayerSpec[] {
  return [
    { kind: 'conv2d', name: 'C1', filters: 96, kernel: 11, strides: 4, padding: 'valid', activation: 'relu' },
    { kind: 'maxPool', name: 'S2', pool: 3, strides: 2 },
    { kind: 'conv2d', name: 'C3', filters: 256, kernel: 5, padding: 'same', activation: 'relu' },
    { kind: 'maxPool', name: 'S4', pool: 3, strides: 2 },
    { kind: 'conv2d', name: 'C5', filters: 384, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'conv2d', name: 'C6', filters: 384, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'conv2d', name: 'C7', filters: 256, kernel: 3, padding: 'same', activation: 'relu' },
    { kind: 'maxPool', name: 'S8', pool: 3, strides: 2 },
    { kind: 'flatten', name: 'flatten' },
    { kind: 'dropout', name: 'dropout1', rate: 0.5 },
    { kind: 'dense', name: 'F9', units: 4096, activation: 'relu' },
    { kind: 'dropout', name: 'dropout2', rate: 0.5 },
    { kind: 'dense', name: 'F10', units: 4096, activation: 'relu' },
    { kind: 'dense', name: 'out', units: options.classes ?? 1000, activation: 'softmax' },
  ];
}

/** One layer of `alexnetTwoGpuParams`. */
export interface AlexnetLayerCount {
  layer: string;
  /** One-tower count (the seed's table). */
  oneTower: number;
  /** The 2012 paper's count: C3, C6, C7 see only the half of the maps on their own GPU. */
  twoGpu: number;
}

/**
 * AlexNet's parameters layer by layer, for one tower (the seed's table, all maps connected)
 * and for the 2012 paper's two-GPU split, where the 2nd, 4th and 5th conv layers (C3, C6, C7
 * here) connect only to the maps on the same GPU (grouped convolution with 2 groups).
 *
 * Usage: `alexnetTwoGpuParams().reduce((a, r) => a + r.twoGpu, 0) // 60,965,224`
 */
export function alexnetTwoGpuParams(classes = 1000): AlexnetLayerCount[] {
  const grouped = (cIn: number, cOut: number, k: number): number => 2 * conv2dParams(cIn / 2, cOut / 2, k);
  const dense = (i: number, o: number): number => i * o + o;
  return [
    { layer: 'C1', oneTower: conv2dParams(3, 96, 11), twoGpu: conv2dParams(3, 96, 11) },
    { layer: 'C3', oneTower: conv2dParams(96, 256, 5), twoGpu: grouped(96, 256, 5) },
    { layer: 'C5', oneTower: conv2dParams(256, 384, 3), twoGpu: conv2dParams(256, 384, 3) },
    { layer: 'C6', oneTower: conv2dParams(384, 384, 3), twoGpu: grouped(384, 384, 3) },
    { layer: 'C7', oneTower: conv2dParams(384, 256, 3), twoGpu: grouped(384, 256, 3) },
    { layer: 'F9', oneTower: dense(6 * 6 * 256, 4096), twoGpu: dense(6 * 6 * 256, 4096) },
    { layer: 'F10', oneTower: dense(4096, 4096), twoGpu: dense(4096, 4096) },
    { layer: 'out', oneTower: dense(4096, classes), twoGpu: dense(4096, classes) },
  ];
}

/**
 * VGG-16 (configuration D): 13 convs 3x3 same ReLU in blocks of 2, 2, 3, 3, 3 with 64, 128,
 * 256, 512, 512 filters, each block ending in max pool 2x2/2; then dense 4096, 4096, 1000.
 *
 * Usage: `summarizeSpec(VGG16_INPUT_SHAPE, vgg16Spec()).totalParams // 138,357,544`
 */
export function vgg16Spec(options: ClassicOptions = {}): LayerSpec[] {
  const blocks: [number, number][] = [
    [64, 2],
    [128, 2],
    [256, 3],
    [512, 3],
    [512, 3],
  ];
  const specs: LayerSpec[] = [];
  blocks.forEach(([filters, n], b) => {
    for (let i = 0; i < n; i++) {
      specs.push({ kind: 'conv2d', name: `block${b + 1}_conv${i + 1}`, filters, kernel: 3, padding: 'same', activation: 'relu' });
    }
    specs.push({ kind: 'maxPool', name: `block${b + 1}_pool`, pool: 2 });
  });
  specs.push(
    { kind: 'flatten', name: 'flatten' },
    { kind: 'dense', name: 'fc1', units: 4096, activation: 'relu' },
    { kind: 'dense', name: 'fc2', units: 4096, activation: 'relu' },
    { kind: 'dense', name: 'predictions', units: options.classes ?? 1000, activation: 'softmax' },
  );
  return specs;
}

/** The comparison made by `separableVsRegular`. */
export interface SeparableComparison {
  /** Arithmetic: (k*k*cIn + 1) * cOut. */
  regular: number;
  /** Arithmetic: k*k*cIn + cIn*cOut + cOut. */
  separable: number;
  /** The same two counts read from real tfjs layers (Conv2D, SeparableConv2D). */
  regularTfjs: number;
  separableTfjs: number;
  /** regular / separable. */
  ratio: number;
}

/**
 * Parameters of a regular vs a depthwise-separable k x k convolution from cIn to cOut channels,
 * computed and checked against tfjs layers built on a small input.
 *
 * Usage: `separableVsRegular(128, 256, 3).ratio // about 8.7`
 */
export function separableVsRegular(cIn: number, cOut: number, kernel: number): SeparableComparison {
  const count = (layer: tf.layers.Layer): number => {
    const model = tf.sequential({ layers: [layer] });
    const n = model.countParams();
    model.dispose();
    return n;
  };
  const inputShape = [kernel + 1, kernel + 1, cIn];
  const regularTfjs = count(tf.layers.conv2d({ inputShape, filters: cOut, kernelSize: kernel, padding: 'same' }));
  const separableTfjs = count(tf.layers.separableConv2d({ inputShape, filters: cOut, kernelSize: kernel, padding: 'same' }));
  const regular = conv2dParams(cIn, cOut, kernel);
  const separable = separableConv2dParams(cIn, cOut, kernel);
  return { regular, separable, regularTfjs, separableTfjs, ratio: regular / separable };
}

/**
 * Builds LeNet-5 as a tfjs model (input 32x32x1).
 *
 * Usage: `const lenet = buildLenet5(); lenet.summary();`
 */
export function buildLenet5(options: ClassicOptions & { activation?: SpecActivation } = {}): tf.Sequential {
  return buildSequential(LENET5_INPUT_SHAPE, lenet5Spec(options), { name: 'lenet5' });
}
