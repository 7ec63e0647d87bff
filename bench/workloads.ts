/**
 * The four trainings the benchmark times, exactly as the notebooks build them:
 *
 * - mlp  (notebook 01): Flatten 784, Dense 300 relu, Dense 100 relu, Dense 10 softmax; SGD 0.01;
 *        sparse categorical cross-entropy + accuracy; batch 32; an epoch is 55,000 images.
 * - cnn  (notebook 05): lib/models buildSeedCnn (conv 64 7x7, pool, conv 128 3x3 x2, pool, Dense
 *        128, dropout 0.5, Dense 64, dropout 0.5, softmax 10); Adam 0.001; batch 32; 2,048 images.
 * - lstm (notebook 07): sequenceRegressor('lstm') on the adding problem (50 steps, 2 features, 32
 *        units, Dense 1); Adam 0.005; MSE; batch 32; an epoch is 2,500 sequences.
 * - ae   (notebook 08): buildStackedAutoencoder 784-100-30-100-784, SELU, sigmoid output; binary
 *        cross-entropy; SGD 1.5; batch 32; an epoch is 55,000 images.
 *
 * Each backend times a number of samples (fewer on the slow cpu backend, fewer with --quick) and
 * the epoch time is extrapolated per sample to the notebook's epoch. The CNN times 512 of its
 * 2,048 images (x4), and none on the cpu backend (one batch takes minutes there).
 *
 * Usage: `const w = WORKLOADS.mlp; const { model } = w.build(); compile(model, w.compileConfig());`
 */
import * as tf from '@tensorflow/tfjs';
import { loadFashionMnist } from '../lib/data/fashion-mnist';
import { toTensors } from '../lib/data/tensors';
import { seedMlp } from '../lib/deep/mlp';
import { buildStackedAutoencoder } from '../lib/models/autoencoders';
import { buildSeedCnn } from '../lib/models/cnn';
import { addingProblemData, sequenceTensors } from '../lib/rnn/sequences';
import { sequenceRegressor } from '../lib/rnn/models';
import type { CompileConfig } from '../lib/train/compile';
import { SGD } from '../lib/optim';

/** The workloads' names, as given to --only. */
export type WorkloadName = 'mlp' | 'cnn' | 'lstm' | 'ae';
/**
 * The backends timed ('wasm-native': wasm as before the speed work: tfjs's own kernels, fit's
 * generic step; 'wasm': today's wasm kernels, the oneDNN ones off; 'wasm+onednn': convolutions
 * and matrix products on the oneDNN addon, the rest on wasm).
 */
export type BenchBackend = 'wasm' | 'wasm+onednn' | 'wasm-native' | 'cpu' | 'tensorflow';

/** All workload names, in table order. Usage: `WORKLOAD_NAMES.includes(name)` */
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['mlp', 'cnn', 'lstm', 'ae'];

/** Training data of one workload; the caller disposes the tensors. */
export interface BenchData {
  x: tf.Tensor;
  y: tf.Tensor;
  /** Where the numbers come from (real data set or generated). */
  source: string;
}

/** One timed training. */
export interface Workload {
  name: WorkloadName;
  /** One line for the table. */
  title: string;
  /** Samples in one epoch of the notebook (the epoch time is extrapolated to this). */
  epochSamples: number;
  batchSize: number;
  /** Samples timed per run: full mode, --quick, and on the cpu backend (0: not timed there). */
  samples: { full: number; quick: number; cpu: number };
  /** Samples predicted per inference run (batch 256 in both frameworks). */
  inferSamples: number;
  /** Builds a fresh model (uncompiled). */
  build(): tf.LayersModel;
  /** The notebook's compile configuration (a fresh optimiser each call). */
  compileConfig(): CompileConfig;
  /** The first n training samples. */
  data(n: number): Promise<BenchData>;
}

/** Inference batch size (both frameworks). Usage: `predict(m, x, { batchSize: INFER_BATCH })` */
export const INFER_BATCH = 256;

