/**
 * DenseTranspose: a decoder layer tied to an encoder Dense layer (seed 001, "Tying weights").
 * It computes activation(x W^T + b) with W the tied Dense's kernel (read at call time, so it is
 * the same variable) and b its own bias of the Dense's input size.
 *
 * Weight ownership: the kernel belongs to the Dense. This layer's weights are only its bias,
 * so a model holding both layers lists the kernel once, trains it once (gradients from the
 * encoder and decoder paths add up) and counts it once: a tied 784-100-30 autoencoder has
 * 82,414 parameters against 163,814 untied. A decoder model on its own lists only the biases.
 *
 * Serialisation: the layer is registered with tf.serialization.registerClass; its config keeps
 * the tied layer's name and size, and after tf.loadLayersModel call `tieDenseTransposes(model)`
 * to bind it to the loaded Dense again.
 *
 * Usage:
 *   const dense1 = tf.layers.dense({ units: 100, activation: 'selu' });
 *   const h = dense1.apply(x) as tf.SymbolicTensor;
 *   const back = new DenseTranspose({ dense: dense1, activation: 'sigmoid' }).apply(h);
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { activationFn, AutoencoderActivation } from './autoencoder-activations';

/** Constructor arguments of DenseTranspose. */
export interface DenseTransposeArgs extends LayerArgs {
  /** The encoder Dense layer whose kernel is reused (transposed). */
  dense?: tf.layers.Layer;
  /** Activation name (default 'linear'). */
  activation?: AutoencoderActivation;
  /**
   * Name of the tied layer, used when restored from a config (kept as `{ name }` in configs:
   * tfjs camel-cases every other string value on load).
   */
  tiedTo?: string | { name: string };
  /** Output size (the tied Dense's input size), used when restored from a config. */
  units?: number;
}

/** Finds a Dense layer's kernel variable. */
function kernelOf(dense: tf.layers.Layer): tf.LayerVariable {
  const k = dense.weights.find((w) => /kernel/.test(w.originalName));
  if (!k) throw new Error(`DenseTranspose: layer '${dense.name}' has no kernel yet; apply it (build the encoder) before the tied decoder.`);
  return k;
}

/** A Dense layer that reuses another Dense's kernel, transposed, with its own bias. Usage: `new DenseTranspose({ dense, activation: 'sigmoid' }).apply(h)` */
export class DenseTranspose extends tf.layers.Layer {
  static readonly className = 'DenseTranspose';
  private dense: tf.layers.Layer | null;
  readonly activationName: AutoencoderActivation;
  readonly tiedTo: string;
  private unitsV: number | undefined;
  private bias: tf.LayerVariable | null = null;

  /** Usage: `new DenseTranspose({ dense: encoderDense, activation: 'selu' })` */
  constructor(args: DenseTransposeArgs) {
    super(args);
    if (!args.dense && !(args.tiedTo && args.units)) {
      throw new Error('DenseTranspose: pass the encoder Dense layer to tie to ({ dense }).');
    }
    this.dense = args.dense ?? null;
    this.activationName = args.activation ?? 'linear';
    activationFn(this.activationName);
    const tiedTo = args.tiedTo;
    this.tiedTo = args.dense ? args.dense.name : typeof tiedTo === 'string' ? tiedTo : (tiedTo as { name: string }).name;
    this.unitsV = args.units;
  }

  /** The tied Dense layer (null until `tie` after loading from a config). */
  get tiedLayer(): tf.layers.Layer | null {
    return this.dense;
  }

  /** Binds this layer to a Dense (used after deserialisation). Usage: `layer.tie(dense)` */
  tie(dense: tf.layers.Layer): void {
    const k = kernelOf(dense);
    if (this.unitsV !== undefined && k.shape[0] !== this.unitsV) {
      throw new Error(`DenseTranspose.tie: '${dense.name}' has input size ${k.shape[0]} but this layer outputs ${this.unitsV}.`);
    }
    this.dense = dense;
  }

  private get units(): number {
    if (this.dense) return kernelOf(this.dense).shape[0] as number;
    return this.unitsV as number;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1];
    if (this.dense) {
      const k = kernelOf(this.dense);
      if (k.shape[1] !== inDim) {
        throw new Error(`DenseTranspose: input has ${inDim} features but '${this.dense.name}' outputs ${k.shape[1]}; tie each decoder layer to the encoder layer that produced its input size.`);
      }
    }
    this.unitsV = this.units;
    this.bias = this.addWeight('bias', [this.unitsV], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (!this.dense) throw new Error(`DenseTranspose '${this.name}': not tied to a Dense yet; after loading a model call tieDenseTransposes(model).`);
      const kernel = kernelOf(this.dense).read();
      const z = tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D, false, true).add((this.bias as tf.LayerVariable).read());
      return activationFn(this.activationName)(z);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), activation: this.activationName, tiedTo: { name: this.tiedTo }, units: this.units };
  }
}
tf.serialization.registerClass(DenseTranspose);

/**
 * After `tf.loadLayersModel`, binds every DenseTranspose in `model` (and its nested models) to
 * the Dense layer named in its config. Returns how many were tied.
 *
 * Usage: `const m = await tf.loadLayersModel(handler); tieDenseTransposes(m);`
 */
export function tieDenseTransposes(model: tf.LayersModel): number {
  const all: tf.layers.Layer[] = [];
  const walk = (layers: tf.layers.Layer[]): void => {
    for (const l of layers) {
      all.push(l);
      const inner = (l as unknown as { layers?: tf.layers.Layer[] }).layers;
      if (Array.isArray(inner)) walk(inner);
    }
  };
  walk(model.layers);
  let n = 0;
  for (const l of all) {
    if (l instanceof DenseTranspose && !l.tiedLayer) {
      const target = all.find((d) => d.name === l.tiedTo && !(d instanceof DenseTranspose));
      if (!target) throw new Error(`tieDenseTransposes: no layer named '${l.tiedTo}' in the model for '${l.name}' to tie to.`);
      l.tie(target);
      n++;
    }
  }
  return n;
}
