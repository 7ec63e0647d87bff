/**
 * Line charts: the seeds' learning curves and general curves (optimisers, schedules, activations).
 *
 * Usage:
 *   showFigure(learningCurves(history));
 *   showFigure(lineChart([{ name: 'relu', x: xs, y: relu }], { title: 'Activations', xTitle: 'z', yTitle: 'f(z)' }));
 */
import { colorAt, integerRange, toNumbers, type NumberSource } from './data';
import type { Dash, Figure, ScatterTrace } from './types';

/** The `history` of a fit (Keras's `History.history`): metric name to one value per epoch. */
export interface HistoryLike {
  history: Readonly<Record<string, readonly number[]>>;
  /** The 0-based epoch numbers run (History.epoch); used for x when given (resumed trainings). */
  epoch?: readonly number[];
}

/** Options for `learningCurves`. */
export interface LearningCurvesOptions {
  title?: string;
  /**
   * y-axis range. Default 'fit': [0, 1] like the seed's `plt.ylim(0, 1)` when every value lies
   * there; otherwise the axis fits the data, and when the history has both losses and bounded
   * metrics (accuracy, AUC, precision, recall) the metrics go on a second axis on the right,
   * from 0 to 1. 'auto' lets plotly fit one axis; [a, b] fixes it.
   */
  yRange?: [number, number] | 'auto' | 'fit';
  /** Which metrics to draw, in order (default: every key of the history, in its order). */
  keys?: readonly string[];
  height?: number;
}

/** The seed's line styles, in order: '-r', '--b', '-og', '-.k'; then tab10 colours. */
const SEED_STYLES: ReadonlyArray<{ color: string; dash: Dash; markers: boolean }> = [
  { color: 'red', dash: 'solid', markers: false },
  { color: 'blue', dash: 'dash', markers: false },
  { color: 'green', dash: 'solid', markers: true },
  { color: 'black', dash: 'dashdot', markers: false },
];

/** Metrics that live in [0, 1] (accuracy, AUC, precision, recall), with or without 'val_'. */
export function isBoundedMetric(key: string): boolean {
  return /(^|_)(acc|accuracy|auc|precision|recall)$/.test(key.replace(/^val_/, ''));
}

/** [0, top] with a little headroom, or [min, max] padded when values go below 0. */
function fittedRange(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [0, 1];
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 0.05;
  return [lo >= 0 ? 0 : lo - pad, hi + pad];
}

/**
 * The learning curves of a fit: one line per metric (loss, accuracy, val_loss, val_accuracy, ...)
 * against the epoch (1-based, as Keras prints "Epoch 1/10"). y runs from 0 to 1 like the seed's
 * when every value fits there; otherwise losses get an axis fitted to them and accuracies a second
 * axis (0 to 1) on the right, so a loss above 1 never leaves the plot.
 * Usage: `showFigure(learningCurves(history, { title: 'MLP on Fashion-MNIST' }))`
 */
