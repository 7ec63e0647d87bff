/**
 * Raw image values to 8-bit pixels: range conversion and the grayscale colour maps.
 *
 * Usage:
 *   const bytes = toBytes(batch, 'auto');            // [0,1] floats -> 0..255, uint8 kept as is
 *   const tiles = toBytes(weights, 'per-image');     // each tile stretched to 0..255
 */
import type { ImageBatch } from './batch';

/**
 * How raw values become 0..255:
 * - 'auto' (default): uint8 data as is; floats within [0,1] times 255; floats within [0,255] as is;
 *   anything else min-max over the whole batch.
 * - 'unit': values in [0,1] (clamped), times 255.
 * - 'byte': values in [0,255] (clamped, rounded).
 * - 'minmax': min-max over the whole batch (one scale for all images).
 * - 'per-image': min-max per image (weight tiles, feature maps).
 */
export type Normalize = 'auto' | 'unit' | 'byte' | 'minmax' | 'per-image';

/** 'gray': 0 is black (matplotlib cmap='gray'); 'binary': 0 is white (cmap='binary', the seeds' digits). */
export type ColorMap = 'gray' | 'binary';

const NORMALIZE_MODES: readonly Normalize[] = ['auto', 'unit', 'byte', 'minmax', 'per-image'];

function range(data: ArrayLike<number>, from = 0, to = data.length): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The mode 'auto' resolves to for this batch. Usage: `resolveNormalize(batch) // 'unit'` */
export function resolveNormalize(batch: ImageBatch, mode: Normalize = 'auto'): Exclude<Normalize, 'auto'> {
  if (!NORMALIZE_MODES.includes(mode)) {
    throw new Error(`normalize: '${String(mode)}' is not a mode; use one of ${NORMALIZE_MODES.join(', ')}.`);
  }
  if (mode !== 'auto') return mode;
  if (batch.data instanceof Uint8Array) return 'byte';
  const [lo, hi] = range(batch.data);
  if (lo >= 0 && hi <= 1) return 'unit';
  if (lo >= 0 && hi <= 255) return 'byte';
  return 'minmax';
}

function stretch(src: ArrayLike<number>, out: Uint8Array, from: number, to: number): void {
  const [lo, hi] = range(src, from, to);
  const span = hi - lo;
  for (let i = from; i < to; i++) {
    const v = src[i];
    // A constant tile (span 0) is drawn mid-gray so it is visibly "flat", not black.
    out[i] = Number.isNaN(v) ? 0 : span > 0 ? Math.round(((v - lo) / span) * 255) : 128;
  }
}

/**
 * Converts a batch's raw values to bytes 0..255 (same layout), then applies the colour map.
 * NaN values become 0 before the colour map.
 *
 * Usage: `toBytes(batch, 'per-image', 'binary')`
 */
export function toBytes(batch: ImageBatch, mode: Normalize = 'auto', cmap: ColorMap = 'gray'): Uint8Array {
  if (cmap !== 'gray' && cmap !== 'binary') throw new Error(`toBytes: cmap '${String(cmap)}' is unknown; use 'gray' or 'binary'.`);
  const resolved = resolveNormalize(batch, mode);
  const src = batch.data;
  const out = new Uint8Array(src.length);
  switch (resolved) {
    case 'unit':
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        out[i] = Number.isNaN(v) ? 0 : Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
      break;
    case 'byte':
      for (let i = 0; i < src.length; i++) {
        const v = src[i];
        out[i] = Number.isNaN(v) ? 0 : Math.round(Math.min(255, Math.max(0, v)));
      }
      break;
    case 'minmax':
      stretch(src, out, 0, src.length);
      break;
    case 'per-image': {
      const per = batch.height * batch.width * batch.channels;
      for (let n = 0; n < batch.count; n++) stretch(src, out, n * per, (n + 1) * per);
      break;
    }
  }
  if (cmap === 'binary') for (let i = 0; i < out.length; i++) out[i] = 255 - out[i];
  return out;
}
