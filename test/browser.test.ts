/**
 * End to end: a notebook whose outputs come from lib/plots and lib/images is exported by
 * nbconvert (the HTML the course publishes) and opened in headless Chromium, offline.
 * Skipped, with a message, when Chromium or nbconvert is missing (CI installs both).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MimeBundle } from '../lib/display';
import { gridPng, imageRowsHtml, imageTilesHtml, weightImages } from '../lib/images';
import {
  LivePlot,
  barChart,
  confusionMatrixHeatmap,
  figureBundle,
  histogram,
  inlinePlotlyAgain,
  learningCurves,
  lineChart,
  scatterByClass,
  scatterWithThumbnails,
  type Figure,
} from '../lib/plots';
import { makeRng } from '../lib/random';
import { checkHtml, chromiumPath, openHtmlChecker, type HtmlChecker } from '../scripts/browser-check';
import { jupyterPython, repoRoot } from '../scripts/paths';

const root = repoRoot();
const outDir = path.join(root, 'build', 'fixtures');
const python = jupyterPython();

function nbconvertAvailable(): boolean {
  return spawnSync(python, ['-m', 'nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
}
const chromium = chromiumPath();
const nbconvert = nbconvertAvailable();
const skipReason = !chromium
  ? 'no Chromium at /usr/bin/chromium (install: sudo apt-get install chromium)'
  : !nbconvert
    ? `no nbconvert for ${python} (install: sudo apt-get install jupyter-nbconvert)`
    : '';
if (skipReason) console.warn(`browser.test.ts skipped: ${skipReason}`);

/** A display_data output as nbformat stores it (bytes base64, JSON mime types as objects). */
function output(bundle: MimeBundle): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(bundle)) data[mime] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
  return { output_type: 'display_data', data, metadata: {} };
}

function codeCell(source: string, outputs: Record<string, unknown>[], n: number): Record<string, unknown> {
  return { cell_type: 'code', execution_count: n, metadata: {}, source, outputs };
}

/** Synthetic 8x8 "digits": class c draws a bar at row/column c, with noise. */
function syntheticImages(labels: number[], seed: number): Float32Array {
  const rng = makeRng(seed);
  const out = new Float32Array(labels.length * 64);
  labels.forEach((c, i) => {
    for (let p = 0; p < 64; p++) {
      const y = Math.floor(p / 8);
      const x = p % 8;
      out[i * 64 + p] = Math.min(1, (c % 2 === 0 ? y === c + 1 : x === c + 1) ? 0.9 + 0.1 * rng.uniform() : 0.15 * rng.uniform());
    }
  });
  return out;
}

