// Notebook-run faults beyond test/runner.test.ts: an awaited promise that rejects, a cell that
// kills the kernel, a notebook file that is not JSON; the printed report line names the
// notebook, the cell and the error; without --continue the runner stops at the first failure.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCourse, type NotebookResult } from '../scripts/run-notebooks';
import { hasJupyter, makeNotebook } from './helpers/notebooks';

const root = path.resolve(__dirname, '..');

interface Run {
  results: NotebookResult[];
  /** The lines the runner printed for this run (its notebooks, its summary). */
  lines: string[];
}

/**
 * Runs the course on several folders at once (independent kernels) and returns, per folder,
 * the results and the lines the runner printed about it (told apart by notebook and folder names).
 */
async function runAll(runs: { dir: string; keepGoing: boolean }[]): Promise<Run[]> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  try {
    const all = await Promise.all(
      runs.map((r) => runCourse({ profile: 'smoke', only: [], keepGoing: r.keepGoing, cellTimeout: 60, notebooksDir: r.dir, outDir: path.join(r.dir, 'build') })),
    );
    return all.map((results, i) => {
      const names = fs.readdirSync(runs[i].dir).filter((f) => f.endsWith('.ipynb'));
      const mine = lines.filter((l) => l.includes(path.basename(runs[i].dir)) || names.some((n) => l.includes(n)));
      return { results, lines: mine };
    });
  } finally {
    spy.mockRestore();
  }
}

describe.skipIf(!hasJupyter)('notebook runner faults', () => {
  let stopDir: string;
  let goDir: string;
  let stop: Run;
  let go: Run;

  beforeAll(async () => {
    stopDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-runner-stop-'));
    makeNotebook(
      stopDir,
      '01-async-fails',
      '// %%\nconsole.log("loading");\n// %%\nasync function train(): Promise<void> {\n  await new Promise((r) => setTimeout(r, 10));\n  throw new Error("training diverged in epoch 2");\n}\nawait train();\n// %%\nconsole.log("never");\n',
    );
    makeNotebook(stopDir, '02-fine', '// %%\nconsole.log("fine");\n');
    goDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-runner-go-'));
    makeNotebook(goDir, '01-kills-kernel', '// %%\nconsole.log("before");\n// %%\nprocess.exit(3);\n');
    fs.writeFileSync(path.join(goDir, '02-not-json.ipynb'), '{"cells": [ this is not json');
    makeNotebook(goDir, '03-fine', '// %%\nconst n: number = 6 * 7;\nconsole.log(n);\n');
    // The two runs are independent (two kernels at a time at most): run them together.
    [stop, go] = await runAll([
      { dir: stopDir, keepGoing: false },
      { dir: goDir, keepGoing: true },
    ]);
  }, 300_000);

  afterAll(() => {
    for (const d of [stopDir, goDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a rejected await is reported with the notebook, the cell number and the error', () => {
    expect(stop.results).toHaveLength(1);
    const r = stop.results[0];
    expect([r.notebook, r.ok, r.failedCell, r.failedCodeCell]).toEqual(['01-async-fails.ipynb', false, 2, 2]);
    expect(r.error).toMatch(/Error: training diverged in epoch 2/);
    expect(r.memory).toBeNull();
  });

  it('prints one FAIL line naming the notebook, the cell and the error', () => {
    const fail = stop.lines.filter((l) => l.includes('FAIL'));
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatch(/^ {2}FAIL {2}01-async-fails\.ipynb {2}\d+\.\d s {2}at cell 2 \(code cell 2\): .*training diverged in epoch 2/);
    expect(stop.lines[stop.lines.length - 1]).toMatch(/^0 passed, 1 failed \(/);
  });

  it('without --continue the runner stops at the first failure: the next notebook is not run', () => {
    expect(stop.results.map((r) => r.notebook)).toEqual(['01-async-fails.ipynb']);
    expect(fs.existsSync(path.join(stopDir, 'build', 'notebooks', '02-fine.ipynb'))).toBe(false);
    const summary = JSON.parse(fs.readFileSync(path.join(stopDir, 'build', 'course-smoke.json'), 'utf8')) as { results: NotebookResult[] };
    expect(summary.results.map((r) => [r.notebook, r.ok])).toEqual([['01-async-fails.ipynb', false]]);
    // The executed copy keeps the output before the failure and the error, for the student to read.
    const executed = JSON.parse(fs.readFileSync(path.join(stopDir, 'build', 'notebooks', '01-async-fails.ipynb'), 'utf8')) as {
      cells: { outputs?: { text?: string | string[] }[] }[];
    };
    const text = (o?: { text?: string | string[] }): string => (Array.isArray(o?.text) ? o.text.join('') : (o?.text ?? ''));
    expect(text(executed.cells[0].outputs?.[0])).toBe('loading\n');
    expect(executed.cells[2].outputs ?? []).toEqual([]);
  });

  it('a cell that kills the kernel is reported as a dead kernel at that cell; the next notebooks still run with --continue', () => {
    expect(go.results.map((r) => [r.notebook, r.ok])).toEqual([
      ['01-kills-kernel.ipynb', false],
      ['02-not-json.ipynb', false],
      ['03-fine.ipynb', true],
    ]);
    const dead = go.results[0];
    expect([dead.failedCell, dead.failedCodeCell]).toEqual([2, 2]);
    expect(dead.error).toMatch(/^DeadKernelError: the kernel died/);
    expect(go.results[2].memory).toEqual({ numTensors: 0, numBytes: 0 });
  });

  it('a notebook file that is not JSON is reported in one line, named, without a cell number (fix in scripts/execute_notebook.py)', () => {
    const r = go.results[1];
    expect([r.failedCell, r.failedCodeCell, r.memory]).toEqual([null, null, null]);
    expect(r.error).toBe(
      'NotJSONError: 02-not-json.ipynb cannot be read as a notebook (Notebook does not appear to be JSON: \'{"cells": [ this is not json\'...); fix or restore the file (it must be nbformat JSON, e.g. written by scripts/nbtool.py build)',
    );
    const line = go.lines.find((l) => l.includes('02-not-json.ipynb'));
    expect(line).toMatch(/^ {2}FAIL {2}02-not-json\.ipynb {2}\d+\.\d s {2}at start-up: NotJSONError: 02-not-json\.ipynb cannot be read as a notebook/);
    expect(go.lines[go.lines.length - 1]).toMatch(/^1 passed, 2 failed \(/);
  });
});
