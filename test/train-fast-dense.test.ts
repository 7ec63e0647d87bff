// The tape-free Dense-stack step (lib/train/fast-dense.ts): which models take it, and that it
// trains exactly like the generic path (same weights and logs to float precision).
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildConvAutoencoder, buildDenoisingAutoencoder, buildLinearAutoencoder, buildSparseAutoencoder, buildStackedAutoencoder, buildTiedAutoencoder } from '../lib/models/autoencoders';
import { setGlobalSeed } from '../lib/random';
import { Callback, Logs } from '../lib/train/callbacks';
import { compile, CompileConfig } from '../lib/train/compile';
import { planDenseStack, setDenseFastPath } from '../lib/train/fast-dense';
import { fit } from '../lib/train/fit';
import { SGD } from '../lib/optim';
import { getCompiled } from '../lib/train/compile';

afterEach(() => setDenseFastPath(true));

function mlp(o: { output?: 'softmax' | 'linear'; hidden?: string; dropout?: boolean; l2?: boolean } = {}): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [6, 5] }));
  m.add(tf.layers.dense({ units: 12, activation: (o.hidden ?? 'relu') as 'relu', kernelRegularizer: o.l2 ? tf.regularizers.l2({ l2: 0.01 }) : undefined }));
  if (o.dropout) m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 8, activation: 'linear' }));
  m.add(tf.layers.dense({ units: 4, activation: o.output ?? 'softmax' }));
  return m;
}

function data(n: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => ({ x: tf.randomUniform([n, 6, 5], 0, 1, 'float32', 7), y: tf.cast(tf.floor(tf.randomUniform([n], 0, 4, 'float32', 8)), 'int32') }));
}

