/**
 * Starts Jupyter Notebook on notebooks/ with the project-local tslab kernel.
 *
 * Usage: node dist/scripts/start.js [--register-only] [extra jupyter options...]
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { checkJupyter, ensureKernel } from './kernel';
import { jupyterPython, repoRoot } from './paths';

function main(): void {
  const root = repoRoot();
  const args = process.argv.slice(2);
  checkJupyter();
  const env = ensureKernel(root);
  if (args.includes('--register-only')) {
    console.log(`tslab kernel registered in ${path.join(root, '.jupyter')} (JUPYTER_PATH is set by npm start)`);
    return;
  }
  const nbArgs = ['-m', 'notebook', `--notebook-dir=${path.join(root, 'notebooks')}`, ...args];
  // Jupyter refuses to start as root (containers, CI) unless told it may.
  if (process.getuid?.() === 0 && !args.includes('--allow-root')) nbArgs.push('--allow-root');
  console.log(`Starting Jupyter on notebooks/ (kernel: TypeScript/tslab). Stop it with Ctrl-C.`);
  const child = spawn(jupyterPython(), nbArgs, { env, stdio: 'inherit' });
  child.on('close', (code) => process.exit(code ?? 0));
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
