import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeFans, dense, initializer, l1, l1_l2, l2, penaltyOf, TRUNCATED_NORMAL_STDDEV_2, VarianceScaling, conv2d } from '../lib/layers';
import { SGD } from '../lib/optim';

/** Draws weights of a shape and returns their variance, max |w| and the share of |w| < 0.5 sd. */
function stats(init: { apply(shape: number[], dtype?: tf.DataType): tf.Tensor }, shape: number[], sd: number): { variance: number; maxAbs: number; centre: number; values: Float32Array } {
  const t = init.apply(shape, 'float32');
  const values = t.dataSync() as Float32Array;
  t.dispose();
  let s = 0, s2 = 0, maxAbs = 0, centre = 0;
  for (const v of values) {
    s += v; s2 += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
    if (Math.abs(v) < 0.5 * sd) centre++;
  }
  const n = values.length;
  return { variance: s2 / n - (s / n) ** 2, maxAbs, centre: centre / n, values };
}

describe('Keras initialisers (variances of large draws)', () => {
  it('he_normal on 500x500: variance 2/fan_in within 3 %, truncated at 2 raw sd; tfjs heNormal is ~23 % low', () => {
    const target = 2 / 500;
    const sd = Math.sqrt(target);
    const ours = stats(initializer('he_normal', { seed: 1 }), [500, 500], sd);
    expect(Math.abs(ours.variance / target - 1)).toBeLessThan(0.03);
    const rawSd = sd / TRUNCATED_NORMAL_STDDEV_2;
    expect(ours.maxAbs).toBeLessThanOrEqual(2 * rawSd * 1.0001);
    expect(ours.maxAbs).toBeGreaterThan(1.95 * rawSd);
    // a truncated normal has more mass near 0 than a uniform of the same variance (0.356 vs 0.289)
    expect(ours.centre).toBeGreaterThan(0.34);
    expect(ours.centre).toBeLessThan(0.37);
    const theirs = stats(tf.initializers.heNormal({ seed: 1 }), [500, 500], sd);
    expect(theirs.variance / target).toBeGreaterThan(0.74);
    expect(theirs.variance / target).toBeLessThan(0.8); // 0.8796^2 = 0.774
  });

  it('uniform variants have variance scale/fan and limit sqrt(3 * variance)', () => {
    for (const [name, shape, variance] of [
      ['he_uniform', [400, 200], 2 / 400],
      ['glorot_uniform', [300, 100], 2 / 400],
      ['lecun_uniform', [250, 50], 1 / 250],
    ] as [string, number[], number][]) {
      const r = stats(initializer(name, { seed: 3 }), shape, Math.sqrt(variance));
      expect(Math.abs(r.variance / variance - 1)).toBeLessThan(0.03);
      expect(r.maxAbs).toBeLessThanOrEqual(Math.sqrt(3 * variance) * 1.0001);
      expect(r.centre).toBeGreaterThan(0.27);
      expect(r.centre).toBeLessThan(0.31);
    }
  });

  it('glorot_normal and lecun_normal use fan_avg and fan_in; untruncated_normal exceeds 2 sd', () => {
    const g = stats(initializer('glorot_normal', { seed: 5 }), [300, 500], Math.sqrt(2 / 800));
    expect(Math.abs(g.variance / (2 / 800) - 1)).toBeLessThan(0.03);
    const l = stats(initializer('lecunNormal', { seed: 6 }), [400, 300], Math.sqrt(1 / 400));
    expect(Math.abs(l.variance / (1 / 400) - 1)).toBeLessThan(0.03);
    const u = stats(new VarianceScaling({ scale: 1, mode: 'fan_out', distribution: 'untruncated_normal', seed: 7 }), [200, 400], Math.sqrt(1 / 400));
    expect(Math.abs(u.variance / (1 / 400) - 1)).toBeLessThan(0.03);
    expect(u.maxAbs).toBeGreaterThan(3 * Math.sqrt(1 / 400));
  });

  it('conv kernels use the receptive field in the fans', () => {
    expect(computeFans([3, 3, 64, 128])).toEqual({ fanIn: 576, fanOut: 1152 });
    expect(computeFans([10])).toEqual({ fanIn: 10, fanOut: 10 });
    const vs = new VarianceScaling({ scale: 2, mode: 'fan_avg' });
    expect(vs.variance([3, 3, 64, 128])).toBeCloseTo(2 / 864, 12);
  });

  it('seeds repeat, simple names work, bad names and arguments throw', () => {
    const a = initializer('he_normal', { seed: 9 }).apply([4, 4]);
    const b = initializer('he_normal', { seed: 9 }).apply([4, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const z = initializer('zeros').apply([3]);
    const o = initializer('ones').apply([3]);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(o.dataSync())).toEqual([1, 1, 1]);
    const rn = stats(initializer('random_normal', { seed: 2 }), [200, 200], 0.05);
    expect(Math.abs(Math.sqrt(rn.variance) / 0.05 - 1)).toBeLessThan(0.03);
    tf.dispose([a, b, z, o]);
    expect(() => initializer('he_normall')).toThrow(/unknown name/);
    expect(() => new VarianceScaling({ mode: 'fan_middle' as 'fan_in' })).toThrow(/mode/);
    expect(() => new VarianceScaling({ scale: -1 })).toThrow(/scale/);
  });

  it('dense() defaults to glorot_uniform like Keras and serialises the Keras initialiser', async () => {
    const layer = dense({ units: 100, inputShape: [300], kernelInitializer: undefined });
    const model = tf.sequential({ layers: [layer, dense({ units: 10, kernelInitializer: 'he_normal' })] });
    const k = layer.getWeights()[0];
    const r = stats({ apply: () => k.clone() }, [300, 100], Math.sqrt(2 / 400));
    expect(r.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 400) * 1.0001);
    expect(Math.abs(r.variance / (2 / 400) - 1)).toBeLessThan(0.05);
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const init = json.config.layers[1].config.kernel_initializer;
    expect(init.class_name).toBe('KerasVarianceScaling');
    expect(init.config).toMatchObject({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal' });
    const copy = await tf.models.modelFromJSON({ modelTopology: json });
    const init2 = (copy.layers[1] as unknown as { kernelInitializer: VarianceScaling }).kernelInitializer;
    expect(init2.mode).toBe('fan_in');
    expect(init2.distribution).toBe('truncated_normal');
    expect(init2.scale).toBe(2);
    const c = conv2d({ filters: 4, kernelSize: 3, inputShape: [8, 8, 1] });
    expect((c.getConfig().kernelInitializer as { className: string }).className).toBe('KerasVarianceScaling');
    model.dispose();
    copy.dispose();
  });
});

describe('Keras regularisers', () => {
  it('penalties are rate * sum|w| and rate * sum w^2 (no 1/2); l1_l2 defaults to 0 like Keras 3', () => {
    const w = tf.tensor1d([1, -2, 3]);
    expect(penaltyOf(l1(0.01), w)).toBeCloseTo(0.06, 6);
    expect(penaltyOf(l2(0.01), w)).toBeCloseTo(0.14, 6);
    expect(penaltyOf(l2(), w)).toBeCloseTo(0.14, 6);
    expect(penaltyOf(l1_l2(0.01), w)).toBeCloseTo(0.06, 6); // the seed's l1_l2(0.01): pure L1
    expect(penaltyOf(l1_l2({ l1: 0.01, l2: 0.01 }), w)).toBeCloseTo(0.2, 6);
    expect(penaltyOf(l1_l2(0, 0.5), w)).toBeCloseTo(7, 5);
    expect(() => l2(-1)).toThrow(/l2 must be/);
    w.dispose();
  });

  it('a kernel regulariser is added to the training loss', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], useBias: false, kernelInitializer: 'ones', kernelRegularizer: l2(0.1) })] });
    model.compile({ optimizer: SGD({ learningRate: 0 }), loss: 'meanSquaredError' });
    const x = tf.zeros([4, 3]);
    const y = tf.zeros([4, 2]);
    const h = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(h.history.loss[0] as number).toBeCloseTo(0.1 * 6, 5); // data loss 0, penalty 0.1 * 6 ones
    model.dispose();
    tf.dispose([x, y]);
  });
});
