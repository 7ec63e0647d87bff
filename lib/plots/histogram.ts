/**
 * Histograms, binned here (exact counts, small notebooks), several series overlaid on shared bins
 * (weight distributions with and without L1/L2).
 *
 * Usage:
 *   showFigure(histogram([{ name: 'no penalty', values: w0 }, { name: 'L2', values: w2 }], { bins: 50, title: 'Weights' }));
 */
import { colorAt, toNumbers, type NumberSource } from './data';
import type { BarTrace, Figure } from './types';

/** Shared bins: `bins` equal-width bins from `start` to `end`. */
export interface Bins {
  start: number;
  end: number;
  size: number;
  count: number;
}

/**
 * Equal-width bins covering every finite value (one unit-wide bin around a constant).
 * Usage: `binEdges([[0, 1, 2]], 4) // { start: 0, end: 2, size: 0.5, count: 4 }`
 */
export function binEdges(series: readonly (readonly number[])[], bins: number): Bins {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`histogram: bins=${bins} must be a whole number >= 1.`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const v of s) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (lo === Infinity) throw new Error('histogram: no finite values to bin; check the data for NaN/Infinity or emptiness.');
  if (hi === lo) return { start: lo - 0.5, end: lo + 0.5, size: 1 / bins, count: bins };
  return { start: lo, end: hi, size: (hi - lo) / bins, count: bins };
}

/** Counts per bin (the last bin includes its right edge; non-finite values are skipped). Usage: `binCounts([0, 1, 2], binEdges([[0, 1, 2]], 2)) // [1, 2]` */
export function binCounts(values: readonly number[], bins: Bins): number[] {
  const counts = new Array<number>(bins.count).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v) || v < bins.start || v > bins.end) continue;
    counts[Math.min(bins.count - 1, Math.floor((v - bins.start) / bins.size))] += 1;
  }
  return counts;
}

/** One series of a histogram. */
export interface HistogramSeries {
  name: string;
  values: NumberSource;
}

/** Options for `histogram`. */
export interface HistogramOptions {
  title: string;
  /** Number of bins (default 30). */
  bins?: number;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  height?: number;
}

/**
 * A histogram of one series, or of several overlaid on the same bins (semi-transparent).
 * Usage: `histogram(weights, { bins: 50, title: 'Dense kernel' })`
 */
export function histogram(values: NumberSource | readonly HistogramSeries[], options: HistogramOptions): Figure {
  const isSeriesList = Array.isArray(values) && values.length > 0 && typeof values[0] === 'object' && values[0] !== null && 'values' in (values[0] as object);
  const series = isSeriesList
    ? (values as readonly HistogramSeries[]).map((s) => ({ name: s.name, values: toNumbers(s.values, `histogram series '${s.name}'`) }))
    : [{ name: 'values', values: toNumbers(values as NumberSource, 'histogram values') }];
  const bins = binEdges(series.map((s) => s.values), options.bins ?? 30);
  const centers = Array.from({ length: bins.count }, (_, i) => bins.start + (i + 0.5) * bins.size);
  const overlay = series.length > 1;
  const data: BarTrace[] = series.map((s, i) => ({
    type: 'bar',
    name: s.name,
    x: centers,
    y: binCounts(s.values, bins),
    width: bins.size,
    opacity: overlay ? 0.55 : 1,
    marker: { color: colorAt(i), line: { width: 0 } },
  }));
  return {
    data,
    layout: {
      title: { text: options.title },
      xaxis: { title: { text: options.xTitle ?? 'value' } },
      yaxis: { title: { text: options.yTitle ?? 'count' }, type: options.logY ? 'log' : 'linear' },
      barmode: 'overlay',
      bargap: 0,
      showlegend: overlay,
      height: options.height ?? 400,
    },
  };
}
