/**
 * The class hub's pieces that need no root: the workspace rule (copy new notebooks, never
 * overwrite, never solutions, shared links, signed copies), the class settings check, and the
 * "can students read the course" check. The whole hub runs in test/hub-selftest.test.ts.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedToOthers, readClass } from '../scripts/hub/launch';
import { describeReport, publishedNotebooks, syncWorkspace } from '../scripts/hub/workspace';
import { jupyterPython, repoRoot } from '../scripts/paths';

const root = repoRoot();
let tmp: string;

function notebook(title: string): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', id: 'a', metadata: {}, source: `# ${title}` },
      { cell_type: 'code', id: 'b', metadata: {}, source: 'console.log(1)', outputs: [], execution_count: null },
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-ws-'));
  fs.mkdirSync(path.join(tmp, 'published', 'solutions'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'home'));
  fs.mkdirSync(path.join(tmp, 'course', 'dist'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'course', 'node_modules'));
  fs.mkdirSync(path.join(tmp, 'course', 'data'));
  fs.writeFileSync(path.join(tmp, 'published', '00-a.ipynb'), notebook('A'));
  fs.writeFileSync(path.join(tmp, 'published', '01-b.ipynb'), notebook('B'));
  fs.writeFileSync(path.join(tmp, 'published', 'notes.txt'), 'not a notebook');
  fs.writeFileSync(path.join(tmp, 'published', 'solutions', '00-a.ipynb'), notebook('A with the answers'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const opts = (): { home: string; published: string; root: string; trust: boolean } => ({
  home: path.join(tmp, 'home'),
  published: path.join(tmp, 'published'),
  root: path.join(tmp, 'course'),
  trust: false,
});

describe('workspace rule', () => {
  it('first login copies the published notebooks (never solutions) and links the shared install', () => {
    expect(publishedNotebooks(path.join(tmp, 'published'))).toEqual(['00-a.ipynb', '01-b.ipynb']);
    const r = syncWorkspace(opts());
    expect(r.copied).toEqual(['00-a.ipynb', '01-b.ipynb']);
    expect(r.kept).toEqual([]);
    expect(r.linked).toEqual(['dist', 'node_modules', 'data']);
    expect(fs.readdirSync(path.join(tmp, 'home', 'notebooks')).sort()).toEqual(['00-a.ipynb', '01-b.ipynb']);
    expect(fs.statSync(path.join(tmp, 'home', 'notebooks')).mode & 0o777).toBe(0o700);
    expect(fs.readlinkSync(path.join(tmp, 'home', 'dist'))).toBe(path.join(tmp, 'course', 'dist'));
    expect(fs.readFileSync(path.join(tmp, 'home', 'notebooks', '00-a.ipynb'), 'utf8')).toContain('# A"');
  });

  it('later logins keep the student\'s files, add new notebooks and bring back a deleted one', () => {
    syncWorkspace(opts());
    const mine = path.join(tmp, 'home', 'notebooks', '00-a.ipynb');
    fs.writeFileSync(mine, 'my edits');
    fs.rmSync(path.join(tmp, 'home', 'notebooks', '01-b.ipynb'));
    fs.writeFileSync(path.join(tmp, 'published', '00-a.ipynb'), notebook('A, revised by the teacher'));
    fs.writeFileSync(path.join(tmp, 'published', '02-c.ipynb'), notebook('C'));
    const r = syncWorkspace(opts());
    expect(r.copied).toEqual(['01-b.ipynb', '02-c.ipynb']);
    expect(r.kept).toEqual(['00-a.ipynb']);
    expect(r.linked).toEqual([]);
    expect(r.closed).toBe(false);
    expect(fs.readFileSync(mine, 'utf8')).toBe('my edits');
    expect(describeReport('alice', r)).toBe('workspace alice: 2 new notebook(s) copied (01-b.ipynb, 02-c.ipynb); 1 kept as they are');
  });

  it('a ~/notebooks opened to others is closed again (mode 700) and reported', () => {
    fs.mkdirSync(path.join(tmp, 'home', 'notebooks'), { mode: 0o755 });
    fs.chmodSync(path.join(tmp, 'home', 'notebooks'), 0o755);
    const r = syncWorkspace(opts());
    expect(r.closed).toBe(true);
    expect(fs.statSync(path.join(tmp, 'home', 'notebooks')).mode & 0o777).toBe(0o700);
    expect(describeReport('carol', r)).toContain('~/notebooks closed to other users (mode 700)');
  });

  it('a student\'s own folder named dist is left alone and reported; a stale link is repaired', () => {
    fs.mkdirSync(path.join(tmp, 'home', 'dist'));
    fs.symlinkSync('/nowhere', path.join(tmp, 'home', 'data'));
    const r = syncWorkspace(opts());
    expect(r.blocked).toEqual(['dist']);
    expect(r.linked).toEqual(['node_modules', 'data']);
    expect(fs.readlinkSync(path.join(tmp, 'home', 'data'))).toBe(path.join(tmp, 'course', 'data'));
    expect(describeReport('bob', r)).toContain('WARNING: ~/dist exist as the student\'s own files');
  });

  it('an unreadable published folder is an error that names it and the setting', () => {
    expect(() => syncWorkspace({ ...opts(), published: path.join(tmp, 'missing') })).toThrow(/published notebooks folder .*missing \(ENOENT\).*"notebooks" in the class settings/);
  });

  it('new copies are signed in the student\'s signature store (jupyter trust), so they open trusted', () => {
    const dataDir = path.join(tmp, 'jupyter-data');
    const saved = process.env.JUPYTER_DATA_DIR;
    process.env.JUPYTER_DATA_DIR = dataDir;
    try {
      syncWorkspace({ ...opts(), trust: true });
    } finally {
      if (saved === undefined) delete process.env.JUPYTER_DATA_DIR;
      else process.env.JUPYTER_DATA_DIR = saved;
    }
    const check = (file: string): string =>
      execFileSync(
        jupyterPython(),
        ['-c', 'import sys, nbformat; from nbformat.sign import NotebookNotary as N; print(N(data_dir=sys.argv[1]).check_signature(nbformat.read(sys.argv[2], 4)))', dataDir, file],
        { encoding: 'utf8' },
      ).trim();
    expect(check(path.join(tmp, 'home', 'notebooks', '00-a.ipynb'))).toBe('True');
    expect(check(path.join(tmp, 'published', '01-b.ipynb'))).toBe('True'); // same content, same signature
    fs.writeFileSync(path.join(tmp, 'other.ipynb'), notebook('never signed'));
    expect(check(path.join(tmp, 'other.ipynb'))).toBe('False');
  });
});

describe('class settings (hub/jupyterhub_config.py checks them)', () => {
  const write = (settings: Record<string, unknown>): string => {
    const f = path.join(tmp, 'class.json');
    fs.writeFileSync(f, JSON.stringify(settings));
    return f;
  };

  it('the repository\'s hub/class.json is valid and resolves paths in the checkout', () => {
    const c = readClass(root, path.join(root, 'hub', 'class.json'));
    expect(c.authenticator).toBe('pam');
    expect(c.students.length).toBeGreaterThan(0);
    expect(c.notebooks).toBe(path.join(root, 'notebooks'));
    expect(c.url).toMatch(/^http:\/\/.+:\d+\/$/);
  });

  it('the test authenticator is refused unless the hub listens on 127.0.0.1 only', () => {
    const base = { students: ['a'], authenticator: 'test', testPassword: 'pw', stateDir: path.join(tmp, 's') };
    expect(() => readClass(root, write({ ...base, ip: '0.0.0.0' }))).toThrow(/"authenticator": "test" is refused unless "ip" is "127.0.0.1"/);
    expect(readClass(root, write({ ...base, ip: '127.0.0.1' })).authenticator).toBe('test');
    expect(() => readClass(root, write({ ...base, ip: '127.0.0.1', testPassword: '' }))).toThrow(/needs a "testPassword"/);
  });

  it('typos and missing students are named', () => {
    expect(() => readClass(root, write({ students: ['a'], profil: 'smoke' }))).toThrow(/unknown setting\(s\) profil/);
    expect(() => readClass(root, write({ students: [] }))).toThrow(/"students" is empty/);
    expect(() => readClass(root, write({ students: ['a'], profile: 'tiny' }))).toThrow(/"profile" must be "full" or "smoke"/);
    expect(() => readClass(root, path.join(tmp, 'nope.json'))).toThrow(/no class settings file/);
  });
});

describe('can students read the course', () => {
  it('names the first folder closed to other users', () => {
    const closed = path.join(tmp, 'closed');
    fs.mkdirSync(path.join(closed, 'inner'), { recursive: true });
    fs.chmodSync(tmp, 0o755);
    fs.chmodSync(closed, 0o700);
    expect(closedToOthers(path.join(closed, 'inner'))).toBe(closed);
    fs.chmodSync(closed, 0o711); // enter without listing is enough on the way
    expect(closedToOthers(path.join(closed, 'inner'))).toBeUndefined();
    fs.chmodSync(path.join(closed, 'inner'), 0o711); // the shared folder itself must be readable
    expect(closedToOthers(path.join(closed, 'inner'))).toBe(path.join(closed, 'inner'));
  });
});

it('checking the class settings writes no hub state', () => {
  const r = spawnSync(jupyterPython(), [path.join(root, 'hub', 'jupyterhub_config.py')], {
    env: { ...process.env, TSDL_HUB_CLASS: path.join(root, 'hub', 'class.json') },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  expect(fs.existsSync(path.join(root, 'build', 'hub', 'jupyterhub.sqlite'))).toBe(false);
});
