/**
 * Where a training's time goes: CPU time per tfjs kernel, measured by wrapping every kernel
 * registered for the active backend, and the rest (JavaScript: the engine's bookkeeping, the
 * tape, layers, the training loop) as "outside kernels".
 *
 * Kernels called from inside other kernels (our wasm kernels call wasm's Transpose, for example)
 * count in their caller.
 *
 * Usage:
 *   const p = await profileKernels(async () => { await fit(model, x, y, { epochs: 1, verbose: 0 }); });
 *   console.log(formatKernelProfile(p, steps));
 */
import * as tf from '@tensorflow/tfjs';

/** CPU time and calls of one kernel. */
export interface KernelStat {
  kernel: string;
  calls: number;
  /** CPU seconds inside the kernel. */
  cpu: number;
}

/** A profile of one piece of work. */
export interface KernelProfile {
  backend: string;
  /** CPU seconds of the whole work. */
  totalCpu: number;
  /** CPU seconds inside kernels. */
  kernelCpu: number;
  /** By kernel, most expensive first. */
  kernels: KernelStat[];
}

/**
 * Runs fn with every kernel of the active backend timed; restores the kernels afterwards.
 *
 * Usage: `const p = await profileKernels(() => fit(m, x, y, { verbose: 0 }));`
 */
export async function profileKernels(fn: () => unknown): Promise<KernelProfile> {
  const backend = tf.getBackend();
  const originals = tf.getKernelsForBackend(backend);
  const stats = new Map<string, KernelStat>();
  let depth = 0;
  for (const k of originals) {
    const inner = k.kernelFunc;
    const stat: KernelStat = { kernel: k.kernelName, calls: 0, cpu: 0 };
    stats.set(k.kernelName, stat);
    tf.unregisterKernel(k.kernelName, backend);
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (depth > 0) return inner(args);
        depth++;
        const c0 = process.cpuUsage();
        try {
          return inner(args);
        } finally {
          const c = process.cpuUsage(c0);
          stat.calls++;
          stat.cpu += (c.user + c.system) / 1e6;
          depth--;
        }
      },
    });
  }
  const c0 = process.cpuUsage();
  try {
    await fn();
  } finally {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backend);
      tf.registerKernel(k);
    }
  }
  const c = process.cpuUsage(c0);
  const kernels = [...stats.values()].filter((s) => s.calls > 0).sort((a, b) => b.cpu - a.cpu);
  return { backend, totalCpu: (c.user + c.system) / 1e6, kernelCpu: kernels.reduce((s, k) => s + k.cpu, 0), kernels };
}

/**
 * The profile as text: per training step, the top kernels and the time outside kernels.
 *
 * Usage: `console.log(formatKernelProfile(profile, 256, 12))`
 */
export function formatKernelProfile(p: KernelProfile, steps: number, top = 12): string {
  const ms = (s: number): string => ((s * 1000) / steps).toFixed(2).padStart(7);
  const pct = (s: number): string => `${((100 * s) / p.totalCpu).toFixed(0).padStart(3)}%`;
  const calls = p.kernels.reduce((s, k) => s + k.calls, 0);
  const lines = [
    `  ${p.backend}: ${ms(p.totalCpu)} ms CPU per step; kernels ${ms(p.kernelCpu)} ms (${pct(p.kernelCpu)}, ${(calls / steps).toFixed(0)} calls/step), ` +
      `outside kernels ${ms(p.totalCpu - p.kernelCpu)} ms (${pct(p.totalCpu - p.kernelCpu)})`,
  ];
  for (const k of p.kernels.slice(0, top)) {
    lines.push(`    ${k.kernel.padEnd(26)} ${ms(k.cpu)} ms/step ${pct(k.cpu)}  ${(k.calls / steps).toFixed(1).padStart(5)} calls/step`);
  }
  return lines.join('\n');
}
