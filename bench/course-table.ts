/**
 * The "course wall time" table for the README: each notebook's wall time on the smoke and full
 * profiles, from the runner's reports (build/course-smoke.json, build/course-full.json, written
 * by `node dist/scripts/run-notebooks.js --profile smoke|full`).
 *
 * The runner rewrites its JSON on every run (a run with --only holds only those notebooks), so
 * this script also reads the per-notebook reports (build/reports/NAME.json: wall_s, ok; the
 * profile is read from the executed notebook build/notebooks/NAME.ipynb, which prints
 * "profile: 'smoke'") and keeps build/bench/course-times.json: the newest time seen for each
 * notebook and profile, merged across runs. Notebooks with no time yet are listed as "-".
 *
 * Usage: `node dist/bench/course-table.js [--backend wasm] [--assume smoke] [--no-merge] [report.json ...]`
 * (prints markdown; default sources: build/course-smoke.json, build/course-full.json, build/reports)
 */
import * as fs from 'fs';
import * as path from 'path';

/** One notebook's time on one profile. */
export interface CourseTime {
  seconds: number;
  ok: boolean;
  /** When the report that gave it was written (ISO). */
  seen: string;
  /** The profile was not printed by the notebook and is assumed. */
  assumed?: boolean;
}

/** Times by notebook file name, then by profile name. */
export type CourseTimes = Record<string, Record<string, CourseTime>>;

interface RunnerReport {
  profile?: unknown;
  results?: unknown;
}

/**
 * Reads one runner report (course-<profile>.json) into CourseTimes; throws naming the file when
 * it is not a runner report.
 *
 * Usage: `readCourseReport('build/course-smoke.json')`
 */
export function readCourseReport(file: string, seen = new Date().toISOString()): CourseTimes {
  let parsed: RunnerReport;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as RunnerReport;
  } catch (e) {
    throw new Error(`course-table: cannot read ${file} (${e instanceof Error ? e.message : String(e)}); run node dist/scripts/run-notebooks.js --profile smoke first.`);
  }
  if (typeof parsed.profile !== 'string' || !Array.isArray(parsed.results)) {
    throw new Error(`course-table: ${file} is not a notebook-runner report (expected { profile, results: [...] }).`);
  }
  const out: CourseTimes = {};
  for (const r of parsed.results as { notebook?: unknown; wallSeconds?: unknown; ok?: unknown }[]) {
    if (typeof r.notebook !== 'string' || typeof r.wallSeconds !== 'number') continue;
    out[r.notebook] = { [parsed.profile]: { seconds: r.wallSeconds, ok: r.ok === true, seen } };
  }
  return out;
}

/**
 * The profile an executed notebook ran on, from its printed sizes ("profile: 'smoke'"), or
 * undefined when it prints none.
 *
 * Usage: `profileOfExecutedNotebook('build/notebooks/05-cnn-fashion-mnist.ipynb') // 'smoke'`
 */
export function profileOfExecutedNotebook(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells?: { outputs?: { text?: string | string[] }[] }[] };
  for (const c of nb.cells ?? []) {
    for (const o of c.outputs ?? []) {
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text ?? '');
      const m = /profile: '(smoke|full)'/.exec(text);
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * Times from the runner's per-notebook reports (build/reports/*.json, field wall_s), each under
 * the profile its executed notebook printed (or `fallback`, marked assumed).
 *
 * Usage: `readNotebookReports('build', 'smoke')`
 */
export function readNotebookReports(buildDir: string, fallback: string): CourseTimes {
  const dir = path.join(buildDir, 'reports');
  const out: CourseTimes = {};
  if (!fs.existsSync(dir)) return out;
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const file = path.join(dir, f);
    const r = JSON.parse(fs.readFileSync(file, 'utf8')) as { notebook?: unknown; ok?: unknown; wall_s?: unknown };
    if (typeof r.notebook !== 'string' || typeof r.wall_s !== 'number') continue;
    const printed = profileOfExecutedNotebook(path.join(buildDir, 'notebooks', r.notebook));
    out[r.notebook] = { [printed ?? fallback]: { seconds: r.wall_s, ok: r.ok === true, seen: fs.statSync(file).mtime.toISOString(), assumed: printed === undefined } };
  }
  return out;
}

