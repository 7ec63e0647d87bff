/**
 * Checks of notebook 03's exercises (regularisation, callbacks, batch sizes).
 *
 * Usage (in the notebook): `import { check03_1 } from '../dist/lib/exercises'; await check03_1({ mcDropout: mcDropout });`
 */
import * as tf from '@tensorflow/tfjs';
import { Verdict, close, describeValue, expect, expectFunction, expectNumber, need, runCheck } from './check';
import { buildWith } from './model-answers';

/** The ids of notebook 03's exercises. */
export const EXERCISES_03: readonly string[] = ['03.1', '03.2', '03.3', '03.4', '03.5', '03.6'];

function isTensor(t: unknown): t is tf.Tensor {
  return t instanceof tf.Tensor;
}

/**
 * Exercise 03.1: `mcDropout(model, x, runs)` returns the mean and std of `runs` predictions with
 * dropout on; tried on hidden models with and without dropout.
 * Usage: `await check03_1({ mcDropout: mcDropout })`
 */
export const check03_1 = (answer: { mcDropout?: unknown }): Promise<Verdict> =>
  runCheck('03.1', 'Monte Carlo dropout', () => {
    const f = expectFunction(need(answer.mcDropout, 'mcDropout', 'a function (model, x, runs) => { mean, std }'), 'mcDropout', 3) as
      (m: tf.LayersModel, x: tf.Tensor, runs: number) => unknown;
    const plain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) })] });
    const dropped = tf.sequential({ layers: [tf.layers.dropout({ inputShape: [6], rate: 0.5 }), tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 2, stddev: 2 }) })] });
    const x5 = tf.randomNormal([7, 5], 0, 1, 'float32', 3);
    const x6 = tf.randomNormal([7, 6], 0, 1, 'float32', 4);
    const outs: tf.Tensor[] = [];
    try {
      const run = (m: tf.LayersModel, x: tf.Tensor, what: string): { mean: tf.Tensor; std: tf.Tensor } => {
        const before = tf.memory().numTensors;
        const r = f(m, x, 10) as { mean?: unknown; std?: unknown } | undefined;
        expect(r !== undefined && r !== null && isTensor(r.mean) && isTensor(r.std), `mcDropout on ${what} returned ${describeValue(r)}`, 'return { mean, std }, two tensors');
        outs.push(r.mean as tf.Tensor, r.std as tf.Tensor);
        const leaked = tf.memory().numTensors - before - 2;
        expect(leaked <= 0, `mcDropout left ${leaked} tensor(s) behind besides mean and std`, 'wrap the computation in tf.tidy and return the two tensors from it');
        return { mean: r.mean as tf.Tensor, std: r.std as tf.Tensor };
      };
      const a = run(plain, x5, 'a hidden model without dropout');
      const want = tf.tidy(() => (plain.apply(x5, { training: false }) as tf.Tensor).arraySync() as number[][]);
      const gotMean = a.mean.arraySync() as number[][];
      expect(a.mean.shape.join() === '7,4' && gotMean.every((r, i) => r.every((v, j) => close(v, want[i][j], 1e-4))),
        `on a hidden model without dropout, the mean (shape [${a.mean.shape.join(', ')}]) is not the model's prediction`, 'average the runs over axis 0 (one prediction per run, stacked)');
      const maxStd = tf.tidy(() => a.std.max().dataSync()[0]);
      expect(maxStd < 1e-4, `on a hidden model without dropout the std reaches ${maxStd}`, 'the std over the runs of identical predictions is 0');
      const b = run(dropped, x6, 'a hidden model with dropout 0.5');
      const spread = tf.tidy(() => b.std.max().dataSync()[0]);
      expect(spread > 1e-3, 'on a hidden model with dropout 0.5 the runs do not vary', 'call model.apply(x, { training: true }) so that dropout stays on');
      const rowSums = tf.tidy(() => b.mean.sum(1).arraySync() as number[]);
      expect(rowSums.every((v) => close(v, 1, 1e-4)), 'the mean probabilities do not sum to 1 per image', 'average probabilities over the runs (axis 0), not over the classes');
    } finally {
      tf.dispose([x5, x6, ...outs]);
      plain.dispose();
      dropped.dispose();
    }
  });

