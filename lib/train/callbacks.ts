/**
 * Keras-style training callbacks for `fit` (lib/train/fit.ts): the `Callback` base class with
 * Keras's hook names, `CallbackList` (how fit calls them), `EpochTimer`, and EarlyStopping, LearningRateScheduler, ReduceLROnPlateau,
 * ModelCheckpoint, TerminateOnNaN and CSVLogger with Keras 3 semantics (camelCase options).
 *
 * Usage:
 *   await fit(model, x, y, { epochs: 50, validationSplit: 0.1,
 *     callbacks: [new EarlyStopping({ patience: 5, restoreBestWeights: true })] });
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { getCompiled } from './compile';
import { getLearningRate, setLearningRate } from '../optim/learning-rate';
import { saveModel } from './saving';

/** Logs passed to hooks: metric name to value ('loss', 'accuracy', 'val_loss', 'learning_rate'...). */
export type Logs = Record<string, number>;

/** What `fit` tells callbacks before training (Keras's callback.params). */
export interface TrainingParams {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  verbose: 0 | 1 | 2;
}

/** The model, built first when it is a Sequential (its stopTraining flag needs that). */
function builtModel(model: tf.LayersModel): tf.LayersModel {
  if (model instanceof tf.Sequential && !model.built) model.build();
  return model;
}

/** A hook's result: nothing, or a promise `fit` waits for. */
export type HookResult = void | Promise<void>;

/**
 * Base class of training callbacks. Override the hooks you need; `this.model`,
 * `this.optimizer` and `this.params` are set by `fit` before `onTrainBegin`. Set
 * `this.stopTraining = true` (or `model.stopTraining = true`) to end training after the
 * current batch.
 *
 * Usage:
 *   class Printer extends Callback { override onEpochEnd(epoch: number, logs: Logs) { console.log(epoch, logs.loss); } }
 */
export class Callback {
  /** Keras's callback.params: epochs, steps per epoch, verbose. */
  params: TrainingParams = { epochs: 0, steps: 0, verbose: 0 };
  private model_: tf.LayersModel | undefined;

  /** Called by fit. */
  setModel(model: tf.LayersModel): void {
    this.model_ = model;
  }

  /** Called by fit. */
  setParams(params: TrainingParams): void {
    this.params = params;
  }

  /** The model being trained (throws before fit sets it). */
  get model(): tf.LayersModel {
    if (this.model_ === undefined) throw new Error(`${this.constructor.name}: no model yet; the callback gets one when fit() starts.`);
    return this.model_;
  }

  /** The compiled optimiser of the model being trained. */
  get optimizer(): tf.Optimizer {
    return getCompiled(this.model).optimizer;
  }

  /** Whether training is asked to stop; setting it true ends training after the current batch. */
  get stopTraining(): boolean {
    return builtModel(this.model).stopTraining;
  }

  set stopTraining(stop: boolean) {
    builtModel(this.model).stopTraining = stop;
  }

  onTrainBegin(_logs: Logs): HookResult {}
  onTrainEnd(_logs: Logs): HookResult {}
  onEpochBegin(_epoch: number, _logs: Logs): HookResult {}
  /** `logs` holds the epoch's metrics, then the validation metrics ('val_' + name). */
  onEpochEnd(_epoch: number, _logs: Logs): HookResult {}
  onBatchBegin(_batch: number, _logs: Logs): HookResult {}
  /**
   * `logs` holds `batch`, `size` and the running epoch means ('loss', metrics). Reading a mean
   * copies it from the device, so read only what you need, and only inside this hook.
   */
  onBatchEnd(_batch: number, _logs: Logs): HookResult {}
}

/**
 * The callbacks of one training run, called in order (Keras's CallbackList): gives each the model
 * and the run's params, and awaits a hook only when it returns a promise.
 *
 * Usage:
 *   const list = new CallbackList([new EarlyStopping(), timer], { model, params: { epochs: 5, steps: 10, verbose: 0 } });
 *   await list.onEpochEnd(0, { loss: 0.5 });
 */
