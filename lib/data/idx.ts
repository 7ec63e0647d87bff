/**
 * IDX reader (the MNIST / Fashion-MNIST file format), for raw and gzip-compressed files.
 *
 * An IDX file is a 4-byte magic number (two zero bytes, a type byte, a dimension count), one
 * big-endian uint32 per dimension, then the values. The course reads two kinds, both unsigned
 * bytes: labels (magic 0x00000801, one dimension) and images (0x00000803: count, rows, cols).
 * Every check failure throws an Error naming the file, what is wrong and how to fix it; a
 * header that claims more data than the file holds is refused before anything is allocated
 * for it.
 *
 * Usage:
 *   const images = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz', { kind: 'images' });
 *   images.shape; // [10000, 28, 28]
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { fileAccessMessage } from './verify';

/** Labels: unsigned bytes, one dimension. */
export const IDX_MAGIC_LABELS = 0x00000801;
/** Images: unsigned bytes, three dimensions (count, rows, columns). */
export const IDX_MAGIC_IMAGES = 0x00000803;

/** The two kinds of IDX file the course reads. */
export type IdxKind = 'labels' | 'images';

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  /** `labels` (1-D) or `images` (3-D). */
  kind: IdxKind;
  /** Dimensions from the header: [count] or [count, rows, cols]. */
  shape: number[];
  /** The values, row-major; a fresh array owning its buffer (byteOffset 0). */
  data: Uint8Array;
}

/** What to check besides the format itself. */
export interface IdxExpect {
  /** Required kind; another kind is an error. */
  kind?: IdxKind;
  /** Required number of items (first dimension). */
  count?: number;
  /** Required [rows, cols] for images. */
  imageShape?: [number, number];
  /** How to fix a bad file, appended to every error (default: delete it so it is fetched again). */
  fix?: string;
  /** Largest decompressed size accepted, in bytes (default 1 GiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 ** 30;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};
const DEFAULT_FIX = 'delete the file so that it is downloaded again, or replace it with a good copy';

function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

function bad(source: string, what: string, fix: string): Error {
  return new Error(`${source}: ${what}. To fix: ${fix}.`);
}

/** True when the bytes start with the gzip signature 1f 8b. Usage: `if (isGzip(bytes)) bytes = gunzipChecked(bytes, f);` */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with a cap on the output size; a truncated or corrupt stream throws
 * an Error naming the source.
 *
 * Usage: `const raw = gunzipChecked(fs.readFileSync(f), f);`
 */
export function gunzipChecked(bytes: Uint8Array, source: string, fix: string = DEFAULT_FIX, maxBytes: number = DEFAULT_MAX_BYTES): Uint8Array {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw bad(source, `it decompresses to more than ${maxBytes} bytes, far more than any course data set`, fix);
    }
    const why = err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message) ? 'the gzip data is truncated (unexpected end of file)' : `the gzip data is corrupt (${err.message})`;
    throw bad(source, `${why}; the file is incomplete or damaged`, fix);
  }
}

/**
 * Parses IDX bytes (already decompressed). `source` names the file in errors.
 *
 * Usage: `const labels = parseIdx(bytes, 'labels.idx', { kind: 'labels', count: 10000 });`
 */
