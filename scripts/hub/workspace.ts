/**
 * A student's workspace on the class hub: `~/notebooks/` holds the student's own copies of the
 * published notebooks; `~/dist`, `~/node_modules` and `~/data` are links to the shared, read-only
 * course install (so `../dist/lib/...` imports work from `~/notebooks/`).
 *
 * The rule (nbgitpuller's): a published notebook the student does not have is copied in; a file
 * the student has is never overwritten, edited or not. Solutions (`notebooks/solutions/`) are never
 * copied. `~/notebooks` is kept closed to other users (mode 700). New copies are signed (`jupyter trust`) so their plots render without "Not Trusted".
 *
 * Run as the student before their server starts (hub/singleuser.sh):
 *   node dist/scripts/hub/workspace.js [--home DIR] [--published DIR] [--root DIR] [--no-trust]
 *
 * Usage: `const r = syncWorkspace({ home: '/home/alice', published: 'notebooks', root: repoRoot() });`
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jupyterPython, repoRoot } from '../paths';

/** The shared folders linked into every home. */
export const SHARED_LINKS = ['dist', 'node_modules', 'data'] as const;

export interface WorkspaceOptions {
  /** The student's home (default: $HOME). */
  home: string;
  /** The folder the teacher publishes notebooks in (its top-level `*.ipynb`). */
  published: string;
  /** The course checkout whose dist/, node_modules/ and data/ are shared. */
  root: string;
  /** Sign the new copies with `jupyter trust` (default true). */
  trust?: boolean;
}

export interface WorkspaceReport {
  /** Notebooks copied in this time (file names). */
  copied: string[];
  /** Published notebooks the student already had, left as they are. */
  kept: string[];
  /** Links made or repaired (names under the home). */
  linked: string[];
  /** Shared names the student has as a file or folder of their own: left alone, imports may fail. */
  blocked: string[];
  /** True when ~/notebooks was open to others and was closed (mode 700). */
  closed: boolean;
}

/** The notebooks a teacher has published: top-level `*.ipynb` of `published`, sorted; never solutions. */
export function publishedNotebooks(published: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(published, { withFileTypes: true });
  } catch (e) {
    throw new Error(`workspace: cannot read the published notebooks folder ${published} (${(e as NodeJS.ErrnoException).code}): check "notebooks" in the class settings and that students can read it.`);
  }
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ipynb') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

function linkShared(home: string, root: string, report: WorkspaceReport): void {
  for (const name of SHARED_LINKS) {
    const target = path.join(root, name);
    const link = path.join(home, name);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(link);
    } catch {
      st = undefined;
    }
    if (st !== undefined && !st.isSymbolicLink()) {
      report.blocked.push(name);
      continue;
    }
    if (st !== undefined && fs.readlinkSync(link) === target) continue;
    if (st !== undefined) fs.unlinkSync(link); // a stale link of ours (the course moved)
    fs.symlinkSync(target, link);
    report.linked.push(name);
  }
}

/**
 * Brings a workspace up to date with the published notebooks without touching the student's files.
 * Copies are exclusive (`COPYFILE_EXCL`), so even a file that appears meanwhile is never overwritten.
 */
export function syncWorkspace(options: WorkspaceOptions): WorkspaceReport {
  const { home, published, root } = options;
  const report: WorkspaceReport = { copied: [], kept: [], linked: [], blocked: [], closed: false };
  const names = publishedNotebooks(published);
  const mine = path.join(home, 'notebooks');
  fs.mkdirSync(mine, { recursive: true, mode: 0o700 });
  // Only the student reads their work, whatever the home's mode (Debian makes homes 755).
  if ((fs.statSync(mine).mode & 0o077) !== 0) {
    fs.chmodSync(mine, 0o700);
    report.closed = true;
  }
  linkShared(home, root, report);
  for (const name of names) {
    const dest = path.join(mine, name);
    if (fs.existsSync(dest) || isLink(dest)) {
      report.kept.push(name);
      continue;
    }
    try {
      fs.copyFileSync(path.join(published, name), dest, fs.constants.COPYFILE_EXCL);
      report.copied.push(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') report.kept.push(name);
      else throw e;
    }
  }
  if (options.trust !== false && report.copied.length > 0) {
    // Signs in the student's own signature store (~/.local/share/jupyter), as the student.
    execFileSync(jupyterPython(), ['-m', 'nbformat.sign', ...report.copied.map((n) => path.join(mine, n))], { stdio: 'pipe', cwd: mine });
  }
  return report;
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** One line for the hub's log. */
export function describeReport(user: string, r: WorkspaceReport): string {
  const parts = [`${r.copied.length} new notebook(s) copied${r.copied.length ? ` (${r.copied.join(', ')})` : ''}`, `${r.kept.length} kept as they are`];
  if (r.linked.length) parts.push(`linked ${r.linked.join(', ')}`);
  if (r.closed) parts.push('~/notebooks closed to other users (mode 700)');
  if (r.blocked.length) parts.push(`WARNING: ~/${r.blocked.join(', ~/')} exist as the student's own files, so notebooks may not find the course library; rename them and restart the server`);
  return `workspace ${user}: ${parts.join('; ')}`;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(): void {
  const args = process.argv.slice(2);
  const root = arg(args, '--root') ?? process.env.TSDL_ROOT ?? repoRoot();
  const home = arg(args, '--home') ?? process.env.HOME ?? os.homedir();
  const published = arg(args, '--published') ?? process.env.TSDL_PUBLISHED ?? path.join(root, 'notebooks');
  const report = syncWorkspace({ home, published, root, trust: !args.includes('--no-trust') });
  console.error(describeReport(os.userInfo().username, report));
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`workspace: ${(e as Error).message}`);
    process.exit(1);
  }
}
