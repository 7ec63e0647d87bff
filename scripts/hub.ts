/**
 * `npm run hub`: the course on JupyterHub for a class on this machine (as root).
 *
 *   npm run hub                          start the hub for hub/class.json (Ctrl-C stops it and every student's server)
 *   npm run hub -- --class FILE          another class settings file
 *   npm run hub -- --check               check the settings and the machine, print the class, start nothing
 *   npm run hub -- --selftest            three temporary students run notebook 00 at once, then everything is removed
 *
 * Usage: node dist/scripts/hub.js [--class FILE] [--check | --selftest]
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { checkHubPrerequisites, prepareClassData, readClass, courseKernelFolder, startHub } from './hub/launch';
import { runSelftest } from './hub/selftest';
import { repoRoot } from './paths';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const root = repoRoot();
  if (args.includes('--selftest')) {
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'function') {
      // Node 20 has a WebSocket client behind a flag (Node 22 has it on): run again with it.
      const r = spawnSync(process.execPath, ['--experimental-websocket', '--disable-warning=ExperimentalWarning', __filename, ...args], { stdio: 'inherit' });
      return r.status ?? 1;
    }
    const timeoutArg = args.indexOf('--timeout');
    const result = await runSelftest({ root, timeoutSeconds: timeoutArg >= 0 ? Number(args[timeoutArg + 1]) : undefined });
    return result.errors.length === 0 ? 0 : 1;
  }
  const classArg = args.indexOf('--class');
  const classFile = path.resolve(classArg >= 0 ? args[classArg + 1] : path.join(root, 'hub', 'class.json'));
  const cls = readClass(root, classFile);
  checkHubPrerequisites(root, cls.notebooks);
  courseKernelFolder(root);
  for (const line of await prepareClassData()) console.log(`Data ${line}`);
  console.log(
    `Class hub "${cls.name}": ${cls.students.length} student(s), admin(s) ${cls.admins.join(', ') || 'none'}, ` +
      `profile ${cls.profile}, ${cls.authenticator === 'pam' ? 'system passwords (PAM)' : 'shared test password (127.0.0.1 only)'}.`,
  );
  console.log(
    `Idle kernels stop after ${cls.cullIdleKernelsMinutes || 'never'} min, idle servers after ${cls.stopIdleServersMinutes || 'never'} min. ` +
      `Notebooks published from ${cls.notebooks}; hub state in ${cls.stateDir}.`,
  );
  const missing = [...cls.students, ...cls.admins].filter((u) => spawnSync('id', ['-u', u]).status !== 0);
  if (missing.length > 0) {
    console.warn(`Not system users yet (they cannot log in until created, e.g. sudo adduser NAME): ${missing.join(', ')}`);
  }
  if (args.includes('--check')) return 0;
  console.log(`Open ${cls.url} (admins: ${cls.url}hub/admin shows who runs what). Stop with Ctrl-C.`);
  const hub = startHub({ root, classFile });
  const forward = (sig: NodeJS.Signals): void => {
    if (hub.pid !== undefined) process.kill(hub.pid, sig);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  return new Promise((resolve) => hub.on('close', (code) => resolve(code ?? 0)));
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error((e as Error).message);
    process.exit(2);
  },
);
