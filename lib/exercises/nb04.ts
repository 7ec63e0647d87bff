/**
 * Checks of notebook 04's exercises (convolutions by hand).
 *
 * Usage (in the notebook): `import { check04_1 } from '../dist/lib/exercises'; await check04_1({ prewittMagnitude: prewittMagnitude });`
 */
import { Grid, combineGrids, convLayerCost, convOutputSize, convolutionMatrix, convolve2d, gridFromRows, gridToRows } from '../vision';
import { Verdict, close, describeValue, expect, expectFunction, expectNumber, need, runCheck } from './check';

/** The ids of notebook 04's exercises. */
export const EXERCISES_04: readonly string[] = ['04.1', '04.2', '04.3', '04.4', '04.5', '04.6', '04.7'];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomRows(h: number, w: number, seed: number, int = false): number[][] {
  const r = lcg(seed);
  return Array.from({ length: h }, () => Array.from({ length: w }, () => (int ? Math.floor(r() * 19) - 9 : r())));
}

function sameRows(got: unknown, want: number[][], tol = 1e-9): string | undefined {
  if (!Array.isArray(got)) return `it returned ${describeValue(got)}`;
  if (got.length !== want.length) return `it has ${got.length} rows instead of ${want.length}`;
  for (let y = 0; y < want.length; y++) {
    const row = got[y] as unknown;
    if (!Array.isArray(row) || row.length !== want[y].length) return `row ${y} has ${Array.isArray(row) ? row.length : 'no'} values instead of ${want[y].length}`;
    for (let x = 0; x < want[y].length; x++) {
      const v = row[x] as unknown;
      if (typeof v !== 'number' || !close(v, want[y][x], tol)) return `the value at row ${y}, column ${x} is ${String(v)}`;
    }
  }
  return undefined;
}

/**
 * Exercise 04.1: `prewittMagnitude(image)`, tried on a hidden random grid.
 * Usage: `await check04_1({ prewittMagnitude: prewittMagnitude })`
 */
export const check04_1 = (answer: { prewittMagnitude?: unknown }): Promise<Verdict> =>
  runCheck('04.1', 'Prewitt masks', () => {
    const f = expectFunction(need(answer.prewittMagnitude, 'prewittMagnitude', 'a function (image: V.Grid) => V.Grid'), 'prewittMagnitude', 1) as (g: Grid) => unknown;
    const image = gridFromRows(randomRows(7, 9, 404));
    const pv = gridFromRows([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]);
    const ph = gridFromRows([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]);
    const want = combineGrids(convolve2d(image, pv, { mode: 'same', boundary: 'symm' }), convolve2d(image, ph, { mode: 'same', boundary: 'symm' }), Math.hypot);
    const got = f(image) as Grid | undefined;
    expect(got !== undefined && got !== null && typeof got === 'object' && got.data !== undefined && got.height === 7 && got.width === 9,
      `on a hidden 7x9 image prewittMagnitude returned ${describeValue(got)}`, "return a grid of the image's size (mode 'same')");
    const bad = sameRows(gridToRows(got), gridToRows(want));
    expect(bad === undefined, `on a hidden 7x9 image, ${bad}`, "both Prewitt masks with V.convolve2d(image, mask, { mode: 'same', boundary: 'symm' }), then sqrt(v² + h²) pixel by pixel");
  });

/**
 * Exercise 04.2: `linearityGap` is the largest difference between the two sides (near 0).
 * Usage: `await check04_2({ linearityGap: linearityGap })`
 */
export const check04_2 = (answer: { linearityGap?: unknown }): Promise<Verdict> =>
  runCheck('04.2', 'Linearity', () => {
    const gap = expectNumber(need(answer.linearityGap, 'linearityGap', 'a number (the largest |left − right|)'), 'linearityGap');
    expect(gap >= 0, `linearityGap is ${gap}, a negative number`, 'take the absolute value of each difference, then the largest');
    expect(gap < 1e-9, `linearityGap is ${gap}: too large for two ways of computing the same thing`,
      'left: convolve 2·F1 − 0.5·F2 with S_v; right: 2·(F1 * S_v) − 0.5·(F2 * S_v), with the same mode and boundary on both sides');
  });

/**
 * Exercise 04.3: `fullConvolutionMatrix(H, W, kernel)`, tried on hidden sizes and kernels.
 * Usage: `await check04_3({ fullConvolutionMatrix: fullConvolutionMatrix })`
 */
export const check04_3 = (answer: { fullConvolutionMatrix?: unknown }): Promise<Verdict> =>
  runCheck('04.3', "The 'full' matrix", () => {
    const f = expectFunction(need(answer.fullConvolutionMatrix, 'fullConvolutionMatrix', 'a function (H, W, kernel) => number[][]'), 'fullConvolutionMatrix', 3) as
      (H: number, W: number, k: number[][]) => unknown;
    for (const [H, W, kh, kw, seed] of [[3, 5, 2, 3, 1], [4, 4, 3, 3, 2], [2, 3, 2, 2, 3]]) {
      const kernel = randomRows(kh, kw, seed, true);
      const want = gridToRows(convolutionMatrix(H, W, gridFromRows(kernel), { mode: 'full', flip: true }));
      const bad = sameRows(f(H, W, kernel.map((r) => r.slice())), want);
      expect(bad === undefined, `for a hidden ${H}x${W} image and ${kh}x${kw} kernel, ${bad}`,
        `one row per output pixel of the (H + kh − 1) x (W + kw − 1) result, one column per input pixel; out(y, x) = Σ k(s, t) I(y − s, x − t)`);
    }
  });

