import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  asBatch,
  decodePng,
  encodePng,
  featureMapImages,
  gridPng,
  gridShape,
  imagePng,
  resolveNormalize,
  tilePngs,
  toBytes,
  toImageBatch,
  upscaleNearest,
  weightImages,
} from '../lib/images';

/** Gray level of pixel (x, y) of a decoded PNG (R channel; asserts R = G = B). */
function grayAt(png: Uint8Array, x: number, y: number): number {
  const img = PNG.sync.read(Buffer.from(png));
  const i = (y * img.width + x) * 4;
  expect(img.data[i]).toBe(img.data[i + 1]);
  expect(img.data[i]).toBe(img.data[i + 2]);
  return img.data[i];
}

/** Four 3x3 images with distinct values: image k pixel (y, x) = 10 * k + 3 * y + x. */
function fourImages(): Uint8Array {
  const data = new Uint8Array(4 * 9);
  for (let k = 0; k < 4; k++) for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) data[k * 9 + y * 3 + x] = 10 * k + 3 * y + x;
  return data;
}

describe('encodePng / decodePng', () => {
  it('round-trips grayscale pixels exactly', () => {
    const pixels = new Uint8Array([0, 64, 128, 255, 1, 2]);
    const png = encodePng(pixels, 3, 2, 1);
    const img = PNG.sync.read(Buffer.from(png));
    expect([img.width, img.height, img.colorType]).toEqual([3, 2, 0]);
    expect(Array.from({ length: 6 }, (_, i) => img.data[i * 4])).toEqual([0, 64, 128, 255, 1, 2]);
    expect(Array.from({ length: 6 }, (_, i) => img.data[i * 4 + 3])).toEqual([255, 255, 255, 255, 255, 255]);
  });

  it('round-trips RGB pixels exactly', () => {
    const pixels = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const { width, height, rgba } = decodePng(encodePng(pixels, 2, 2, 3));
    expect([width, height]).toEqual([2, 2]);
    expect(Array.from(rgba)).toEqual([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255]);
  });

  it('rejects a wrong byte count with the expected size', () => {
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow(/5 bytes for a 2x2x1 image; expected 4/);
  });
});

describe('upscaleNearest', () => {
  it('repeats each pixel as a scale x scale block', () => {
    expect(Array.from(upscaleNearest(new Uint8Array([1, 2, 3, 4]), 2, 2, 1, 2))).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });
  it('keeps RGB triples together', () => {
    expect(Array.from(upscaleNearest(new Uint8Array([9, 8, 7]), 1, 1, 3, 2))).toEqual([9, 8, 7, 9, 8, 7, 9, 8, 7, 9, 8, 7]);
  });
  it('rejects a fractional scale', () => {
    expect(() => upscaleNearest(new Uint8Array(1), 1, 1, 1, 1.5)).toThrow(/whole number/);
  });
});

