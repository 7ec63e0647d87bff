/**
 * What a student sees in Jupyter, through the real UI: the classic Notebook server started as
 * `npm start` does (127.0.0.1, a free port, a token, the "TypeScript (course)" kernel, no CI or
 * headless flags), notebooks 00 and 01 opened in headless Chromium at 1280 px, Cell > Run All
 * clicked, the kernel waited on until idle (smoke profile). Asserts: every code cell ran, no error
 * output (error or stderr), every plotly figure drawn, every image loaded, 01's progress bar
 * updated in place while it trained (sampled every 50 ms), no text output line wider than the
 * output area, no box-drawing (console.table) tables. Screenshots: build/ui/<notebook>.png and
 * build/ui/<notebook>-training.png (mid-training).
 * Skipped, with a message, when Chromium, Jupyter Notebook or dist/ is missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { OUTPUT_LINE_WIDTH } from '../lib/display';
import { chromiumPath } from '../scripts/browser-check';
import { runNotebooksInUi, type UiNotebookResult } from '../scripts/notebook-ui';
import { jupyterPython, repoRoot } from '../scripts/paths';

const root = repoRoot();
const notebookServer = spawnSync(jupyterPython(), ['-c', 'import notebook, nbclient'], { encoding: 'utf8' }).status === 0;
const skip = !chromiumPath()
  ? 'no Chromium (apt-get install chromium)'
  : !notebookServer
    ? 'no Jupyter Notebook (apt-get install jupyter-notebook python3-nbclient)'
    : !fs.existsSync(path.join(root, 'dist', 'lib', 'index.js')) || !fs.existsSync(path.join(root, 'dist', 'scripts', 'tslab-kernel.js'))
      ? 'dist/ missing (npm run build)'
      : '';
if (skip) console.warn(`ui-notebook.test.ts skipped: ${skip}`);

function expectClean(r: UiNotebookResult): void {
  expect(r.executed, `${r.notebook}: cells that ran`).toBe(r.codeCells);
  expect(r.errors, `${r.notebook}: error outputs`).toEqual([]);
  expect(r.figures.failed, `${r.notebook}: figures not drawn`).toEqual([]);
  expect(r.figures.rendered).toBe(r.figures.total);
  expect(r.images.broken, `${r.notebook}: images not loaded`).toEqual([]);
  expect(r.images.decoded).toBe(r.images.total);
  expect(r.wideLines, `${r.notebook}: lines wider than the output area`).toEqual([]);
  expect(r.boxTables, `${r.notebook}: console.table outputs`).toBe(0);
  for (const shot of r.screenshots) expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
}

describe.skipIf(skip !== '')('notebooks through the Jupyter UI (Run All, smoke)', () => {
  it('00 and 01 run clean, draw their figures and images, fit the output width, and 01 updates its progress bar in place', async () => {
    const [nb00, nb01] = await runNotebooksInUi(['00-getting-started.ipynb', '01-mlp-fashion-mnist.ipynb'], { profile: 'smoke', timeoutSeconds: 240 });
    console.log(JSON.stringify([nb00, nb01].map((r) => ({ ...r, progress: { ...r.progress, sample: r.progress.sample.slice(-2) } })), null, 1));
    expectClean(nb00);
    expectClean(nb01);
    // The library's output width holds at 1280 px.
    expect(nb00.outputWidthChars).toBeGreaterThanOrEqual(OUTPUT_LINE_WIDTH);
    // 00: activation chart, learning curves, live chart, confusion matrix, histogram, bar chart, two scatters.
    expect(nb00.figures.total).toBeGreaterThanOrEqual(7);
    expect(nb00.images.total).toBeGreaterThanOrEqual(30);
    expect(nb00.progress.outputs).toBeGreaterThanOrEqual(1);
    expect(nb01.figures.total).toBeGreaterThanOrEqual(1);
    expect(nb01.images.total).toBeGreaterThanOrEqual(1);
    // A training showed a running line ("12/63 ━━ ... ETA"), then the same output changed in place.
    expect(nb01.progress.updatedInPlace).toBeGreaterThanOrEqual(1);
    expect(nb01.progress.mostStates).toBeGreaterThanOrEqual(2);
    expect(nb01.progress.midEpoch).toBeGreaterThanOrEqual(1);
    expect(nb01.screenshots.some((s) => s.endsWith('-training.png'))).toBe(true);
  }, 600_000);
});
