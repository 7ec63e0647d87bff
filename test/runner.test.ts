// The headless notebook runner: failures name the notebook and the cell, time limits stop a
// cell, the exit status says failure, and --continue runs the other notebooks.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listNotebooks, runCourse, type NotebookResult } from '../scripts/run-notebooks';
import { hasJupyter, makeNotebook } from './helpers/notebooks';

const root = path.resolve(__dirname, '..');

describe.skipIf(!hasJupyter)('notebook runner', () => {
  let dir: string;
  let results: NotebookResult[];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-runner-'));
    makeNotebook(dir, '01-ok', '// %% [markdown]\n// # fine\n// %%\nconst a: number = 1 + 1;\nconsole.log(a);\n');
    makeNotebook(dir, '02-throws', '// %%\nconsole.log("first");\n// %% [markdown]\n// text\n// %%\nthrow new Error("boom in cell three");\n// %%\nconsole.log("never");\n');
    makeNotebook(dir, '03-slow', '// %%\nawait new Promise((r) => setTimeout(r, 60_000));\n');
    makeNotebook(dir, '04-typeerror', '// %%\nconst s: string = 42;\n');
    makeNotebook(dir, '05-leak', '// %%\nconst tf = require("@tensorflow/tfjs");\nconst kept = tf.ones([10, 10]);\n');
    results = await runCourse({
      profile: 'smoke',
      only: [],
      keepGoing: true,
      cellTimeout: 8,
      notebooksDir: dir,
      outDir: path.join(dir, 'build'),
    });
  }, 180_000);

  it('runs every notebook when asked to continue, in order', () => {
    expect(results.map((r) => r.notebook)).toEqual(['01-ok.ipynb', '02-throws.ipynb', '03-slow.ipynb', '04-typeerror.ipynb', '05-leak.ipynb']);
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false, true]);
  });

  it('names the failing cell and the error', () => {
    const r = results[1];
    expect(r.failedCell).toBe(3);
    expect(r.failedCodeCell).toBe(2);
    expect(r.error).toMatch(/boom in cell three/);
  });

  it('stops a cell over its time limit and says so', () => {
    const r = results[2];
    expect(r.failedCell).toBe(1);
    expect(r.error).toMatch(/Timeout/i);
    expect(r.wallSeconds).toBeLessThan(50);
  });

  it('fails a cell with a type error', () => {
    expect(results[3].failedCell).toBe(1);
    expect(results[3].error).toMatch(/not assignable|TS2322|string/);
  });

  it('reports the tfjs memory a notebook left', () => {
    expect(results[0].memory).toEqual({ numTensors: 0, numBytes: 0 });
    expect(results[4].memory).toEqual({ numTensors: 1, numBytes: 400 });
  });

  it('writes executed notebooks, HTML and a summary', () => {
    expect(fs.existsSync(path.join(dir, 'build', 'html', '01-ok.html'))).toBe(true);
    const executed = JSON.parse(fs.readFileSync(path.join(dir, 'build', 'notebooks', '01-ok.ipynb'), 'utf8')) as { cells: { outputs?: { text?: string[] }[] }[] };
    expect(executed.cells[1].outputs?.[0].text?.join('')).toContain('2');
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'build', 'course-smoke.json'), 'utf8')) as { results: unknown[] };
    expect(summary.results).toHaveLength(5);
  });

  it('the runner command exits non-zero when a notebook fails', () => {
    let status = 0;
    try {
      const compiled = path.join(root, 'dist', 'scripts', 'run-notebooks.js');
      if (!fs.existsSync(compiled)) throw new Error('dist/ is missing: run npm run build first');
      execFileSync('node', [compiled, '--notebooks', dir, '--only', '02', '--out', path.join(dir, 'b2')], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(1);
  }, 60_000);
});

describe('notebook list', () => {
  it('lists the course notebooks in order and filters by prefix', () => {
    const all = listNotebooks(path.join(root, 'notebooks'));
    expect(path.basename(all[0])).toBe('00-getting-started.ipynb');
    expect(listNotebooks(path.join(root, 'notebooks'), ['00']).length).toBe(1);
    expect(() => listNotebooks(path.join(root, 'notebooks'), ['99'])).toThrow(/No notebook/);
  });

  it('every committed notebook is clean (no outputs) and uses the tslab kernel', () => {
    for (const nb of listNotebooks(path.join(root, 'notebooks'))) {
      const json = JSON.parse(fs.readFileSync(nb, 'utf8')) as { metadata: { kernelspec: { name: string } }; cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[] };
      expect(json.metadata.kernelspec.name, nb).toBe('tslab');
      for (const c of json.cells.filter((c) => c.cell_type === 'code')) {
        expect(c.outputs ?? [], `${path.basename(nb)} carries outputs: run python3 scripts/nbtool.py strip`).toEqual([]);
        expect(c.execution_count ?? null).toBeNull();
      }
    }
  });
});

describe('cell time limit', () => {
  it('defaults to 900 s on smoke and 3600 s on full, TSDL_CELL_TIMEOUT overrides', async () => {
    const { defaultCellTimeout } = await import('../scripts/run-notebooks');
    const saved = process.env.TSDL_CELL_TIMEOUT;
    delete process.env.TSDL_CELL_TIMEOUT;
    expect(defaultCellTimeout('smoke')).toBe(900);
    expect(defaultCellTimeout('full')).toBe(3600);
    process.env.TSDL_CELL_TIMEOUT = '120';
    expect(defaultCellTimeout('full')).toBe(120);
    if (saved === undefined) delete process.env.TSDL_CELL_TIMEOUT;
    else process.env.TSDL_CELL_TIMEOUT = saved;
  });
});
