// The library's folder structure: no import loop between folders, no import from a folder back
// up into one that imports it, and no file inside lib importing lib/index.ts (the one-import
// entry point). Each lib folder (and each file at lib/'s top level) is a node; an import from a
// file in folder A of a file in folder B is an edge A -> B. Imports are read with TypeScript's
// own pre-processor, so comments (the Usage lines) do not count and `import type` does.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';

const LIB = path.resolve(__dirname, '..', 'lib');

/** Where one import is written, for messages: `lib/train/fit.ts:21 imports './callbacks'`. */
interface ImportSite {
  from: string;
  to: string;
  where: string;
}

function libFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return libFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The .ts file a relative specifier names (file.ts or folder/index.ts), or undefined. */
function resolveSpecifier(fromFile: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (candidate.endsWith('.ts') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** The node of a lib file: its folder relative to lib ('train', 'backend/kernels'), or the file itself at the top level ('display.ts'). */
function nodeOf(file: string): string {
  const rel = path.relative(LIB, file).split(path.sep).join('/');
  const dir = path.posix.dirname(rel);
  return dir === '.' ? rel : dir;
}

function readImports(): { sites: ImportSite[]; unresolved: string[] } {
  const sites: ImportSite[] = [];
  const unresolved: string[] = [];
  for (const file of libFiles(LIB)) {
    const text = fs.readFileSync(file, 'utf8');
    const info = ts.preProcessFile(text, true, true);
    for (const imp of info.importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const line = text.slice(0, imp.pos).split('\n').length;
      const where = `lib/${path.relative(LIB, file).split(path.sep).join('/')}:${line} imports '${imp.fileName}'`;
      const target = resolveSpecifier(file, imp.fileName);
      if (target === undefined || !target.startsWith(LIB + path.sep)) {
        unresolved.push(where);
        continue;
      }
      sites.push({ from: nodeOf(file), to: nodeOf(target), where: `${where} (lib/${path.relative(LIB, target).split(path.sep).join('/')})` });
    }
  }
  return { sites, unresolved };
}

/**
 * One cycle in the graph, as the import sites that make it, or undefined when there is none.
 *
 * Usage: `findCycle(sites) // [site a->b, site b->a]`
 */
function findCycle(sites: ImportSite[]): ImportSite[] | undefined {
  const out = new Map<string, ImportSite[]>();
  for (const s of sites) {
    if (s.from === s.to) continue;
    const list = out.get(s.from) ?? [];
    if (!list.some((e) => e.to === s.to)) list.push(s);
    out.set(s.from, list);
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: ImportSite[] = [];
  const visit = (node: string): ImportSite[] | undefined => {
    state.set(node, 'open');
    for (const edge of out.get(node) ?? []) {
      if (state.get(edge.to) === 'open') {
        const start = stack.findIndex((e) => e.from === edge.to);
        return [...stack.slice(start === -1 ? stack.length : start), edge];
      }
      if (state.get(edge.to) === undefined) {
        stack.push(edge);
        const found = visit(edge.to);
        if (found) return found;
        stack.pop();
      }
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...out.keys()].sort()) {
    if (state.get(node) === undefined) {
      const found = visit(node);
      if (found) return found;
    }
  }
  return undefined;
}

describe('lib import structure', () => {
  const { sites, unresolved } = readImports();

  it('every relative import resolves to a file inside lib', () => {
    expect(sites.length).toBeGreaterThan(100);
    expect(unresolved).toEqual([]);
  });

  it('has no import loop between folders (and none from a folder back up into one that imports it)', () => {
    const cycle = findCycle(sites);
    const message = cycle ? `import loop ${cycle.map((e) => e.from).concat(cycle[0].from).join(' -> ')}:\n  ${cycle.map((e) => e.where).join('\n  ')}` : '';
    expect(message).toBe('');
  });

  it('nothing inside lib imports lib/index.ts (the one-import entry point is for notebooks)', () => {
    expect(sites.filter((s) => s.to === 'index.ts').map((s) => s.where)).toEqual([]);
  });

  it('no file sits beside a folder of the same name (x.ts next to x/)', () => {
    const clashes = libFiles(LIB).filter((f) => fs.existsSync(f.slice(0, -3)) && fs.statSync(f.slice(0, -3)).isDirectory());
    expect(clashes.map((f) => path.relative(LIB, f))).toEqual([]);
  });

  it('finds a loop when there is one, and names its imports', () => {
    const loop = findCycle([
      { from: 'models', to: 'layers', where: 'm' },
      { from: 'unsupervised', to: 'models', where: 'u' },
      { from: 'models', to: 'unsupervised', where: 'm2' },
    ]);
    expect(loop?.map((e) => e.where).sort()).toEqual(['m2', 'u']);
    expect(findCycle([{ from: 'a', to: 'b', where: '' }, { from: 'b', to: 'c', where: '' }])).toBeUndefined();
  });
});
