// Memory of the training loops beyond lib/train/fit: the number of live tensors stays the same
// from epoch to epoch (after the optimiser's one-time state), training for more epochs leaves
// no more tensors than training for one, and disposing what a function returns brings the
// count back to where it started. A leak of one tensor per batch or per epoch fails here.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { compareVariants } from '../lib/deep/compare';
import { seedMlp } from '../lib/deep/mlp';
import { buildVariationalAutoencoder } from '../lib/models/vae';
import { makeRng, setGlobalSeed } from '../lib/random';
import { Callback } from '../lib/train/callbacks';
import { compile, getCompiled } from '../lib/train/compile';
import { fit } from '../lib/train/fit';
import { loadModel, saveModel } from '../lib/train/saving';
import { Adam } from '../lib/optim';
import { fitWithEarlyStopping } from '../lib/unsupervised/early-stopping-fit';
import { experimentData, fitExtractor, trainClassifier, type LabelledSet } from '../lib/unsupervised/feature-experiment';
import { trainGreedyLayerwise } from '../lib/unsupervised/greedy';
import { addNoise } from '../lib/unsupervised/noise';

const live = (): number => tf.memory().numTensors;

/** Records the number of live tensors at the end of every epoch. */
class CountTensors extends Callback {
  counts: number[] = [];
  override onEpochEnd(): void {
    this.counts.push(live());
  }
}

/** `n` rows of `d` values in [0, 1] (three noisy prototypes) and their labels 0..2. */
function blobs(n: number, d: number, seed: number): { x: Float32Array; labels: number[] } {
  const rng = makeRng(seed);
  const protos = [0, 1, 2].map((c) => Array.from({ length: d }, (_, j) => ((j + c) % 3 === 0 ? 0.85 : 0.15)));
  const x = new Float32Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(i % 3);
    for (let j = 0; j < d; j++) x[i * d + j] = Math.min(1, Math.max(0, protos[i % 3][j] + 0.1 * rng.normal()));
  }
  return { x, labels };
}

describe('compile with an optimiser name: the model owns the optimiser (fix in lib/train/compile)', () => {
  const build = (): tf.Sequential => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
  const xy = (): [tf.Tensor, tf.Tensor] => [tf.tensor2d(blobs(12, 4, 1).x, [12, 4]), tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])];

  it.each(['sgd', 'adam', 'rmsprop', 'nadam'] as const)("model.dispose() frees the state of '%s' (learning-rate scalars, moments)", async (name) => {
    const start = live();
    const model = build();
    const [x, y] = xy();
    compile(model, { optimizer: name, loss: 'sparse_categorical_crossentropy' });
    await fit(model, x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(live()).toBeGreaterThan(start + 2 + 2); // weights, data and the optimiser's state
    tf.dispose([x, y]);
    model.dispose();
    expect(live()).toBe(start);
  });

  it('compiling again frees the previous named optimiser; a functional model too', async () => {
    const input = tf.input({ shape: [4] });
    const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 3, activation: 'softmax' }).apply(input) as tf.SymbolicTensor });
    const [x, y] = xy();
    const start = live();
    compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await fit(model, x, y, { epochs: 1, verbose: 0 });
    const withAdam = live();
    const firstAdam = getCompiled(model).optimizer;
    compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    expect(getCompiled(model).optimizer).not.toBe(firstAdam);
    await fit(model, x, y, { epochs: 3, verbose: 0 });
    expect(live()).toBe(withAdam); // the first Adam's moments are gone, the second's replace them
    model.dispose();
    tf.dispose([x, y]);
    expect(live()).toBe(start - 4); // the model's kernel and bias and the data, nothing of either optimiser
  });

  it('an optimiser passed in stays the caller\'s: model.dispose() leaves it usable', async () => {
    const model = build();
    const [x, y] = xy();
    const opt = Adam({ learningRate: 0.01 });
    const start = live();
    compile(model, { optimizer: opt, loss: 'sparse_categorical_crossentropy' });
    await fit(model, x, y, { epochs: 1, verbose: 0 });
    const afterFit = live();
    model.dispose();
    expect(live()).toBe(afterFit - 2); // only the kernel and bias
    const other = build();
    compile(other, { optimizer: opt, loss: 'sparse_categorical_crossentropy' });
    const h = await fit(other, x, y, { epochs: 1, verbose: 0 });
    expect(h.history.loss[0]).toBeGreaterThan(0);
    other.dispose();
    opt.dispose();
    tf.dispose([x, y]);
    expect(live()).toBeLessThan(start);
  });

  it('loadModel: the optimiser it recreates is freed with the loaded model (fix in lib/train/saving)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-reliability-save-'));
    try {
      const model = build();
      compile(model, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      await saveModel(model, dir);
      model.dispose();
      const [x, y] = xy();
      const start = live();
      const loaded = await loadModel(dir);
      expect(getCompiled(loaded).config).toMatchObject({ loss: 'sparse_categorical_crossentropy', ownOptimizer: true }); // compiled from the saved settings
      await fit(loaded, x, y, { epochs: 2, batchSize: 4, verbose: 0 });
      loaded.dispose();
      expect(live()).toBe(start);
      tf.dispose([x, y]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad loss name creates no optimiser state', () => {
    const model = build();
    const start = live();
    expect(() => compile(model, { optimizer: 'adam', loss: 'mean_squared_eror' })).toThrow(/unknown loss 'mean_squared_eror'/i);
    expect(live()).toBe(start);
    model.dispose();
  });
});