const sparse = (extra: Partial<CompileConfig> = {}): CompileConfig => ({ optimizer: SGD({ learningRate: 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], ...extra });

describe('planDenseStack', () => {
  it('takes a Flatten/Dense stack with relu/linear hidden layers and a softmax output', () => {
    const m = mlp();
    compile(m, sparse());
    const plan = planDenseStack(m, getCompiled(m), false);
    expect(plan?.layers.map((l) => l.activation)).toEqual(['relu', 'linear', 'linear']);
    expect(plan?.output).toBe('softmax');
    expect(plan?.flatten).toBe(true);
    expect(plan?.accuracy).toEqual([true]);
    m.dispose();
  });

  it('leaves dropout, regularisers, other activations, other losses, sample weights and a disabled switch to the generic path', () => {
    const cases: [tf.Sequential, CompileConfig, boolean][] = [
      [mlp({ dropout: true }), sparse(), false],
      [mlp({ l2: true }), sparse(), false],
      [mlp({ hidden: 'softplus' }), sparse(), false],
      [mlp(), { optimizer: 'sgd', loss: 'mse' }, false],
      [mlp(), { optimizer: 'sgd', loss: 'msle' }, false],
      [mlp(), { optimizer: 'sgd', loss: (y: tf.Tensor, p: tf.Tensor) => tf.mean(tf.abs(tf.sub(y, p)), -1) }, false],
      [mlp(), sparse({ fromLogits: true }), false],
      [mlp({ output: 'linear' }), sparse(), false],
      [mlp(), sparse(), true],
    ];
    for (const [m, cfg, weights] of cases) {
      compile(m, cfg);
      expect(planDenseStack(m, getCompiled(m), weights)).toBeUndefined();
      m.dispose();
    }
    const m = mlp();
    compile(m, sparse());
    setDenseFastPath(false);
    expect(planDenseStack(m, getCompiled(m), false)).toBeUndefined();
    m.dispose();
  });

  it('takes a linear output with fromLogits', () => {
    const m = mlp({ output: 'linear' });
    compile(m, sparse({ fromLogits: true }));
    expect(planDenseStack(m, getCompiled(m), false)?.output).toBe('linear');
    m.dispose();
  });
});

describe('the fast step trains like the generic path', () => {
  async function train(fast: boolean, output: 'softmax' | 'linear', optimizer: () => tf.Optimizer): Promise<{ weights: number[][]; loss: number[]; acc: number[]; added: number }> {
    setDenseFastPath(fast);
    setGlobalSeed(3);
    const m = mlp({ output });
    compile(m, { optimizer: optimizer(), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], fromLogits: output === 'linear' });
    const { x, y } = data(70);
    const before = tf.memory().numTensors;
    const h = await fit(m, x, y, { epochs: 3, batchSize: 16, shuffle: true, verbose: 0 });
    // Tensors added by the training: only the optimiser's state (Adam's moments...), none per step.
    const added = tf.memory().numTensors - before;
    const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y]);
    m.dispose();
    return { weights, loss: h.history.loss as number[], acc: h.history.accuracy as number[], added };
  }

  function close(a: number[], b: number[], tol: number): void {
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
  }

  for (const [name, output, opt] of [
    ['softmax output, SGD', 'softmax', () => SGD({ learningRate: 0.5 })],
    ['softmax output, Adam', 'softmax', () => tf.train.adam(0.01)],
    ['logits with fromLogits, momentum', 'linear', () => SGD({ learningRate: 0.2, momentum: 0.9 })],
  ] as [string, 'softmax' | 'linear', () => tf.Optimizer][]) {
    it(name, async () => {
      const generic = await train(false, output, opt);
      const fast = await train(true, output, opt);
      generic.weights.forEach((w, i) => close(fast.weights[i], w, 2e-5));
      close(fast.loss, generic.loss, 1e-5);
      expect(fast.acc).toEqual(generic.acc);
      expect(fast.added).toBe(generic.added);
      expect(generic.added).toBe(name.includes('Adam') ? 12 : name.includes('momentum') ? 6 : 0);
      // It did learn something (the loss moved).
      expect(Math.abs(fast.loss[2] - fast.loss[0])).toBeGreaterThan(1e-3);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Other activations and losses: the seed-002 classifiers (sigmoid hidden units, softmax), the
// autoencoders of notebooks 08-11 (functional models nesting an encoder and a decoder, Flatten
// and Reshape, sigmoid/selu/relu/linear units, binary cross-entropy, mse, mae).

type Act = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'selu';

/** A Sequential classifier [6, 5] -> 12 -> 8 -> 4 with the given hidden activation. */
function classifier(hidden: Act, output: 'softmax' | 'linear' = 'softmax'): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [6, 5] }));
  m.add(tf.layers.dense({ units: 12, activation: hidden }));
  m.add(tf.layers.dense({ units: 8, activation: hidden }));
  m.add(tf.layers.dense({ units: 4, activation: output }));
  return m;
}

/** The notebooks' autoencoder shape on [6, 5] samples: a functional model of an encoder and a decoder, 30 -> 12 -> 4 -> 12 -> 30. */
function autoencoder(activation: Act, outputActivation: Act, inputShape: number[] = [6, 5]): tf.LayersModel {
  return buildStackedAutoencoder({ inputShape, hiddenSizes: [12, 4], activation, outputActivation }).autoencoder;
}

/** Pixels in [0, 1], a third of them exactly 0 or 1 (binary cross-entropy's edges). */
function pixels(n: number, shape: number[] = [6, 5]): tf.Tensor {
  return tf.tidy(() => {
    const u = tf.randomUniform([n, ...shape], 0, 1, 'float32', 11);
    return tf.where(tf.less(u, 0.15), tf.zerosLike(u), tf.where(tf.greater(u, 0.85), tf.onesLike(u), u));
  });
}

