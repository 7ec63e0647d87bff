/**
 * Grades a class's submissions: runs every notebook under FOLDER (one subfolder per student)
 * headless on the smoke profile, collects the verdicts of its exercise checks, and writes a
 * scorecard (student x exercise) as CSV and HTML, plus a line per student,
 * `STUDENT: N of M checks passed`.
 *
 * Each submission runs alone, in a fresh kernel, with a per-cell time limit: a failing cell does
 * not stop the others (the executor's --keep-going), a cell past its limit is interrupted, a cell
 * that ends the kernel ends that submission only, and no kernel is left running. A submission that
 * fails to run gets a row naming the failed cell.
 *
 * Where a submission runs: a student's notebook imports the library as `../dist/lib/...`, which
 * resolves only from a folder one level below the repository. So each one is copied into a
 * working folder made for the run, `.grading-XXXXXX/` at the repository's root (deleted
 * afterwards), its library imports normalised to `../dist/` (a solutions-track copy says
 * `../../dist/`), and executed there; `@tensorflow/tfjs` and the other packages resolve from the
 * repository's node_modules as they do for notebooks/.
 *
 * Usage: npm run grade -- FOLDER [--out DIR] [--cell-timeout S] [--profile smoke|full]
 */
import * as fs from 'fs';
import * as path from 'path';
import { exerciseIds, notebookNumber } from '../lib/exercises/registry';
import { checkJupyter, ensureKernel } from './kernel';
import { repoRoot } from './paths';
import { runNotebook, type DisplayedVerdict, type NotebookResult } from './run-notebooks';

/** Grader options. */
export interface GradeOptions {
  /** The class folder: one subfolder per student, each holding that student's notebooks. */
  folder: string;
  /** Where the scorecard and the executed notebooks go. */
  outDir: string;
  /** Seconds one cell may run before it is interrupted. */
  cellTimeout: number;
  profile: 'smoke' | 'full';
  /** Where progress lines go (console.log by default). */
  log?: (line: string) => void;
}

/** One notebook handed in by one student. */
export interface Submission {
  student: string;
  /** The notebook's path. */
  file: string;
  /** Its name relative to the student's folder. */
  name: string;
  /** Its two-digit notebook number, from the name or else from the checks it calls; null if neither says. */
  nn: string | null;
}

/** What the scorecard says about one exercise of one submission. */
export type Outcome = 'passed' | 'not yet' | 'no answer' | 'no verdict' | 'not run' | 'not submitted';

/** One exercise of one submission. */
export interface ExerciseOutcome {
  exercise: string;
  outcome: Outcome;
  /** What the check said, or why there is no verdict. */
  detail: string;
}

/** One row of the scorecard. */
export interface SubmissionResult {
  student: string;
  /** The notebook's name relative to the student's folder ('' when the student handed in nothing for it). */
  notebook: string;
  nn: string | null;
  exercises: ExerciseOutcome[];
  passed: number;
  total: number;
  /** Failed cells and other problems, one sentence each. */
  problems: string[];
  wallSeconds: number;
}

/** Everything one grading run produced. */
export interface GradeReport {
  /** Exercise ids, in course order (the scorecard's columns). */
  exercises: string[];
  /** Exercise titles by id, as the checks named them. */
  titles: Record<string, string>;
  rows: SubmissionResult[];
  /** `STUDENT: N of M checks passed`, one per student. */
  summary: string[];
  csvPath: string;
  htmlPath: string;
  /** The working folder the submissions ran in (deleted when grading ends). */
  workDir: string;
}

const SKIP_DIRS = new Set(['.ipynb_checkpoints', 'node_modules', '.git']);

function notebooksUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...notebooksUnder(p));
    else if (entry.isFile() && entry.name.endsWith('.ipynb')) out.push(p);
  }
  return out;
}

