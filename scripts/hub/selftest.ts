/**
 * `npm run hub -- --selftest`: the class hub end to end on this machine, as root, on 127.0.0.1.
 *
 * Creates three system users (tsdl-student-1..3, with random passwords), starts JupyterHub with
 * PAM and the real LocalProcessSpawner, refuses a wrong password and an unknown user, logs each
 * student in, starts their servers through the hub's REST API (a service token with the admin
 * role), runs notebook 00 on smoke in all three at once through the Jupyter REST and kernel
 * websocket APIs (while another kernel of one student loops and one of another crashes), checks
 * each result landed in its own workspace only, restarts the hub and finds every workspace
 * intact (plus a newly published notebook), stops everything and checks with ps that no process
 * is left, then removes the users. Prints one line: students, notebooks executed, errors, seconds.
 *
 * Usage: `const r = await runSelftest({ root: repoRoot() });`
 */
import { ChildProcess, execFileSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { cellSource, expectStatus, HubClient, KernelChannel, Notebook, NbCell } from './jupyter-client';
import { checkHubPrerequisites, prepareClassData, courseKernelFolder, startHub } from './launch';
import { publishedNotebooks } from './workspace';

export interface SelftestOptions {
  root: string;
  students?: number;
  /** The notebook every student runs (default 00-getting-started.ipynb). */
  notebook?: string;
  /** Whole-run bound in seconds (default 420). */
  timeoutSeconds?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface ProcessMemory {
  /** Resident MB of each single-user server (python). */
  serverMB: number[];
  /** Resident MB of each course kernel after the notebook ran (node). */
  kernelMB: number[];
  /** Highest resident MB of any kernel seen while the notebooks ran. */
  kernelPeakMB: number;
}

export interface SelftestResult {
  students: number;
  notebooksExecuted: number;
  errors: string[];
  seconds: number;
  /** Disk used by each workspace (home, links not followed), MB, at first login and after the run. */
  diskFirstLoginMB: number[];
  diskMB: number[];
  memory: ProcessMemory;
}

const USER_PREFIX = 'tsdl-student-';
const MARKER = '.tsdl-hub-selftest';
const PROFILE = 'smoke';

function sh(cmd: string, args: string[], input?: string): string {
  return execFileSync(cmd, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(500);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`);
}

interface PsRow {
  pid: number;
  user: string;
  rssMB: number;
  args: string;
}

/** Processes of the given users (ps). */
function processesOf(users: string[]): PsRow[] {
  let out = '';
  try {
    out = sh('ps', ['-o', 'pid=,user:32=,rss=,args=', '-u', users.join(',')]);
  } catch {
    return []; // ps exits 1 when nothing matches
  }
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^\s*(\d+)\s+(\S+)\s+(\d+)\s+(.*)$/.exec(l);
      return m ? { pid: Number(m[1]), user: m[2], rssMB: Number(m[3]) / 1024, args: m[4] } : undefined;
    })
    .filter((r): r is PsRow => r !== undefined);
}

/** Processes whose command line names `needle` (the hub and its proxy name the state folder or config). */
function processesNaming(needle: string): PsRow[] {
  const out = sh('ps', ['-e', '-o', 'pid=,user:32=,rss=,args=']);
  return out
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\S+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[4].includes(needle) && Number(m[1]) !== process.pid)
    .map((m) => ({ pid: Number(m[1]), user: m[2], rssMB: Number(m[3]) / 1024, args: m[4] }));
}

/** A course kernel: tslab started with a connection file (`tslab kernel --config-path ...`, directly or through a wrapper script). */
function isKernel(p: PsRow): boolean {
  return / kernel --config-path \S+/.test(p.args);
}

function isServer(p: PsRow): boolean {
  return /jupyterhub-singleuser/.test(p.args);
}

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = fs.lstatSync(p);
    if (st.isFile()) out.set(name, createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
  }
  return out;
}

function duMB(dir: string): number {
  // du does not follow the links to the shared install.
  return Number(sh('du', ['-sk', dir]).split(/\s/)[0]) / 1024;
}

/** The cell the selftest runs after the notebook, in the notebook's kernel: who, where, and what it may touch. */
function probeCode(otherHome: string, root: string): string {
  return [
    "import * as selftestFs from 'fs';",
    "import * as selftestOs from 'os';",
    'const selftestTry = (f: () => unknown): string => { try { f(); return "ok"; } catch (e) { return String((e as { code?: string }).code ?? e); } };',
    'const selftestResult = {',
    '  user: selftestOs.userInfo().username,',
    '  cwd: process.cwd(),',
    '  profile: process.env.COURSE_PROFILE,',
    '  threads: process.env.DL_WASM_THREADS,',
    `  readOther: selftestTry(() => selftestFs.readdirSync(${JSON.stringify(path.join(otherHome, 'notebooks'))})),`,
    `  writeShared: selftestTry(() => selftestFs.writeFileSync(${JSON.stringify(path.join(root, 'dist', 'selftest-write-probe'))}, 'x')),`,
    '};',
    "selftestFs.writeFileSync('selftest-result.json', JSON.stringify(selftestResult));",
    'console.log(JSON.stringify(selftestResult));',
  ].join('\n');
}

interface Student {
  name: string;
  password: string;
  home: string;
}

/** Runs the selftest; always removes its users, processes and files. */
export async function runSelftest(options: SelftestOptions): Promise<SelftestResult> {
  const t0 = Date.now();
  const log = options.log ?? ((l: string) => process.stderr.write(`selftest: ${l}\n`));
  const root = options.root;
  const count = options.students ?? 3;
  const notebook = options.notebook ?? '00-getting-started.ipynb';
  const deadline = t0 + (options.timeoutSeconds ?? 420) * 1000;
  const errors: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) {
      errors.push(what);
      log(`FAILED: ${what}`);
    }
  };
  const since = (): string => `${Math.round((Date.now() - t0) / 1000)} s`;
  const left = (): number => Math.max(1000, deadline - Date.now());
  const result: SelftestResult = { students: count, notebooksExecuted: 0, errors, seconds: 0, diskFirstLoginMB: [], diskMB: [], memory: { serverMB: [], kernelMB: [], kernelPeakMB: 0 } };

  checkHubPrerequisites(root);
  courseKernelFolder(root);
  for (const line of await prepareClassData()) log(`data ${line}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-hub-selftest-'));
  fs.chmodSync(work, 0o755);
  const published = path.join(work, 'published');
  const state = path.join(work, 'state');
  fs.mkdirSync(published);
  fs.mkdirSync(path.join(published, 'solutions'));
  for (const name of publishedNotebooks(path.join(root, 'notebooks'))) fs.copyFileSync(path.join(root, 'notebooks', name), path.join(published, name));
  // Solutions beside the student notebooks (the course's own, else a stand-in): never copied.
  const solutions = path.join(root, 'notebooks', 'solutions');
  if (fs.existsSync(solutions)) for (const name of publishedNotebooks(solutions)) fs.copyFileSync(path.join(solutions, name), path.join(published, 'solutions', name));
  else fs.copyFileSync(path.join(published, notebook), path.join(published, 'solutions', notebook));
  fs.chmodSync(published, 0o755);

  const students: Student[] = [];
  const names = Array.from({ length: count }, (_, i) => `${USER_PREFIX}${i + 1}`);
  const token = randomBytes(32).toString('hex');
  const hubLog = fs.openSync(path.join(work, 'hub.log'), 'a');
  let hub: ChildProcess | undefined;
  const channels: KernelChannel[] = [];

  const stopHub = async (): Promise<void> => {
    const h = hub;
    hub = undefined;
    if (h?.pid === undefined || h.exitCode !== null) return;
    const exited = new Promise<void>((r) => h.once('exit', () => r()));
    process.kill(h.pid, 'SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!done) {
      check(false, 'the hub did not stop within 30 s of SIGTERM (killed)');
      try {
        process.kill(-h.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };

  try {
    // --- Users: real system accounts with homes closed to others.
    for (const name of names) {
      removeUser(name, log);
      sh('useradd', ['--create-home', '--shell', '/bin/sh', name]);
      // The home keeps useradd's mode (755 on Debian): the workspace closes ~/notebooks itself.
      const home = sh('getent', ['passwd', name]).split(':')[5];
      fs.writeFileSync(path.join(home, MARKER), 'created by npm run hub -- --selftest\n');
      const password = randomBytes(12).toString('hex');
      sh('chpasswd', [], `${name}:${password}\n`);
      students.push({ name, password, home });
    }

    // --- The class: PAM, the real spawner, smoke profile, on loopback only.
    const [port, hubPort, proxyApiPort] = [await freePort(), await freePort(), await freePort()];
    const classFile = path.join(work, 'class.json');
    fs.writeFileSync(
      classFile,
      JSON.stringify({
        name: 'selftest',
        ip: '127.0.0.1',
        port,
        hubPort,
        proxyApiPort,
        authenticator: 'pam',
        students: names,
        admins: [],
        profile: PROFILE,
        notebooks: published,
        stateDir: state,
        cullIdleKernelsMinutes: 10,
        stopIdleServersMinutes: 20,
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    const api = new HubClient(base, token);
    const start = async (): Promise<void> => {
      const h = startHub({ root, classFile, serviceToken: token, stdio: hubLog });
      hub = h;
      const exited = new Promise<never>((_, reject) => h.once('exit', (code) => reject(new Error(`jupyterhub exited (code ${code}) before answering`))));
      await Promise.race([waitFor('the hub answering', Math.min(60_000, left()), async () => ((await api.hub('GET', '/')).status === 200 ? true : undefined)), exited]);
    };
    const startServers = async (): Promise<void> => {
      await Promise.all(
        students.map(async (s) => {
          const r = await api.hub('POST', `/users/${s.name}/server`);
          expectStatus(r, [201, 202, 400], `start ${s.name}'s server`);
          await waitFor(`${s.name}'s server ready`, Math.min(90_000, left()), async () => {
            const u = (await api.hub<{ servers?: Record<string, { ready: boolean }> }>('GET', `/users/${s.name}`)).body;
            return u?.servers?.['']?.ready ? true : undefined;
          });
        }),
      );
    };
    log(`starting the hub on ${base} with ${count} students (${state})`);
    await start();
    log(`hub up (${since()})`);

    // --- Logins: wrong password, unknown user, then each student with their password (PAM).
    /** A form login: 302 to the user's server when the hub lets them in; the login page again when not. */
    const login = async (username: string, password: string): Promise<'in' | 'refused' | string> => {
      const res = await fetch(`${base}/hub/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      const page = await res.text();
      const cookie = (res.headers.get('set-cookie') ?? '').includes('jupyterhub-session-id') || (res.headers.get('set-cookie') ?? '').includes('jupyterhub-hub-login');
      if (res.status === 302 && cookie) return 'in';
      if (res.status === 200 && page.includes('Invalid username or password') && !cookie) return 'refused';
      return `HTTP ${res.status}`;
    };
    const [wrong, unknown, outsider] = await Promise.all([login(names[0], 'not-the-password'), login('tsdl-nobody', 'whatever'), login('root', 'whatever')]);
    check(wrong === 'refused', `a wrong password is refused (${wrong})`);
    check(unknown === 'refused', `an unknown user is refused (${unknown})`);
    check(outsider === 'refused', `a system user outside the class is refused (${outsider})`);
    const logins = await Promise.all(students.map((s) => login(s.name, s.password)));
    students.forEach((s, i) => check(logins[i] === 'in', `${s.name} logs in with their password (${logins[i]})`));
    log(`logins checked (${since()})`);

    // --- Servers, and the workspace each got.
    await startServers();
    log(`servers started (${since()})`);
    result.diskFirstLoginMB = students.map((s) => duMB(s.home));
    // Culling as the class file set it (10 and 20 minutes), on every student's server.
    for (const s of students) {
      const server = processesOf([s.name]).find(isServer);
      check(
        server !== undefined && server.args.includes('--MappingKernelManager.cull_idle_timeout=600') && server.args.includes('--NotebookApp.shutdown_no_activity_timeout=1200'),
        `${s.name}'s server culls idle kernels after 10 min and stops after 20 idle min (ps: ${server?.args ?? 'no server'})`,
      );
    }
    // What the admin page shows: every student with a running server.
    const listed = (await api.hub<{ name: string; servers?: Record<string, { ready: boolean; started: string }> }[]>('GET', '/users')).body ?? [];
    check(
      names.every((n) => listed.some((u) => u.name === n && u.servers?.['']?.ready === true && typeof u.servers['']?.started === 'string')),
      `the hub's user list (the admin page) shows the ${count} running servers`,
    );
    const pub = publishedNotebooks(published);
    for (const s of students) {
      const nb = path.join(s.home, 'notebooks');
      const mine = fs.readdirSync(nb).filter((n) => n.endsWith('.ipynb')).sort();
      check(JSON.stringify(mine) === JSON.stringify(pub), `${s.name}'s workspace holds the ${pub.length} published notebooks`);
      const differ = mine.filter((n) => !fs.readFileSync(path.join(nb, n)).equals(fs.readFileSync(path.join(published, n))));
      check(differ.length === 0, `${s.name}'s copies are the student track, not the solutions (differ: ${differ.join(', ')})`);
      check(!fs.existsSync(path.join(nb, 'solutions')), `${s.name}'s workspace has no solutions`);
      for (const link of ['dist', 'node_modules', 'data']) check(fs.lstatSync(path.join(s.home, link)).isSymbolicLink(), `~${s.name}/${link} is a link to the shared install`);
      check((fs.statSync(nb).mode & 0o777) === 0o700, `~${s.name}/notebooks is closed to other users (mode ${(fs.statSync(nb).mode & 0o777).toString(8)})`);
      check(fs.statSync(path.join(nb, notebook)).uid === Number(sh('id', ['-u', s.name]).trim()), `${s.name} owns the copies`);
    }

    // Tokens of the students themselves: one student's token must not open another's server.
    const own = new Map<string, HubClient>();
    for (const s of students) {
      const r = expectStatus(await api.hub<{ token: string }>('POST', `/users/${s.name}/tokens`, { note: 'selftest', expires_in: 600 }), [200, 201], `token for ${s.name}`);
      own.set(s.name, new HubClient(base, r.body.token));
    }
    const a = students[0];
    const b = students[1 % count];
    if (a !== b) {
      const cross = await own.get(a.name)!.server(b.name, 'GET', `/contents/${notebook}`);
      check(cross.status === 403 || cross.status === 302, `${a.name}'s token cannot read ${b.name}'s server (got ${cross.status})`);
      const mineOk = await own.get(a.name)!.server(a.name, 'GET', `/contents/${notebook}`);
      check(mineOk.status === 200, `${a.name}'s token reads their own server (got ${mineOk.status})`);
    }

    // --- Faults: a kernel that loops (student 1) and one that crashes (student 2), while all run.
    const faultKernels: { user: string; id: string }[] = [];
    const startKernel = async (user: string): Promise<{ id: string; ch: KernelChannel }> => {
      const k = expectStatus(await api.server<{ id: string }>(user, 'POST', '/kernels', { name: 'tslab' }), [201], `start a kernel for ${user}`);
      const ch = await KernelChannel.open(api, user, k.body.id);
      channels.push(ch);
      return { id: k.body.id, ch };
    };
    // Started beside the notebooks (not before them, to keep the test short); the loop runs on
    // until it is stopped after the notebooks finished.
    const faults = (async (): Promise<void> => {
      const looper = await startKernel(a.name);
      looper.ch.send('while (true) {}');
      faultKernels.push({ user: a.name, id: looper.id });
      if (a !== b) {
        const crasher = await startKernel(b.name);
        faultKernels.push({ user: b.name, id: crasher.id });
        const crash = await crasher.ch.execute("process.kill(process.pid, 'SIGKILL');", 60_000);
        check(/kernel died/.test(crash.error ?? ''), `${b.name}'s crashing kernel is reported dead and restarted (got ${crash.error ?? crash.status})`);
      }
    })().catch((e: unknown) => check(false, `the looping and crashing kernels could not be started: ${(e as Error).message}`));

    // --- Notebook 00 in every workspace at once.
    let peak = 0;
    const sampler = setInterval(() => {
      for (const p of processesOf(names)) if (isKernel(p)) peak = Math.max(peak, p.rssMB);
    }, 2000);
    const tRun = Date.now();
    const runs = await Promise.all(
      students.map(async (s, i) => {
        const other = students[(i + 1) % count];
        const got = expectStatus(await api.server<{ content: Notebook }>(s.name, 'GET', `/contents/${notebook}`), [200], `read ${s.name}'s ${notebook}`);
        const nb = got.body.content;
        const code = nb.cells.filter((c) => c.cell_type === 'code');
        check(code.length > 0 && code.every((c) => c.metadata.trusted === true), `${s.name}'s copy of ${notebook} is trusted (signed)`);
        const sess = expectStatus(
          await api.server<{ kernel: { id: string } }>(s.name, 'POST', '/sessions', { path: notebook, type: 'notebook', name: notebook, kernel: { name: 'tslab' } }),
          [201],
          `start ${s.name}'s notebook session`,
        );
        const ch = await KernelChannel.open(api, s.name, sess.body.kernel.id);
        channels.push(ch);
        let failed = 0;
        for (const [idx, cell] of nb.cells.entries()) {
          if (cell.cell_type !== 'code') continue;
          const r = await ch.execute(cellSource(cell), Math.min(180_000, left()));
          cell.outputs = r.outputs;
          cell.execution_count = r.executionCount;
          if (r.status !== 'ok') {
            failed++;
            check(false, `${s.name}: ${notebook} cell ${idx} failed: ${r.error}`);
            break;
          }
        }
        const probe = await ch.execute(probeCode(other.home, root), 60_000);
        const line = probe.outputs.find((o) => o.output_type === 'stream')?.text;
        let seen: Record<string, string> = {};
        try {
          seen = JSON.parse(String(line ?? '{}').trim()) as Record<string, string>;
        } catch {
          check(false, `${s.name}: the probe cell printed ${String(line)} (${probe.error ?? ''})`);
        }
        const marker: NbCell = { cell_type: 'markdown', id: 'selftest-marker', metadata: {}, source: `Run by the selftest as ${s.name}.` };
        nb.cells.push(marker);
        expectStatus(await api.server(s.name, 'PUT', `/contents/${notebook}`, { type: 'notebook', format: 'json', content: nb }), [200, 201], `save ${s.name}'s ${notebook}`);
        return { s, failed, seen, other };
      }),
    );
    await faults;
    clearInterval(sampler);
    const runSeconds = (Date.now() - tRun) / 1000;
    result.notebooksExecuted = runs.filter((r) => r.failed === 0).length;
    log(`${result.notebooksExecuted} of ${count} notebooks ${notebook} ran at once in ${runSeconds.toFixed(1)} s (${since()})`);

    // --- Each result in its own workspace only.
    const notesDir = (s: Student): string => path.join(s.home, 'notebooks');
    for (const { s, seen, other } of runs) {
      check(seen.user === s.name, `${s.name}'s kernel runs as ${s.name} (saw ${seen.user})`);
      check(seen.cwd === notesDir(s), `${s.name}'s kernel runs in ~/notebooks (saw ${seen.cwd})`);
      check(seen.profile === PROFILE && seen.threads === '1', `${s.name}'s kernel has COURSE_PROFILE=${PROFILE}, DL_WASM_THREADS=1 (saw ${seen.profile}, ${seen.threads})`);
      if (other !== s) check(seen.readOther === 'EACCES', `${s.name} cannot list ${other.name}'s notebooks (saw ${seen.readOther})`);
      check(seen.writeShared === 'EACCES', `${s.name} cannot write into the shared dist/ (saw ${seen.writeShared})`);
      const res = path.join(notesDir(s), 'selftest-result.json');
      check(fs.existsSync(res) && (JSON.parse(fs.readFileSync(res, 'utf8')) as { user: string }).user === s.name, `${s.name}'s result is in ~${s.name}/notebooks`);
      const saved = JSON.parse(fs.readFileSync(path.join(notesDir(s), notebook), 'utf8')) as Notebook;
      const markers = saved.cells.filter((c) => c.cell_type === 'markdown' && cellSource(c).startsWith('Run by the selftest as ')).map(cellSource);
      check(JSON.stringify(markers) === JSON.stringify([`Run by the selftest as ${s.name}.`]), `${s.name}'s ${notebook} holds ${s.name}'s run only (saw ${markers.join(' | ')})`);
      check(saved.cells.some((c) => (c.outputs ?? []).length > 0), `${s.name}'s ${notebook} was saved with its outputs`);
      const again = await api.server<{ content: Notebook }>(s.name, 'GET', `/contents/${notebook}`);
      check(again.body.content.cells.filter((c) => c.cell_type === 'code').every((c) => c.metadata.trusted === true), `${s.name}'s executed ${notebook} is still trusted`);
    }
    // Where a misdirected write could land: any home, the selftest's folder, the course checkout.
    const roots = [...new Set([...students.map((s) => path.dirname(s.home)), work, root])].filter((d) => fs.existsSync(d));
    const stray = findNamed(roots, 'selftest-result.json');
    const expected = students.map((s) => path.join(notesDir(s), 'selftest-result.json')).sort();
    check(JSON.stringify(stray) === JSON.stringify(expected), `results only in the students' workspaces (found ${stray.join(', ')})`);

    // --- Memory and disk per student.
    const procs = processesOf(names);
    result.memory = {
      serverMB: procs.filter(isServer).map((p) => p.rssMB),
      kernelMB: procs.filter(isKernel).map((p) => p.rssMB),
      kernelPeakMB: Math.max(peak, ...procs.filter(isKernel).map((p) => p.rssMB)),
    };
    result.diskMB = students.map((s) => duMB(s.home));

    // The faulty kernels: the looping one is still there (its neighbours finished anyway); stop both.
    for (const k of faultKernels) {
      const r = await api.server(k.user, 'DELETE', `/kernels/${k.id}`);
      check(r.status === 204, `the ${k.user === a.name ? 'looping' : 'crashed'} kernel of ${k.user} stops (got ${r.status})`);
    }
    for (const ch of channels.splice(0)) ch.close();
    const kernelsLeft = await waitFor('the faulty kernels gone', Math.min(20_000, left()), async () => {
      const k = processesOf(names).filter(isKernel);
      return k.length === count ? k : undefined;
    }).catch(() => processesOf(names).filter(isKernel));
    result.memory.kernelMB = kernelsLeft.map((p) => p.rssMB);
    check(kernelsLeft.length === count, `one kernel per student left after stopping the faulty ones (ps: ${kernelsLeft.map((p) => `${p.user} ${p.args}`).join('; ')})`);
    log(`faulty kernels stopped; per-student memory measured (${since()})`);

    // --- Restart the hub: workspaces intact, newly published notebooks added, edits kept.
    const before = new Map(students.map((s) => [s.name, hashTree(notesDir(s))]));
    await stopHub();
    await sleep(500);
    check(processesOf(names).length === 0, `the hub's stop ended every student process (left: ${processesOf(names).map((p) => p.args).join('; ')})`);
    const later = '99-published-later.ipynb';
    const fresh = JSON.parse(fs.readFileSync(path.join(published, notebook), 'utf8')) as Notebook;
    fresh.cells.unshift({ cell_type: 'markdown', id: 'published-later', metadata: {}, source: '# Published after the first login' });
    fs.writeFileSync(path.join(published, later), JSON.stringify(fresh));
    log(`hub stopped; starting it again (${since()})`);
    await start();
    await startServers();
    for (const s of students) {
      const now = hashTree(notesDir(s));
      const was = before.get(s.name)!;
      const changed = [...was].filter(([n, h]) => now.get(n) !== h).map(([n]) => n);
      check(changed.length === 0, `${s.name}'s workspace is intact after the restart (changed: ${changed.join(', ')})`);
      check(now.has(later), `${s.name} got the notebook published after the first login`);
      check(!fs.existsSync(path.join(notesDir(s), 'solutions')), `${s.name} still has no solutions`);
      const nb = await api.server<{ content: Notebook }>(s.name, 'GET', `/contents/${notebook}`);
      check(nb.status === 200 && nb.body.content.cells.some((c) => cellSource(c) === `Run by the selftest as ${s.name}.`), `${s.name}'s server serves their own edited ${notebook} after the restart`);
    }

    log(`restart checked (${since()})`);

    // --- Stop everything.
    await Promise.all(
      students.map(async (s) => {
        const r = await api.hub('DELETE', `/users/${s.name}/server`);
        check(r.status === 204 || r.status === 202, `stop ${s.name}'s server (got ${r.status})`);
        await waitFor(`${s.name}'s server stopped`, Math.min(30_000, left()), async () => {
          const u = (await api.hub<{ servers?: Record<string, unknown> }>('GET', `/users/${s.name}`)).body;
          return u?.servers?.[''] === undefined ? true : undefined;
        });
      }),
    );
    await stopHub();
    await sleep(500);
    const leftover = [...processesOf(names), ...processesNaming(state)];
    check(leftover.length === 0, `no process left after the stop (ps: ${leftover.map((p) => `${p.pid} ${p.user} ${p.args}`).join('; ')})`);
  } catch (e) {
    errors.push((e as Error).message);
    log(`FAILED: ${(e as Error).message}`);
  } finally {
    for (const ch of channels) ch.close();
    await stopHub().catch(() => undefined);
    for (const p of [...processesOf(names), ...processesNaming(state)]) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await sleep(300);
    for (const name of names) removeUser(name, log);
    fs.closeSync(hubLog);
    if (errors.length > 0) {
      const kept = path.join(root, 'build', 'hub-selftest.log');
      fs.mkdirSync(path.dirname(kept), { recursive: true });
      fs.copyFileSync(path.join(work, 'hub.log'), kept);
      log(`the hub's log is in ${kept}`);
    }
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(path.join(root, 'dist', 'selftest-write-probe'), { force: true });
  }

  result.seconds = (Date.now() - t0) / 1000;
  const mb = (xs: number[], digits = 0): string => (xs.length ? `${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)} MB` : 'n/a');
  log(
    `per student: disk ${mb(result.diskFirstLoginMB, 2)} at first login, ${mb(result.diskMB, 1)} after running ${notebook.slice(0, 2)} (links to the shared install not counted), ` +
      `single-user server ${mb(result.memory.serverMB)}, kernel after notebook ${notebook.slice(0, 2)} ${mb(result.memory.kernelMB)} (peak ${Math.round(result.memory.kernelPeakMB)} MB)`,
  );
  for (const e of errors) log(`error: ${e}`);
  console.log(`hub selftest: ${count} students, ${result.notebooksExecuted} notebooks executed, ${errors.length} errors, ${Math.round(result.seconds)} s`);
  return result;
}

/** Files named `name` under the folders (links not followed, node_modules skipped), sorted. */
function findNamed(dirs: string[], name: string): string[] {
  let out: string;
  try {
    out = sh('find', [...dirs, '-xdev', '-name', 'node_modules', '-prune', '-o', '-name', name, '-print']);
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? ''); // unreadable folders make find exit 1
  }
  return out.split('\n').filter(Boolean).sort();
}

/** Removes a selftest user and their home; refuses a user the selftest did not create. */
function removeUser(name: string, log: (l: string) => void): void {
  let home: string;
  try {
    home = sh('getent', ['passwd', name]).split(':')[5];
  } catch {
    return; // no such user
  }
  if (!name.startsWith(USER_PREFIX) || !fs.existsSync(path.join(home, MARKER))) {
    throw new Error(`User ${name} exists and was not made by the selftest (no ${MARKER} in ${home}): remove it yourself or run the selftest elsewhere.`);
  }
  try {
    sh('userdel', ['--remove', name]);
  } catch (e) {
    log(`could not remove user ${name}: ${(e as Error).message.split('\n')[0]}`);
  }
}
