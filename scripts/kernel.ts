/**
 * Registers the course's TypeScript kernel (tslab, display name "TypeScript (course)") in a
 * project-local Jupyter folder (.jupyter/), started through scripts/tslab-kernel.ts (tslab plus
 * the course's hints), so no global install is needed and the kernel menu offers nothing else of ours
 * (tslab's own installer also registers a JavaScript kernel, which students picked by mistake).
 *
 * Usage: `const env = ensureKernel(); spawn('jupyter', [...], { env });`
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jupyterDataDir, jupyterPython, repoRoot } from './paths';

/** The kernel's name in Jupyter (notebooks' metadata.kernelspec.name). */
export const COURSE_KERNEL_NAME = 'tslab';
/** What the kernel menu shows. */
export const COURSE_KERNEL_DISPLAY_NAME = 'TypeScript (course)';

/** A Jupyter kernel spec (kernel.json). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
}

/** Checks that Jupyter's Python packages are importable; throws with the install command otherwise. */
export function checkJupyter(python: string = jupyterPython()): void {
  try {
    execFileSync(python, ['-c', 'import nbclient, nbconvert, notebook'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      `Jupyter is not available to ${python}. Install it: sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient ` +
        `(or set TSDL_PYTHON to a Python that has notebook, nbconvert and nbclient).`,
    );
  }
}

/**
 * The course kernel's spec for a checkout at `root`: node runs dist/scripts/tslab-kernel.js
 * (tslab with the course's hints) when it is built, else tslab's own binary.
 * Usage: `courseKernelSpec('/srv/tsdl-course').argv[0] // the node binary`
 */
export function courseKernelSpec(root: string = repoRoot()): KernelSpec {
  const tslab = path.join(root, 'node_modules', '.bin', 'tslab');
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed at ${tslab}: run npm ci first.`);
  const wrapper = path.join(root, 'dist', 'scripts', 'tslab-kernel.js');
  const start = fs.existsSync(wrapper) ? [process.execPath, wrapper] : [tslab];
  return {
    argv: [...start, 'kernel', '--config-path', '{connection_file}'],
    display_name: COURSE_KERNEL_DISPLAY_NAME,
    language: 'typescript',
  };
}

/**
 * Writes the course kernel (only it) into `<dataDir>/kernels/tslab/kernel.json` when missing or
 * different, and removes the JavaScript kernel (`jslab`) an earlier `tslab install` put there.
 * Returns the kernel.json path. JupyterHub's setup calls this with the hub's shared data folder.
 * Usage: `registerCourseKernel({ dataDir: '/usr/local/share/jupyter' })`
 */
export function registerCourseKernel(options: { root?: string; dataDir?: string } = {}): string {
  const root = options.root ?? repoRoot();
  const dataDir = options.dataDir ?? jupyterDataDir(root);
  const spec = courseKernelSpec(root);
  const dir = path.join(dataDir, 'kernels', COURSE_KERNEL_NAME);
  const file = path.join(dir, 'kernel.json');
  const text = `${JSON.stringify(spec, null, 1)}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (current !== text) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  const jslab = path.join(dataDir, 'kernels', 'jslab', 'kernel.json');
  if (fs.existsSync(jslab)) {
    const argv = (JSON.parse(fs.readFileSync(jslab, 'utf8')) as { argv?: string[] }).argv ?? [];
    // Only the one tslab's installer wrote for this checkout.
    if (argv.includes('--js') && argv[0].startsWith(root)) fs.rmSync(path.dirname(jslab), { recursive: true, force: true });
  }
  return file;
}

/**
 * Registers the course kernel under .jupyter/ (see registerCourseKernel) and returns an environment
 * (JUPYTER_PATH set, node_modules/.bin on PATH) in which Jupyter finds it.
 * Usage: `const env = ensureKernel(); spawn(python, ['-m', 'notebook'], { env })`
 */
export function ensureKernel(root: string = repoRoot()): NodeJS.ProcessEnv {
  const dataDir = jupyterDataDir(root);
  registerCourseKernel({ root, dataDir });
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.JUPYTER_PATH = [dataDir, env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  env.PATH = [path.join(root, 'node_modules', '.bin'), env.PATH].filter(Boolean).join(path.delimiter);
  return env;
}
