import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, loadFashionMnist, seedSplit } from '../lib/data/fashion-mnist';
import { countLabels, takeFirst } from '../lib/data/images';
import { DEBIAN_FASHION_MNIST_DIR, candidateDirs, packageRoot } from '../lib/data/paths';
import { oneHotLabels, toTensors } from '../lib/data/tensors';
import { LocalServer, listDir, makeTemp, rmTemp, serveFiles, startServer, tinyImages } from './fixtures/data/make';

const hasDebian = fs.existsSync(path.join(DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES.trainImages));

describe('paths', () => {
  it('finds the package root from lib/data and orders the folders', () => {
    const root = packageRoot();
    expect(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name).toBe('tsdl-course');
    expect(packageRoot(path.join(root, 'dist', 'lib', 'data'))).toBe(root);
    const dirs = candidateDirs('fashion-mnist', { env: { TSDL_DATA_DIR: '/my/data' } });
    expect(dirs.map((d) => [d.kind, d.dir])).toEqual([
      ['env', '/my/data/fashion-mnist'],
      ['system', DEBIAN_FASHION_MNIST_DIR],
      ['shared', path.resolve(root, '..', 'shared', 'data', 'fashion-mnist')],
      ['cache', path.join(root, 'data', 'cache', 'fashion-mnist')],
    ]);
    expect(candidateDirs('california-housing', { env: {} }).map((d) => d.kind)).toEqual(['shared', 'cache']);
  });
});