describe('planDenseStack: other activations, losses and functional models', () => {
  it('takes sigmoid, tanh, elu and selu hidden layers, and categorical cross-entropy', () => {
    for (const act of ['sigmoid', 'tanh', 'elu', 'selu'] as Act[]) {
      const m = classifier(act);
      compile(m, sparse());
      const plan = planDenseStack(m, getCompiled(m), false);
      expect(plan?.layers.map((l) => l.activation)).toEqual([act, act, 'linear']);
      expect(plan?.loss).toBe('sparse_softmax');
      m.dispose();
    }
    const m = classifier('sigmoid');
    compile(m, { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    expect(planDenseStack(m, getCompiled(m), false)?.loss).toBe('categorical_softmax');
    m.dispose();
  });

  it("takes the notebooks' dense autoencoders: nested encoder/decoder, Flatten and Reshape, bce/mse/mae", () => {
    const stacked = autoencoder('selu', 'sigmoid');
    compile(stacked, { optimizer: 'sgd', loss: 'binary_crossentropy' });
    const plan = planDenseStack(stacked, getCompiled(stacked), false);
    expect(plan?.layers.map((l) => l.activation)).toEqual(['selu', 'selu', 'selu', 'sigmoid']);
    expect(plan?.loss).toBe('binary');
    expect(plan?.flatten).toBe(true);
    expect(plan?.outputShape).toEqual([6, 5]);
    stacked.dispose();

    const linear = buildLinearAutoencoder({ inputShape: [6, 5], codeSize: 2 }).autoencoder;
    compile(linear, { optimizer: 'sgd', loss: 'mse' });
    expect(planDenseStack(linear, getCompiled(linear), false)?.loss).toBe('mse');
    linear.dispose();

    // Notebook 11: [13] -> 32 -> 16 -> 7 -> 16 -> 32 -> 13, relu, sigmoid out, mae with an mae metric.
    const tabular = buildStackedAutoencoder({ inputShape: [13], hiddenSizes: [32, 16, 7], activation: 'relu', outputActivation: 'sigmoid' }).autoencoder;
    compile(tabular, { optimizer: 'adam', loss: 'mae', metrics: ['mae'] });
    const tp = planDenseStack(tabular, getCompiled(tabular), false);
    expect(tp?.loss).toBe('mae');
    expect(tp?.flatten).toBe(false);
    expect(tp?.layers.length).toBe(6);
    tabular.dispose();

    // Seed 002's autoencoder: one functional model, sigmoid everywhere, mse.
    const input = tf.input({ shape: [30] });
    const code = tf.layers.dense({ units: 4, activation: 'sigmoid' }).apply(input) as tf.SymbolicTensor;
    const seed002 = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 30, activation: 'sigmoid' }).apply(code) as tf.SymbolicTensor });
    compile(seed002, { optimizer: 'adam', loss: 'mse' });
    expect(planDenseStack(seed002, getCompiled(seed002), false)?.loss).toBe('mse');
    seed002.dispose();
  });

  it('leaves noise layers, tied weights, activity penalties, convolutions, frozen parts, branches, shared layers and unsupported pairings to the generic path', () => {
    const bce: CompileConfig = { optimizer: 'sgd', loss: 'binary_crossentropy' };
    const cases: [string, () => tf.LayersModel, CompileConfig][] = [
      ['dropout input', () => buildDenoisingAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4], inputNoise: { kind: 'dropout', rate: 0.5 } }).autoencoder, bce],
      ['gaussian noise', () => buildDenoisingAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4], inputNoise: { kind: 'gaussian', stddev: 0.1 } }).autoencoder, bce],
      ['tied (DenseTranspose)', () => buildTiedAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4] }).autoencoder, bce],
      ['sparsity penalty', () => buildSparseAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4], sparsity: { penalty: 'l1', weight: 0.001 } }).autoencoder, bce],
      ['convolutions', () => buildConvAutoencoder({ inputShape: [28, 28] }).autoencoder, bce],
      [
        'frozen encoder',
        () => {
          const parts = buildStackedAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4] });
          parts.encoder.trainable = false;
          return parts.autoencoder;
        },
        bce,
      ],
      ['linear output with bce (no fromLogits)', () => autoencoder('selu', 'linear'), bce],
      ['sigmoid output with bce and fromLogits', () => autoencoder('selu', 'sigmoid'), { ...bce, fromLogits: true }],
      ['softplus output with mse', () => buildStackedAutoencoder({ inputShape: [6, 5], hiddenSizes: [12, 4], outputActivation: 'softplus' }).autoencoder, { optimizer: 'sgd', loss: 'mse' }],
      ['softmax output with mse', () => classifier('relu'), { optimizer: 'sgd', loss: 'mse' }],
      ['mape', () => autoencoder('relu', 'sigmoid'), { optimizer: 'sgd', loss: 'mape' }],
      [
        'Dense on a rank-3 input (acts on the last axis)',
        () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [6, 5], units: 4, activation: 'softmax' })] }),
        sparse(),
      ],
      [
        'a branch (two Dense layers added)',
        () => {
          const x = tf.input({ shape: [30] });
          const a = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
          const b = tf.layers.dense({ units: 4 }).apply(x) as tf.SymbolicTensor;
          return tf.model({ inputs: x, outputs: tf.layers.add().apply([a, b]) as tf.SymbolicTensor });
        },
        { optimizer: 'sgd', loss: 'mse' },
      ],
      [
        'a Dense layer applied twice',
        () => {
          const x = tf.input({ shape: [8] });
          const d = tf.layers.dense({ units: 8, activation: 'relu' });
          const h = d.apply(d.apply(x) as tf.SymbolicTensor) as tf.SymbolicTensor;
          return tf.model({ inputs: x, outputs: h });
        },
        { optimizer: 'sgd', loss: 'mse' },
      ],
      ['a kernel constraint', () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 8, kernelConstraint: tf.constraints.maxNorm({ maxValue: 2 }) })] }), { optimizer: 'sgd', loss: 'mse' }],
    ];
    for (const [name, build, cfg] of cases) {
      const m = build();
      compile(m, cfg);
      expect(planDenseStack(m, getCompiled(m), false), name).toBeUndefined();
      m.dispose();
    }
    // Sample weights, and the switch, for a model that qualifies otherwise.
    const m = autoencoder('selu', 'sigmoid');
    compile(m, bce);
    expect(planDenseStack(m, getCompiled(m), false)).toBeDefined();
    expect(planDenseStack(m, getCompiled(m), true)).toBeUndefined();
    setDenseFastPath(false);
    expect(planDenseStack(m, getCompiled(m), false)).toBeUndefined();
    m.dispose();
  });
});

