/**
 * A live learning-curves chart during training: one notebook output updated in place after each
 * epoch (Jupyter's update_display_data), throttled; in headless runs (env CI, TSDL_HEADLESS=1, or
 * no notebook) it only records the history and draws nothing.
 *
 * Usage:
 *   const live = new LivePlot({ title: 'MLP training' });
 *   await fit(model, x, y, { epochs: 10, callbacks: [live] });
 *   showFigure(live.figure());   // the final curves, also in headless runs
 */
import { isHeadless, newDisplayHandle, type DisplayHandle } from '../display';
import { Callback, type Logs } from '../train/callbacks';
import { learningCurves } from './curves';
import { figureBundle, newFigureId, plotlyInlinedAlready } from './render';
import type { Figure } from './types';

/** Options for `LivePlot`. */
export interface LivePlotOptions {
  title?: string;
  /** Metrics to draw (default: every metric in the logs except learning_rate/lr). */
  metrics?: readonly string[];
  /** y-axis range (default 'fit': losses on an axis fitted to them, accuracies on a second one; see learningCurves). */
  yRange?: [number, number] | 'auto' | 'fit';
  /** Minimum milliseconds between two redraws (default 1000); the last epoch is always drawn. */
  throttleMs?: number;
  /** Force headless (true) or live (false) instead of detecting it. */
  headless?: boolean;
  /** Where updates go (default: a new display handle); for tests and custom front ends. */
  handle?: DisplayHandle;
  /** Clock in milliseconds (default Date.now); for tests. */
  now?: () => number;
}

const SKIPPED_KEYS = new Set(['learning_rate', 'lr', 'batch', 'size']);

/**
 * Live learning curves, a training `Callback` (lib/train/callbacks) using onTrainBegin,
 * onEpochEnd and onTrainEnd; its hooks can also be called by hand. Each redraw replaces the same output. When this chart is the first figure of the
 * kernel session it carries plotly.js in its first and last redraw, so the saved notebook and its
 * HTML export stay self-contained.
 * Usage: `const live = new LivePlot(); await fit(model, x, y, { callbacks: [live] });`
 */
export class LivePlot extends Callback {
  /** Metric name to one value per epoch, as recorded so far. */
  readonly history: Record<string, number[]> = {};
  /** Whether redraws reach a notebook (false in headless runs). */
  readonly live: boolean;
  /** Redraws sent so far. */
  updates = 0;

  private readonly options: LivePlotOptions;
  private readonly handle: DisplayHandle | undefined;
  private readonly now: () => number;
  private readonly divId = newFigureId();
  private lastDraw = -Infinity;
  private pending = false;
  private ownsPlotly = false;

  constructor(options: LivePlotOptions = {}) {
    super();
    if (options.throttleMs !== undefined && !(options.throttleMs >= 0)) {
      throw new Error(`LivePlot: throttleMs=${options.throttleMs} must be a number of milliseconds >= 0.`);
    }
    this.options = options;
    this.now = options.now ?? Date.now;
    const headless = options.headless ?? isHeadless();
    this.handle = headless ? undefined : (options.handle ?? newDisplayHandle());
    this.live = this.handle !== undefined && (options.handle !== undefined || this.handle.live);
  }

  /** Clears the recorded history (a new fit starts a new chart). */
  override onTrainBegin(): void {
    for (const k of Object.keys(this.history)) delete this.history[k];
    this.pending = false;
  }

  /** Records the epoch's metrics and redraws when the throttle allows. */
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const keys = this.options.metrics ?? Object.keys(logs).filter((k) => !SKIPPED_KEYS.has(k));
    for (const k of keys) {
      const v = logs[k];
      if (v === undefined) continue;
      (this.history[k] ??= []).push(v);
    }
    if (!this.live) return;
    this.pending = true;
    if (this.now() - this.lastDraw >= (this.options.throttleMs ?? 1000)) this.draw(false);
  }

  /** Draws the final state (always, when anything is left undrawn or plotly.js must be carried). */
  override onTrainEnd(): void {
    if (this.live && (this.pending || this.ownsPlotly)) this.draw(true);
  }

  /** The learning curves recorded so far. Usage: `showFigure(live.figure())` */
  figure(): Figure {
    return learningCurves({ history: this.history }, { title: this.options.title ?? 'Training', yRange: this.options.yRange ?? 'fit' });
  }

  private draw(final: boolean): void {
    if (!this.handle || Object.keys(this.history).length === 0) return;
    const first = this.updates === 0;
    if (first && !plotlyInlinedAlready()) this.ownsPlotly = true;
    // The owner carries plotly.js on its first redraw (the page needs it now) and its last one
    // (the saved output is the last redraw); redraws in between rely on window.Plotly.
    const includePlotly = this.ownsPlotly && (first || final);
    this.handle.update(figureBundle(this.figure(), { divId: this.divId, includePlotly }));
    this.updates += 1;
    this.lastDraw = this.now();
    this.pending = false;
  }
}
