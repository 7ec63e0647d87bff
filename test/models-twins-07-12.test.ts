// Each model a notebook of 07-12 writes layer by layer is pinned to its library twin: the
// notebook's own code (read from notebooks-src/) builds the model, the library's builder builds
// the twin, and both must have the same layer types, output shapes and parameter counts.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../lib/random';
import * as R from '../lib/rnn';
import * as L from '../lib/layers';
import * as M from '../lib/models';
import { disposeModels } from '../lib/train';
import { notebookCode } from './helpers/notebook-code';

/** Layer class names, output shapes and parameter counts, layer by layer. */
function anatomy(m: tf.LayersModel): { layers: string[]; shapes: string[]; params: number[]; total: number } {
  return {
    layers: m.layers.map((l) => l.getClassName()),
    shapes: m.layers.map((l) => JSON.stringify(l.outputShape)),
    params: m.layers.map((l) => l.countParams()),
    total: m.countParams(),
  };
}

function expectTwins(a: tf.LayersModel, b: tf.LayersModel): void {
  expect(anatomy(a)).toEqual(anatomy(b));
}

/** The same, ignoring InputLayers (a Sequential lists none, a functional model lists its inputs). */
function anatomyNoInput(m: tf.LayersModel): ReturnType<typeof anatomy> {
  const a = anatomy(m);
  const keep = a.layers.map((l) => l !== 'InputLayer');
  return { layers: a.layers.filter((_, i) => keep[i]), shapes: a.shapes.filter((_, i) => keep[i]), params: a.params.filter((_, i) => keep[i]), total: a.total };
}

interface Parts { encoder: tf.LayersModel; decoder: tf.LayersModel; autoencoder: tf.LayersModel }

/** Encoder and decoder layer by layer, and the whole autoencoder's input, output and parameters. */
function expectAutoencoderTwins(mine: Parts, twin: Parts): void {
  expect(anatomyNoInput(mine.encoder)).toEqual(anatomyNoInput(twin.encoder));
  expect(anatomyNoInput(mine.decoder)).toEqual(anatomyNoInput(twin.decoder));
  expect(mine.autoencoder.countParams()).toBe(twin.autoencoder.countParams());
  expect(mine.autoencoder.inputs[0].shape).toEqual(twin.autoencoder.inputs[0].shape);
  expect(mine.autoencoder.outputs[0].shape).toEqual(twin.autoencoder.outputs[0].shape);
  expect(mine.autoencoder.trainableWeights.length).toBe(twin.autoencoder.trainableWeights.length);
}

