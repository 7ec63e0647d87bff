/**
 * Fashion-MNIST (Zalando, MIT licence): 60,000 training and 10,000 test images, 28x28 grey,
 * 10 classes. Files are looked up in $TSDL_DATA_DIR/fashion-mnist, Debian's
 * /usr/share/datasets/fashion-mnist (package dataset-fashion-mnist), ../shared/data and
 * data/cache, else downloaded from the official mirror (checked against data/manifest.json).
 * Parsed data is kept in memory per process (until a file changes on disk): loading again costs
 * a copy, not a parse.
 *
 * Usage:
 *   const fm = await loadFashionMnist();
 *   const { train, val, test } = seedSplit(fm);   // 55,000 / 5,000 / 10,000
 *   fm.classNames[test.labels[0]];                 // 'Ankle boot'
 */
import { readIdxPair, IdxPair } from './idx';
import { ImageDataset, ImageSplit, checkLimit, sliceSplit } from './images';
import { LocateOptions, fileStateKey, locateDataset } from './locate';

/** The ten class names by label, as in the Fashion-MNIST README and the seeds. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The four files, by their names in the manifest. */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

/** Options of loadFashionMnist: where to look, whether to download, how many images. */
export interface FashionMnistOptions extends LocateOptions {
  /** At most this many images per split (the first ones), or per split separately. */
  limit?: number | { train?: number; test?: number };
}

interface Parsed {
  train: IdxPair;
  test: IdxPair;
}

const memory = new Map<string, Parsed>();

function toSplit(p: IdxPair, limit: number | undefined): ImageSplit {
  const full: ImageSplit = { images: p.images, labels: p.labels, count: p.count, height: p.height, width: p.width };
  return sliceSplit(full, 0, limit ?? p.count);
}

/**
 * Loads Fashion-MNIST (see the module comment for the lookup order). The arrays returned are
 * copies: changing them does not affect later loads. Throws when the files are missing and
 * downloads are off, naming the fixes (apt package, TSDL_DATA_DIR, download: true).
 *
 * Usage: `const { train, test, classNames, source } = await loadFashionMnist({ limit: 500 });`
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<ImageDataset> {
  const lim = options.limit;
  const trainLimit = typeof lim === 'number' ? lim : lim?.train;
  const testLimit = typeof lim === 'number' ? lim : lim?.test;
  checkLimit(trainLimit, 'loadFashionMnist limit (train)');
  checkLimit(testLimit, 'loadFashionMnist limit (test)');
  const names = Object.values(FASHION_MNIST_FILES);
  const found = await locateDataset('fashion-mnist', names, options);
  const f = found.files;
  const key = fileStateKey(names.map((n) => f[n]));
  let parsed = memory.get(key);
  if (!parsed) {
    const opts = { numClasses: 10, fix: found.fix, imageShape: [28, 28] as [number, number] };
    parsed = {
      train: readIdxPair(f[FASHION_MNIST_FILES.trainImages], f[FASHION_MNIST_FILES.trainLabels], opts),
      test: readIdxPair(f[FASHION_MNIST_FILES.testImages], f[FASHION_MNIST_FILES.testLabels], opts),
    };
    memory.set(key, parsed);
  }
  return {
    train: toSplit(parsed.train, trainLimit),
    test: toSplit(parsed.test, testLimit),
    classNames: FASHION_MNIST_CLASSES,
    source: found.source,
  };
}

/** Sizes for seedSplit: how many of each part to keep (the first ones; all when left out). */
export interface SeedSplitOptions {
  /** Images at the start of the training split used for validation (default 5,000, as in the seed). */
  validationSize?: number;
  /** Keep at most this many training images (after the validation ones). */
  train?: number;
  /** Keep at most this many validation images. */
  val?: number;
  /** Keep at most this many test images. */
  test?: number;
}

/** The seed's three parts. */
export interface SeedSplit {
  train: ImageSplit;
  val: ImageSplit;
  test: ImageSplit;
}

/**
 * The seeds' split: the first 5,000 training images are the validation set, the rest the
 * training set (55,000 / 5,000 / 10,000 on the full data). Limits take the first images of
 * each part, so the smoke profile uses the same code with a few hundred of each.
 *
 * Usage: `const { train, val, test } = seedSplit(fm, { train: P.train, val: P.val, test: P.test });`
 */
export function seedSplit(data: Pick<ImageDataset, 'train' | 'test'>, options: SeedSplitOptions = {}): SeedSplit {
  const v = options.validationSize ?? 5000;
  checkLimit(v, 'seedSplit validationSize');
  checkLimit(options.train, 'seedSplit train');
  checkLimit(options.val, 'seedSplit val');
  checkLimit(options.test, 'seedSplit test');
  if (v >= data.train.count) {
    throw new Error(`seedSplit: validationSize ${v} leaves no training images (the training split has ${data.train.count}); load more images or lower validationSize.`);
  }
  const trainEnd = options.train === undefined ? data.train.count : Math.min(data.train.count, v + options.train);
  return {
    train: sliceSplit(data.train, v, trainEnd),
    val: sliceSplit(data.train, 0, Math.min(v, options.val ?? v)),
    test: sliceSplit(data.test, 0, options.test ?? data.test.count),
  };
}

/**
 * Drops the parsed data kept in memory (the next load parses the files again).
 *
 * Usage: `clearFashionMnistMemory();`
 */
export function clearFashionMnistMemory(): void {
  memory.clear();
}
