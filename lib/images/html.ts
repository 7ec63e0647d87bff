/**
 * Image grids as HTML (data-URI <img> tiles with captions) and their display in tslab.
 * HTML keeps captions crisp and renders the same in Jupyter and in nbconvert's HTML export.
 *
 * Usage:
 *   showImageGrid(xTrain.slice([0, 0, 0], [10, 28, 28]), { titles: classNames, scale: 2 });
 *   showImageRows({ original: x, noisy: xNoisy, reconstructed: xHat }, { scale: 2, cmap: 'binary' });
 */
import { showBundle, showPng } from '../display';
import { asBatch, type ImageSource } from './batch';
import { gridPng, gridShape, renderGrid, tilePngs, type GridOptions, type ImageOptions } from './grid';
import { encodePng, pngDataUri } from './png';

/** Escapes text for HTML element content and attribute values. Usage: `escapeHtml('<a>') // '&lt;a&gt;'` */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Options for captioned tiles. */
export interface TileOptions extends ImageOptions {
  /** One caption per image (fewer is fine: the rest are uncaptioned). */
  titles?: readonly string[];
  /** Columns of the table (default min(count, 10)). */
  cols?: number;
  /** A heading above the table. */
  title?: string;
}

function imgTag(png: Uint8Array, width: number, height: number, alt: string): string {
  return `<img src="${pngDataUri(png)}" width="${width}" height="${height}" alt="${escapeHtml(alt)}" style="image-rendering:pixelated;display:block;margin:0 auto">`;
}

const TABLE_STYLE = 'border-collapse:collapse;margin:4px 0';
// Jupyter's and nbconvert's CSS stripe and highlight table rows; image tables keep a plain background.
const ROW_STYLE = 'background:transparent';
const CELL_STYLE = 'padding:2px 4px;text-align:center;vertical-align:top;border:none';
const CAPTION_STYLE = 'font:11px sans-serif;margin-top:2px;max-width:140px;overflow-wrap:anywhere';

/**
 * An HTML table of image tiles, each with its caption under it.
 * Usage: `imageTilesHtml(batch, { titles: ['a', 'b'], scale: 2 })`
 */
export function imageTilesHtml(images: ImageSource | readonly ImageSource[], options: TileOptions = {}): string {
  const batch = asBatch(images, options);
  const pngs = tilePngs(batch, options);
  const scale = options.scale ?? 1;
  const { cols } = gridShape(batch.count, { cols: options.cols });
  const w = batch.width * scale;
  const h = batch.height * scale;
  const rows: string[] = [];
  for (let start = 0; start < pngs.length; start += cols) {
    const cells = pngs.slice(start, start + cols).map((png, j) => {
      const caption = options.titles?.[start + j];
      const cap = caption === undefined ? '' : `<div style="${CAPTION_STYLE}">${escapeHtml(caption)}</div>`;
      return `<td style="${CELL_STYLE}">${imgTag(png, w, h, caption ?? `image ${start + j}`)}${cap}</td>`;
    });
    rows.push(`<tr style="${ROW_STYLE}">${cells.join('')}</tr>`);
  }
  const heading = options.title === undefined ? '' : `<div style="font:bold 13px sans-serif;margin:4px 0">${escapeHtml(options.title)}</div>`;
  return `<div class="tsdl-images">${heading}<table style="${TABLE_STYLE}">${rows.join('')}</table></div>`;
}

/** Options for `showImageGrid`: a grid PNG, or captioned tiles when `titles` is given. */
export interface ShowGridOptions extends GridOptions {
  titles?: readonly string[];
  title?: string;
}

/**
 * Displays images in a grid: one PNG when there are no captions, else an HTML table of
 * captioned tiles. Logs get a one-line description.
 * Usage: `showImageGrid(images, { cols: 10, scale: 2, titles: labels.map((l) => classNames[l]) })`
 */
export function showImageGrid(images: ImageSource | readonly ImageSource[], options: ShowGridOptions = {}): void {
  const batch = asBatch(images, options);
  const { rows, cols } = gridShape(batch.count, options);
  const text = `${options.title ? `${options.title}: ` : ''}image grid, ${batch.count} images ${batch.height}x${batch.width}x${batch.channels} (${rows}x${cols})`;
  if (options.titles !== undefined || options.title !== undefined) {
    showBundle({ 'text/html': imageTilesHtml(batch, { ...options, cols }), 'text/plain': text });
    return;
  }
  showPng(gridPng(batch, options), text);
}

/** Options for `imageRowsHtml` / `showImageRows`. */
export interface RowsOptions extends ImageOptions {
  /** Pixels between images in a row (default 2). */
  gap?: number;
  /** A heading above the table. */
  title?: string;
}

/**
 * An HTML table with one labelled row per entry, each row one PNG strip (e.g. original / noisy /
 * reconstructed). Every row must have the same image size; rows are normalised independently.
 * Usage: `imageRowsHtml({ original: x, reconstructed: xHat }, { scale: 2 })`
 */
export function imageRowsHtml(rows: Readonly<Record<string, ImageSource | readonly ImageSource[]>>, options: RowsOptions = {}): string {
  return renderRows(rows, options).html;
}

function renderRows(rows: Readonly<Record<string, ImageSource | readonly ImageSource[]>>, options: RowsOptions): { html: string; counts: string[] } {
  const entries = Object.entries(rows);
  if (entries.length === 0) throw new Error('imageRowsHtml: no rows given; pass e.g. { original: x, reconstructed: xHat }.');
  const counts: string[] = [];
  const trs = entries.map(([label, source]) => {
    const batch = asBatch(source, options);
    counts.push(`${label} (${batch.count})`);
    const g = renderGrid(batch, { ...options, rows: 1, cols: batch.count });
    const png = encodePng(g.pixels, g.width, g.height, g.channels);
    return `<tr style="${ROW_STYLE}"><th style="${CELL_STYLE};font:12px sans-serif;text-align:right;vertical-align:middle">${escapeHtml(label)}</th>` +
      `<td style="${CELL_STYLE}">${imgTag(png, g.width, g.height, label)}</td></tr>`;
  });
  const heading = options.title === undefined ? '' : `<div style="font:bold 13px sans-serif;margin:4px 0">${escapeHtml(options.title)}</div>`;
  return { html: `<div class="tsdl-images">${heading}<table style="${TABLE_STYLE}">${trs.join('')}</table></div>`, counts };
}

/**
 * Displays labelled rows of images, such as the seeds' "original / noisy / reconstructed" plots.
 * Usage: `showImageRows({ original: xTest.slice(0, 10), reconstructed: preds }, { scale: 2, cmap: 'binary' })`
 */
export function showImageRows(rows: Readonly<Record<string, ImageSource | readonly ImageSource[]>>, options: RowsOptions = {}): void {
  const { html, counts } = renderRows(rows, options);
  showBundle({ 'text/html': html, 'text/plain': `${options.title ? `${options.title}: ` : ''}image rows: ${counts.join(', ')}` });
}