describe('notebook 07', () => {
  const NB = '07-rnn-lstm-gru.ts';
  it('the four RNN shapes equal R.rnnShapeModel', () => {
    const S = { inSteps: 6, outSteps: 4, features: 3, units: 5, outputs: 2 };
    const shapeModel = notebookCode<(s: R.RnnShape) => tf.Sequential>(NB, ['shapeModel'], { tf, S });
    for (const shape of R.RNN_SHAPES) {
      const mine = shapeModel(shape);
      const twin = R.rnnShapeModel(shape, S);
      expectTwins(mine, twin);
      mine.dispose();
      twin.dispose();
    }
  });

  it('the compared sequence models equal R.sequenceRegressor (same layers, sigmoid gates, forget bias 1)', () => {
    const build = notebookCode<(k: R.SequenceModelKind, steps: number, features: number, units: number) => tf.Sequential>(NB, ['buildSequenceModel'], { tf, R });
    const before = tf.memory().numTensors;
    for (const kind of R.SEQUENCE_MODEL_KINDS) {
      const mine = build(kind, 20, 2, 8);
      const twin = R.sequenceRegressor(kind, { steps: 20, features: 2, units: 8 });
      expectTwins(mine, twin);
      if (kind === 'lstm') {
        const bias = mine.layers[0].getWeights()[2].dataSync();
        expect(Array.from(bias.slice(8, 16))).toEqual(new Array(8).fill(1));
        expect((mine.layers[0].getConfig() as { recurrentActivation: string }).recurrentActivation).toBe('sigmoid');
      }
      mine.dispose();
      twin.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the hand-written steps equal the library cells', () => {
    const scope: Record<string, unknown> = { R, Math };
    const helpers = ['matVec', 'add', 'mul', 'sigmoid', 'zeros', 'gatePre'];
    const lstmStep = notebookCode<(w: R.LstmWeights, x: number[], h: number[], c: number[]) => { h: number[]; c: number[] }>(NB, [...helpers, 'lstmStep'], scope);
    const gruStep = notebookCode<(w: R.GruWeights, x: number[], h: number[]) => { h: number[] }>(NB, [...helpers, 'gruStep'], scope);
    const elmanStep = notebookCode<(w: R.ElmanWeights, x: number[], h: number[]) => { h: number[]; y: number[] }>(NB, [...helpers, 'elmanStep'], scope);
    const rng = makeRng(3);
    const lw = R.randomLstmWeights({ inputs: 3, units: 4 }, rng, 0.7);
    const gw = R.randomGruWeights({ inputs: 3, units: 4 }, rng, 0.7);
    const ew = R.randomElmanWeights({ inputs: 3, units: 4, outputs: 2 }, rng, 0.7);
    const x = [0.3, -1.2, 0.8];
    const h = [0.1, -0.2, 0.3, 0.05];
    const c = [0.5, -0.1, 0.2, 0];
    const L = lstmStep(lw, x, h, c);
    const l = R.lstmStep(lw, x, h, c);
    L.h.forEach((v, k) => expect(v).toBeCloseTo(l.h[k], 12));
    L.c.forEach((v, k) => expect(v).toBeCloseTo(l.c[k], 12));
    gruStep(gw, x, h).h.forEach((v, k) => expect(v).toBeCloseTo(R.gruStep(gw, x, h).h[k], 12));
    const e = elmanStep(ew, x, h);
    e.y.forEach((v, k) => expect(v).toBeCloseTo(R.elmanStep(ew, x, h).y[k], 12));
  });
});

describe('notebook 08', () => {
  const NB = '08-pca-vs-autoencoders.ts';
  const scope = { tf };
  const dispose = (...ms: Parts[]) => disposeModels(ms.map((m) => m.autoencoder));

  it('the linear and stacked autoencoders equal the library builders', () => {
    const linear = notebookCode<(k: number) => Parts>(NB, ['linearAutoencoder'], scope);
    const stacked = notebookCode<() => Parts>(NB, ['stackedAutoencoder'], scope);
    const a = linear(2);
    const b = M.buildLinearAutoencoder({ inputShape: [28, 28], codeSize: 2 });
    expectAutoencoderTwins(a, b);
    const c = stacked();
    const d = M.buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
    expectAutoencoderTwins(c, d);
    expect(c.autoencoder.countParams()).toBe(163_814);
    dispose(a, b, c, d);
  });

  it('the notebook DenseTranspose ties like the library one: same shapes, parameters and outputs', () => {
    const tiedAutoencoder = notebookCode<() => Parts>(NB, ['DenseTranspose', 'tiedAutoencoder'], scope);
    const mine = tiedAutoencoder();
    const twin = M.buildTiedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
    expectAutoencoderTwins(mine, twin);
    expect(mine.autoencoder.countParams()).toBe(82_414);
    // same weights -> same reconstruction
    twin.autoencoder.setWeights(mine.autoencoder.getWeights());
    const x = tf.randomUniform([3, 28, 28], 0, 1, 'float32', 5);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(mine.autoencoder.predict(x) as tf.Tensor, twin.autoencoder.predict(x) as tf.Tensor))).dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    x.dispose();
    dispose(mine, twin);
  });

  it('the convolutional autoencoder equals buildConvAutoencoder', () => {
    const conv = notebookCode<() => Parts>(NB, ['convAutoencoder'], scope);
    const mine = conv();
    const twin = M.buildConvAutoencoder({ inputShape: [28, 28] });
    expectAutoencoderTwins(mine, twin);
    dispose(mine, twin);
  });
});

