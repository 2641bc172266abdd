// Store benchmarks (issue: the run store). Prints figures and ratios against baselines measured
// in the same process; nothing here is asserted. Run: npm run bench:store [-- --points 10000000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSqlJs } from '../src/core/store/sqljs';
import { migrations } from '../src/core/store/schema';
import { RunStore } from '../src/core/store/store';
import type { Durability } from '../src/core/store/journal';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '10000' },
    only: { type: 'string' },
  },
});
const POINTS = Number(values.points);
const BATCH = 1000;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function batchOf(b: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    key: 'loss',
    value: Math.sin(b * BATCH + i),
    timestamp: 1_700_000_000_000 + b * BATCH + i,
    step: b * BATCH + i,
  }));
}

/** The baseline: the same rows through one bare prepared statement, no journal, no checks. */
async function rawInsert(points: number): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (const m of migrations) db.exec(m.sql);
  const runId = 'a'.repeat(32);
  const statement = db.prepare(
    'INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, 0, ?)',
  );
  const started = performance.now();
  for (let b = 0; b < points / BATCH; b++) {
    db.run('BEGIN');
    for (const m of batchOf(b)) statement.run([m.key, m.value, m.timestamp, m.step, runId]);
    db.run('COMMIT');
  }
  const elapsed = performance.now() - started;
  statement.free();
  db.close();
  return elapsed;
}

async function storeInsert(points: number, durability: Durability) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-'));
  const store = await RunStore.open(dir, { durability, idleMs: 0, snapshotBytes: Infinity });
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const started = performance.now();
  for (let b = 0; b < points / BATCH; b++) store.logBatch(runId, { metrics: batchOf(b) });
  const elapsed = performance.now() - started;
  return { dir, store, runId, elapsed };
}

async function logging() {
  const raw = await rawInsert(POINTS);
  console.log(
    `raw prepared INSERT, ${POINTS} points:       ${seconds(raw)} (${rate(POINTS, raw)})`,
  );
  const modes = POINTS > 1_000_000 ? (['process'] as const) : (['process', 'fsync'] as const);
  for (const durability of modes) {
    const { dir, store, runId, elapsed } = await storeInsert(POINTS, durability);
    console.log(
      `store logBatch (${durability.padEnd(7)}), ${POINTS} points: ${seconds(elapsed)} ` +
        `(${rate(POINTS, elapsed)}), ratio to raw ${(raw / elapsed).toFixed(2)}`,
    );
    if (durability === 'process') await readAndSnapshot(store, runId, dir);
    else await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function readAndSnapshot(store: RunStore, runId: string, dir: string) {
  let started = performance.now();
  const history = store.getMetricHistory({
    runId,
    metricKey: 'loss',
    maxResults: Math.min(POINTS, 1_000_000),
  });
  console.log(
    `read a ${history.items.length}-point history:           ${seconds(performance.now() - started)}`,
  );
  started = performance.now();
  await store.snapshot();
  const size = statSync(path.join(dir, 'mlflow.db')).size;
  console.log(
    `snapshot at ${POINTS} points:                  ${seconds(performance.now() - started)}, file ${mib(size)}`,
  );
  started = performance.now();
  await store.close();
  const reopened = await RunStore.open(dir, { idleMs: 0 });
  console.log(
    `reopen at ${POINTS} points:                    ${seconds(performance.now() - started)}`,
  );
  await reopened.close();
}

async function search() {
  const runs = Number(values.runs);
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-'));
  const store = await RunStore.open(dir, { idleMs: 0 });
  const experimentId = store.createExperiment('search');
  for (let r = 0; r < runs; r++) {
    const { runId } = store.createRun({ experimentId, startTime: r }).info;
    store.logBatch(runId, {
      params: Array.from({ length: 20 }, (_, p) => ({
        key: `param_${p}`,
        value: String((r * 7 + p) % 13),
      })),
      metrics: Array.from({ length: 10 }, (_, m) => ({
        key: `metric_${m}`,
        value: ((r * 31 + m) % 1000) / 1000,
        timestamp: r,
        step: 0,
      })),
    });
  }
  const query = (filter: string, maxResults?: number) => {
    const timings: number[] = [];
    let count = 0;
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      count = store.searchRuns({ experimentIds: [experimentId], filter, maxResults }).items.length;
      timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    return { median: timings[3], count };
  };
  for (const [filter, max] of [
    ['metrics.metric_3 < 0.05', undefined],
    ["metrics.metric_3 < 0.5 and params.param_2 = '4'", undefined],
    ['metrics.metric_3 < 0.5', 100],
    ['metrics.metric_3 < 0.5', undefined],
  ] as const) {
    const { median, count } = query(filter, max);
    console.log(
      `search ${runs} runs, "${filter}"${max ? ` max ${max}` : ''}: ${median.toFixed(1)} ms median of 7, ${count} runs returned`,
    );
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

function rate(points: number, ms: number): string {
  return `${Math.round(points / (ms / 1000)).toLocaleString('en')} points/s`;
}

async function main() {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  if (!values.only || values.only === 'logging') await logging();
  if (!values.only || values.only === 'search') await search();
  clearInterval(sampler);
  console.log(`peak resident memory: ${mib(peakRss)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