/**
 * Exercise 04.4: the seed CNN's first layer: parameters, multiplications, bytes per batch of 32.
 * Usage: `await check04_4({ c1Params: c1Params, c1Multiplications: c1Multiplications, c1BatchBytes: c1BatchBytes })`
 */
export const check04_4 = (answer: { c1Params?: unknown; c1Multiplications?: unknown; c1BatchBytes?: unknown }): Promise<Verdict> =>
  runCheck('04.4', "Memory of the seed's CNN", () => {
    const cost = convLayerCost({ input: [28, 28, 1], filters: 64, kernel: 7, padding: 'same' });
    const p = expectNumber(need(answer.c1Params, 'c1Params', 'a number'), 'c1Params');
    expect(p === cost.params, `c1Params is ${p}`, '(kernel height · kernel width · input channels + 1 bias) · filters');
    const m = expectNumber(need(answer.c1Multiplications, 'c1Multiplications', 'a number'), 'c1Multiplications');
    expect(m === cost.multiplications, `c1Multiplications is ${m}`, 'output values (28 · 28 · 64) times the inputs each one weighs (7 · 7 · 1)');
    const b = expectNumber(need(answer.c1BatchBytes, 'c1BatchBytes', 'a number of bytes'), 'c1BatchBytes');
    expect(b === cost.bytesPerInstance * 32, `c1BatchBytes is ${b}`, 'output values per image · 4 bytes (float32) · 32 images');
  });

/**
 * Exercise 04.5: `outputSize(n, f, stride, padding)`, tried on hidden sizes.
 * Usage: `await check04_5({ outputSize: outputSize })`
 */
export const check04_5 = (answer: { outputSize?: unknown }): Promise<Verdict> =>
  runCheck('04.5', 'Stride and padding', () => {
    const f = expectFunction(need(answer.outputSize, 'outputSize', 'a function (n, f, stride, padding) => number'), 'outputSize', 4) as (n: number, f: number, s: number, p: number) => unknown;
    for (const [n, k, s, p] of [[32, 5, 1, 2], [227, 11, 4, 0], [32, 5, 2, 1], [13, 3, 2, 1], [7, 7, 1, 0], [100, 4, 3, 2]]) {
      const got = f(n, k, s, p);
      const want = convOutputSize(n, k, { stride: s, padding: p });
      expect(got === want, `outputSize(${n}, ${k}, ${s}, ${p}) returned ${describeValue(got)}`, '⌊(n − f + 2p) / s⌋ + 1 (round down: a window that does not fit is not counted)');
    }
  });

/**
 * Exercise 04.6: `correlateStrided(image, kernel, stride)`, tried on hidden inputs.
 * Usage: `await check04_6({ correlateStrided: correlateStrided })`
 */
export const check04_6 = (answer: { correlateStrided?: unknown }): Promise<Verdict> =>
  runCheck('04.6', 'A strided cross-correlation, as loops', () => {
    const f = expectFunction(need(answer.correlateStrided, 'correlateStrided', 'a function (image, kernel, stride) => number[][]'), 'correlateStrided', 3) as
      (i: number[][], k: number[][], s: number) => unknown;
    for (const [h, w, kh, kw, stride, seed] of [[6, 7, 3, 2, 2, 11], [5, 5, 3, 3, 1, 12], [9, 8, 2, 3, 3, 13]]) {
      const image = randomRows(h, w, seed, true);
      const kernel = randomRows(kh, kw, seed + 100, true);
      const want: number[][] = [];
      for (let y = 0; y + kh <= h; y += stride) {
        const row: number[] = [];
        for (let x = 0; x + kw <= w; x += stride) {
          let sum = 0;
          for (let s = 0; s < kh; s++) for (let t = 0; t < kw; t++) sum += kernel[s][t] * image[y + s][x + t];
          row.push(sum);
        }
        want.push(row);
      }
      const bad = sameRows(f(image.map((r) => r.slice()), kernel.map((r) => r.slice()), stride), want);
      expect(bad === undefined, `on a hidden ${h}x${w} image with a ${kh}x${kw} kernel and stride ${stride}, ${bad}`,
        'no flip: out(y, x) = Σ k(s, t) · image(y·stride + s, x·stride + t), only where the kernel fits');
    }
  });

/**
 * Exercise 04.7: `maxPoolLoops(x, size, stride)`, tried on hidden inputs.
 * Usage: `await check04_7({ maxPoolLoops: maxPoolLoops })`
 */
export const check04_7 = (answer: { maxPoolLoops?: unknown }): Promise<Verdict> =>
  runCheck('04.7', 'Max pooling, as loops', () => {
    const f = expectFunction(need(answer.maxPoolLoops, 'maxPoolLoops', 'a function (x, size, stride) => number[][]'), 'maxPoolLoops', 3) as (x: number[][], s: number, st: number) => unknown;
    for (const [h, w, size, stride, seed] of [[6, 6, 2, 2, 21], [5, 7, 3, 1, 22], [7, 5, 3, 2, 23]]) {
      const x = randomRows(h, w, seed, true);
      const want: number[][] = [];
      for (let y = 0; y + size <= h; y += stride) {
        const row: number[] = [];
        for (let c = 0; c + size <= w; c += stride) row.push(Math.max(...x.slice(y, y + size).flatMap((r) => r.slice(c, c + size))));
        want.push(row);
      }
      const bad = sameRows(f(x.map((r) => r.slice()), size, stride), want);
      expect(bad === undefined, `on a hidden ${h}x${w} map with size ${size} and stride ${stride}, ${bad}`, 'windows start every `stride` pixels and must fit inside the map; keep each window\'s largest value');
    }
  });
