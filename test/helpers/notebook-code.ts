// Runs functions written in a notebook's source (notebooks-src/NN-*.ts) inside a test, so a test
// can compare the notebook's own code with the library (no copy of the notebook's code to drift).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { root } from './notebooks';

/** The text of notebooks-src/<prefix>*.ts. */
export function notebookSource(prefix: string): string {
  const dir = path.join(root, 'notebooks-src');
  const file = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith('.ts'));
  if (!file) throw new Error(`no notebooks-src/${prefix}*.ts`);
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

/**
 * The top-level function declarations named `names` in notebook `prefix`, compiled to JavaScript
 * and evaluated with `scope` (e.g. `{ tf }`) as their free names. Throws when one is missing, so a
 * renamed function in the notebook fails the test instead of passing silently.
 */
export function notebookFunctions(prefix: string, names: readonly string[], scope: Record<string, unknown>): Record<string, (...args: never[]) => unknown> {
  const text = notebookSource(prefix);
  const file = ts.createSourceFile(`${prefix}.ts`, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found = new Map<string, string>();
  for (const st of file.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && names.includes(st.name.text)) found.set(st.name.text, st.getText(file));
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length > 0) throw new Error(`notebook ${prefix}: no top-level function ${missing.join(', ')}`);
  const js = ts.transpileModule([...found.values()].join('\n'), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const keys = Object.keys(scope);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function(...keys, `${js}\nreturn { ${names.join(', ')} };`) as (...v: unknown[]) => Record<string, (...args: never[]) => unknown>;
  return make(...keys.map((k) => scope[k]));
}