describe('toImageBatch', () => {
  it('reads tensors of rank 2, 3 and 4 and flattened rows', () => {
    const t2 = tf.zeros([5, 4]);
    const t3 = tf.zeros([6, 5, 4]);
    const t4 = tf.zeros([2, 5, 4, 3]);
    const flat = tf.zeros([3, 20]);
    expect(toImageBatch(t2)).toMatchObject({ count: 1, height: 5, width: 4, channels: 1 });
    expect(toImageBatch(t3)).toMatchObject({ count: 6, height: 5, width: 4, channels: 1 });
    expect(toImageBatch(tf.zeros([5, 4, 3]), {}, true)).toMatchObject({ count: 1, height: 5, width: 4, channels: 3 });
    expect(toImageBatch(t4)).toMatchObject({ count: 2, height: 5, width: 4, channels: 3 });
    expect(toImageBatch(flat, { height: 5, width: 4 })).toMatchObject({ count: 3, height: 5, width: 4, channels: 1 });
    tf.dispose([t2, t3, t4, flat]);
  });

  it('reads flat arrays with a shape and nested arrays', () => {
    const b = toImageBatch(new Float32Array(18), { height: 3, width: 3 });
    expect(b.count).toBe(2);
    const nested = toImageBatch([[0, 1], [2, 3]]);
    expect(nested).toMatchObject({ count: 1, height: 2, width: 2, channels: 1 });
    expect(Array.from(nested.data)).toEqual([0, 1, 2, 3]);
    expect(asBatch([[[0, 1], [2, 3]], [[4, 5], [6, 7]]]).count).toBe(2);
    expect(asBatch([[[1, 2, 3]]], { channels: 3 })).toMatchObject({ count: 1, height: 1, width: 1, channels: 3 });
  });

  it('reads a dataset split ({ images, count, height, width }) and lists of splits', () => {
    const split = { images: fourImages(), labels: new Uint8Array(4), count: 4, height: 3, width: 3 };
    const b = toImageBatch(split);
    expect(b).toMatchObject({ count: 4, height: 3, width: 3, channels: 1 });
    expect(b.data[9]).toBe(10);
    expect(asBatch([split, split]).count).toBe(8);
    expect(() => toImageBatch({ ...split, count: 5 })).toThrow(/says 5 images of 3x3 but holds 36 bytes/);
  });

  it('names the problem for bad shapes', () => {
    expect(() => toImageBatch(new Float32Array(10), { height: 3, width: 3 })).toThrow(/10 values are not a whole number of 3x3x1 images/);
    expect(() => toImageBatch(new Float32Array(9))).toThrow(/needs \{ height, width \}/);
    const t = tf.zeros([2, 3, 3, 2]);
    expect(() => toImageBatch(t)).toThrow(/2 channels per pixel/);
    t.dispose();
  });
});

describe('normalisation', () => {
  const batchOf = (values: number[]) => toImageBatch(Float32Array.from(values), { height: 1, width: values.length });

  it("'auto' maps [0,1] floats to 0..255, keeps 0..255 values and bytes", () => {
    expect(resolveNormalize(batchOf([0, 0.5, 1]))).toBe('unit');
    expect(Array.from(toBytes(batchOf([0, 0.5, 1])))).toEqual([0, 128, 255]);
    expect(resolveNormalize(batchOf([0, 7, 200]))).toBe('byte');
    expect(Array.from(toBytes(batchOf([0, 7, 200])))).toEqual([0, 7, 200]);
    expect(resolveNormalize(toImageBatch(new Uint8Array([0, 1]), { height: 1, width: 2 }))).toBe('byte');
    expect(Array.from(toBytes(batchOf([-1, 0, 3])))).toEqual([0, 64, 255]); // min-max
  });

  it("'per-image' stretches each image to 0..255 on its own, a flat image to 128", () => {
    const b = toImageBatch(Float32Array.from([0, 1, 10, 30, 5, 5]), { height: 1, width: 2 });
    expect(Array.from(toBytes(b, 'per-image'))).toEqual([0, 255, 0, 255, 128, 128]);
    expect(Array.from(toBytes(b, 'minmax'))).toEqual([0, 9, 85, 255, 43, 43]);
  });

  it("'binary' inverts (0 is white) and 'unit' clamps", () => {
    expect(Array.from(toBytes(batchOf([0, 1, 2]), 'unit', 'binary'))).toEqual([255, 0, 0]);
  });

  it('rejects an unknown mode', () => {
    expect(() => toBytes(batchOf([0]), 'bogus' as never)).toThrow(/'bogus' is not a mode/);
  });
});

