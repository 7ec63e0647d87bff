/**
 * Transfer-learning helpers for the seed's "reusing pretrained layers" recipe (model A trained
 * on one task, model B on A reusing all its layers but the output, reused layers frozen for a
 * few epochs, then unfrozen and fine-tuned with a lower learning rate).
 *
 * tfjs 4.22 has no cloneModel, and `encoder.trainable = false` only reaches one level of
 * nesting (an encoder Sequential used as the first layer of another Sequential keeps
 * training). `freeze` / `unfreeze` set the flag on every layer at every depth: the library's one
 * way to freeze (a pretrained encoder inside a classifier: `freeze(encoder)`).
 *
 * As in Keras, compile (again) after freezing or unfreezing: tfjs collects the trainable
 * weights at compile time, so a layer unfrozen after compile is not trained until you recompile.
 *
 * Usage:
 *   const modelBOnA = reuseLayers(cloneModel(modelA), -1);       // all layers but the output
 *   modelBOnA.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
 *   freeze(modelBOnA.layers.slice(0, -1));
 *   modelBOnA.compile({ optimizer: SGD({ learningRate: 1e-3 }), loss: 'binaryCrossentropy' });
 *   // ... fit a few epochs, then:
 *   unfreeze(modelBOnA.layers.slice(0, -1));
 *   modelBOnA.compile({ optimizer: SGD({ learningRate: 1e-4 }), loss: 'binaryCrossentropy' });
 */
import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;
type ConfigDict = tf.serialization.ConfigDict;

/** What freeze/unfreeze accept: a model, a layer, or a list of them. */
export type FreezeTarget = Layer | tf.LayersModel | ReadonlyArray<Layer | tf.LayersModel>;

function innerLayers(layer: Layer): Layer[] | undefined {
  const inner = (layer as unknown as { layers?: unknown }).layers;
  return Array.isArray(inner) ? (inner as Layer[]) : undefined;
}

/** Sets `trainable` on a layer and on every layer nested in it; returns how many were set. */
function setTrainableDeep(layer: Layer, value: boolean): number {
  let n = 0;
  const inner = innerLayers(layer);
  if (inner) for (const l of inner) n += setTrainableDeep(l, value);
  layer.trainable = value;
  return n + 1;
}

function targets(target: FreezeTarget, who: string): Layer[] {
  const list = (Array.isArray(target) ? target : [target]) as Layer[];
  list.forEach((l, i) => {
    if (l == null || typeof (l as Layer).getWeights !== 'function') throw new Error(`${who}: item ${i} is not a tfjs layer or model; pass model.layers.slice(0, -1), a layer, or a model.`);
  });
  return list;
}

/**
 * Makes layers non-trainable at every depth (nested models included). Returns how many layers
 * were set. Recompile the model afterwards, as in Keras.
 *
 * Usage: `freeze(modelBOnA.layers.slice(0, -1))`
 */
export function freeze(target: FreezeTarget): number {
  return targets(target, 'freeze').reduce((n, l) => n + setTrainableDeep(l, false), 0);
}

/**
 * Makes layers trainable again at every depth. Recompile afterwards (tfjs, like Keras, only
 * trains the weights that were trainable at compile time).
 *
 * Usage: `unfreeze(modelBOnA.layers.slice(0, -1)); modelBOnA.compile({ ... lower learning rate ... })`
 */
export function unfreeze(target: FreezeTarget): number {
  return targets(target, 'unfreeze').reduce((n, l) => n + setTrainableDeep(l, true), 0);
}

/**
 * Trainable and non-trainable parameter counts of a model or layer.
 *
 * Usage: `countParams(model) // { trainable: 2410, nonTrainable: 0 }`
 */
export function countParams(model: Layer | tf.LayersModel): { trainable: number; nonTrainable: number } {
  const size = (ws: tf.LayerVariable[]): number => ws.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
  return { trainable: size(model.trainableWeights), nonTrainable: size(model.nonTrainableWeights) };
}

type Entry = [tf.serialization.SerializableConstructor<tf.serialization.Serializable>, tf.serialization.FromConfigMethod<tf.serialization.Serializable>];

function entryFor(className: string, who: string): Entry {
  const e = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!e) throw new Error(`${who}: class '${className}' is not registered for serialization; register custom layers with tf.serialization.registerClass before cloning.`);
  return e;
}

function fromOwnConfig<T>(obj: { getClassName(): string; getConfig(): ConfigDict }, who: string): T {
  const [cls, fromConfig] = entryFor(obj.getClassName(), who);
  const config = JSON.parse(JSON.stringify(obj.getConfig())) as ConfigDict;
  return fromConfig(cls, config) as unknown as T;
}

