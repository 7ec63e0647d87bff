/**
 * Keras 3 style progress output for `fit` and `evaluate`:
 *
 *   Epoch 1/10
 *   1719/1719 ━━━━━━━━━━━━━━━━━━━━ 2s 1ms/step - accuracy: 0.8813 - loss: 0.3369 - val_accuracy: 0.8772 - val_loss: 0.3393
 *
 * In a notebook (lib/display.ts live) each epoch gets one output line updated in place during
 * the epoch (at most every 0.5 s, the only times running means are read from the device), with
 * the time left (ETA). Headless (env CI or TSDL_HEADLESS=1, or outside a notebook) prints plain
 * lines: one per epoch when it ends. verbose 2 ends each epoch with Keras's bar-less line
 * ("1719/1719 - 2s - 1ms/step - ..."); in a notebook that line also updates in place during the
 * epoch ("  12/1719 - ETA 8s - 5ms/step - loss: 2.3000"), so a long epoch never looks stalled.
 * A line longer than the notebook's output width (PROGRESS_LINE_WIDTH characters) continues on an
 * indented second line instead of wrapping mid-number.
 *
 * Usage: `new ProgressLogger({ verbose: 1 })` (fit adds one unless verbose is 0).
 */
import { DisplayHandle, inNotebook, newDisplayHandle, OUTPUT_LINE_WIDTH } from '../display';
import { Callback, HookResult, Logs } from './callbacks';

/** 'live': one notebook output per epoch updated in place; 'plain': printed lines. */
export type ProgressMode = 'live' | 'plain';

/** The mode to use here: plain when headless (CI, TSDL_HEADLESS=1) or outside a notebook. Usage: `progressMode() // 'plain' in node` */
export function progressMode(env: NodeJS.ProcessEnv = process.env): ProgressMode {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  const headless = env.TSDL_HEADLESS === '1' || env.TSDL_HEADLESS?.toLowerCase() === 'true';
  if (ci || headless) return 'plain';
  return inNotebook() ? 'live' : 'plain';
}

/** Keras's formatting of a metric value: 4 decimals, or 4-digit scientific below 1e-3. Usage: `formatMetricValue(0.000123) // '1.2300e-04'` */
export function formatMetricValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Keras's time per step: " 1s/step", " 12ms/step" or " 850us/step" (leading space included). Usage: `formatTimePerStep(0.0012) // ' 1ms/step'` */
export function formatTimePerStep(seconds: number, unit = 'step'): string {
  if (seconds >= 1 || seconds === 0) return ` ${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${Math.round(seconds * 1e3)}ms/${unit}`;
  return ` ${Math.round(seconds * 1e6)}us/${unit}`;
}

function formatEta(eta: number): string {
  const e = Math.floor(eta);
  if (eta > 3600) return `${Math.floor(e / 3600)}:${String(Math.floor((e % 3600) / 60)).padStart(2, '0')}:${String(e % 60).padStart(2, '0')}`;
  if (eta > 60) return `${Math.floor(e / 60)}:${String(e % 60).padStart(2, '0')}`;
  return `${e}s`;
}

/** Keras's display order: training metrics sorted, then validation metrics sorted, learning_rate last. Usage: `orderedLogKeys(logs)` */
export function orderedLogKeys(logs: Logs): string[] {
  const keys = Object.keys(logs).filter((k) => k !== 'batch' && k !== 'size');
  const train = keys.filter((k) => !k.startsWith('val_') && k !== 'learning_rate').sort();
  const val = keys.filter((k) => k.startsWith('val_')).sort();
  const rest = keys.filter((k) => k === 'learning_rate');
  return [...train, ...val, ...rest];
}

