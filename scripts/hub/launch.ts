/**
 * Starting JupyterHub for a class: checks what the hub needs on this machine, registers the course
 * kernel (the same registration `npm start` uses), and runs Debian's `jupyterhub` with
 * hub/jupyterhub_config.py and the class settings file.
 *
 * Usage: `checkHubPrerequisites(root); const hub = startHub({ root, classFile });`
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FASHION_MNIST_FILES } from '../../lib/data/fashion-mnist';
import { locateDataset } from '../../lib/data/locate';
import { checkJupyter, ensureKernel } from '../kernel';
import { jupyterDataDir, jupyterPython } from '../paths';

/** Where Debian's configurable-http-proxy finds its modules when Node is not Debian's own. */
export const DEBIAN_NODE_PATH = ['/usr/share/nodejs', '/usr/lib/nodejs'];

/** What `python3 hub/jupyterhub_config.py` prints: the class as the hub will run it. */
export interface ClassSummary {
  classFile: string;
  name: string;
  url: string;
  authenticator: 'pam' | 'test';
  students: string[];
  admins: string[];
  profile: 'full' | 'smoke';
  notebooks: string;
  stateDir: string;
  cullIdleKernelsMinutes: number;
  stopIdleServersMinutes: number;
}

function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/local/bin'])) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/**
 * The first folder on the way to `p` (its real path) that other users cannot enter, or undefined
 * when every student can reach it.
 */
export function closedToOthers(p: string): string | undefined {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    return p;
  }
  // Every folder above needs o+x (enter); the thing itself o+r (and o+x for a folder).
  const above: string[] = [];
  for (let d = path.dirname(real); ; d = path.dirname(d)) {
    above.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of above) {
    if ((fs.statSync(d).mode & 0o001) === 0) return d;
  }
  const st = fs.statSync(real);
  const need = st.isDirectory() ? 0o005 : 0o004;
  return (st.mode & need) === need ? undefined : real;
}

/** Throws with the fix when the hub cannot run here: not root, JupyterHub missing, course unreadable. */
export function checkHubPrerequisites(root: string, published: string = path.join(root, 'notebooks')): void {
  if (process.getuid?.() !== 0) {
    throw new Error('The class hub starts each student\'s server as that student, which needs root: run it as root (sudo npm run hub).');
  }
  for (const cmd of ['jupyterhub', 'configurable-http-proxy', 'jupyterhub-singleuser']) {
    if (onPath(cmd) === undefined) throw new Error(`${cmd} is not installed: sudo apt-get install jupyterhub (Debian 12 ships JupyterHub 3.0 with configurable-http-proxy).`);
  }
  checkJupyter();
  if (!fs.existsSync(path.join(root, 'dist', 'scripts', 'hub', 'workspace.js'))) {
    throw new Error(`${root}/dist is not built: run npm run build first.`);
  }
  const shared = [root, path.join(root, 'dist', 'lib'), path.join(root, 'node_modules', '.bin'), path.join(root, 'node_modules', 'tslab'), path.join(root, 'data'), published, path.join(root, 'hub', 'singleuser.sh')];
  for (const p of shared) {
    const closed = closedToOthers(p);
    if (closed !== undefined) {
      throw new Error(
        `Students cannot read ${p}: ${closed} is closed to other users (mode ${(fs.statSync(closed).mode & 0o777).toString(8)}). ` +
          `Put the course where every user can read it (for example /opt/tsdl-course) or chmod o+rx ${closed}.`,
      );
    }
  }
}

/** Registers the course kernel (scripts/kernel.ts) and returns the folder Jupyter finds it in. */
export function courseKernelFolder(root: string): string {
  ensureKernel(root);
  return jupyterDataDir(root);
}

/**
 * Finds (or downloads, as root, into the shared data/cache) the data sets the notebooks read, so
 * that no student's kernel has to download into the shared install, which students cannot write.
 * Returns one line per data set: where it comes from.
 */
export async function prepareClassData(): Promise<string[]> {
  const sets: [Parameters<typeof locateDataset>[0], string[]][] = [
    ['fashion-mnist', Object.values(FASHION_MNIST_FILES)],
    ['california-housing', ['housing.csv']],
  ];
  const lines: string[] = [];
  for (const [id, names] of sets) lines.push(`${id}: ${(await locateDataset(id, names)).source}`);
  return lines;
}

/** The environment jupyterhub runs in (the config reads TSDL_*; the proxy needs NODE_PATH). */
export function hubEnv(root: string, classFile: string, serviceToken?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  env.TSDL_ROOT = root;
  env.TSDL_HUB_CLASS = classFile;
  env.TSDL_KERNEL_PATH = jupyterDataDir(root);
  env.TSDL_NODE = process.execPath;
  env.NODE_PATH = [...DEBIAN_NODE_PATH, env.NODE_PATH].filter(Boolean).join(path.delimiter);
  if (serviceToken !== undefined) env.TSDL_HUB_SERVICE_TOKEN = serviceToken;
  else delete env.TSDL_HUB_SERVICE_TOKEN;
  return env;
}

/** Checks the class settings file with the hub's own config (one validation) and returns the class. */
export function readClass(root: string, classFile: string): ClassSummary {
  try {
    const out = execFileSync(jupyterPython(), [path.join(root, 'hub', 'jupyterhub_config.py')], {
      env: hubEnv(root, classFile),
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    return JSON.parse(out) as ClassSummary;
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '');
    const line = stderr.split('\n').reverse().find((l) => l.includes('ClassSettingsError'));
    throw new Error(line ? line.replace(/^.*ClassSettingsError: /, 'Class settings: ') : `Cannot read the class settings ${classFile}: ${stderr || (e as Error).message}`);
  }
}

export interface StartHubOptions {
  root: string;
  classFile: string;
  serviceToken?: string;
  /** 'inherit' for `npm run hub`; a log file descriptor for the selftest. */
  stdio?: 'inherit' | number;
  /** Extra jupyterhub options. */
  args?: string[];
}

/** Starts jupyterhub in its own process group (so it and its proxy can be stopped together). */
export function startHub(options: StartHubOptions): ChildProcess {
  const { root, classFile } = options;
  const stdio = options.stdio ?? 'inherit';
  return spawn('jupyterhub', ['-f', path.join(root, 'hub', 'jupyterhub_config.py'), ...(options.args ?? [])], {
    env: hubEnv(root, classFile, options.serviceToken),
    cwd: root,
    stdio: ['ignore', stdio, stdio],
    detached: true,
  });
}
