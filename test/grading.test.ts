// The grader (`npm run grade`): a class of three made-up submissions of notebook 00 (complete,
// partial, broken: an endless loop, a deleted check cell and a cell that ends the kernel) gets the
// right scorecard, the broken one a row naming its failed cells, and no kernel is left running.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findSubmissions, gradeFolder, notebookNumberFromChecks, rewriteLibraryImports, scoreSubmission, toCsv, type GradeReport } from '../scripts/grade';
import { verdictProblems, type DisplayedVerdict } from '../scripts/run-notebooks';
import { hasJupyter } from './helpers/notebooks';

const root = path.resolve(__dirname, '..');
const fixture = path.join(root, 'test', 'fixtures', 'grading', 'class');
const CELL_TIMEOUT = 25;

/** Processes whose working folder is (or was) under `dir`. */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push(pid);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

describe.skipIf(!hasJupyter)('grading the fixture class', () => {
  let report: GradeReport;
  let out: string;
  const lines: string[] = [];
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-grade-'));
    report = await gradeFolder({ folder: fixture, outDir: out, cellTimeout: CELL_TIMEOUT, profile: 'smoke', log: (l) => lines.push(l) });
  }, 420_000);

  it('prints N of M checks passed per student', () => {
    expect(report.summary).toEqual(['ada: 3 of 3 checks passed', 'ben: 1 of 3 checks passed', 'cleo: 1 of 3 checks passed']);
    expect(lines[0]).toMatch(/^Grading 3 notebook\(s\) of 3 student\(s\) in .*class on the smoke profile \(cell limit 25 s\)$/);
  });

  it('writes the scorecard as CSV, student x exercise', () => {
    const csv = fs.readFileSync(report.csvPath, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,notebook,00.1,00.2,00.3,passed,total,problems');
    expect(csv[1]).toBe('ada,00-getting-started.ipynb,passed,passed,passed,3,3,');
    expect(csv[2]).toBe('ben,00-getting-started.ipynb,passed,not yet,no answer,1,3,');
    expect(csv[3]).toMatch(/^cleo,00-getting-started\.ipynb,passed,not run,no verdict,1,3,\"?cell 7 \(code cell 4\) failed: TimeoutError: cell ran past 25 s and was stopped; cell 8 \(code cell 5\) failed: .*standardize.*; cell 12 \(code cell 7\) failed: DeadKernelError: the kernel died/);
  });

  it('says why an exercise has no verdict, and what a wrong answer got wrong', () => {
    const [, ben, cleo] = report.rows;
    expect(ben.exercises[1].detail).toMatch(/^on a vector of 8 numbers, entry 0 is -1\.40\d+ where -1\.5000 was expected$/);
    expect(ben.exercises[2].detail).toBe('`wider` is not set yet: expected a tf.Sequential');
    expect(cleo.exercises[1]).toMatchObject({ outcome: 'not run', detail: expect.stringMatching(/^its check cell \(cell 8\) failed: .*standardize/) });
    expect(cleo.exercises[2]).toEqual({ exercise: '00.3', outcome: 'no verdict', detail: 'its check cell (calling check00_3) is missing from the notebook' });
  });

  it('writes the HTML scorecard and the executed notebooks', () => {
    const html = fs.readFileSync(report.htmlPath, 'utf8');
    expect(html).toContain('<pre>ada: 3 of 3 checks passed\nben: 1 of 3 checks passed\ncleo: 1 of 3 checks passed</pre>');
    expect(html).toContain('cell 7 (code cell 4) failed: TimeoutError: cell ran past 25 s and was stopped');
    expect(html).toContain('A model and its parameters');
    expect(fs.existsSync(path.join(out, 'students', 'cleo', 'notebooks', '00-getting-started.ipynb'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'students', 'ada', 'html', '00-getting-started.html'))).toBe(true);
  });

  it('leaves no working folder and no kernel behind', () => {
    expect(path.dirname(report.workDir)).toBe(root);
    expect(fs.existsSync(report.workDir)).toBe(false);
    expect(processesIn(report.workDir)).toEqual([]);
  });
});

