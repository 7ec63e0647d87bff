/**
 * Bar charts of labelled values (parameter counts, timings, accuracies).
 *
 * Usage:
 *   showFigure(barChart(['AlexNet', 'VGG-16'], [62.3e6, 138e6], { title: 'Parameters', yTitle: 'parameters', logY: true }));
 */
import { colorAt, toNumbers, type NumberSource } from './data';
import type { Figure } from './types';

/** Options for `barChart`. */
export interface BarChartOptions {
  title: string;
  xTitle?: string;
  yTitle?: string;
  logY?: boolean;
  /** Write each value on its bar (default true). */
  showValues?: boolean;
  /** Formats the values written on bars (default: up to 4 significant digits, thousands separated). */
  format?: (v: number) => string;
  /** Horizontal bars (long labels). */
  horizontal?: boolean;
  height?: number;
}

/** The default bar label: 266610 -> '266,610', 0.87234 -> '0.8723'. Usage: `formatValue(1234.5) // '1,234.5'` */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/**
 * One bar per label, coloured by position in tab10, values written on the bars.
 * Usage: `barChart(['SGD', 'Adam'], [0.84, 0.88], { title: 'Validation accuracy' })`
 */
export function barChart(labels: readonly string[], values: NumberSource, options: BarChartOptions): Figure {
  const ys = toNumbers(values, 'barChart values');
  if (labels.length !== ys.length) throw new Error(`barChart: ${labels.length} labels but ${ys.length} values; give one value per label.`);
  if (ys.length === 0) throw new Error('barChart: no bars to draw; pass at least one label and value.');
  const format = options.format ?? formatValue;
  const showValues = options.showValues ?? true;
  const horizontal = options.horizontal ?? false;
  const valueAxis = { title: { text: options.yTitle ?? 'value' }, type: options.logY ? ('log' as const) : ('linear' as const) };
  const labelAxis = { title: { text: options.xTitle ?? '' }, type: 'category' as const };
  return {
    data: [
      {
        type: 'bar',
        name: options.yTitle ?? 'value',
        x: horizontal ? ys : [...labels],
        y: horizontal ? [...labels] : ys,
        orientation: horizontal ? 'h' : 'v',
        marker: { color: labels.map((_, i) => colorAt(i)) },
        ...(showValues ? { text: ys.map(format), textposition: 'auto' as const } : {}),
      },
    ],
    layout: {
      title: { text: options.title },
      xaxis: horizontal ? valueAxis : labelAxis,
      yaxis: horizontal ? { ...labelAxis, autorange: 'reversed' } : valueAxis,
      showlegend: false,
      height: options.height ?? Math.max(400, horizontal ? 60 + 30 * labels.length : 400),
    },
  };
}