describe('VAE training (Sampling layer, KL loss) with lib/train fit', () => {
  it('keeps the tensor count constant across epochs and frees everything after', async () => {
    setGlobalSeed(3);
    const { x: data } = blobs(48, 16, 2);
    const x = tf.tensor2d(data, [48, 16]);
    const start = live();
    const { autoencoder } = buildVariationalAutoencoder({ inputShape: [16], hiddenSizes: [8], latentDim: 2 });
    compile(autoencoder, { optimizer: 'adam', loss: 'binary_crossentropy' });
    const count = new CountTensors();
    const h = await fit(autoencoder, x, x, { epochs: 6, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [count] });
    expect(h.history.loss).toHaveLength(6);
    expect(h.history.loss[5]).toBeLessThan(h.history.loss[0]);
    expect(new Set(count.counts).size).toBe(1);
    autoencoder.dispose(); // disposes the encoder and decoder it is made of
    expect(live()).toBeLessThanOrEqual(start + 1); // at most the last penalty scalar of a training pass
    x.dispose();
  });
});

describe('greedy layer-wise training (lib/unsupervised/greedy)', () => {
  const run = async (epochs: number, x: tf.Tensor, val: tf.Tensor, optimizer?: (stage: number) => tf.Optimizer): Promise<number> => {
    setGlobalSeed(5);
    const r = await trainGreedyLayerwise(x, { inputShape: [4, 4], hiddenSizes: [8, 3], epochs, batchSize: 16, validationData: val, optimizer });
    expect(r.stages.map((s) => s.loss.length)).toEqual([epochs, epochs]);
    expect(r.stages.map((s) => s.valLoss.length)).toEqual([epochs, epochs]);
    const held = live();
    r.autoencoder.dispose(); // disposes the encoder and decoder it is made of
    return held;
  };

  it('1 epoch and 5 epochs per stage leave the same tensors; disposing the result frees them (SGD and Adam stages)', async () => {
    const x = tf.tensor3d(blobs(64, 16, 3).x, [64, 4, 4]);
    const val = tf.tensor3d(blobs(16, 16, 4).x, [16, 4, 4]);
    const start = live();
    const one = await run(1, x, val);
    expect(live()).toBe(start);
    const five = await run(5, x, val);
    expect(live()).toBe(start);
    expect(five).toBe(one);
    expect(one - start).toBe(8); // the two stages' kernels and biases, in both directions
    const adam = (): tf.Optimizer => tf.train.adam(0.01);
    expect(await run(1, x, val, adam)).toBe(one);
    expect(await run(5, x, val, adam)).toBe(one);
    expect(live()).toBe(start);
    tf.dispose([x, val]);
  });
});