/**
 * Exercise 03.2: `dropoutMlp(rate)` builds section 2's model with any rate.
 * Usage: `await check03_2({ dropoutMlp: dropoutMlp })`
 */
export const check03_2 = (answer: { dropoutMlp?: unknown }): Promise<Verdict> =>
  runCheck('03.2', 'The dropout rate', () => {
    const build = expectFunction(need(answer.dropoutMlp, 'dropoutMlp', 'a function (rate) => tf.Sequential'), 'dropoutMlp', 1);
    for (const rate of [0.35, 0]) {
      const m = buildWith(build, 'dropoutMlp', rate);
      try {
        const drops = m.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => (l.getConfig() as { rate: number }).rate);
        expect(drops.length === 3 && drops.every((r) => close(r, rate, 1e-9)), `dropoutMlp(${rate}) has dropout rates [${drops.join(', ')}]`,
          'one Dropout(rate) before each Dense layer, the input included: three in all, each with the given rate');
        const units = m.layers.filter((l) => l.getClassName() === 'Dense').map((l) => (l.getConfig() as { units: number; activation: string }));
        expect(units.map((u) => `${u.units}${u.activation}`).join() === '300elu,100elu,10softmax', `dropoutMlp(${rate})'s Dense layers are ${units.map((u) => `${u.units} ${u.activation}`).join(', ')}`,
          'Dense 300 and 100 with ELU (he_normal), then 10 softmax');
        expect(m.countParams() === 266610, `dropoutMlp(${rate}) has ${m.countParams()} parameters`, 'flatten the 28x28 images first');
      } finally {
        m.dispose();
      }
    }
  });

/**
 * Exercise 03.3: `l2Penalty(model, lambda)`, tried on a hidden model with known weights.
 * Usage: `await check03_3({ l2Penalty: l2Penalty })`
 */
export const check03_3 = (answer: { l2Penalty?: unknown }): Promise<Verdict> =>
  runCheck('03.3', 'The penalty inside the loss', () => {
    const f = expectFunction(need(answer.l2Penalty, 'l2Penalty', 'a function (model, lambda) => number'), 'l2Penalty', 2) as (m: tf.LayersModel, l: number) => unknown;
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), tf.layers.dense({ units: 5 }), tf.layers.dense({ units: 2 })] });
    try {
      let want = 0;
      m.layers.forEach((l, i) => {
        const [k, b] = l.getWeights();
        const values = Array.from({ length: k.size }, (_, j) => ((j * 7 + i * 3) % 11) / 10 - 0.5);
        if (i < 2) want += values.reduce((s, v) => s + v * v, 0);
        const nk = tf.tensor(values, k.shape);
        const nb = tf.onesLike(b);
        l.setWeights([nk, nb]);
        tf.dispose([nk, nb]);
      });
      for (const lambda of [0.1, 2]) {
        const got = expectNumber(f(m, lambda), `l2Penalty(model, ${lambda})`);
        expect(close(got, lambda * want, 1e-5), `on a hidden 3-4-5-2 model, l2Penalty(model, ${lambda}) is ${got}`,
          'λ times the sum of the squared kernel weights of the Dense layers but the last (no biases)');
      }
    } finally {
      m.dispose();
    }
  });

/**
 * Exercise 03.4: `strongL1` holds the validation accuracy and the share of near-zero first-layer
 * weights of the λ = 0.01 model (an experiment: values in [0, 1] pass).
 * Usage: `await check03_4({ strongL1: strongL1 })`
 */