describe('the fast step fails as the generic path does', () => {
  async function messageOf(fast: boolean, build: () => tf.LayersModel, cfg: CompileConfig, x: tf.Tensor, y: tf.Tensor): Promise<string> {
    setDenseFastPath(fast);
    const m = build();
    compile(m, cfg);
    expect(planDenseStack(m, getCompiled(m), false) !== undefined).toBe(fast);
    try {
      await fit(m, x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      return 'no error';
    } catch (e) {
      return (e as Error).message;
    } finally {
      m.dispose();
    }
  }

  it('on targets of the wrong shape (the compiled loss names them)', async () => {
    const x = pixels(16);
    const cases: [() => tf.LayersModel, CompileConfig, tf.Tensor][] = [
      [() => autoencoder('selu', 'sigmoid'), { optimizer: 'sgd', loss: 'binary_crossentropy' }, tf.zeros([16, 30])],
      [() => autoencoder('relu', 'linear'), { optimizer: 'sgd', loss: 'mse' }, tf.zeros([16, 5, 6])],
      [() => classifier('sigmoid'), { optimizer: 'sgd', loss: 'categorical_crossentropy' }, tf.zeros([16])],
      [() => classifier('sigmoid'), sparse(), tf.zeros([16, 4])],
    ];
    for (const [build, cfg, y] of cases) {
      const generic = await messageOf(false, build, cfg, x, y);
      expect(generic).not.toBe('no error');
      expect(await messageOf(true, build, cfg, x, y)).toBe(generic);
      y.dispose();
    }
    x.dispose();
  });
});

/** Records how many tensors more than `before` there are at the end of every epoch. */
class TensorCount extends Callback {
  before = 0;
  counts: number[] = [];
  override onEpochEnd(_epoch: number, _logs?: Logs): void {
    this.counts.push(tf.memory().numTensors - this.before);
  }
}

interface Run {
  weights: number[][];
  history: Record<string, number[]>;
  counts: number[];
  planned: boolean;
}

/** |a - b| <= rel * (|b| + the largest |b| of the array): relative to the values' scale. */
function closeRel(a: number[], b: number[], rel: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  const scale = b.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + scale));
  expect(worst, what).toBeLessThan(rel);
}

