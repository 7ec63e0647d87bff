/**
 * Which exercises a notebook has, for the grader and the notebook runner: `EXERCISES_NN` from
 * `lib/exercises/nbNN.ts`, looked up at run time, so a notebook whose checks are not written yet
 * simply has none (null) instead of breaking the build.
 *
 * Usage: `const ids = await exerciseIds('05-cnn-fashion-mnist.ipynb') // ['05.1', ...] or null`
 */
import * as fs from 'fs';
import * as path from 'path';

/** The two-digit number a notebook's file name starts with (`05` for `05-cnn.ipynb`), or null. */
export function notebookNumber(fileName: string): string | null {
  const m = /^(\d\d)(?!\d)/.exec(path.basename(fileName));
  return m ? m[1] : null;
}

/**
 * The ids `EXERCISES_NN` lists for notebook NN (given as `NN` or a notebook file name), or null when
 * `nbNN` does not exist. Throws when the module exists but its list is missing or malformed.
 * Usage: `await exerciseIds('00') // ['00.1', '00.2', '00.3']`
 */
export async function exerciseIds(notebook: string): Promise<readonly string[] | null> {
  const nn = /^\d\d$/.test(notebook) ? notebook : notebookNumber(notebook);
  if (nn === null) return null;
  const exists = ['.js', '.ts'].some((ext) => fs.existsSync(path.join(__dirname, `nb${nn}${ext}`)));
  if (!exists) return null;
  const mod = (await import(/* @vite-ignore */ `./nb${nn}`)) as Record<string, unknown>;
  const ids = mod[`EXERCISES_${nn}`];
  const ok = Array.isArray(ids) && ids.every((id) => typeof id === 'string' && id.startsWith(`${nn}.`));
  if (!ok) {
    throw new Error(`lib/exercises/nb${nn}.ts must export EXERCISES_${nn}, the list of its exercise ids ('${nn}.1', '${nn}.2', ...); it ${ids === undefined ? 'does not export it' : 'exports something else'}`);
  }
  return ids as string[];
}
