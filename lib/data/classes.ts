/**
 * Per-class selections of an image split: keep some classes, and split each class into
 * train / validation / test parts of equal size per class (the seed 002 report's MNIST set-up:
 * digits 0, 1, 2, 4, 7 with 2,277 / 759 / 759 images each, i.e. 60 / 20 / 20 %).
 *
 * Usage:
 *   const five = filterClasses(mnist.all, [0, 1, 2, 4, 7], { relabel: true });
 *   const { train, val, test } = splitPerClass(mnist.all, { classes: [0, 1, 2, 4, 7] });
 */
import { ImageSplit, pickImages } from './images';

/** Options of filterClasses. */
export interface FilterClassesOptions {
  /** Map classes[i] to label i (default false: keep the original labels). */
  relabel?: boolean;
}

function checkClasses(classes: readonly number[], what: string): void {
  if (classes.length === 0) throw new Error(`${what}: give at least one class.`);
  const seen = new Set<number>();
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c > 255) throw new Error(`${what}: class ${c} is not a label (an integer 0..255).`);
    if (seen.has(c)) throw new Error(`${what}: class ${c} is listed twice.`);
    seen.add(c);
  }
}

function relabelInPlace(split: ImageSplit, classes: readonly number[]): void {
  const map = new Map(classes.map((c, i) => [c, i]));
  for (let i = 0; i < split.count; i++) split.labels[i] = map.get(split.labels[i]) as number;
}

/**
 * The images whose label is in `classes`, in their original order (a copy).
 *
 * Usage: `const five = filterClasses(split, [0, 1, 2, 4, 7]); five.count;`
 */
export function filterClasses(split: ImageSplit, classes: readonly number[], options: FilterClassesOptions = {}): ImageSplit {
  checkClasses(classes, 'filterClasses');
  const keep = new Set(classes);
  const idx: number[] = [];
  for (let i = 0; i < split.count; i++) if (keep.has(split.labels[i])) idx.push(i);
  const out = pickImages(split, idx);
  if (options.relabel) relabelInPlace(out, classes);
  return out;
}

/** Options of splitPerClass. */
export interface SplitPerClassOptions {
  /** The classes to keep, in label order for relabel (default: every label present, ascending). */
  classes?: readonly number[];
  /** Fractions of each class for train, val and test (default [0.6, 0.2, 0.2]); must sum to 1. */
  fractions?: readonly [number, number, number];
  /** Images per class before splitting (default: the smallest class count, so classes are balanced). */
  perClass?: number;
  /** Map classes[i] to label i (default false). */
  relabel?: boolean;
}

/** The three parts, plus what was used to make them. */
export interface PerClassSplit {
  train: ImageSplit;
  val: ImageSplit;
  test: ImageSplit;
  /** The classes kept, in order. */
  classes: number[];
  /** Images per class in each part: [train, val, test]. */
  perClass: [number, number, number];
}

/**
 * Takes the first `perClass` images of each class (in split order) and cuts each class into
 * train / val / test by `fractions`. Every part is ordered class-interleaved (one image of
 * each class in turn), so any prefix is balanced. Deterministic: no randomness.
 *
 * Usage: `const s = splitPerClass(mnist.all, { classes: [0, 1, 2, 4, 7], relabel: true }); s.perClass;`
 */
export function splitPerClass(split: ImageSplit, options: SplitPerClassOptions = {}): PerClassSplit {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < split.count; i++) {
    const l = split.labels[i];
    let list = byClass.get(l);
    if (!list) byClass.set(l, (list = []));
    list.push(i);
  }
  const classes = options.classes ? [...options.classes] : [...byClass.keys()].sort((a, b) => a - b);
  checkClasses(classes, 'splitPerClass');
  for (const c of classes) {
    if (!byClass.has(c)) throw new Error(`splitPerClass: class ${c} has no images in this split (labels present: ${[...byClass.keys()].sort((a, b) => a - b).join(', ')}).`);
  }
  const fr = options.fractions ?? [0.6, 0.2, 0.2];
  if (fr.length !== 3 || fr.some((f) => !(f >= 0)) || Math.abs(fr[0] + fr[1] + fr[2] - 1) > 1e-9) {
    throw new Error(`splitPerClass: fractions must be three non-negative numbers summing to 1 (train, val, test), got [${fr.join(', ')}].`);
  }
  const smallest = Math.min(...classes.map((c) => (byClass.get(c) as number[]).length));
  const n = options.perClass ?? smallest;
  if (!Number.isInteger(n) || n < 1 || n > smallest) {
    throw new Error(`splitPerClass: perClass must be an integer from 1 to ${smallest} (the smallest selected class), got ${n}.`);
  }
  const nTrain = Math.round(n * fr[0]);
  const nVal = Math.round(n * fr[1]);
  const nTest = n - nTrain - nVal;
  const part = (from: number, count: number): ImageSplit => {
    const idx: number[] = [];
    for (let k = 0; k < count; k++) for (const c of classes) idx.push((byClass.get(c) as number[])[from + k]);
    const out = pickImages(split, idx);
    if (options.relabel) relabelInPlace(out, classes);
    return out;
  };
  return {
    train: part(0, nTrain),
    val: part(nTrain, nVal),
    test: part(nTrain + nVal, nTest),
    classes,
    perClass: [nTrain, nVal, nTest],
  };
}
