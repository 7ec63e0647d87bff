/**
 * A DataFrame as an HTML table for the notebook (pandas's display: the first and last rows
 * with a "…" row between when there are many, and a "N rows × M columns" line), with a plain
 * text fallback for headless logs.
 *
 * Usage:
 *   showDataFrame(housing.df);                              // 5 first + 5 last rows
 *   showDataFrame(describeFrame(df), { precision: 3 });
 */
import { DataFrame } from '../data/danfo';
import { showHtml } from '../display';

/** Options of dataFrameHtml and showDataFrame. */
export interface FrameHtmlOptions {
  /** Show every row up to this many; beyond, the first and last maxRows / 2 (default 10). */
  maxRows?: number;
  /** Significant digits of non-integer numbers (default 6, like pandas). */
  precision?: number;
  /** A caption above the table. */
  caption?: string;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** How one cell is written. Usage: `formatCell(0.123456789, 6) // '0.123457'` */
export function formatCell(v: unknown, precision = 6): string {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-4 || a >= 1e15)) return v.toExponential(precision - 1);
    return String(Number(v.toPrecision(precision)));
  }
  if (v === null || v === undefined) return 'NaN';
  return String(v);
}

function rowPlan(n: number, maxRows: number): Array<number | null> {
  if (!Number.isInteger(maxRows) || maxRows < 2) throw new Error(`dataFrameHtml: maxRows must be an integer >= 2, got ${maxRows}.`);
  if (n <= maxRows) return Array.from({ length: n }, (_, i) => i);
  const head = Math.ceil(maxRows / 2);
  const tail = maxRows - head;
  return [...Array.from({ length: head }, (_, i) => i), null, ...Array.from({ length: tail }, (_, i) => n - tail + i)];
}

/** The table as HTML. Usage: `showHtml(dataFrameHtml(df))` */
export function dataFrameHtml(df: DataFrame, options: FrameHtmlOptions = {}): string {
  const [n, m] = df.shape;
  const cols = df.columns;
  const values = df.values as unknown[][];
  const index = df.index;
  const p = options.precision ?? 6;
  const plan = rowPlan(n, options.maxRows ?? 10);
  const th = 'style="text-align:right;padding:2px 8px"';
  const head = `<tr><th ${th}></th>${cols.map((c) => `<th ${th}>${escape(c)}</th>`).join('')}</tr>`;
  const body = plan
    .map((i) =>
      i === null
        ? `<tr><th ${th}>…</th>${cols.map(() => `<td ${th}>…</td>`).join('')}</tr>`
        : `<tr><th ${th}>${escape(String(index[i]))}</th>${(m === 1 && !Array.isArray(values[i]) ? [values[i]] : values[i]).map((v) => `<td ${th}>${escape(formatCell(v, p))}</td>`).join('')}</tr>`,
    )
    .join('');
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escape(options.caption)}</caption>` : '';
  const size = `<p style="font-size:90%">${n.toLocaleString('en-US')} rows × ${m} columns</p>`;
  return `<table style="border-collapse:collapse;font-family:monospace;font-size:90%">${caption}<thead>${head}</thead><tbody>${body}</tbody></table>${plan.includes(null) ? size : ''}`;
}

/** The same rows as plain text (for logs). Usage: `console.log(dataFrameText(df))` */
export function dataFrameText(df: DataFrame, options: FrameHtmlOptions = {}): string {
  const [n, m] = df.shape;
  const values = df.values as unknown[][];
  const p = options.precision ?? 6;
  const plan = rowPlan(n, options.maxRows ?? 10);
  const rows: string[][] = [['', ...df.columns]];
  for (const i of plan) {
    if (i === null) rows.push(['…', ...df.columns.map(() => '…')]);
    else rows.push([String(df.index[i]), ...(m === 1 && !Array.isArray(values[i]) ? [values[i]] : values[i]).map((v) => formatCell(v, p))]);
  }
  const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const lines = rows.map((r) => r.map((c, j) => c.padStart(widths[j])).join('  '));
  if (options.caption) lines.unshift(options.caption);
  lines.push(`[${n.toLocaleString('en-US')} rows x ${m} columns]`);
  return lines.join('\n');
}

/** Displays a DataFrame as an HTML table (text in logs). Usage: `showDataFrame(df.head(), { caption: 'first rows' })` */
export function showDataFrame(df: DataFrame, options: FrameHtmlOptions = {}): void {
  showHtml(dataFrameHtml(df, options), dataFrameText(df, options));
}
