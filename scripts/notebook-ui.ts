/**
 * Runs notebooks through the real Jupyter UI, as a student does: starts the classic Notebook
 * server the way `npm start` does (127.0.0.1, a free port, a token, the course kernel), opens
 * each notebook in headless Chromium (1280 px wide), clicks Cell > Run All, waits for the kernel
 * to go idle, and reports what a student would see: error outputs, plotly figures drawn, images
 * loaded, progress lines updated in place during training (sampled while it runs), and output
 * lines wider than the output area. Saves screenshots (mid-training and at the end).
 *
 * The notebooks run from copies under build/ui/notebooks (so Jupyter's autosave never touches
 * notebooks/), with build/ui/dist linking to dist/ so their `../dist/lib` imports resolve.
 *
 * Usage:
 *   const results = await runNotebooksInUi(['00-getting-started.ipynb', '01-mlp-fashion-mnist.ipynb'], { profile: 'smoke' });
 * CLI (after `npm run build`): node dist/scripts/notebook-ui.js [--profile smoke] 00 01
 */
import { spawn, type ChildProcess } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, PLOT_FAILURES_JS } from './browser-check';
import { checkJupyter, ensureKernel } from './kernel';
import { jupyterPython, repoRoot } from './paths';
import { notebookServerCommand } from './start';

/** What a student would see in one notebook after Run All. */
export interface UiNotebookResult {
  notebook: string;
  /** Seconds from Run All to idle. */
  seconds: number;
  /** Code cells, and those that ran (a numbered prompt). */
  codeCells: number;
  executed: number;
  /** Error outputs and stderr text, one entry per output (first 300 characters). */
  errors: string[];
  figures: { total: number; rendered: number; failed: string[] };
  images: { total: number; decoded: number; broken: string[] };
  progress: {
    /** Output areas that showed a progress line. */
    outputs: number;
    /** Of those, areas whose line changed in place while it ran (a running state, then another). */
    updatedInPlace: number;
    /** Most states one area went through. */
    mostStates: number;
    /** States drawn mid-epoch with some steps done (0 < k < N): the bar moving, not just starting. */
    midEpoch: number;
    /** The states of the area with most states (first and last few). */
    sample: string[];
  };
  /** Text output lines wider than their output area (first 160 characters of each). */
  wideLines: string[];
  /** Monospace characters that fit on one output line. */
  outputWidthChars: number;
  /** Text outputs drawn as console.table box drawings, which should be HTML (markdown) tables. */
  boxTables: number;
  /** Screenshot files written. */
  screenshots: string[];
}

/** Options of runNotebooksInUi. */
export interface UiOptions {
  /** COURSE_PROFILE for the kernels (default 'smoke'). */
  profile?: 'smoke' | 'full';
  /** Where screenshots go (default build/ui). */
  screenshotDir?: string;
  /** Most seconds one notebook may take from Run All to idle (default 300). */
  timeoutSeconds?: number;
  /** Browser window width in pixels (default 1280, the classic-UI width). */
  width?: number;
  /** Progress messages (default console.log). */
  log?: (line: string) => void;
}

