// The exercise checks of notebooks 01-06: a right answer passes, a missing one says "missing", a
// wrong one says "wrong"; no check throws or leaves tensors behind.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Verdict } from '../lib/exercises';
import * as ex from '../lib/exercises';
import * as V from '../lib/vision';
import { LayerSpec, RESNET34, alexnetSpec, residualUnit, summarizeSpec, vgg16Spec } from '../lib/models';

let log: ReturnType<typeof vi.spyOn>;
beforeAll(() => { log = vi.spyOn(console, 'log').mockImplementation(() => undefined); });
afterAll(() => { log.mockRestore(); });

async function verdicts(run: () => Promise<Verdict>): Promise<Verdict> {
  const before = tf.memory().numTensors;
  const v = await run();
  expect(tf.memory().numTensors).toBe(before);
  return v;
}

async function expectStatus(run: () => Promise<Verdict>, status: Verdict['status']): Promise<Verdict> {
  const v = await verdicts(run);
  expect(v.status, `${v.exercise}: ${v.message}`).toBe(status);
  return v;
}

const conv = (filters: number, kernelSize: number, strides = 1): tf.layers.Layer =>
  tf.layers.conv2d({ filters, kernelSize, strides, activation: 'relu', padding: 'same' });
const pool = (): tf.layers.Layer => tf.layers.maxPooling2d({ poolSize: 2 });
function cnn(body: tf.layers.Layer[], head: [number, number] = [128, 64]): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [28, 28, 1] }), ...body, tf.layers.flatten(),
      tf.layers.dense({ units: head[0], activation: 'relu' }), tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: head[1], activation: 'relu' }), tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