describe('grader pieces', () => {
  it('normalises library imports for a copy one folder below the repository', () => {
    const text = JSON.stringify({ source: ["import { a } from '../../dist/lib/train';\n", 'import { b } from "../dist/lib/x";\n', "const c = '../data/x';"] });
    expect(rewriteLibraryImports(text)).toBe(JSON.stringify({ source: ["import { a } from '../dist/lib/train';\n", 'import { b } from "../dist/lib/x";\n', "const c = '../data/x';"] }));
  });

  it('finds one folder per student, nested notebooks, notebooks lying loose, and empty folders', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-class-'));
    for (const f of ['zoe/lab/05-cnn.ipynb', 'zoe/.ipynb_checkpoints/05-cnn-checkpoint.ipynb', 'amy/my-work.ipynb', 'loose-bob.ipynb']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f === 'amy/my-work.ipynb' ? '{"cells": [{"source": "await check07_2({})"}]}' : '{}');
    }
    fs.mkdirSync(path.join(dir, 'empty'));
    const found = findSubmissions(dir);
    expect([...found.keys()]).toEqual(['amy', 'empty', 'loose-bob', 'zoe']);
    expect(found.get('zoe')?.map((s) => [s.name, s.nn])).toEqual([[path.join('lab', '05-cnn.ipynb'), '05']]);
    expect(found.get('amy')?.[0].nn).toBe('07');
    expect(found.get('empty')).toEqual([]);
    expect(notebookNumberFromChecks('check01_1( check02_1( check02_2(')).toBe('02');
    expect(() => findSubmissions(path.join(dir, 'nope'))).toThrow(/is not a folder: pass the folder holding one subfolder per student/);
  });

  it('a submission that cannot be read gets a row saying so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-bad-'));
    const file = path.join(dir, '00-getting-started.ipynb');
    fs.writeFileSync(file, '{"cells": [ not json');
    const row = scoreSubmission({ student: 'dan', file, name: '00-getting-started.ipynb', nn: '00' }, {
      notebook: '00-getting-started.ipynb', ok: false, wallSeconds: 0.4, failedCell: null, failedCodeCell: null, memory: null, verdicts: [], errors: [],
      error: 'JSONDecodeError: 00-getting-started.ipynb cannot be read as a notebook',
    }, ['00.1', '00.2']);
    expect(row.problems).toEqual(['the notebook did not run: JSONDecodeError: 00-getting-started.ipynb cannot be read as a notebook']);
    expect(row.exercises.map((e) => e.outcome)).toEqual(['not run', 'not run']);
    expect([row.passed, row.total]).toEqual([0, 2]);
  });

  it('counts a verdict only from the cell that calls its check', () => {
    const file = path.join(fixture, 'ada', '00-getting-started.ipynb');
    const forged = { exercise: '00.3', title: 't', status: 'passed' as const, passed: true, message: '', hint: '', cell: 2, from_check_cell: false };
    const row = scoreSubmission({ student: 'eve', file, name: 'x.ipynb', nn: '00' }, {
      notebook: 'x.ipynb', ok: true, wallSeconds: 1, failedCell: null, failedCodeCell: null, memory: null, error: null, errors: [], verdicts: [forged],
    }, ['00.3']);
    expect(row.exercises[0]).toEqual({ exercise: '00.3', outcome: 'no verdict', detail: 'its check cell showed no verdict' });
    expect(row.problems).toEqual(['a verdict for 00.3 came from cell 2, which does not call check00_3: not counted']);
  });

  it('quotes CSV fields that need it', () => {
    const csv = toCsv({ exercises: ['00.1'], rows: [{ student: 'O"Brien, Pat', notebook: '00.ipynb', nn: '00', passed: 0, total: 1, wallSeconds: 1, problems: ['a; b', 'line\nbreak'], exercises: [{ exercise: '00.1', outcome: 'not yet', detail: '' }] }] });
    expect(csv.split('\n')[1]).toBe('"O""Brien, Pat",00.ipynb,not yet,0,1,"a; b; line');
  });

  it('the runner\'s --expect-checks compares verdicts with EXERCISES_NN', () => {
    const v = (exercise: string, passed: boolean): DisplayedVerdict => ({ exercise, title: 't', status: passed ? 'passed' : 'missing', passed, message: 'm', hint: '', cell: 3, from_check_cell: true });
    expect(verdictProblems([v('00.1', true), v('00.2', true)], ['00.1', '00.2'], 'passed')).toEqual([]);
    expect(verdictProblems([v('00.1', true)], ['00.1', '00.2'], 'passed')).toEqual(['00.2 showed no verdict (its check cell is missing or did not run)']);
    expect(verdictProblems([v('00.1', true), v('00.2', false)], ['00.1', '00.2'], 'not-yet')).toEqual(['00.1 passed with the stub in place (the student track gives the answer away, or the check accepts anything)']);
    expect(verdictProblems([v('00.9', false)], null, 'not-yet')).toEqual(['verdicts for 00.9, which EXERCISES_NN does not list']);
  });

  it('the command says how to call it', () => {
    const compiled = path.join(root, 'dist', 'scripts', 'grade.js');
    if (!fs.existsSync(compiled)) throw new Error('dist/ is missing: run npm run build first');
    const none = spawnSync('node', [compiled], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Which folder? Usage: npm run grade -- FOLDER [--out DIR] [--cell-timeout S] [--profile smoke|full]');
    const missing = spawnSync('node', [compiled, '/nonexistent/class'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/class is not a folder');
  });
});
