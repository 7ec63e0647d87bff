// Runs a TypeScript snippet in a child process that cannot override file permissions: when the
// tests run as root (root reads a chmod 000 file), still as root but without the capabilities
// that bypass permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, dropped with setpriv), so it
// can read the checkout wherever it is (even under a closed /root) but not a chmod 000 file; else
// as the current user. Used to test what users see when a file is unreadable (EACCES).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');

/** Makes a folder and everything above it in the temp dir traversable by any user. */
export function openToAll(dir: string): void {
  for (let d = path.resolve(dir); d.startsWith(os.tmpdir()) && d !== os.tmpdir(); d = path.dirname(d)) fs.chmodSync(d, 0o755);
}

/**
 * Runs `body` (TypeScript inside an async function) after `imports` (import lines; 'LIB/...'
 * is lib/ of this repo) without the power to read unreadable files; returns its stdout.
 *
 * Usage: `const out = runUnprivileged("import { verifyFile } from 'LIB/data/verify';", "console.log(await verifyFile(f, e));");`
 */
export function runUnprivileged(imports: string, body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdl-unpriv-'));
  try {
    fs.chmodSync(dir, 0o755);
    const script = path.join(dir, 'script.ts');
    const lib = path.join(root, 'lib');
    fs.writeFileSync(script, `${imports.replace(/(['"])LIB\//g, `$1${lib}/`)}\n(async () => {\n${body}\n})();\n`);
    // Bundled with esbuild (lib inlined, packages resolved from the repo's node_modules), then run by plain node.
    const bundle = path.join(dir, 'script.js');
    const esbuild = path.join(root, 'node_modules', '.bin', 'esbuild');
    const b = spawnSync(esbuild, [script, '--bundle', '--platform=node', '--format=cjs', '--packages=external', `--outfile=${bundle}`,
      // lib finds the repository (data/manifest.json) from __dirname: point it at lib/data.
      `--banner:js=var __dirname = ${JSON.stringify(path.join(root, 'lib', 'data'))};`, '--log-level=error'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`esbuild failed: ${b.stderr}`);
    fs.chmodSync(bundle, 0o644);
    const asRoot = process.getuid?.() === 0;
    const [cmd, args] = asRoot ? ['setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, bundle]] : [process.execPath, [bundle]];
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: dir, NODE_PATH: path.join(root, 'node_modules') } });
    if (r.status !== 0) throw new Error(`unprivileged run failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
