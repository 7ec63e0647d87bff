// Issue 20, notebook runner: SIGTERM to the runner is passed on; the executor shuts the kernel
// down (its process group killed after a grace period), the runner exits 143 within seconds,
// no process is left, and the notebooks after it do not run.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasJupyter, makeNotebook, root } from './helpers/notebooks';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-runner-signals-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasJupyter)('SIGTERM to the runner', () => {
  it('ends the executor and the kernel within seconds and exits 143', async () => {
    const dir = path.join(tmp, 'sigterm');
    fs.mkdirSync(dir);
    const marker = path.join(dir, 'kernel.pid');
    makeNotebook(dir, '01-long', `// %%\nrequire("fs").writeFileSync(${JSON.stringify(marker)}, String(process.pid));\nawait new Promise((r) => setTimeout(r, 120_000));\n`);
    makeNotebook(dir, '02-next', '// %%\nconsole.log("must not run");\n');
    // The runner as a command: bundled with esbuild (packages from the repository).
    const bundle = path.join(dir, 'runner.js');
    const b = spawnSync(
      path.join(root, 'node_modules', '.bin', 'esbuild'),
      [path.join(root, 'scripts', 'run-notebooks.ts'), '--bundle', '--platform=node', '--format=cjs', '--packages=external', `--outfile=${bundle}`, '--log-level=error', `--banner:js=var __dirname = ${JSON.stringify(path.join(root, 'scripts'))};`],
      { cwd: root, encoding: 'utf8' },
    );
    expect(b.stderr).toBe('');
    const runner = spawn(process.execPath, [bundle, '--notebooks', dir, '--out', path.join(dir, 'build'), '--cell-timeout', '300', '--continue'], {
      cwd: root,
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    runner.stdout.on('data', (d: Buffer) => (output += d.toString()));
    runner.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => runner.on('close', (code) => resolve(code)));
    for (let i = 0; i < 600 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    expect(fs.existsSync(marker)).toBe(true);
    const kernel = Number(fs.readFileSync(marker, 'utf8'));
    expect(alive(kernel)).toBe(true);
    const stoppedAt = Date.now();
    runner.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(143);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(kernel)).toBe(false);
    const left = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(dir) && !l.includes('ps -eo'));
    expect(left).toEqual([]);
    expect(output).toMatch(/FAIL {2}01-long\.ipynb .* Terminated: stopped by SIGTERM during cell 1 \(code cell 1\); the kernel was shut down/);
    expect(output).toMatch(/Stopped by SIGTERM: the kernel was shut down; 1 notebook\(s\) not run\./);
    expect(output).not.toMatch(/02-next/);
  }, 120_000);
});
