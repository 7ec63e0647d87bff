// Reads a function or class written in a notebook's percent-format source (notebooks-src/) and
// makes it callable in a test, so the test pins the notebook's own code (not a copy) to the
// library's twin. The declaration runs through TypeScript's transpiler with the names it uses
// from the notebook passed in `scope`.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { root } from './notebooks';

/** The source text of a top-level `function NAME`, `class NAME` or `const NAME =` in a notebook source. */
export function notebookDeclaration(notebook: string, name: string): string {
  const file = path.join(root, 'notebooks-src', notebook);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^(export )?(async )?(function\\*? ${name}\\b|class ${name}\\b|const ${name}\\b)`).test(l));
  if (start < 0) throw new Error(`${notebook}: no top-level declaration of ${name}`);
  if (/;\s*$/.test(lines[start])) return lines[start];
  const end = lines.findIndex((l, i) => i > start && /^(\}|\};|\}\);)\s*$/.test(l));
  if (end < 0) throw new Error(`${notebook}: the declaration of ${name} does not end with a line '}'`);
  return lines.slice(start, end + 1).join('\n');
}

/**
 * Evaluates declarations of a notebook (in order) with `scope` as the names they use; returns the
 * value of the last one. Usage: `const build = notebookCode<(k: string) => tf.Sequential>('07-rnn-lstm-gru.ts', ['buildSequenceModel'], { tf, R })`
 */
export function notebookCode<T>(notebook: string, names: readonly string[], scope: Record<string, unknown>): T {
  const source = names.map((n) => notebookDeclaration(notebook, n)).join('\n');
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.None } }).outputText;
  const keys = Object.keys(scope);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function(...keys, `${js}\nreturn ${names[names.length - 1]};`);
  return make(...keys.map((k) => scope[k])) as T;
}
