/**
 * Rich output in the tslab kernel (Jupyter), degrading to plain text elsewhere (node, vitest, CI logs).
 *
 * tslab's public `display` sends one mime type per message; `showBundle` sends several at once
 * (e.g. a plotly JSON spec with an HTML fallback) so that each front end picks what it renders.
 *
 * Usage:
 *   showHtml('<b>hi</b>');
 *   showPng(pngBytes);
 *   const h = newDisplayHandle(); h.update({ 'text/plain': 'epoch 1' }); h.update({ 'text/plain': 'epoch 2' });
 */

/**
 * A mime bundle: mime type to payload: strings, bytes (sent base64-encoded), or for JSON mime
 * types (`application/json`, `application/vnd.plotly.v1+json`, ...) a JSON-serialisable object,
 * which Jupyter expects as an object, not as a string.
 */
export type MimeBundle = Record<string, string | Uint8Array | object>;

interface DisplayMessage {
  data: Record<string, string | object>;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

function kernelWriter(): WriteDisplayData | undefined {
  if ((globalThis as { __tslab__?: unknown }).__tslab__ === undefined) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: WriteDisplayData | null };
    return jupyter.lastWriteDisplayData ?? undefined;
  } catch {
    return undefined;
  }
}

/** True when running inside the tslab kernel with a front end to display to. Usage: `if (inNotebook()) showHtml(table)` */
export function inNotebook(): boolean {
  return kernelWriter() !== undefined;
}

/**
 * True when live, decorative output (live charts) should be skipped: env CI or TSDL_HEADLESS=1
 * is set, or there is no notebook front end.
 * Usage: `if (!isHeadless()) handle.update(bundle)`
 */
export function isHeadless(env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = (v: string | undefined): boolean => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
  return flag(env.CI) || flag(env.TSDL_HEADLESS) || !inNotebook();
}

function isJsonMime(mime: string): boolean {
  return /^application\/(.*\+)?json$/.test(mime);
}

function encode(bundle: MimeBundle): Record<string, string | object> {
  const data: Record<string, string | object> = {};
  for (const [mime, payload] of Object.entries(bundle)) {
    if (typeof payload === 'string') data[mime] = payload;
    else if (payload instanceof Uint8Array) data[mime] = Buffer.from(payload).toString('base64');
    else if (isJsonMime(mime)) data[mime] = payload;
    else throw new Error(`showBundle: '${mime}' got an object; only JSON mime types (application/...json) take objects, others take a string or bytes.`);
  }
  return data;
}

function textOf(bundle: MimeBundle): string | undefined {
  const t = bundle['text/plain'];
  return typeof t === 'string' ? t : undefined;
}

let nextId = 0;
function newId(): string {
  nextId += 1;
  return `tsdl-${process.pid}-${Date.now().toString(36)}-${nextId}`;
}

/**
 * Displays a mime bundle. In the kernel every mime type goes in one message; outside it,
 * the text/plain part (if any) is printed, so headless logs still say what was shown.
 * Usage: `showBundle({ 'text/html': '<b>5</b>', 'text/plain': '5' })`
 */
export function showBundle(bundle: MimeBundle, metadata: Record<string, unknown> = {}): void {
  const write = kernelWriter();
  if (write) {
    write({ data: encode(bundle), metadata, transient: {} }, false);
    return;
  }
  const text = textOf(bundle);
  if (text !== undefined) console.log(text);
}

/** Displays HTML (with a text fallback for logs). Usage: `showHtml('<table>...</table>', 'a table')` */
export function showHtml(html: string, text?: string): void {
  showBundle(text === undefined ? { 'text/html': html } : { 'text/html': html, 'text/plain': text });
}

/** Displays markdown. Usage: `showMarkdown('**done**')` */
export function showMarkdown(markdown: string): void {
  showBundle({ 'text/markdown': markdown, 'text/plain': markdown });
}

/** Displays PNG bytes inline (with a text description for logs). Usage: `showPng(gridPng(images), 'digits')` */
export function showPng(png: Uint8Array, text = `[PNG image, ${png.length} bytes]`, size?: { width: number; height: number }): void {
  const metadata = size ? { 'image/png': { width: size.width, height: size.height } } : {};
  showBundle({ 'image/png': png, 'text/plain': text }, metadata);
}