describe('notebook 05 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_05).toEqual(['05.1', '05.2', '05.3', '05.4', '05.5', '05.6']);
  });

  it('05.1 the CNN without pooling', async () => {
    const right = cnn([conv(64, 7), conv(128, 3), conv(128, 3)]);
    await expectStatus(() => ex.check05_1({ noPool: right }), 'passed');
    await expectStatus(() => ex.check05_1({ noPool: undefined }), 'missing');
    const wrong = cnn([conv(64, 7), pool(), conv(128, 3), conv(128, 3)]);
    await expectStatus(() => ex.check05_1({ noPool: wrong }), 'wrong');
    await expectStatus(() => ex.check05_1({ noPool: 3 }), 'wrong');
    right.dispose();
    wrong.dispose();
  });

  it('05.2 strided convolutions', async () => {
    const build = (): tf.Sequential => cnn([conv(64, 7, 2), conv(128, 3), conv(128, 3, 2)]);
    const speedup = (28 * 28 * 49 * 64 + 2 * 14 * 14 * 9 * 64 * 128 + 14 * 14 * 9 * 128 * 128 - 14 * 14 * 9 * 64 * 128)
      / (14 * 14 * 49 * 64 + 14 * 14 * 9 * 64 * 128 + 7 * 7 * 9 * 128 * 128);
    await expectStatus(() => ex.check05_2({ buildStridedCnn: build, speedup }), 'passed');
    await expectStatus(() => ex.check05_2({ buildStridedCnn: build }), 'missing');
    await expectStatus(() => ex.check05_2({ buildStridedCnn: undefined, speedup }), 'missing');
    await expectStatus(() => ex.check05_2({ buildStridedCnn: build, speedup: 4 }), 'wrong');
    // strides on the wrong convolutions (conv2 instead of conv1): shapes [28, 28, 64], [14, 14, 128], [7, 7, 128]
    const misplaced = (): tf.Sequential => cnn([conv(64, 7), conv(128, 3, 2), conv(128, 3, 2)]);
    const v = await expectStatus(() => ex.check05_2({ buildStridedCnn: misplaced, speedup }), 'wrong');
    expect(v.message).toContain('[28, 28, 64]');
    const shared = build();
    await expectStatus(() => ex.check05_2({ buildStridedCnn: () => shared, speedup }), 'wrong');
    shared.dispose();
  });

  it('05.3 top-k accuracy', async () => {
    const right = (p: tf.Tensor2D, labels: number[], k: number): number => {
      const { values, indices } = tf.topk(p, k);
      const ix = indices.arraySync() as number[][];
      tf.dispose([values, indices]);
      return ix.filter((row, i) => row.includes(labels[i])).length / ix.length;
    };
    await expectStatus(() => ex.check05_3({ topKAccuracy: right }), 'passed');
    await expectStatus(() => ex.check05_3({}), 'missing');
    const top1Only = (p: tf.Tensor2D, labels: number[]): number => right(p, labels, 1);
    await expectStatus(() => ex.check05_3({ topKAccuracy: (p: tf.Tensor2D, l: number[], _k: number) => top1Only(p, l) }), 'wrong');
  });

  it('05.4 strongest maps', async () => {
    const right = (maps: tf.Tensor4D, n: number): number[] => {
      const means = tf.tidy(() => maps.mean([0, 1, 2]).arraySync() as number[]);
      return means.map((m, i) => [m, i] as const).sort((a, b) => b[0] - a[0]).slice(0, n).map(([, i]) => i);
    };
    await expectStatus(() => ex.check05_4({ strongestMaps: right }), 'passed');
    await expectStatus(() => ex.check05_4({}), 'missing');
    const weakest = (maps: tf.Tensor4D, n: number): number[] => right(maps, 9).reverse().slice(0, n);
    await expectStatus(() => ex.check05_4({ strongestMaps: weakest }), 'wrong');
  });

  it('05.5 learning rates recorded', async () => {
    await expectStatus(() => ex.check05_5({ valAccuracy: { '0.01': 0.4, '0.001': 0.7 } }), 'passed');
    await expectStatus(() => ex.check05_5({}), 'missing');
    await expectStatus(() => ex.check05_5({ valAccuracy: { '0.01': 0.4 } }), 'wrong');
    await expectStatus(() => ex.check05_5({ valAccuracy: { '0.01': 40, '0.001': 0.7 } }), 'wrong');
  });

  it('05.6 a smaller CNN', async () => {
    const right = (): tf.Sequential => cnn([conv(32, 7), pool(), conv(64, 3), conv(64, 3), pool()], [64, 32]);
    await expectStatus(() => ex.check05_6({ buildSmallCnn: right }), 'passed');
    await expectStatus(() => ex.check05_6({}), 'missing');
    const headUnchanged = (): tf.Sequential => cnn([conv(32, 7), pool(), conv(64, 3), conv(64, 3), pool()]);
    await expectStatus(() => ex.check05_6({ buildSmallCnn: headUnchanged }), 'wrong');
  });
});

