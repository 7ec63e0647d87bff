/**
 * Checks of notebook 05's exercises (a CNN on Fashion-MNIST).
 *
 * Usage (in the notebook): `import { check05_1 } from '../dist/lib/exercises'; await check05_1({ noPool: noPool });`
 */
import * as tf from '@tensorflow/tfjs';
import { FASHION_INPUT_SHAPE, seedCnnSpec, summarizeSpec } from '../models';
import { convLayerCost } from '../vision';
import { Verdict, close, expect, expectFunction, expectNumber, need, runCheck } from './check';
import { buildWith, describeLayers, shapeText } from './model-answers';
import { expectModel } from './check';

/** The ids of notebook 05's exercises. */
export const EXERCISES_05: readonly string[] = ['05.1', '05.2', '05.3', '05.4', '05.5', '05.6'];

const SEED_CLASSES = ['Conv2D', 'MaxPooling2D', 'Conv2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense', 'Dropout', 'Dense'];

function expectClasses(got: readonly string[], want: readonly string[], what: string, hint: string): void {
  expect(got.length === want.length && got.every((c, i) => c === want[i]),
    `${what} has the layers ${got.join(', ')}: that is not the layer list the exercise asks for`, hint);
}

/**
 * Exercise 05.1: `noPool` is the seed's CNN without its two max-pooling layers.
 * Usage: `await check05_1({ noPool: noPool })`
 */
export const check05_1 = (answer: { noPool?: unknown }): Promise<Verdict> =>
  runCheck('05.1', 'The CNN without pooling', () => {
    const model = expectModel(need(answer.noPool, 'noPool', 'a tf.Sequential model'), 'noPool');
    const layers = describeLayers(model);
    expectClasses(layers.map((l) => l.className), SEED_CLASSES.filter((c) => c !== 'MaxPooling2D'), 'noPool',
      "keep every layer of buildCnn's list except the two tf.layers.maxPooling2d lines");
    const convs = layers.filter((l) => l.className === 'Conv2D');
    expect(convs.every((l) => l.outputShape[0] === 28 && l.outputShape[1] === 28),
      `the convolutions output ${convs.map((l) => shapeText(l.outputShape)).join(', ')}`, "keep padding: 'same' and stride 1: without pooling every map stays 28x28");
    const want = summarizeSpec(FASHION_INPUT_SHAPE, seedCnnSpec().filter((l) => l.kind !== 'maxPool')).totalParams;
    expect(model.countParams() === want, `noPool has ${model.countParams().toLocaleString('en-US')} parameters: not the count of the seed's CNN without pooling`,
      'keep the filters (64, 128, 128), kernel sizes (7, 3, 3) and the dense head (128, 64, 10) of the seed');
  });

/**
 * Exercise 05.2: `buildStridedCnn()` replaces pooling by stride-2 convolutions; `speedup` is the
 * ratio of the seed's conv multiplications to the strided ones.
 * Usage: `await check05_2({ buildStridedCnn: buildStridedCnn, speedup: speedup })`
 */
