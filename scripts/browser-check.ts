/**
 * Opens an exported notebook (nbconvert HTML) in headless Chromium and checks that it renders
 * offline: every plotly figure drew its SVG, every <img> decoded, and the page logged no errors.
 * Requests that leave the machine (nbconvert's template loads RequireJS and MathJax from a CDN)
 * are blocked and listed; RequireJS is served from Debian's copy when installed, so the page
 * behaves as it does online in classic Jupyter (an AMD loader on the page).
 *
 * Usage:
 *   const r = await checkHtml('build/html/00-getting-started.html');
 *   r.figures.rendered === r.figures.total && r.images.decoded === r.images.total && r.errors.length === 0
 * CLI (after `npm run build`): node dist/scripts/browser-check.js build/html/00-getting-started.html
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type ConsoleMessage, type Route } from 'playwright-core';
import { repoRoot } from './paths';

/** What `checkHtml` saw. */
export interface HtmlCheck {
  figures: {
    /** Plot divs on the page (`.tsdl-plotly`, and plotly.py's `.plotly-graph-div`). */
    total: number;
    /** Plot divs holding plotly's `.main-svg`, at least 50x50 px. */
    rendered: number;
    /** ids of plot divs that did not render, with their text (e.g. the missing-plotly note). */
    failed: string[];
  };
  images: {
    total: number;
    /** <img> elements that loaded with naturalWidth > 0. */
    decoded: number;
    /** Sources (first 80 characters) of images that did not decode. */
    broken: string[];
  };
  /** Console errors and uncaught page errors (not those of blocked external requests). */
  errors: string[];
  /** URLs the page asked for outside file:// and data: (blocked, or served locally for RequireJS). */
  externalRequests: string[];
  /** The full-page screenshot that was saved. */
  screenshot: string;
  /** Milliseconds from navigation to all checks done. */
  elapsedMs: number;
}

/** Options for `checkHtml`. */
export interface CheckOptions {
  /** Screenshot path (default build/screenshots/<html name>.png under the repo root). */
  screenshot?: string;
  /** Script run in the page before its own scripts (e.g. to simulate globals a front end sets). */
  initScript?: string;
  /** How long to wait for figures and images (default 60000 ms). */
  timeoutMs?: number;
  /** Chromium binary (default CHROMIUM_PATH or /usr/bin/chromium). */
  executablePath?: string;
  /** Viewport width in pixels (default 1100). */
  width?: number;
  /** Serve RequireJS from the local Debian copy when the page asks a CDN for it (default true). */
  localRequireJs?: boolean;
}

/** The flags the course runs Chromium with: headless, no sandbox (containers), no network chatter. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Plot divs: the course's, and plotly.py's. */
const PLOT_SELECTOR = '.tsdl-plotly, .plotly-graph-div';

// Code run in the page, as strings (the project compiles without DOM types).
const PAGE_SETTLED_JS = `(() => {
  const divs = Array.from(document.querySelectorAll(${JSON.stringify(PLOT_SELECTOR)}));
  const plotsDone = divs.every((d) => d.querySelector('.main-svg') !== null || d.querySelector('p') !== null);
  return plotsDone && Array.from(document.images).every((i) => i.complete);
})()`;

const MATHJAX_IDLE_JS = `(() => {
  const m = document.getElementById('MathJax_Message');
  return m === null || m.style.display === 'none' || (m.textContent || '') === '';
})()`;

/** What SCAN_JS returns. */
interface PageScan {
  total: number;
  failed: string[];
  images: number;
  broken: string[];
}

/**
 * In-page statements (for a page.evaluate string) that declare `divs`, the plot divs, and
 * `failed`, one line per plot that did not draw or drew under 50 x 50 px. Shared by SCAN_JS here
 * and in notebook-ui.ts.
 *
 * Usage: `const SCAN_JS = \`(() => {${PLOT_FAILURES_JS}\n  return { total: divs.length, failed };\n})()\`;`
 */
export const PLOT_FAILURES_JS = `
  const divs = Array.from(document.querySelectorAll(${JSON.stringify(PLOT_SELECTOR)}));
  const failed = [];
  for (const d of divs) {
    const box = d.getBoundingClientRect();
    const name = d.id || '(no id)';
    if (d.querySelector('.main-svg') === null) failed.push(name + ': ' + (d.textContent || '').trim().slice(0, 120));
    else if (box.width < 50 || box.height < 50) failed.push(name + ': drawn only ' + Math.round(box.width) + 'x' + Math.round(box.height) + ' px');
  }`;

const SCAN_JS = `(() => {${PLOT_FAILURES_JS}
  const imgs = Array.from(document.images);
  const broken = imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src.slice(0, 80));
  return { total: divs.length, failed, images: imgs.length, broken };
})()`;

const REQUIREJS_PATHS = ['/usr/share/javascript/requirejs/require.min.js', '/usr/share/javascript/requirejs/require.js'];

