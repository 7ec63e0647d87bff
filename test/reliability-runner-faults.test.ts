// Issue 20, notebook runner: an empty folder fails; --cell-timeout takes whole seconds only; an
// error thrown from a timer after its cell, or an unhandled promise rejection, fails the
// notebook naming the cell (SIGTERM: test/reliability-runner-signals.test.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultCellTimeout, listNotebooks, parseArgs, parseCellTimeout, runCourse, type NotebookResult } from '../scripts/run-notebooks';
import { hasJupyter, makeNotebook, root } from './helpers/notebooks';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-runner-faults-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('arguments', () => {
  it('an empty notebooks folder is an error, not "0 passed, 0 failed"', async () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    expect(() => listNotebooks(empty)).toThrow(new RegExp(`No notebooks \\(\\*\\.ipynb\\) in ${empty}: point --notebooks at the folder holding them`));
    await expect(runCourse({ profile: 'smoke', only: [], keepGoing: true, cellTimeout: 5, notebooksDir: empty, outDir: path.join(tmp, 'out') })).rejects.toThrow(/No notebooks/);
  });

  it('--cell-timeout and TSDL_CELL_TIMEOUT take whole seconds >= 1', () => {
    expect(parseArgs(['--cell-timeout', '600'], root).cellTimeout).toBe(600);
    for (const bad of ['1.5', '0', '-3', 'abc', '1e3', '']) {
      expect(() => parseArgs(['--cell-timeout', bad], root)).toThrow(`--cell-timeout must be a whole number of seconds >= 1, got "${bad}"; e.g. --cell-timeout 600.`);
    }
    expect(parseCellTimeout('42', 'x')).toBe(42);
    vi.stubEnv('TSDL_CELL_TIMEOUT', '0.5');
    try {
      expect(() => defaultCellTimeout('smoke')).toThrow('TSDL_CELL_TIMEOUT must be a whole number of seconds >= 1, got "0.5"; e.g. TSDL_CELL_TIMEOUT=600.');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe.skipIf(!hasJupyter)('errors that escape a cell', () => {
  let results: NotebookResult[];
  beforeAll(async () => {
    const dir = path.join(tmp, 'escaped');
    fs.mkdirSync(dir);
    makeNotebook(dir, '01-timer', '// %%\nsetTimeout(() => { throw new Error("late boom"); }, 300);\nconsole.log("one");\n// %% [markdown]\n// text\n// %%\nawait new Promise((r) => setTimeout(r, 1500));\n// %%\nconsole.log("three");\n');
    makeNotebook(dir, '02-rejection', '// %%\nconsole.log("one");\n// %%\nPromise.reject(new Error("nobody awaited me"));\nconsole.log("two");\n');
    makeNotebook(dir, '03-handled-later', '// %%\nconst p = Promise.reject(new Error("handled in the next cell"));\n// %%\nawait new Promise((r) => setTimeout(r, 200));\nconsole.log(await p.catch((e: Error) => e.message));\n');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      results = await runCourse({ profile: 'smoke', only: [], keepGoing: true, cellTimeout: 60, notebooksDir: dir, outDir: path.join(dir, 'build') });
    } finally {
      vi.restoreAllMocks();
    }
  }, 180_000);

  it('a timer that throws after its cell fails the notebook, naming the cell that ran', () => {
    const r = results[0];
    expect(r.ok).toBe(false);
    expect([r.failedCell, r.failedCodeCell]).toEqual([3, 2]);
    expect(r.error).toMatch(/^Error: late boom \(thrown outside the cell's own code, an uncaught exception while it ran: from a timer, an event or a promise nobody awaited; await it, or catch the error inside the callback\)$/);
  });

  it('a rejection handled in a later cell is not an error', () => {
    expect(results[2].ok).toBe(true);
  });

  it('an unhandled promise rejection fails the notebook, naming the cell', () => {
    const r = results[1];
    expect(r.ok).toBe(false);
    expect([r.failedCell, r.failedCodeCell]).toEqual([2, 2]);
    expect(r.error).toMatch(/^Error: nobody awaited me \(thrown outside the cell's own code, an unhandled promise rejection/);
  });
});
