// Reads functions, classes and constants written in a notebook's percent-format source
// (notebooks-src/NN-*.ts) and makes them callable in a test, so a test pins the notebook's own
// code (not a copy that could drift) to the library's twin. Declarations are found with
// TypeScript's parser and run through its transpiler, with the names they use passed in `scope`.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { root } from './notebooks';

/** The text of notebooks-src/<prefix>*.ts (a full file name is a prefix too). */
export function notebookSource(prefix: string): string {
  const dir = path.join(root, 'notebooks-src');
  const file = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.ts'));
  if (!file) throw new Error(`no notebooks-src/${prefix}*.ts`);
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

function declaredNames(st: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) return [st.name.text];
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
}

/** The source texts of the top-level declarations `names` (functions, classes, const/let), in that order; throws naming any missing one. */
function declarations(prefix: string, names: readonly string[]): string[] {
  const file = ts.createSourceFile(`${prefix}.ts`, notebookSource(prefix), ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found = new Map<string, string>();
  for (const st of file.statements) for (const n of declaredNames(st)) if (names.includes(n) && !found.has(n)) found.set(n, st.getText(file));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`notebook ${prefix}: no top-level declaration of ${missing.join(', ')}`);
  return names.map((n) => found.get(n) as string);
}

/** The source text of one top-level `function NAME`, `class NAME` or `const NAME =` in a notebook source. */
export function notebookDeclaration(notebook: string, name: string): string {
  return declarations(notebook, [name])[0];
}

function evaluate(prefix: string, names: readonly string[], scope: Record<string, unknown>, result: string): unknown {
  const js = ts.transpileModule(declarations(prefix, names).join('\n'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const keys = Object.keys(scope);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function(...keys, `${js}\nreturn ${result};`);
  return make(...keys.map((k) => scope[k]));
}

/**
 * Evaluates declarations of a notebook (in order) with `scope` as the names they use; returns the
 * value of the last one. Usage: `const build = notebookCode<(k: string) => tf.Sequential>('07-rnn-lstm-gru.ts', ['buildSequenceModel'], { tf, R })`
 */
export function notebookCode<T>(notebook: string, names: readonly string[], scope: Record<string, unknown>): T {
  return evaluate(notebook, names, scope, names[names.length - 1]) as T;
}

/**
 * The top-level functions `names` of notebook `prefix`, evaluated with `scope` (e.g. `{ tf }`) as
 * their free names. Usage: `const { buildMlp } = notebookFunctions('01', ['buildMlp'], { tf, dense })`
 */
export function notebookFunctions(prefix: string, names: readonly string[], scope: Record<string, unknown>): Record<string, (...args: never[]) => unknown> {
  return evaluate(prefix, names, scope, `{ ${names.join(', ')} }`) as Record<string, (...args: never[]) => unknown>;
}
