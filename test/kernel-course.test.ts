// The course registers one kernel, "TypeScript (course)", and its kernel adds a hint under the
// errors of cells run out of order.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { COURSE_KERNEL_DISPLAY_NAME, registerCourseKernel } from '../scripts/kernel';
import { runCourse } from '../scripts/run-notebooks';
import { repoRoot } from '../scripts/paths';
import { profileBanner } from '../scripts/start';
import { disposedHint, isDisposedError, missingNameHint } from '../scripts/tslab-kernel';
import { hasJupyter, makeNotebook } from './helpers/notebooks';

describe('course kernel registration', () => {
  it('writes only the TypeScript kernel, named "TypeScript (course)", and removes the jslab spec tslab install left', () => {
    const root = repoRoot();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-kernels-'));
    try {
      const jslab = path.join(dataDir, 'kernels', 'jslab');
      fs.mkdirSync(jslab, { recursive: true });
      fs.writeFileSync(path.join(jslab, 'kernel.json'), JSON.stringify({ argv: [path.join(root, 'node_modules', '.bin', 'tslab'), 'kernel', '--js'], display_name: 'JavaScript' }));
      const file = registerCourseKernel({ root, dataDir });
      const spec = JSON.parse(fs.readFileSync(file, 'utf8')) as { argv: string[]; display_name: string; language: string };
      expect(spec.display_name).toBe(COURSE_KERNEL_DISPLAY_NAME);
      expect(spec.display_name).toBe('TypeScript (course)');
      expect(spec.language).toBe('typescript');
      expect(spec.argv.slice(-3)).toEqual(['kernel', '--config-path', '{connection_file}']);
      expect(fs.readdirSync(path.join(dataDir, 'kernels'))).toEqual(['tslab']);
      // Idempotent: a second call leaves the file as it is.
      const mtime = fs.statSync(file).mtimeMs;
      registerCourseKernel({ root, dataDir });
      expect(fs.statSync(file).mtimeMs).toBe(mtime);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('npm start names the active profile and the one-line ways to switch', () => {
    expect(profileBanner('full')).toMatch(/^Profile: full .*\n  Switch: COURSE_PROFILE=smoke npm start .*useProfile\('smoke'\)/);
    expect(profileBanner('smoke')).toMatch(/COURSE_PROFILE=full npm start .*useProfile\('full'\)/);
  });
});

describe('kernel hints', () => {
  it('tells a student to run the cells above when a name is missing, and to rebuild a freed model', () => {
    expect(missingNameHint(['split'])).toMatch(/^Hint: 'split' is not defined in this kernel yet\. Run the cells above this one first \(Cell > Run All Above/);
    expect(missingNameHint(['a', 'b'])).toMatch(/'a', 'b' are not defined/);
    expect(disposedHint()).toMatch(/freed .*Re-run the cells that build it/);
    expect(isDisposedError(new Error("Container 'sequential_1' is already disposed."))).toBe(true);
    expect(isDisposedError(new Error('Tensor is disposed.'))).toBe(true);
    expect(isDisposedError(new Error('shape mismatch'))).toBe(false);
  });
});

const hasBuild = fs.existsSync(path.join(repoRoot(), 'dist', 'scripts', 'tslab-kernel.js')) && fs.existsSync(path.join(repoRoot(), 'dist', 'lib', 'train', 'fit.js'));
if (!hasJupyter || !hasBuild) console.warn('kernel-course: kernel round trip skipped (needs Jupyter and npm run build)');

describe.skipIf(!hasJupyter || !hasBuild)('kernel hints in a real kernel', () => {
  it('prints the hint under a "Cannot find name" error and under a disposed model error', async () => {
    const dir = fs.mkdtempSync(path.join(repoRoot(), 'build', 'kernel-hints-'));
    const out = path.join(dir, 'out');
    try {
      makeNotebook(dir, '01-missing', '// %%\nconst parts = split(3);\n');
      // The message tfjs throws when a disposed model is called (the kernel matches the message).
      makeNotebook(dir, '02-disposed', "// %%\nconst model = { name: 'sequential_1' };\n\n// %%\nthrow new Error(`Container '${model.name}' is already disposed.`);\n");
      const results = await runCourse({ profile: 'smoke', only: [], keepGoing: true, cellTimeout: 120, notebooksDir: dir, outDir: out });
      expect(results.map((r) => r.ok)).toEqual([false, false]);
      const stderr = (name: string): string =>
        (JSON.parse(fs.readFileSync(path.join(out, 'notebooks', `${name}.ipynb`), 'utf8')) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] }).cells
          .flatMap((c) => c.outputs ?? [])
          .filter((o) => o.name === 'stderr')
          .map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? '')))
          .join('');
      expect(stderr('01-missing')).toMatch(/Cannot find name 'split'[\s\S]*Hint: 'split' is not defined in this kernel yet\. Run the cells above this one first/);
      expect(stderr('02-disposed')).toMatch(/already disposed[\s\S]*Hint: this model or tensor was freed/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
