/**
 * The course's Jupyter kernel: tslab, plus a one-line hint under the errors students meet when
 * they run cells out of order, and without the terminal noise they cannot act on.
 *
 * - A cell that uses a name no earlier cell defined in this kernel (TypeScript's "Cannot find
 *   name 'split'", typical after a kernel restart) gets: "Hint: run the cells above first ...".
 * - An error saying a model, layer or tensor is already disposed (a cell re-run after the
 *   notebook's clean-up cell) gets: "Hint: ... re-run the cells that build it".
 * - tslab's "unknown msg_type: comm_open" warnings (the front end probing for widgets) are dropped.
 *
 * kernel.json (scripts/kernel.ts) runs it as: node dist/scripts/tslab-kernel.js kernel --config-path {connection_file}
 * Usage: `node dist/scripts/tslab-kernel.js kernel --config-path /path/to/connection.json`
 */

/** TypeScript diagnostics for a name that is not declared ("Cannot find name 'x'", "... Did you mean 'y'?"). */
const MISSING_NAME_CODES = new Set([2304, 2552, 2582, 2583, 2584, 18004]);

/** The hint printed under "Cannot find name" errors. Usage: `missingNameHint(['split'])` */
export function missingNameHint(names: readonly string[]): string {
  const list = names.length === 0 ? 'a name' : names.map((n) => `'${n}'`).join(', ');
  return (
    `Hint: ${list} ${names.length > 1 ? 'are' : 'is'} not defined in this kernel yet. Run the cells above this one first ` +
    '(Cell > Run All Above; after a kernel restart, Kernel > Restart & Run All), then run this cell again.'
  );
}

/** The hint printed under "already disposed" errors. Usage: `disposedHint()` */
export function disposedHint(): string {
  return (
    'Hint: this model or tensor was freed (by the clean-up cell at the end of the notebook, or a dispose() call). ' +
    'Re-run the cells that build it (Cell > Run All Above), then this cell.'
  );
}

/** True when an error (or its printed form) says a tfjs object is already disposed. Usage: `isDisposedError(e)` */
export function isDisposedError(value: unknown): boolean {
  const text = value instanceof Error ? value.message : typeof value === 'string' ? value : '';
  return /is already disposed|Tensor is disposed|has been disposed|was disposed/i.test(text);
}

interface Diagnostic {
  messageText: string;
  code?: number;
}
interface Converter {
  convert(prevDecl: string, src: string): { diagnostics: Diagnostic[] };
}
interface ConverterSet {
  readonly node: Converter;
  readonly browser: Converter;
  close(): void;
}
interface Executor {
  execute(src: string): Promise<boolean>;
}
interface ExecutorConsole {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
}
type CreateExecutor = (rootDir: string, convs: ConverterSet, console: ExecutorConsole) => Executor;

/** Names from "Cannot find name" diagnostics. */
function missingNames(diagnostics: readonly Diagnostic[]): string[] {
  const names = new Set<string>();
  for (const d of diagnostics) {
    if (d.code !== undefined && !MISSING_NAME_CODES.has(d.code)) continue;
    const m = /Cannot find name '([^']+)'/.exec(d.messageText);
    if (m) names.add(m[1]);
  }
  return [...names];
}

/** Wraps tslab's executor so that each execution can print a hint after tslab's own error output. */
function installHints(executorModule: { createExecutor: CreateExecutor }): void {
  const original = executorModule.createExecutor;
  executorModule.createExecutor = (rootDir, convs, con) => {
    let missing: string[] = [];
    let disposed = false;
    // tslab prints runtime errors through the console it is given.
    const printer: ExecutorConsole = {
      log: (...args) => con.log(...args),
      error: (...args) => {
        if (args.some(isDisposedError)) disposed = true;
        con.error(...args);
      },
    };
    const watched: ConverterSet = {
      get node(): Converter {
        const conv = convs.node;
        return {
          ...conv,
          convert: (prevDecl: string, src: string) => {
            const out = conv.convert(prevDecl, src);
            missing = missingNames(out.diagnostics);
            return out;
          },
        } as Converter;
      },
      get browser(): Converter {
        return convs.browser;
      },
      close: () => convs.close(),
    };
    const executor = original(rootDir, watched, printer);
    const execute = executor.execute.bind(executor);
    executor.execute = async (src: string): Promise<boolean> => {
      missing = [];
      disposed = false;
      const ok = await execute(src);
      if (!ok && missing.length > 0) console.error(missingNameHint(missing));
      else if (!ok && disposed) console.error(disposedHint());
      return ok;
    };
    return executor;
  };
}

/** Drops tslab's warnings about comm messages (widgets), which students cannot act on. */
function quietCommWarnings(): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === 'string' && /^unknown msg_type: comm_/.test(args[0])) return;
    warn(...args);
  };
}

function main(argv: string[]): void {
  if (argv[0] !== 'kernel') {
    console.error('usage: node dist/scripts/tslab-kernel.js kernel --config-path CONNECTION_FILE (Jupyter runs this; see scripts/kernel.ts)');
    process.exit(2);
  }
  const at = argv.indexOf('--config-path');
  const configPath = at >= 0 ? (argv[at + 1] ?? '') : '';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    installHints(require('tslab/dist/executor') as { createExecutor: CreateExecutor });
  } catch (e) {
    console.warn(`tslab-kernel: hints unavailable (${(e as Error).message}); running plain tslab.`);
  }
  quietCommWarnings();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tslab = require('tslab/dist/main') as { startKernel(o: { configPath: string; enableFindLocal: boolean; jsKernel: boolean }): void };
  tslab.startKernel({ configPath, enableFindLocal: false, jsKernel: false });
}

if (require.main === module) main(process.argv.slice(2));
