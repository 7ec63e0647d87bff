/**
 * danfojs-node, loaded lazily and safely.
 *
 * Why not a plain import: danfojs-node takes about 1 s to load, and it brings its own
 * TensorFlow.js 3.21 (package.json maps its tfjs-node to @tensorflow/tfjs@3.21.0). Both tfjs
 * copies share one global kernel and gradient registry, so loading danfo after the course's
 * tfjs 4.22 silently replaces 4.22's gradients (all of them) and its cpu and webgl kernels with
 * 3.21's, and prints some 330 "already registered" warnings. `loadDanfo` snapshots the
 * registries, loads danfo with those warnings muted, and puts 4.22's entries back.
 * Import danfo through here, never directly.
 *
 * Usage: `const dfd = loadDanfo(); const df = new dfd.DataFrame({ a: [1, 2] });`
 */
// Loaded first, so that its registries exist and are the ones snapshotted below.
import '@tensorflow/tfjs';
import type * as Danfo from 'danfojs-node';

/** The danfojs-node module's type. */
export type DanfoModule = typeof Danfo;
/** A danfo DataFrame. */
export type DataFrame = Danfo.DataFrame;

let danfo: DanfoModule | undefined;

type Registry = Map<string, unknown>;

function registries(): Registry[] {
  const globals = (globalThis as { _tfGlobals?: Map<string, unknown> })._tfGlobals;
  if (!globals) return [];
  const out: Registry[] = [];
  for (const name of ['kernelRegistry', 'gradRegistry']) {
    const r = globals.get(name);
    if (r instanceof Map) out.push(r as Registry);
  }
  return out;
}

/**
 * Loads danfojs-node once per process, keeping the course's tfjs kernels and gradients intact
 * (see the module comment).
 *
 * Usage: `const dfd = loadDanfo();`
 */
export function loadDanfo(): DanfoModule {
  if (danfo) return danfo;
  const regs = registries();
  const snapshots = regs.map((r) => new Map(r));
  const warn = console.warn;
  console.warn = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && /already registered|has already been set|Overriding the gradient/.test(args[0])) return;
    warn(...args);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    danfo = require('danfojs-node') as DanfoModule;
  } catch (e) {
    throw new Error(`Cannot load danfojs-node (${(e as Error).message.split('\n')[0]}): run npm ci in the course folder.`);
  } finally {
    console.warn = warn;
    regs.forEach((r, i) => {
      for (const [k, v] of snapshots[i]) r.set(k, v);
    });
  }
  return danfo;
}
