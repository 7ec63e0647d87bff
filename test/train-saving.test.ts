import * as tf from '@tensorflow/tfjs';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { setGlobalSeed } from '../lib/random';
import { compile, getCompiled, isCompiled } from '../lib/train/compile';
import { evaluate, fit, predict } from '../lib/train/fit';
import { getLearningRate } from '../lib/optim';
import { isKerasOptimizer } from '../lib/optim';
import { loadModel, registerFileScheme, saveModel } from '../lib/train/saving';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-save-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A custom layer: y = x * scale + shift with a trainable scale. */
class ScaleShift extends tf.layers.Layer {
  static className = 'TestScaleShift';
  readonly shift: number;
  private scale: tf.LayerVariable | null = null;
  constructor(args: { shift?: number; name?: string } = {}) {
    super(args);
    this.shift = args.shift ?? 0;
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    this.scale = this.addWeight('scale', [shape[shape.length - 1] as number], 'float32', tf.initializers.randomNormal({ seed: 3 }));
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.add(tf.mul(x, this.scale!.read()), this.shift));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shift: this.shift };
  }
}
tf.serialization.registerClass(ScaleShift);

describe('saveModel / loadModel', () => {
  it('round-trips a trained model (BN statistics and a custom layer included): identical predictions', async () => {
    setGlobalSeed(8);
    const x = tf.randomNormal([50, 4]);
    const y = tf.randomUniform([50], 0, 3, 'int32');
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
        tf.layers.batchNormalization(),
        new ScaleShift({ shift: 0.5 }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    compile(model, { optimizer: tf.train.adam(0.02), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    await fit(model, x, y, { epochs: 3, batchSize: 10, verbose: 0 });
    const dir = path.join(tmp, 'nested', 'mlp');
    await saveModel(model, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe(model.countParams() * 4);
    const loaded = await loadModel(dir);
    const a = predict(model, x);
    const b = predict(loaded, x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    // Compiled again from the stored settings: same loss/metrics, a fresh Adam with the same rate.
    expect(isCompiled(loaded)).toBe(true);
    expect(getCompiled(loaded).optimizer.getClassName()).toBe('Adam');
    expect(getLearningRate(getCompiled(loaded).optimizer)).toBe(0.02);
    expect(evaluate(loaded, x, y, { verbose: 0 })).toEqual(evaluate(model, x, y, { verbose: 0 }));
    tf.dispose([x, y, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('stores a Keras optimiser chosen by name and compiles the loaded model with it', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    compile(model, { optimizer: 'nadam', loss: 'mae', metrics: ['mse'] });
    const dir = path.join(tmp, 'nadam');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const opt = getCompiled(loaded).optimizer;
    expect(isKerasOptimizer(opt) && opt.kind).toBe('Nadam');
    expect(getCompiled(loaded).loss.name).toBe('mean_absolute_error');
    expect(getCompiled(loaded).metrics.map((m) => m.name)).toEqual(['mse']);
    model.dispose();
    loaded.dispose();
  });

  it('replaces an existing save atomically and leaves no temporary files', async () => {
    const dir = path.join(tmp, 'again');
    const m1 = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })] });
    const m2 = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'zeros' })] });
    await saveModel(m1, dir);
    await saveModel(m2, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(dir);
    expect(isCompiled(loaded)).toBe(false);
    expect(Array.from(loaded.getWeights()[0].dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    [m1, m2, loaded].forEach((m) => m.dispose());
  });

  it("makes tfjs's file:// save and load work without tfjs-node", async () => {
    expect(registerFileScheme()).toBe(true);
    expect(registerFileScheme()).toBe(false);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'glorotUniform' })] });
    const dir = path.join(tmp, 'scheme');
    await model.save(`file://${dir}`);
    const loaded = await tf.loadLayersModel(`file://${dir}/model.json`);
    expect(Array.from(loaded.getWeights()[0].dataSync())).toEqual(Array.from(model.getWeights()[0].dataSync()));
    model.dispose();
    loaded.dispose();
  });

  it('says what to do when the folder holds no model', async () => {
    await expect(loadModel(path.join(tmp, 'missing'))).rejects.toThrow(/model.json does not exist; save a model there first/);
  });
});