/** The Chromium binary to use, or undefined when none is installed. Usage: `if (!chromiumPath()) skip()` */
export function chromiumPath(explicit?: string): string | undefined {
  const candidates = [explicit, process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  return candidates.find((p) => fs.existsSync(p));
}

function localRequireJs(): Buffer | undefined {
  const p = REQUIREJS_PATHS.find((f) => fs.existsSync(f));
  return p === undefined ? undefined : fs.readFileSync(p);
}

/** A headless Chromium (fresh profile) that checks several pages; close it when done. */
export interface HtmlChecker {
  /** Checks one HTML file in a new page (options as for `checkHtml`, launch options aside). */
  check(htmlPath: string, options?: CheckOptions): Promise<HtmlCheck>;
  /** Closes Chromium and removes its profile. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium once for several checks (each page gets its own routes and errors).
 * Usage: `const c = await openHtmlChecker(); try { await c.check(a); await c.check(b); } finally { await c.close(); }`
 */
export async function openHtmlChecker(options: Pick<CheckOptions, 'executablePath' | 'width'> = {}): Promise<HtmlChecker> {
  const exe = chromiumPath(options.executablePath);
  if (exe === undefined) {
    throw new Error('checkHtml: no Chromium found (looked at CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser); install it: sudo apt-get install chromium');
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: exe,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: options.width ?? 1100, height: 900 },
    });
  } catch (err) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    check: (htmlPath, pageOptions = {}) => checkPage(context, htmlPath, pageOptions),
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function checkPage(context: BrowserContext, htmlPath: string, options: CheckOptions): Promise<HtmlCheck> {
  const file = path.resolve(htmlPath);
  if (!fs.existsSync(file)) throw new Error(`checkHtml: ${file} does not exist; export the notebook to HTML first (scripts/run-notebooks.ts or nbconvert --to html).`);
  const screenshot = path.resolve(options.screenshot ?? path.join(repoRoot(), 'build', 'screenshots', `${path.basename(file, path.extname(file))}.png`));
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  const timeout = options.timeoutMs ?? 60_000;
  const requireJs = options.localRequireJs === false ? undefined : localRequireJs();
  const errors: string[] = [];
  const external = new Set<string>();
  const page = await context.newPage();
  try {
    await page.route('**/*', async (route: Route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      external.add(url);
      if (requireJs !== undefined && /\/require(\.min)?\.js(\?|$)/.test(url)) {
        return route.fulfill({ status: 200, contentType: 'application/javascript', body: requireJs });
      }
      return route.abort('internetdisconnected');
    });
    if (options.initScript !== undefined) await page.addInitScript({ content: options.initScript });
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url;
      if (where && external.has(where)) return; // a blocked CDN request, listed in externalRequests
      errors.push(`console: ${msg.text()}${where ? ` (${where.slice(0, 100)})` : ''}`);
    });
    page.on('pageerror', (err: Error) => errors.push(`page error: ${err.message}`));

    const started = Date.now();
    await page.goto(`file://${file}`, { waitUntil: 'load', timeout });
    // Wait until every plot div has its SVG (or shows the missing-plotly note) and images settled;
    // on timeout, report what rendered instead of failing here.
    await page.waitForFunction(PAGE_SETTLED_JS, undefined, { timeout, polling: 100 }).catch(() => undefined);
    // nbconvert's page may typeset with MathJax: let its "Loading..." message go before the screenshot.
    await page.waitForFunction(MATHJAX_IDLE_JS, undefined, { timeout: Math.min(timeout, 15_000), polling: 200 }).catch(() => undefined);
    const seen = (await page.evaluate(SCAN_JS)) as PageScan;
    const elapsedMs = Date.now() - started;
    await page.screenshot({ path: screenshot, fullPage: true });
    return {
      figures: { total: seen.total, rendered: seen.total - seen.failed.length, failed: seen.failed },
      images: { total: seen.images, decoded: seen.images - seen.broken.length, broken: seen.broken },
      errors,
      externalRequests: [...external],
      screenshot,
      elapsedMs,
    };
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Loads `htmlPath` in headless Chromium (fresh profile, network blocked) and reports figures,
 * images, errors and external requests; saves a full-page screenshot.
 * Usage: `const r = await checkHtml('build/html/00-getting-started.html'); console.log(r.figures)`
 */
export async function checkHtml(htmlPath: string, options: CheckOptions = {}): Promise<HtmlCheck> {
  const file = path.resolve(htmlPath);
  if (!fs.existsSync(file)) throw new Error(`checkHtml: ${file} does not exist; export the notebook to HTML first (scripts/run-notebooks.ts or nbconvert --to html).`);
  const checker = await openHtmlChecker(options);
  try {
    return await checker.check(file, options);
  } finally {
    await checker.close();
  }
}

/** CLI: checks each HTML file given, prints a JSON report, exits 1 when any check fails. */
async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    console.error('usage: node dist/scripts/browser-check.js FILE.html [FILE.html ...]');
    return 2;
  }
  let bad = 0;
  const checker = await openHtmlChecker();
  try {
    for (const f of argv) {
      const r = await checker.check(f);
      const ok = r.figures.rendered === r.figures.total && r.images.decoded === r.images.total && r.errors.length === 0;
      if (!ok) bad += 1;
      console.log(JSON.stringify({ file: f, ok, ...r }, null, 2));
    }
  } finally {
    await checker.close();
  }
  return bad === 0 ? 0 : 1;
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
