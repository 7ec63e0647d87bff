/**
 * Registers the tslab kernel in a project-local Jupyter folder (.jupyter/), naming the
 * project's own node_modules/.bin/tslab, so no global install is needed.
 *
 * Usage: `const env = ensureKernel(); spawn('jupyter', [...], { env });`
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jupyterDataDir, jupyterPython, repoRoot } from './paths';

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
 * Writes the tslab kernel spec under .jupyter/ when missing or stale and returns an environment
 * (JUPYTER_PATH set, node_modules/.bin on PATH) in which Jupyter finds it.
 */
export function ensureKernel(root: string = repoRoot()): NodeJS.ProcessEnv {
  const dataDir = jupyterDataDir(root);
  const tslab = path.join(root, 'node_modules', '.bin', 'tslab');
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed at ${tslab}: run npm ci first.`);
  const spec = path.join(dataDir, 'kernels', 'tslab', 'kernel.json');
  let fresh = false;
  if (fs.existsSync(spec)) {
    const argv = (JSON.parse(fs.readFileSync(spec, 'utf8')) as { argv?: string[] }).argv ?? [];
    fresh = argv[0] === tslab;
  }
  if (!fresh) {
    execFileSync(tslab, ['install', `--python=${jupyterPython()}`, `--binary=${tslab}`, `--prefix=${path.join(root, '.jupyter')}`], {
      stdio: 'pipe',
    });
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.JUPYTER_PATH = [dataDir, env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  env.PATH = [path.join(root, 'node_modules', '.bin'), env.PATH].filter(Boolean).join(path.delimiter);
  return env;
}
