// Each model notebooks 01-06 write layer by layer is pinned to its library twin (the builder later
// notebooks, tests and the benchmark reuse): same layer types, output shapes and parameter counts.
// The test runs the notebook's own function (parsed from notebooks-src with the TypeScript
// compiler), not a copy of it, so neither side can drift without this test failing.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { GOOGLENET_3A, SMALL_RESNET_FASHION, buildInceptionDemo, buildLenet5, buildResNet, buildSeedCnn, residualUnit } from '../lib/models';
import { BatchNormByHand, maxAbsDifference, seedMlp } from '../lib/deep';
import { dense, l1, l2 } from '../lib/layers';
import { describeLayers } from '../lib/exercises/model-answers';
import { convolutionMatrix, convolve2d, gridFromRows, gridToRows } from '../lib/vision';
import { notebookFunctions } from './helpers/notebook-code';

function expectTwins(notebookModel: tf.LayersModel, libraryModel: tf.LayersModel): void {
  const layers = describeLayers(notebookModel);
  expect(layers.length).toBeGreaterThan(1);
  expect(layers).toEqual(describeLayers(libraryModel));
  expect(notebookModel.countParams()).toBe(libraryModel.countParams());
  notebookModel.dispose();
  libraryModel.dispose();
}

describe('notebook models match their library twins', () => {
  it("01: buildMlp() is the library's seedMlp()", () => {
    const { buildMlp } = notebookFunctions('01-', ['buildMlp'], { tf, dense });
    expectTwins(buildMlp() as tf.LayersModel, seedMlp());
  });

  it("05: buildCnn() is the library's buildSeedCnn()", () => {
    const { buildCnn } = notebookFunctions('05-', ['buildCnn'], { tf });
    expectTwins(buildCnn() as tf.LayersModel, buildSeedCnn());
  });

  it("02: sigmoidMlp, buildBnAfter and buildBnBefore are the library's seedMlp variants", () => {
    const nb = notebookFunctions('02-', ['sigmoidMlp', 'buildBnAfter', 'buildBnBefore'], { tf, dense });
    expectTwins(nb.sigmoidMlp() as tf.LayersModel, seedMlp({ activation: 'sigmoid' }));
    expectTwins(nb.buildBnAfter() as tf.LayersModel, seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', batchNorm: 'after' }));
    expectTwins(nb.buildBnBefore() as tf.LayersModel, seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', batchNorm: 'before' }));
  });

  it("02: the notebook's batch normalisation by hand equals the library's BatchNormByHand", () => {
    const nb = notebookFunctions('02-', ['batchNormTraining', 'movingAverage', 'batchNormInference'], {});
    type Rows = number[][];
    const training = nb.batchNormTraining as unknown as (x: Rows, g: number[], b: number[], e: number) => { y: Rows; mean: number[]; variance: number[] };
    const moving = nb.movingAverage as unknown as (m: number[], b: number[], mo: number) => number[];
    const inference = nb.batchNormInference as unknown as (x: Rows, mm: number[], mv: number[], g: number[], b: number[], e: number) => Rows;
    const lib = new BatchNormByHand({ features: 3, momentum: 0.9, epsilon: 1e-3 });
    lib.gamma = [0.5, 2, -1];
    lib.beta = [1, 0, 3];
    let mm = lib.movingMean.slice();
    let mv = lib.movingVariance.slice();
    for (let step = 0; step < 3; step++) {
      const x = Array.from({ length: 8 }, (_, i) => [i * 0.5 + step, Math.sin(i + step) * 10, (i % 3) - step]);
      const ours = training(x, lib.gamma, lib.beta, 1e-3);
      const theirs = lib.forwardTraining(x);
      expect(maxAbsDifference(ours.y, theirs.y)).toBeLessThan(1e-12);
      mm = moving(mm, ours.mean, 0.9);
      mv = moving(mv, ours.variance, 0.9);
      expect(maxAbsDifference([mm, mv], [lib.movingMean, lib.movingVariance])).toBeLessThan(1e-12);
    }
    const xt = [[1, 2, 3], [-4, 5, 0.5]];
    expect(maxAbsDifference(inference(xt, mm, mv, lib.gamma, lib.beta, 1e-3), lib.forwardInference(xt))).toBeLessThan(1e-12);
  });

  it("06: buildLenet5, inceptionModule, residualUnit and buildSmallResNet are the library's", () => {
    const nb = notebookFunctions('06-', ['buildLenet5', 'inceptionModule', 'residualUnit', 'buildSmallResNet'], { tf });
    expectTwins(nb.buildLenet5() as tf.LayersModel, buildLenet5());
    const input = tf.input({ shape: [28, 28, 192], name: 'inception_input' });
    const inception = nb.inceptionModule as unknown as (x: tf.SymbolicTensor, f: typeof GOOGLENET_3A, name: string) => tf.SymbolicTensor;
    expectTwins(tf.model({ inputs: input, outputs: inception(input, GOOGLENET_3A, 'inception') }), buildInceptionDemo([28, 28, 192], GOOGLENET_3A));
    const unit = nb.residualUnit as unknown as (x: tf.SymbolicTensor, filters: number, strides: number, name: string) => tf.SymbolicTensor;
    for (const [shape, filters, strides] of [[[8, 8, 16], 16, 1], [[56, 56, 64], 128, 2]] as const) {
      const a = tf.input({ shape: shape.slice() });
      const b = tf.input({ shape: shape.slice() });
      expectTwins(tf.model({ inputs: a, outputs: unit(a, filters, strides, 'u') }), tf.model({ inputs: b, outputs: residualUnit(b, filters, strides, 'u') }));
    }
    expectTwins(nb.buildSmallResNet() as tf.LayersModel, buildResNet(SMALL_RESNET_FASHION));
  });

  it("04: the notebook's convolution loops and matrices equal lib/vision's", () => {
    const nb = notebookFunctions('04-', ['convolve2dLoops', 'convolutionMatrixLoops', 'circulantMatrixLoops'], {});
    type Rows = number[][];
    const loops = nb.convolve2dLoops as unknown as (i: Rows, k: Rows) => Rows;
    const gMatrix = nb.convolutionMatrixLoops as unknown as (h: number, w: number, k: Rows) => Rows;
    const cMatrix = nb.circulantMatrixLoops as unknown as (h: number, w: number, k: Rows) => Rows;
    const image = Array.from({ length: 6 }, (_, y) => Array.from({ length: 7 }, (_, x) => ((y * 7 + x) * 37) % 11 - 5));
    for (const kernel of [[[1, 2, 0], [-1, 3, 1], [0, 0, 2]], [[1, -1], [2, 0]], [[1, 2, 3, 4, 5]]]) {
      const k = gridFromRows(kernel);
      expect(loops(image, kernel)).toEqual(gridToRows(convolve2d(gridFromRows(image), k, { mode: 'valid' })));
      expect(gMatrix(6, 7, kernel)).toEqual(gridToRows(convolutionMatrix(6, 7, k, { mode: 'valid', flip: false })));
    }
    for (const kernel of [[[1, 2, 0], [-1, 3, 1], [0, 0, 2]], [[0, 1, 0, 2, 0], [1, 1, 1, 1, 1], [3, 0, 0, 0, 1]]]) {
      expect(cMatrix(5, 6, kernel)).toEqual(gridToRows(convolutionMatrix(5, 6, gridFromRows(kernel), { mode: 'same', boundary: 'wrap', flip: true })));
    }
  });

  it("03: regularizedMlp and buildDropoutMlp are the library's seedMlp variants, penalties included", () => {
    const nb = notebookFunctions('03-', ['regularizedMlp', 'buildDropoutMlp'], { tf, dense });
    const regularized = nb.regularizedMlp as unknown as (penalty?: () => ReturnType<typeof l2>) => tf.Sequential;
    for (const penalty of [undefined, () => l2(1e-3), () => l1(1e-4)]) {
      const ours = regularized(penalty);
      const lib = seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', kernelRegularizer: penalty });
      const regs = (m: tf.LayersModel): string[] => m.layers.map((l) => JSON.stringify((l.getConfig() as { kernelRegularizer?: unknown }).kernelRegularizer ?? null));
      expect(regs(ours)).toEqual(regs(lib));
      expectTwins(ours, lib);
    }
    expectTwins(nb.buildDropoutMlp() as tf.LayersModel, seedMlp({ activation: 'elu', kernelInitializer: 'he_normal', dropout: 0.2 }));
  });
});
