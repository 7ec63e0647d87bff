// The benchmark's pure parts: command line, medians, row figures and table, and the course
// wall-time table (bench/run.ts, bench/timing.ts, bench/report.ts, bench/course-table.ts).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { courseTable, mergeCourseTimes, profileOfExecutedNotebook, readCourseReport, readNotebookReports } from '../bench/course-table';
import { formatTable, rowFigures } from '../bench/report';
import { parseArgs } from '../bench/run';
import { median, medianTiming } from '../bench/timing';
import { parseWorkloads, samplesFor, WORKLOADS } from '../bench/workloads';

describe('bench command line and sizes', () => {
  it('parses the options and rejects unknown ones', () => {
    const o = parseArgs(['--quick', '--only', 'cnn,mlp', '--runs=5', '--backends', 'wasm', '--no-torch', '--baseline', '--profile']);
    expect(o).toMatchObject({ quick: true, only: ['mlp', 'cnn'], runs: 5, backends: ['wasm'], torch: false, baseline: true, profile: true });
    expect(parseArgs([]).runs).toBe(3);
    expect(() => parseArgs(['--runs', '0'])).toThrow(/--runs needs a positive integer, got 0/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseArgs(['--backends', 'gpu'])).toThrow(/unknown backend 'gpu'/);
    expect(() => parseWorkloads('mlp,rnn')).toThrow(/unknown workload 'rnn'/);
  });

  it('times fewer samples on cpu and with --quick, never more than an epoch', () => {
    expect(samplesFor(WORKLOADS.mlp, 'wasm', false)).toBe(8192);
    expect(samplesFor(WORKLOADS.mlp, 'wasm', true)).toBe(2048);
    expect(samplesFor(WORKLOADS.mlp, 'cpu', false)).toBe(1024);
    expect(samplesFor(WORKLOADS.cnn, 'cpu', false)).toBe(0);
    expect(samplesFor(WORKLOADS.cnn, 'wasm', false)).toBe(512);
    expect(samplesFor(WORKLOADS.lstm, 'wasm', false)).toBeLessThanOrEqual(WORKLOADS.lstm.epochSamples);
  });
});

describe('medians and rows', () => {
  it('median of odd and even counts; no values is an error', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
    expect(medianTiming([{ wall: 1, cpu: 5 }, { wall: 3, cpu: 1 }, { wall: 2, cpu: 2 }])).toEqual({ wall: 2, cpu: 2 });
  });

  it('extrapolates per sample to the notebook epoch and divides by PyTorch', () => {
    const measured = { backend: 'wasm' as const, samples: 1000, train: [{ wall: 2, cpu: 1 }, { wall: 4, cpu: 2 }, { wall: 3, cpu: 1.5 }], infer: [{ wall: 0.5, cpu: 0.5 }], inferSamples: 500, losses: [0.9, 0.8], leakedTensors: 0 };
    const row = rowFigures(WORKLOADS.mlp, measured, { train: { wall: 1e-4, cpu: 5e-5 }, infer: { wall: 1e-4, cpu: 1e-4 }, threads: 1 }, 0.7);
    expect(row.trainPerSec).toBeCloseTo(1000 / 3, 10);
    expect(row.epoch.wall).toBeCloseTo(3e-3 * 55000, 10);
    expect(row.epoch.cpu).toBeCloseTo(1.5e-3 * 55000, 10);
    expect(row.torchEpoch?.wall).toBeCloseTo(5.5, 10);
    expect(row.ratio?.wall).toBeCloseTo(30, 10);
    expect(row.ratio?.cpu).toBeCloseTo(30, 10);
    expect(row.inferPerSec).toBe(1000);
    expect(row.inferRatio).toBeCloseTo(10, 10);
    expect(row.loss).toBe(0.8);
    const table = formatTable([row], { torchThreads: 1, loadStart: 3, loadEnd: 4 });
    expect(table).toContain('| nb01 MLP 784-300-100-10, SGD 0.01 | wasm | 1,000 (x55.0) | 333 | 165.00 | 82.50 | 5.50 / 2.75 | 30.00 | 30.00 | 1,000 | 10,000 | 10.00 |');
    expect(table).toContain('tfjs wasm ran 1 thread (DL_WASM_THREADS), cpu one; PyTorch ran 1 thread.');
    const threaded = formatTable([row], { torchThreads: 2, wasmThreads: 2, loadStart: 3, loadEnd: 4 });
    expect(threaded).toContain('tfjs wasm ran 2 threads (DL_WASM_THREADS), cpu one; PyTorch ran 2 threads.');
  });
});

describe('course table', () => {
  it('merges runner reports and per-notebook reports, newest first, with the printed profile', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'course-table-'));
    fs.mkdirSync(path.join(dir, 'reports'));
    fs.mkdirSync(path.join(dir, 'notebooks'));
    const smoke = path.join(dir, 'course-smoke.json');
    fs.writeFileSync(smoke, JSON.stringify({ profile: 'smoke', totalSeconds: 30, results: [{ notebook: '01-a.ipynb', ok: true, wallSeconds: 30 }] }));
    fs.writeFileSync(path.join(dir, 'reports', '02-b.json'), JSON.stringify({ notebook: '02-b.ipynb', ok: false, wall_s: 125 }));
    fs.writeFileSync(path.join(dir, 'notebooks', '02-b.ipynb'), JSON.stringify({ cells: [{ outputs: [{ text: ["{ profile: 'full', train: 5 }\n"] }] }] }));
    fs.writeFileSync(path.join(dir, 'reports', '03-c.json'), JSON.stringify({ notebook: '03-c.ipynb', ok: true, wall_s: 12 }));
    expect(profileOfExecutedNotebook(path.join(dir, 'notebooks', '02-b.ipynb'))).toBe('full');
    const fromRunner = readCourseReport(smoke, '2026-01-01T00:00:00.000Z');
    const fromReports = readNotebookReports(dir, 'smoke');
    const older = { '01-a.ipynb': { smoke: { seconds: 99, ok: true, seen: '2025-01-01T00:00:00.000Z' } } };
    const times = mergeCourseTimes(mergeCourseTimes(older, fromRunner), fromReports);
    expect(times['01-a.ipynb'].smoke.seconds).toBe(30);
    const table = courseTable(times, ['04-d.ipynb'], 'wasm');
    expect(table).toContain('| 01-a | 30 s | - |');
    expect(table).toContain('| 02-b | - | 2.1 min (failed) |');
    expect(table).toContain('| 03-c | 12 s* | - |');
    expect(table).toContain('| 04-d | - | - |');
    expect(table).toContain('| **total** (2 / 1 notebooks timed) | 42 s | 2.1 min |');
    expect(table).toContain('on the wasm backend');
    expect(() => readCourseReport(path.join(dir, 'reports', '03-c.json'))).toThrow(/is not a notebook-runner report/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