/** The most frequent notebook number among the checks a notebook's text calls (`check05_2(`), or null. */
export function notebookNumberFromChecks(text: string): string | null {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(/check(\d\d)_\d+\s*\(/g)) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  let best: string | null = null;
  for (const [nn, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = nn;
  return best;
}

/**
 * The students (subfolders of `folder`, in name order) and their notebooks. A notebook lying directly
 * in `folder` counts as a student named after the file. Students with no notebook get an empty list.
 * Usage: `const byStudent = findSubmissions('class-a')`
 */
export function findSubmissions(folder: string): Map<string, Submission[]> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new Error(`${folder} is not a folder: pass the folder holding one subfolder per student (npm run grade -- FOLDER)`);
  }
  const byStudent = new Map<string, Submission[]>();
  const submission = (student: string, file: string, base: string): Submission => {
    let nn = notebookNumber(path.basename(file));
    if (nn === null) {
      try {
        nn = notebookNumberFromChecks(fs.readFileSync(file, 'utf8'));
      } catch {
        nn = null;
      }
    }
    return { student, file, name: path.relative(base, file), nn };
  };
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const p = path.join(folder, entry.name);
    if (entry.isDirectory()) byStudent.set(entry.name, notebooksUnder(p).map((f) => submission(entry.name, f, p)));
    else if (entry.isFile() && entry.name.endsWith('.ipynb')) byStudent.set(entry.name.replace(/\.ipynb$/, ''), [submission(entry.name.replace(/\.ipynb$/, ''), p, folder)]);
  }
  return byStudent;
}

/**
 * A notebook's text with its library imports pointing at `../dist/` however deep the original sat
 * (`'../../dist/lib/x'` becomes `'../dist/lib/x'`), for a copy one folder below the repository.
 * Usage: `fs.writeFileSync(copy, rewriteLibraryImports(fs.readFileSync(original, 'utf8')))`
 */
