/**
 * Repeatable randomness. tfjs has no global seed: its initialisers, dropout masks and
 * fit's shuffling all draw their seeds from Math.random. `setGlobalSeed` replaces
 * Math.random with a seeded generator (seedrandom's alea), so that one seed makes a whole
 * notebook repeatable on a given backend, the way keras.utils.set_random_seed does.
 *
 * Usage: `setGlobalSeed(42); const rng = makeRng(7); rng.uniform();`
 */
import seedrandom from 'seedrandom';

const originalRandom = Math.random;
let currentSeed: number | undefined;

/** Makes Math.random (and so every tfjs random draw without its own seed) repeatable. */
export function setGlobalSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new Error(`setGlobalSeed: seed must be a finite number, got ${seed}`);
  const prng = seedrandom.alea(String(seed));
  Math.random = () => prng();
  currentSeed = seed;
}

/** Restores the unseeded Math.random. */
export function clearGlobalSeed(): void {
  Math.random = originalRandom;
  currentSeed = undefined;
}

/** The seed set by setGlobalSeed, if any. */
export function globalSeed(): number | undefined {
  return currentSeed;
}

/** A small seeded random source for data generation, independent of the global seed. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Fisher-Yates shuffle of a copy of the array. */
  shuffle<T>(items: readonly T[]): T[];
  /** 0..n-1 in random order. */
  permutation(n: number): Int32Array;
}

/** A seeded generator (seedrandom alea). Usage: `const rng = makeRng(42); rng.normal();` */
export function makeRng(seed: number): Rng {
  const prng = seedrandom.alea(String(seed));
  const uniform = (): number => prng();
  const int = (n: number): number => Math.floor(prng() * n);
  const rng: Rng = {
    uniform,
    int,
    normal(): number {
      let u = 0;
      while (u === 0) u = prng();
      const v = prng();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    permutation(n: number): Int32Array {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = int(i + 1);
        const t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
      return out;
    },
  };
  return rng;
}
