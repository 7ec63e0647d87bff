/**
 * PNG encoding (pngjs) of 8-bit grayscale or RGB pixels, nearest-neighbour upscaling, data URIs.
 *
 * Usage:
 *   const png = encodePng(bytes, 28, 28, 1);
 *   const big = encodePng(upscaleNearest(bytes, 28, 28, 1, 4), 112, 112, 1);
 *   `<img src="${pngDataUri(png)}">`
 */
import { PNG } from 'pngjs';
import type { Channels } from './batch';

function checkSize(width: number, height: number, where: string): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new Error(`${where}: size ${width}x${height} is not a positive whole number of pixels.`);
  }
}

/**
 * Encodes row-major 8-bit pixels (1 byte per pixel for grayscale, 3 for RGB) as PNG bytes.
 * Usage: `encodePng(new Uint8Array([0, 255, 255, 0]), 2, 2, 1)`
 */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: Channels): Uint8Array {
  checkSize(width, height, 'encodePng');
  if (channels !== 1 && channels !== 3) throw new Error(`encodePng: ${String(channels)} channels; use 1 (grayscale) or 3 (RGB).`);
  if (pixels.length !== width * height * channels) {
    throw new Error(`encodePng: ${pixels.length} bytes for a ${width}x${height}x${channels} image; expected ${width * height * channels}.`);
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.length);
  const colorType = channels === 1 ? 0 : 2;
  const buf = PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, bitDepth: 8 });
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Nearest-neighbour upscaling by a whole factor (each pixel becomes a scale x scale block).
 * Usage: `upscaleNearest(bytes, 28, 28, 1, 3)` gives 84x84 pixels.
 */
export function upscaleNearest(pixels: Uint8Array, width: number, height: number, channels: Channels, scale: number): Uint8Array {
  checkSize(width, height, 'upscaleNearest');
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`upscaleNearest: scale ${scale} must be a whole number >= 1 (nearest-neighbour).`);
  if (scale === 1) return pixels;
  const outW = width * scale;
  const out = new Uint8Array(outW * height * scale * channels);
  for (let y = 0; y < height * scale; y++) {
    const sy = Math.floor(y / scale);
    for (let x = 0; x < outW; x++) {
      const s = (sy * width + Math.floor(x / scale)) * channels;
      const d = (y * outW + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = pixels[s + c];
    }
  }
  return out;
}

/** A `data:image/png;base64,...` URI for an <img> src or a plotly layout image. Usage: `pngDataUri(png)` */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.length).toString('base64')}`;
}

/** Decoded PNG: size, and RGBA bytes (pngjs's layout). Usage: `decodePng(png).rgba[0]` */
export function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const img = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.length));
  return { width: img.width, height: img.height, rgba: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length) };
}
