/**
 * Typed plotly.js figure specs: the trace kinds the course uses (scatter/line, bar, heatmap,
 * histogram) and the layout fields it sets. A `Figure` is plain JSON, the same object that goes
 * into Jupyter's `application/vnd.plotly.v1+json` output and into `Plotly.newPlot`.
 *
 * Usage:
 *   const fig: Figure = { data: [{ type: 'scatter', mode: 'lines', x: [0, 1], y: [1, 0], name: 'loss' }], layout: { title: { text: 'Loss' } } };
 */

/** Plotly dash styles. */
export type Dash = 'solid' | 'dot' | 'dash' | 'longdash' | 'dashdot' | 'longdashdot';

/** Values along an axis. */
export type AxisValues = number[] | string[];

interface TraceBase {
  name?: string;
  showlegend?: boolean;
  opacity?: number;
  hovertemplate?: string;
  /** Free-form per-point text (hover or shown). */
  text?: string[] | string;
  legendgroup?: string;
  /** Which y-axis the trace uses: 'y' (default) or 'y2' (layout.yaxis2). */
  yaxis?: 'y' | 'y2';
}

/** Lines and markers. */
export interface ScatterTrace extends TraceBase {
  type: 'scatter' | 'scattergl';
  mode: 'lines' | 'markers' | 'lines+markers' | 'text' | 'markers+text';
  x: AxisValues;
  y: number[];
  line?: { color?: string; width?: number; dash?: Dash };
  marker?: { color?: string | string[] | number[]; size?: number; symbol?: string; opacity?: number; line?: { width?: number; color?: string } };
}

/** Bars (also used for pre-binned histograms). */
export interface BarTrace extends TraceBase {
  type: 'bar';
  /** Categories (vertical bars) or values (horizontal bars, orientation 'h'). */
  x: AxisValues;
  /** Values (vertical bars) or categories (horizontal bars). */
  y: AxisValues;
  orientation?: 'v' | 'h';
  /** Bar widths in x units (one value or one per bar). */
  width?: number | number[];
  marker?: { color?: string | string[]; line?: { width?: number; color?: string } };
  textposition?: 'inside' | 'outside' | 'auto' | 'none';
}

/** A matrix of values as coloured cells. */
export interface HeatmapTrace extends TraceBase {
  type: 'heatmap';
  z: number[][];
  x?: AxisValues;
  y?: AxisValues;
  colorscale?: string | Array<[number, string]>;
  showscale?: boolean;
  zmin?: number;
  zmax?: number;
  reversescale?: boolean;
}

/** Raw values binned by plotly in the browser. */
export interface HistogramTrace extends TraceBase {
  type: 'histogram';
  x: number[];
  xbins?: { start: number; end: number; size: number };
  nbinsx?: number;
  marker?: { color?: string; line?: { width?: number; color?: string } };
}

/** Any trace the course draws. */
export type Trace = ScatterTrace | BarTrace | HeatmapTrace | HistogramTrace;

/** One axis. */
export interface Axis {
  title?: { text: string };
  type?: 'linear' | 'log' | 'category';
  range?: [number, number];
  autorange?: boolean | 'reversed';
  showgrid?: boolean;
  zeroline?: boolean;
  dtick?: number;
  tickmode?: 'auto' | 'linear' | 'array';
  tickvals?: number[];
  ticktext?: string[];
  scaleanchor?: string;
  constrain?: 'range' | 'domain';
  visible?: boolean;
  side?: 'top' | 'bottom' | 'left' | 'right';
  /** Draw this axis over another ('y' for a second y-axis sharing the plot). */
  overlaying?: 'x' | 'y';
  rangemode?: 'normal' | 'tozero' | 'nonnegative';
}

/** A text label placed on the plot (counts in a confusion matrix). */
export interface Annotation {
  x: number | string;
  y: number | string;
  text: string;
  showarrow: boolean;
  xref?: 'x' | 'paper';
  yref?: 'y' | 'paper';
  font?: { color?: string; size?: number };
}

/** An image placed on the plot (thumbnails in a 2-D embedding), usually a PNG data URI. */
export interface LayoutImage {
  source: string;
  xref: 'x' | 'paper';
  yref: 'y' | 'paper';
  x: number;
  y: number;
  sizex: number;
  sizey: number;
  xanchor?: 'left' | 'center' | 'right';
  yanchor?: 'top' | 'middle' | 'bottom';
  layer?: 'above' | 'below';
  sizing?: 'contain' | 'stretch' | 'fill';
  opacity?: number;
}

/** The layout fields the course sets. */
export interface Layout {
  title?: { text: string };
  xaxis?: Axis;
  yaxis?: Axis;
  /** A second y-axis (traces with yaxis: 'y2'), e.g. accuracies on the right of losses. */
  yaxis2?: Axis;
  width?: number;
  height?: number;
  showlegend?: boolean;
  legend?: { orientation?: 'v' | 'h'; x?: number; y?: number; font?: { size?: number }; title?: { text: string } };
  barmode?: 'group' | 'overlay' | 'stack' | 'relative';
  bargap?: number;
  annotations?: Annotation[];
  images?: LayoutImage[];
  margin?: { l?: number; r?: number; t?: number; b?: number };
  template?: string;
  hovermode?: 'closest' | 'x' | 'y' | 'x unified' | false;
}

/** Plotly's config (toolbar, responsiveness). */
export interface PlotConfig {
  responsive?: boolean;
  displaylogo?: boolean;
  displayModeBar?: boolean;
  staticPlot?: boolean;
}

/** A plotly figure. */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: PlotConfig;
}
