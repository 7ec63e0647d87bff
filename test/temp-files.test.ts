// The shared clean-up of temporary files left by interrupted downloads and saves (lib/temp-files.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive, removeStaleTempFiles } from '../lib/temp-files';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'temp-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A pid that is certainly gone: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid as number;
}

function touch(dir: string, name: string, ageMs = 0): void {
  const f = path.join(dir, name);
  fs.writeFileSync(f, 'x');
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(f, t, t);
}

const pidOf = (e: string): number | undefined => Number(/^f\.tmp-(\d+)-/.exec(e)?.[1]) || undefined;

describe('processAlive', () => {
  it('is true for this process and false for one that has exited', async () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(await deadPid())).toBe(false);
  });
});

describe('removeStaleTempFiles', () => {
  it('removes only named files of gone writers; keeps live, own, foreign and folders', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'a-'));
    const dead = await deadPid();
    touch(dir, `f.tmp-${dead}-x`);
    touch(dir, `f.tmp-${process.ppid}-x`);
    touch(dir, `f.tmp-${process.pid}-x`);
    touch(dir, `g.tmp-${dead}-x`);
    fs.mkdirSync(path.join(dir, `f.tmp-${dead}-dir`));
    expect(removeStaleTempFiles(dir, { pidOf })).toBe(1);
    expect(fs.readdirSync(dir).sort()).toEqual([`f.tmp-${process.pid}-x`, `f.tmp-${process.ppid}-x`, `f.tmp-${dead}-dir`, `g.tmp-${dead}-x`].sort());
  });

  it('minAgeMs keeps young files; maxAgeMs removes old ones of live writers; includeOwn removes ours', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'b-'));
    const dead = await deadPid();
    touch(dir, `f.tmp-${dead}-young`, 1000);
    touch(dir, `f.tmp-${dead}-old`, 3600_000);
    touch(dir, `f.tmp-${process.ppid}-day`, 25 * 3600_000);
    touch(dir, `f.tmp-${process.ppid}-hour`, 3600_000);
    touch(dir, `f.tmp-${process.pid}-hour`, 3600_000);
    expect(removeStaleTempFiles(dir, { pidOf, minAgeMs: 600_000, maxAgeMs: 24 * 3600_000, includeOwn: true })).toBe(3);
    expect(fs.readdirSync(dir).sort()).toEqual([`f.tmp-${dead}-young`, `f.tmp-${process.ppid}-hour`].sort());
  });

  it('a missing folder removes nothing', () => {
    expect(removeStaleTempFiles(path.join(tmp, 'missing'), { pidOf })).toBe(0);
  });
});
