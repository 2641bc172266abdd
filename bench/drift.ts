// Drift benchmark (issue: drift engine). Prints figures and ratios; nothing is asserted.
//
// Two files of 1,000,000 rows x 10 numeric and 5 categorical columns (the current one shifted
// in some columns) are written under the system's temporary folder as CSV, JSON Lines and
// Parquet. Then, each in a child process of its own so that its peak memory is its own:
//   1. parse time per format, against pandas.read_csv of the same CSV files, timed by a Python
//      process that this script starts (Debian's python3-pandas);
//   2. the column tests alone, against a loop of the same SciPy tests over the same columns in
//      that Python process (wasserstein for the numeric columns and jensenshannon for the
//      categorical ones: what the automatic choice picks at this size);
//   3. the whole report from two CSV paths (read, test, decide), with the goal of under 5 s;
//   4. peak memory of that child against the in-memory size of the columns it keeps.
// Run: npm run bench:drift   (it builds dist/ first; MF_BENCH_ROWS=100000 for a quicker run)
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTable } from '../src/core/data/read';
import type { Table } from '../src/core/data/types';
import { checkDrift } from '../src/core/drift/check';
import { compareTables } from '../src/core/drift/engine';

const ROWS = Number(process.env.MF_BENCH_ROWS ?? 1_000_000);
const NUMERIC = 10;
const CATEGORICAL = 5;
const DIR = path.join(tmpdir(), `mf-bench-drift-${ROWS}`);
const PYTHON = process.env.MF_BENCH_PYTHON ?? '/usr/bin/python3';

type Measure = { seconds: number; maxRssMiB: number; keptMiB: number; extra?: number };

/** Park-Miller: the same files every run, without a library. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

const COLORS = ['red', 'green', 'blue', 'amber', 'violet', 'teal', 'grey'];
const header = [
  ...Array.from({ length: NUMERIC }, (_, i) => `num_${i}`),
  ...Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`),
];

function row(next: () => number, drifted: boolean): (string | number)[] {
  const values: (string | number)[] = [];
  for (let c = 0; c < NUMERIC; c++) {
    const shift = drifted && c < 4 ? 0.3 : 0;
    values.push(Number((normal(next) * (1 + c / 10) + shift).toFixed(6)));
  }
  for (let c = 0; c < CATEGORICAL; c++) {
    const skew = drifted && c < 2 ? 0.5 : 1;
    values.push(COLORS[Math.floor(next() ** skew * COLORS.length)]);
  }
  return values;
}

async function writeFiles(name: string, seed: number, drifted: boolean): Promise<void> {
  const csv = createWriteStream(path.join(DIR, `${name}.csv`));
  const jsonl = createWriteStream(path.join(DIR, `${name}.jsonl`));
  const next = generator(seed);
  csv.write(`${header.join(',')}\n`);
  let csvChunk: string[] = [];
  let jsonChunk: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const values = row(next, drifted);
    csvChunk.push(values.join(','));
    jsonChunk.push(JSON.stringify(Object.fromEntries(header.map((h, k) => [h, values[k]]))));
    if (csvChunk.length === 10_000 || i === ROWS - 1) {
      const csvReady = csv.write(`${csvChunk.join('\n')}\n`);
      const jsonReady = jsonl.write(`${jsonChunk.join('\n')}\n`);
      csvChunk = [];
      jsonChunk = [];
      if (!csvReady) await new Promise<void>((resolve) => csv.once('drain', () => resolve()));
      if (!jsonReady) await new Promise<void>((resolve) => jsonl.once('drain', () => resolve()));
    }
  }
  await Promise.all([
    new Promise<void>((resolve) => csv.end(() => resolve())),
    new Promise<void>((resolve) => jsonl.end(() => resolve())),
  ]);
}

async function writeParquet(name: string): Promise<void> {
  const { parquetWriteFile } = await import('hyparquet-writer');
  const table = await readTable(path.join(DIR, `${name}.csv`));
  const columnData = table.columns.map((column) =>
    column.type === 'number'
      ? { name: column.name, data: column.values, type: 'DOUBLE' as const }
      : {
          name: column.name,
          data: Array.from(column.codes, (code) => column.dictionary[code]),
          type: 'STRING' as const,
        },
  );
  parquetWriteFile({ filename: path.join(DIR, `${name}.parquet`), columnData });
}

async function prepare(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const written = (ext: string) =>
    ['reference', 'current'].every(
      (name) =>
        existsSync(path.join(DIR, `${name}.${ext}`)) &&
        statSync(path.join(DIR, `${name}.${ext}`)).size > 0,
    );
  if (!written('csv') || !written('jsonl')) {
    await writeFiles('reference', 1, false);
    await writeFiles('current', 2, true);
  }
  for (const name of ['reference', 'current']) {
    if (!existsSync(path.join(DIR, `${name}.parquet`))) await writeParquet(name);
  }
}

/** One measurement in this process, printed as JSON for the parent. */
async function measure(what: string): Promise<void> {
  const file = (name: string, ext: string) => path.join(DIR, `${name}.${ext}`);
  const started = performance.now();
  let result: Partial<Measure> = {};

  if (what.startsWith('parse-')) {
    const ext = what.slice('parse-'.length);
    const tables = [await readTable(file('reference', ext)), await readTable(file('current', ext))];
    result = { keptMiB: tables.reduce((total, t) => total + keptBytes(t), 0) / 2 ** 20 };
  } else if (what === 'tests') {
    const reference = await readTable(file('reference', 'csv'));
    const current = await readTable(file('current', 'csv'));
    const testStart = performance.now();
    const report = await compareTables(reference, current, {});
    result = { extra: report.dataset.drifted, keptMiB: 0 };
    result.seconds = (performance.now() - testStart) / 1000;
  } else if (what === 'report-source') {
    const report = await checkDrift({
      reference: file('reference', 'csv'),
      current: file('current', 'csv'),
      options: {},
    });
    result = { extra: report.dataset.drifted, keptMiB: 0 };
  }
  const seconds = result.seconds ?? (performance.now() - started) / 1000;
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, seconds, maxRssMiB }));
}

