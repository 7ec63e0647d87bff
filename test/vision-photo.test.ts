import * as fs from 'fs';
import { describe, expect, it } from 'vitest';
import { ASCENT_PATHS, decodeAscentPickle, findAscentPhoto } from '../lib/vision';

describe('SciPy ascent photograph', () => {
  it('decodes the pickle subset: a list of rows of small integers', () => {
    const bytes = Uint8Array.from([0x80, 2, 0x5d, 0x71, 1, 0x28,
      0x5d, 0x71, 2, 0x28, 0x4b, 0, 0x4b, 255, 0x4d, 0x33, 0x00, 0x65,
      0x5d, 0x71, 3, 0x28, 0x4b, 10, 0x4b, 20, 0x4b, 51, 0x65,
      0x65, 0x2e]);
    const g = decodeAscentPickle(bytes);
    expect([g.height, g.width]).toEqual([2, 3]);
    expect(Array.from(g.data, (v) => Math.round(v * 255))).toEqual([0, 255, 51, 10, 20, 51]);
  });

  it('refuses other pickles with the file and the offset', () => {
    expect(() => decodeAscentPickle(Uint8Array.from([0x80, 2, 0x5d, 0x28, 0x47, 0, 0x2e]), 'x.dat')).toThrow(/x\.dat: not SciPy's ascent pickle \(unexpected opcode 0x47 at byte 5\)/);
    expect(() => decodeAscentPickle(Uint8Array.from([1, 2, 3]), 'y.dat')).toThrow('no pickle protocol header');
    expect(() => decodeAscentPickle(Uint8Array.from([0x80, 2, 0x5d, 0x28, 0x5d, 0x28, 0x4b, 1, 0x65, 0x5d, 0x28, 0x65, 0x65, 0x2e]))).toThrow('rows of different lengths');
    expect(findAscentPhoto(['/nonexistent/ascent.dat'])).toBeUndefined();
  });

  it.skipIf(!ASCENT_PATHS.some((p) => fs.existsSync(p)))("reads Debian's python3-scipy copy: 512x512 with Python's pixel sum", () => {
    const g = findAscentPhoto()!;
    expect([g.height, g.width]).toEqual([512, 512]);
    let sum = 0;
    for (const v of g.data) sum += Math.round(v * 255);
    expect(sum).toBe(22932324); // sum(map(sum, pickle.load(open(path, 'rb')))) in Python
  });
});