export const check05_2 = (answer: { buildStridedCnn?: unknown; speedup?: unknown }): Promise<Verdict> =>
  runCheck('05.2', 'Strided convolutions instead of pooling', () => {
    const build = expectFunction(need(answer.buildStridedCnn, 'buildStridedCnn', 'a function returning a tf.Sequential'), 'buildStridedCnn');
    const a = buildWith(build, 'buildStridedCnn');
    const b = buildWith(build, 'buildStridedCnn');
    try {
      expect(a !== b, 'buildStridedCnn() returned the same model twice', 'create the model inside the function, so each call builds a fresh one');
      const layers = describeLayers(a);
      expectClasses(layers.map((l) => l.className), SEED_CLASSES.filter((c) => c !== 'MaxPooling2D'), 'buildStridedCnn()',
        'drop the two pooling layers; the convolutions stay (with strides: 2 on those that preceded a pooling)');
      const convShapes = layers.filter((l) => l.className === 'Conv2D').map((l) => shapeText(l.outputShape));
      const wantShapes = ['[14, 14, 64]', '[14, 14, 128]', '[7, 7, 128]'];
      expect(convShapes.join() === wantShapes.join(), `the convolutions output ${convShapes.join(', ')}`,
        "give strides: 2 to the convolution just before each former pooling layer, keeping padding: 'same'");
      const want = summarizeSpec(FASHION_INPUT_SHAPE, seedCnnSpec()).totalParams;
      expect(a.countParams() === want, `the strided CNN has ${a.countParams().toLocaleString('en-US')} parameters, not the seed's count`,
        'strides change the map sizes, not the weights: keep filters, kernels and the dense head');
    } finally {
      // A builder that returns one shared model keeps it: only fresh models are the check's to free.
      if (a !== b) {
        a.dispose();
        b.dispose();
      }
    }
    const s = expectNumber(need(answer.speedup, 'speedup', 'a number (seed multiplications / strided multiplications)'), 'speedup');
    const mults = (costs: { multiplications: number }[]): number => costs.reduce((t, c) => t + c.multiplications, 0);
    const seed = mults([
      convLayerCost({ input: [28, 28, 1], filters: 64, kernel: 7 }),
      convLayerCost({ input: [14, 14, 64], filters: 128, kernel: 3 }),
      convLayerCost({ input: [14, 14, 128], filters: 128, kernel: 3 }),
    ]);
    const strided = mults([
      convLayerCost({ input: [28, 28, 1], filters: 64, kernel: 7, stride: 2 }),
      convLayerCost({ input: [14, 14, 64], filters: 128, kernel: 3 }),
      convLayerCost({ input: [14, 14, 128], filters: 128, kernel: 3, stride: 2 }),
    ]);
    expect(close(s, seed / strided, 1e-3), `speedup is ${s}`,
      'sum convLayerCost(...).multiplications over the three convolutions of each model (input shapes: what each layer receives) and divide seed by strided');
  });

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Exercise 05.3: `topKAccuracy(probs, labels, k)`, tried on hidden random predictions.
 * Usage: `await check05_3({ topKAccuracy: topKAccuracy })`
 */
export const check05_3 = (answer: { topKAccuracy?: unknown }): Promise<Verdict> =>
  runCheck('05.3', 'Top-k accuracy', () => {
    const f = expectFunction(need(answer.topKAccuracy, 'topKAccuracy', 'a function (probs, labels, k) => number'), 'topKAccuracy', 3) as
      (p: tf.Tensor2D, labels: number[], k: number) => unknown;
    const rand = lcg(505);
    const n = 40;
    const classes = 7;
    const rows = Array.from({ length: n }, () => Array.from({ length: classes }, () => rand()));
    const labels = Array.from({ length: n }, () => Math.floor(rand() * classes));
    const probs = tf.tensor2d(rows);
    try {
      for (const k of [1, 2, 3, 5]) {
        const want = rows.filter((r, i) => r.filter((v) => v > r[labels[i]]).length < k).length / n;
        const got = expectNumber(f(probs, labels, k), `topKAccuracy(probs, labels, ${k})`);
        expect(close(got, want, 1e-6), `on a hidden set of ${n} predictions over ${classes} classes, topKAccuracy(..., ${k}) returned ${got}`,
          'count the rows whose label is among the k indices tf.topk(probs, k) returns, divided by the number of rows');
      }
    } finally {
      probs.dispose();
    }
  });

/**
 * Exercise 05.4: `strongestMaps(maps, n)`, tried on hidden random feature maps.
 * Usage: `await check05_4({ strongestMaps: strongestMaps })`
 */
