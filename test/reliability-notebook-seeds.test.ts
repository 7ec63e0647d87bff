// Determinism of the notebooks, statically: every course notebook seeds Math.random (and so
// tfjs's initialisers, dropout and shuffling) in its first code cells, reads its sizes once
// from profileSizes, and never branches on the profile. Re-running a notebook then prints the
// same numbers (test/reliability-notebook-rerun.test.ts checks that by running one twice).
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { listNotebooks } from '../scripts/run-notebooks';

const root = path.resolve(__dirname, '..');

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** The code cells' sources of a notebook, in order. */
function codeCells(file: string): string[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Cell[] };
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

/** Drops // line comments and /* *\/ comments so that prose does not count as a call. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** 1-based indices of the code cells matching a pattern. */
function cellsMatching(cells: string[], re: RegExp): number[] {
  return cells.flatMap((c, i) => (re.test(stripComments(c)) ? [i + 1] : []));
}

const SEED_CALL = /\bsetGlobalSeed\(\s*\d+\s*\)/;
const PROFILE_CALL = /\bprofileSizes\(/;
// A comparison with a profile name, or reading COURSE_PROFILE directly: a branch on the profile.
const PROFILE_BRANCH = /(['"`](smoke|full)['"`]\s*[!=]==?)|([!=]==?\s*['"`](smoke|full)['"`])|process\.env\.COURSE_PROFILE|process\.env\[['"`]COURSE_PROFILE/;
// The first use of randomness a notebook could make before its seed: building or fitting a model, random tensors.
const RANDOM_USE = /\b(fit|fitDataset|trainOnBatch|seedMlp|tf\.sequential|tf\.model|tf\.random\w*|tf\.layers\.\w+)\s*\(/;

const notebooks = listNotebooks(path.join(root, 'notebooks'));

describe('every notebook is seeded and sized by its profile', () => {
  it('finds the course notebooks', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(8);
    expect(path.basename(notebooks[0])).toBe('00-getting-started.ipynb');
  });

  for (const nb of notebooks) {
    const name = path.basename(nb);
    it(`${name}: setGlobalSeed(<number>) in its first two code cells, before any model or random tensor`, () => {
      const cells = codeCells(nb);
      const seeded = cellsMatching(cells, SEED_CALL);
      expect(seeded.length, `${name} never calls setGlobalSeed(42): add it to the first code cell`).toBeGreaterThan(0);
      expect(seeded[0], `${name} seeds first in code cell ${seeded[0]}: move setGlobalSeed(42) into the first code cell`).toBeLessThanOrEqual(2);
      const random = cellsMatching(cells, RANDOM_USE);
      if (random.length > 0) expect(seeded[0], `${name} builds a model or draws random numbers in code cell ${random[0]} before seeding`).toBeLessThanOrEqual(random[0]);
    });

    it(`${name}: reads its sizes once from profileSizes in its first three code cells and never branches on the profile`, () => {
      const cells = codeCells(nb);
      const sized = cellsMatching(cells, PROFILE_CALL);
      expect(sized, `${name} must call profileSizes({ full, smoke }) exactly once, in its first code cells`).toHaveLength(1);
      expect(sized[0]).toBeLessThanOrEqual(3);
      expect(cellsMatching(cells, PROFILE_BRANCH), `${name} compares the profile name: read sizes from profileSizes instead`).toEqual([]);
    });
  }
});

describe('the scan itself', () => {
  it('sees calls, ignores comments and imports, and spots a branch on the profile', () => {
    const cells = [
      "import { setGlobalSeed } from '../dist/lib/random';\n// setGlobalSeed(1) later",
      'const P = profileSizes({ full: { n: 1 }, smoke: { n: 1 } });\nsetGlobalSeed(42);',
      "if (P.profile === 'smoke') console.log(1);",
      'const m = tf.sequential({ layers: [] });',
    ];
    expect(cellsMatching(cells, SEED_CALL)).toEqual([2]);
    expect(cellsMatching(cells, PROFILE_CALL)).toEqual([2]);
    expect(cellsMatching(cells, PROFILE_BRANCH)).toEqual([3]);
    expect(cellsMatching(cells, RANDOM_USE)).toEqual([4]);
    expect(cellsMatching(['const s = process.env.COURSE_PROFILE;'], PROFILE_BRANCH)).toEqual([1]);
    expect(cellsMatching(["console.log(`profile ${P.profile}`);"], PROFILE_BRANCH)).toEqual([]);
    expect(cellsMatching(["const url = 'http://x/y'; setGlobalSeed(7);"], SEED_CALL)).toEqual([1]);
  });
});
