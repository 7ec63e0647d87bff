/**
 * Makes an nbconvert HTML export stand alone: Debian's nbconvert points the page at
 * file:///usr/share/javascript/ for RequireJS and MathJax, which a page copied to a course website
 * or a student's laptop cannot reach. RequireJS (17 KB) is inlined into the page; MathJax (the
 * files its TeX-AMS_CHTML-full configuration loads, about 1.7 MB) is copied once into a `mathjax/`
 * folder beside the pages, which the page loads by a relative path: copy the page together with
 * that folder.
 *
 * Usage: `makeHtmlStandalone('build/html/07-rnn-lstm-gru.html')` (scripts/run-notebooks.ts calls it for every export)
 */
import * as fs from 'fs';
import * as path from 'path';

/** Where Debian's libjs-requirejs and libjs-mathjax live. */
export const SYSTEM_JAVASCRIPT = '/usr/share/javascript';

/** The parts of MathJax 2 that the page's TeX-AMS_CHTML-full,Safe configuration loads. */
export const MATHJAX_PARTS: readonly string[] = [
  'MathJax.js',
  'config/TeX-AMS_CHTML-full.js',
  'config/Safe.js',
  'extensions',
  'jax/input/TeX',
  'jax/output/CommonHTML',
  'jax/element',
  'fonts/HTML-CSS/TeX/woff',
  'localization/en',
];

const REQUIRE_TAG = /<script src="file:\/\/\/usr\/share\/javascript\/requirejs\/(require(?:\.min)?\.js)"><\/script>/g;
const MATHJAX_SRC = /file:\/\/\/usr\/share\/javascript\/mathjax\/MathJax\.js/g;

/**
 * Copies MathJax's needed parts from `source` into `dest` (once: a dest holding every part is kept).
 * Returns false when the source has no MathJax (libjs-mathjax not installed).
 * Usage: `copyMathJax('build/html/mathjax')`
 */
export function copyMathJax(dest: string, source = path.join(SYSTEM_JAVASCRIPT, 'mathjax')): boolean {
  if (!fs.existsSync(path.join(source, 'MathJax.js'))) return false;
  const parts = MATHJAX_PARTS.filter((part) => fs.existsSync(path.join(source, part)));
  if (parts.every((part) => fs.existsSync(path.join(dest, part)))) return true;
  // Copy into a temporary folder, then rename: a half-copied MathJax is never left behind.
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const part of parts) {
    const from = path.join(source, part);
    fs.mkdirSync(path.dirname(path.join(tmp, part)), { recursive: true });
    fs.cpSync(from, path.join(tmp, part), { recursive: true, dereference: true });
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.rmSync(dest, { recursive: true, force: true }); // an incomplete copy from an older course version
  fs.renameSync(tmp, dest);
  return true;
}

/**
 * Rewrites an exported page in place so that nothing is loaded from file:///usr/share: RequireJS
 * inlined, MathJax from ./mathjax/ (copied beside the page). Returns what it changed.
 * Usage: `makeHtmlStandalone('build/html/00-getting-started.html') // { requireJs: 'inlined', mathJax: 'mathjax/' }`
 */
export function makeHtmlStandalone(htmlPath: string): { requireJs: 'inlined' | 'absent'; mathJax: 'mathjax/' | 'absent' | 'not installed' } {
  if (!fs.existsSync(htmlPath)) throw new Error(`makeHtmlStandalone: ${htmlPath} does not exist; export the notebook first.`);
  let html = fs.readFileSync(htmlPath, 'utf8');
  let requireJs: 'inlined' | 'absent' = 'absent';
  html = html.replace(REQUIRE_TAG, (tag, file: string) => {
    const local = path.join(SYSTEM_JAVASCRIPT, 'requirejs', file);
    if (!fs.existsSync(local)) return tag;
    requireJs = 'inlined';
    const code = fs.readFileSync(local, 'utf8').replace(/<\/script/gi, '<\\/script');
    return `<script>/* RequireJS, inlined from ${local} */\n${code}\n</script>`;
  });
  let mathJax: 'mathjax/' | 'absent' | 'not installed' = 'absent';
  if (MATHJAX_SRC.test(html)) {
    MATHJAX_SRC.lastIndex = 0;
    if (copyMathJax(path.join(path.dirname(htmlPath), 'mathjax'))) {
      html = html.replace(MATHJAX_SRC, 'mathjax/MathJax.js');
      mathJax = 'mathjax/';
    } else mathJax = 'not installed';
  }
  const tmp = `${htmlPath}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, html);
  fs.renameSync(tmp, htmlPath);
  return { requireJs, mathJax };
}