describe.runIf(hasDebian)('Fashion-MNIST from the Debian package', () => {
  it('has 60,000/10,000 images, 6,000 per class, and the seed labels', async () => {
    const fm = await loadFashionMnist({ download: false, env: {} });
    expect(fm.source).toBe(`Debian's dataset-fashion-mnist (${DEBIAN_FASHION_MNIST_DIR})`);
    expect([fm.train.count, fm.test.count, fm.train.height, fm.train.width]).toEqual([60000, 10000, 28, 28]);
    expect(fm.train.images.length).toBe(60000 * 784);
    expect(countLabels(fm.train.labels, 10)).toEqual(new Array(10).fill(6000));
    expect(countLabels(fm.test.labels, 10)).toEqual(new Array(10).fill(1000));
    expect(fm.train.labels[0]).toBe(9);
    expect(Array.from(fm.test.labels.slice(0, 3))).toEqual([9, 2, 1]);
    expect(Array.from(fm.test.labels.slice(0, 3), (l) => fm.classNames[l])).toEqual(['Ankle boot', 'Pullover', 'Trouser']);
    expect(fm.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(fm.classNames).toHaveLength(10);

    const s = seedSplit(fm);
    expect([s.train.count, s.val.count, s.test.count]).toEqual([55000, 5000, 10000]);
    expect(s.val.labels[0]).toBe(9);
    expect(s.train.labels[0]).toBe(fm.train.labels[5000]);
    expect(Array.from(s.train.images.subarray(0, 784))).toEqual(Array.from(fm.train.images.subarray(5000 * 784, 5001 * 784)));

    const small = seedSplit(fm, { train: 300, val: 100, test: 200 });
    expect([small.train.count, small.val.count, small.test.count]).toEqual([300, 100, 200]);
    expect(small.train.labels[0]).toBe(fm.train.labels[5000]);
    expect(Array.from(small.test.labels.slice(0, 3))).toEqual([9, 2, 1]);
  });

  it('limits, copies and the in-memory cache', async () => {
    const a = await loadFashionMnist({ download: false, env: {}, limit: { train: 500, test: 50 } });
    expect([a.train.count, a.test.count, a.train.images.length, a.test.labels.length]).toEqual([500, 50, 500 * 784, 50]);
    a.train.labels[0] = 3;
    const b = await loadFashionMnist({ download: false, env: {}, limit: 10 });
    expect([b.train.count, b.test.count]).toEqual([10, 10]);
    expect(b.train.labels[0]).toBe(9);
    await expect(loadFashionMnist({ limit: -1 })).rejects.toThrow('loadFashionMnist limit (train) must be a non-negative integer (or left out for all), got -1.');
    expect(() => seedSplit(b)).toThrow('seedSplit: validationSize 5000 leaves no training images (the training split has 10)');
  });

  it('toTensors gives float32 pixels in [0, 1] and int32 labels, and frees nothing it does not return', async () => {
    const fm = await loadFashionMnist({ download: false, env: {}, limit: 64 });
    const before = tf.memory().numTensors;
    const { x, y } = toTensors(fm.train);
    expect([x.shape, x.dtype, y.shape, y.dtype]).toEqual([[64, 28, 28], 'float32', [64], 'int32']);
    const px = x.dataSync();
    expect(px[200]).toBeCloseTo(fm.train.images[200] / 255, 6);
    expect(Math.max(...px)).toBe(1);
    expect(Math.min(...px)).toBe(0);
    expect(Array.from(y.dataSync().slice(0, 3))).toEqual(Array.from(fm.train.labels.slice(0, 3)));
    const flat = toTensors(takeFirst(fm.train, 8), { flatten: true, normalize: false });
    expect(flat.x.shape).toEqual([8, 784]);
    expect(flat.x.dataSync()[200]).toBe(fm.train.images[200]);
    const conv = toTensors(takeFirst(fm.train, 4), { channels: true });
    expect(conv.x.shape).toEqual([4, 28, 28, 1]);
    const oh = oneHotLabels(fm.test.labels.slice(0, 3), 10);
    expect(oh.shape).toEqual([3, 10]);
    const am = oh.argMax(1);
    expect(Array.from(am.dataSync())).toEqual([9, 2, 1]);
    expect(Array.from(oh.dataSync()).reduce((a, b) => a + b, 0)).toBe(3);
    tf.dispose([x, y, flat.x, flat.y, conv.x, conv.y, oh, am]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => toTensors(fm.train, { flatten: true, channels: true })).toThrow('choose flatten (for dense layers) or channels (for convolutions), not both');
  });
});

describe('Fashion-MNIST lookup, checks and download (temporary folders, a local mirror)', () => {
  let root: string;
  let server: LocalServer | undefined;
  beforeAll(() => {
    root = makeTemp();
  });
  afterAll(async () => {
    await server?.close();
    rmTemp(root);
  });

  it('missing everywhere with downloads off: an error naming the folders and the fixes', async () => {
    const cache = path.join(root, 'empty-cache');
    const err = await loadFashionMnist({ download: false, env: {}, skipSystem: true, skipShared: true, cacheDir: cache }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      [
        'The Fashion-MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) were not found in:',
        `  - the download cache (${cache})`,
        'and downloading is off. To fix, do one of:',
        '  - install the Debian package: sudo apt-get install dataset-fashion-mnist',
        '  - set TSDL_DATA_DIR to a folder holding fashion-mnist/ with these files',
        '  - allow the download (download: true)',
      ].join('\n'),
    );
    expect(listDir(cache)).toEqual([]);
  });

  it('$TSDL_DATA_DIR comes first and may hold uncompressed IDX files', async () => {
    const env = path.join(root, 'env');
    const d = path.join(env, 'fashion-mnist');
    fs.mkdirSync(d, { recursive: true });
    const tr = tinyImages(12);
    const te = tinyImages(4);
    fs.writeFileSync(path.join(d, 'train-images-idx3-ubyte'), tr.images);
    fs.writeFileSync(path.join(d, 'train-labels-idx1-ubyte'), tr.labels);
    fs.writeFileSync(path.join(d, 't10k-images-idx3-ubyte'), te.images);
    fs.writeFileSync(path.join(d, 't10k-labels-idx1-ubyte'), te.labels);
    const fm = await loadFashionMnist({ download: false, env: { TSDL_DATA_DIR: env } });
    expect(fm.source).toBe(`$TSDL_DATA_DIR (${d})`);
    expect([fm.train.count, fm.test.count]).toEqual([12, 4]);
    expect(Array.from(fm.train.labels)).toEqual(Array.from(tr.labelValues));
    expect(Array.from(fm.test.images)).toEqual(Array.from(te.pixels));

    // A label/image count mismatch there is reported with the fix for that folder.
    fs.writeFileSync(path.join(d, 't10k-labels-idx1-ubyte'), tinyImages(5).labels);
    await expect(loadFashionMnist({ download: false, env: { TSDL_DATA_DIR: env } })).rejects.toThrow(
      `${path.join(d, 't10k-images-idx3-ubyte')} holds 4 images but ${path.join(d, 't10k-labels-idx1-ubyte')} holds 5 labels; the two files must come from the same split of the same data set. To fix: replace it with a good copy (see data/manifest.json for the URL and sha256), or unset TSDL_DATA_DIR.`,
    );
    // A folder with only some of the files is an error, not silently skipped.
    fs.rmSync(path.join(d, 't10k-labels-idx1-ubyte'));
    await expect(loadFashionMnist({ download: false, env: { TSDL_DATA_DIR: env } })).rejects.toThrow(
      `$TSDL_DATA_DIR (${d}) holds some fashion-mnist files but lacks t10k-labels-idx1-ubyte.gz.`,
    );
  });

  it('a .gz in $TSDL_DATA_DIR whose sha256 differs from the manifest is refused and left alone', async () => {
    const env = path.join(root, 'env-bad');
    const d = path.join(env, 'fashion-mnist');
    fs.mkdirSync(d, { recursive: true });
    const tr = tinyImages(3);
    for (const [name, bytes] of [
      ['train-images-idx3-ubyte.gz', tr.images],
      ['train-labels-idx1-ubyte.gz', tr.labels],
      ['t10k-images-idx3-ubyte.gz', tr.images],
      ['t10k-labels-idx1-ubyte.gz', tr.labels],
    ] as const) {
      fs.writeFileSync(path.join(d, name), zlib.gzipSync(bytes));
    }
    const bad = path.join(d, 'train-images-idx3-ubyte.gz');
    const size = fs.statSync(bad).size;
    await expect(loadFashionMnist({ env: { TSDL_DATA_DIR: env } })).rejects.toThrow(
      `${bad} does not match data/manifest.json: it has ${size} bytes but should have 26421856. It is in $TSDL_DATA_DIR (${d}), which the course never modifies.`,
    );
    expect(listDir(d)).toHaveLength(4);
  });

  it.runIf(hasDebian)('downloads into the cache from a mirror, then loads offline; a damaged cached file is deleted', async () => {
    const files: Record<string, Uint8Array> = {};
    for (const name of Object.values(FASHION_MNIST_FILES)) files[`/fm/${name}`] = fs.readFileSync(path.join(DEBIAN_FASHION_MNIST_DIR, name));
    server = await startServer(serveFiles(files));
    const cache = path.join(root, 'cache');
    const opts = { env: {}, skipSystem: true, skipShared: true, cacheDir: cache, mirror: `${server.url}/fm/`, onProgress: false as const };
    const fm = await loadFashionMnist(opts);
    expect(fm.source).toBe(`downloaded into the download cache (${cache}) from ${server.url}/fm/`);
    expect([fm.train.count, fm.test.count, fm.train.labels[0]]).toEqual([60000, 10000, 9]);
    expect(server.hits).toHaveLength(4);
    expect(listDir(cache)).toEqual(Object.values(FASHION_MNIST_FILES).sort());
    const again = await loadFashionMnist({ ...opts, download: false, limit: 5 });
    expect(again.source).toBe(`the download cache (${cache})`);
    expect(server.hits).toHaveLength(4);

    const labels = path.join(cache, FASHION_MNIST_FILES.testLabels);
    const bytes = fs.readFileSync(labels);
    bytes[bytes.length - 9] ^= 0xff;
    fs.writeFileSync(labels, bytes);
    await expect(loadFashionMnist({ ...opts, download: false })).rejects.toThrow(`The cached file ${labels} was damaged (its sha256 is`);
    expect(fs.existsSync(labels)).toBe(false);
    const fixed = await loadFashionMnist(opts);
    expect(Array.from(fixed.test.labels.slice(0, 3))).toEqual([9, 2, 1]);
    expect(server.hits).toHaveLength(5);
  });
});
