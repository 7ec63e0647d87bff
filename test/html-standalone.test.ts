// An exported page copied to another machine keeps its formulas: nothing is loaded from
// file:///usr/share (checked in Chromium with those paths blocked).
// Skipped, with a message, when Chromium, nbconvert or Debian's MathJax/RequireJS are missing.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/browser-check';
import { makeHtmlStandalone, SYSTEM_JAVASCRIPT } from '../scripts/html-standalone';
import { jupyterPython } from '../scripts/paths';

const python = jupyterPython();
const exe = chromiumPath();
const nbconvert = spawnSync(python, ['-m', 'nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
const mathjax = fs.existsSync(path.join(SYSTEM_JAVASCRIPT, 'mathjax', 'MathJax.js')) && fs.existsSync(path.join(SYSTEM_JAVASCRIPT, 'requirejs', 'require.min.js'));
const skip = !exe ? 'no Chromium (apt-get install chromium)' : !nbconvert ? 'no nbconvert (apt-get install jupyter-nbconvert)' : !mathjax ? 'no Debian MathJax/RequireJS (apt-get install libjs-mathjax libjs-requirejs)' : '';
if (skip) console.warn(`html-standalone.test.ts skipped: ${skip}`);

describe.skipIf(skip !== '')('exported HTML stands alone', () => {
  it('inlines RequireJS, loads MathJax from mathjax/ beside the page, and typesets with /usr/share blocked', async () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-html-'));
    try {
      const nb = {
        cells: [{ cell_type: 'markdown', metadata: {}, source: 'The loss: $L = -\\sum_i y_i \\log \\hat y_i$ and\n\n$$h_t = \\tanh(W x_t + U h_{t-1} + b)$$' }],
        metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (course)', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      };
      const built = path.join(work, 'build');
      fs.mkdirSync(built);
      fs.writeFileSync(path.join(built, 'maths.ipynb'), JSON.stringify(nb));
      execFileSync(python, ['-m', 'nbconvert', '--to', 'html', path.join(built, 'maths.ipynb'), '--output-dir', built], { stdio: 'pipe' });
      const page = path.join(built, 'maths.html');
      expect(fs.readFileSync(page, 'utf8')).toContain('file:///usr/share/javascript/');
      expect(makeHtmlStandalone(page)).toEqual({ requireJs: 'inlined', mathJax: 'mathjax/' });
      const html = fs.readFileSync(page, 'utf8');
      expect(html).not.toContain('file:///usr/share');
      expect(html).toContain('src="mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"');
      // A second page reuses the same mathjax/ folder.
      expect(fs.statSync(path.join(built, 'mathjax', 'MathJax.js')).size).toBeGreaterThan(10_000);

      // "Another machine": the page and its mathjax/ folder copied elsewhere, /usr/share unreachable.
      const site = path.join(work, 'site');
      fs.cpSync(built, site, { recursive: true });
      const browser = await chromium.launch({ executablePath: exe, headless: true, args: [...CHROMIUM_ARGS] });
      const blocked: string[] = [];
      const errors: string[] = [];
      try {
        const p = await browser.newPage();
        await p.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file:///usr/share') || !url.startsWith('file:')) {
            blocked.push(url);
            return route.abort('accessdenied');
          }
          return route.continue();
        });
        p.on('pageerror', (e) => errors.push(e.message));
        p.on('requestfailed', (r) => errors.push(`failed: ${r.url()}`));
        p.on('console', (m) => {
          if (m.type() === 'error') errors.push(`console: ${m.text()}`);
        });
        await p.goto(`file://${path.join(site, 'maths.html')}`, { waitUntil: 'load' });
        await p.waitForFunction('window.MathJax && window.MathJax.Hub && window.MathJax.Hub.queue && window.MathJax.Hub.queue.pending === 0 && document.querySelectorAll(".MathJax_CHTML").length >= 2', undefined, { timeout: 30_000, polling: 200 });
        const typeset = (await p.evaluate('document.querySelectorAll(".MathJax_CHTML").length')) as number;
        const requireJs = (await p.evaluate('typeof window.requirejs')) as string;
        // MathJax says "Math Processing Error" or leaves its message up when a file is missing.
        expect((await p.evaluate('document.body.innerText')) as string).not.toMatch(/Math Processing Error|File failed to load/);
        expect(typeset).toBeGreaterThanOrEqual(2);
        expect(requireJs).toBe('function');
      } finally {
        await browser.close();
      }
      expect(blocked).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});
