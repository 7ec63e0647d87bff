// Shared by the tests that execute notebooks: is Jupyter there, and fixture notebooks from
// percent-format text.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const root = path.resolve(__dirname, '..', '..');

/** True when Debian's Python has nbclient and nbconvert (the runner needs them). */
export const hasJupyter: boolean = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import nbclient, nbconvert'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

/** Writes dir/name.ipynb from percent-format text (see scripts/nbtool.py). */
export function makeNotebook(dir: string, name: string, percent: string): void {
  const src = path.join(dir, `${name}.ts`);
  fs.writeFileSync(src, percent);
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'nbtool.py'), 'build', src, path.join(dir, `${name}.ipynb`)]);
  fs.rmSync(src);
}
