/**
 * Starts Jupyter Notebook on notebooks/ with the course kernel ("TypeScript (course)"), and says
 * which profile the notebooks will use and how to switch.
 *
 * Usage: node dist/scripts/start.js [--register-only] [extra jupyter options...]
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { profileName } from '../lib/profile';
import { checkJupyter, COURSE_KERNEL_DISPLAY_NAME, COURSE_KERNEL_NAME, ensureKernel } from './kernel';
import { jupyterPython, repoRoot } from './paths';

/**
 * What npm start prints about the active profile: its name and the one-line ways to switch.
 * Usage: `console.log(profileBanner('full'))`
 */
export function profileBanner(profile: 'full' | 'smoke'): string {
  const other = profile === 'full' ? 'smoke' : 'full';
  const what = profile === 'full' ? "the lectures' data sizes and epochs, minutes per training" : 'tiny sizes and one or two epochs, seconds per notebook';
  return [
    `Profile: ${profile} (${what}).`,
    `  Switch: COURSE_PROFILE=${other} npm start   or, in a notebook's first cell: useProfile('${other}')  (import { useProfile } from '../dist/lib/profile')`,
  ].join('\n');
}

/**
 * Options and environment for the notebook server on `notebookDir` (default notebooks/): the
 * course kernel as the default for new notebooks, and Python's debugger warning (frozen modules) silenced.
 * Usage: `const { args, env } = notebookServerCommand(root, ['--port=8888'], ensureKernel(root))`
 */
export function notebookServerCommand(root: string, extra: readonly string[], env: NodeJS.ProcessEnv, notebookDir = path.join(root, 'notebooks')): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['-Xfrozen_modules=off', '-m', 'notebook', `--notebook-dir=${notebookDir}`, `--MultiKernelManager.default_kernel_name=${COURSE_KERNEL_NAME}`, ...extra];
  // Jupyter refuses to start as root (containers, CI) unless told it may.
  if (process.getuid?.() === 0 && !extra.includes('--allow-root')) args.push('--allow-root');
  return { args, env: { ...env, PYDEVD_DISABLE_FILE_VALIDATION: '1' } };
}

function main(): void {
  const root = repoRoot();
  const args = process.argv.slice(2);
  checkJupyter();
  const env = ensureKernel(root);
  if (args.includes('--register-only')) {
    console.log(`Kernel "${COURSE_KERNEL_DISPLAY_NAME}" registered in ${path.join(root, '.jupyter')} (JUPYTER_PATH is set by npm start)`);
    return;
  }
  const server = notebookServerCommand(root, args, env);
  console.log(`Starting Jupyter on notebooks/ (kernel: ${COURSE_KERNEL_DISPLAY_NAME}). Stop it with Ctrl-C.`);
  console.log(profileBanner(profileName()));
  const child = spawn(jupyterPython(), server.args, { env: server.env, stdio: 'inherit' });
  child.on('close', (code) => process.exit(code ?? 0));
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