function keptBytes(table: Table): number {
  return table.columns.reduce((total, column) => {
    const array = column.type === 'number' ? column.values : column.codes;
    return total + array.byteLength;
  }, 0);
}

function child(what: string): Measure {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', __filename, '--measure', what],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output) as Measure;
}

const PANDAS_SCRIPT = `
import sys, time, json
import numpy as np, pandas as pd
from scipy import stats
from scipy.spatial import distance
d = sys.argv[1]
t0 = time.perf_counter()
ref = pd.read_csv(d + '/reference.csv'); cur = pd.read_csv(d + '/current.csv')
t1 = time.perf_counter()
for c in ref.columns:
    r = ref[c].dropna(); k = cur[c].dropna()
    if r.dtype.kind == 'f':
        stats.wasserstein_distance(r, k) / max(np.std(r), 0.001)
    else:
        keys = sorted(set(r.unique()) | set(k.unique()))
        rc = r.value_counts(); kc = k.value_counts()
        p = np.array([rc.get(x, 0) for x in keys]) / len(r)
        q = np.array([kc.get(x, 0) for x in keys]) / len(k)
        distance.jensenshannon(p, q)
t2 = time.perf_counter()
print(json.dumps({"read": t1 - t0, "tests": t2 - t1}))
`;

function pandas(): { read: number; tests: number } | undefined {
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', PANDAS_SCRIPT, DIR], { encoding: 'utf8' }));
  } catch (error) {
    console.log(`pandas baseline not run (${PYTHON} needs pandas and scipy): ${String(error)}`);
    return undefined;
  }
}

/**
 * The built command line in a plain node process, as a user runs it (no tsx loader, which the
 * read worker thread would inherit): it reads the two files in two threads and sorts the second
 * file's numbers in the second. GNU time, where the machine has it, gives its peak memory.
 */
function cliReport(): { seconds: number; maxRssMiB?: number } {
  const cli = path.join(__dirname, '..', 'dist', 'cli.js');
  const args = [cli, 'drift', ...['reference', 'current'].map((n) => path.join(DIR, `${n}.csv`))];
  const timed = existsSync('/usr/bin/time');
  const command = timed ? '/usr/bin/time' : process.execPath;
  const argv = timed
    ? ['-f', 'maxrss %M', process.execPath, ...args, '--json']
    : [...args, '--json'];
  const started = performance.now();
  const run = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`model-factory drift failed: ${run.stderr}`);
  const rss = /maxrss (\d+)/.exec(run.stderr ?? '');
  return { seconds, maxRssMiB: rss ? Number(rss[1]) / 1024 : undefined };
}

function fmt(seconds: number): string {
  return `${seconds.toFixed(2)} s`;
}

async function main(): Promise<void> {
  await prepare();
  const size = (ext: string) => statSync(path.join(DIR, `reference.${ext}`)).size / 2 ** 20;
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  console.log(
    `${ROWS.toLocaleString('en')} rows x ${NUMERIC} numeric + ${CATEGORICAL} categorical`,
  );
  console.log(
    `files: csv ${size('csv').toFixed(0)} MiB, jsonl ${size('jsonl').toFixed(0)} MiB, ` +
      `parquet ${size('parquet').toFixed(0)} MiB (each side)`,
  );

  const baseline = pandas();
  for (const ext of ['csv', 'jsonl', 'parquet']) {
    const m = child(`parse-${ext}`);
    const ratio = baseline
      ? `, ratio ${(m.seconds / baseline.read).toFixed(2)} to pandas.read_csv`
      : '';
    console.log(
      `parse both ${ext}: ${fmt(m.seconds)}${ratio}; peak RSS ${m.maxRssMiB.toFixed(0)} MiB, ` +
        `columns kept ${m.keptMiB.toFixed(0)} MiB (${(m.maxRssMiB / m.keptMiB).toFixed(2)}x)`,
    );
  }
  if (baseline) console.log(`pandas.read_csv both: ${fmt(baseline.read)}`);

  const tests = child('tests');
  const testRatio = baseline
    ? `, ratio ${(tests.seconds / baseline.tests).toFixed(2)} to SciPy`
    : '';
  console.log(
    `column tests alone: ${fmt(tests.seconds)}${testRatio} (SciPy loop ` +
      `${baseline ? fmt(baseline.tests) : 'not run'}); ${tests.extra} columns drifted`,
  );

  const report = cliReport();
  console.log(
    `whole report from two CSV paths (model-factory drift --json): ${fmt(report.seconds)} ` +
      `(goal: under 5 s); peak RSS ${report.maxRssMiB?.toFixed(0) ?? 'not measured'} MiB`,
  );
  const sequential = child('report-source');
  console.log(`the same, reading the two files one after the other: ${fmt(sequential.seconds)}`);
}

const at = process.argv.indexOf('--measure');
if (at >= 0) void measure(process.argv[at + 1]);
else void main();