export const check03_4 = (answer: { strongL1?: unknown }): Promise<Verdict> =>
  runCheck('03.4', "The lecture's strength", () => {
    const r = need(answer.strongL1, 'strongL1', 'an object { valAccuracy, zeroShare }') as { valAccuracy?: unknown; zeroShare?: unknown };
    const acc = expectNumber(r.valAccuracy, 'strongL1.valAccuracy');
    const share = expectNumber(r.zeroShare, 'strongL1.zeroShare');
    expect(acc >= 0 && acc <= 1, `strongL1.valAccuracy is ${acc}`, 'an accuracy between 0 and 1 (final val_accuracy)');
    expect(share >= 0 && share <= 1, `strongL1.zeroShare is ${share}`, 'a share between 0 and 1 (modelSparsity(...).layers[0].fraction), not a percentage');
  });

/**
 * Exercise 03.5: `epochsRun` holds the epochs run with patience 1 and 5.
 * Usage: `await check03_5({ epochsRun: epochsRun, maxEpochs: P.patienceEpochs })`
 */
export const check03_5 = (answer: { epochsRun?: unknown; maxEpochs?: number }): Promise<Verdict> =>
  runCheck('03.5', 'Patience', () => {
    const rec = need(answer.epochsRun, 'epochsRun', "an object { '1': number, '5': number }") as Record<string, unknown>;
    const max = answer.maxEpochs ?? Infinity;
    const e1 = expectNumber(rec['1'], "epochsRun['1']");
    const e5 = expectNumber(rec['5'], "epochsRun['5']");
    for (const [k, e] of [['1', e1], ['5', e5]] as const) {
      expect(Number.isInteger(e) && e >= 1 && e <= max, `epochsRun['${k}'] is ${e}`, `the number of epochs run (r.epochsRun), between 1 and ${max}`);
    }
    expect(e5 >= e1, `patience 5 ran ${e5} epochs, fewer than patience 1 (${e1})`, 'both runs start from the same weights and data: the more patient one cannot stop sooner; store each under its own key');
  });

function referencePlateau(losses: readonly number[], lr: number, factor: number, patience: number): number[] {
  let best = Infinity;
  let wait = 0;
  let rate = lr;
  return losses.map((loss) => {
    if (loss < best) {
      best = loss;
      wait = 0;
    } else {
      wait += 1;
      if (wait >= patience) {
        rate *= factor;
        wait = 0;
      }
    }
    return rate;
  });
}

/**
 * Exercise 03.6: `plateauRates(valLosses, lr, factor, patience)`, tried on hidden loss sequences.
 * Usage: `await check03_6({ plateauRates: plateauRates })`
 */
export const check03_6 = (answer: { plateauRates?: unknown }): Promise<Verdict> =>
  runCheck('03.6', 'ReduceLROnPlateau by hand', () => {
    const f = expectFunction(need(answer.plateauRates, 'plateauRates', 'a function (valLosses, lr, factor, patience) => number[]'), 'plateauRates', 4) as
      (v: number[], lr: number, f: number, p: number) => unknown;
    const cases: [number[], number, number, number][] = [
      [[1, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.86], 0.1, 0.5, 2],
      [[0.5, 0.6, 0.7, 0.4, 0.4, 0.4, 0.3], 0.01, 0.1, 1],
      [[2, 1.5, 1.2, 1.1], 1, 0.5, 3],
      [[1, 1, 1, 1, 1, 1, 1], 0.2, 0.25, 3],
    ];
    for (const [losses, lr, factor, patience] of cases) {
      const got = f(losses.slice(), lr, factor, patience);
      const want = referencePlateau(losses, lr, factor, patience);
      const ok = Array.isArray(got) && got.length === want.length && got.every((v, i) => typeof v === 'number' && close(v, want[i], 1e-9));
      expect(ok, `for hidden losses [${losses.join(', ')}] (lr ${lr}, factor ${factor}, patience ${patience}) plateauRates returned ${Array.isArray(got) ? `[${got.join(', ')}]` : describeValue(got)}`,
        'one rate per epoch; a loss equal to the best is not an improvement; after a reduction the count of bad epochs restarts at 0');
    }
  });
