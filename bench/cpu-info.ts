/**
 * The machine a benchmark ran on, in one line: CPU model, cores, and the vector extensions that
 * decide kernel speed (SSE4.2 .. AVX-512, FMA, AMX), plus what oneDNN's JIT picked when loaded.
 *
 * Usage: `console.log(cpuLine())  // 'AMD EPYC, 2 cores; vector: avx2 fma avx512f ...; oneDNN isa avx512_core_bf16'`
 */
import * as fs from 'fs';
import * as os from 'os';

/** The flags worth naming, in order (as /proc/cpuinfo spells them). */
const VECTOR_FLAGS = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'amx_bf16'];

/** CPU model and its vector extensions. */
export interface CpuInfo {
  model: string;
  cores: number;
  vector: string[];
}

/**
 * Reads /proc/cpuinfo (Linux; elsewhere the model from os.cpus() and no flags).
 *
 * Usage: `const { model, vector } = cpuInfo();`
 */
export function cpuInfo(procCpuinfo = '/proc/cpuinfo'): CpuInfo {
  const model = os.cpus()[0]?.model?.trim() || 'unknown CPU';
  let flags: string[] = [];
  try {
    const text = fs.readFileSync(procCpuinfo, 'utf8');
    const line = text.split('\n').find((l) => /^flags\s*:/.test(l));
    if (line !== undefined) flags = line.slice(line.indexOf(':') + 1).trim().split(/\s+/);
  } catch {
    flags = [];
  }
  return { model, cores: os.cpus().length, vector: VECTOR_FLAGS.filter((f) => flags.includes(f)) };
}

/**
 * One line naming the machine, for every printed figure.
 *
 * Usage: `cpuLine(cpuInfo(), 'avx2')`
 */
export function cpuLine(info: CpuInfo = cpuInfo(), onednnIsa?: string): string {
  const vector = info.vector.length > 0 ? info.vector.join(' ') : 'not reported';
  return `${info.model}, ${info.cores} cores; vector extensions: ${vector}${onednnIsa !== undefined ? `; oneDNN JIT: ${onednnIsa}` : ''}`;
}
