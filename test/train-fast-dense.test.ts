// The tape-free Dense-stack step (lib/train/fast-dense.ts): which models take it, and that it
// trains exactly like the generic path (same weights and logs to float precision).
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { compile, CompileConfig } from '../lib/train/compile';
import { planDenseStack, setDenseFastPath } from '../lib/train/fast-dense';
import { fit } from '../lib/train/fit';
import { SGD } from '../lib/train/optimizers';
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
      [mlp({ hidden: 'sigmoid' }), sparse(), false],
      [mlp(), { optimizer: 'sgd', loss: 'categorical_crossentropy' }, false],
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
