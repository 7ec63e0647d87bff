/**
 * Timing helpers for the benchmark: wall and process CPU seconds of a piece of work, medians,
 * and the machine's load (the CPU is shared, so every report says how loaded it was).
 *
 * Usage: `const t = await timeIt(() => fit(...)); console.log(t.wall, t.cpu);`
 */
import * as os from 'os';

/** Seconds of one measured piece of work. */
export interface Timing {
  /** Wall-clock seconds. */
  wall: number;
  /** CPU seconds of this process (user + system, all threads). */
  cpu: number;
}

/**
 * Runs fn once and returns its wall and CPU seconds.
 *
 * Usage: `const { wall, cpu } = await timeIt(async () => { await work(); });`
 */
export async function timeIt(fn: () => unknown): Promise<Timing> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1e6 };
}

/**
 * The median of a non-empty list (the mean of the two middle values for an even count).
 *
 * Usage: `median([3, 1, 2]) // 2`
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median: no values; time at least one run (--runs 1 or more).');
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Medians of several timings. Usage: `medianTiming([{ wall: 1, cpu: 1 }, { wall: 3, cpu: 2 }])` */
export function medianTiming(runs: readonly Timing[]): Timing {
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) };
}

/** The 1-minute load average and the core count, as one string. Usage: `loadLine() // 'load 17.3 on 2 cores'` */
export function loadLine(): string {
  return `load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
}

/** The 1-minute load average. Usage: `loadAverage() // 17.3` */
export function loadAverage(): number {
  return os.loadavg()[0];
}