/** What one progress line shows. */
export interface ProgressLineState {
  /** Steps done. */
  current: number;
  /** Steps in the epoch. */
  target: number;
  /** Seconds since the epoch started. */
  elapsed: number;
  /** Seconds per step. */
  timePerStep: number;
  /** Metric values in display order. */
  values: [string, number][];
  /** True for the final line of an epoch (elapsed time instead of ETA). */
  finalize: boolean;
  /** 1: with a bar; 2: Keras's bar-less line (with "ETA" while running). */
  verbose: 1 | 2;
  /** ANSI colours (bold count, green done part of the bar) for notebooks. */
  color?: boolean;
  /** Longest line in characters (default: no limit); longer lines continue on indented lines. */
  maxWidth?: number;
}

/**
 * Longest progress line: the output width (OUTPUT_LINE_WIDTH, 110; classic Notebook 6 in a 1280 px
 * window fits 114), where Keras's 117-character line with four metrics wrapped its last digit.
 */
export const PROGRESS_LINE_WIDTH = OUTPUT_LINE_WIDTH;

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** Length as displayed (ANSI colour codes take no room). */
function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

/**
 * Joins a line's head and its " - name: value" parts, starting a new line (indented by 4) before a
 * part that would pass maxWidth, so that no name or value is split.
 * Usage: `wrapParts('1/10 ━━ 1s', [' - loss: 0.1000'], 100)`
 */
export function wrapParts(head: string, parts: readonly string[], maxWidth = Number.POSITIVE_INFINITY): string {
  const lines: string[] = [head];
  for (const part of parts) {
    const last = lines.length - 1;
    if (visibleLength(lines[last]) + part.length <= maxWidth) lines[last] += part;
    else lines.push(`    ${part.replace(/^ /, '')}`);
  }
  return lines.join('\n');
}

const BAR_WIDTH = 20;

/**
 * One Keras 3 progress line.
 * Usage: `formatProgressLine({ current: 1719, target: 1719, elapsed: 2, timePerStep: 0.0012, values: [['loss', 0.34]], finalize: true, verbose: 1 })`
 */
export function formatProgressLine(s: ProgressLineState): string {
  const digits = String(s.target).length;
  const count = `${String(s.current).padStart(digits, ' ')}/${s.target}`;
  const parts = s.values.map(([k, v]) => ` - ${k}: ${formatMetricValue(v)}`);
  if (s.verbose === 2) {
    const time = s.finalize ? `${Math.round(s.elapsed)}s` : `ETA ${formatEta(s.timePerStep * (s.target - s.current))}`;
    return wrapParts(`${count} - ${time} -${formatTimePerStep(s.timePerStep)}`, parts, s.maxWidth);
  }
  const done = Math.max(0, Math.min(BAR_WIDTH, Math.floor((BAR_WIDTH * s.current) / s.target)));
  let bar: string;
  if (s.color) {
    bar = `\x1b[1m${count}\x1b[0m ` + (done > 0 ? `\x1b[32m${'━'.repeat(done)}\x1b[0m` : '') + `\x1b[37m${'━'.repeat(BAR_WIDTH - done)}\x1b[0m`;
  } else {
    bar = `${count} ${'━'.repeat(BAR_WIDTH)}`;
  }
  const time = s.finalize ? ` ${Math.round(s.elapsed)}s` : ` ${formatEta(s.timePerStep * (s.target - s.current))}`;
  return wrapParts(`${bar}${time}${formatTimePerStep(s.timePerStep)}`, parts, s.maxWidth);
}

/** Options of ProgressLogger. */
export interface ProgressLoggerOptions {
  /** 1: bar lines (default); 2: one bar-less line per epoch. */
  verbose?: 1 | 2;
  /** Default: progressMode(). */
  mode?: ProgressMode;
  /** Where plain lines go (default console.log). */
  print?: (line: string) => void;
  /** Clock in milliseconds (default Date.now); tests pass a fake one. */
  now?: () => number;
  /** Minimum milliseconds between live updates (default 50, Keras's Progbar interval of 0.05 s). */
  intervalMs?: number;
  /** Where live updates go (default newDisplayHandle()). */
  newHandle?: () => DisplayHandle;
  /** Longest line in characters (default PROGRESS_LINE_WIDTH); longer lines continue on the next. */
  maxWidth?: number;
}

