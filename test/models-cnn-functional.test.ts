import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  GOOGLENET_3A,
  RESNET34,
  ResNetConfig,
  SMALL_RESNET_FASHION,
  buildInceptionDemo,
  buildResNet,
  inceptionModule,
  inceptionParams,
  residualUnit,
  resnetLayout,
  resnetParams,
} from '../lib/models';

describe('inception module', () => {
  it('GoogLeNet 3a: 28x28x192 -> 28x28x256 by depth concatenation, 163,696 parameters', () => {
    const model = buildInceptionDemo([28, 28, 192], GOOGLENET_3A);
    expect(model.outputs[0].shape).toEqual([null, 28, 28, 256]);
    expect(model.countParams()).toBe(163_696);
    expect(inceptionParams(192, GOOGLENET_3A)).toEqual({ withBottlenecks: 163_696, naive: 387_296, outputDepth: 256, naiveOutputDepth: 416 });
    model.dispose();
  });
  it('the concatenation keeps each branch in its own channels: the 1x1 branch comes first', () => {
    const input = tf.input({ shape: [5, 5, 3] });
    const f = { f1x1: 2, f3x3Reduce: 2, f3x3: 3, f5x5Reduce: 1, f5x5: 1, poolProj: 2 };
    const out = inceptionModule(input, f, 'm');
    const model = tf.model({ inputs: input, outputs: out });
    const branch1 = tf.model({ inputs: input, outputs: model.getLayer('m_1x1').output as tf.SymbolicTensor });
    const x = tf.randomNormal([1, 5, 5, 3], 0, 1, 'float32', 1);
    const full = model.predict(x) as tf.Tensor;
    const b1 = branch1.predict(x) as tf.Tensor;
    expect(full.shape).toEqual([1, 5, 5, 8]);
    const diff = tf.tidy(() => full.slice([0, 0, 0, 0], [1, 5, 5, 2]).sub(b1).abs().max().dataSync()[0]);
    expect(diff).toBe(0);
    tf.dispose([x, full, b1]);
    model.dispose();
  });
});

describe('residual unit', () => {
  it('identity skip when the shape is kept: a unit with zeroed conv kernels outputs relu(input)', () => {
    const input = tf.input({ shape: [6, 6, 4] });
    const model = tf.model({ inputs: input, outputs: residualUnit(input, 4, 1, 'u') });
    for (const name of ['u_conv1', 'u_conv2']) {
      const layer = model.getLayer(name);
      layer.setWeights(layer.getWeights().map((w) => tf.zerosLike(w)));
    }
    const x = tf.randomNormal([2, 6, 6, 4], 0, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    const diff = tf.tidy(() => y.sub(tf.relu(x)).abs().max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    tf.dispose([x, y]);
    model.dispose();
  });
  it('a stride-2 unit halves the size and projects the skip with a 1x1 conv', () => {
    const input = tf.input({ shape: [8, 8, 16] });
    const model = tf.model({ inputs: input, outputs: residualUnit(input, 32, 2, 'd') });
    expect(model.outputs[0].shape).toEqual([null, 4, 4, 32]);
    expect(model.getLayer('d_proj').countParams()).toBe(16 * 32);
    expect(model.countParams()).toBe(9 * 16 * 32 + 9 * 32 * 32 + 16 * 32 + 3 * 4 * 32);
    model.dispose();
  });
});

describe('ResNet layouts', () => {
  it("ResNet-34: 34 layers, 56 -> 56 -> 28 -> 14 -> 7, 21,797,672 trainable parameters (torchvision's count)", () => {
    const rows = resnetLayout(RESNET34);
    expect(rows.map((r) => r.outputShape)).toEqual([[56, 56, 64], [56, 56, 64], [28, 28, 128], [14, 14, 256], [7, 7, 512], [1000]]);
    const p = resnetParams(RESNET34);
    expect(p.depth).toBe(34);
    expect(p.trainable).toBe(21_797_672);
    expect(p.nonTrainable).toBe(17_024);
  });
  it('the arithmetic equals tfjs countParams on built ResNets (small Fashion-MNIST net and a 2-stage net on 32x32x3)', () => {
    const tiny: ResNetConfig = { name: 'tiny', inputShape: [32, 32, 3], stem: { filters: 8, kernel: 7, strides: 2, maxPool: true }, stages: [{ filters: 8, units: 2 }, { filters: 16, units: 2 }], classes: 5 };
    for (const config of [SMALL_RESNET_FASHION, tiny]) {
      const model = buildResNet(config);
      const p = resnetParams(config);
      expect(model.countParams()).toBe(p.total);
      const trainable = model.trainableWeights.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
      expect(trainable).toBe(p.trainable);
      const rows = resnetLayout(config);
      expect(model.getLayer(`stage${config.stages.length}_unit${config.stages[config.stages.length - 1].units}_out`).outputShape).toEqual([null, ...rows[rows.length - 2].outputShape]);
      model.dispose();
    }
    expect(resnetParams(SMALL_RESNET_FASHION).total).toBe(resnetLayout(SMALL_RESNET_FASHION).reduce((a, r) => a + r.params, 0));
  });
  it('bad configs are explained', () => {
    expect(() => resnetLayout({ ...SMALL_RESNET_FASHION, stages: [] })).toThrow(/at least one stage/);
  });
});
