/**
 * Plotly figures as Jupyter outputs that render offline, in the notebook and in nbconvert's HTML.
 *
 * A figure is sent as one mime bundle:
 * - `application/vnd.plotly.v1+json` {data, layout, config}: rendered by JupyterLab / Notebook 7
 *   when the plotly extension is installed;
 * - `text/html`: a div plus a script calling `Plotly.newPlot`. The first figure of a kernel
 *   session also carries plotly.js itself (from node_modules, about 4.7 MB, no CDN), so the
 *   exported HTML is self-contained. Later figures only call `Plotly.newPlot`, and say so in
 *   their div when plotly.js is not on the page (e.g. after the first output was cleared);
 * - `text/plain`: "Figure: <title> (n traces)" for logs and headless runs.
 *
 * Usage:
 *   showFigure(lineChart([{ name: 'loss', y: losses }], { title: 'Loss', xTitle: 'epoch', yTitle: 'loss' }));
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { inNotebook, showBundle, type MimeBundle } from '../display';
import type { Figure, PlotConfig, Trace } from './types';

/** The plotly mime type Jupyter front ends render natively. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

const DEFAULT_CONFIG: PlotConfig = { responsive: true, displaylogo: false };
const DEFAULT_HEIGHT = 450;

let bundleCache: string | undefined;

/** The plotly.js version that is inlined. Usage: `plotlyVersion() // '3.7.0'` */
export function plotlyVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('plotly.js-dist-min/package.json') as { version: string }).version;
}

/**
 * The plotly.js bundle as an inline <script> body: wrapped so that `define`, `module` and
 * `exports` are undefined locals. Classic Jupyter Notebook (and nbconvert's page) load RequireJS,
 * and a UMD bundle that sees `define.amd` or `module` registers a module instead of setting
 * `window.Plotly`; the wrapper makes it always set `window.Plotly`.
 * Usage: `const js = plotlyBundleScript(); js.length // about 4.7e6`
 */
export function plotlyBundleScript(): string {
  if (bundleCache === undefined) {
    let path: string;
    try {
      path = require.resolve('plotly.js-dist-min');
    } catch {
      throw new Error("plotlyBundleScript: the package 'plotly.js-dist-min' is not installed; run `npm install` in the course folder.");
    }
    // `</script` cannot occur in an inline script; in the bundle it could only sit in a string.
    const bundle = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
    bundleCache =
      'window.PlotlyConfig = window.PlotlyConfig || { MathJaxConfig: "local" };\n' +
      '(function (define, module, exports) {\n' + bundle + '\n}).call(window, undefined, undefined, undefined);\n';
  }
  return bundleCache;
}

/** JSON that is safe inside an HTML <script> element. Usage: `scriptJson({ a: '</script>' })` */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function traceLength(t: Trace): number {
  return t.type === 'heatmap' ? t.z.length : t.x.length;
}

/**
 * Checks a figure before it is sent: every trace has data and matching x/y lengths, heatmap rows
 * have one width. Throws an Error naming the trace otherwise.
 * Usage: `validateFigure(fig)`
 */
export function validateFigure(fig: Figure): void {
  if (!fig || !Array.isArray(fig.data)) throw new Error('validateFigure: a figure is { data: Trace[], layout }; data must be an array of traces.');
  fig.data.forEach((t, i) => {
    const label = `trace ${i}${t.name ? ` ('${t.name}')` : ''}`;
    if (t.type === 'heatmap') {
      const w = t.z[0]?.length ?? 0;
      if (t.z.some((row) => row.length !== w)) throw new Error(`validateFigure: ${label}: heatmap rows have different lengths; z must be a rectangular matrix.`);
    } else if (t.type === 'scatter' || t.type === 'scattergl' || t.type === 'bar') {
      if (t.x.length !== t.y.length) throw new Error(`validateFigure: ${label} has ${t.x.length} x values and ${t.y.length} y values; give one x per y.`);
    }
    if (traceLength(t) === 0) throw new Error(`validateFigure: ${label} has no data points; drop the trace or give it data.`);
  });
}

/** "Figure: <title> (n traces)". Usage: `describeFigure(fig) // 'Figure: Learning curves (4 traces)'` */
export function describeFigure(fig: Figure): string {
  const title = fig.layout.title?.text ?? 'untitled';
  const n = fig.data.length;
  return `Figure: ${title} (${n} trace${n === 1 ? '' : 's'})`;
}

