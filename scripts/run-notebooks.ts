/**
 * Executes the course's notebooks headless (nbclient + the tslab kernel), writes executed
 * copies to build/notebooks/ and HTML to build/html/, prints each notebook's wall time and
 * the tfjs memory it left, and exits non-zero when a cell fails. SIGTERM, SIGINT or SIGHUP to the
 * runner is passed on to the executor, which shuts its kernel down; whatever is left of either
 * after a grace period is killed, and the runner exits with 128 + the signal number.
 *
 * Usage: node dist/scripts/run-notebooks.js [--profile smoke|full] [--only 00,05] [--continue]
 *                                            [--cell-timeout 600] [--notebooks DIR] [--out DIR]
 *                                            [--expect-checks passed|not-yet]
 *
 * `--expect-checks passed` (the solutions track) fails a notebook unless every exercise listed in
 * its `EXERCISES_NN` showed a passing verdict; `not-yet` (the student track) unless every one
 * showed "not yet".
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exerciseIds } from '../lib/exercises/registry';
import { profileName } from '../lib/profile';
import { makeHtmlStandalone } from './html-standalone';
import { checkJupyter, ensureKernel } from './kernel';
import { jupyterPython, repoRoot } from './paths';

/** What happened to one notebook. */
export interface NotebookResult {
  notebook: string;
  ok: boolean;
  wallSeconds: number;
  failedCell: number | null;
  failedCodeCell: number | null;
  error: string | null;
  memory: { numTensors: number; numBytes: number } | null;
  /** The exercise checks' verdicts the notebook displayed (see lib/exercises/check.ts). */
  verdicts?: DisplayedVerdict[];
  /** Every failed cell (more than one only with the executor's --keep-going). */
  errors?: { cell: number; code_cell: number; error: string }[];
}

/** A verdict as the executor collected it: the check's JSON, its cell, and whether that cell calls the check. */
export interface DisplayedVerdict {
  exercise: string;
  title: string;
  status: 'passed' | 'missing' | 'wrong';
  passed: boolean;
  message: string;
  hint: string;
  cell: number;
  from_check_cell: boolean;
}

/** What every exercise check of a notebook must say: all passed (solutions) or all "not yet" (student track). */
export type ExpectedChecks = 'passed' | 'not-yet';

/** Runner options (all optional on the command line). */
export interface RunOptions {
  profile: 'smoke' | 'full';
  only: string[];
  keepGoing: boolean;
  cellTimeout: number;
  notebooksDir: string;
  outDir: string;
  /** Fail a notebook whose exercise checks did not all say this. */
  expectChecks?: ExpectedChecks;
  /** Extra arguments for scripts/execute_notebook.py (the grader passes --keep-going). */
  executorArgs?: string[];
}

/**
 * Seconds one cell may run: TSDL_CELL_TIMEOUT, else 900 on smoke and 3600 on full (a full
 * training cell, e.g. notebook 01's ten epochs, takes minutes on wasm and longer on a busy machine).
 */
export function defaultCellTimeout(profile: 'smoke' | 'full'): number {
  const env = process.env.TSDL_CELL_TIMEOUT;
  if (env !== undefined && env.trim() !== '') return parseCellTimeout(env, 'TSDL_CELL_TIMEOUT');
  return profile === 'full' ? 3600 : 900;
}

/**
 * A cell time limit given as text: a whole number of seconds >= 1 (the executor takes only
 * whole seconds). `source` names where it came from, for the error.
 *
 * Usage: `parseCellTimeout('600', '--cell-timeout') // 600`
 */
