// Each model a notebook of 07-12 writes layer by layer is pinned to its library twin: the
// notebook's own code (read from notebooks-src/) builds the model, the library's builder builds
// the twin, and both must have the same layer types, output shapes and parameter counts.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../lib/random';
import * as R from '../lib/rnn';
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
