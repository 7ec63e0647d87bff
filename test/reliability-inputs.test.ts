// Public lib functions given wrong shapes or options throw an Error that names what was wrong
// (the value given) and what is expected (the valid choices or the shape wanted), before any
// work is done and without leaving tensors behind. A raw tfjs message ("Unknown activation:
// rellu. This may be due to ... Python", "Negative dimension size ...", "Input 0 is
// incompatible with layer dense_Dense5") counts as a failure here.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendFromEnv, initBackend } from '../lib/backend';
import { deepMlp, seedMlp } from '../lib/deep/mlp';
import { gridPng } from '../lib/images/grid';
import { toImageBatch } from '../lib/images/batch';
import { featureMapImages } from '../lib/images/weights';
import { AlphaDropout } from '../lib/layers/activations';
import { initializer } from '../lib/layers/initializers';
import { conv2d, dense } from '../lib/layers/keras-defaults';
import { buildConvAutoencoder, buildDenoisingAutoencoder, buildStackedAutoencoder } from '../lib/models/autoencoders';
import { lenet5Spec } from '../lib/models/classic';
import { buildSequential, summarizeSpec, type LayerSpec } from '../lib/models/spec';
import { buildVariationalAutoencoder } from '../lib/models/vae';
import { profileName, profileSizes } from '../lib/profile';
import { compile } from '../lib/train/compile';
import { evaluate, fit, predict } from '../lib/train/fit';
import { optimizerFromName, SGD } from '../lib/optim';
import { CosineDecay, ExponentialDecay, exponentialDecayFn, piecewiseConstantFn } from '../lib/optim';
import { LDA } from '../lib/unsupervised/lda';
import { addNoiseToArray, noisePercent } from '../lib/unsupervised/noise';
import { PCA } from '../lib/unsupervised/pca';
import { trainGreedyLayerwise } from '../lib/unsupervised/greedy';
import { convLayerCost, convOutputSize } from '../lib/vision/arithmetic';
import { convolve2d } from '../lib/vision/convolve';
import { gridFromRows } from '../lib/vision/grid';
import { pool2d } from '../lib/vision/pooling';

/** The message of the Error that `f` throws (fails the test when it does not throw). */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error('expected the call to throw, but it returned normally');
}

async function asyncMessageOf(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error('expected the call to reject, but it resolved');
}

/** A small compiled classifier: 4 features in, 3 classes out. */
function classifier(): tf.Sequential {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'softmax' })] });
  compile(m, { optimizer: tf.train.sgd(0.1), loss: 'sparse_categorical_crossentropy' });
  return m;
}

const bad = <T>(v: unknown): T => v as T;

