/**
 * A real photograph available offline: "ascent", the 512x512 grey photograph SciPy ships as
 * `scipy/misc/ascent.dat` (Debian package `python3-scipy`; public domain, from
 * public-domain-image.com). The file is a Python pickle (protocol 2) of a list of 512 lists of
 * 512 integers 0-255; this reader accepts exactly that subset of the pickle format and refuses
 * anything else with a clear error.
 *
 * Usage: `const photo = findAscentPhoto(); if (photo) showImageGrid(gridsToBatch([photo]), { normalize: 'unit' });`
 */
import * as fs from 'fs';
import { Grid } from './grid';

/** Where Debian's python3-scipy (and pip's scipy under /usr/lib/python3) put ascent.dat. */
export const ASCENT_PATHS: readonly string[] = [
  '/usr/lib/python3/dist-packages/scipy/misc/ascent.dat',
  '/usr/lib/python3/dist-packages/scipy/datasets/ascent.dat',
];

/**
 * Decodes SciPy's ascent.dat pickle (a list of equal-length lists of small integers) into a
 * grid with values in [0, 1]. Throws an Error naming the file and the byte offset on anything
 * outside that subset.
 *
 * Usage: `const g = decodeAscentPickle(fs.readFileSync(path), path)`
 */
export function decodeAscentPickle(bytes: Uint8Array, where = 'ascent.dat'): Grid {
  const rows: number[][] = [];
  let depth = 0; // 1 inside the outer list, 2 inside a row
  let current: number[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${where}: not SciPy's ascent pickle (${why} at byte ${i}); reinstall python3-scipy or use syntheticScene() instead.`);
  };
  if (bytes[0] !== 0x80) fail('no pickle protocol header');
  i = 2;
  while (i < bytes.length) {
    const op = bytes[i++];
    switch (op) {
      case 0x5d: // EMPTY_LIST
        depth += 1;
        if (depth > 2) fail('lists nested more than twice');
        if (depth === 2) current = [];
        break;
      case 0x71: i += 1; break; // BINPUT (memo index, 1 byte)
      case 0x72: i += 4; break; // LONG_BINPUT
      case 0x28: break; // MARK
      case 0x4b: current.push(bytes[i++]); break; // BININT1
      case 0x4d: current.push(bytes[i] | (bytes[i + 1] << 8)); i += 2; break; // BININT2
      case 0x65: // APPENDS: closes a row (depth 2) or the outer list (depth 1)
        if (depth === 2) {
          rows.push(current);
          depth = 1;
        } else if (depth === 1) {
          depth = 0;
        } else fail('APPENDS outside a list');
        break;
      case 0x2e: // STOP
        i = bytes.length;
        break;
      default:
        fail(`unexpected opcode 0x${op.toString(16)}`);
    }
  }
  if (rows.length === 0) fail('no rows');
  const width = rows[0].length;
  if (rows.some((r) => r.length !== width)) fail('rows of different lengths');
  const data = new Float64Array(rows.length * width);
  rows.forEach((r, y) => r.forEach((v, x) => { data[y * width + x] = v / 255; }));
  return { height: rows.length, width, data };
}

/**
 * SciPy's "ascent" photograph (512x512, values in [0, 1]) when python3-scipy is installed, else
 * undefined. Usage: `const photo = findAscentPhoto() ?? syntheticScene({ size: 512 });`
 */
export function findAscentPhoto(paths: readonly string[] = ASCENT_PATHS): Grid | undefined {
  const path = paths.find((p) => fs.existsSync(p));
  return path === undefined ? undefined : decodeAscentPickle(fs.readFileSync(path), path);
}
