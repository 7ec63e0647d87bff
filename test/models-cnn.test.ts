import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  ALEXNET_INPUT_SHAPE,
  FASHION_INPUT_SHAPE,
  LENET5_INPUT_SHAPE,
  VGG16_INPUT_SHAPE,
  alexnetSpec,
  alexnetTwoGpuParams,
  buildLenet5,
  buildSeedCnn,
  buildSequential,
  formatCount,
  lenet5Spec,
  seedCnnSpec,
  separableVsRegular,
  specSummaryMarkdown,
  summarizeSpec,
  vgg16Spec,
} from '../lib/models';

function tfjsShapes(model: tf.LayersModel): number[][] {
  return model.layers.map((l) => (l.outputShape as number[]).slice(1));
}

describe("the seed's CNN", () => {
  it('arithmetic: 28 -> 14 -> 7, 1,036,490 parameters', () => {
    const s = summarizeSpec(FASHION_INPUT_SHAPE, seedCnnSpec());
    expect(s.rows.map((r) => r.outputShape)).toEqual([[28, 28, 64], [14, 14, 64], [14, 14, 128], [14, 14, 128], [7, 7, 128], [6272], [128], [128], [64], [64], [10]]);
    expect(s.rows.map((r) => r.params)).toEqual([3_200, 0, 73_856, 147_584, 0, 0, 802_944, 0, 8_256, 0, 650]);
    expect(s.totalParams).toBe(1_036_490);
  });

  it('the tfjs model has the same shapes and count, and predicts a probability distribution', () => {
    const before = tf.memory().numTensors;
    const model = buildSeedCnn();
    expect(model.countParams()).toBe(1_036_490);
    expect(tfjsShapes(model)).toEqual(summarizeSpec(FASHION_INPUT_SHAPE, seedCnnSpec()).rows.map((r) => r.outputShape));
    const p = tf.tidy(() => (model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).sum(1).arraySync() as number[]);
    p.forEach((v) => expect(v).toBeCloseTo(1, 5));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('LeNet-5', () => {
  it('32 -> 28 -> 14 -> 10 -> 5 -> 1 as in the seed table, 61,706 parameters, same in tfjs', () => {
    const s = summarizeSpec(LENET5_INPUT_SHAPE, lenet5Spec());
    expect(s.rows.slice(0, 5).map((r) => r.outputShape)).toEqual([[28, 28, 6], [14, 14, 6], [10, 10, 16], [5, 5, 16], [1, 1, 120]]);
    expect(s.rows.map((r) => r.params)).toEqual([156, 0, 2_416, 0, 48_120, 0, 10_164, 850]);
    expect(s.totalParams).toBe(61_706);
    const model = buildLenet5();
    expect(model.countParams()).toBe(61_706);
    expect(tfjsShapes(model)).toEqual(s.rows.map((r) => r.outputShape));
    model.dispose();
  });
});

describe('AlexNet from the seed table', () => {
  const s = summarizeSpec(ALEXNET_INPUT_SHAPE, alexnetSpec());
  it('feature maps 55, 27, 27, 13, 13, 13, 13, 6 and 9,216 inputs to F9', () => {
    expect(s.rows.slice(0, 9).map((r) => r.outputShape)).toEqual([
      [55, 55, 96], [27, 27, 96], [27, 27, 256], [13, 13, 256], [13, 13, 384], [13, 13, 384], [13, 13, 256], [6, 6, 256], [9216],
    ]);
  });
  it('62,378,344 parameters (the seed truncates to 62.3 M); the two-GPU paper count is 60,965,224', () => {
    expect(s.totalParams).toBe(62_378_344);
    const rows = alexnetTwoGpuParams();
    expect(rows.reduce((a, r) => a + r.oneTower, 0)).toBe(62_378_344);
    expect(rows.reduce((a, r) => a + r.twoGpu, 0)).toBe(60_965_224);
    expect(rows.find((r) => r.layer === 'F9')?.oneTower).toBe(37_752_832);
  });
  it('the tfjs build of a narrow AlexNet (same layer types, 1/8 the maps, 10 classes) matches the arithmetic', () => {
    const narrow = alexnetSpec({ classes: 10 }).map((l) =>
      l.kind === 'conv2d' ? { ...l, filters: l.filters / 8 } : l.kind === 'dense' && l.units === 4096 ? { ...l, units: 64 } : l,
    );
    const model = buildSequential(ALEXNET_INPUT_SHAPE, narrow);
    const ns = summarizeSpec(ALEXNET_INPUT_SHAPE, narrow);
    expect(model.countParams()).toBe(ns.totalParams);
    expect(tfjsShapes(model)).toEqual(ns.rows.map((r) => r.outputShape));
    model.dispose();
  });
});

describe('VGG-16', () => {
  it('138,357,544 parameters, 7x7x512 before the dense layers (counted, not allocated: 553 MB)', () => {
    const s = summarizeSpec(VGG16_INPUT_SHAPE, vgg16Spec());
    expect(s.totalParams).toBe(138_357_544);
    expect(s.rows.filter((r) => r.kind === 'conv2d')).toHaveLength(13);
    expect(s.rows.find((r) => r.name === 'flatten')?.outputShape).toEqual([25_088]);
    expect(s.rows.find((r) => r.name === 'fc1')?.params).toBe(102_764_544);
    expect(formatCount(s.totalParams)).toBe('138,357,544');
    expect(specSummaryMarkdown(s)).toContain('**138,357,544**');
  });
});

describe('separable vs regular convolution', () => {
  it('3x3 from 128 to 256 maps: 295,168 vs 34,176 parameters, same as tfjs layers', () => {
    const c = separableVsRegular(128, 256, 3);
    expect(c.regular).toBe(295_168);
    expect(c.separable).toBe(1_152 + 32_768 + 256);
    expect(c.regularTfjs).toBe(c.regular);
    expect(c.separableTfjs).toBe(c.separable);
    expect(c.ratio).toBeCloseTo(295_168 / 34_176, 10);
  });
  it('a separable conv spec counts like the tfjs layer', () => {
    const spec = [{ kind: 'separableConv2d' as const, filters: 16, kernel: 3, depthMultiplier: 2, padding: 'same' as const }];
    const model = buildSequential([8, 8, 4], spec);
    expect(model.countParams()).toBe(summarizeSpec([8, 8, 4], spec).totalParams);
    expect(summarizeSpec([8, 8, 4], spec).totalParams).toBe(3 * 3 * 4 * 2 + 4 * 2 * 16 + 16);
    model.dispose();
  });
});

describe('spec errors name the problem', () => {
  it('dense before flatten, and a window that does not fit', () => {
    expect(() => summarizeSpec([8, 8, 1], [{ kind: 'dense', units: 3 }])).toThrow(/flatten/);
    expect(() => summarizeSpec([4, 4, 1], [{ kind: 'conv2d', filters: 2, kernel: 5 }])).toThrow(/does not fit/);
    expect(() => summarizeSpec([4, 4, 1], [{ kind: 'dropout', rate: 1.5 }])).toThrow(/dropout rate/);
  });
});
