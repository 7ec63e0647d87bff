import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS, parseIdx, readIdxFile, readIdxPair } from '../lib/data/idx';
import { idxBytes, makeTemp, rmTemp, tinyImages } from './fixtures/data/make';

let dir: string;
const write = (name: string, bytes: Uint8Array): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
};

beforeAll(() => {
  dir = makeTemp();
});
afterAll(() => rmTemp(dir));

describe('readIdxFile on good files', () => {
  it('reads raw and gzip files to the same values, whatever the name', () => {
    const { images, labels, pixels, labelValues } = tinyImages(5);
    const raw = readIdxFile(write('img', images), { kind: 'images', count: 5, imageShape: [28, 28] });
    const gz = readIdxFile(write('img.gz', zlib.gzipSync(images)));
    const gzNoSuffix = readIdxFile(write('img-compressed', zlib.gzipSync(images)));
    expect(raw.kind).toBe('images');
    expect(raw.shape).toEqual([5, 28, 28]);
    expect(Array.from(raw.data)).toEqual(Array.from(pixels));
    expect(Array.from(gz.data)).toEqual(Array.from(pixels));
    expect(Array.from(gzNoSuffix.data)).toEqual(Array.from(pixels));
    expect(raw.data.byteOffset).toBe(0);
    expect(raw.data.buffer.byteLength).toBe(5 * 784);
    const l = readIdxFile(write('lbl.gz', zlib.gzipSync(labels)), { kind: 'labels' });
    expect(l.shape).toEqual([5]);
    expect(Array.from(l.data)).toEqual(Array.from(labelValues));
  });

  it('pairs images with labels', () => {
    const { images, labels } = tinyImages(12);
    const p = readIdxPair(write('p-img', images), write('p-lbl', labels), { numClasses: 10 });
    expect([p.count, p.height, p.width]).toEqual([12, 28, 28]);
    expect(Array.from(p.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(p.images[784 * 3 + 2]).toBe((3 * 7 + 2) % 256);
  });
});

describe('readIdxFile refuses bad files with a message naming the file, the problem and the fix', () => {
  it('wrong magic numbers', () => {
    const notIdx = write('not-idx', Buffer.from('hello world, not an idx file'));
    expect(() => readIdxFile(notIdx)).toThrow(`${notIdx}: it is not an IDX file: the magic number is 0x68656c6c`);
    expect(() => readIdxFile(notIdx)).toThrow('To fix: delete the file');
    const floats = write('floats', idxBytes(0x00000d03, [1, 1, 1], [0, 0, 0, 0]));
    expect(() => readIdxFile(floats)).toThrow('magic number 0x00000d03 says the values are float32 (type 0x0d); only unsigned-byte IDX files');
    const twoDims = write('two-dims', idxBytes(0x00000802, [2, 2], [1, 2, 3, 4]));
    expect(() => readIdxFile(twoDims)).toThrow('magic number 0x00000802 says 2 dimensions; only labels (0x00000801, 1 dimension) and images (0x00000803, 3 dimensions)');
    const { labels } = tinyImages(3);
    const swapped = write('swapped', labels);
    expect(() => readIdxFile(swapped, { kind: 'images' })).toThrow('it holds labels (magic 0x00000801) but images were expected (magic 0x00000803); are the file names swapped?');
    expect(IDX_MAGIC_LABELS).toBe(0x801);
    expect(IDX_MAGIC_IMAGES).toBe(0x803);
  });

  it('a truncated .gz', () => {
    const gz = zlib.gzipSync(tinyImages(20).images);
    const f = write('cut.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    expect(() => readIdxFile(f, { fix: 'sudo apt-get install --reinstall dataset-fashion-mnist' })).toThrow(
      `${f}: the gzip data is truncated (unexpected end of file); the file is incomplete or damaged. To fix: sudo apt-get install --reinstall dataset-fashion-mnist.`,
    );
  });

  it('a corrupt .gz body', () => {
    const gz = Buffer.from(zlib.gzipSync(tinyImages(20).images));
    for (let i = 20; i < 60; i++) gz[i] ^= 0xff;
    const f = write('corrupt.gz', gz);
    expect(() => readIdxFile(f)).toThrow(/the gzip data is corrupt \(.+\); the file is incomplete or damaged/);
  });

  it('a truncated raw file (inside the data and inside the header)', () => {
    const { images } = tinyImages(4);
    const f = write('cut-raw', images.subarray(0, images.length - 100));
    expect(() => readIdxFile(f)).toThrow(`${f}: the header claims shape [4, 28, 28] = 3,136 values but the file holds only 3,036 after the header; the file is truncated or its header is corrupt.`);
    const h = write('cut-header', images.subarray(0, 10));
    expect(() => readIdxFile(h)).toThrow(`${h}: it is truncated inside its header (10 of 16 header bytes)`);
    const tiny = write('tiny', images.subarray(0, 5));
    expect(() => readIdxFile(tiny)).toThrow('it holds only 5 bytes, less than the smallest IDX header (8 bytes)');
  });

  it('trailing bytes after the data', () => {
    const f = write('long', Buffer.concat([tinyImages(2).labels, Buffer.from([1, 2, 3])]));
    expect(() => readIdxFile(f)).toThrow('the header claims shape [2] = 2 values but the file holds 5 after the header (3 bytes too many); the file is corrupt');
  });

  it('a header claiming absurd dimensions, before allocating', () => {
    const f = write('absurd', idxBytes(0x803, [0xffffffff, 0xffffffff, 0xffffffff], new Uint8Array(100)));
    expect(() => readIdxFile(f)).toThrow(
      `${f}: the header claims shape [4294967295, 4294967295, 4294967295] = about 7.92e+28 values but the file holds only 100 after the header; the file is truncated or its header is corrupt.`,
    );
    // The same in gzip form, and a file bigger than the cap is refused before it is read.
    const g = write('absurd.gz', zlib.gzipSync(idxBytes(0x801, [4e9], new Uint8Array(10))));
    expect(() => readIdxFile(g)).toThrow('the header claims shape [4000000000] = 4,000,000,000 values but the file holds only 10');
    const big = write('big', Buffer.alloc(2048));
    expect(() => readIdxFile(big, { maxBytes: 1024 })).toThrow(`${big}: it is 2048 bytes, larger than the 1024-byte limit for an IDX file`);
    const bomb = write('bomb.gz', zlib.gzipSync(Buffer.alloc(1 << 20)));
    expect(() => readIdxFile(bomb, { maxBytes: 1 << 16 })).toThrow(`${bomb}: it decompresses to more than 65536 bytes`);
  });

  it('wrong counts and shapes', () => {
    const { images, labels } = tinyImages(6);
    const img = write('c-img', images);
    expect(() => readIdxFile(img, { count: 60000 })).toThrow(`${img}: it holds 6 images but 60000 were expected`);
    expect(() => readIdxFile(img, { imageShape: [32, 32] })).toThrow('its images are 28x28 but 32x32 were expected');
    const lbl = write('c-lbl', tinyImages(5).labels);
    expect(() => readIdxPair(img, lbl)).toThrow(`${img} holds 6 images but ${lbl} holds 5 labels; the two files must come from the same split of the same data set. To fix:`);
    const badLabels = write('bad-lbl', idxBytes(0x801, [6], [0, 1, 2, 12, 4, 5]));
    expect(() => readIdxPair(img, badLabels, { numClasses: 10 })).toThrow(`${badLabels}: label 3 is 12, outside the 10 classes 0..9`);
    expect(readIdxPair(img, write('ok-lbl', labels)).count).toBe(6);
  });

  it('parseIdx refuses still-compressed bytes, readIdxFile a missing file', () => {
    expect(() => parseIdx(zlib.gzipSync(tinyImages(1).labels), 'mem')).toThrow('mem: the bytes are still gzip-compressed');
    const missing = path.join(dir, 'nope');
    expect(() => readIdxFile(missing)).toThrow(`Cannot read the IDX file ${missing} (ENOENT): check the path.`);
  });
});
