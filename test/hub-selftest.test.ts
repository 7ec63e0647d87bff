/**
 * End to end: `npm run hub -- --selftest` (scripts/hub/selftest.ts) starts JupyterHub on
 * 127.0.0.1 with three real system users, runs notebook 00 on smoke in their three servers at
 * once, restarts the hub, stops everything and removes the users. It needs root (to create users
 * and spawn their servers) and Debian's jupyterhub: skipped, with a message, without them
 * (CI runs as root and installs jupyterhub). Takes 2-3 minutes on 2 cores.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { expect, it } from 'vitest';
import { closedToOthers } from '../scripts/hub/launch';
import { repoRoot } from '../scripts/paths';

const root = repoRoot();
const hasJupyterhub = spawnSync('sh', ['-c', 'command -v jupyterhub && command -v configurable-http-proxy'], { encoding: 'utf8' }).status === 0;
// Students' servers run as their own users, so they must be able to read the checkout.
const closed = closedToOthers(root);
const skipReason =
  process.getuid?.() !== 0
    ? 'not root (the selftest creates system users tsdl-student-1..3 and spawns their servers)'
    : !hasJupyterhub
      ? 'jupyterhub is not installed (sudo apt-get install jupyterhub)'
      : closed !== undefined
        ? `the checkout is closed to other users at ${closed} (students could not read the course): clone it where every user can read it, e.g. /opt or /tmp`
        : '';
if (skipReason) console.warn(`hub-selftest.test.ts skipped: ${skipReason}`);

it.skipIf(skipReason !== '')(
  'three students run notebook 00 at once on the class hub; restart keeps workspaces; nothing is left',
  () => {
    const launcher = path.join(root, 'dist', 'scripts', 'hub.js');
    expect(fs.existsSync(launcher), `${launcher} is missing: run npm run build`).toBe(true);
    const r = spawnSync(process.execPath, [launcher, '--selftest', '--timeout', '480'], { encoding: 'utf8', timeout: 540_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0) console.error(r.stderr);
    const m = /^hub selftest: (\d+) students, (\d+) notebooks executed, (\d+) errors, (\d+) s$/.exec(line);
    expect(m, `unexpected output: ${r.stdout}\n${r.stderr}`).not.toBeNull();
    expect(Number(m![1])).toBe(3);
    expect(Number(m![2])).toBe(3);
    expect(Number(m![3]), r.stderr).toBe(0);
    expect(r.status).toBe(0);
    // The per-student figures the README quotes come from this line.
    expect(r.stderr).toMatch(/per student: disk .* single-user server \d+-\d+ MB, kernel after notebook 00 \d+-\d+ MB/);
    // Nothing of the selftest is left: no users, no processes.
    for (const n of [1, 2, 3]) expect(spawnSync('id', [`tsdl-student-${n}`]).status).not.toBe(0);
    const ps = spawnSync('ps', ['-e', '-o', 'args='], { encoding: 'utf8' }).stdout.split('\n');
    expect(ps.filter((a) => a.includes('tsdl-hub-selftest-') || a.includes('/home/tsdl-student-'))).toEqual([]);
  },
  600_000,
);