describe('notebook 02 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_02).toEqual(['02.1', '02.2', '02.3', '02.4', '02.5']);
  });

  const bigMlp = (stddev: number, outputActivation: 'linear' | 'softmax' = 'linear') => (): tf.Sequential => tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      ...Array.from({ length: 10 }, () => tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ stddev }) })),
      tf.layers.dense({ units: 10, activation: outputActivation }),
    ],
  });

  it('02.1 exploding gradients', async () => {
    await expectStatus(() => ex.check02_1({ buildBigMlp: bigMlp(0.3) }), 'passed');
    await expectStatus(() => ex.check02_1({}), 'missing');
    await expectStatus(() => ex.check02_1({ buildBigMlp: bigMlp(0.05) }), 'wrong');
    await expectStatus(() => ex.check02_1({ buildBigMlp: bigMlp(0.3, 'softmax') }), 'wrong');
  });

  it('02.2 momentum by hand', async () => {
    const right = (nesterov: boolean, steps: number, eta: number, beta: number): number[] => {
      let theta = 1;
      let m = 0;
      const out: number[] = [];
      for (let t = 0; t < steps; t++) {
        m = beta * m - eta * (nesterov ? theta + beta * m : theta);
        theta += m;
        out.push(nesterov ? theta + beta * m : theta);
      }
      return out;
    };
    await expectStatus(() => ex.check02_2({ momentumPath: right }), 'passed');
    await expectStatus(() => ex.check02_2({}), 'missing');
    const plainOnly = (_n: boolean, steps: number, eta: number, beta: number): number[] => right(false, steps, eta, beta);
    await expectStatus(() => ex.check02_2({ momentumPath: plainOnly }), 'wrong');
  });

  it('02.3 unfreezing the top layer', async () => {
    await expectStatus(() => ex.check02_3({ trainableTopOnly: 30201, topOnlyAccuracy: 0.7 }), 'passed');
    await expectStatus(() => ex.check02_3({ topOnlyAccuracy: 0.7 }), 'missing');
    const v = await expectStatus(() => ex.check02_3({ trainableTopOnly: 101, topOnlyAccuracy: 0.7 }), 'wrong');
    expect(v.hint).toContain('only the new output layer');
    await expectStatus(() => ex.check02_3({ trainableTopOnly: 30201, topOnlyAccuracy: 70 }), 'wrong');
  });

  it('02.4 halving per epoch', async () => {
    await expectStatus(() => ex.check02_4({ halveEachEpoch: (e: number, lr: number) => (e < 1 ? 0.05 : lr * 0.5) }), 'passed');
    await expectStatus(() => ex.check02_4({}), 'missing');
    await expectStatus(() => ex.check02_4({ halveEachEpoch: (_e: number, lr: number) => lr * 0.5 }), 'wrong');
  });

  it('02.5 batch normalisation per channel', async () => {
    const right = (x: number[][][][], gamma: number[], beta: number[], eps: number): number[][][][] => {
      const xt = tf.tensor4d(x);
      const out = tf.tidy(() => {
        const { mean, variance } = tf.moments(xt, [0, 1, 2]);
        return xt.sub(mean).div(variance.add(eps).sqrt()).mul(tf.tensor1d(gamma)).add(tf.tensor1d(beta)).arraySync() as number[][][][];
      });
      xt.dispose();
      return out;
    };
    // float32 tensors are within 1e-6 relative of the float64 reference
    await expectStatus(() => ex.check02_5({ batchNormChannels: right }), 'passed');
    await expectStatus(() => ex.check02_5({}), 'missing');
    const perBatchOnly = (x: number[][][][], gamma: number[], beta: number[], eps: number): number[][][][] =>
      x.map((img) => right([img], gamma, beta, eps)[0]);
    await expectStatus(() => ex.check02_5({ batchNormChannels: perBatchOnly }), 'wrong');
  });
});