export class CallbackList {
  readonly callbacks: readonly Callback[];

  /**
   * @param callbacks instances of Callback (anything else is refused, naming `who`)
   * @param options.model, options.params given to every callback now; `who` names the caller in errors
   */
  constructor(callbacks: readonly Callback[], options: { model?: tf.LayersModel; params?: TrainingParams; who?: string } = {}) {
    const who = options.who ?? 'CallbackList';
    for (const cb of callbacks) {
      if (!(cb instanceof Callback)) throw new Error(`${who}: every callback must extend Callback from lib/train/callbacks.`);
      if (options.model !== undefined) cb.setModel(options.model);
      if (options.params !== undefined) cb.setParams(options.params);
    }
    this.callbacks = callbacks.slice();
  }

  /** Calls `call` on each callback in order, awaiting only promises. Usage: `await list.each((cb) => cb.onTrainBegin({}))` */
  async each(call: (cb: Callback) => HookResult): Promise<void> {
    for (const cb of this.callbacks) {
      const r = call(cb);
      if (r instanceof Promise) await r;
    }
  }

  /** Usage: `await list.onTrainBegin({})` */
  onTrainBegin(logs: Logs): Promise<void> {
    return this.each((cb) => cb.onTrainBegin(logs));
  }

  /** Usage: `await list.onTrainEnd({})` */
  onTrainEnd(logs: Logs): Promise<void> {
    return this.each((cb) => cb.onTrainEnd(logs));
  }

  /** Usage: `await list.onEpochBegin(epoch, {})` */
  onEpochBegin(epoch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onEpochBegin(epoch, logs));
  }

  /** Usage: `await list.onEpochEnd(epoch, logs)` */
  onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onEpochEnd(epoch, logs));
  }

  /** Usage: `await list.onBatchBegin(step, { batch: step, size })` */
  onBatchBegin(batch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onBatchBegin(batch, logs));
  }

  /** Usage: `await list.onBatchEnd(step, logs)` */
  onBatchEnd(batch: number, logs: Logs): Promise<void> {
    return this.each((cb) => cb.onBatchEnd(batch, logs));
  }
}

/**
 * Times every epoch: wall time from its start to its end (validation included) and the time
 * spent in the training steps alone.
 *
 * Usage: `const timer = new EpochTimer(); await fit(model, x, y, { callbacks: [timer] }); timer.seconds`
 */
export class EpochTimer extends Callback {
  /** Wall seconds of each epoch, validation included. */
  seconds: number[] = [];
  /** Seconds of each epoch spent between the first batch's start and the last batch's end. */
  trainSeconds: number[] = [];
  private epochStart = 0;
  private firstBatch = 0;
  private lastBatch = 0;

  override onEpochBegin(): void {
    this.epochStart = performance.now();
    this.firstBatch = -1;
  }

  override onBatchBegin(): void {
    if (this.firstBatch < 0) this.firstBatch = performance.now();
  }

  override onBatchEnd(): void {
    this.lastBatch = performance.now();
  }

  override onEpochEnd(): void {
    const now = performance.now();
    this.seconds.push((now - this.epochStart) / 1000);
    this.trainSeconds.push(this.firstBatch < 0 ? 0 : (this.lastBatch - this.firstBatch) / 1000);
  }
}

/** 'min' when smaller is better, 'max' when larger is better. */
export type MonitorMode = 'auto' | 'min' | 'max';

/** Edit distance (insertions, deletions, substitutions) between two names. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * The candidate a name is most likely a typo of (at most two edits, fewer for short names), or
 * undefined when none is that close.
 *
 * Usage: `closestName('val_acuracy', ['loss', 'val_accuracy']) // 'val_accuracy'`
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d > 0 && d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Metric names fit logs (with and without 'val_'): what a monitor name is most likely a typo of. */
const KNOWN_METRICS = [
  'loss',
  'accuracy',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'mse',
  'mae',
  'mean_squared_error',
  'mean_absolute_error',
  'learning_rate',
];