export function learningCurves(history: HistoryLike, options: LearningCurvesOptions = {}): Figure {
  if (!history || typeof history.history !== 'object' || history.history === null) {
    throw new Error('learningCurves: expected a History ({ history: { loss: [...], ... } }), the value fit() returns.');
  }
  const keys = options.keys ?? Object.keys(history.history);
  if (keys.length === 0) throw new Error('learningCurves: the history has no metrics; train for at least one epoch first.');
  const data: ScatterTrace[] = keys.map((key, i) => {
    const values = history.history[key];
    if (values === undefined) {
      throw new Error(`learningCurves: no metric '${key}' in the history; it has ${Object.keys(history.history).join(', ')}.`);
    }
    if (values.length === 0) throw new Error(`learningCurves: metric '${key}' has no values; train for at least one epoch first.`);
    const style = SEED_STYLES[i] ?? { color: colorAt(i), dash: 'solid' as Dash, markers: false };
    return {
      type: 'scatter',
      mode: style.markers ? 'lines+markers' : 'lines',
      name: key,
      x: history.epoch !== undefined && history.epoch.length === values.length ? history.epoch.map((e) => e + 1) : integerRange(values.length, 1),
      y: Array.from(values),
      line: { color: style.color, dash: style.dash, width: 2 },
      ...(style.markers ? { marker: { color: style.color, size: 6 } } : {}),
    };
  });
  const yRange = options.yRange ?? 'fit';
  const layout: Figure['layout'] = {
    title: { text: options.title ?? 'Learning curves' },
    xaxis: { title: { text: 'epoch' }, ...(maxLength(data) <= 20 ? { dtick: 1 } : {}) },
    legend: { orientation: 'h', y: -0.2 },
    height: options.height ?? 450,
    hovermode: 'x unified',
  };
  if (yRange === 'auto') layout.yaxis = { title: { text: 'value' } };
  else if (yRange !== 'fit') layout.yaxis = { title: { text: 'value' }, range: yRange };
  else {
    const all = data.flatMap((t) => t.y);
    const bounded = data.filter((t) => isBoundedMetric(t.name ?? ''));
    const unbounded = data.filter((t) => !isBoundedMetric(t.name ?? ''));
    if (all.every((v) => v >= 0 && v <= 1)) layout.yaxis = { title: { text: 'value' }, range: [0, 1] };
    else if (bounded.length > 0 && unbounded.length > 0) {
      for (const t of bounded) t.yaxis = 'y2';
      layout.yaxis = { title: { text: 'loss' }, range: fittedRange(unbounded.flatMap((t) => t.y)) };
      layout.yaxis2 = { title: { text: 'accuracy' }, range: [0, 1], overlaying: 'y', side: 'right', showgrid: false };
    } else layout.yaxis = { title: { text: 'value' }, range: fittedRange(all) };
  }
  return { data, layout };
}

function maxLength(traces: ScatterTrace[]): number {
  return Math.max(...traces.map((t) => t.x.length));
}

/** One curve of a `lineChart`. */
export interface Series {
  name: string;
  /** x values (default 0, 1, ..., n-1). */
  x?: NumberSource;
  y: NumberSource;
  dash?: Dash;
  /** Draw point markers too. */
  markers?: boolean;
  color?: string;
}

/** Options for `lineChart`. */
export interface LineChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  xRange?: [number, number];
  /** y-axis range (for a log axis, give log10 of the limits, as plotly does). */
  yRange?: [number, number];
  height?: number;
}

/**
 * Several named curves on shared axes, optionally log-scaled.
 * Usage: `lineChart([{ name: 'exponential', x: epochs, y: lrs }], { title: 'LR schedules', xTitle: 'epoch', yTitle: 'learning rate', logY: true })`
 */
export function lineChart(series: readonly Series[], options: LineChartOptions): Figure {
  if (series.length === 0) throw new Error('lineChart: no series given; pass at least one { name, y }.');
  const data: ScatterTrace[] = series.map((s, i) => {
    const y = toNumbers(s.y, `lineChart series '${s.name}' y`);
    const x = s.x === undefined ? integerRange(y.length) : toNumbers(s.x, `lineChart series '${s.name}' x`);
    if (x.length !== y.length) {
      throw new Error(`lineChart: series '${s.name}' has ${x.length} x values and ${y.length} y values; give one x per y.`);
    }
    const color = s.color ?? colorAt(i);
    return {
      type: 'scatter',
      mode: s.markers ? 'lines+markers' : 'lines',
      name: s.name,
      x,
      y,
      line: { color, dash: s.dash ?? 'solid', width: 2 },
      ...(s.markers ? { marker: { color, size: 6 } } : {}),
    };
  });
  return {
    data,
    layout: {
      title: { text: options.title },
      xaxis: { title: { text: options.xTitle }, type: options.logX ? 'log' : 'linear', ...(options.xRange ? { range: options.xRange } : {}) },
      yaxis: { title: { text: options.yTitle }, type: options.logY ? 'log' : 'linear', ...(options.yRange ? { range: options.yRange } : {}) },
      showlegend: series.length > 1,
      height: options.height ?? 450,
    },
  };
}