describe('notebook 06 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_06).toEqual(['06.1', '06.2', '06.3', '06.4', '06.5', '06.6']);
  });

  it('06.1 VGG-19', async () => {
    const vgg19: LayerSpec[] = [];
    for (const l of vgg16Spec()) {
      vgg19.push(l);
      if (l.kind === 'conv2d' && /block[345]_conv3/.test(l.name ?? '')) vgg19.push({ ...l, name: (l.name ?? '').replace('conv3', 'conv4') });
    }
    await expectStatus(() => ex.check06_1({ vgg19 }), 'passed');
    await expectStatus(() => ex.check06_1({}), 'missing');
    await expectStatus(() => ex.check06_1({ vgg19: vgg16Spec() }), 'wrong');
    await expectStatus(() => ex.check06_1({ vgg19: 'vgg' }), 'wrong');
  });

  it('06.2 AlexNet on 224x224', async () => {
    const f9 = (shape: number[]): number => summarizeSpec(shape, alexnetSpec()).rows.find((r) => r.name === 'F9')!.params;
    await expectStatus(() => ex.check06_2({ f9Params224: f9([224, 224, 3]) }), 'passed');
    await expectStatus(() => ex.check06_2({}), 'missing');
    const v = await expectStatus(() => ex.check06_2({ f9Params224: f9([227, 227, 3]) }), 'wrong');
    expect(v.message).toContain('227x227');
  });

  it('06.3 ResNet-18', async () => {
    await expectStatus(() => ex.check06_3({ resnet18: { ...RESNET34, stages: RESNET34.stages.map((s) => ({ ...s, units: 2 })) } }), 'passed');
    await expectStatus(() => ex.check06_3({}), 'missing');
    await expectStatus(() => ex.check06_3({ resnet18: RESNET34 }), 'wrong');
  });

  it('06.4 bottleneck cost', async () => {
    const right = (input: [number, number, number], reduce: number, filters: number, kernel: number): number =>
      input[0] * input[1] * (input[2] * reduce + kernel * kernel * reduce * filters);
    await expectStatus(() => ex.check06_4({ bottleneckMultiplications: right }), 'passed');
    await expectStatus(() => ex.check06_4({}), 'missing');
    const naive = (input: [number, number, number], _r: number, filters: number, kernel: number): number => input[0] * input[1] * input[2] * kernel * kernel * filters;
    await expectStatus(() => ex.check06_4({ bottleneckMultiplications: naive }), 'wrong');
  });

  it('06.5 separable CNN', async () => {
    const sep = (filters: number, kernelSize: number): tf.layers.Layer => tf.layers.separableConv2d({ filters, kernelSize, activation: 'relu', padding: 'same' });
    await expectStatus(() => ex.check06_5({ buildSeparableCnn: () => cnn([conv(64, 7), pool(), sep(128, 3), sep(128, 3), pool()]) }), 'passed');
    await expectStatus(() => ex.check06_5({}), 'missing');
    await expectStatus(() => ex.check06_5({ buildSeparableCnn: () => cnn([sep(64, 7), pool(), sep(128, 3), sep(128, 3), pool()]) }), 'wrong');
  });

  it('06.6 bottleneck residual unit', async () => {
    const right = (x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor => {
      const c = (f: number, k: number, s: number): tf.layers.Layer => tf.layers.conv2d({ filters: f, kernelSize: k, strides: s, padding: 'same', useBias: false });
      const bn = (t: tf.SymbolicTensor): tf.SymbolicTensor => tf.layers.batchNormalization().apply(t) as tf.SymbolicTensor;
      const relu = (t: tf.SymbolicTensor): tf.SymbolicTensor => tf.layers.activation({ activation: 'relu' }).apply(t) as tf.SymbolicTensor;
      let y = relu(bn(c(filters, 1, 1).apply(x) as tf.SymbolicTensor));
      y = relu(bn(c(filters, 3, strides).apply(y) as tf.SymbolicTensor));
      y = bn(c(4 * filters, 1, 1).apply(y) as tf.SymbolicTensor);
      const skip = strides > 1 || x.shape[3] !== 4 * filters ? bn(c(4 * filters, 1, strides).apply(x) as tf.SymbolicTensor) : x;
      return relu(tf.layers.add().apply([y, skip]) as tf.SymbolicTensor);
    };
    await expectStatus(() => ex.check06_6({ bottleneckUnit: right }), 'passed');
    await expectStatus(() => ex.check06_6({}), 'missing');
    const plain = (x: tf.SymbolicTensor, filters: number, strides: number): tf.SymbolicTensor =>
      residualUnit(x, 4 * filters, strides, `plain${Math.random().toString(36).slice(2, 8)}`);
    await expectStatus(() => ex.check06_6({ bottleneckUnit: plain }), 'wrong');
  });
});

