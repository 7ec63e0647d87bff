/**
 * Looking inside a network on one batch: the gradient norm of each layer's weights (the
 * vanishing-gradient demonstration: with sigmoid and a poor initialisation the lower layers get
 * far smaller gradients than the upper ones), and the mean and standard deviation of each
 * layer's outputs (how the signal's scale travels forwards: Glorot/He/LeCun keep it steady,
 * SELU pulls it towards mean 0 and standard deviation 1).
 *
 * Usage:
 *   const norms = layerGradientNorms(model, xBatch, yBatch);   // one row per layer with weights
 *   const stats = layerOutputStats(model, xBatch);             // one row per layer
 */
import * as tf from '@tensorflow/tfjs';
import { LossFunction, resolveLoss } from '../train/losses';

/** The gradient of one layer's weights on a batch. */
export interface LayerGradientNorm {
  /** The layer's name. */
  layer: string;
  /** Its class ('Dense', 'BatchNormalization', ...). */
  className: string;
  /** 1 for the first layer with trainable weights (nearest the input), 2 for the next, ... */
  depth: number;
  /** L2 norm of the gradient of the layer's kernel (its first trainable weight). */
  kernelNorm: number;
  /** Root mean square of the kernel gradient (the norm divided by sqrt(number of weights)). */
  kernelRms: number;
  /** L2 norm of the gradient of all the layer's trainable weights together. */
  totalNorm: number;
  /** Number of trainable weights in the layer. */
  params: number;
}

/** Options of layerGradientNorms. */
export interface GradientNormOptions {
  /** A Keras loss name or function (default 'sparse_categorical_crossentropy'). */
  loss?: string | LossFunction;
  /** Run the layers in training mode (dropout on, BN on batch statistics, updating its moving averages). Default false. */
  training?: boolean;
}

type Layer = tf.layers.Layer;

/** Leaf layers in order, nested models expanded. */
function leafLayers(model: tf.LayersModel): Layer[] {
  const out: Layer[] = [];
  const visit = (layers: Layer[]): void => {
    for (const l of layers) {
      const inner = (l as unknown as { layers?: Layer[] }).layers;
      if (Array.isArray(inner)) visit(inner);
      else out.push(l);
    }
  };
  visit(model.layers);
  return out;
}

function checkModel(model: unknown, who: string): asserts model is tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) throw new Error(`${who}: expected a tfjs LayersModel (tf.sequential or tf.model).`);
}

/**
 * The L2 norm of the loss gradient with respect to each layer's trainable weights, on one
 * batch (x, y). The loss is the mean over the batch, as in training. Layers are listed from the
 * input to the output; frozen layers and layers without weights are left out.
 *
 * Usage: `layerGradientNorms(model, x.slice(0, 256), y.slice(0, 256)).map((r) => r.kernelNorm)`
 */
export function layerGradientNorms(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, options: GradientNormOptions = {}): LayerGradientNorm[] {
  checkModel(model, 'layerGradientNorms');
  if (x.shape[0] !== y.shape[0]) throw new Error(`layerGradientNorms: x has ${x.shape[0]} samples but y has ${y.shape[0]}; give one target per sample.`);
  const loss = resolveLoss(options.loss ?? 'sparse_categorical_crossentropy');
  const training = options.training ?? false;
  const layers = leafLayers(model).filter((l) => l.trainable && l.trainableWeights.length > 0);
  if (layers.length === 0) throw new Error('layerGradientNorms: the model has no trainable weights; unfreeze some layers or build the model first.');
  const groups = layers.map((l) => l.trainableWeights.map((w) => w.read() as tf.Variable));
  const vars = groups.flat();
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const pred = model.apply(x, { training }) as tf.Tensor;
      const perSample = loss.perSample(y, pred);
      return (perSample.rank === 0 ? perSample : tf.mean(perSample)) as tf.Scalar;
    }, vars);
    value.dispose();
    return layers.map((l, i) => {
      const g = groups[i].map((v) => grads[v.name]);
      const kernel = g[0];
      const kernelNorm = tf.norm(kernel).dataSync()[0];
      const totalNorm = Math.sqrt(g.reduce((a, t) => a + tf.sum(tf.square(t)).dataSync()[0], 0));
      return {
        layer: l.name,
        className: l.getClassName(),
        depth: i + 1,
        kernelNorm,
        kernelRms: kernelNorm / Math.sqrt(kernel.size),
        totalNorm,
        params: g.reduce((a, t) => a + t.size, 0),
      };
    });
  });
}

/** The scale of one layer's outputs on a batch. */
export interface LayerOutputStats {
  layer: string;
  className: string;
  /** 1 for the first layer. */
  index: number;
  mean: number;
  std: number;
  /** Fraction of outputs exactly 0 (ReLUs that are off). */
  zeroFraction: number;
  /** Fraction of outputs above 0.99 or within 0.01 of 0: the flat ends of a sigmoid (meaningful after one). */
  saturatedFraction: number;
}

/**
 * Mean and standard deviation of every layer's outputs for a batch x, running the layers of a
 * Sequential model one after the other (inference mode).
 *
 * Usage: `layerOutputStats(model, xBatch).map((r) => r.std)`
 */
export function layerOutputStats(model: tf.LayersModel, x: tf.Tensor): LayerOutputStats[] {
  checkModel(model, 'layerOutputStats');
  if (!(model instanceof tf.Sequential)) throw new Error('layerOutputStats: expects a tf.Sequential model (layers applied one after the other).');
  const layers = leafLayers(model).filter((l) => l.getClassName() !== 'InputLayer');
  return tf.tidy(() => {
    let h = x;
    return layers.map((l, i) => {
      h = l.apply(h, { training: false }) as tf.Tensor;
      const { mean, variance } = tf.moments(h);
      const zero = tf.mean(tf.cast(tf.equal(h, 0), 'float32'));
      const sat = tf.mean(tf.cast(tf.logicalOr(tf.greater(h, 0.99), tf.less(tf.abs(h), 0.01)), 'float32'));
      return {
        layer: l.name,
        className: l.getClassName(),
        index: i + 1,
        mean: mean.dataSync()[0],
        std: Math.sqrt(variance.dataSync()[0]),
        zeroFraction: zero.dataSync()[0],
        saturatedFraction: sat.dataSync()[0],
      };
    });
  });
}
