/**
 * Saving and loading a model to a folder in Node without tfjs-node: model.json (topology,
 * weights manifest, our compile settings) + weights.bin, each written atomically (temporary
 * file, then rename), the layout tfjs's file:// handler uses. Custom layers registered with
 * tf.serialization.registerClass load too.
 *
 * A save is checked as a whole: model.json records the size and sha256 of weights.bin
 * (`tsdlWeights`), and loading refuses a weights file that does not match (a save torn between
 * its two renames, a file replaced or cut); a folder written by tfjs itself is checked against
 * the byte size its weights manifest implies. Temporary files left by interrupted saves are
 * removed by the next save into the folder when they are old and their process is gone.
 *
 * Usage:
 *   await saveModel(model, 'models/mlp');
 *   const again = await loadModel('models/mlp'); // compiled again when it was compiled (fresh optimiser state)
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { removeStaleTempFiles } from '../temp-files';
import { assertUsableModel } from './usable';
import { compile, CompileConfig, getCompiled, isCompiled, MetricSpec } from './compile';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_KEY = 'tsdl_compile';
/** The model.json field recording the weights file's size and hash. */
const WEIGHTS_RECORD_KEY = 'tsdlWeights';
/** Temporary files of a save: `<file>.tmp-<pid>-<time>-<random>`. */
const TEMP_PATTERN = /^(?:model\.json|weights\.bin)\.tmp-(\d+)-/;
/** A temporary file younger than this may belong to a save in progress and is left alone. */
const STALE_TEMP_MS = 10 * 60_000;

/** What model.json records about weights.bin. */
interface WeightsRecord {
  path: string;
  size: number;
  sha256: string;
}

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

/**
 * Removes temporary files that interrupted saves left in dir: only files named like ours
 * (model.json.tmp-PID-..., weights.bin.tmp-PID-...), only when older than 10 minutes, and only
 * when their process is gone (or they are a day old, or ours: a save writes synchronously, so
 * a 10-minute-old one of this process is abandoned). Returns how many were removed.
 */
function removeStaleSaveTemps(dir: string): number {
  return removeStaleTempFiles(dir, {
    pidOf: (entry) => {
      const m = TEMP_PATTERN.exec(entry);
      return m === null ? undefined : Number(m[1]);
    },
    minAgeMs: STALE_TEMP_MS,
    maxAgeMs: 24 * 3600_000,
    includeOwn: true,
  });
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
    const code = (e as NodeJS.ErrnoException).code;
    const file = files[temps.findIndex((t) => (e as Error).message.includes(t))]?.file ?? path.dirname(files[0].file);
    throw new Error(`saveModel: cannot write ${file} (${code ?? (e as Error).message}): ${code === 'ENOSPC' ? 'free some disk space' : code === 'EISDIR' ? 'remove the folder of that name' : 'choose a folder you may write to'}; the previous save there, if any, is unchanged.`);
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
      try {
        fs.mkdirSync(dir, { recursive: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`saveModel: ${dir} (or a folder above it) is a file; give a folder path, e.g. '${dir}-model'.`);
        throw new Error(`saveModel: cannot create the folder ${dir} (${code ?? (e as Error).message}): choose a folder you may write to.`);
      }
      removeStaleSaveTemps(dir);
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const weightBytes = new Uint8Array(weightData);
      const record: WeightsRecord = { path: `./${WEIGHTS_FILE}`, size: weightBytes.byteLength, sha256: crypto.createHash('sha256').update(weightBytes).digest('hex') };
      const modelJSON: tf.io.ModelJSON & { [WEIGHTS_RECORD_KEY]: WeightsRecord } = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        [WEIGHTS_RECORD_KEY]: record,
      };
      if (artifacts.trainingConfig !== undefined) modelJSON.trainingConfig = artifacts.trainingConfig;
      const userMeta = { ...(artifacts.userDefinedMetadata ?? {}), ...(metadata ?? {}) };
      if (Object.keys(userMeta).length > 0) modelJSON.userDefinedMetadata = userMeta;
      writeAtomically([
        { file: path.join(dir, WEIGHTS_FILE), data: weightBytes },
        { file: path.join(dir, MODEL_FILE), data: JSON.stringify(modelJSON) },
      ]);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const modelJSON = readModelJson(dir);
      const record = (modelJSON as { [WEIGHTS_RECORD_KEY]?: WeightsRecord })[WEIGHTS_RECORD_KEY];
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          const files = group.paths.map((p) => path.join(dir, p));
          const bytes = files.map((file) => readFileFor(file, 'weights file named in model.json'));
          checkWeightBytes(dir, group, files, bytes, record);
          for (const b of bytes) buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
        return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}