describe('the seed-002 experiment loops (lib/unsupervised)', () => {
  const CLASSES = [0, 1, 2];
  const set = (n: number, seed: number): LabelledSet => {
    const b = blobs(n, 12, seed);
    return { x: b.x, labels: b.labels, nFeatures: 12 };
  };

  it('fitWithEarlyStopping: constant count across epochs with fresh noisy inputs each epoch, nothing left after', async () => {
    setGlobalSeed(6);
    const { x: data } = blobs(60, 12, 7);
    const x = tf.tensor2d(data, [60, 12]);
    const xv = tf.tensor2d(blobs(15, 12, 8).x, [15, 12]);
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [12], units: 4, activation: 'sigmoid' }), tf.layers.dense({ units: 12, activation: 'sigmoid' })] });
    const opt = tf.train.adam(0.01);
    compile(model, { optimizer: opt, loss: 'mse' });
    const start = live();
    const counts: number[] = [];
    const r = await fitWithEarlyStopping(model, x, x, [xv, xv], {
      maxEpochs: 8,
      patience: 100,
      batchSize: 16,
      epochInputs: (epoch) => addNoise(x, { kind: 'gaussian', factor: 0.1 }, epoch),
      onEpoch: () => counts.push(live()),
    });
    expect(r.epochs).toBe(8);
    expect(counts).toHaveLength(8);
    // After the first epoch: Adam's moments and the best weights' copy, then nothing more.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(live() - start).toBe(4 * 2); // Adam's two moments per weight (4 weights); the best-weights copy is freed
    tf.dispose([x, xv]);
    model.dispose();
    opt.dispose();
  });

  it('fitExtractor (AE and DAE): 1 epoch and 6 epochs hold the same tensors; dispose frees them', async () => {
    const data = experimentData(set(30, 1), set(9, 2), set(9, 3), CLASSES);
    const start = live();
    const held: Record<string, number> = {};
    for (const kind of ['ae', 'dae'] as const) {
      for (const maxEpochs of [1, 6]) {
        setGlobalSeed(8);
        const spec = kind === 'dae' ? { kind, k: 3, noisePercent: 30 } : { kind, k: 3 };
        const ex = await fitExtractor(spec, data, { maxEpochs, patience: 100, batchSize: 10, learningRate: 0.01 });
        expect(ex.epochs).toBe(maxEpochs);
        held[`${kind}-${maxEpochs}`] = live() - start;
        ex.dispose();
        expect(live()).toBe(start);
      }
    }
    expect(held).toEqual({ 'ae-1': 5, 'ae-6': 5, 'dae-1': 5, 'dae-6': 5 }); // encoder and decoder kernel + bias, and the training mean the input is centred on
    data.dispose();
  });

  it('trainClassifier: nothing left after 1 or 8 epochs', async () => {
    const data = experimentData(set(30, 4), set(9, 5), set(9, 6), CLASSES);
    const start = live();
    for (const maxEpochs of [1, 8]) {
      setGlobalSeed(9);
      const r = await trainClassifier({ train: data.train.x, val: data.val.x, test: data.test.x }, data, [6], { maxEpochs, patience: 100, batchSize: 10, learningRate: 0.01 });
      expect(r.epochs).toBe(maxEpochs);
      expect(live()).toBe(start);
    }
    data.dispose();
  });
});

describe('compareVariants (lib/deep) with optimiser names', () => {
  it('constant count across epochs within each variant, and nothing left after (named optimisers freed)', async () => {
    const b = blobs(48, 6, 10);
    const x = tf.tensor2d(b.x, [48, 6]);
    const y = tf.tensor1d(b.labels, 'int32');
    const start = live();
    const counters: CountTensors[] = [];
    const callbacks = (): Callback[] => {
      const c = new CountTensors();
      counters.push(c);
      return [c];
    };
    const small = (): tf.Sequential => seedMlp({ hidden: [8], inputShape: [6], outputs: 3 });
    const results = await compareVariants(
      [
        { name: 'sgd', build: small, optimizer: () => 'sgd', callbacks },
        { name: 'adam', build: small, optimizer: () => 'adam', callbacks },
        { name: 'Adam object', build: small, optimizer: () => Adam({ learningRate: 0.01 }), callbacks },
      ],
      { x, y, validationData: [x, y], epochs: 5, batchSize: 16 },
    );
    expect(results.map((r) => r.epochsRun)).toEqual([5, 5, 5]);
    expect(counters.map((c) => c.counts.length)).toEqual([5, 5, 5]);
    for (const c of counters) expect(new Set(c.counts).size).toBe(1);
    expect(live()).toBe(start);
    tf.dispose([x, y]);
  });
});
