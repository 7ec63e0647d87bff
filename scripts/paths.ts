/**
 * Where the project's files are, found from this file's location (works from scripts/ and dist/scripts/).
 *
 * Usage: `const root = repoRoot(); const py = jupyterPython();`
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder holding the package.json named tsdl-course. */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tsdl-course') return dir;
      } catch {
        /* keep looking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the tsdl-course package.json above ${start}`);
    dir = parent;
  }
}

/** The Python that has Jupyter (Debian's /usr/bin/python3 unless TSDL_PYTHON says otherwise). */
export function jupyterPython(): string {
  return process.env.TSDL_PYTHON ?? '/usr/bin/python3';
}

/** The project-local Jupyter data folder where the tslab kernel spec is registered. */
export function jupyterDataDir(root: string = repoRoot()): string {
  return path.join(root, '.jupyter', 'share', 'jupyter');
}
