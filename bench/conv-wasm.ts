/**
 * Times one training epoch of a small CNN (conv 32, pool, conv 64, pool, dense 10) on 2,048
 * random 28x28 images, batch 32, on the wasm backend with the kernels of lib/wasm-kernels.ts.
 * (The same epoch takes about 974 s on the pure-JS cpu backend.)
 *
 * Usage: `npx tsc -p . && node dist/bench/conv-wasm.js` (or `npx tsx bench/conv-wasm.ts`);
 * `BENCH_EPOCHS=3` times more epochs.
 */
import * as tf from '@tensorflow/tfjs';
import { describeBackend, initBackend } from '../lib/backend';
import { setGlobalSeed } from '../lib/random';

const SAMPLES = 2048;
const BATCH = 32;

/** The CNN of the benchmark, compiled with adam and sparse categorical cross-entropy. */
function smallCnn(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

async function main(): Promise<void> {
  const info = await initBackend({ backend: 'wasm' });
  console.log(describeBackend(info));
  setGlobalSeed(42);
  const epochs = Number(process.env.BENCH_EPOCHS ?? '1');
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`BENCH_EPOCHS must be a positive integer, got ${process.env.BENCH_EPOCHS}.`);

  const x = tf.randomUniform([SAMPLES, 28, 28, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.floor(tf.randomUniform([SAMPLES, 1], 0, 10, 'float32', 2)));
  const model = smallCnn();

  // Warm-up: one batch (kernel setup, first allocations), not timed.
  const xWarm = tf.slice(x, 0, BATCH);
  const yWarm = tf.slice(y, 0, BATCH);
  await model.fit(xWarm, yWarm, { epochs: 1, batchSize: BATCH, verbose: 0 });
  tf.dispose([xWarm, yWarm]);

  const tensorsBefore = tf.memory().numTensors;
  for (let e = 1; e <= epochs; e++) {
    const t0 = performance.now();
    const h = await model.fit(x, y, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
    const seconds = (performance.now() - t0) / 1000;
    const loss = (h.history.loss[0] as number).toFixed(4);
    console.log(
      `epoch ${e}: ${seconds.toFixed(2)} s for ${SAMPLES} images, batch ${BATCH} ` +
        `(${((seconds * 1000 * BATCH) / SAMPLES).toFixed(1)} ms/batch, loss ${loss})`,
    );
  }
  console.log(`tensors after the timed epochs: ${tf.memory().numTensors} (before: ${tensorsBefore})`);
  model.dispose();
  tf.dispose([x, y]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