/** A running notebook server. */
export interface NotebookServer {
  /** http://127.0.0.1:PORT */
  url: string;
  token: string;
  /** The server's terminal output so far. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, token: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`notebook server exited with code ${child.exitCode}:\n${output().slice(-2000)}`);
    try {
      const r = await fetch(`${url}/api/status?token=${token}`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`notebook server did not answer at ${url} within ${timeoutMs / 1000} s:\n${output().slice(-2000)}`);
}

/**
 * Starts classic Jupyter Notebook on `notebookDir` as npm start does (course kernel, 127.0.0.1,
 * a free port, a random token), with the kernel environment a student has (no CI/TSDL_HEADLESS)
 * and a private Jupyter config and runtime folder.
 * Usage: `const s = await startNotebookServer(dir, { COURSE_PROFILE: 'smoke' }); ...; await s.stop();`
 */
export async function startNotebookServer(notebookDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<NotebookServer> {
  const root = repoRoot();
  checkJupyter();
  const base = ensureKernel(root);
  delete base.CI;
  delete base.TSDL_HEADLESS;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-jupyter-'));
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const { args, env } = notebookServerCommand(
    root,
    ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--NotebookApp.token=${token}`, '--NotebookApp.password='],
    { ...base, ...extraEnv, JUPYTER_CONFIG_DIR: path.join(home, 'config'), JUPYTER_RUNTIME_DIR: path.join(home, 'runtime') },
    notebookDir,
  );
  const child = spawn(jupyterPython(), args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 10_000);
        child.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForServer(url, token, child, () => text, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, token, output: () => text, stop };
}

// Code run in the page, as strings (the project compiles without DOM types).

const KERNEL_IDLE_JS = `(() => {
  const nb = window.Jupyter && window.Jupyter.notebook;
  if (!nb || !nb.kernel || !nb.kernel.is_connected || !nb.kernel.is_connected()) return false;
  return document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
})()`;

/**
 * Records every state of each progress line, every 50 ms, keyed by cell and epoch header ("Epoch
 * 2/5"; the output's index for a fit without epochs), as update_display_data re-renders the output.
 */
const PROGRESS_SAMPLER_JS = `(() => {
  const seen = {};
  window.__tsdlProgress = seen;
  window.__tsdlSampler = setInterval(() => {
    document.querySelectorAll('.cell.code_cell').forEach((cell, ci) => {
      cell.querySelectorAll('.output_area').forEach((area, oi) => {
        const pre = area.querySelector('.output_subarea pre');
        if (!pre) return;
        const t = pre.textContent || '';
        if (!/\\d+\\/\\d+ (━|- (ETA )?\\d)/.test(t)) return;
        const header = /^Epoch \\d+\\/\\d+/.exec(t);
        const key = ci + ':' + (header ? header[0] : 'output ' + oi);
        const list = seen[key] || (seen[key] = []);
        if (list[list.length - 1] !== t) list.push(t);
      });
    });
  }, 50);
})()`;

const RUN_STATE_JS = `(() => {
  const cells = Array.from(document.querySelectorAll('.cell.code_cell'));
  const running = cells.filter((c) => c.classList.contains('running')).length;
  const pending = cells.filter((c) => /\\[\\*\\]/.test((c.querySelector('.input_prompt') || {}).textContent || '')).length;
  const executed = cells.filter((c) => /\\[\\d+\\]/.test((c.querySelector('.input_prompt') || {}).textContent || '')).length;
  const idle = document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
  // A progress line on screen now with a count below its total: scroll it into view for the screenshot.
  const live = Array.from(document.querySelectorAll('.output_area .output_subarea pre')).find((pre) =>
    Array.from((pre.textContent || '').matchAll(/(\\d+)\\/(\\d+) (━|- ETA)/g)).some((m) => Number(m[1]) > 0 && Number(m[1]) < Number(m[2])));
  if (live) live.scrollIntoView({ block: 'center' });
  const runningProgress = live !== undefined;
  return { cells: cells.length, running, pending, executed, idle, runningProgress };
})()`;

const SCAN_JS = `(() => {${PLOT_FAILURES_JS}
  const imgs = Array.from(document.querySelectorAll('.output_area img'));
  const broken = imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => (i.getAttribute('src') || '').slice(0, 80));
  const errors = [];
  document.querySelectorAll('.output_area .output_error, .output_area .output_stderr').forEach((e) => errors.push((e.textContent || '').trim().slice(0, 300)));
  const wide = [];
  let boxTables = 0;
  const pres = Array.from(document.querySelectorAll('.output_area .output_subarea pre'));
  for (const pre of pres) {
    const text = pre.textContent || '';
    // console.table's box drawing always has an "(index)" column; Keras's summary (┏━┳) is meant as text.
    if (/┌─+┬/.test(text) && text.includes('(index)')) boxTables += 1;
    const old = pre.style.whiteSpace;
    pre.style.whiteSpace = 'pre';
    if (pre.scrollWidth > pre.clientWidth + 1) {
      const longest = text.split('\\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      wide.push(longest.slice(0, 160) + ' (' + longest.length + ' chars, area ' + pre.clientWidth + ' px)');
    }
    pre.style.whiteSpace = old;
  }
  let widthChars = 0;
  if (pres.length > 0) {
    const probe = document.createElement('span');
    probe.textContent = 'x'.repeat(200);
    probe.style.whiteSpace = 'pre';
    pres[0].appendChild(probe);
    const charPx = probe.getBoundingClientRect().width / 200;
    probe.remove();
    widthChars = Math.floor(pres[0].clientWidth / charPx);
  }
  return { total: divs.length, failed, images: imgs.length, broken, errors, wide, widthChars, boxTables };
})()`;

interface RunState {
  cells: number;
  running: number;
  pending: number;
  executed: number;
  idle: boolean;
  runningProgress: boolean;
}
interface Scan {
  total: number;
  failed: string[];
  images: number;
  broken: string[];
  errors: string[];
  wide: string[];
  widthChars: number;
  boxTables: number;
}

/** A state with a count below its total ("  3/16 ━━" or " 3/16 - ETA"): the line was drawn mid-epoch (from > 0: with steps done). */
function isRunningState(text: string, from = 0): boolean {
  return [...text.matchAll(/(\d+)\/(\d+) (━|- ETA)/g)].some((m) => Number(m[1]) >= from && Number(m[1]) < Number(m[2]));
}

async function runOne(page: Page, server: NotebookServer, name: string, shots: string, timeoutMs: number, log: (l: string) => void): Promise<UiNotebookResult> {
  const base = path.basename(name, '.ipynb');
  const screenshots: string[] = [];
  for (const old of [`${base}.png`, `${base}-training.png`]) fs.rmSync(path.join(shots, old), { force: true });
  await page.goto(`${server.url}/notebooks/${encodeURIComponent(name)}?token=${server.token}`, { waitUntil: 'load' });
  await page.waitForFunction(KERNEL_IDLE_JS, undefined, { timeout: 120_000, polling: 200 });
  // Never save over the copy while it runs (the test compares nothing on disk, but keep it quiet).
  await page.evaluate('Jupyter.notebook.set_autosave_interval(0)');
  await page.evaluate(PROGRESS_SAMPLER_JS);
  // Cell > Run All, through the menu.
  await page.click('li.dropdown:has(> ul#cell_menu) > a.dropdown-toggle');
  await page.click('#run_all_cells > a');
  const started = Date.now();
  let midShot = false;
  let stable = 0;
  let state: RunState | undefined;
  while (Date.now() - started < timeoutMs) {
    await page.waitForTimeout(250);
    state = (await page.evaluate(RUN_STATE_JS)) as RunState;
    if (!midShot && state.runningProgress) {
      const file = path.join(shots, `${base}-training.png`);
      await page.screenshot({ path: file });
      screenshots.push(file);
      midShot = true;
    }
    const done = state.idle && state.running === 0 && state.pending === 0 && Date.now() - started > 1000;
    stable = done ? stable + 1 : 0;
    if (stable >= 4) break;
  }
  const seconds = (Date.now() - started) / 1000;
  if (stable < 4) log(`  ${name}: still running after ${timeoutMs / 1000} s`);
  await page.evaluate('clearInterval(window.__tsdlSampler)');
  // Let plotly draw and images decode.
  await page.waitForFunction(`Array.from(document.querySelectorAll('.tsdl-plotly')).every((d) => d.querySelector('.main-svg') || d.querySelector('p')) && Array.from(document.images).every((i) => i.complete)`, undefined, { timeout: 30_000, polling: 200 }).catch(() => undefined);
  const scan = (await page.evaluate(SCAN_JS)) as Scan;
  const progress = (await page.evaluate('window.__tsdlProgress')) as Record<string, string[]>;
  const areas = Object.values(progress);
  const inPlace = areas.filter((states) => states.length >= 2 && states.slice(0, -1).some((t) => isRunningState(t)));
  const richest = areas.reduce<string[]>((a, b) => (b.length > a.length ? b : a), []);
  const file = path.join(shots, `${base}.png`);
  // The classic UI scrolls inside #site; let the page grow so the screenshot holds the whole notebook.
  await page.evaluate(`(() => { const site = document.getElementById('site'); if (site) { site.style.height = 'auto'; site.style.overflow = 'visible'; } document.body.style.overflow = 'visible'; document.body.style.position = 'static'; document.documentElement.style.overflow = 'visible'; })()`);
  await page.screenshot({ path: file, fullPage: true });
  screenshots.push(file);
  return {
    notebook: name,
    seconds,
    codeCells: state?.cells ?? 0,
    executed: state?.executed ?? 0,
    errors: scan.errors,
    figures: { total: scan.total, rendered: scan.total - scan.failed.length, failed: scan.failed },
    images: { total: scan.images, decoded: scan.images - scan.broken.length, broken: scan.broken },
    progress: {
      outputs: areas.length,
      updatedInPlace: inPlace.length,
      mostStates: richest.length,
      midEpoch: areas.flat().filter((t) => isRunningState(t, 1)).length,
      sample: richest.length <= 6 ? richest : [...richest.slice(0, 3), ...richest.slice(-3)],
    },
    wideLines: scan.wide,
    outputWidthChars: scan.widthChars,
    boxTables: scan.boxTables,
    screenshots,
  };
}

/**
 * Copies the notebooks into build/ui/notebooks (with build/ui/dist linking to dist/), serves them,
 * and runs each through the UI in one Chromium (see UiNotebookResult for what is reported).
 * Usage: `const [r00, r01] = await runNotebooksInUi(['00-getting-started.ipynb', '01-mlp-fashion-mnist.ipynb'])`
 */
export async function runNotebooksInUi(notebooks: readonly string[], options: UiOptions = {}): Promise<UiNotebookResult[]> {
  const root = repoRoot();
  const log = options.log ?? ((l: string) => console.log(l));
  const exe = chromiumPath();
  if (exe === undefined) throw new Error('notebook-ui: no Chromium (install: sudo apt-get install chromium)');
  if (!fs.existsSync(path.join(root, 'dist', 'lib', 'index.js'))) throw new Error('notebook-ui: dist/ is missing; run npm run build first.');
  const uiDir = path.join(root, 'build', 'ui');
  const nbDir = path.join(uiDir, 'notebooks');
  const shots = options.screenshotDir ?? uiDir;
  fs.rmSync(nbDir, { recursive: true, force: true });
  fs.mkdirSync(nbDir, { recursive: true });
  fs.mkdirSync(shots, { recursive: true });
  const distLink = path.join(uiDir, 'dist');
  if (!fs.existsSync(distLink)) fs.symlinkSync(path.join(root, 'dist'), distLink, 'dir');
  for (const name of notebooks) {
    const src = path.join(root, 'notebooks', name);
    if (!fs.existsSync(src)) throw new Error(`notebook-ui: no notebook ${src}`);
    fs.copyFileSync(src, path.join(nbDir, name));
  }
  const server = await startNotebookServer(nbDir, { COURSE_PROFILE: options.profile ?? 'smoke', PYDEVD_DISABLE_FILE_VALIDATION: '1' });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: exe, headless: true, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: 900 } });
    const results: UiNotebookResult[] = [];
    for (const name of notebooks) {
      log(`notebook-ui: ${name}: Run All`);
      const r = await runOne(page, server, name, shots, (options.timeoutSeconds ?? 300) * 1000, log);
      log(`notebook-ui: ${name}: ${r.executed}/${r.codeCells} cells in ${r.seconds.toFixed(1)} s, ${r.figures.rendered}/${r.figures.total} figures, ${r.images.decoded}/${r.images.total} images, ${r.errors.length} errors, progress areas ${r.progress.updatedInPlace}/${r.progress.outputs} updated in place, ${r.wideLines.length} wide lines (${r.outputWidthChars} chars fit)`);
      results.push(r);
      // Free the kernel before the next notebook.
      await page.evaluate('Jupyter.notebook.kernel.kill()').catch(() => undefined);
    }
    return results;
  } finally {
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
}

/** CLI: runs the notebooks whose names start with the given prefixes; prints a JSON report. */
async function main(argv: string[]): Promise<number> {
  let profile: 'smoke' | 'full' = 'smoke';
  const prefixes: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--profile') profile = argv[++i] === 'full' ? 'full' : 'smoke';
    else prefixes.push(argv[i]);
  }
  const all = fs.readdirSync(path.join(repoRoot(), 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();
  const picked = prefixes.length === 0 ? all.slice(0, 2) : all.filter((f) => prefixes.some((p) => f.startsWith(p)));
  const results = await runNotebooksInUi(picked, { profile });
  console.log(JSON.stringify(results, null, 2));
  const ok = results.every((r) => r.errors.length === 0 && r.executed === r.codeCells && r.figures.failed.length === 0 && r.images.broken.length === 0 && r.wideLines.length === 0);
  return ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