describe('notebook 04 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_04).toEqual(['04.1', '04.2', '04.3', '04.4', '04.5', '04.6', '04.7']);
  });

  it('04.1 Prewitt', async () => {
    const prewitt = (v: number[][]) => (image: V.Grid): V.Grid => V.combineGrids(
      V.convolve2d(image, V.gridFromRows(v), { mode: 'same', boundary: 'symm' }),
      V.convolve2d(image, V.gridFromRows(v[0].map((_, i) => v.map((r) => r[i]))), { mode: 'same', boundary: 'symm' }), Math.hypot);
    await expectStatus(() => ex.check04_1({ prewittMagnitude: prewitt([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]) }), 'passed');
    await expectStatus(() => ex.check04_1({}), 'missing');
    await expectStatus(() => ex.check04_1({ prewittMagnitude: prewitt([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]) }), 'wrong');
  });

  it('04.2 linearity', async () => {
    await expectStatus(() => ex.check04_2({ linearityGap: 2e-16 }), 'passed');
    await expectStatus(() => ex.check04_2({}), 'missing');
    await expectStatus(() => ex.check04_2({ linearityGap: 0.3 }), 'wrong');
  });

  it("04.3 'full' matrix", async () => {
    await expectStatus(() => ex.check04_3({ fullConvolutionMatrix: (h: number, w: number, k: number[][]) => V.gridToRows(V.convolutionMatrix(h, w, V.gridFromRows(k), { mode: 'full', flip: true })) }), 'passed');
    await expectStatus(() => ex.check04_3({}), 'missing');
    await expectStatus(() => ex.check04_3({ fullConvolutionMatrix: (h: number, w: number, k: number[][]) => V.gridToRows(V.convolutionMatrix(h, w, V.gridFromRows(k), { mode: 'full', flip: false })) }), 'wrong');
  });

  it('04.4 memory', async () => {
    await expectStatus(() => ex.check04_4({ c1Params: 3200, c1Multiplications: 2458624, c1BatchBytes: 6422528 }), 'passed');
    await expectStatus(() => ex.check04_4({ c1Params: 3200 }), 'missing');
    await expectStatus(() => ex.check04_4({ c1Params: 3136, c1Multiplications: 2458624, c1BatchBytes: 6422528 }), 'wrong');
  });

  it('04.5 output size', async () => {
    await expectStatus(() => ex.check04_5({ outputSize: (n: number, f: number, s: number, p: number) => Math.floor((n - f + 2 * p) / s) + 1 }), 'passed');
    await expectStatus(() => ex.check04_5({}), 'missing');
    await expectStatus(() => ex.check04_5({ outputSize: (n: number, f: number, s: number, p: number) => (n - f + 2 * p) / s + 1 }), 'wrong');
  });

  const correlate = (flip: boolean) => (image: number[][], kernel: number[][], stride: number): number[][] => {
    const [kh, kw] = [kernel.length, kernel[0].length];
    const out: number[][] = [];
    for (let y = 0; y + kh <= image.length; y += stride) {
      const row: number[] = [];
      for (let x = 0; x + kw <= image[0].length; x += stride) {
        let sum = 0;
        for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) sum += (flip ? kernel[kh - 1 - s][kw - 1 - t] : kernel[s][t]) * image[y + s][x + t];
        row.push(sum);
      }
      out.push(row);
    }
    return out;
  };

  it('04.6 strided correlation', async () => {
    await expectStatus(() => ex.check04_6({ correlateStrided: correlate(false) }), 'passed');
    await expectStatus(() => ex.check04_6({}), 'missing');
    await expectStatus(() => ex.check04_6({ correlateStrided: correlate(true) }), 'wrong');
  });

  it('04.7 max pooling', async () => {
    const pool = (reduce: (vs: number[]) => number) => (x: number[][], size: number, stride: number): number[][] => {
      const out: number[][] = [];
      for (let y = 0; y + size <= x.length; y += stride) {
        const row: number[] = [];
        for (let c = 0; c + size <= x[0].length; c += stride) row.push(reduce(x.slice(y, y + size).flatMap((r) => r.slice(c, c + size))));
        out.push(row);
      }
      return out;
    };
    await expectStatus(() => ex.check04_7({ maxPoolLoops: pool((vs) => Math.max(...vs)) }), 'passed');
    await expectStatus(() => ex.check04_7({}), 'missing');
    await expectStatus(() => ex.check04_7({ maxPoolLoops: pool((vs) => vs.reduce((a, b) => a + b, 0) / vs.length) }), 'wrong');
  });
});

