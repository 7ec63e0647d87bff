/**
 * Executes the course's notebooks headless (nbclient + the tslab kernel), writes executed
 * copies to build/notebooks/ and HTML to build/html/, prints each notebook's wall time and
 * the tfjs memory it left, and exits non-zero when a cell fails.
 *
 * Usage: node dist/scripts/run-notebooks.js [--profile smoke|full] [--only 00,05] [--continue]
 *                                            [--cell-timeout 600] [--notebooks DIR] [--out DIR]
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
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
}

/** Runner options (all optional on the command line). */
export interface RunOptions {
  profile: 'smoke' | 'full';
  only: string[];
  keepGoing: boolean;
  cellTimeout: number;
  notebooksDir: string;
  outDir: string;
}

/**
 * Seconds one cell may run: TSDL_CELL_TIMEOUT, else 900 on smoke and 3600 on full (a full
 * training cell, e.g. notebook 01's ten epochs, takes minutes on wasm and longer on a busy machine).
 */
export function defaultCellTimeout(profile: 'smoke' | 'full'): number {
  const env = process.env.TSDL_CELL_TIMEOUT;
  if (env !== undefined && env.trim() !== '') return Number(env);
  return profile === 'full' ? 3600 : 900;
}

function parseArgs(argv: string[], root: string): RunOptions {
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
    else if (a === '--cell-timeout') {
      opts.cellTimeout = Number(next());
      if (!(opts.cellTimeout > 0)) throw new Error('--cell-timeout must be a positive number of seconds');
    }
    else if (a === '--notebooks') opts.notebooksDir = path.resolve(next());
    else if (a === '--out') opts.outDir = path.resolve(next());
    else throw new Error(`Unknown option ${a}. Usage: run-notebooks [--profile smoke|full] [--only 00,05] [--continue] [--cell-timeout S] [--notebooks DIR] [--out DIR]`);
  }
  if (Number.isNaN(opts.cellTimeout)) opts.cellTimeout = defaultCellTimeout(opts.profile);
  if (!Number.isFinite(opts.cellTimeout) || opts.cellTimeout <= 0) throw new Error('--cell-timeout must be a positive number of seconds');
  return opts;
}

/** The notebooks to run, in course order, filtered by prefixes such as "00" or "05-cnn". */
export function listNotebooks(dir: string, only: string[] = []): string[] {
  if (!fs.existsSync(dir)) throw new Error(`No notebooks folder at ${dir}`);
  const all = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb') && !f.startsWith('.'))
    .sort();
  const picked = only.length === 0 ? all : all.filter((f) => only.some((p) => f.startsWith(p)));
  if (only.length > 0 && picked.length === 0) throw new Error(`No notebook in ${dir} starts with ${only.join(' or ')}`);
  return picked.map((f) => path.join(dir, f));
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
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
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(jupyterPython(), args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => {
      const wallSeconds = (Date.now() - started) / 1000;
      let report: Partial<{ ok: boolean; failed_cell: number | null; failed_code_cell: number | null; error: string | null; memory: { numTensors: number; numBytes: number } | null }> = {};
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
  for (const nb of notebooks) {
    const r = await runNotebook(nb, opts, env, root);
    standaloneExport(path.join(opts.outDir, 'html', `${path.basename(nb, '.ipynb')}.html`));
    results.push(r);
    const mem = r.memory ? `  tensors left: ${r.memory.numTensors} (${formatBytes(r.memory.numBytes)})` : '';
    if (r.ok) console.log(`  ok    ${r.notebook}  ${r.wallSeconds.toFixed(1)} s${mem}`);
    else {
      const where = r.failedCell ? `cell ${r.failedCell} (code cell ${r.failedCodeCell})` : 'start-up';
      console.log(`  FAIL  ${r.notebook}  ${r.wallSeconds.toFixed(1)} s  at ${where}: ${r.error}`);
      if (!opts.keepGoing) break;
    }
  }
  const total = results.reduce((s, r) => s + r.wallSeconds, 0);
  const failed = results.filter((r) => !r.ok).length;
  fs.mkdirSync(opts.outDir, { recursive: true });
  fs.writeFileSync(path.join(opts.outDir, `course-${opts.profile}.json`), JSON.stringify({ profile: opts.profile, totalSeconds: total, results }, null, 2));
  console.log(`${results.length - failed} passed, ${failed} failed (${total.toFixed(1)} s in all; HTML in ${path.relative(root, path.join(opts.outDir, 'html'))}/)`);
  return results;
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
    (results) => process.exit(results.every((r) => r.ok) ? 0 : 1),
    (e: Error) => {
      console.error(e.message);
      process.exit(2);
    },
  );
}