async function fashion(n: number, shape: 'flat' | 'image' | 'channels'): Promise<BenchData> {
  const fm = await loadFashionMnist({ limit: { train: n, test: 1 } });
  if (fm.train.count < n) throw new Error(`bench: Fashion-MNIST has ${fm.train.count} training images, fewer than the ${n} asked for.`);
  const { x, y } = toTensors(fm.train, { flatten: shape === 'flat', channels: shape === 'channels' });
  return { x, y, source: `Fashion-MNIST (${fm.source})` };
}

const mlp: Workload = {
  name: 'mlp',
  title: 'nb01 MLP 784-300-100-10, SGD 0.01',
  epochSamples: 55000,
  batchSize: 32,
  samples: { full: 8192, quick: 2048, cpu: 1024 },
  inferSamples: 10000,
  build: () => seedMlp(),
  compileConfig: () => ({ optimizer: SGD({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }),
  data: (n) => fashion(n, 'image'),
};

const cnn: Workload = {
  name: 'cnn',
  title: 'nb05 CNN (seed 001), Adam 0.001',
  epochSamples: 2048,
  batchSize: 32,
  samples: { full: 512, quick: 256, cpu: 0 },
  inferSamples: 1024,
  build: () => buildSeedCnn(),
  compileConfig: () => ({ optimizer: tf.train.adam(0.001), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }),
  data: (n) => fashion(n, 'channels'),
};

const lstm: Workload = {
  name: 'lstm',
  title: 'nb07 LSTM 32, adding problem T=50, Adam 0.005',
  epochSamples: 2500,
  batchSize: 32,
  samples: { full: 2496, quick: 512, cpu: 256 },
  inferSamples: 2500,
  build: () => sequenceRegressor('lstm', { steps: 50, features: 2, units: 32 }),
  compileConfig: () => ({ optimizer: tf.train.adam(0.005), loss: 'mse' }),
  data: async (n) => {
    const { x, y } = sequenceTensors(addingProblemData({ count: n, steps: 50, seed: 1 }));
    return { x, y, source: 'adding problem (lib/rnn, seed 1)' };
  },
};

const ae: Workload = {
  name: 'ae',
  title: 'nb08 stacked AE 784-100-30-100-784 SELU, SGD 1.5',
  epochSamples: 55000,
  batchSize: 32,
  samples: { full: 8192, quick: 2048, cpu: 1024 },
  inferSamples: 10000,
  build: () => buildStackedAutoencoder({ inputShape: [28, 28], hiddenSizes: [100, 30], activation: 'selu', outputActivation: 'sigmoid' }).autoencoder,
  compileConfig: () => ({ optimizer: tf.train.sgd(1.5), loss: 'binary_crossentropy' }),
  data: async (n) => {
    const d = await fashion(n, 'image');
    d.y.dispose();
    return { x: d.x, y: d.x.clone(), source: d.source };
  },
};

/** The workloads by name. Usage: `WORKLOADS.cnn.build()` */
export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = { mlp, cnn, lstm, ae };

/**
 * Parses a comma-separated list of workload names (--only); throws on an unknown name.
 *
 * Usage: `parseWorkloads('mlp,cnn') // ['mlp', 'cnn']`
 */
export function parseWorkloads(list: string): WorkloadName[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) throw new Error(`--only needs workload names: ${WORKLOAD_NAMES.join(',')}.`);
  for (const n of names) {
    if (!(WORKLOAD_NAMES as readonly string[]).includes(n)) throw new Error(`--only: unknown workload '${n}'; use some of ${WORKLOAD_NAMES.join(',')}.`);
  }
  return WORKLOAD_NAMES.filter((n) => names.includes(n));
}

/**
 * Samples to time for a workload on a backend (the cpu backend gets the reduced count).
 *
 * Usage: `samplesFor(WORKLOADS.mlp, 'cpu', false) // 1024`
 */
export function samplesFor(w: Workload, backend: BenchBackend, quick: boolean): number {
  const n = backend === 'cpu' ? w.samples.cpu : quick ? w.samples.quick : w.samples.full;
  return Math.min(n, w.epochSamples);
}