describe('notebook 09', () => {
  const NB = '09-denoising-sparse-autoencoders.ts';
  const dispose = (...ms: Parts[]) => disposeModels(ms.map((m) => m.autoencoder));

  it('the dropout denoising autoencoder equals buildDenoisingAutoencoder', () => {
    const build = notebookCode<() => Parts>(NB, ['dropoutDenoisingAutoencoder'], { tf });
    const mine = build();
    const twin = M.buildDenoisingAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', inputNoise: { kind: 'dropout', rate: 0.5 } });
    expectAutoencoderTwins(mine, twin);
    dispose(mine, twin);
  });

  it('the sparse autoencoders equal the library ones, and the notebook penalty equals the library penalty', () => {
    const build = notebookCode<(p?: { kind: 'kl' | 'l1'; weight: number; target?: number }) => Parts>(NB, ['SparsityRegularization', 'sparseAutoencoder'], { tf });
    const plain = build();
    const plainTwin = M.buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', codeActivation: 'sigmoid' });
    expectAutoencoderTwins(plain, plainTwin);
    const kl = build({ kind: 'kl', weight: 0.05, target: 0.1 });
    const klTwin = M.buildSparseAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 300], activation: 'selu', sparsity: { penalty: 'kl', weight: 0.05, target: 0.1 } });
    expectAutoencoderTwins(kl, klTwin);
    const layer = kl.encoder.layers.at(-1) as unknown as { penaltyOf(a: tf.Tensor): tf.Scalar };
    const a = tf.randomUniform([8, 300], 0.01, 0.99, 'float32', 3);
    const mine = tf.tidy(() => layer.penaltyOf(a).dataSync()[0]);
    const want = tf.tidy(() => L.klSparsity(a, 0.1).mul(0.05 / 8).dataSync()[0]);
    expect(mine).toBeCloseTo(want, 5);
    a.dispose();
    dispose(plain, plainTwin, kl, klTwin);
  });
});

describe('notebook 12', () => {
  const NB = '12-variational-autoencoders.ts';
  const dispose = (...ms: Parts[]) => disposeModels(ms.map((m) => m.autoencoder));

  it('the VAE equals buildVariationalAutoencoder, and its Sampling layer adds the weighted KL in training only', () => {
    const build = notebookCode<(latent: number, klWeight?: number) => Parts>(NB, ['klDivergence', 'Sampling', 'variationalAutoencoder'], { tf });
    for (const latent of [10, 2]) {
      const mine = build(latent);
      const twin = M.buildVariationalAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100], latentDim: latent });
      expectAutoencoderTwins(mine, twin);
      dispose(mine, twin);
    }
    const vae = build(3, 0.5);
    const sampling = vae.encoder.layers.find((l) => l.getClassName() === 'Sampling')!;
    const mean = tf.tensor2d([[0.5, -1, 0], [1, 0, 2]]);
    const logVar = tf.tensor2d([[0, 0.3, -1], [0.2, 0, 0]]);
    const z = sampling.apply([mean, logVar], { training: true }) as tf.Tensor;
    expect(z.shape).toEqual([2, 3]);
    expect(sampling.losses.length).toBe(1);
    const added = tf.tidy(() => (sampling.losses[0] as unknown as () => tf.Scalar)().dataSync()[0]);
    const want = tf.tidy(() => L.klDivergence(mean, logVar).mul(0.5).dataSync()[0]);
    expect(added).toBeCloseTo(want, 5);
    const zInference = sampling.apply([mean, logVar], { training: false }) as tf.Tensor;
    expect(sampling.losses.length).toBe(1); // no KL added outside training
    tf.dispose([mean, logVar, z, zInference]);
    dispose(vae);
  });

  it('the plain autoencoder equals buildStackedAutoencoder with a linear 10-d code', () => {
    const build = notebookCode<(k: number) => Parts>(NB, ['plainAutoencoder'], { tf });
    const mine = build(10);
    const twin = M.buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [150, 100, 10], activation: 'selu', codeActivation: 'linear', outputActivation: 'sigmoid' });
    expectAutoencoderTwins(mine, twin);
    dispose(mine, twin);
  });
});

describe('notebook 11', () => {
  it('the functional 32-16-7 autoencoder equals buildStackedAutoencoder', () => {
    const build = notebookCode<(n: number) => Parts>('11-tabular-autoencoder.ts', ['housingAutoencoder'], { tf });
    for (const n of [8, 13]) {
      const mine = build(n);
      const twin = M.buildStackedAutoencoder({ inputShape: [n], hiddenSizes: [32, 16, 7], activation: 'relu', outputActivation: 'sigmoid' });
      expectAutoencoderTwins(mine, twin);
      disposeModels([mine.autoencoder, twin.autoencoder]);
    }
  });
});
