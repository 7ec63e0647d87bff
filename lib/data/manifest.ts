/**
 * data/manifest.json: for each data set, its files with URL, size and sha256. The loaders
 * check every file they find or download against it.
 *
 * Usage: `const file = manifestFile('fashion-mnist', 'train-labels-idx1-ubyte.gz'); file.sha256;`
 */
import * as fs from 'fs';
import * as path from 'path';
import { DATASET_IDS, DatasetId, packageRoot } from './paths';

/** One downloadable file of a data set. */
export interface ManifestFile {
  /** File name in the data set's folder, e.g. `train-images-idx3-ubyte.gz`. */
  name: string;
  /** Where to download it from (http or https). */
  url: string;
  /** Exact size in bytes. */
  size: number;
  /** Lower-case hex sha256 of the whole file. */
  sha256: string;
}

/** One data set of the manifest. */
export interface ManifestDataset {
  title: string;
  license: string;
  homepage: string;
  files: ManifestFile[];
}

/** The whole manifest. */
export interface Manifest {
  version: number;
  datasets: Record<DatasetId, ManifestDataset>;
}

let cached: Manifest | undefined;

function fail(file: string, what: string): never {
  throw new Error(`${file} is not a valid data manifest: ${what}. Restore it with: git checkout -- data/manifest.json`);
}

function str(v: unknown, file: string, where: string): string {
  if (typeof v !== 'string' || v === '') fail(file, `${where} must be a non-empty string`);
  return v;
}

/**
 * Checks the shape of a parsed manifest and returns it typed; throws naming the first problem.
 *
 * Usage: `const m = parseManifest(JSON.parse(text), 'data/manifest.json');`
 */
export function parseManifest(raw: unknown, file: string): Manifest {
  if (typeof raw !== 'object' || raw === null) fail(file, 'the top level must be an object');
  const top = raw as { version?: unknown; datasets?: unknown };
  if (typeof top.version !== 'number') fail(file, '"version" must be a number');
  if (typeof top.datasets !== 'object' || top.datasets === null) fail(file, '"datasets" must be an object');
  const datasets = top.datasets as Record<string, unknown>;
  const out = {} as Record<DatasetId, ManifestDataset>;
  for (const id of DATASET_IDS) {
    const d = datasets[id];
    if (typeof d !== 'object' || d === null) fail(file, `data set "${id}" is missing`);
    const ds = d as Record<string, unknown>;
    if (!Array.isArray(ds.files) || ds.files.length === 0) fail(file, `datasets.${id}.files must be a non-empty array`);
    const files = ds.files.map((f: unknown, i: number): ManifestFile => {
      const where = `datasets.${id}.files[${i}]`;
      if (typeof f !== 'object' || f === null) fail(file, `${where} must be an object`);
      const r = f as Record<string, unknown>;
      const name = str(r.name, file, `${where}.name`);
      const url = str(r.url, file, `${where}.url`);
      if (!/^https?:\/\//.test(url)) fail(file, `${where}.url must start with http:// or https://`);
      if (typeof r.size !== 'number' || !Number.isInteger(r.size) || r.size <= 0) fail(file, `${where}.size must be a positive integer`);
      const sha256 = str(r.sha256, file, `${where}.sha256`);
      if (!/^[0-9a-f]{64}$/.test(sha256)) fail(file, `${where}.sha256 must be 64 lower-case hex digits`);
      return { name, url, size: r.size, sha256 };
    });
    out[id] = {
      title: str(ds.title, file, `datasets.${id}.title`),
      license: str(ds.license, file, `datasets.${id}.license`),
      homepage: str(ds.homepage, file, `datasets.${id}.homepage`),
      files,
    };
  }
  return { version: top.version, datasets: out };
}

/**
 * The manifest at `<repo>/data/manifest.json`, read and checked once per process.
 *
 * Usage: `const m = loadManifest(); m.datasets.mnist.files.length; // 4`
 */
export function loadManifest(): Manifest {
  if (cached) return cached;
  const file = path.join(packageRoot(), 'data', 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the data manifest ${file} (${(e as Error).message}). Restore it with: git checkout -- data/manifest.json`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(file, `it is not JSON (${(e as Error).message})`);
  }
  cached = parseManifest(raw, file);
  return cached;
}

/**
 * One file's manifest entry; throws when the data set has no such file.
 *
 * Usage: `const f = manifestFile('california-housing', 'housing.csv');`
 */
export function manifestFile(id: DatasetId, name: string): ManifestFile {
  const ds = loadManifest().datasets[id];
  const f = ds.files.find((x) => x.name === name);
  if (!f) throw new Error(`data/manifest.json lists no file "${name}" for ${id} (it has: ${ds.files.map((x) => x.name).join(', ')}).`);
  return f;
}