/** Copies weights leaf layer by leaf layer (robust to the model-level order changing when layers are frozen). */
function copyWeights(src: Layer, dst: Layer): void {
  const a = innerLayers(src);
  const b = innerLayers(dst);
  if (a && b) {
    const la = a.filter((l) => l.getClassName() !== 'InputLayer');
    const lb = b.filter((l) => l.getClassName() !== 'InputLayer');
    if (la.length !== lb.length) throw new Error(`cloneModel: '${src.name}' has ${la.length} layers but its copy has ${lb.length}; the architectures differ.`);
    la.forEach((l, i) => copyWeights(l, lb[i]));
    return;
  }
  const ws = src.getWeights();
  if (ws.length > 0) dst.setWeights(ws);
}

/**
 * A new model with the same architecture (from the model's config) and a fresh copy of the
 * weights (Keras's clone_model followed by set_weights). Custom layers must be registered.
 * Training the copy leaves the original untouched. Trainable flags are kept.
 *
 * Usage: `const modelAClone = cloneModel(modelA);`
 */
export function cloneModel<T extends tf.LayersModel>(model: T, options: { copyWeights?: boolean } = {}): T {
  if (model == null || typeof model.getConfig !== 'function') throw new Error('cloneModel: pass a tfjs LayersModel (tf.sequential or tf.model).');
  const clone = fromOwnConfig<T>(model, 'cloneModel');
  if (options.copyWeights ?? true) copyWeights(model, clone);
  return clone;
}

/**
 * A new Sequential made of the first `count` layers of `source` (a negative count drops that
 * many from the end: -1 is "all but the output layer", Keras's model.layers[:-1]).
 * mode 'share' (default, like `Sequential(model_A.layers[:-1])`) reuses the layer objects, so
 * training the new model also changes `source`; clone `source` first to keep it, or use mode
 * 'copy' for new layers with copied weights. The new model's `layers` are the reused ones (no
 * InputLayer listed), except when a shared first layer is already connected to two models.
 *
 * Usage: `const modelBOnA = reuseLayers(modelA, -1, { mode: 'copy' }); modelBOnA.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));`
 */
export function reuseLayers(source: tf.LayersModel, count: number, options: { mode?: 'share' | 'copy' } = {}): tf.Sequential {
  if (source == null || !Array.isArray(source.layers)) throw new Error('reuseLayers: source must be a tfjs LayersModel.');
  const layers = source.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const n = count < 0 ? layers.length + count : count;
  if (!Number.isInteger(count) || n < 1 || n > layers.length) {
    throw new Error(`reuseLayers: count ${count} selects ${n} of the ${layers.length} layers of '${source.name}'; use 1..${layers.length}, or a negative number to drop layers from the end (-1: all but the output).`);
  }
  if (source.inputs.length !== 1) throw new Error(`reuseLayers: '${source.name}' has ${source.inputs.length} inputs; only single-input models can be turned into a Sequential.`);
  const mode = options.mode ?? 'share';
  if (mode !== 'share' && mode !== 'copy') throw new Error(`reuseLayers: mode must be 'share' or 'copy', got '${String(mode)}'.`);
  const inputShape = source.inputs[0].shape.slice(1) as number[];
  const chosen = layers.slice(0, n);
  const model = tf.sequential();
  let added: Layer[];
  if (mode === 'copy') {
    added = chosen.map((l, i) => {
      const config = JSON.parse(JSON.stringify(l.getConfig())) as ConfigDict;
      if (i === 0) config.batchInputShape = [null, ...inputShape];
      const [cls, fromConfig] = entryFor(l.getClassName(), 'reuseLayers');
      return fromConfig(cls, config) as unknown as Layer;
    });
  } else {
    added = chosen;
    // A layer connected once (to the source's input) starts the new Sequential as in Keras;
    // a layer already connected elsewhere needs an explicit input layer (then listed first).
    if (chosen[0].inboundNodes.length !== 1) model.add(tf.layers.inputLayer({ inputShape, dtype: source.inputs[0].dtype }));
  }
  added.forEach((l) => model.add(l));
  if (mode === 'copy') chosen.forEach((l, i) => copyWeights(l, added[i]));
  return model;
}

/**
 * Frees the weights of models that share layers (reuseLayers' 'share' mode, an encoder nested in a
 * classifier), each shared weight once, except the weights that the `keep` models still use.
 * tfjs's model.dispose() miscounts shared and nested layers: disposing a model that nests a shared
 * encoder frees the encoder's weights under the other model, and disposing both throws "already
 * disposed". A model's tensors are its weights, so this frees all of them; the freed models must
 * not be used afterwards. Returns the number of weight variables freed.
 *
 * Usage: `disposeModels([classifier], { keep: [autoencoder] }); ... disposeModels([autoencoder]);`
 */
export function disposeModels(models: ReadonlyArray<tf.LayersModel>, options: { keep?: ReadonlyArray<tf.LayersModel> } = {}): number {
  const kept = new Set<tf.LayerVariable>();
  for (const m of options.keep ?? []) for (const w of m.weights) kept.add(w);
  const done = new Set<tf.LayerVariable>();
  for (const m of models) {
    for (const w of m.weights) {
      if (kept.has(w) || done.has(w)) continue;
      done.add(w);
      w.dispose();
    }
  }
  return done.size;
}
