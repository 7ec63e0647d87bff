// End to end: notebook 00 executed headless, exported to HTML, opened in headless Chromium.
// Every plotly figure renders (its SVG exists), every image decodes, the page logs no errors.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { chromiumPath, checkHtml } from '../scripts/browser-check';
import { runCourse } from '../scripts/run-notebooks';
import { hasJupyter } from './helpers/notebooks';

const root = path.resolve(__dirname, '..');
const browser = chromiumPath();
if (!browser) console.warn('notebook00-browser: skipped, no Chromium (apt-get install chromium)');
if (!fs.existsSync(path.join(root, 'dist', 'lib', 'backend', 'index.js'))) console.warn('notebook00-browser: skipped, dist/ missing (npm run build)');

describe.skipIf(!hasJupyter || !browser || !fs.existsSync(path.join(root, 'dist', 'lib', 'backend', 'index.js')))('notebook 00 in a browser', () => {
  it('renders its figures and images without page errors', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-nb00-'));
    const [result] = await runCourse({ profile: 'smoke', only: ['00'], keepGoing: false, cellTimeout: 300, notebooksDir: path.join(root, 'notebooks'), outDir: out });
    expect(result.ok, result.error ?? '').toBe(true);
    const html = path.join(out, 'html', '00-getting-started.html');
    const check = await checkHtml(html, { screenshot: path.join(root, 'build', 'screenshots', '00-getting-started.png') });
    // activation chart, learning curves, confusion matrix, histogram, bar chart, two scatters
    // (the live chart draws nothing headless)
    expect(check.figures.total).toBeGreaterThanOrEqual(7);
    expect(check.figures.rendered).toBe(check.figures.total);
    expect(check.figures.failed).toEqual([]);
    // the image grid (20 captioned tiles), hidden-unit weights, image rows, feature maps
    expect(check.images.total).toBeGreaterThanOrEqual(30);
    expect(check.images.decoded).toBe(check.images.total);
    expect(check.errors).toEqual([]);
    expect(fs.statSync(check.screenshot).size).toBeGreaterThan(10_000);
  }, 240_000);
});
