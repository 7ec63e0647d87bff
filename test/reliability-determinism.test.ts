// Determinism of the training entry points beyond lib/train/fit (whose seeded runs are checked
// in test/train-fit.test.ts and test/backend.test.ts): with the same global seed, two runs give
// bit-identical weights and histories, including the random parts (VAE sampling, dropout,
// denoising noise, shuffling). A different seed gives different numbers, so the check is not
// vacuous.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeRng, setGlobalSeed } from '../lib/random';
import { buildDenoisingAutoencoder } from '../lib/models/autoencoders';
import { buildVariationalAutoencoder } from '../lib/models/vae';
import { compile } from '../lib/train/compile';
import { fit } from '../lib/train/fit';
import { experimentData, fitExtractor, type LabelledSet } from '../lib/unsupervised/feature-experiment';
import { trainGreedyLayerwise } from '../lib/unsupervised/greedy';

/** `n` rows of `d` values in [0, 1] (three noisy prototypes), labels 0..2. */
function blobs(n: number, d: number, seed: number): { x: Float32Array; labels: number[] } {
  const rng = makeRng(seed);
  const x = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(i % 3);
    for (let j = 0; j < d; j++) x[i * d + j] = Math.min(1, Math.max(0, ((j + i) % 3 === 0 ? 0.85 : 0.15) + 0.1 * rng.normal()));
  }
  return { x, labels };
}

const weightsOf = (m: tf.LayersModel): number[][] => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('seeded training entry points repeat exactly', () => {
  it('VAE (sampling noise) and denoising AE (dropout on the inputs) trained with lib fit', async () => {
    const x = tf.tensor2d(blobs(40, 12, 1).x, [40, 12]);
    const run = async (seed: number, kind: 'vae' | 'dae'): Promise<{ weights: number[][]; loss: number[] }> => {
      setGlobalSeed(seed);
      const { autoencoder } =
        kind === 'vae'
          ? buildVariationalAutoencoder({ inputShape: [12], hiddenSizes: [6], latentDim: 2 })
          : buildDenoisingAutoencoder({ inputShape: [12], hiddenSizes: [6], inputNoise: { kind: 'dropout', rate: 0.3 } });
      compile(autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
      const h = await fit(autoencoder, x, x, { epochs: 3, batchSize: 8, verbose: 0 });
      const out = { weights: weightsOf(autoencoder), loss: h.history.loss };
      autoencoder.dispose();
      return out;
    };
    for (const kind of ['vae', 'dae'] as const) {
      const a = await run(7, kind);
      const b = await run(7, kind);
      expect(b.loss).toEqual(a.loss);
      expect(b.weights).toEqual(a.weights);
      const c = await run(8, kind);
      expect(c.loss).not.toEqual(a.loss);
    }
    x.dispose();
  });

  it('greedy layer-wise training: the same stage losses and stacked weights', async () => {
    const x = tf.tensor2d(blobs(48, 9, 2).x, [48, 9]);
    const run = async (seed: number): Promise<{ losses: number[][]; weights: number[][] }> => {
      setGlobalSeed(seed);
      const r = await trainGreedyLayerwise(x, { inputShape: [9], hiddenSizes: [5, 2], epochs: 2, batchSize: 16 });
      const out = { losses: r.stages.map((s) => s.loss), weights: weightsOf(r.autoencoder) };
      r.autoencoder.dispose();
      return out;
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect((await run(4)).losses).not.toEqual(a.losses);
    x.dispose();
  });

  it('the seed-002 DAE extractor (noise drawn per epoch, early stopping): the same errors and weights', async () => {
    const set = (n: number, seed: number): LabelledSet => ({ ...blobs(n, 10, seed), nFeatures: 10 });
    const data = experimentData(set(30, 3), set(9, 4), set(9, 5), [0, 1, 2]);
    const run = async (seed: number): Promise<{ errors: unknown; epochs: number; weights: number[] }> => {
      setGlobalSeed(seed);
      const ex = await fitExtractor({ kind: 'dae', k: 3, noisePercent: 30 }, data, { maxEpochs: 4, patience: 10, batchSize: 10, learningRate: 0.01 });
      const out = { errors: ex.reconstructionError, epochs: ex.epochs, weights: Array.from(ex.firstLayerWeights().data) };
      ex.dispose();
      return out;
    };
    const a = await run(11);
    expect(a.epochs).toBe(4);
    expect(await run(11)).toEqual(a);
    expect((await run(12)).weights).not.toEqual(a.weights);
    data.dispose();
  });
});
