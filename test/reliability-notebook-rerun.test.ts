// Determinism of a whole notebook: notebook 00 (data, a summary, a seeded training with
// validation, learning curves) executed twice on the smoke profile prints the same numbers,
// the way thirty lab machines on one backend should. The two runs go at once (two kernels),
// as in a lab; only timing fields may differ and are blanked before comparing.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCourse, type NotebookResult } from '../scripts/run-notebooks';
import { hasJupyter } from './helpers/notebooks';

const root = path.resolve(__dirname, '..');
const NOTEBOOK = '00-getting-started';
const hasBuild = fs.existsSync(path.join(root, 'dist', 'lib', 'train', 'fit.js'));

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
}

/**
 * Blanks what legitimately changes between runs: step and epoch times ("3s 98ms/step",
 * "1s 5ms/step", "12ms/step"), wall times ("wall time 3.2 s", "(1.5 s)") and durations
 * printed in seconds or milliseconds.
 */
function stripTimings(text: string): string {
  return text
    .replace(/\b\d+(\.\d+)?(s|ms|µs|us)(\s+\d+(\.\d+)?(ms|µs|us))?\/(step|epoch)/g, '<t>/$6')
    .replace(/\b(wall[ -]?time|took|in|time)\s*:?\s*\d+(\.\d+)?\s*(s|ms|min)\b/gi, '$1 <t>')
    .replace(/\(\d+(\.\d+)?\s*(s|ms)\)/g, '(<t>)');
}

/** Per code cell: its stdout text with timings blanked, and its plotly figures' data. */
function printed(file: string): { stdout: string[]; figures: string[] } {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Cell[] };
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  const stdout = code.map((c) =>
    stripTimings(
      (c.outputs ?? [])
        .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
        .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
        .join(''),
    ),
  );
  const figures = code.flatMap((c) =>
    (c.outputs ?? []).flatMap((o) => {
      const fig = o.data?.['application/vnd.plotly.v1+json'] as { data?: unknown } | undefined;
      return fig === undefined ? [] : [JSON.stringify(fig.data)];
    }),
  );
  return { stdout, figures };
}

describe('stripTimings', () => {
  it('blanks step times and wall times, keeps metrics', () => {
    expect(stripTimings('32/32 ━━━━ 3s 98ms/step - accuracy: 0.3160 - loss: 2.0691')).toBe('32/32 ━━━━ <t>/step - accuracy: 0.3160 - loss: 2.0691');
    expect(stripTimings('8/8 ━━ 12ms/step - loss: 1.5')).toBe('8/8 ━━ <t>/step - loss: 1.5');
    expect(stripTimings('wall time 3.25 s; epoch took 120 ms (0.4 s)')).toBe('wall time <t>; epoch took <t> (<t>)');
    expect(stripTimings('val_loss: 1.5606 after 2 epochs')).toBe('val_loss: 1.5606 after 2 epochs');
  });
});

describe.runIf(hasJupyter && hasBuild)(`notebook ${NOTEBOOK} run twice on smoke`, () => {
  let dir: string;
  let results: NotebookResult[][];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-rerun-'));
    const run = (out: string): Promise<NotebookResult[]> =>
      runCourse({ profile: 'smoke', only: [NOTEBOOK], keepGoing: false, cellTimeout: 300, notebooksDir: path.join(root, 'notebooks'), outDir: path.join(dir, out) });
    results = await Promise.all([run('a'), run('b')]);
  }, 420_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('both runs pass and leave no tensors', () => {
    expect(results.map((r) => r.map((x) => [x.notebook, x.ok, x.error]))).toEqual([
      [[`${NOTEBOOK}.ipynb`, true, null]],
      [[`${NOTEBOOK}.ipynb`, true, null]],
    ]);
    // The notebook disposes what it made; a model compiled with an optimiser name frees that
    // optimiser's state with the model (lib/train/compile), so nothing is left.
    expect(results.map((r) => r[0].memory)).toEqual([
      { numTensors: 0, numBytes: 0 },
      { numTensors: 0, numBytes: 0 },
    ]);
  });

  it('prints the same numbers in every code cell, training and validation metrics included', () => {
    const a = printed(path.join(dir, 'a', 'notebooks', `${NOTEBOOK}.ipynb`));
    const b = printed(path.join(dir, 'b', 'notebooks', `${NOTEBOOK}.ipynb`));
    // The training cell printed its epochs with metrics (so the comparison covers real numbers).
    const training = a.stdout.find((s) => s.includes('Epoch 1/'));
    // A line past the output width continues on the next ("\n    - val_loss: ...", lib/train/progress.ts).
    expect(training).toMatch(/Epoch 2\/2[\s\S]*accuracy: 0\.\d{4} - loss: \d\.\d{4} - val_accuracy: 0\.\d{4}(?: |\n {4})- val_loss: \d\.\d{4}/);
    expect(training).toContain('Total params: 79,510');
    expect(b.stdout).toEqual(a.stdout);
    // The learning curves (history values) are the same figure data.
    expect(a.figures.length).toBeGreaterThanOrEqual(2);
    expect(b.figures).toEqual(a.figures);
  });
});