/**
 * Merges b into a, keeping for each notebook and profile the newer time; returns a new object.
 *
 * Usage: `mergeCourseTimes(stored, readCourseReport(file))`
 */
export function mergeCourseTimes(a: CourseTimes, b: CourseTimes): CourseTimes {
  const out: CourseTimes = {};
  for (const src of [a, b]) {
    for (const [nb, byProfile] of Object.entries(src)) {
      const row = (out[nb] = { ...(out[nb] ?? {}) });
      for (const [profile, t] of Object.entries(byProfile)) {
        if (row[profile] === undefined || row[profile].seen <= t.seen) row[profile] = t;
      }
    }
  }
  return out;
}

function cell(t: CourseTime | undefined): string {
  if (t === undefined) return '-';
  const s = t.seconds >= 90 ? `${(t.seconds / 60).toFixed(1)} min` : `${t.seconds.toFixed(0)} s`;
  return `${s}${t.assumed ? '*' : ''}${t.ok ? '' : ' (failed)'}`;
}

/**
 * The markdown table: one row per notebook (those given plus those with times), smoke and full
 * columns, totals of the notebooks that ran, and the backend.
 *
 * Usage: `courseTable(times, ['00-getting-started.ipynb'], 'wasm')`
 */
export function courseTable(times: CourseTimes, notebooks: readonly string[], backend: string): string {
  const names = [...new Set([...notebooks, ...Object.keys(times)])].sort();
  const lines = [`| notebook | smoke | full |`, `| --- | ---: | ---: |`];
  const total = { smoke: 0, full: 0, smokeN: 0, fullN: 0 };
  for (const nb of names) {
    const t = times[nb] ?? {};
    if (t.smoke) {
      total.smoke += t.smoke.seconds;
      total.smokeN++;
    }
    if (t.full) {
      total.full += t.full.seconds;
      total.fullN++;
    }
    lines.push(`| ${nb.replace(/\.ipynb$/, '')} | ${cell(t.smoke)} | ${cell(t.full)} |`);
  }
  lines.push(`| **total** (${total.smokeN} / ${total.fullN} notebooks timed) | ${cell({ seconds: total.smoke, ok: true, seen: '' })} | ${cell({ seconds: total.full, ok: true, seen: '' })} |`);
  lines.push('', `Wall time of each notebook executed headless (nbclient, tslab) on the ${backend} backend, on this shared 2-core machine.`);
  if (names.some((nb) => Object.values(times[nb] ?? {}).some((t) => t.assumed))) lines.push('* the notebook does not print its profile; the time is assumed to be of that profile.');
  return lines.join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  let backend = 'wasm';
  let merge = true;
  let fallback = 'smoke';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--backend') {
      backend = args[++i] ?? backend;
    } else if (args[i] === '--assume') {
      fallback = args[++i] ?? fallback;
    } else if (args[i] === '--no-merge') {
      merge = false;
    } else if (args[i].startsWith('--')) {
      throw new Error(`course-table: unknown option ${args[i]} (use --backend NAME, --assume PROFILE, --no-merge, and report files).`);
    } else {
      files.push(args[i]);
    }
  }
  const reports = files.length > 0 ? files : ['build/course-smoke.json', 'build/course-full.json'].filter((f) => fs.existsSync(f));
  const store = path.join('build', 'bench', 'course-times.json');
  let times: CourseTimes = merge && fs.existsSync(store) ? (JSON.parse(fs.readFileSync(store, 'utf8')) as CourseTimes) : {};
  if (files.length === 0) times = mergeCourseTimes(times, readNotebookReports('build', fallback));
  for (const f of reports) {
    const seen = fs.statSync(f).mtime.toISOString();
    times = mergeCourseTimes(times, readCourseReport(f, seen));
  }
  if (merge) {
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.writeFileSync(store, JSON.stringify(times, null, 2));
  }
  const notebooks = fs.existsSync('notebooks') ? fs.readdirSync('notebooks').filter((f) => f.endsWith('.ipynb')) : [];
  console.log(courseTable(times, notebooks, backend));
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