describe('gridPng', () => {
  it('lays out a 2x2 grid of 3x3 images at scale 2 pixel for pixel', () => {
    const png = gridPng(fourImages(), { height: 3, width: 3, rows: 2, cols: 2, scale: 2, gap: 0 });
    const img = PNG.sync.read(Buffer.from(png));
    expect([img.width, img.height]).toEqual([12, 12]);
    for (let Y = 0; Y < 12; Y++) {
      for (let X = 0; X < 12; X++) {
        const k = Math.floor(Y / 6) * 2 + Math.floor(X / 6); // which image
        const y = Math.floor((Y % 6) / 2);
        const x = Math.floor((X % 6) / 2);
        expect(img.data[(Y * 12 + X) * 4]).toBe(10 * k + 3 * y + x);
      }
    }
  });

  it('puts gaps of the background level between tiles and fills empty cells', () => {
    // 3 images in a 2x2 grid, gap 1, background 200: 7x7 pixels, last cell empty.
    const png = gridPng(fourImages().subarray(0, 27), { height: 3, width: 3, cols: 2, gap: 1, background: 200 });
    const img = PNG.sync.read(Buffer.from(png));
    expect([img.width, img.height]).toEqual([7, 7]);
    expect(grayAt(png, 3, 0)).toBe(200); // vertical gap
    expect(grayAt(png, 0, 3)).toBe(200); // horizontal gap
    expect(grayAt(png, 4, 0)).toBe(10); // image 1 starts after the gap
    expect(grayAt(png, 0, 4)).toBe(20); // image 2 on the second row
    expect(grayAt(png, 6, 6)).toBe(200); // empty 4th cell
  });

  it('encodes RGB images as colour PNGs', () => {
    const rgb = new Float32Array([1, 0, 0, 0, 0, 1]); // two 1x1 images: red, blue in [0,1]
    const { width, height, rgba } = decodePng(gridPng(rgb, { height: 1, width: 1, channels: 3, gap: 1, background: 0 }));
    expect([width, height]).toEqual([3, 1]);
    expect(Array.from(rgba)).toEqual([255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('reads a list of tensors', () => {
    const a = tf.fill([2, 2], 0.0);
    const b = tf.fill([2, 2], 1.0);
    const png = gridPng([a, b], { gap: 0 });
    expect(grayAt(png, 0, 0)).toBe(0);
    expect(grayAt(png, 3, 1)).toBe(255);
    tf.dispose([a, b]);
  });

  it('chooses rows and columns like the seeds (10 per row) and rejects a grid too small', () => {
    expect(gridShape(25)).toEqual({ rows: 3, cols: 10 });
    expect(gridShape(6, { rows: 2 })).toEqual({ rows: 2, cols: 3 });
    expect(() => gridShape(5, { rows: 2, cols: 2 })).toThrow(/4 cells but there are 5 images/);
  });
});

describe('imagePng / tilePngs', () => {
  it('encodes one image of a batch, scaled and colour-mapped', () => {
    const png = imagePng(fourImages(), { height: 3, width: 3, index: 2, scale: 3, cmap: 'binary' });
    const img = PNG.sync.read(Buffer.from(png));
    expect([img.width, img.height]).toEqual([9, 9]);
    expect(img.data[0]).toBe(255 - 20);
    expect(img.data[(8 * 9 + 8) * 4]).toBe(255 - 28);
    expect(() => imagePng(fourImages(), { height: 3, width: 3, index: 4 })).toThrow(/index 4 is out of range; the batch has 4 images/);
  });

  it('encodes only the requested tiles', () => {
    const pngs = tilePngs(fourImages(), { height: 3, width: 3, indices: [3, 1] });
    expect(pngs.length).toBe(2);
    expect(grayAt(pngs[0], 0, 0)).toBe(30);
    expect(grayAt(pngs[1], 2, 2)).toBe(18);
  });
});

describe('weight and feature-map tiles', () => {
  it('turns each column of a [h*w, k] matrix into a tile', () => {
    // 4 inputs (2x2 tiles), 3 units: W[i][u] = 10 * u + i.
    const w = tf.tensor2d([0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23], [4, 3]);
    const tiles = weightImages(w, { height: 2, width: 2 });
    expect(tiles.count).toBe(3);
    expect(Array.from(tiles.data)).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
    expect(weightImages(w, { height: 2, width: 2, units: 2 }).count).toBe(2);
    expect(() => weightImages(w, { height: 28, width: 28 })).toThrow(/4 rows \(inputs\) but tiles of 28x28 need 784/);
    // Per-tile normalisation: every tile spans 0..255.
    expect(Array.from(toBytes(tiles, 'per-image'))).toEqual([0, 85, 170, 255, 0, 85, 170, 255, 0, 85, 170, 255]);
    w.dispose();
  });

  it('turns each channel of an [h, w, c] activation into a tile', () => {
    const a = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]); // pixel p, channel c = 2p + c + 1
    const maps = featureMapImages(a);
    expect(maps).toMatchObject({ count: 2, height: 2, width: 2, channels: 1 });
    expect(Array.from(maps.data)).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
    const batch2 = tf.zeros([2, 2, 2, 2]);
    expect(() => featureMapImages(batch2)).toThrow(/a batch of 2 activations/);
    tf.dispose([a, batch2]);
  });
});