export function rewriteLibraryImports(text: string): string {
  return text.replace(/(['"]|\\")(?:\.\.\/)+dist\//g, '$1../dist/');
}

/** Course order for exercise ids: notebook, then exercise number. */
function compareIds(a: string, b: string): number {
  const [an, ak] = a.split('.').map(Number);
  const [bn, bk] = b.split('.').map(Number);
  return an - bn || ak - bk || a.localeCompare(b);
}

function cellSources(file: string): string[] {
  try {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    return (nb.cells ?? []).filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source ?? ''));
  } catch {
    return [];
  }
}

/**
 * The scorecard row of one executed submission: each expected exercise's outcome (the last verdict
 * its check cell showed, or why there is none) and the problems met on the way.
 * Usage: `scoreSubmission(sub, result, ['00.1', '00.2', '00.3'])`
 */
export function scoreSubmission(sub: Submission, result: NotebookResult, expected: readonly string[]): SubmissionResult {
  const problems: string[] = [];
  const errors = result.errors ?? [];
  for (const e of errors) problems.push(`cell ${e.cell} (code cell ${e.code_cell}) failed: ${e.error}`);
  if (!result.ok && errors.length === 0) {
    problems.push(result.failedCell ? `cell ${result.failedCell} (code cell ${result.failedCodeCell}) failed: ${result.error}` : `the notebook did not run: ${result.error}`);
  }
  const verdicts = result.verdicts ?? [];
  for (const v of verdicts.filter((x) => !x.from_check_cell)) {
    problems.push(`a verdict for ${v.exercise} came from cell ${v.cell}, which does not call check${v.exercise.replace('.', '_')}: not counted`);
  }
  const counted = verdicts.filter((v) => v.from_check_cell);
  const sources = cellSources(sub.file);
  const stoppedAt = errors.length > 0 && /DeadKernelError|interrupt did not free/.test(errors[errors.length - 1].error) ? errors[errors.length - 1].cell : null;
  const exercises = expected.map((id): ExerciseOutcome => {
    const mine = counted.filter((v) => v.exercise === id);
    const last: DisplayedVerdict | undefined = mine[mine.length - 1];
    if (last) {
      if (last.passed) return { exercise: id, outcome: 'passed', detail: '' };
      return { exercise: id, outcome: last.status === 'missing' ? 'no answer' : 'not yet', detail: last.message };
    }
    const call = `check${id.replace('.', '_')}(`;
    if (!result.ok && errors.length === 0) return { exercise: id, outcome: 'not run', detail: 'the notebook did not run' };
    if (!sources.some((s) => s.includes(call))) return { exercise: id, outcome: 'no verdict', detail: `its check cell (calling ${call.slice(0, -1)}) is missing from the notebook` };
    const failedCheck = errors.find((e) => sources[e.code_cell - 1]?.includes(call));
    if (failedCheck) return { exercise: id, outcome: 'not run', detail: `its check cell (cell ${failedCheck.cell}) failed: ${failedCheck.error}` };
    if (stoppedAt !== null) return { exercise: id, outcome: 'not run', detail: `the notebook stopped at cell ${stoppedAt}, before its check` };
    return { exercise: id, outcome: 'no verdict', detail: 'its check cell showed no verdict' };
  });
  const passed = exercises.filter((e) => e.outcome === 'passed').length;
  return { student: sub.student, notebook: sub.name, nn: sub.nn, exercises, passed, total: exercises.length, problems, wallSeconds: result.wallSeconds };
}

function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The scorecard as CSV: a row per submission, a column per exercise. Usage: `toCsv(report)` */
export function toCsv(report: Pick<GradeReport, 'exercises' | 'rows'>): string {
  const header = ['student', 'notebook', ...report.exercises, 'passed', 'total', 'problems'];
  const lines = [header.map(csvField).join(',')];
  for (const r of report.rows) {
    const cells = report.exercises.map((id) => r.exercises.find((e) => e.exercise === id)?.outcome ?? '');
    lines.push([r.student, r.notebook, ...cells, r.passed, r.total, r.problems.join('; ')].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const OUTCOME_STYLE: Record<Outcome, string> = {
  passed: 'background:#d8f0dd;color:#1b7f3b',
  'not yet': 'background:#fdebd0;color:#9a5b00',
  'no answer': 'background:#eeeeee;color:#555555',
  'no verdict': 'background:#f8d7da;color:#8a1c24',
  'not run': 'background:#f8d7da;color:#8a1c24',
  'not submitted': 'background:#eeeeee;color:#555555',
};

/** The scorecard as one self-contained HTML page. Usage: `toHtml(report, 'class-a')` */
export function toHtml(report: Pick<GradeReport, 'exercises' | 'titles' | 'rows' | 'summary'>, title: string): string {
  const head = report.exercises.map((id) => `<th title="${escapeHtml(report.titles[id] ?? '')}">${escapeHtml(id)}<br><small>${escapeHtml(report.titles[id] ?? '')}</small></th>`).join('');
  const rows = report.rows.map((r) => {
    const cells = report.exercises.map((id) => {
      const e = r.exercises.find((x) => x.exercise === id);
      if (!e) return '<td></td>';
      const mark = e.outcome === 'passed' ? '✓ passed' : e.outcome;
      return `<td style="${OUTCOME_STYLE[e.outcome]}" title="${escapeHtml(e.detail)}">${escapeHtml(mark)}${e.detail ? `<br><small>${escapeHtml(e.detail)}</small>` : ''}</td>`;
    }).join('');
    const problems = r.problems.length ? `<ul>${r.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
    return `<tr><th scope="row">${escapeHtml(r.student)}</th><td>${escapeHtml(r.notebook || '(none)')}</td>${cells}<td class="n">${r.passed} / ${r.total}</td><td>${problems}</td></tr>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scorecard · ${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
td.n { text-align: right; white-space: nowrap; }
small { color: inherit; opacity: 0.85; }
ul { margin: 0; padding-left: 1.2em; }
</style></head><body>
<h1>Scorecard · ${escapeHtml(title)}</h1>
<pre>${report.summary.map(escapeHtml).join('\n')}</pre>
<table>
<thead><tr><th>student</th><th>notebook</th>${head}<th>passed</th><th>problems</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}

/** Which files a student's folder name may become (for the per-student output folder). */
function safeName(s: string): string {
  return s.replace(/[^\w.@-]+/g, '_') || '_';
}

/** The environment a graded notebook runs in: the project's kernel, the profile, headless plots. */
function gradingEnv(root: string, profile: 'smoke' | 'full'): NodeJS.ProcessEnv {
  checkJupyter();
  const env = ensureKernel(root);
  env.COURSE_PROFILE = profile;
  env.TSDL_HEADLESS = '1';
  env.NODE_PATH = [path.join(root, 'node_modules'), env.NODE_PATH].filter(Boolean).join(path.delimiter);
  return env;
}

/**
 * Grades every submission under `opts.folder`; writes scorecard.csv and scorecard.html in
 * `opts.outDir` (executed copies under `students/STUDENT/`) and returns the report.
 * Usage: `const report = await gradeFolder({ folder: 'class-a', outDir: 'build/grades/class-a', cellTimeout: 120, profile: 'smoke' })`
 */
export async function gradeFolder(opts: GradeOptions): Promise<GradeReport> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const root = repoRoot();
  const byStudent = findSubmissions(opts.folder);
  if (byStudent.size === 0) throw new Error(`No student folders or notebooks in ${opts.folder}: put each student's notebooks in FOLDER/STUDENT/`);
  const env = gradingEnv(root, opts.profile);
  fs.mkdirSync(opts.outDir, { recursive: true });
  const workDir = fs.mkdtempSync(path.join(root, '.grading-'));
  const removeWorkDir = (): void => fs.rmSync(workDir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    removeWorkDir();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const expectedByNn = new Map<string, readonly string[]>();
  const titles: Record<string, string> = {};
  const executed: { sub: Submission; result: NotebookResult }[] = [];
  const count = [...byStudent.values()].reduce((n, subs) => n + subs.length, 0);
  log(`Grading ${count} notebook(s) of ${byStudent.size} student(s) in ${opts.folder} on the ${opts.profile} profile (cell limit ${opts.cellTimeout} s)`);
  try {
    for (const subs of byStudent.values()) {
      for (const sub of subs) {
        if (sub.nn !== null && !expectedByNn.has(sub.nn)) expectedByNn.set(sub.nn, (await exerciseIds(sub.nn)) ?? []);
        const copy = path.join(workDir, path.basename(sub.file));
        fs.writeFileSync(copy, rewriteLibraryImports(fs.readFileSync(sub.file, 'utf8')));
        const outDir = path.join(opts.outDir, 'students', safeName(sub.student));
        const result = await runNotebook(copy, {
          profile: opts.profile, only: [], keepGoing: true, cellTimeout: opts.cellTimeout,
          notebooksDir: workDir, outDir, executorArgs: ['--keep-going'],
        }, env, root);
        fs.rmSync(copy, { force: true });
        for (const v of result.verdicts ?? []) if (v.from_check_cell) titles[v.exercise] = v.title;
        executed.push({ sub, result });
        const shown = (result.verdicts ?? []).filter((v) => v.from_check_cell);
        const failed = (result.errors ?? []).length;
        log(`  ${sub.student}/${sub.name}  ${result.wallSeconds.toFixed(1)} s  ${shown.filter((v) => v.passed).length} verdict(s) passed of ${shown.length} shown${failed ? `, ${failed} cell(s) failed` : result.ok ? '' : ', did not run'}`);
      }
    }
  } finally {
    removeWorkDir();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  // The class's notebooks: every number someone handed in; a student missing one gets "not submitted".
  const classNns = [...expectedByNn.keys()].sort();
  const rows: SubmissionResult[] = [];
  for (const [student, subs] of byStudent) {
    for (const { sub, result } of executed.filter((e) => e.sub.student === student)) {
      let expected = sub.nn !== null ? expectedByNn.get(sub.nn) ?? [] : [];
      if (expected.length === 0) expected = [...new Set((result.verdicts ?? []).filter((v) => v.from_check_cell).map((v) => v.exercise))].sort(compareIds);
      const row = scoreSubmission(sub, result, expected);
      if (sub.nn === null) row.problems.unshift(`cannot tell which notebook this is: name it NN-title.ipynb as handed out`);
      rows.push(row);
    }
    for (const nn of classNns) {
      if (subs.some((s) => s.nn === nn)) continue;
      const ids = expectedByNn.get(nn) ?? [];
      if (ids.length === 0) continue;
      const problem = subs.length === 0 ? `no notebook found in ${path.join(opts.folder, student)}` : `no notebook ${nn} handed in`;
      rows.push({
        student, notebook: '', nn, passed: 0, total: ids.length, problems: [problem], wallSeconds: 0,
        exercises: ids.map((id) => ({ exercise: id, outcome: 'not submitted', detail: '' })),
      });
    }
  }
  const exercises = [...new Set(rows.flatMap((r) => r.exercises.map((e) => e.exercise)))].sort(compareIds);
  const summary = [...byStudent.keys()].map((student) => {
    const mine = rows.filter((r) => r.student === student);
    const passed = mine.reduce((n, r) => n + r.passed, 0);
    const total = mine.reduce((n, r) => n + r.total, 0);
    return `${student}: ${passed} of ${total} checks passed`;
  });
  const csvPath = path.join(opts.outDir, 'scorecard.csv');
  const htmlPath = path.join(opts.outDir, 'scorecard.html');
  const report: GradeReport = { exercises, titles, rows, summary, csvPath, htmlPath, workDir };
  fs.writeFileSync(csvPath, toCsv(report));
  fs.writeFileSync(htmlPath, toHtml(report, path.basename(path.resolve(opts.folder))));
  return report;
}

type CliOptions = GradeOptions;

function parseArgs(argv: string[], root: string): CliOptions {
  const usage = 'Usage: npm run grade -- FOLDER [--out DIR] [--cell-timeout S] [--profile smoke|full]';
  let folder: string | undefined;
  let outDir: string | undefined;
  let cellTimeout = 120;
  let profile: 'smoke' | 'full' = 'smoke';
  // npm runs scripts from the package root; INIT_CWD is where the teacher typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value. ${usage}`);
      return v;
    };
    if (a === '--out') outDir = path.resolve(base, next());
    else if (a === '--cell-timeout') {
      cellTimeout = Number(next());
      if (!Number.isInteger(cellTimeout) || cellTimeout <= 0) throw new Error(`--cell-timeout must be a whole number of seconds. ${usage}`);
    } else if (a === '--profile') {
      const p = next();
      if (p !== 'smoke' && p !== 'full') throw new Error(`--profile must be smoke or full. ${usage}`);
      profile = p;
    } else if (a.startsWith('--')) throw new Error(`Unknown option ${a}. ${usage}`);
    else if (folder === undefined) folder = path.resolve(base, a);
    else throw new Error(`One FOLDER only (got ${folder} and ${a}). ${usage}`);
  }
  if (folder === undefined) throw new Error(`Which folder? ${usage}`);
  return { folder, outDir: outDir ?? path.join(root, 'build', 'grades', path.basename(folder)), cellTimeout, profile };
}

if (require.main === module) {
  const root = repoRoot();
  let opts: CliOptions;
  try {
    opts = parseArgs(process.argv.slice(2), root);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  gradeFolder(opts).then(
    (report) => {
      console.log('');
      for (const line of report.summary) console.log(line);
      for (const r of report.rows) for (const p of r.problems) console.log(`  ${r.student}${r.notebook ? `/${r.notebook}` : ''}: ${p}`);
      console.log(`Scorecard: ${path.relative(process.cwd(), report.csvPath)} and ${path.relative(process.cwd(), report.htmlPath)}`);
      process.exit(0);
    },
    (e: Error) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}