describe('notebook 03 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_03).toEqual(['03.1', '03.2', '03.3', '03.4', '03.5', '03.6']);
  });

  it('03.1 Monte Carlo dropout', async () => {
    const right = (m: tf.LayersModel, x: tf.Tensor, runs: number) => tf.tidy(() => {
      const all = tf.stack(Array.from({ length: runs }, () => m.apply(x, { training: true }) as tf.Tensor));
      const { mean, variance } = tf.moments(all, 0);
      return { mean, std: variance.sqrt() };
    });
    await expectStatus(() => ex.check03_1({ mcDropout: right }), 'passed');
    await expectStatus(() => ex.check03_1({}), 'missing');
    const noDropout = (m: tf.LayersModel, x: tf.Tensor, runs: number) => tf.tidy(() => {
      const all = tf.stack(Array.from({ length: runs }, () => m.apply(x, { training: false }) as tf.Tensor));
      const { mean, variance } = tf.moments(all, 0);
      return { mean, std: variance.sqrt() };
    });
    await expectStatus(() => ex.check03_1({ mcDropout: noDropout }), 'wrong');
    const leaky = (m: tf.LayersModel, x: tf.Tensor, runs: number) => {
      const all = tf.stack(Array.from({ length: runs }, () => m.apply(x, { training: true }) as tf.Tensor));
      return { mean: all.mean(0), std: tf.moments(all, 0).variance.sqrt() };
    };
    const before = tf.memory().numTensors;
    tf.engine().startScope(); // the tensors the leaky answer leaves are freed when the scope ends
    const v = await ex.check03_1({ mcDropout: leaky });
    tf.engine().endScope();
    expect(v.status).toBe('wrong');
    expect(v.message).toContain('tensor(s) behind');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('03.2 dropout rate', async () => {
    const mlp = (dropOutput: boolean) => (rate: number): tf.Sequential => tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dropout({ rate }),
        tf.layers.dense({ units: 300, activation: 'elu' }), tf.layers.dropout({ rate }),
        tf.layers.dense({ units: 100, activation: 'elu' }), ...(dropOutput ? [tf.layers.dropout({ rate })] : []),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    await expectStatus(() => ex.check03_2({ dropoutMlp: mlp(true) }), 'passed');
    await expectStatus(() => ex.check03_2({}), 'missing');
    await expectStatus(() => ex.check03_2({ dropoutMlp: mlp(false) }), 'wrong');
  });

  it('03.3 L2 penalty', async () => {
    const penalty = (all: boolean) => (m: tf.LayersModel, lambda: number): number => {
      const denses = m.layers.filter((l) => l.getClassName() === 'Dense');
      return (all ? denses : denses.slice(0, -1)).reduce((s, l) => s + lambda * tf.tidy(() => l.getWeights()[0].square().sum().dataSync()[0]), 0);
    };
    await expectStatus(() => ex.check03_3({ l2Penalty: penalty(false) }), 'passed');
    await expectStatus(() => ex.check03_3({}), 'missing');
    await expectStatus(() => ex.check03_3({ l2Penalty: penalty(true) }), 'wrong');
  });

  it('03.4 strong L1 recorded', async () => {
    await expectStatus(() => ex.check03_4({ strongL1: { valAccuracy: 0.5, zeroShare: 0.4 } }), 'passed');
    await expectStatus(() => ex.check03_4({}), 'missing');
    await expectStatus(() => ex.check03_4({ strongL1: { valAccuracy: 0.5, zeroShare: 40 } }), 'wrong');
  });

  it('03.5 patience', async () => {
    await expectStatus(() => ex.check03_5({ epochsRun: { 1: 3, 5: 7 }, maxEpochs: 10 }), 'passed');
    await expectStatus(() => ex.check03_5({ maxEpochs: 10 }), 'missing');
    await expectStatus(() => ex.check03_5({ epochsRun: { 1: 7, 5: 3 }, maxEpochs: 10 }), 'wrong');
    await expectStatus(() => ex.check03_5({ epochsRun: { 1: 3, 5: 12 }, maxEpochs: 10 }), 'wrong');
  });

  it('03.6 plateau rates', async () => {
    const right = (losses: number[], lr: number, factor: number, patience: number): number[] => {
      let best = Infinity;
      let wait = 0;
      let rate = lr;
      return losses.map((loss) => {
        if (loss < best) { best = loss; wait = 0; } else if (++wait >= patience) { rate *= factor; wait = 0; }
        return rate;
      });
    };
    await expectStatus(() => ex.check03_6({ plateauRates: right }), 'passed');
    await expectStatus(() => ex.check03_6({}), 'missing');
    const noReset = (losses: number[], lr: number, factor: number, patience: number): number[] => {
      let best = Infinity;
      let wait = 0;
      let rate = lr;
      return losses.map((loss) => {
        if (loss < best) { best = loss; wait = 0; } else if (++wait >= patience) rate *= factor;
        return rate;
      });
    };
    await expectStatus(() => ex.check03_6({ plateauRates: noReset }), 'wrong');
  });
});

