/**
 * Finds a data set's files on disk in the lookup order of paths.ts, checks them against
 * data/manifest.json and, when allowed, downloads what is missing into the cache.
 *
 * How a file that fails its check is treated depends on where it is:
 *   - in the download cache: deleted, then downloaded again (or an error when downloads are off);
 *   - anywhere else ($TSDL_DATA_DIR, the system copy, the shared folder): an error naming the
 *     file and the fix; the library never modifies those folders.
 * An uncompressed copy (`train-images-idx3-ubyte` beside or instead of the `.gz`) has no
 * manifest hash; it is accepted and checked by the format reader instead.
 *
 * Usage: `const found = await locateDataset('fashion-mnist', names, { download: true }); found.files[names[0]];`
 */
import * as fs from 'fs';
import * as path from 'path';
import { EnsureOptions, ensureFile } from './download';
import { ManifestFile, manifestFile, loadManifest } from './manifest';
import { CandidateDir, DataDirOptions, DatasetId, candidateDirs, downloadDir } from './paths';
import { fileAccessMessage, verifyFile } from './verify';

/** Options for finding (and maybe downloading) a data set. */
export interface LocateOptions extends DataDirOptions, Omit<EnsureOptions, 'missingHint'> {
  /** Download into the cache when the files are found nowhere (default true). */
  download?: boolean;
  /** Download from this base URL (a mirror holding the same file names) instead of the manifest's URLs. */
  mirror?: string;
}

/** Where a data set's files were found. */
export interface LocatedDataset {
  /** The folder holding them. */
  dir: string;
  /** Which kind of folder it is. */
  kind: CandidateDir['kind'];
  /** A human description of where the data came from, for `source` fields. */
  source: string;
  /** Manifest file name -> the path actually used (the .gz or an uncompressed copy). */
  files: Record<string, string>;
  /** True when at least one file was downloaded by this call. */
  downloaded: boolean;
  /** How to fix a bad file in this folder (for error messages of the format readers). */
  fix: string;
}

/**
 * A key for in-memory caches of parsed files: the paths with their size, mtime and inode, so
 * that a file replaced or changed on disk is parsed again.
 *
 * Usage: `const key = fileStateKey(Object.values(found.files));`
 */
export function fileStateKey(files: string[]): string {
  return files
    .map((f) => {
      try {
        const st = fs.statSync(f);
        return `${f}:${st.size}:${st.mtimeMs}:${st.ino}`;
      } catch {
        return `${f}:missing`;
      }
    })
    .join('|');
}

/** The uncompressed name of a manifest file (`x.gz` -> `x`), or undefined when it is not gzip. */
function rawName(name: string): string | undefined {
  return name.endsWith('.gz') ? name.slice(0, -3) : undefined;
}

/**
 * Whether a data file is there: true for a file, false when nothing is; a folder (or another
 * non-file) in its place is an error naming it, not "missing".
 */
function exists(file: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new Error(fileAccessMessage(file, e, 'the data file'));
    return false;
  }
  if (!st.isFile()) throw new Error(`${file} is a folder, not a file: remove or rename it (the data file ${path.basename(file)} is looked for there).`);
  return true;
}

/**
 * How to fix a bad file in a folder of this kind, for error messages.
 *
 * Usage: `fixFor('system', 'fashion-mnist')`
 */
export function fixFor(kind: CandidateDir['kind'], id: DatasetId): string {
  switch (kind) {
    case 'system':
      return id === 'fashion-mnist' ? 'reinstall the package: sudo apt-get install --reinstall dataset-fashion-mnist' : 'reinstall the system package that installed it';
    case 'env':
      return `replace it with a good copy (see data/manifest.json for the URL and sha256), or unset TSDL_DATA_DIR`;
    case 'shared':
      return 'replace it with a good copy of the shared data (see data/manifest.json for the URL and sha256)';
    case 'cache':
      return 'delete it (it is in the download cache) and run again to download a fresh copy';
  }
}

/** The path of one file in a folder: the manifest name, else its uncompressed name; undefined if neither. */
function fileIn(dir: string, entry: ManifestFile): string | undefined {
  const gz = path.join(dir, entry.name);
  if (exists(gz)) return gz;
  const raw = rawName(entry.name);
  if (raw !== undefined && exists(path.join(dir, raw))) return path.join(dir, raw);
  return undefined;
}

