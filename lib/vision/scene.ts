/**
 * Test images made by code (no download): a grey synthetic scene with edges in every direction,
 * smooth gradients, fine texture and a little noise, the stand-in for the seed's
 * skimage `data.camera()`; and bilinear upscaling (to enlarge a 28x28 Fashion-MNIST image).
 *
 * Usage: `const image = syntheticScene(); // 256x256, values in [0, 1]`
 */
import { makeRng } from '../random';
import { Grid, checkSize, zerosGrid } from './grid';

export interface SceneOptions {
  /** Side in pixels (default 256, at least 32). */
  size?: number;
  /** Standard deviation of the Gaussian pixel noise (default 0.02). */
  noise?: number;
  /** Seed of the noise (default 0). */
  seed?: number;
}

/**
 * A size x size grey scene in [0, 1]: a sky gradient, a sun (disc), a house with a triangular
 * roof, a door and windows, hills, a checkerboard pavement and fine stripes (text-like
 * texture), plus mild noise.
 *
 * Usage: `const img = syntheticScene({ size: 128 });`
 */
export function syntheticScene(options: SceneOptions = {}): Grid {
  const size = options.size ?? 256;
  checkSize('scene size', size);
  if (size < 32) throw new Error(`syntheticScene: size must be at least 32, got ${size}.`);
  const noise = options.noise ?? 0.02;
  const rng = makeRng(options.seed ?? 0);
  const img = zerosGrid(size, size);
  const u = (v: number): number => v * size; // relative to pixels
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const fx = x / size;
      const fy = y / size;
      // Sky: darker at the top.
      let v = 0.45 + 0.35 * fy;
      // Sun.
      if ((fx - 0.8) ** 2 + (fy - 0.18) ** 2 < 0.09 ** 2) v = 0.97;
      // Hills: a sine horizon.
      const horizon = 0.62 + 0.05 * Math.sin(fx * 2 * Math.PI * 1.5);
      if (fy > horizon) v = 0.3 + 0.1 * Math.sin(fx * 40) * Math.sin(fy * 40);
      // Pavement: checkerboard in the lower band.
      if (fy > 0.82) v = (Math.floor(x / u(0.0625)) + Math.floor(y / u(0.0625))) % 2 === 0 ? 0.85 : 0.15;
      // House body.
      if (fx > 0.15 && fx < 0.5 && fy > 0.45 && fy < 0.82) v = 0.7;
      // Roof: triangle above the body.
      if (fy <= 0.45 && fy > 0.25) {
        const half = ((fy - 0.25) / 0.2) * 0.2;
        if (Math.abs(fx - 0.325) < half) v = 0.2;
      }
      // Door.
      if (fx > 0.29 && fx < 0.36 && fy > 0.64 && fy < 0.82) v = 0.1;
      // Windows with a cross.
      for (const wx of [0.19, 0.4]) {
        if (fx > wx && fx < wx + 0.07 && fy > 0.5 && fy < 0.58) {
          const bar = Math.abs(fx - (wx + 0.035)) < 0.005 || Math.abs(fy - 0.54) < 0.005;
          v = bar ? 0.7 : 0.05;
        }
      }
      // A sign with fine vertical stripes (text-like texture) on the right.
      if (fx > 0.6 && fx < 0.9 && fy > 0.45 && fy < 0.55) v = x % 4 < 2 ? 0.95 : 0.35;
      img.data[y * size + x] = v + noise * rng.normal();
    }
  }
  return img;
}

/**
 * Bilinear upscaling by an integer factor (pixel centres aligned, edges clamped).
 *
 * Usage: `const big = upscale(fashionImage28, 8); // 224x224`
 */
export function upscale(grid: Grid, factor: number): Grid {
  checkSize('upscale factor', factor);
  const H = grid.height * factor;
  const W = grid.width * factor;
  const out = zerosGrid(H, W);
  const at = (r: number, c: number): number =>
    grid.data[Math.min(grid.height - 1, Math.max(0, r)) * grid.width + Math.min(grid.width - 1, Math.max(0, c))];
  for (let y = 0; y < H; y++) {
    const sy = (y + 0.5) / factor - 0.5;
    const y0 = Math.floor(sy);
    const dy = sy - y0;
    for (let x = 0; x < W; x++) {
      const sx = (x + 0.5) / factor - 0.5;
      const x0 = Math.floor(sx);
      const dx = sx - x0;
      out.data[y * W + x] =
        (1 - dy) * ((1 - dx) * at(y0, x0) + dx * at(y0, x0 + 1)) + dy * ((1 - dx) * at(y0 + 1, x0) + dx * at(y0 + 1, x0 + 1));
    }
  }
  return out;
}
