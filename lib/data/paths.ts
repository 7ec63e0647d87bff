/**
 * Where the course's data sets live on disk.
 *
 * Every data set has a short id (`fashion-mnist`, `mnist`, `california-housing`) and is looked
 * up in a fixed order of folders; each folder holds one sub-folder per data set:
 *   1. `$TSDL_DATA_DIR/<id>/`            (a person's own data folder, when the variable is set)
 *   2. the system copy, when one exists (Debian's `/usr/share/datasets/fashion-mnist/`)
 *   3. `<repo>/../shared/data/<id>/`     (a shared folder beside the checkout, as in CI)
 *   4. `<repo>/data/cache/<id>/`         (where downloads go; git-ignored)
 * The library writes (downloads) and deletes (corrupt downloads) only in the cache folder.
 *
 * Usage: `const dirs = candidateDirs('fashion-mnist'); const root = packageRoot();`
 */
import * as fs from 'fs';
import * as path from 'path';

/** The data sets the course knows, by the id used in folder names and data/manifest.json. */
export type DatasetId = 'fashion-mnist' | 'mnist' | 'california-housing';

/** Every known data set id, in manifest order. */
export const DATASET_IDS: readonly DatasetId[] = ['fashion-mnist', 'mnist', 'california-housing'];

/** The environment variable naming a person's own data folder. */
export const DATA_DIR_ENV = 'TSDL_DATA_DIR';

/** Debian's package `dataset-fashion-mnist` installs the four IDX .gz files here. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** The package name that marks the repository root. */
const PACKAGE_NAME = 'tsdl-course';

/** How a candidate folder came to be on the list; decides how a bad file in it is treated. */
export type DirKind = 'env' | 'system' | 'shared' | 'cache';

/** One folder to look in, and why it is on the list. */
export interface CandidateDir {
  /** Absolute folder that would hold the data set's files. */
  dir: string;
  /** `env`: $TSDL_DATA_DIR; `system`: an OS package; `shared`: ../shared/data; `cache`: data/cache. */
  kind: DirKind;
  /** A short human description, e.g. `$TSDL_DATA_DIR (/data/fashion-mnist)`. */
  label: string;
}

let cachedRoot: string | undefined;

/**
 * The repository root: the nearest folder at or above `start` holding a package.json named
 * tsdl-course. Works from `lib/data` (tsx, vitest) and from `dist/lib/data` (compiled).
 *
 * Usage: `const root = packageRoot();`
 */
export function packageRoot(start: string = __dirname): string {
  if (start === __dirname && cachedRoot !== undefined) return cachedRoot;
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const parsed: unknown = JSON.parse(fs.readFileSync(pkg, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === PACKAGE_NAME) {
          if (start === __dirname) cachedRoot = dir;
          return dir;
        }
      } catch {
        // An unreadable package.json on the way up is not ours: keep walking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Cannot find the tsdl-course package root above ${start}: no package.json named "${PACKAGE_NAME}". ` +
          `Run the code from inside the course checkout, or set ${DATA_DIR_ENV} to a data folder.`,
      );
    }
    dir = parent;
  }
}

/**
 * The download cache, `<repo>/data/cache` (git-ignored).
 *
 * Usage: `const dir = path.join(cacheRoot(), 'fashion-mnist');`
 */
export function cacheRoot(): string {
  return path.join(packageRoot(), 'data', 'cache');
}

/**
 * The shared data folder beside the checkout, `<repo>/../shared/data`.
 *
 * Usage: `const csv = path.join(sharedDataRoot(), 'california-housing', 'housing.csv');`
 */
export function sharedDataRoot(): string {
  return path.resolve(packageRoot(), '..', 'shared', 'data');
}

/**
 * `$TSDL_DATA_DIR` made absolute, or undefined when unset or blank.
 *
 * Usage: `const mine = envDataRoot();`
 */
export function envDataRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[DATA_DIR_ENV];
  if (v === undefined || v.trim() === '') return undefined;
  return path.resolve(v.trim());
}

/** Options shared by the loaders for where to look. */
export interface DataDirOptions {
  /** Look only here (a folder holding the data set's files directly); skips the lookup order. */
  dataDir?: string;
  /** Where downloads go (default `<repo>/data/cache/<id>`); looked in last. */
  cacheDir?: string;
  /** Leave out the system folder (Debian), e.g. to test the cache and download path. */
  skipSystem?: boolean;
  /** Leave out `<repo>/../shared/data`. */
  skipShared?: boolean;
  /** The environment to read TSDL_DATA_DIR from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The folder downloads of a data set go to: `options.cacheDir`, else `<repo>/data/cache/<id>`.
 * The library writes and deletes files only here, never in $TSDL_DATA_DIR or system folders.
 *
 * Usage: `const target = downloadDir('fashion-mnist');`
 */
export function downloadDir(id: DatasetId, options: DataDirOptions = {}): string {
  if (options.cacheDir !== undefined) return path.resolve(options.cacheDir);
  return path.join(cacheRoot(), id);
}

/**
 * The folders to look in for a data set, in lookup order (see the module comment). With
 * `options.dataDir` the list is that one folder.
 *
 * Usage: `for (const c of candidateDirs('fashion-mnist')) console.log(c.label);`
 */
export function candidateDirs(id: DatasetId, options: DataDirOptions = {}): CandidateDir[] {
  if (options.dataDir !== undefined) {
    const dir = path.resolve(options.dataDir);
    return [{ dir, kind: 'env', label: `the dataDir option (${dir})` }];
  }
  const out: CandidateDir[] = [];
  const env = envDataRoot(options.env);
  if (env !== undefined) out.push({ dir: path.join(env, id), kind: 'env', label: `$${DATA_DIR_ENV} (${path.join(env, id)})` });
  if (id === 'fashion-mnist' && !options.skipSystem) {
    out.push({ dir: DEBIAN_FASHION_MNIST_DIR, kind: 'system', label: `Debian's dataset-fashion-mnist (${DEBIAN_FASHION_MNIST_DIR})` });
  }
  if (!options.skipShared) {
    const shared = path.join(sharedDataRoot(), id);
    out.push({ dir: shared, kind: 'shared', label: `the shared data folder (${shared})` });
  }
  const cache = downloadDir(id, options);
  if (!out.some((c) => c.dir === cache)) out.push({ dir: cache, kind: 'cache', label: `the download cache (${cache})` });
  return out;
}
