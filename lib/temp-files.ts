/**
 * Temporary files left by interrupted writes (a killed notebook kernel mid-download or mid-save):
 * whether their writer still runs, and removing the ones that are provably abandoned. Shared by
 * lib/data/download.ts (`<name>.<pid>-....part`) and lib/train/saving.ts
 * (`model.json.tmp-<pid>-...`); it imports nothing from lib, so any folder may import it.
 *
 * Usage: `removeStaleTempFiles(dir, { pidOf: (e) => Number(/\.tmp-(\d+)-/.exec(e)?.[1]) || undefined, minAgeMs: 600_000 });`
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * True when a process with this id runs (or exists but is not ours to signal).
 *
 * Usage: `if (!processAlive(pid)) fs.rmSync(leftover);`
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which entries of a folder are temporary files, and when one counts as abandoned. */
export interface StaleTempRule {
  /** The id of the process that wrote `entry`, or undefined when `entry` is not one of these temporary files. */
  pidOf: (entry: string) => number | undefined;
  /** A file younger than this (ms) may belong to a write in progress and is kept (default 0). */
  minAgeMs?: number;
  /** A file this old (ms) is removed even when its writer still runs (default: never). */
  maxAgeMs?: number;
  /** Whether this process's own files may be removed (default false: their writer removes them). */
  includeOwn?: boolean;
}

/**
 * Removes the temporary files in `dir` that `rule` names and that are abandoned: plain files,
 * at least `minAgeMs` old, whose writer is gone (or that are `maxAgeMs` old, or this process's
 * own when `includeOwn`). A missing folder, a file removed meanwhile or one we may not remove
 * is skipped. Returns how many were removed.
 *
 * Usage: `removeStaleTempFiles('data/cache', { pidOf: (e) => (e.endsWith('.part') ? Number(e.split('.')[2]) : undefined) });`
 */
export function removeStaleTempFiles(dir: string, rule: StaleTempRule): number {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  const { minAgeMs = 0, maxAgeMs = Infinity, includeOwn = false } = rule;
  const now = Date.now();
  let removed = 0;
  for (const entry of entries) {
    const pid = rule.pidOf(entry);
    if (pid === undefined || !Number.isInteger(pid) || pid <= 0) continue;
    if (pid === process.pid && !includeOwn) continue;
    const file = path.join(dir, entry);
    try {
      const st = fs.lstatSync(file);
      const age = now - st.mtimeMs;
      if (!st.isFile() || age < minAgeMs) continue;
      if (pid !== process.pid && age < maxAgeMs && processAlive(pid)) continue;
      fs.rmSync(file, { force: true });
      removed++;
    } catch {
      // Removed by another process meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
