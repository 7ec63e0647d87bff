// Each model notebooks 01-06 write layer by layer is pinned to its library twin (the builder later
// notebooks, tests and the benchmark reuse): same layer types, output shapes and parameter counts.
// The test runs the notebook's own function (parsed from notebooks-src with the TypeScript
// compiler), not a copy of it, so neither side can drift without this test failing.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildSeedCnn } from '../lib/models';
import { describeLayers } from '../lib/exercises/model-answers';
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
  it("05: buildCnn() is the library's buildSeedCnn()", () => {
    const { buildCnn } = notebookFunctions('05-', ['buildCnn'], { tf });
    expectTwins(buildCnn() as tf.LayersModel, buildSeedCnn());
  });
});