/** The fixture notebook: every builder once, the first figure carrying plotly.js. */
function buildNotebook(): { nb: Record<string, unknown>; figures: number; images: number } {
  inlinePlotlyAgain();
  const rng = makeRng(7);
  const classNames = ['zero', 'one', 'two', 'three'];
  const n = 300;
  const labels = Array.from({ length: n }, () => rng.int(4));
  const points = labels.map((c) => [Math.cos(c * 1.6) * 4 + rng.normal(), Math.sin(c * 1.6) * 4 + rng.normal()]);
  const images = syntheticImages(labels, 8);
  const history = {
    history: {
      loss: [0.82, 0.55, 0.49, 0.45, 0.43],
      accuracy: [0.72, 0.81, 0.83, 0.84, 0.85],
      val_loss: [0.6, 0.51, 0.47, 0.46, 0.44],
      val_accuracy: [0.79, 0.82, 0.83, 0.84, 0.86],
    },
  };
  const epochs = Array.from({ length: 30 }, (_, i) => i);
  const liveBundles: MimeBundle[] = [];
  const live = new LivePlot({ headless: false, handle: { live: true, update: (b) => void liveBundles.push(b) }, throttleMs: 0, title: 'Live training' });
  const figs: Array<[string, Figure]> = [
    ['learningCurves(history)', learningCurves(history)],
    [
      'lineChart(schedules, { logY: true })',
      lineChart(
        [
          { name: 'exponential', x: epochs, y: epochs.map((e) => 0.01 * 0.1 ** (e / 20)) },
          { name: 'power', x: epochs, y: epochs.map((e) => 0.01 / (1 + e / 10)) },
          { name: 'piecewise', x: epochs, y: epochs.map((e) => (e < 10 ? 0.01 : e < 20 ? 0.005 : 0.001)), dash: 'dash' },
        ],
        { title: 'Learning-rate schedules', xTitle: 'epoch', yTitle: 'learning rate', logY: true },
      ),
    ],
    ['scatterByClass(points, labels, classNames)', scatterByClass(points, labels, classNames, { title: 'Codings by class' })],
    ['scatterWithThumbnails(points, images)', scatterWithThumbnails(points, images, { imageShape: { height: 8, width: 8 }, labels, classNames, title: 'Codings with thumbnails', thumbFrac: 0.06 })],
    ['confusionMatrixHeatmap(cm, classNames)', confusionMatrixHeatmap([[70, 3, 2, 0], [4, 66, 0, 5], [1, 0, 72, 2], [0, 6, 3, 66]], classNames)],
    [
      'histogram([...], { bins: 40 })',
      histogram(
        [
          { name: 'no penalty', values: Array.from({ length: 2000 }, () => rng.normal() * 0.3) },
          { name: 'L1', values: Array.from({ length: 2000 }, () => (rng.uniform() < 0.6 ? 0 : rng.normal() * 0.2)) },
        ],
        { bins: 40, title: 'Weights with and without L1', xTitle: 'weight' },
      ),
    ],
    ['barChart(models, params)', barChart(['MLP', 'BN MLP', 'CNN'], [266_610, 271_346, 1_413_834], { title: 'Parameters', yTitle: 'parameters' })],
  ];
  const cells: Record<string, unknown>[] = [
    { cell_type: 'markdown', metadata: {}, source: '# Visuals fixture\nEvery plot and image builder, as the notebooks use them.' },
  ];
  let count = 0;
  for (const [src, fig] of figs) cells.push(codeCell(`showFigure(${src});`, [output(figureBundle(fig))], ++count));
  // The live plot runs after the first figure, so it does not carry plotly.js itself.
  for (let e = 0; e < 3; e++) live.onEpochEnd(e, { loss: 1 / (e + 1), val_loss: 1.1 / (e + 1) });
  live.onTrainEnd();
  cells.push(codeCell('// LivePlot: the last redraw stays in the notebook', [output(liveBundles[liveBundles.length - 1])], ++count));
  const grid = gridPng(images.subarray(0, 20 * 64), { height: 8, width: 8, cols: 10, scale: 3, cmap: 'binary' });
  cells.push(codeCell('showImageGrid(images, { cols: 10, scale: 3 });', [output({ 'image/png': grid, 'text/plain': 'image grid' })], ++count));
  const tiles = imageTilesHtml(images.subarray(0, 8 * 64), { height: 8, width: 8, scale: 4, titles: labels.slice(0, 8).map((l) => classNames[l]) });
  cells.push(codeCell('showImageGrid(images, { titles });', [output({ 'text/html': tiles, 'text/plain': 'tiles' })], ++count));
  const noisy = images.subarray(0, 6 * 64).map((v) => Math.min(1, v + 0.4 * rng.uniform()));
  const rows = imageRowsHtml({ original: images.subarray(0, 6 * 64), noisy, reconstructed: images.subarray(0, 6 * 64) }, { height: 8, width: 8, scale: 4 });
  cells.push(codeCell('showImageRows({ original, noisy, reconstructed });', [output({ 'text/html': rows, 'text/plain': 'rows' })], ++count));
  const kernel = { data: Float32Array.from({ length: 64 * 6 }, () => rng.normal()), shape: [64, 6] as const };
  const weights = imageTilesHtml(weightImages(kernel, { height: 8, width: 8 }), { normalize: 'per-image', scale: 4, titles: ['unit 0', 'unit 1', 'unit 2', 'unit 3', 'unit 4', 'unit 5'] });
  cells.push(codeCell('showWeightImages(kernel, { height: 8, width: 8 });', [output({ 'text/html': weights, 'text/plain': 'weights' })], ++count));
  const nb = {
    cells,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, language_info: { name: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  // figures: 7 builders + the live plot; images: grid 1 + tiles 8 + rows 3 + weights 6
  return { nb, figures: figs.length + 1, images: 1 + 8 + 3 + 6 };
}

describe.skipIf(skipReason !== '')('exported notebook in headless Chromium', () => {
  let htmlPath = '';
  let clearedPath = '';
  let expected = { figures: 0, images: 0 };
  let checker: HtmlChecker | undefined;

  beforeAll(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    const { nb, figures, images } = buildNotebook();
    expected = { figures, images };
    const nbPath = path.join(outDir, 'visuals.ipynb');
    fs.writeFileSync(nbPath, JSON.stringify(nb));
    // The same notebook without its first figure's output (the one carrying plotly.js), as after clearing it.
    const cleared = JSON.parse(JSON.stringify(nb)) as { cells: Array<{ outputs?: unknown[] }> };
    cleared.cells[1].outputs = [];
    const clearedNb = path.join(outDir, 'visuals-cleared.ipynb');
    fs.writeFileSync(clearedNb, JSON.stringify(cleared));
    execFileSync(python, ['-m', 'nbconvert', '--to', 'html', nbPath, clearedNb, '--output-dir', outDir], { stdio: 'pipe' });
    htmlPath = path.join(outDir, 'visuals.html');
    clearedPath = path.join(outDir, 'visuals-cleared.html');
    checker = await openHtmlChecker();
  });

  afterAll(async () => {
    await checker?.close();
  });

  it('nbconvert kept one inlined plotly.js and no plotly CDN', () => {
    const html = fs.readFileSync(htmlPath, 'utf8');
    expect(html.split('(function (define, module, exports) {').length - 1).toBe(1);
    expect(/<script[^>]+src="[^"]*plotly/i.test(html)).toBe(false);
    expect(html.split('class="tsdl-plotly"').length - 1).toBe(expected.figures);
  });

  it('renders every figure and image with no errors (RequireJS on the page, network blocked)', async () => {
    const r = await checker!.check(htmlPath, { screenshot: path.join(root, 'build', 'screenshots', 'visuals.png') });
    console.log(`browser check: ${r.figures.rendered}/${r.figures.total} figures, ${r.images.decoded}/${r.images.total} images, ${r.errors.length} errors, ${r.elapsedMs} ms; external requests: ${r.externalRequests.join(', ') || 'none'}`);
    expect(r.errors).toEqual([]);
    expect(r.figures.failed).toEqual([]);
    expect(r.figures.total).toBe(expected.figures);
    expect(r.figures.rendered).toBe(expected.figures);
    // 18 <img> tiles plus the grid PNG; plotly's layout images are SVG <image>, not counted here.
    expect(r.images.broken).toEqual([]);
    expect(r.images.decoded).toBeGreaterThanOrEqual(expected.images);
    // Only nbconvert's template reaches for a CDN (RequireJS, MathJax); nothing of ours does.
    for (const url of r.externalRequests) expect(url).toMatch(/require|mathjax/i);
    expect(fs.statSync(r.screenshot).size).toBeGreaterThan(20_000);
  });

  it('still sets window.Plotly when the page defines AMD and CommonJS globals', async () => {
    // A page with define.amd, module and exports as globals (an AMD loader and a bundler shim):
    // the wrapper's locals shadow them, so plotly.js still lands on window.
    const initScript = 'window.define = function () {}; window.define.amd = {}; window.module = { exports: {} }; window.exports = window.module.exports;';
    const r = await checker!.check(htmlPath, { initScript, localRequireJs: false, screenshot: path.join(root, 'build', 'screenshots', 'visuals-amd.png') });
    expect(r.errors).toEqual([]);
    expect(r.figures.rendered).toBe(expected.figures);
  });

  it('explains in the div when plotly.js is missing from the page', async () => {
    const r = await checker!.check(clearedPath);
    expect(r.errors).toEqual([]);
    expect(r.figures.total).toBe(expected.figures - 1);
    expect(r.figures.rendered).toBe(0);
    expect(r.figures.failed[0]).toMatch(/This figure needs plotly\.js/);
  });
});

describe('checkHtml input errors', () => {
  it('names a missing file', async () => {
    await expect(checkHtml(path.join(outDir, 'does-not-exist.html'))).rejects.toThrow(/does not exist; export the notebook to HTML first/);
  });
});