export const check05_4 = (answer: { strongestMaps?: unknown }): Promise<Verdict> =>
  runCheck('05.4', 'Which filters matter?', () => {
    const f = expectFunction(need(answer.strongestMaps, 'strongestMaps', 'a function (maps, n) => number[]'), 'strongestMaps', 2) as
      (maps: tf.Tensor4D, n: number) => unknown;
    const rand = lcg(4040);
    const [b, h, w, c] = [2, 4, 3, 9];
    const values = Array.from({ length: b * h * w * c }, () => rand());
    const maps = tf.tensor4d(values, [b, h, w, c]);
    const means = Array.from({ length: c }, (_, ch) => {
      let s = 0;
      for (let i = ch; i < values.length; i += c) s += values[i];
      return s / (b * h * w);
    });
    const order = means.map((m, i) => [m, i] as const).sort((x, y) => y[0] - x[0]).map(([, i]) => i);
    try {
      for (const n of [3, 5]) {
        const got = f(maps, n);
        expect(Array.isArray(got), `strongestMaps returned ${typeof got}, not an array`, 'return an array of channel indices');
        const gotList = got as unknown[];
        expect(gotList.length === n && gotList.every((g, i) => g === order[i]),
          `on hidden maps of shape [${b}, ${h}, ${w}, ${c}], strongestMaps(maps, ${n}) returned [${gotList.join(', ')}]`,
          'average over axes 0, 1 and 2 (batch, height, width), then take the indices of the n largest means, largest first');
      }
    } finally {
      maps.dispose();
    }
  });

/**
 * Exercise 05.5: `valAccuracy` holds the validation accuracy after one epoch with Adam(0.01) and
 * Adam(0.001) (keys '0.01' and '0.001'); an experiment, so the check tests that both runs are there.
 * Usage: `await check05_5({ valAccuracy: valAccuracy })`
 */
export const check05_5 = (answer: { valAccuracy?: unknown }): Promise<Verdict> =>
  runCheck('05.5', "The seed's learning rate", () => {
    const rec = need(answer.valAccuracy, 'valAccuracy', "an object { '0.01': number, '0.001': number }");
    expect(typeof rec === 'object', 'valAccuracy should be an object', "write valAccuracy = {}; then valAccuracy['0.01'] = ...");
    for (const key of ['0.01', '0.001']) {
      const v = (rec as Record<string, unknown>)[key];
      expect(v !== undefined, `valAccuracy has no entry '${key}'`, 'train one model per learning rate and store its val_accuracy under String(lr)');
      const x = expectNumber(v, `valAccuracy['${key}']`);
      expect(x >= 0 && x <= 1, `valAccuracy['${key}'] is ${x}, not an accuracy between 0 and 1`, 'store history.history.val_accuracy[0]');
    }
  });

/**
 * Exercise 05.6: `buildSmallCnn()` halves the filters (32, 64, 64) and the dense head (64, 32).
 * Usage: `await check05_6({ buildSmallCnn: buildSmallCnn })`
 */
export const check05_6 = (answer: { buildSmallCnn?: unknown }): Promise<Verdict> =>
  runCheck('05.6', 'Change the CNN', () => {
    const build = expectFunction(need(answer.buildSmallCnn, 'buildSmallCnn', 'a function returning a tf.Sequential'), 'buildSmallCnn');
    const m = buildWith(build, 'buildSmallCnn');
    try {
      const layers = describeLayers(m);
      expectClasses(layers.map((l) => l.className), SEED_CLASSES, 'buildSmallCnn()', "keep the seed's structure: the same layers in the same order");
      const spec = seedCnnSpec().map((l) => {
        if (l.kind === 'conv2d') return { ...l, filters: l.filters / 2 };
        if (l.kind === 'dense' && l.name !== 'output') return { ...l, units: l.units / 2 };
        return l;
      });
      const want = summarizeSpec(FASHION_INPUT_SHAPE, spec);
      const bad = layers.findIndex((l, i) => shapeText(l.outputShape) !== shapeText(want.rows[i].outputShape) || l.params !== want.rows[i].params);
      expect(bad < 0, bad < 0 ? '' : `layer ${bad + 1} (${layers[Math.max(bad, 0)].className}) outputs ${shapeText(layers[Math.max(bad, 0)].outputShape)} with ${layers[Math.max(bad, 0)].params} parameters: not what halving the seed's sizes gives`,
        'filters 32, 64, 64 (kernels 7, 3, 3, padding same), dense 64 and 32, output 10');
    } finally {
      m.dispose();
    }
  });