/** Options for the HTML of one figure. */
export interface FigureHtmlOptions {
  /** The div id (default: random, unique across sessions). */
  divId?: string;
  /** Put plotly.js itself in front of the figure (the first figure of a session does). */
  includePlotly?: boolean;
}

/** A fresh div id. Usage: `newFigureId() // 'tsdl-plot-3f9a...'` */
export function newFigureId(): string {
  return `tsdl-plot-${randomBytes(8).toString('hex')}`;
}

const MISSING_PLOTLY_HTML =
  '<p style="font:13px sans-serif;color:#a00;padding:8px;border:1px dashed #a00">' +
  'This figure needs plotly.js, which the first figure of the kernel session carries, and it is not on this page. ' +
  'Re-run the notebook from the top (or call <code>inlinePlotlyAgain()</code> before this figure).</p>';

/**
 * The text/html output of a figure: a sized div, an optional inlined plotly.js, and a script that
 * draws the figure (or explains in the div that plotly.js is missing).
 * Usage: `figureHtml(fig, { includePlotly: true })`
 */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  validateFigure(fig);
  const id = options.divId ?? newFigureId();
  if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`figureHtml: div id '${id}' must start with a letter and use letters, digits, '-' or '_'.`);
  const height = fig.layout.height ?? DEFAULT_HEIGHT;
  const width = fig.layout.width === undefined ? 'width:100%' : `width:${fig.layout.width}px`;
  const config = { ...DEFAULT_CONFIG, ...fig.config };
  const parts: string[] = [`<div id="${id}" class="tsdl-plotly" style="${width};height:${height}px"></div>`];
  if (options.includePlotly) parts.push(`<script type="text/javascript">\n${plotlyBundleScript()}</script>`);
  parts.push(
    '<script type="text/javascript">\n(function () {\n' +
      `  var id = ${JSON.stringify(id)};\n` +
      '  var s = document.currentScript;\n' +
      '  var el = document.getElementById(id) || (s && s.parentNode ? s.parentNode.querySelector("#" + id) : null);\n' +
      '  if (!el) return;\n' +
      `  if (!window.Plotly || !window.Plotly.newPlot) { el.style.height = "auto"; el.innerHTML = ${JSON.stringify(MISSING_PLOTLY_HTML)}; return; }\n` +
      `  window.Plotly.newPlot(el, ${scriptJson(fig.data)}, ${scriptJson(fig.layout)}, ${scriptJson(config)});\n` +
      '})();\n</script>',
  );
  return parts.join('\n');
}

let plotlyInlined = false;

/** Whether this kernel session has already sent plotly.js with a figure. Usage: `plotlyInlinedAlready()` */
export function plotlyInlinedAlready(): boolean {
  return plotlyInlined;
}

/**
 * Makes the next figure carry plotly.js again: call it before re-running a figure cell when the
 * output that carried plotly.js was cleared and the notebook will be saved or exported as it is.
 * Usage: `inlinePlotlyAgain(); showFigure(fig);`
 */
export function inlinePlotlyAgain(): void {
  plotlyInlined = false;
}

/** Options for `figureBundle` / `showFigure`. */
export interface FigureBundleOptions {
  /** true/false forces plotly.js in or out; 'auto' (default) inlines it once per session. */
  includePlotly?: boolean | 'auto';
  divId?: string;
}

/**
 * The full mime bundle of a figure (plotly JSON, HTML, text). With includePlotly 'auto' the
 * first call of the session inlines plotly.js and marks it as sent.
 * Usage: `showBundle(figureBundle(fig))`
 */
export function figureBundle(fig: Figure, options: FigureBundleOptions = {}): MimeBundle {
  validateFigure(fig);
  const mode = options.includePlotly ?? 'auto';
  const include = mode === 'auto' ? !plotlyInlined : mode;
  const html = figureHtml(fig, { divId: options.divId, includePlotly: include });
  if (include) plotlyInlined = true;
  return {
    // An object, not a string: Jupyter front ends read JSON mime types as JSON.
    [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: { ...DEFAULT_CONFIG, ...fig.config } },
    'text/html': html,
    'text/plain': describeFigure(fig),
  };
}

/**
 * Displays a figure in the notebook (headless: prints its one-line description).
 * Usage: `showFigure(learningCurves(history))`
 */
export function showFigure(fig: Figure, options: FigureBundleOptions = {}): void {
  validateFigure(fig);
  if (!inNotebook()) {
    // No front end: do not spend time building (or mark as sent) the 4.7 MB HTML.
    console.log(describeFigure(fig));
    return;
  }
  showBundle(figureBundle(fig, options));
}