describe('wrong tensor shapes', () => {
  it('a 2-D activation where [h, w, c] or [1, h, w, c] is needed, and a batch of several', () => {
    const flat = tf.zeros([5, 5]);
    const batch = tf.zeros([3, 4, 4, 2]);
    expect(messageOf(() => featureMapImages(flat))).toBe('featureMapImages: expected [h, w, c] or [1, h, w, c], got [5, 5].');
    expect(messageOf(() => featureMapImages(batch))).toBe('featureMapImages: a batch of 3 activations; slice one example first (shape [1, h, w, c]).');
    tf.dispose([flat, batch]);
  });

  it('a rank-5 tensor or 2 channels as images', () => {
    const five = tf.zeros([1, 2, 2, 2, 1]);
    const two = tf.zeros([2, 28, 28, 2]);
    expect(messageOf(() => toImageBatch(five))).toBe('toImageBatch (tensor of shape [1, 2, 2, 2, 1]): images are rank 2 [h,w], 3 [n,h,w] or [h,w,c], or 4 [n,h,w,c]; reshape it first.');
    expect(messageOf(() => toImageBatch(two))).toBe(
      'toImageBatch (tensor of shape [2, 28, 28, 2]): 2 channels per pixel; images must have 1 (grayscale) or 3 (RGB) channels (slice the channels you want first).',
    );
    tf.dispose([five, two]);
  });

  it('a conv layer on an input without a channels axis ([28, 28] where [h, w, c] is needed)', () => {
    const specs: LayerSpec[] = [{ kind: 'conv2d', filters: 2, kernel: 3 }];
    expect(messageOf(() => buildSequential([28, 28], specs))).toBe(
      'layer conv2d_1: conv2d needs a [height, width, channels] input, got [28, 28]; add a Flatten only after the conv/pool layers',
    );
    expect(messageOf(() => buildConvAutoencoder(bad({ inputShape: [28, 28, 1, 1] })))).toBe('buildConvAutoencoder: inputShape must be [h, w] or [h, w, c], got [28, 28, 1, 1].');
  });

  it('fit, evaluate and predict: samples of the wrong shape name x, the model and the shape expected (fix in lib/train/fit)', async () => {
    const m = classifier();
    const before = tf.memory().numTensors;
    const images = tf.zeros([10, 2, 2]);
    const five = tf.zeros([10, 5]);
    const y = tf.zeros([10]);
    const msg = await asyncMessageOf(() => fit(m, images, y, { verbose: 0 }));
    expect(msg).toBe(
      `fit: each sample of x has shape [2, 2] (x is [10, 2, 2]) but ${m.name} expects [4]; reshape x (e.g. flatten 28x28 images to 784, or add a channels axis with x.expandDims(-1)) or change the model's inputShape.`,
    );
    expect(await asyncMessageOf(() => fit(m, tf.zeros([10, 4]), y, { verbose: 0, validationData: [five, y] }))).toMatch(/^fit: validationData: each sample of x has shape \[5\] \(x is \[10, 5\]\) but .* expects \[4\]/);
    expect(messageOf(() => evaluate(m, five, y, { verbose: 0 }))).toMatch(/^evaluate: each sample of x has shape \[5\] .* expects \[4\]/);
    expect(messageOf(() => predict(m, five))).toMatch(/^predict: each sample of x has shape \[5\] .* expects \[4\]/);
    // The refused calls allocated nothing: the only new tensors are the four zeros made here.
    expect(tf.memory().numTensors).toBe(before + 4);
    tf.dispose([images, five, y]);
    m.dispose();
  });

  it('fit and evaluate: mismatched x / y counts, also in validationData', async () => {
    const m = classifier();
    const [x10, x5, y8, y4] = [tf.zeros([10, 4]), tf.zeros([5, 4]), tf.zeros([8]), tf.zeros([4])];
    expect(await asyncMessageOf(() => fit(m, x10, y8, { verbose: 0 }))).toBe('fit: x has 10 samples but y has 8; give one target per sample.');
    expect(await asyncMessageOf(() => fit(m, x5, tf.zeros([5]), { verbose: 0, validationData: [x5, y4] }))).toBe(
      'fit: validationData: x has 5 samples but y has 4; give one target per sample.',
    );
    expect(messageOf(() => evaluate(m, x10, y8, { verbose: 0 }))).toBe('evaluate: x has 10 samples but y has 8; give one target per sample.');
    tf.dispose([x10, x5, y8, y4]);
    m.dispose();
  });
});