/** One display entry that can be overwritten in place (Jupyter's update_display_data). */
export interface DisplayHandle {
  /** Shows the bundle the first time, replaces it afterwards. */
  update(bundle: MimeBundle): void;
  /** True when updates reach a notebook front end (false in headless or plain node runs). */
  readonly live: boolean;
}

/**
 * A display entry updated in place: progress lines and live charts.
 * Outside the kernel, `update` does nothing unless `echo` is set, in which case it prints
 * the text/plain part of each update.
 * Usage: `const h = newDisplayHandle({ echo: true }); h.update({ 'text/plain': 'epoch 1/10' });`
 */
export function newDisplayHandle(options: { echo?: boolean } = {}): DisplayHandle {
  const write = kernelWriter();
  const id = newId();
  let shown = false;
  return {
    live: write !== undefined,
    update(bundle: MimeBundle): void {
      if (write) {
        write({ data: encode(bundle), metadata: {}, transient: { display_id: id } }, shown);
        shown = true;
        return;
      }
      if (options.echo) {
        const text = textOf(bundle);
        if (text !== undefined) console.log(text);
      }
    },
  };
}

/**
 * Characters that fit on one text output line: classic Notebook 6 in a 1280 px window fits 114
 * monospace characters (measured in Chromium by scripts/notebook-ui.ts); the course keeps to 110.
 */
export const OUTPUT_LINE_WIDTH = 110;

/**
 * Wraps each line of `text` at spaces so that no line passes `width` characters; continuation
 * lines are indented by `indent` spaces. A word longer than the width stays whole.
 * Usage: `console.log(wrapText(longMessage))`
 */
export function wrapText(text: string, width = OUTPUT_LINE_WIDTH, indent = 2): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const out: string[] = [];
      let current = '';
      for (const word of line.split(' ')) {
        const candidate = current === '' ? word : `${current} ${word}`;
        if (candidate.length > width && current.trim() !== '') {
          out.push(current);
          current = pad + word;
        } else current = candidate;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/** Column alignment in a markdown table. */
export type ColumnAlign = 'left' | 'right' | 'center';

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /**
   * One alignment per column. By default a column is right-aligned when every non-empty cell in it
   * is a number (digits with an optional sign, separators, decimals, exponent, % or x suffix) and
   * left-aligned otherwise.
   */
  align?: readonly ColumnAlign[];
}

const NUMERIC_CELL = /^[-+−]?(\d[\d,_ ]*)?(\.\d+)?([eE][-+]?\d+)?\s*(%|x|s|ms)?$/;

function isNumericCell(cell: string): boolean {
  const c = cell.trim().replace(/^\*\*(.*)\*\*$/, '$1');
  return c !== '' && /\d/.test(c) && NUMERIC_CELL.test(c);
}

/**
 * A markdown table from a header and rows of cells (numbers are printed with `String`); pipes in
 * cells are escaped. Text columns are left-aligned, number columns right-aligned, unless `align` says.
 * Usage: `showMarkdown(markdownTable(['model', 'accuracy'], [['MLP', acc.toFixed(4)]]))`
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[], options: MarkdownTableOptions = {}): string {
  const width = header.length;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new Error(`markdownTable: row ${i} has ${row.length} cells but the header has ${width}; give every row one cell per column.`);
    }
  });
  if (options.align && options.align.length !== width) {
    throw new Error(`markdownTable: align has ${options.align.length} entries but the header has ${width} columns.`);
  }
  const cell = (v: string | number): string => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const cells = rows.map((row) => row.map(cell));
  const align = options.align ?? header.map((_, j) => {
    const column = cells.map((r) => r[j]).filter((c) => c.trim() !== '' && c.trim() !== '-' && c.trim() !== '—');
    return column.length > 0 && column.every(isNumericCell) ? 'right' : 'left';
  });
  const rule = align.map((a) => (a === 'right' ? '---:' : a === 'center' ? ':---:' : ':---'));
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  return [line(header.map(cell)), line(rule), ...cells.map(line)].join('\n');
}
