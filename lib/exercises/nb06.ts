/**
 * Checks of notebook 06's exercises (classic architectures).
 *
 * Usage (in the notebook): `import { check06_1 } from '../dist/lib/exercises'; await check06_1({ vgg19: vgg19 });`
 */
import * as tf from '@tensorflow/tfjs';
import { ALEXNET_INPUT_SHAPE, FASHION_INPUT_SHAPE, LayerSpec, RESNET34, ResNetConfig, VGG16_INPUT_SHAPE, alexnetSpec, resnetParams, seedCnnSpec, summarizeSpec, vgg16Spec } from '../models';
import { convLayerCost } from '../vision';
import { Verdict, describeValue, expect, expectFunction, expectNumber, need, runCheck } from './check';
import { buildWith, describeLayers, shapeText } from './model-answers';

/** The ids of notebook 06's exercises. */
export const EXERCISES_06: readonly string[] = ['06.1', '06.2', '06.3', '06.4', '06.5', '06.6'];

/**
 * Exercise 06.1: `vgg19` is VGG-16's layer list with a fourth convolution in blocks 3, 4 and 5.
 * Usage: `await check06_1({ vgg19: vgg19 })`
 */
export const check06_1 = (answer: { vgg19?: unknown }): Promise<Verdict> =>
  runCheck('06.1', 'VGG-19', () => {
    const specs = need(answer.vgg19, 'vgg19', 'an array of layer specs');
    expect(Array.isArray(specs), `vgg19 is ${describeValue(specs)}, not an array of layer specs`, 'start from M.vgg16Spec() and push each layer into a new array');
    const s = summarizeSpec(VGG16_INPUT_SHAPE, specs as LayerSpec[]);
    const convs = s.rows.filter((r) => r.kind === 'conv2d').length;
    expect(convs === 16, `vgg19 has ${convs} convolutions`, 'VGG-19 has 2 + 2 + 4 + 4 + 4 = 16 convolutions');
    const want: LayerSpec[] = [];
    for (const l of vgg16Spec()) {
      want.push(l);
      if (l.kind === 'conv2d' && /block[345]_conv3/.test(l.name ?? '')) want.push({ ...l, name: (l.name ?? '').replace('conv3', 'conv4') });
    }
    const ref = summarizeSpec(VGG16_INPUT_SHAPE, want);
    expect(s.totalParams === ref.totalParams, `vgg19 has ${s.totalParams.toLocaleString('en-US')} parameters, not VGG-19's count`,
      'insert each extra convolution right after the third one of its block (blocks 3, 4 and 5), with the same filters');
  });

/**
 * Exercise 06.2: F9's parameters when AlexNet gets 224x224 images.
 * Usage: `await check06_2({ f9Params224: f9Params224 })`
 */
export const check06_2 = (answer: { f9Params224?: unknown }): Promise<Verdict> =>
  runCheck('06.2', 'AlexNet on 224x224', () => {
    const n = expectNumber(need(answer.f9Params224, 'f9Params224', "F9's parameter count"), 'f9Params224');
    const f9 = (shape: readonly number[]): number => summarizeSpec(shape, alexnetSpec()).rows.find((r) => r.name === 'F9')?.params ?? -1;
    expect(n !== f9(ALEXNET_INPUT_SHAPE), `f9Params224 is ${n}: that is F9 on 227x227 inputs`, 'summarize with the input shape [224, 224, 3]');
    expect(n === f9([224, 224, 3]), `f9Params224 is ${n}`, "read the row named 'F9' of M.summarizeSpec([224, 224, 3], M.alexnetSpec())");
  });

/**
 * Exercise 06.3: `resnet18` is ResNet-34's configuration with 2 units per stage.
 * Usage: `await check06_3({ resnet18: resnet18 })`
 */
export const check06_3 = (answer: { resnet18?: unknown }): Promise<Verdict> =>
  runCheck('06.3', 'ResNet-18', () => {
    const config = need(answer.resnet18, 'resnet18', 'a ResNetConfig');
    const stages = (config as { stages?: unknown }).stages;
    expect(Array.isArray(stages), `resnet18 is ${describeValue(config)} without a stages array`, 'copy M.RESNET34 and replace its stages: { ...M.RESNET34, stages: ... }');
    const st = stages as { filters?: unknown; units?: unknown }[];
    expect(st.length === 4 && st.every((s, i) => s.units === 2 && s.filters === RESNET34.stages[i].filters),
      `resnet18's stages are ${JSON.stringify(st)}`, 'four stages of 64, 128, 256 and 512 maps, 2 units each');
    const p = resnetParams(config as ResNetConfig);
    const want = resnetParams({ ...RESNET34, stages: RESNET34.stages.map((s) => ({ ...s, units: 2 })) });
    expect(p.trainable === want.trainable && p.depth === want.depth, `resnet18 has ${p.trainable.toLocaleString('en-US')} trainable parameters and depth ${p.depth}`,
      "keep ResNet-34's stem, input shape and classes; change only the units");
  });

/**
 * Exercise 06.4: `bottleneckMultiplications(input, reduce, filters, kernel)`, tried on hidden shapes.
 * Usage: `await check06_4({ bottleneckMultiplications: bottleneckMultiplications })`
 */
