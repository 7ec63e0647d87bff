/**
 * Saving and loading a model to a folder in Node without tfjs-node: model.json (topology,
 * weights manifest, our compile settings) + weights.bin, written atomically (temporary files,
 * then rename), the layout tfjs's file:// handler uses. Custom layers registered with
 * tf.serialization.registerClass load too.
 *
 * Usage:
 *   await saveModel(model, 'models/mlp');
 *   const again = await loadModel('models/mlp'); // compiled again when it was compiled (fresh optimiser state)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { assertUsableModel } from './usable';
import { compile, CompileConfig, getCompiled, isCompiled, MetricSpec } from './compile';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_KEY = 'tsdl_compile';

/** The compile settings stored in model.json (only what can be stored: names and configs). */
interface StoredCompile {
  loss: string;
  metrics: string[];
  fromLogits: boolean;
  optimizer?: { className: string; config: tf.serialization.ConfigDict };
}

function storedCompile(model: tf.LayersModel): StoredCompile | undefined {
  if (!isCompiled(model)) return undefined;
  const c = getCompiled(model);
  const { loss, metrics } = c.config;
  if (typeof loss !== 'string') return undefined;
  if (!(metrics ?? []).every((m): m is string => typeof m === 'string')) return undefined;
  const out: StoredCompile = { loss, metrics: (metrics ?? []) as string[], fromLogits: c.config.fromLogits ?? false };
  try {
    out.optimizer = { className: c.optimizer.getClassName(), config: c.optimizer.getConfig() };
  } catch {
    // An optimiser that cannot describe itself is left out; loadModel then asks for one.
  }
  return out;
}

function writeAtomically(files: { file: string; data: string | Uint8Array }[]): void {
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const temps = files.map((f) => `${f.file}${tag}`);
  try {
    files.forEach((f, i) => fs.writeFileSync(temps[i], f.data));
    // Weights first, model.json last: a reader never sees a model.json without its weights.
    files.forEach((f, i) => fs.renameSync(temps[i], f.file));
  } catch (e) {
    for (const t of temps) if (fs.existsSync(t)) fs.rmSync(t, { force: true });
    throw e;
  }
}

/**
 * A tf.io.IOHandler reading and writing a folder (model.json + weights.bin).
 * Usage: `await model.save(folderHandler('models/a'))`, `await tf.loadLayersModel(folderHandler('models/a'))`
 */
export function folderHandler(dir: string, metadata?: Record<string, object>): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('saveModel: this model has a binary (graph) topology; only layers models can be saved to a folder.');
      }
      fs.mkdirSync(dir, { recursive: true });
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJSON: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig !== undefined) modelJSON.trainingConfig = artifacts.trainingConfig;
      const userMeta = { ...(artifacts.userDefinedMetadata ?? {}), ...(metadata ?? {}) };
      if (Object.keys(userMeta).length > 0) modelJSON.userDefinedMetadata = userMeta;
      writeAtomically([
        { file: path.join(dir, WEIGHTS_FILE), data: new Uint8Array(weightData) },
        { file: path.join(dir, MODEL_FILE), data: JSON.stringify(modelJSON) },
      ]);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, MODEL_FILE);
      if (!fs.existsSync(jsonPath)) throw new Error(`loadModel: ${jsonPath} does not exist; save a model there first with saveModel(model, '${dir}').`);
      const modelJSON = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = path.join(dir, p);
            if (!fs.existsSync(file)) throw new Error(`loadModel: weights file ${file} named in model.json is missing.`);
            const b = fs.readFileSync(file);
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/**
 * Saves the model's topology, weights and (when compiled with named loss/metrics) its compile
 * settings to a folder: dir/model.json and dir/weights.bin, replaced atomically.
 *
 * Usage: `await saveModel(model, 'models/mlp');`
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  if (!(model instanceof tf.LayersModel)) throw new Error('saveModel: the first argument must be a tf.LayersModel.');
  assertUsableModel('saveModel', model);
  if (typeof dir !== 'string' || dir === '') throw new Error("saveModel: give a folder path, e.g. saveModel(model, 'models/mlp').");
  const stored = storedCompile(model);
  return model.save(folderHandler(dir, stored === undefined ? undefined : { [META_KEY]: stored }));
}

/** Options of loadModel. */
export interface LoadModelOptions {
  /** Compile with the stored settings when there are some (default true). */
  compile?: boolean;
}

function optimizerFromStored(s: NonNullable<StoredCompile['optimizer']>): tf.Optimizer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[s.className];
  if (entry === undefined) throw new Error(`loadModel: optimizer class '${s.className}' is not registered; register it with tf.serialization.registerClass.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, s.config) as unknown as tf.Optimizer;
}

/**
 * Loads a model saved by saveModel (or any tfjs layers model folder). Custom layers must be
 * registered (tf.serialization.registerClass) before loading. When the folder holds compile
 * settings the model comes back compiled, with a fresh optimiser of the same class and config.
 *
 * Usage: `const model = await loadModel('models/mlp');`
 */
export async function loadModel(dir: string, options: LoadModelOptions = {}): Promise<tf.LayersModel> {
  const handler = folderHandler(dir);
  const model = await tf.loadLayersModel(handler);
  if (options.compile ?? true) {
    const json = JSON.parse(fs.readFileSync(path.join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
    const stored = json.userDefinedMetadata?.[META_KEY] as StoredCompile | undefined;
    if (stored !== undefined && stored.optimizer !== undefined) {
      const config: CompileConfig = {
        optimizer: optimizerFromStored(stored.optimizer),
        loss: stored.loss,
        metrics: stored.metrics as MetricSpec[],
        fromLogits: stored.fromLogits,
        ownOptimizer: true, // created here, reachable only through the model: freed with it
      };
      compile(model, config);
    }
  }
  return model;
}

let fileSchemeRegistered = false;

/**
 * Makes tfjs's own `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')`
 * work without tfjs-node, through folderHandler. Does nothing when a file:// handler already
 * exists (tfjs-node registers one). Returns whether it registered.
 *
 * Usage: `registerFileScheme(); await model.save('file://models/mlp');`
 */
export function registerFileScheme(): boolean {
  if (fileSchemeRegistered) return false;
  const probe = 'file://probe';
  if (tf.io.getSaveHandlers(probe).length > 0 || tf.io.getLoadHandlers(probe).length > 0) return false;
  const folderOf = (url: string | string[], forLoad: boolean): string | undefined => {
    if (Array.isArray(url) || !url.startsWith('file://')) return undefined;
    const p = url.slice('file://'.length);
    return forLoad && p.endsWith(`/${MODEL_FILE}`) ? path.dirname(p) : p;
  };
  // tfjs routers answer null for URLs they do not handle (its IORouter type omits that).
  const noHandler = null as unknown as tf.io.IOHandler;
  tf.io.registerSaveRouter((url) => {
    const dir = folderOf(url, false);
    return dir === undefined ? noHandler : folderHandler(dir);
  });
  tf.io.registerLoadRouter((url) => {
    const dir = folderOf(url, true);
    return dir === undefined ? noHandler : folderHandler(dir);
  });
  fileSchemeRegistered = true;
  return true;
}