/** The direction of a monitored quantity; 'auto' decided from its name like Keras. Usage: `monitorDirection('val_accuracy', 'auto') // 'max'` */
export function monitorDirection(monitor: string, mode: MonitorMode, who = ''): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  const prefix = who === '' ? '' : `${who}: `;
  if (mode !== 'auto') throw new Error(`${prefix}mode must be 'auto', 'min' or 'max', got '${String(mode)}'.`);
  const name = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  if (/acc|auc|precision|recall|f1/.test(name)) return 'max';
  if (/loss|error|mae|mse|msle|mape|crossentropy/.test(name) || name === 'learning_rate') return 'min';
  const guess = closestName(monitor, [...KNOWN_METRICS, ...KNOWN_METRICS.map((m) => `val_${m}`)]);
  if (guess !== undefined) {
    throw new Error(`${prefix}monitor '${monitor}' is not a metric name; did you mean '${guess}'? (For a metric of your own, pass mode: 'min' or mode: 'max'.)`);
  }
  throw new Error(`${prefix}cannot tell whether '${monitor}' should go up or down; pass mode: 'min' or mode: 'max'.`);
}

/**
 * The monitored quantity is not in the epoch's logs: a typo of one that is (val_los) is an
 * error naming it; otherwise a warning once, as Keras gives (val_loss without validation data).
 */
function warnMissing(who: string, monitor: string, logs: Logs, warned: Set<string>): void {
  const available = Object.keys(logs).sort();
  const guess = closestName(monitor, available);
  if (guess !== undefined) {
    throw new Error(`${who}: monitor '${monitor}' is not in the logs of this training; did you mean '${guess}'? The logs have: ${available.join(', ')}.`);
  }
  if (warned.has(monitor)) return;
  warned.add(monitor);
  console.warn(
    `${who} is conditioned on metric '${monitor}' which is not available. Available metrics are: ${available.join(',')}. ` +
      '(Validation metrics need validationData or validationSplit.)',
  );
}

/** A copy of every weight of the model (trainable and not), in model.weights order. */
function snapshotWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((w) => w.read().clone());
}

/** Options of EarlyStopping (Keras names, camelCased). */
export interface EarlyStoppingOptions {
  /** Quantity to watch (default 'val_loss'). */
  monitor?: string;
  /** Minimum change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 1 prints when it stops and restores (default 0). */
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** A value the monitored quantity must beat for the patience counter to reset. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching at all (default 0). */
  startFromEpoch?: number;
}

/**
 * Stops training when the monitored quantity stops improving (Keras 3 semantics), optionally
 * restoring the best epoch's weights at the end of training.
 *
 * Usage: `new EarlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true })`
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch (0-based) at which training was stopped, 0 when it was not. */
  stoppedEpoch = 0;
  /** The best value seen so far. */
  best: number | undefined;
  /** The epoch (0-based) of the best value. */
  bestEpoch = 0;
  private bestWeights: tf.Tensor[] | undefined;
  private direction: 'min' | 'max' | undefined;
  private readonly warned = new Set<string>();

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.verbose = options.verbose ?? 0;
    this.mode = options.mode ?? 'auto';
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.startFromEpoch = options.startFromEpoch ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`EarlyStopping: patience must be an integer >= 0, got ${JSON.stringify(this.patience)}.`);
    monitorDirection(this.monitor, this.mode, 'EarlyStopping');
  }

  private isImprovement(current: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    if (this.direction === 'max') return current - this.minDelta > reference;
    return current + this.minDelta < reference;
  }

  private dropBestWeights(): void {
    if (this.bestWeights) tf.dispose(this.bestWeights);
    this.bestWeights = undefined;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.bestEpoch = 0;
    this.dropBestWeights();
    this.direction = monitorDirection(this.monitor, this.mode, 'EarlyStopping');
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      warnMissing('EarlyStopping', this.monitor, logs, this.warned);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      this.bestWeights = snapshotWeights(this.model);
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) {
        this.dropBestWeights();
        this.bestWeights = snapshotWeights(this.model);
      }
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.stopTraining = true;
    }
  }

  /**
   * Frees the best-weights snapshot without restoring it (for a loop that drives this callback
   * by hand and stops on an error); onTrainEnd does it after restoring.
   *
   * Usage: `try { ... } finally { stopper.dispose(); }`
   */
  dispose(): void {
    this.dropBestWeights();
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== undefined) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model.setWeights(this.bestWeights);
    }
    this.dropBestWeights();
  }
}