describe('unknown names: activation, loss, optimiser, metric, initialiser', () => {
  it('activations in every builder name the bad value and list the valid ones', () => {
    expect(messageOf(() => seedMlp(bad({ activation: 'rellu' })))).toBe("seedMlp: activation 'rellu' is not one of relu, sigmoid, tanh, elu, selu, linear, leaky_relu.");
    expect(messageOf(() => deepMlp(bad({ depth: 2, width: 4, activation: 'rellu' })))).toContain("activation 'rellu' is not one of relu, sigmoid");
    expect(messageOf(() => buildStackedAutoencoder(bad({ inputShape: [4], hiddenSizes: [2], activation: 'rellu' })))).toBe(
      "buildStackedAutoencoder: unknown activation 'rellu'; use linear, relu, selu, elu, sigmoid, tanh or softplus.",
    );
    // Fixed: these two named the value but not the choices.
    expect(messageOf(() => buildVariationalAutoencoder(bad({ inputShape: [4], hiddenSizes: [2], latentDim: 2, activation: 'rellu' })))).toBe(
      "buildVariationalAutoencoder: unknown activation 'rellu'; use linear, relu, selu, elu, sigmoid, tanh or softplus.",
    );
  });

  it('greedy layer-wise training refuses an unknown activation before training (fixed: lists the choices)', async () => {
    const x = tf.zeros([4, 4]);
    const before = tf.memory().numTensors;
    expect(await asyncMessageOf(() => trainGreedyLayerwise(x, bad({ inputShape: [4], hiddenSizes: [2], epochs: 1, activation: 'rellu' })))).toBe(
      "trainGreedyLayerwise: unknown activation 'rellu'; use linear, relu, selu, elu, sigmoid, tanh or softplus.",
    );
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it("Keras-default dense/conv2d and layer specs: tfjs's 'Unknown activation ... Python' becomes a list of choices (fixed)", () => {
    const d = messageOf(() => dense(bad({ units: 3, activation: 'rellu' })));
    expect(d).toBe(
      "dense: unknown activation 'rellu'; use one of elu, hardSigmoid, linear, relu, relu6, selu, sigmoid, softmax, softplus, softsign, tanh, swish, mish, gelu, gelu_new (for Keras's leaky_relu, put a LeakyReLU layer after a linear one).",
    );
    expect(messageOf(() => conv2d(bad({ filters: 2, kernelSize: 3, activation: 'leaky_relu' })))).toMatch(/^conv2d: unknown activation 'leaky_relu'; use one of elu, .* put a LeakyReLU layer/);
    expect(messageOf(() => summarizeSpec([4], [bad<LayerSpec>({ kind: 'dense', units: 2, activation: 'rellu' })]))).toBe(
      "layer dense_1: unknown activation 'rellu'; use one of linear, relu, tanh, sigmoid, softmax, elu, selu",
    );
    // A spec list built with a wrong activation fails when summarised or built, naming the layer.
    expect(messageOf(() => buildSequential([32, 32, 1], lenet5Spec(bad({ activation: 'rellu' }))))).toMatch(/^layer \w+: unknown activation 'rellu'; use one of linear, relu/);
    expect(messageOf(() => summarizeSpec([4], [bad<LayerSpec>({ kind: 'dens', units: 2 })]))).toBe(
      "layer dens_1: unknown layer kind 'dens'; use conv2d, separableConv2d, maxPool, avgPool, globalAvgPool, zeroPad, flatten, dense, batchNorm, dropout or activation",
    );
    // The valid names still work.
    const ok = dense({ units: 3, activation: 'gelu_new', inputShape: [4] });
    expect(ok.getConfig().activation).toBe('gelu_new');
  });

  it('loss, optimiser and metric names in compile, and optimizerFromName', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
    expect(messageOf(() => compile(m, { optimizer: bad('adamw'), loss: 'mse' }))).toBe(
      "compile: unknown optimizer 'adamw'. Use one of sgd, adam, rmsprop, adagrad, adadelta, adamax, nadam or pass a tf.Optimizer (e.g. SGD({ learningRate: 0.01, momentum: 0.9 }) from lib/optim, or tf.train.adam(1e-3)).",
    );
    expect(messageOf(() => compile(m, { optimizer: 'sgd', loss: 'mse2' }))).toMatch(/^compile: unknown loss 'mse2'\. Use one of mse, mean_squared_error, .*sparse_categorical_crossentropy/);
    expect(messageOf(() => compile(m, { optimizer: 'sgd', loss: 'mse', metrics: ['acuracy'] }))).toMatch(/^compile: unknown metric 'acuracy'\. Use 'accuracy', mae, /);
    expect(messageOf(() => optimizerFromName('adamw'))).toBe("optimizerFromName: unknown optimiser 'adamw'; use sgd, adam, rmsprop, adagrad, adadelta, adamax or nadam.");
    m.dispose();
  });

  it('initialiser names, directly and through the layer helpers', () => {
    const list = 'he_normal, he_uniform, glorot_normal, glorot_uniform, lecun_normal, lecun_uniform, variance_scaling, zeros, ones, random_normal, random_uniform, truncated_normal, orthogonal';
    expect(messageOf(() => initializer('glorot_unifrm'))).toBe(`initializer: unknown name 'glorot_unifrm'; use one of ${list}.`);
    expect(messageOf(() => dense({ units: 3, kernelInitializer: 'he_nromal' }))).toBe(`initializer: unknown name 'he_nromal'; use one of ${list}.`);
    expect(messageOf(() => deepMlp({ depth: 2, width: 4, activation: 'relu', kernelInitializer: 'lecun' }))).toBe(`initializer: unknown name 'lecun'; use one of ${list}.`);
  });
});

describe('negative or out-of-range rates', () => {
  it('dropout rates: layer, spec and denoising autoencoder', () => {
    expect(messageOf(() => new AlphaDropout({ rate: -0.1 }))).toBe('AlphaDropout: rate must be in [0, 1), got -0.1; e.g. { rate: 0.1 }.');
    expect(messageOf(() => summarizeSpec([4], [{ kind: 'dropout', rate: 1.5 }]))).toBe('layer dropout_1: dropout rate must be in [0, 1), got 1.5');
    expect(messageOf(() => buildDenoisingAutoencoder({ inputShape: [4], hiddenSizes: [2], inputNoise: { kind: 'dropout', rate: -0.2 } }))).toBe('inputNoise: dropout rate must be in [0, 1), got -0.2.');
    expect(messageOf(() => buildDenoisingAutoencoder({ inputShape: [4], hiddenSizes: [2], inputNoise: { kind: 'gaussian', stddev: -1 } }))).toBe('inputNoise: gaussian stddev must be >= 0, got -1.');
  });

  it('noise rates and factors', () => {
    const px = [0.5, 0.5, 0.5];
    expect(messageOf(() => addNoiseToArray(px, { kind: 'saltAndPepper', rate: -0.1 }, 1))).toBe('addNoise: saltAndPepper rate must be a fraction in [0, 1], got -0.1.');
    expect(messageOf(() => addNoiseToArray(px, { kind: 'masking', rate: -1 }, 1))).toBe('addNoise: masking rate must be a fraction in [0, 1], got -1.');
    expect(messageOf(() => addNoiseToArray(px, { kind: 'gaussian', factor: -0.1 }, 1))).toBe('addNoise: gaussian factor must be a finite number >= 0, got -0.1.');
    expect(messageOf(() => noisePercent(-5))).toBe('noisePercent: percent must be in [0, 100], got -5.');
  });

  it('learning rates: optimisers, and schedules (fixed: schedules accepted a negative starting rate)', () => {
    expect(messageOf(() => SGD({ learningRate: -0.1 }))).toBe('SGD: learning rate must be a finite number >= 0, got -0.1; e.g. 0.001.');
    expect(messageOf(() => new ExponentialDecay({ initialLearningRate: -0.1, decaySteps: 10, decayRate: 0.9 }))).toBe(
      'ExponentialDecay initialLearningRate must be a learning rate >= 0, got -0.1: give the starting rate, e.g. 0.01.',
    );
    expect(messageOf(() => new CosineDecay({ initialLearningRate: -1, decaySteps: 10 }))).toBe('CosineDecay initialLearningRate must be a learning rate >= 0, got -1: give the starting rate.');
    expect(messageOf(() => exponentialDecayFn({ lr0: -0.01, s: 20 }))).toBe('exponentialDecayFn lr0 must be a learning rate >= 0, got -0.01: give the rate at epoch 0, e.g. 0.01.');
    expect(messageOf(() => piecewiseConstantFn({ boundaries: [5], values: [0.1, -0.01] }))).toBe('piecewiseConstantFn values[1] must be a learning rate >= 0, got -0.01: values are learning rates.');
    expect(new ExponentialDecay({ initialLearningRate: 0, decaySteps: 10, decayRate: 0.9 }).at(5)).toBe(0);
  });
});

describe('impossible convolution arithmetic', () => {
  it('a filter larger than the input, by formula, spec, cost, pooling and by hand', () => {
    expect(messageOf(() => convOutputSize(5, 9))).toBe('the 9-wide window does not fit in 5 pixels with padding 0: use a smaller filter or more padding.');
    expect(messageOf(() => summarizeSpec([5, 5, 1], [{ kind: 'conv2d', filters: 2, kernel: 9 }]))).toBe('the 9-wide window does not fit in 5 pixels with padding 0: use a smaller filter or more padding.');
    expect(messageOf(() => convLayerCost({ input: [5, 5, 1], filters: 2, kernel: 9, padding: 'valid' }))).toContain('the 9-wide window does not fit in 5 pixels');
    expect(messageOf(() => pool2d(gridFromRows([[1, 2], [3, 4]]), { size: 3 }))).toBe('the 3-wide window does not fit in 2 pixels with padding 0: use a smaller filter or more padding.');
    const k3 = gridFromRows([[1, 1, 1], [1, 1, 1], [1, 1, 1]]);
    expect(messageOf(() => convolve2d(gridFromRows([[1, 2], [3, 4]]), k3, { mode: 'valid' }))).toBe(
      "mode 'valid' needs a kernel no larger than the image: kernel 3x3, image 2x2; use mode 'same' or 'full'.",
    );
    // A hand-built grid whose data does not match its size (fixed: it read past the data as NaN).
    expect(messageOf(() => convolve2d({ height: 3, width: 3, data: new Float64Array(4) }, k3))).toBe(
      'the image grid says 3x3 but holds 4 values; build grids with gridFromRows or zerosGrid.',
    );
  });

  it("the Keras-default conv2d with a known input: tfjs's 'Negative dimension size' becomes the sizes and the fixes (fixed)", () => {
    expect(messageOf(() => conv2d({ filters: 2, kernelSize: 9, inputShape: [5, 5, 1] }))).toBe(
      "conv2d: the 9x9 kernel does not fit the 5x5 input with padding 'valid'; use a smaller kernelSize, padding: 'same', or a larger input.",
    );
    expect(messageOf(() => conv2d({ filters: 2, kernelSize: 3, dilationRate: 3, inputShape: [6, 6, 1] }))).toContain('the 7x7 kernel (dilated) does not fit the 6x6 input');
    // 'same' padding and kernels that fit are fine.
    expect(conv2d({ filters: 2, kernelSize: 9, padding: 'same', inputShape: [5, 5, 1] }).getConfig().kernelSize).toEqual([9, 9]);
    expect(conv2d({ filters: 2, kernelSize: [5, 3], inputShape: [5, 5, 1] }).getConfig().kernelSize).toEqual([5, 3]);
  });
});

describe('unsupervised: sizes that do not match', () => {
  it('PCA with k larger than the features, data with other columns, ragged rows; LDA label counts', () => {
    const rows = [[1, 2], [3, 4], [5, 7]];
    expect(messageOf(() => new PCA({ nComponents: 5 }).fit(rows))).toBe('PCA.fit: nComponents=5 exceeds the 2 features; choose k <= 2.');
    expect(messageOf(() => new PCA({ nComponents: 0 }))).toBe('PCA: nComponents must be a positive integer, got 0.');
    expect(messageOf(() => new PCA({ nComponents: 1 }).fit(rows).transform([[1, 2, 3]]))).toBe(
      'PCA.transform: input has 3 features but the model was fitted on 2; pass data with the same columns as at fit time.',
    );
    expect(messageOf(() => new PCA({ nComponents: 1 }).fit([[1, 2], [3], [5, 7]]))).toBe('PCA.fit: row 1 has 1 values but row 0 has 2; all rows need the same number of features.');
    expect(messageOf(() => new LDA().fit([[1, 2], [3, 4]], [0, 1, 1]))).toBe('LDA.fit: 2 rows but 3 labels; give one label per row.');
  });
});

describe('image grids with inconsistent sizes', () => {
  const img = (h: number, w: number, count = 1): { data: Float32Array; count: number; height: number; width: number; channels: 1 } => ({
    data: new Float32Array(count * h * w),
    count,
    height: h,
    width: w,
    channels: 1,
  });

  it('images of different sizes in one grid', () => {
    expect(messageOf(() => gridPng([img(28, 28), img(10, 10)]))).toBe('concatImages: image 1 is 10x10x1 but image 0 is 28x28x1; resize them to one shape.');
  });

  it('a batch whose data does not hold count x height x width values (fixed: it was drawn from the wrong pixels)', () => {
    const short = { ...img(28, 28, 2), data: new Float32Array(100) };
    expect(messageOf(() => gridPng(short))).toBe(
      'toImageBatch: the ImageBatch says 2 images of 28x28x1 (1568 values) but its data holds 100; fix count, height, width or channels, or the data.',
    );
    const long = { ...img(28, 28, 1), data: new Float32Array(784 * 3) };
    expect(messageOf(() => gridPng(long))).toContain('says 1 images of 28x28x1 (784 values) but its data holds 2352');
    expect(messageOf(() => gridPng({ ...img(28, 28), channels: bad<1>(2) }))).toContain('2 channels per pixel; images must have 1 (grayscale) or 3 (RGB) channels');
    expect(messageOf(() => gridPng({ ...img(28, 28), height: 27.5 }))).toBe("toImageBatch: the ImageBatch's height must be a whole number >= 1, got 27.5.");
    expect(messageOf(() => toImageBatch(new Float32Array(100), { height: 28, width: 28 }))).toBe(
      'toImageBatch: 100 values are not a whole number of 28x28x1 images (784 values each); check height, width and channels.',
    );
    // A consistent batch draws: a PNG starts with its signature.
    expect(Array.from(gridPng(img(28, 28, 2)).subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('profiles and backends', () => {
  it('profileSizes with different keys per profile, and a COURSE_PROFILE typo', () => {
    expect(messageOf(() => profileSizes(bad({ full: { train: 5000, epochs: 10 }, smoke: { train: 500 } }), 'smoke'))).toBe(
      "profileSizes: 'full' has keys [epochs,train] but 'smoke' has [train]; give both profiles the same sizes.",
    );
    expect(messageOf(() => profileName('smok'))).toBe("COURSE_PROFILE=smok is not a profile: use 'full' (the seeds' sizes) or 'smoke' (CI: tiny sizes).");
  });

  it('a DL_BACKEND typo is an error naming the backends, not a silent fallback', () => {
    expect(messageOf(() => backendFromEnv('wsam'))).toBe('DL_BACKEND=wsam is not a backend: use one of tensorflow, wasm, cpu (or leave it unset to choose automatically).');
    expect(messageOf(() => backendFromEnv('WebGL'))).toContain('DL_BACKEND=WebGL is not a backend');
    expect(backendFromEnv('')).toBeUndefined();
    expect(backendFromEnv('wasm')).toBe('wasm');
  });

  it('initBackend refuses a DL_BACKEND typo and a bad backend option (fixed: the option fell back to the automatic choice) and keeps the backend', async () => {
    const saved = process.env.DL_BACKEND;
    const active = tf.getBackend();
    try {
      process.env.DL_BACKEND = 'wsam';
      await expect(initBackend()).rejects.toThrow('DL_BACKEND=wsam is not a backend: use one of tensorflow, wasm, cpu (or leave it unset to choose automatically).');
      delete process.env.DL_BACKEND;
      await expect(initBackend({ backend: bad('webgl') })).rejects.toThrow(
        "initBackend: backend 'webgl' is not a backend: use one of tensorflow, wasm, cpu (or leave it out to choose automatically).",
      );
    } finally {
      if (saved === undefined) delete process.env.DL_BACKEND;
      else process.env.DL_BACKEND = saved;
    }
    expect(tf.getBackend()).toBe(active);
  });
});