/**
 * Keras's ProgbarLogger: prints "Epoch k/N" and one line per epoch (plain), or keeps one live
 * line per epoch updated in place (notebook), with the bar (verbose 1) or without (verbose 2).
 *
 * Usage: `await fit(model, x, y, { verbose: 1 })` adds one; `new ProgressLogger({ print: lines.push })` in tests.
 */
export class ProgressLogger extends Callback {
  readonly verbose: 1 | 2;
  readonly mode: ProgressMode;
  private readonly print: (line: string) => void;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly newHandle: () => DisplayHandle;
  private readonly maxWidth: number;
  private handle: DisplayHandle | undefined;
  private header = '';
  private start = 0;
  private afterFirstStep: number | undefined;
  private lastUpdate = 0;
  private seen = 0;

  constructor(options: ProgressLoggerOptions = {}) {
    super();
    this.verbose = options.verbose ?? 1;
    this.mode = options.mode ?? progressMode();
    this.print = options.print ?? ((line: string) => console.log(line));
    this.now = options.now ?? Date.now;
    this.intervalMs = options.intervalMs ?? 50;
    this.newHandle = options.newHandle ?? (() => newDisplayHandle());
    this.maxWidth = options.maxWidth ?? PROGRESS_LINE_WIDTH;
  }

  private live(): boolean {
    return this.mode === 'live';
  }

  private timePerStep(current: number, now: number): number {
    if (current <= 0) return 0;
    if (this.afterFirstStep !== undefined && current > 1) return (now - this.afterFirstStep) / 1000 / (current - 1);
    return (now - this.start) / 1000 / current;
  }

  private line(current: number, logs: Logs, finalize: boolean): string {
    const now = this.now();
    const values = orderedLogKeys(logs).map((k): [string, number] => [k, logs[k]]);
    return formatProgressLine({
      current,
      target: this.params.steps,
      elapsed: (now - this.start) / 1000,
      timePerStep: this.timePerStep(current, now),
      values,
      finalize,
      verbose: this.verbose,
      color: this.live() && this.verbose === 1,
      maxWidth: this.maxWidth,
    });
  }

  override onEpochBegin(epoch: number): void {
    this.start = this.now();
    this.lastUpdate = this.start;
    this.afterFirstStep = undefined;
    this.seen = 0;
    this.header = this.params.epochs > 1 ? `Epoch ${epoch + 1}/${this.params.epochs}` : '';
    if (this.live()) {
      this.handle = this.newHandle();
      const first = this.line(0, {}, false);
      this.handle.update({ 'text/plain': this.header ? `${this.header}\n${first}` : first });
    } else if (this.header) {
      this.print(this.header);
    }
  }

  override onBatchEnd(batch: number, logs: Logs): HookResult {
    this.seen = batch + 1;
    if (batch === 0) this.afterFirstStep = this.now();
    if (!this.live() || this.handle === undefined) return;
    const now = this.now();
    if (now - this.lastUpdate < this.intervalMs) return;
    this.lastUpdate = now;
    const text = this.line(this.seen, logs, false);
    this.handle.update({ 'text/plain': this.header ? `${this.header}\n${text}` : text });
    // Let the kernel send the update before the next batch.
    return new Promise<void>((resolve) => setImmediate(resolve));
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    // A training stopped mid-epoch shows the batches it ran.
    const text = this.line(this.seen > 0 ? this.seen : this.params.steps, logs, true);
    if (this.live() && this.handle !== undefined) {
      this.handle.update({ 'text/plain': this.header ? `${this.header}\n${text}` : text });
      this.handle = undefined;
    } else {
      this.print(text);
    }
  }
}