/** Bytes per value of each weight dtype tfjs writes (strings have no fixed size). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** The bytes a manifest group's weights take, or undefined when it cannot be told (strings, quantised). */
function manifestBytes(group: tf.io.WeightsManifestConfig[number]): number | undefined {
  let total = 0;
  for (const w of group.weights) {
    const quantization = (w as { quantization?: { dtype: string } }).quantization;
    const per = quantization !== undefined ? { uint8: 1, uint16: 2, float16: 2 }[quantization.dtype] : DTYPE_BYTES[w.dtype];
    if (per === undefined) return undefined;
    total += per * w.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/**
 * The weight files of a folder must be the ones its model.json describes: the size and sha256
 * recorded at save (tsdlWeights) when there is a record, else the byte size the manifest implies.
 * Anything else is refused, naming the file: loading it would scramble the weights.
 */
function checkWeightBytes(dir: string, group: tf.io.WeightsManifestConfig[number], files: string[], bytes: Buffer[], record: WeightsRecord | undefined): void {
  const jsonPath = path.join(dir, MODEL_FILE);
  const fix = `the folder holds parts of two different saves (a save was interrupted) or a file was replaced or cut: save the model again, or restore both files from one save`;
  const total = bytes.reduce((a, b) => a + b.byteLength, 0);
  const where = files.length === 1 ? files[0] : `the weight files ${files.join(', ')}`;
  const recorded = record !== undefined && files.length === 1 && path.join(dir, record.path) === files[0];
  const want = recorded ? record.size : manifestBytes(group);
  if (want !== undefined && total !== want) {
    throw new Error(`loadModel: ${where} has ${total} bytes but model.json says ${want}: ${fix}.`);
  }
  if (recorded) {
    const hex = crypto.createHash('sha256').update(bytes[0]).digest('hex');
    if (hex !== record.sha256) {
      throw new Error(`loadModel: ${files[0]} does not match ${jsonPath} (its sha256 is ${hex}, model.json records ${record.sha256}): ${fix}.`);
    }
  }
}

/** A file's bytes, or an error naming the file, what it is and the fix. */
function readFileFor(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`loadModel: ${what} ${file} is missing: save the model again, or restore the file.`);
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`loadModel: cannot read ${file} (${code}): make it readable (chmod u+r), or run as its owner.`);
    if (code === 'EISDIR') throw new Error(`loadModel: ${file} is a folder, not the ${what}: remove it and save the model again.`);
    throw new Error(`loadModel: cannot read ${file} (${code ?? (e as Error).message}).`);
  }
}

/** dir/model.json parsed, with errors that name the folder or file and the fix. */
function readModelJson(dir: string): tf.io.ModelJSON {
  const jsonPath = path.join(dir, MODEL_FILE);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch {
    st = undefined;
  }
  if (st !== undefined && !st.isDirectory()) {
    throw new Error(`loadModel: ${dir} is a file; give the folder that saveModel wrote (it holds ${MODEL_FILE} and ${WEIGHTS_FILE}), here ${path.dirname(dir)}.`);
  }
  if (st === undefined || !fs.existsSync(jsonPath)) throw new Error(`loadModel: ${jsonPath} does not exist; save a model there first with saveModel(model, '${dir}').`);
  const text = readFileFor(jsonPath, MODEL_FILE).toString('utf8');
  try {
    return JSON.parse(text) as tf.io.ModelJSON;
  } catch (e) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON (${(e as Error).message}): the file is damaged; save the model again.`);
  }
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
  if (typeof dir !== 'string' || dir === '') throw new Error("loadModel: give the folder a model was saved to, e.g. loadModel('models/mlp').");
  const handler = folderHandler(dir);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(handler);
  } catch (e) {
    const message = (e as Error).message;
    if (message.startsWith('loadModel:')) throw e;
    const fix = /Unknown (layer|initializer|regularizer|constraint|activation)/i.test(message)
      ? 'register the custom layer class with tf.serialization.registerClass before loadModel (import the module that defines it)'
      : `the files do not describe one model; save the model again`;
    throw new Error(`loadModel: ${dir} cannot be loaded: ${message.split('\n')[0]} To fix: ${fix}.`);
  }
  if (options.compile ?? true) {
    const json = readModelJson(dir);
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
