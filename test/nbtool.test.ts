// scripts/nbtool.py: both tracks from one source, reproducible builds, clear errors for bad
// solution markers, and the committed notebooks match their sources.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const nbtool = path.join(root, 'scripts', 'nbtool.py');
const python = '/usr/bin/python3';

interface Cell { cell_type: string; source: string[]; metadata: Record<string, unknown> }

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-nbtool-'));
}

function build(src: string, track: 'student' | 'solutions'): Cell[] {
  const dir = tmp();
  const file = path.join(dir, 'x.ts');
  fs.writeFileSync(file, src);
  const out = path.join(dir, `${track}.ipynb`);
  execFileSync(python, [nbtool, 'build', file, out, '--track', track]);
  return (JSON.parse(fs.readFileSync(out, 'utf8')) as { cells: Cell[] }).cells;
}

function text(cell: Cell): string {
  return cell.source.join('');
}

function failure(src: string): string {
  const dir = tmp();
  const file = path.join(dir, 'bad.ts');
  fs.writeFileSync(file, src);
  const r = spawnSync(python, [nbtool, 'build', file, path.join(dir, 'bad.ipynb')], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(fs.existsSync(path.join(dir, 'bad.ipynb'))).toBe(false);
  return r.stderr.trim();
}

const EXERCISE = [
  '// %% [markdown]',
  '// **Exercise 1.** Count them.',
  '// ### BEGIN SOLUTION',
  '// Because each unit has a bias.',
  '// ### END SOLUTION',
  '',
  '// %%',
  "import { check01_1 } from '../dist/lib/exercises';",
  'let params: number | undefined;',
  'function f(): void {',
  '  // ### BEGIN SOLUTION',
  '  params = 784 * 10 + 10;',
  '  // ### END SOLUTION',
  '}',
  '',
  '// %%',
  'await check01_1({ params: params });',
  '',
  '// %% [solution]',
  'console.log("a whole-cell solution");',
  '',
].join('\n');

describe('nbtool tracks', () => {
  it('student track: each region becomes "// your code here" at its indentation; prompt and check cells stay', () => {
    const cells = build(EXERCISE, 'student');
    expect(cells.map((c) => c.cell_type)).toEqual(['markdown', 'code', 'code', 'code']);
    expect(text(cells[0])).toBe('**Exercise 1.** Count them.\n_Your answer here._');
    expect(text(cells[1])).toBe("import { check01_1 } from '../dist/lib/exercises';\nlet params: number | undefined;\nfunction f(): void {\n  // your code here\n}");
    expect(text(cells[2])).toBe('await check01_1({ params: params });');
    expect(text(cells[3])).toBe('// your code here');
    expect(cells[3].metadata).toEqual({});
    expect(JSON.stringify(cells)).not.toMatch(/784 \* 10|bias|whole-cell|SOLUTION/);
  });

  it('solutions track: everything but the markers, library imports one folder deeper, [solution] cells tagged', () => {
    const cells = build(EXERCISE, 'solutions');
    expect(text(cells[0])).toBe('**Exercise 1.** Count them.\nBecause each unit has a bias.');
    expect(text(cells[1])).toBe("import { check01_1 } from '../../dist/lib/exercises';\nlet params: number | undefined;\nfunction f(): void {\n  params = 784 * 10 + 10;\n}");
    expect(text(cells[3])).toBe('console.log("a whole-cell solution");');
    expect(cells[3].metadata).toEqual({ jupyter: { source_hidden: true }, tags: ['solution'] });
  });

  it('builds byte-for-byte the same twice', () => {
    const dir = tmp();
    const file = path.join(dir, 'x.ts');
    fs.writeFileSync(file, EXERCISE);
    const outs = [1, 2].map((i) => {
      const out = path.join(dir, `${i}.ipynb`);
      execFileSync(python, [nbtool, 'build', file, out]);
      return fs.readFileSync(out);
    });
    expect(outs[0].equals(outs[1])).toBe(true);
  });
});

describe('nbtool errors name the file and the line', () => {
  it('an unclosed region', () => {
    expect(failure('// %%\nlet a = 1;\n// ### BEGIN SOLUTION\na = 2;\n// %%\nconsole.log(a);\n')).toMatch(/bad\.ts:3: '\/\/ ### BEGIN SOLUTION' is never closed: add '\/\/ ### END SOLUTION' before the cell ends \(line 4\)/);
  });
  it('a nested region', () => {
    expect(failure('// %%\n// ### BEGIN SOLUTION\n  // ### BEGIN SOLUTION\n// ### END SOLUTION\n')).toMatch(/bad\.ts:3: .*inside the region opened at line 2: regions cannot nest/);
  });
  it('an END without BEGIN', () => {
    expect(failure('// %%\nlet a = 1;\n// ### END SOLUTION\n')).toMatch(/bad\.ts:3: '\/\/ ### END SOLUTION' without a '\/\/ ### BEGIN SOLUTION' above it/);
  });
  it('a misspelt marker (which would leak the solution)', () => {
    expect(failure('// %%\n// ## BEGIN SOLUTION\na = 2;\n// ### END SOLUTION\n')).toMatch(/bad\.ts:2: malformed marker '\/\/ ## BEGIN SOLUTION': write exactly '\/\/ ### BEGIN SOLUTION'/);
  });
});

describe('committed notebooks', () => {
  it('notebooks/ and notebooks/solutions/ are what build-all makes from notebooks-src/', () => {
    const r = spawnSync(python, [nbtool, 'build-all', '--check'], { encoding: 'utf8', cwd: root });
    expect(r.stdout, r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('build-all --check names the stale notebook and the command that fixes it', () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'notebooks-src'));
    fs.mkdirSync(path.join(dir, 'notebooks', 'solutions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'notebooks-src', '00-a.ts'), '// %%\nlet x = 1;\n// ### BEGIN SOLUTION\nx = 2;\n// ### END SOLUTION\n');
    const run = (check: boolean) => spawnSync(python, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(path.dirname(nbtool))}); import nbtool; sys.exit(nbtool.build_all(root=${JSON.stringify(dir)}, check_only=${check ? 'True' : 'False'}))`], { encoding: 'utf8' });
    const stale = run(true);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toContain('notebooks/00-a.ipynb: missing (notebooks-src/00-a.ts, student track)');
    expect(stale.stdout).toContain('run python3 scripts/nbtool.py build-all and commit notebooks/');
    expect(run(false).status).toBe(0);
    expect(run(true).status).toBe(0);
    fs.appendFileSync(path.join(dir, 'notebooks', 'solutions', '00-a.ipynb'), ' ');
    fs.writeFileSync(path.join(dir, 'notebooks', '99-orphan.ipynb'), '{}');
    const changed = run(true);
    expect(changed.stdout).toContain('notebooks/solutions/00-a.ipynb: differs from its source (notebooks-src/00-a.ts, solutions track)');
    expect(changed.stdout).toContain('notebooks/99-orphan.ipynb: has no source in notebooks-src/');
  });

  it('no student notebook carries a line that only a solution region holds', () => {
    for (const name of fs.readdirSync(path.join(root, 'notebooks-src')).filter((f) => f.endsWith('.ts'))) {
      const lines = fs.readFileSync(path.join(root, 'notebooks-src', name), 'utf8').split('\n');
      const inside = new Set<string>();
      const outside = new Set<string>();
      let open = false;
      for (const line of lines) {
        const t = line.trim();
        if (t === '// ### BEGIN SOLUTION') open = true;
        else if (t === '// ### END SOLUTION') open = false;
        else if (t.length > 12) (open ? inside : outside).add(t.replace(/^\/\/ ?/, ''));
      }
      const student = fs.readFileSync(path.join(root, 'notebooks', name.replace(/\.ts$/, '.ipynb')), 'utf8');
      const cells = (JSON.parse(student) as { cells: Cell[] }).cells.map((c) => c.source.join(''));
      for (const secret of [...inside].filter((l) => !outside.has(l))) {
        expect(cells.some((c) => c.split('\n').some((l) => l.trim() === secret)), `${name}: the student track shows solution line ${JSON.stringify(secret)}`).toBe(false);
      }
    }
  });
});