describe('the fast step trains like the generic path: other activations and losses', () => {
  interface Case {
    name: string;
    build: () => tf.LayersModel;
    config: () => CompileConfig;
    data: (n: number) => { x: tf.Tensor; y: tf.Tensor };
    loss: string;
  }
  const labels = (n: number, oneHot: boolean): { x: tf.Tensor; y: tf.Tensor } => {
    const d = data(n);
    if (!oneHot) return d;
    const y = tf.tidy(() => tf.oneHot(d.y as tf.Tensor1D, 4));
    d.y.dispose();
    return { x: d.x, y };
  };
  const ae = (n: number): { x: tf.Tensor; y: tf.Tensor } => {
    const x = pixels(n);
    return { x, y: x.clone() };
  };
  const cases: Case[] = [
    ...(['sigmoid', 'tanh', 'elu', 'selu'] as Act[]).map(
      (act): Case => ({
        name: `${act} hidden, softmax, sparse cross-entropy, Adam`,
        build: () => classifier(act),
        config: () => ({ optimizer: tf.train.adam(0.01), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] }),
        data: (n) => labels(n, false),
        loss: 'sparse_softmax',
      }),
    ),
    {
      name: 'sigmoid hidden, softmax, categorical cross-entropy (one-hot), SGD, accuracy and mse metrics',
      build: () => classifier('sigmoid'),
      config: () => ({ optimizer: SGD({ learningRate: 0.5 }), loss: 'categorical_crossentropy', metrics: ['accuracy', 'mse'] }),
      data: (n) => labels(n, true),
      loss: 'categorical_softmax',
    },
    {
      name: 'tanh hidden, logits, categorical cross-entropy with fromLogits, momentum',
      build: () => classifier('tanh', 'linear'),
      config: () => ({ optimizer: SGD({ learningRate: 0.2, momentum: 0.9 }), loss: 'categorical_crossentropy', metrics: ['accuracy'], fromLogits: true }),
      data: (n) => labels(n, true),
      loss: 'categorical_softmax',
    },
    {
      name: 'selu AE, sigmoid output, binary cross-entropy (notebook 08), SGD 1.5, accuracy metric',
      build: () => autoencoder('selu', 'sigmoid'),
      config: () => ({ optimizer: SGD({ learningRate: 1.5 }), loss: 'binary_crossentropy', metrics: ['accuracy'] }),
      data: ae,
      loss: 'binary',
    },
    {
      name: 'relu AE, sigmoid output saturated by large weights, binary cross-entropy (clipped probabilities)',
      build: () => {
        const m = autoencoder('relu', 'sigmoid');
        // Kernels x 6: about half the outputs are within 1e-7 of 0 or 1, clipped by the loss (no gradient there).
        tf.tidy(() => m.setWeights(m.getWeights().map((w) => (w.rank === 2 ? tf.mul(w, 6) : w))));
        return m;
      },
      config: () => ({ optimizer: SGD({ learningRate: 0.5 }), loss: 'binary_crossentropy', metrics: ['accuracy'] }),
      data: ae,
      loss: 'binary',
    },
    {
      name: 'elu AE, linear output, binary cross-entropy with fromLogits, Adam',
      build: () => autoencoder('elu', 'linear'),
      config: () => ({ optimizer: tf.train.adam(0.01), loss: 'binary_crossentropy', fromLogits: true }),
      data: ae,
      loss: 'binary_logits',
    },
    {
      name: 'linear AE, mse (notebook 08), SGD, mae metric',
      build: () => buildLinearAutoencoder({ inputShape: [6, 5], codeSize: 2 }).autoencoder,
      config: () => ({ optimizer: SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] }),
      data: ae,
      loss: 'mse',
    },
    {
      name: 'sigmoid AE, sigmoid output, mse (notebook 10), Adam',
      build: () => autoencoder('sigmoid', 'sigmoid', [30]),
      config: () => ({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' }),
      data: (n) => {
        const x = tf.tidy(() => tf.reshape(pixels(n), [n, 30]));
        return { x, y: x.clone() };
      },
      loss: 'mse',
    },
    {
      name: 'tanh AE, tanh output, mse, RMSprop',
      build: () => autoencoder('tanh', 'tanh'),
      config: () => ({ optimizer: tf.train.rmsprop(0.005), loss: 'mse', metrics: ['mse'] }),
      data: ae,
      loss: 'mse',
    },
    {
      name: 'relu AE, sigmoid output, mae with an mae metric (notebook 11), Adam',
      build: () => buildStackedAutoencoder({ inputShape: [13], hiddenSizes: [32, 16, 7], activation: 'relu', outputActivation: 'sigmoid' }).autoencoder,
      config: () => ({ optimizer: tf.train.adam(0.01), loss: 'mae', metrics: ['mae'] }),
      data: (n) => {
        const x = tf.randomUniform([n, 13], 0, 1, 'float32', 13);
        return { x, y: x.clone() };
      },
      loss: 'mae',
    },
    {
      name: 'selu AE, relu output, mae, SGD (y of shape [n, 6, 5] against a Reshape output)',
      build: () => autoencoder('selu', 'relu'),
      config: () => ({ optimizer: SGD({ learningRate: 0.3 }), loss: 'mae', metrics: ['mse'] }),
      data: ae,
      loss: 'mae',
    },
  ];

  async function train(c: Case, fast: boolean): Promise<Run> {
    setDenseFastPath(fast);
    setGlobalSeed(5);
    const m = c.build();
    compile(m, c.config());
    const planned = planDenseStack(m, getCompiled(m), false)?.loss === c.loss;
    const { x, y } = c.data(70);
    const count = new TensorCount();
    count.before = tf.memory().numTensors;
    const h = await fit(m, x, y, { epochs: 4, batchSize: 16, shuffle: true, verbose: 0, callbacks: [count] });
    const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y]);
    getCompiled(m).optimizer.dispose();
    m.dispose();
    return { weights, history: h.history as Record<string, number[]>, counts: count.counts, planned };
  }

  for (const c of cases) {
    it(c.name, async () => {
      const generic = await train(c, false);
      const fast = await train(c, true);
      expect(generic.planned).toBe(false);
      expect(fast.planned).toBe(true);
      generic.weights.forEach((w, i) => closeRel(fast.weights[i], w, 1e-5, `weights ${i}`));
      expect(Object.keys(fast.history).sort()).toEqual(Object.keys(generic.history).sort());
      for (const [key, values] of Object.entries(generic.history)) {
        if (key.includes('accuracy')) expect(fast.history[key], key).toEqual(values);
        else values.forEach((v, e) => expect(Math.abs(fast.history[key][e] - v), `${key}[${e}]`).toBeLessThanOrEqual(1e-5 * Math.abs(v)));
      }
      // No tensor is left behind from one epoch to the next (the optimiser's state comes in the
      // first step), and the fast step keeps what the generic one keeps.
      expect(new Set(fast.counts).size).toBe(1);
      expect(fast.counts).toEqual(generic.counts);
      // It did learn something (the loss moved).
      expect(Math.abs(fast.history.loss[3] - fast.history.loss[0])).toBeGreaterThan(1e-4);
    });
  }
});