/** Options of LearningRateScheduler. */
export interface LearningRateSchedulerOptions {
  /** 1 prints the rate set at each epoch (default 0). */
  verbose?: 0 | 1;
}

/**
 * Sets the optimiser's learning rate at the start of every epoch to schedule(epoch, lr), for
 * every tfjs optimiser type (SGD and Momentum included), and logs 'learning_rate' like Keras 3.
 *
 * Usage: `new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)))`
 */
export class LearningRateScheduler extends Callback {
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    readonly options: LearningRateSchedulerOptions = {},
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: schedule must be a function (epoch, lr) => lr.');
  }

  override onEpochBegin(epoch: number): void {
    const lr = this.schedule(epoch, getLearningRate(this.optimizer));
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new Error(`LearningRateScheduler: the schedule must return a finite number, got ${String(lr)} at epoch ${epoch}.`);
    }
    setLearningRate(this.optimizer, lr);
    if (this.options.verbose) console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = getLearningRate(this.optimizer);
  }
}

/** Options of ReduceLROnPlateau (Keras names, camelCased). */
export interface ReduceLROnPlateauOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** New rate = rate * factor (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  verbose?: 0 | 1;
  mode?: MonitorMode;
  /** Minimum change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** Lower bound on the rate (default 0). */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored quantity has not improved for
 * `patience` epochs (Keras 3 semantics, with cooldown and minLr); logs 'learning_rate'.
 *
 * Usage: `new ReduceLROnPlateau({ factor: 0.5, patience: 5 })`
 */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: 0 | 1;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best = Infinity;
  private direction: 'min' | 'max' = 'min';
  private readonly warned = new Set<string>();

  constructor(options: ReduceLROnPlateauOptions = {}) {
    super();
    this.monitor = options.monitor ?? 'val_loss';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.verbose = options.verbose ?? 0;
    this.mode = options.mode ?? 'auto';
    this.minDelta = options.minDelta ?? 1e-4;
    this.cooldown = options.cooldown ?? 0;
    this.minLr = options.minLr ?? 0;
    if (!(this.factor < 1) || !(this.factor > 0)) {
      throw new Error(`ReduceLROnPlateau: factor must be in (0, 1) (it multiplies the rate), got ${this.factor}.`);
    }
    for (const [name, v] of [['patience', this.patience], ['cooldown', this.cooldown]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`ReduceLROnPlateau: ${name} must be an integer >= 0 (epochs), got ${JSON.stringify(v)}.`);
    }
    for (const [name, v] of [['minDelta', this.minDelta], ['minLr', this.minLr]] as const) {
      if (typeof v !== 'number' || !(v >= 0)) throw new Error(`ReduceLROnPlateau: ${name} must be a number >= 0, got ${JSON.stringify(v)}.`);
    }
    this.reset();
  }

  private reset(): void {
    // Keras: 'auto' means max when the name contains 'acc', min otherwise.
    this.direction = this.mode === 'max' || (this.mode === 'auto' && this.monitor.includes('acc')) ? 'max' : 'min';
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  private better(a: number, b: number): boolean {
    return this.direction === 'min' ? a < b - this.minDelta : a > b + this.minDelta;
  }

  override onTrainBegin(): void {
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    logs.learning_rate = getLearningRate(this.optimizer);
    const current = logs[this.monitor];
    if (current === undefined) {
      warnMissing('ReduceLROnPlateau', this.monitor, logs, this.warned);
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = getLearningRate(this.optimizer);
        // Keras compares the float32 rate with float32(minLr).
        if (Math.fround(old) > Math.fround(this.minLr)) {
          const lr = Math.max(old * this.factor, this.minLr);
          setLearningRate(this.optimizer, lr);
          if (this.verbose) console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}

/** Python-style formatting of one `{name:spec}` field: d, f, e, g with width/precision. */
function formatField(value: number, spec: string): string {
  const m = /^(0?)(\d*)(?:\.(\d+))?([dfeg]?)$/.exec(spec);
  if (!m) throw new Error(`ModelCheckpoint: unsupported format '{...:${spec}}'; use forms like {epoch:02d} or {val_loss:.4f}.`);
  const [, zero, widthStr, precStr, type] = m;
  const prec = precStr === undefined ? 6 : Number(precStr);
  let s: string;
  if (type === 'd') s = String(Math.trunc(value));
  else if (type === 'f') s = value.toFixed(prec);
  else if (type === 'e') s = value.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2');
  else if (type === 'g') s = String(Number(value.toPrecision(prec || 1)));
  else s = String(value);
  const width = widthStr === '' ? 0 : Number(widthStr);
  if (s.length < width) s = zero ? (s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0')) : s.padStart(width, ' ');
  return s;
}

/**
 * Fills a Keras-style path template: {epoch} is 1-based, other fields come from the logs.
 * Usage: `formatPath('ckpt/{epoch:02d}-{val_loss:.2f}', 0, { val_loss: 0.5 }) // 'ckpt/01-0.50'`
 */
export function formatPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}/g, (_all, name: string, spec: string | undefined) => {
    const value = name === 'epoch' ? epoch + 1 : logs[name];
    if (value === undefined) throw new Error(`ModelCheckpoint: the path uses {${name}} but the logs have no '${name}' (they have ${Object.keys(logs).join(', ')}).`);
    return spec === undefined ? String(value) : formatField(value, spec);
  });
}

/** Options of ModelCheckpoint. */
export interface ModelCheckpointOptions {
  /** Default 'val_loss'. */
  monitor?: string;
  /** Save only when the monitored quantity improves (default false: every epoch). */
  saveBestOnly?: boolean;
  mode?: MonitorMode;
  verbose?: 0 | 1;
  /** Save only when the monitored value beats this one. */
  initialValueThreshold?: number;
}

/**
 * Saves the model (saving.ts: a folder with model.json + weights.bin) at the end of epochs,
 * optionally only when the monitored quantity improves. `filepath` is a folder path that may
 * hold Keras placeholders such as {epoch:02d} and {val_loss:.2f}.
 *
 * Usage: `new ModelCheckpoint('checkpoints/best', { saveBestOnly: true })`
 */
export class ModelCheckpoint extends Callback {
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly verbose: 0 | 1;
  best: number;
  /** Folders written so far, in order. */
  readonly saved: string[] = [];
  private readonly direction: 'min' | 'max';
  private readonly warned = new Set<string>();

  constructor(
    readonly filepath: string,
    options: ModelCheckpointOptions = {},
  ) {
    super();
    if (typeof filepath !== 'string' || filepath === '') throw new Error('ModelCheckpoint: give a folder path, e.g. new ModelCheckpoint("checkpoints/best").');
    this.monitor = options.monitor ?? 'val_loss';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.verbose = options.verbose ?? 0;
    this.direction = monitorDirection(this.monitor, options.mode ?? 'auto', 'ModelCheckpoint');
    this.best = options.initialValueThreshold ?? (this.direction === 'min' ? Infinity : -Infinity);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const target = formatPath(this.filepath, epoch, logs);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        warnMissing('ModelCheckpoint', this.monitor, logs, this.warned);
        return;
      }
      const improved = this.direction === 'min' ? current < this.best : current > this.best;
      if (!improved) {
        if (this.verbose) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose) {
        console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}, saving model to ${target}`);
      }
      this.best = current;
    } else if (this.verbose) {
      console.log(`\nEpoch ${epoch + 1}: saving model to ${target}`);
    }
    await saveModel(this.model, target);
    this.saved.push(target);
  }
}

/** The name of the model's first weight holding NaN or Infinity, or undefined. */
function nonFiniteWeight(model: tf.LayersModel): string | undefined {
  const weights = model.weights.filter((w) => w.dtype === 'float32');
  if (weights.length === 0) return undefined;
  const flags = tf.tidy(() => tf.stack(weights.map((w) => tf.cast(tf.any(tf.logicalNot(tf.isFinite(w.read()))), 'int32'))).dataSync());
  const i = flags.findIndex((f) => f !== 0);
  return i < 0 ? undefined : weights[i].originalName ?? weights[i].name;
}

/** Options of TerminateOnNaN. */
export interface TerminateOnNaNOptions {
  /**
   * Check the running loss every this many batches (default 20) and at every epoch end.
   * A NaN or infinite batch loss keeps the running mean non-finite, so nothing is missed;
   * checking less often avoids reading the device every batch.
   */
  checkEvery?: number;
}

/**
 * Stops training as soon as the loss or a weight becomes NaN or infinite (checked every
 * `checkEvery` batches and at every epoch end).
 *
 * Usage: `new TerminateOnNaN()`
 */
export class TerminateOnNaN extends Callback {
  readonly checkEvery: number;
  /** True once it stopped a training. */
  terminated = false;

  constructor(options: TerminateOnNaNOptions = {}) {
    super();
    this.checkEvery = options.checkEvery ?? 20;
    if (!Number.isInteger(this.checkEvery) || this.checkEvery < 1) throw new Error(`TerminateOnNaN: checkEvery must be an integer >= 1, got ${this.checkEvery}.`);
  }

  private check(where: string, loss: number | undefined): void {
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`${where}: Invalid loss, terminating training`);
    } else {
      // On wasm, relu and clipping turn NaN into numbers: the loss can stay finite while the
      // weights are NaN. Check them too (one small reduction per weight).
      const bad = nonFiniteWeight(this.model);
      if (bad === undefined) return;
      console.log(`${where}: the weights of layer ${bad.split('/')[0]} are NaN or infinite (${bad}; the loss, ${loss}, does not show it), terminating training`);
    }
    this.terminated = true;
    this.stopTraining = true;
  }

  override onBatchEnd(batch: number, logs: Logs): void {
    if ((batch + 1) % this.checkEvery === 0) this.check(`Batch ${batch}`, logs.loss);
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    this.check(`Epoch ${epoch + 1}`, logs.loss);
  }
}

/** Python's repr of a float (shortest round-trip digits, 'e-05' style exponents, '3.0'). Usage: `pythonFloat(1e-5) // '1e-05'` */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** Options of CSVLogger. */
export interface CSVLoggerOptions {
  /** Column separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of overwriting it (default false). */
  append?: boolean;
}

/**
 * Writes one CSV row per epoch (epoch, then the log keys in sorted order, like Keras).
 *
 * Usage: `new CSVLogger('training.csv', { append: true })`
 */
export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | undefined;
  private writeHeader = true;

  constructor(
    readonly filename: string,
    options: CSVLoggerOptions = {},
  ) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new Error('CSVLogger: give a file name, e.g. new CSVLogger("training.csv").');
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    try {
      fs.mkdirSync(path.dirname(path.resolve(this.filename)), { recursive: true });
      if (this.append) {
        this.writeHeader = !(fs.existsSync(this.filename) && fs.readFileSync(this.filename, 'utf8').length > 0);
      } else {
        fs.writeFileSync(this.filename, '');
        this.writeHeader = true;
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const fix = code === 'EISDIR' ? 'it is a folder: give a file name such as training.csv' : code === 'EACCES' || code === 'EPERM' ? 'make it writable or choose another file' : 'check the path';
      throw new Error(`CSVLogger: cannot write ${this.filename} (${code ?? (e as Error).message}): ${fix}.`);
    }
    this.keys = undefined;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    if (this.keys === undefined) this.keys = Object.keys(logs).sort();
    const sep = this.separator;
    let out = '';
    if (this.writeHeader) {
      out += ['epoch', ...this.keys].join(sep) + '\n';
      this.writeHeader = false;
    }
    out += [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? 'NA' : pythonFloat(logs[k])))].join(sep) + '\n';
    fs.appendFileSync(this.filename, out);
  }
}