describe('notebook 01 checks', () => {
  it('lists its exercises', () => {
    expect(ex.EXERCISES_01).toEqual(['01.1', '01.2', '01.3', '01.4', '01.5']);
  });

  it('01.1 cross-entropy', async () => {
    await expectStatus(() => ex.check01_1({ crossEntropy: (l: number[], p: number[][]) => l.reduce((s, k, i) => s - Math.log(p[i][k]), 0) / l.length }), 'passed');
    await expectStatus(() => ex.check01_1({}), 'missing');
    await expectStatus(() => ex.check01_1({ crossEntropy: (l: number[], p: number[][]) => l.reduce((s, k, i) => s - Math.log(p[i][k]), 0) }), 'wrong');
  });

  it('01.2 learning rates', async () => {
    const accs = { '0.001': 0.5, '0.01': 0.7, '0.1': 0.6 };
    await expectStatus(() => ex.check01_2({ valAccuracyByRate: accs, bestRate: 0.01 }), 'passed');
    await expectStatus(() => ex.check01_2({ bestRate: 0.01 }), 'missing');
    await expectStatus(() => ex.check01_2({ valAccuracyByRate: accs, bestRate: 0.1 }), 'wrong');
    await expectStatus(() => ex.check01_2({ valAccuracyByRate: { '0.001': 0.5, '0.01': 0.7 }, bestRate: 0.01 }), 'wrong');
  });

  it('01.3 counting parameters', async () => {
    const mlp = (hidden: number[]): tf.Sequential => tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28] }), ...hidden.map((units) => tf.layers.dense({ units, activation: 'relu' })), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    const params = (sizes: number[]): number => sizes.slice(1).reduce((a, m, i) => a + sizes[i] * m + m, 0);
    const right = mlp([512, 256, 128]);
    await expectStatus(() => ex.check01_3({ mlpParams: params, mlp3: right }), 'passed');
    await expectStatus(() => ex.check01_3({ mlp3: right }), 'missing');
    await expectStatus(() => ex.check01_3({ mlpParams: (sizes: number[]) => sizes.slice(1).reduce((a, m, i) => a + sizes[i] * m, 0), mlp3: right }), 'wrong');
    const wrongModel = mlp([512, 256]);
    await expectStatus(() => ex.check01_3({ mlpParams: params, mlp3: wrongModel }), 'wrong');
    right.dispose();
    wrongModel.dispose();
  });

  it('01.4 confident mistakes', async () => {
    const mistakes = (sortBy: 'conf' | 'index') => (probs: number[][], labels: number[], k: number): number[] => probs
      .map((row, i) => ({ i, pred: row.indexOf(Math.max(...row)), conf: Math.max(...row) }))
      .filter((r) => r.pred !== labels[r.i])
      .sort((a, b) => (sortBy === 'conf' ? b.conf - a.conf : a.i - b.i))
      .slice(0, k)
      .map((r) => r.i);
    await expectStatus(() => ex.check01_4({ confidentMistakes: mistakes('conf') }), 'passed');
    await expectStatus(() => ex.check01_4({}), 'missing');
    await expectStatus(() => ex.check01_4({ confidentMistakes: mistakes('index') }), 'wrong');
  });

  it('01.5 validation split', async () => {
    await expectStatus(() => ex.check01_5({ validatedOn: [270, 299], subsetSize: 300 }), 'passed');
    await expectStatus(() => ex.check01_5({ subsetSize: 300 }), 'missing');
    await expectStatus(() => ex.check01_5({ validatedOn: [0, 29], subsetSize: 300 }), 'wrong');
  });
});