export function parseCellTimeout(text: string, source: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${source} must be a whole number of seconds >= 1, got "${text}"; e.g. ${source === '--cell-timeout' ? '--cell-timeout 600' : `${source}=600`}.`);
  }
  return value;
}

/**
 * The runner's command line as options (defaults from the profile and TSDL_CELL_TIMEOUT); throws a
 * message naming the bad argument and the fix.
 *
 * Usage: `parseArgs(['--profile', 'smoke', '--only', '05'], repoRoot())`
 */
export function parseArgs(argv: string[], root: string): RunOptions {
  const opts: RunOptions = {
    profile: profileName(),
    only: [],
    keepGoing: false,
    cellTimeout: Number.NaN,
    notebooksDir: path.join(root, 'notebooks'),
    outDir: path.join(root, 'build'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--profile') opts.profile = profileName(next());
    else if (a === '--only') opts.only = next().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--continue') opts.keepGoing = true;
    else if (a === '--cell-timeout') opts.cellTimeout = parseCellTimeout(next(), '--cell-timeout');
    else if (a === '--notebooks') opts.notebooksDir = path.resolve(next());
    else if (a === '--out') opts.outDir = path.resolve(next());
    else if (a === '--expect-checks') opts.expectChecks = parseExpectedChecks(next());
    else throw new Error(`Unknown option ${a}. Usage: run-notebooks [--profile smoke|full] [--only 00,05] [--continue] [--cell-timeout S] [--notebooks DIR] [--out DIR] [--expect-checks passed|not-yet]`);
  }
  if (Number.isNaN(opts.cellTimeout)) opts.cellTimeout = defaultCellTimeout(opts.profile);
  return opts;
}

function parseExpectedChecks(value: string): ExpectedChecks {
  if (value === 'passed' || value === 'not-yet') return value;
  throw new Error(`--expect-checks must be passed or not-yet, not ${JSON.stringify(value)}`);
}

/**
 * Compares a notebook's verdicts with what was expected of its exercises (`ids`, from EXERCISES_NN;
 * null when the notebook has no checks). Returns the problems, empty when every check said so.
 * Usage: `verdictProblems(result.verdicts ?? [], ['00.1', '00.2'], 'passed')`
 */
export function verdictProblems(verdicts: readonly DisplayedVerdict[], ids: readonly string[] | null, expected: ExpectedChecks): string[] {
  const problems: string[] = [];
  for (const id of ids ?? []) {
    const shown = verdicts.filter((v) => v.exercise === id);
    const last = shown[shown.length - 1];
    if (!last) problems.push(`${id} showed no verdict (its check cell is missing or did not run)`);
    else if (expected === 'passed' && !last.passed) problems.push(`${id} says not yet: ${last.message}`);
    else if (expected === 'not-yet' && last.passed) problems.push(`${id} passed with the stub in place (the student track gives the answer away, or the check accepts anything)`);
  }
  const unknown = [...new Set(verdicts.map((v) => v.exercise))].filter((id) => !(ids ?? []).includes(id));
  if (unknown.length > 0) problems.push(`verdicts for ${unknown.join(', ')}, which EXERCISES_NN does not list`);
  return problems;
}

/** Marks a result failed when its checks did not say what `expected` asks; returns a short tally for the report line. */
async function applyExpectedChecks(r: NotebookResult, expected: ExpectedChecks): Promise<string> {
  const ids = await exerciseIds(r.notebook);
  const verdicts = r.verdicts ?? [];
  const problems = verdictProblems(verdicts, ids, expected);
  if (problems.length > 0 && r.ok) {
    r.ok = false;
    r.error = `exercise checks (expected ${expected === 'passed' ? 'all passed' : 'all not yet'}): ${problems.join('; ')}`;
  }
  const passed = verdicts.filter((v) => v.passed).length;
  return ids === null ? '' : `  checks: ${passed} of ${ids.length} passed`;
}

/** The notebooks to run, in course order, filtered by prefixes such as "00" or "05-cnn". */
export function listNotebooks(dir: string, only: string[] = []): string[] {
  if (!fs.existsSync(dir)) throw new Error(`No notebooks folder at ${dir}`);
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort();
  if (all.length === 0) throw new Error(`No notebooks (*.ipynb) in ${dir}: point --notebooks at the folder holding them (the course's is notebooks/), or build them with scripts/nbtool.py build.`);
  const picked = only.length === 0 ? all : all.filter((f) => only.some((p) => f.startsWith(p)));
  if (only.length > 0 && picked.length === 0) throw new Error(`No notebook in ${dir} starts with ${only.join(' or ')}`);
  return picked.map((f) => path.join(dir, f));
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Seconds the executor gets to shut its kernel down after a forwarded signal, before it is killed. */
const STOP_GRACE_MS = 10_000;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** The signal that asked this run to stop, once one did. */
let stopSignal: NodeJS.Signals | undefined;

/** Sends a signal to a process group, ignoring one that is gone. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * While `child` (the executor, leader of its own process group) runs: a stop signal to the
 * runner is passed on to it; after STOP_GRACE_MS its group and the kernel's (whose id it wrote
 * to kernelPidFile) are killed. Returns the function that removes the handlers.
 */
function forwardStopSignals(child: ReturnType<typeof spawn>, kernelPidFile: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    stopSignal ??= signal;
    killGroup(child.pid, 'SIGTERM');
    timer ??= setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      const kernel = Number(fs.existsSync(kernelPidFile) ? fs.readFileSync(kernelPidFile, 'utf8') : NaN);
      if (Number.isInteger(kernel)) killGroup(kernel, 'SIGKILL');
    }, STOP_GRACE_MS);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  return () => {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** Executes one notebook in a child Python process; resolves with its result. */
export function runNotebook(nbPath: string, opts: RunOptions, env: NodeJS.ProcessEnv, root: string): Promise<NotebookResult> {
  const base = path.basename(nbPath, '.ipynb');
  const reportPath = path.join(opts.outDir, 'reports', `${base}.json`);
  fs.mkdirSync(path.dirname(reportPath), { recursive: true });
  fs.rmSync(reportPath, { force: true });
  const args = [
    path.join(root, 'scripts', 'execute_notebook.py'),
    nbPath,
    '--out-nb',
    path.join(opts.outDir, 'notebooks', `${base}.ipynb`),
    '--out-html',
    path.join(opts.outDir, 'html', `${base}.html`),
    '--cell-timeout',
    String(opts.cellTimeout),
    '--report',
    reportPath,
    ...(opts.executorArgs ?? []),
    '--kernel-pid-file',
    `${reportPath}.kernel-pid`,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so that a stop signal reaches all of it (and only through us).
    const child = spawn(jupyterPython(), args, { env, stdio: ['ignore', 'inherit', 'pipe'], detached: true });
    const stopForwarding = forwardStopSignals(child, `${reportPath}.kernel-pid`);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => {
      stopForwarding();
      fs.rmSync(`${reportPath}.kernel-pid`, { force: true });
      const wallSeconds = (Date.now() - started) / 1000;
      let report: Partial<{ ok: boolean; failed_cell: number | null; failed_code_cell: number | null; error: string | null; memory: { numTensors: number; numBytes: number } | null; verdicts: DisplayedVerdict[]; errors: NonNullable<NotebookResult['errors']> }> = {};
      if (fs.existsSync(reportPath)) report = JSON.parse(fs.readFileSync(reportPath, 'utf8')) as typeof report;
      const ok = code === 0 && report.ok === true;
      resolve({
        notebook: path.basename(nbPath),
        ok,
        wallSeconds,
        failedCell: report.failed_cell ?? null,
        failedCodeCell: report.failed_code_cell ?? null,
        error: ok ? null : (report.error ?? (stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${code}`)),
        memory: report.memory && typeof report.memory.numTensors === 'number' ? report.memory : null,
        verdicts: report.verdicts ?? [],
        errors: report.errors ?? [],
      });
    });
  });
}

/** Makes an exported page load nothing from file:///usr/share (see scripts/html-standalone.ts); a failure only warns. */
function standaloneExport(htmlPath: string): void {
  if (!fs.existsSync(htmlPath)) return;
  try {
    makeHtmlStandalone(htmlPath);
  } catch (e) {
    console.warn(`  warning: ${path.basename(htmlPath)} still loads RequireJS/MathJax from /usr/share: ${(e as Error).message}`);
  }
}

/** Runs the selected notebooks; returns the results (stops at the first failure unless keepGoing). */
export async function runCourse(opts: RunOptions): Promise<NotebookResult[]> {
  const root = repoRoot();
  checkJupyter();
  const env = ensureKernel(root);
  env.COURSE_PROFILE = opts.profile;
  env.TSDL_HEADLESS = '1';
  // Notebooks outside the repo (test fixtures) still resolve the project's packages.
  env.NODE_PATH = [path.join(root, 'node_modules'), env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const notebooks = listNotebooks(opts.notebooksDir, opts.only);
  console.log(`Running ${notebooks.length} notebook(s) on the ${opts.profile} profile (cell limit ${opts.cellTimeout} s)`);
  const results: NotebookResult[] = [];
  stopSignal = undefined;
  for (const nb of notebooks) {
    if (stopSignal !== undefined) break;
    const r = await runNotebook(nb, opts, env, root);
    standaloneExport(path.join(opts.outDir, 'html', `${path.basename(nb, '.ipynb')}.html`));
    results.push(r);
    const checks = opts.expectChecks ? await applyExpectedChecks(r, opts.expectChecks) : '';
    const mem = (r.memory ? `  tensors left: ${r.memory.numTensors} (${formatBytes(r.memory.numBytes)})` : '') + checks;
    if (r.ok) console.log(`  ok    ${r.notebook}  ${r.wallSeconds.toFixed(1)} s${mem}`);
    else {
      const where = r.failedCell ? `cell ${r.failedCell} (code cell ${r.failedCodeCell})` : r.error?.startsWith('exercise checks') ? 'its checks' : 'start-up';
      console.log(`  FAIL  ${r.notebook}  ${r.wallSeconds.toFixed(1)} s  at ${where}: ${r.error}`);
      if (!opts.keepGoing) break;
    }
  }
  const total = results.reduce((s, r) => s + r.wallSeconds, 0);
  const failed = results.filter((r) => !r.ok).length;
  fs.mkdirSync(opts.outDir, { recursive: true });
  fs.writeFileSync(path.join(opts.outDir, `course-${opts.profile}.json`), JSON.stringify({ profile: opts.profile, totalSeconds: total, results }, null, 2));
  console.log(`${results.length - failed} passed, ${failed} failed (${total.toFixed(1)} s in all; HTML in ${path.relative(root, path.join(opts.outDir, 'html'))}/)`);
  if (stopSignal !== undefined) console.log(`Stopped by ${stopSignal}: the kernel was shut down; ${notebooks.length - results.length} notebook(s) not run.`);
  return results;
}

/**
 * The signal that stopped the last runCourse, or undefined (the command exits with 128 + its number).
 *
 * Usage: `if (stoppedBy()) process.exitCode = 143;`
 */
export function stoppedBy(): NodeJS.Signals | undefined {
  return stopSignal;
}

if (require.main === module) {
  let opts: RunOptions;
  try {
    opts = parseArgs(process.argv.slice(2), repoRoot());
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  runCourse(opts).then(
    (results) => {
      const signal = stoppedBy();
      process.exit(signal !== undefined ? 128 + os.constants.signals[signal] : results.every((r) => r.ok) ? 0 : 1);
    },
    (e: Error) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}