export const check06_4 = (answer: { bottleneckMultiplications?: unknown }): Promise<Verdict> =>
  runCheck('06.4', 'The cost of a bottleneck', () => {
    const f = expectFunction(need(answer.bottleneckMultiplications, 'bottleneckMultiplications', 'a function (input, reduce, filters, kernel) => number'), 'bottleneckMultiplications', 4) as
      (input: [number, number, number], reduce: number, filters: number, kernel: number) => unknown;
    const cases: [[number, number, number], number, number, number][] = [[[28, 28, 192], 16, 32, 5], [[14, 14, 480], 96, 208, 3], [[7, 9, 64], 8, 24, 5], [[10, 10, 3], 3, 3, 1]];
    for (const [input, reduce, filters, kernel] of cases) {
      const want = convLayerCost({ input, filters: reduce, kernel: 1 }).multiplications + convLayerCost({ input: [input[0], input[1], reduce], filters, kernel }).multiplications;
      const got = expectNumber(f(input.slice() as [number, number, number], reduce, filters, kernel), `bottleneckMultiplications(${shapeText(input)}, ${reduce}, ${filters}, ${kernel})`);
      expect(got === want, `bottleneckMultiplications(${shapeText(input)}, ${reduce}, ${filters}, ${kernel}) is ${got}`,
        'add the 1x1 convolution on the input and the k x k convolution on its output (h x w x reduce)');
    }
  });

/**
 * Exercise 06.5: `buildSeparableCnn()` is notebook 05's CNN with separable 3x3 convolutions.
 * Usage: `await check06_5({ buildSeparableCnn: buildSeparableCnn })`
 */
export const check06_5 = (answer: { buildSeparableCnn?: unknown }): Promise<Verdict> =>
  runCheck('06.5', 'A separable seed CNN', () => {
    const build = expectFunction(need(answer.buildSeparableCnn, 'buildSeparableCnn', 'a function returning a tf.Sequential'), 'buildSeparableCnn');
    const m = buildWith(build, 'buildSeparableCnn');
    try {
      const classes = describeLayers(m).map((l) => l.className);
      const want = ['Conv2D', 'MaxPooling2D', 'SeparableConv2D', 'SeparableConv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense'];
      expect(classes.join() === want.join(), `buildSeparableCnn() has the layers ${classes.join(', ')}`,
        'keep the 7x7 Conv2D; replace only the two 3x3 convolutions by tf.layers.separableConv2d');
      const spec = seedCnnSpec().map((l) => (l.kind === 'conv2d' && l.kernel === 3 ? { ...l, kind: 'separableConv2d' as const } : l));
      const total = summarizeSpec(FASHION_INPUT_SHAPE, spec).totalParams;
      expect(m.countParams() === total, `buildSeparableCnn() has ${m.countParams().toLocaleString('en-US')} parameters, not the separable seed CNN's count`,
        "same filters (128), kernel 3, padding 'same', and the seed's dense head");
    } finally {
      m.dispose();
    }
  });

function bottleneckParams(cIn: number, f: number, projection: boolean): number {
  const bn = (c: number): number => 4 * c;
  return cIn * f + bn(f) + 9 * f * f + bn(f) + f * 4 * f + bn(4 * f) + (projection ? cIn * 4 * f + bn(4 * f) : 0);
}

/**
 * Exercise 06.6: `bottleneckUnit(x, filters, strides)`, built on hidden input shapes.
 * Usage: `await check06_6({ bottleneckUnit: bottleneckUnit })`
 */
export const check06_6 = (answer: { bottleneckUnit?: unknown }): Promise<Verdict> =>
  runCheck('06.6', 'A bottleneck residual unit', () => {
    const unit = expectFunction(need(answer.bottleneckUnit, 'bottleneckUnit', 'a function (x, filters, strides) => tf.SymbolicTensor'), 'bottleneckUnit', 3) as
      (x: tf.SymbolicTensor, filters: number, strides: number) => unknown;
    const cases: [[number, number, number], number, number][] = [[[6, 6, 32], 8, 1], [[8, 8, 16], 8, 2], [[5, 5, 12], 4, 1]];
    for (const [shape, filters, strides] of cases) {
      const input = tf.input({ shape: shape.slice() });
      const out = unit(input, filters, strides);
      const what = `bottleneckUnit(x of shape ${shapeText(shape)}, ${filters}, ${strides})`;
      expect(out instanceof tf.SymbolicTensor, `${what} returned ${describeValue(out)}`, 'return the symbolic tensor of the final ReLU');
      const model = tf.model({ inputs: input, outputs: out as tf.SymbolicTensor });
      try {
        const size = Math.ceil(shape[0] / strides);
        const wantShape = [size, Math.ceil(shape[1] / strides), 4 * filters];
        const gotShape = (model.outputs[0].shape as number[]).slice(1);
        expect(shapeText(gotShape) === shapeText(wantShape), `${what} outputs ${shapeText(gotShape)}`,
          "the last 1x1 convolution has 4 * filters maps; the 3x3 one carries the strides; padding 'same'");
        const projection = strides > 1 || shape[2] !== 4 * filters;
        const want = bottleneckParams(shape[2], filters, projection);
        expect(model.countParams() === want, `${what} has ${model.countParams()} parameters, not a bottleneck unit's count`,
          projection ? 'the input has another shape: project it with a 1x1 convolution (4 * filters, same strides, no bias) and BN'
            : 'convolutions without bias, one BN after each, and the input added as it is (no projection when the shapes match)');
        expect(model.layers.some((l) => l.getClassName() === 'Add'), `${what} has no Add layer`, 'add the skip connection with tf.layers.add()');
      } finally {
        model.dispose();
      }
    }
  });
