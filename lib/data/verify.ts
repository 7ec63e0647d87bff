/**
 * File integrity: size and sha256 against data/manifest.json. A file that passed is remembered
 * for the rest of the process by (path, size, mtime, inode), so loading twice hashes once
 * (hashing the 26 MB Fashion-MNIST training images takes about 20 ms here).
 *
 * Usage: `const r = await verifyFile(file, { size: 29491, sha256: '0ae2...' }); if (!r.ok) console.log(r.reason);`
 */
import * as crypto from 'crypto';
import * as fs from 'fs';

/** What a file must be: its exact size in bytes and lower-case hex sha256. */
export interface ExpectedFile {
  size: number;
  sha256: string;
}

/**
 * The outcome of a check: ok, or why not in words. `unreadable` (an errno code such as EACCES)
 * or `notAFile` say that the file could not be checked at all: not proof that it is damaged,
 * so callers must not delete it.
 */
export type VerifyResult = { ok: true } | { ok: false; reason: string; unreadable?: string; notAFile?: boolean };

/**
 * What to tell a user who cannot read a file (or finds a folder in its place): the problem and
 * the fix, naming the file. `what` names the file's role ("the IDX file", "the cached file").
 *
 * Usage: `catch (e) { throw new Error(fileAccessMessage(file, e, 'the IDX file')); }`
 */
export function fileAccessMessage(file: string, e: unknown, what = 'the file'): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return `Cannot read ${file} (${code}: permission denied). To fix: make it readable (chmod a+r ${file}, and a+x on its folders) or run as a user who may read it.`;
  }
  if (code === 'EISDIR') return `${file} is a folder, not a file: remove or rename it (${what} is expected there).`;
  return `Cannot read ${what} ${file} (${code ?? (e as Error).message}): check the path.`;
}

const verified = new Map<string, string>();

function statKey(st: fs.Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ino}`;
}

/**
 * The lower-case hex sha256 of a file, streamed (constant memory).
 *
 * Usage: `const hex = await sha256File('data/cache/mnist/t10k-labels-idx1-ubyte.gz');`
 */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Checks a file's size, then its sha256. Never throws for a bad file (a missing file is
 * `{ ok: false }` too); the caller decides whether to delete, re-download or report.
 *
 * Usage: `if (!(await verifyFile(path, entry)).ok) fs.rmSync(path);`
 */
export async function verifyFile(file: string, expected: ExpectedFile): Promise<VerifyResult> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && code !== 'ENOENT') return { ok: false, reason: `it cannot be read (${code})`, unreadable: code };
    return { ok: false, reason: `it cannot be read (${code ?? (e as Error).message})` };
  }
  if (!st.isFile()) return { ok: false, reason: 'it is a folder or another non-regular file, not a file', notAFile: true };
  if (st.size !== expected.size) {
    return { ok: false, reason: `it has ${st.size} bytes but should have ${expected.size}` };
  }
  const key = statKey(st);
  if (verified.get(file) === key) return { ok: true };
  let hex: string;
  try {
    hex = await sha256File(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: `it cannot be read (${code ?? (e as Error).message})`, unreadable: code ?? 'EIO' };
  }
  if (hex !== expected.sha256) {
    return { ok: false, reason: `its sha256 is ${hex} but should be ${expected.sha256}` };
  }
  verified.set(file, key);
  return { ok: true };
}

/**
 * Forgets every remembered verification (tests that rewrite files in place use it).
 *
 * Usage: `forgetVerified();`
 */
export function forgetVerified(): void {
  verified.clear();
}