export function parseIdx(bytes: Uint8Array, source: string, expect: IdxExpect = {}): IdxArray {
  const fix = expect.fix ?? DEFAULT_FIX;
  if (isGzip(bytes)) throw bad(source, 'the bytes are still gzip-compressed; decompress them first (readIdxFile does)', fix);
  if (bytes.length < 8) throw bad(source, `it holds only ${bytes.length} bytes, less than the smallest IDX header (8 bytes)`, fix);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const type = bytes[2];
  const ndim = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw bad(source, `it is not an IDX file: the magic number is ${hex32(magic)}, but IDX files start with two zero bytes (labels ${hex32(IDX_MAGIC_LABELS)}, images ${hex32(IDX_MAGIC_IMAGES)})`, fix);
  }
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? 'an unknown type';
    throw bad(source, `magic number ${hex32(magic)} says the values are ${name} (type 0x${type.toString(16).padStart(2, '0')}); only unsigned-byte IDX files (${hex32(IDX_MAGIC_LABELS)} labels, ${hex32(IDX_MAGIC_IMAGES)} images) are supported`, fix);
  }
  if (magic !== IDX_MAGIC_LABELS && magic !== IDX_MAGIC_IMAGES) {
    throw bad(source, `magic number ${hex32(magic)} says ${ndim} dimensions; only labels (${hex32(IDX_MAGIC_LABELS)}, 1 dimension) and images (${hex32(IDX_MAGIC_IMAGES)}, 3 dimensions) are supported`, fix);
  }
  const kind: IdxKind = magic === IDX_MAGIC_LABELS ? 'labels' : 'images';
  if (expect.kind !== undefined && expect.kind !== kind) {
    throw bad(source, `it holds ${kind} (magic ${hex32(magic)}) but ${expect.kind} were expected (magic ${hex32(expect.kind === 'labels' ? IDX_MAGIC_LABELS : IDX_MAGIC_IMAGES)}); are the file names swapped?`, fix);
  }
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw bad(source, `it is truncated inside its header (${bytes.length} of ${headerBytes} header bytes)`, fix);
  const shape: number[] = [];
  for (let d = 0; d < ndim; d++) shape.push(view.getUint32(4 + 4 * d, false));
  // Exact in float64 for any shape that could be valid; absurd headers overflow to huge numbers, which still compare correctly.
  const claimed = shape.reduce((a, b) => a * b, 1);
  const held = bytes.length - headerBytes;
  const fmt = (n: number): string => (Number.isSafeInteger(n) ? n.toLocaleString('en-US') : `about ${n.toExponential(2)}`);
  if (claimed !== held) {
    const what = claimed > held
      ? `the header claims shape [${shape.join(', ')}] = ${fmt(claimed)} values but the file holds only ${fmt(held)} after the header; the file is truncated or its header is corrupt`
      : `the header claims shape [${shape.join(', ')}] = ${fmt(claimed)} values but the file holds ${fmt(held)} after the header (${fmt(held - claimed)} bytes too many); the file is corrupt`;
    throw bad(source, what, fix);
  }
  if (expect.count !== undefined && shape[0] !== expect.count) {
    throw bad(source, `it holds ${shape[0]} ${kind} but ${expect.count} were expected`, fix);
  }
  if (kind === 'images' && expect.imageShape !== undefined) {
    const [h, w] = expect.imageShape;
    if (shape[1] !== h || shape[2] !== w) throw bad(source, `its images are ${shape[1]}x${shape[2]} but ${h}x${w} were expected`, fix);
  }
  // A copy that owns its buffer: safe to wrap (new Float32Array(...)) and independent of zlib's
  // buffer. (Buffer#slice would return a view, hence Uint8Array's slice.)
  const data = Uint8Array.prototype.slice.call(bytes, headerBytes);
  return { kind, shape, data };
}

/**
 * Reads an IDX file, raw or gzip-compressed (told apart by content, not by name), and parses it.
 * A file larger than `maxBytes` is refused before it is read.
 *
 * Usage: `const labels = readIdxFile('data/cache/mnist/t10k-labels-idx1-ubyte.gz', { kind: 'labels' });`
 */
export function readIdxFile(file: string, expect: IdxExpect = {}): IdxArray {
  const fix = expect.fix ?? DEFAULT_FIX;
  const maxBytes = expect.maxBytes ?? DEFAULT_MAX_BYTES;
  let size: number;
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    size = st.size;
    if (size > maxBytes) throw bad(file, `it is ${size} bytes, larger than the ${maxBytes}-byte limit for an IDX file`, fix);
    bytes = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new Error(fileAccessMessage(file, e, 'the IDX file'));
  }
  const raw = isGzip(bytes) ? gunzipChecked(bytes, file, fix, maxBytes) : bytes;
  return parseIdx(raw, file, expect);
}

/** Images and their labels, checked to agree. */
export interface IdxPair {
  /** Pixels, count * rows * cols unsigned bytes. */
  images: Uint8Array;
  /** One label per image. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/**
 * Reads an images file and a labels file and checks they have the same count and that every
 * label is below `numClasses` (when given).
 *
 * Usage: `const test = readIdxPair(imgPath, lblPath, { numClasses: 10 });`
 */
export function readIdxPair(imagesFile: string, labelsFile: string, options: { numClasses?: number; fix?: string; imageShape?: [number, number] } = {}): IdxPair {
  const images = readIdxFile(imagesFile, { kind: 'images', fix: options.fix, imageShape: options.imageShape });
  const labels = readIdxFile(labelsFile, { kind: 'labels', fix: options.fix });
  const fix = options.fix ?? DEFAULT_FIX;
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(
      `${imagesFile} holds ${images.shape[0]} images but ${labelsFile} holds ${labels.shape[0]} labels; the two files must come from the same split of the same data set. To fix: ${fix}.`,
    );
  }
  if (options.numClasses !== undefined) {
    const k = options.numClasses;
    const i = labels.data.findIndex((v) => v >= k);
    if (i >= 0) throw bad(labelsFile, `label ${i} is ${labels.data[i]}, outside the ${k} classes 0..${k - 1}`, fix);
  }
  return { images: images.data, labels: labels.data, count: images.shape[0], height: images.shape[1], width: images.shape[2] };
}
