// Each model a notebook of 07-12 writes layer by layer is pinned to its library twin: the
// notebook's own code (read from notebooks-src/) builds the model, the library's builder builds
// the twin, and both must have the same layer types, output shapes and parameter counts.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../lib/random';
import * as R from '../lib/rnn';
import * as U from '../lib/unsupervised';
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
    const b = U.buildLinearAutoencoder({ inputShape: [28, 28], codeSize: 2 });
    expectAutoencoderTwins(a, b);
    const c = stacked();
    const d = U.buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
    expectAutoencoderTwins(c, d);
    expect(c.autoencoder.countParams()).toBe(163_814);
    dispose(a, b, c, d);
  });

  it('the notebook DenseTranspose ties like the library one: same shapes, parameters and outputs', () => {
    const tiedAutoencoder = notebookCode<() => Parts>(NB, ['DenseTranspose', 'tiedAutoencoder'], scope);
    const mine = tiedAutoencoder();
    const twin = U.buildTiedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' });
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
    const twin = U.buildConvAutoencoder({ inputShape: [28, 28] });
    expectAutoencoderTwins(mine, twin);
    dispose(mine, twin);
  });
});