/** A file's URL on a mirror: the base URL (a trailing slash is added) plus the file name. */
function mirrorUrl(base: string, name: string): string {
  let url: URL;
  try {
    url = new URL(name, base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new Error(`The mirror option "${base}" is not a valid URL: give a base URL such as http://host/fashion-mnist/.`);
  }
  return url.toString();
}

/** The text of the error when a data set is nowhere and may not be downloaded. */
function missingMessage(id: DatasetId, names: string[], tried: CandidateDir[]): string {
  const lines = [
    `The ${loadManifest().datasets[id].title} files (${names.join(', ')}) were not found in:`,
    ...tried.map((c) => `  - ${c.label}`),
    'and downloading is off. To fix, do one of:',
  ];
  if (id === 'fashion-mnist') lines.push('  - install the Debian package: sudo apt-get install dataset-fashion-mnist');
  lines.push(`  - set TSDL_DATA_DIR to a folder holding ${id}/ with these files`, '  - allow the download (download: true)');
  return lines.join('\n');
}

/**
 * Looks for the files in the lookup order without downloading anything new; returns undefined
 * when no folder has them. A damaged file in the cache is deleted (and then re-downloaded only
 * if `options.download` is true); a damaged file elsewhere throws.
 *
 * Usage: `const local = await findLocalDataset('mnist', names, { download: false });`
 */
export async function findLocalDataset(id: DatasetId, names: string[], options: LocateOptions = {}): Promise<LocatedDataset | undefined> {
  const entries = names.map((n) => manifestFile(id, n));
  for (const cand of candidateDirs(id, options)) {
    const found = entries.map((e) => fileIn(cand.dir, e));
    const present = found.filter((f): f is string => f !== undefined);
    if (present.length === 0) continue;
    const fix = fixFor(cand.kind, id);
    if (cand.kind === 'cache') return await fromCache(id, cand, entries, options);
    if (present.length < entries.length) {
      const missing = entries.filter((_, i) => found[i] === undefined).map((e) => e.name);
      throw new Error(`${cand.label} holds some ${id} files but lacks ${missing.join(', ')}. To fix: add the missing files (see data/manifest.json), or remove the folder so the next place in the lookup order is used.`);
    }
    const files: Record<string, string> = {};
    for (let i = 0; i < entries.length; i++) {
      const file = found[i] as string;
      files[entries[i].name] = file;
      if (path.basename(file) !== entries[i].name) continue; // an uncompressed copy: checked by the reader
      const check = await verifyFile(file, entries[i]);
      if (!check.ok && check.unreadable !== undefined) {
        throw new Error(`${file} cannot be read (${check.unreadable}); it is in ${cand.label} and was left as it is. To fix: make it readable (chmod a+r ${file}) or run as a user who may read it.`);
      }
      if (!check.ok) {
        throw new Error(`${file} does not match data/manifest.json: ${check.reason}. It is in ${cand.label}, which the course never modifies. To fix: ${fix}.`);
      }
    }
    return { dir: cand.dir, kind: cand.kind, source: cand.label, files, downloaded: false, fix };
  }
  return undefined;
}

async function fromCache(id: DatasetId, cand: CandidateDir, entries: ManifestFile[], options: LocateOptions): Promise<LocatedDataset> {
  const files: Record<string, string> = {};
  let downloaded = false;
  const { download, timeoutMs, totalTimeoutMs, maxRedirects, onProgress, maxBytes } = options;
  const hint = missingMessage(id, entries.map((e) => e.name), candidateDirs(id, options));
  for (const listed of entries) {
    const entry = options.mirror === undefined ? listed : { ...listed, url: mirrorUrl(options.mirror, listed.name) };
    const raw = rawName(entry.name);
    const gz = path.join(cand.dir, entry.name);
    if (!exists(gz) && raw !== undefined && exists(path.join(cand.dir, raw))) {
      files[entry.name] = path.join(cand.dir, raw);
      continue;
    }
    const r = await ensureFile(entry, cand.dir, { download: download ?? true, timeoutMs, totalTimeoutMs, maxRedirects, onProgress, maxBytes, missingHint: hint });
    downloaded ||= r.downloaded;
    files[entry.name] = r.path;
  }
  const from = options.mirror ?? new URL(entries[0].url).host;
  const source = downloaded ? `downloaded into ${cand.label} from ${from}` : cand.label;
  return { dir: cand.dir, kind: 'cache', source, files, downloaded, fix: fixFor('cache', id) };
}

/**
 * Finds the files (see findLocalDataset) or, when they are nowhere and `download` is not false,
 * downloads them into the cache. Throws a message listing the folders tried and the fixes when
 * the files are missing and may not be downloaded.
 *
 * Usage: `const found = await locateDataset('california-housing', ['housing.csv']);`
 */
export async function locateDataset(id: DatasetId, names: string[], options: LocateOptions = {}): Promise<LocatedDataset> {
  const local = await findLocalDataset(id, names, options);
  if (local) return local;
  const tried = candidateDirs(id, options);
  if (options.download === false || options.dataDir !== undefined) {
    throw new Error(options.dataDir !== undefined ? `The ${id} files (${names.join(', ')}) are not in the dataDir folder ${path.resolve(options.dataDir)}. To fix: put them there, or leave dataDir out to use the lookup order and the download.` : missingMessage(id, names, tried));
  }
  const dir = downloadDir(id, options);
  const cache: CandidateDir = tried.find((c) => c.dir === dir) ?? { dir, kind: 'cache', label: `the download cache (${dir})` };
  return fromCache(id, cache, names.map((n) => manifestFile(id, n)), options);
}
