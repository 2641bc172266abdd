import type { Database, SqlValue, Transaction } from './database';
import type { Metric, Tag } from './entities';
import { invalid, notFound } from './errors';
import { encodeMetricValue, toMetric } from './hydrate';
import { pageOf } from './paging';
import { requireActiveRun, RUN_NAME_TAG } from './runs';
import { addToTiles } from './tiles';
import {
  checkMaxResults,
  checkMetric,
  checkParam,
  checkRunId,
  checkTag,
  Limits,
  toInteger,
} from './validation';

export interface Batch {
  metrics?: Partial<Metric>[];
  params?: Tag[];
  tags?: Tag[];
}

const INSERT_METRICS = `INSERT OR IGNORE INTO metrics
  (key, value, timestamp, step, is_nan, run_uuid) VALUES`;

// Keeps latest_metrics at the value with the highest (step, timestamp, value), as MLflow does.
const UPSERT_LATEST = `INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value,
    timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
  WHERE (excluded.step, excluded.timestamp, excluded.value)
    > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`;

/**
 * MLflow's log-batch: everything is checked before anything is written, and the whole batch is
 * one transaction, so a bad item leaves the run as it was.
 */
export function logBatch(db: Database, runIdValue: unknown, batch: Batch): void {
  const runId = checkRunId(runIdValue);
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  checkBatchSize(metrics.length, params.length, tags.length);
  const now = Date.now();
  const checkedMetrics = metrics.map((m) => checkMetric(m, now));
  const checkedParams = dedupeParams(params.map(checkParam));
  const checkedTags = tags.map((t) => checkTag(t));

  db.write((tx) => {
    requireActiveRun(tx.get('SELECT lifecycle_stage FROM runs WHERE run_uuid = ?', [runId]), runId);
    writeParams(tx, runId, checkedParams);
    writeMetrics(tx, runId, checkedMetrics);
    for (const tag of checkedTags) {
      tx.run('INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)', [
        tag.key,
        tag.value,
        runId,
      ]);
      if (tag.key === RUN_NAME_TAG)
        tx.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [tag.value, runId]);
    }
  });
}

export function logMetric(db: Database, runId: unknown, metric: Partial<Metric>): void {
  logBatch(db, runId, { metrics: [metric] });
}

export function logParam(db: Database, runId: unknown, param: Tag): void {
  logBatch(db, runId, { params: [param] });
}

function checkBatchSize(metrics: number, params: number, tags: number): void {
  const over = (what: string, count: number, limit: number) => {
    if (count > limit) {
      throw invalid(
        `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}.`,
      );
    }
  };
  over('metrics', metrics, Limits.batchMetrics);
  over('params', params, Limits.batchParams);
  over('tags', tags, Limits.batchTags);
  over('metrics, params, and tags in total', metrics + params + tags, Limits.batchTotal);
}

/** The same key twice in one batch is fine with the same value and an error with another. */
function dedupeParams(params: Tag[]): Tag[] {
  const seen = new Map<string, string>();
  for (const param of params) {
    const previous = seen.get(param.key);
    if (previous !== undefined && previous !== param.value) {
      throw invalid(
        `Duplicate parameter keys have been submitted: '${param.key}' with different values`,
      );
    }
    seen.set(param.key, param.value);
  }
  return [...seen].map(([key, value]) => ({ key, value }));
}

/** Params are write-once: the same key again is a no-op with the same value, else an error. */
function writeParams(tx: Transaction, runId: string, params: Tag[]): void {
  for (const param of params) {
    const existing = tx.get<{ value: string }>(
      'SELECT value FROM params WHERE run_uuid = ? AND key = ?',
      [runId, param.key],
    );
    if (existing && existing.value !== param.value) {
      throw invalid(
        `Changing param values is not allowed. Param with key='${param.key}' was already logged ` +
          `with value='${existing.value}' for run ID='${runId}'. Attempted logging new value ` +
          `'${param.value}'.`,
      );
    }
    if (!existing)
      tx.run('INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)', [
        param.key,
        param.value,
        runId,
      ]);
  }
}

function writeMetrics(tx: Transaction, runId: string, metrics: Metric[]): void {
  if (metrics.length === 0) return;
  const latest = new Map<string, SqlValue[]>();
  const rows = metrics.map((metric) => {
    const { value, isNan } = encodeMetricValue(metric.value);
    const row: SqlValue[] = [metric.key, value, metric.timestamp, metric.step, isNan, runId];
    const best = latest.get(metric.key);
    if (!best || isAfter(row, best)) latest.set(metric.key, row);
    return row;
  });
  addToTiles(tx, runId, rows, tx.insertMany(INSERT_METRICS, rows));
  tx.runMany(UPSERT_LATEST, [...latest.values()]);
}

/** Compares (step, timestamp, value), the order MLflow picks the latest value by. */
function isAfter(a: SqlValue[], b: SqlValue[]): boolean {
  for (const index of [3, 2, 1]) {
    if (a[index] !== b[index]) return (a[index] as number) > (b[index] as number);
  }
  return false;
}

export interface HistoryRequest {
  runId: unknown;
  metricKey: unknown;
  maxResults?: number;
  pageToken?: string;
  startStep?: number;
  endStep?: number;
}

/** The full history of one metric in step then timestamp order, paged. */
export function getMetricHistory(db: Database, request: HistoryRequest) {
  const runId = checkRunId(request.runId);
  const key = requireKey(request.metricKey);
  requireRun(db, runId);
  const maxResults = checkMaxResults(request.maxResults, 25000, 1_000_000);
  const [startStep, endStep] = stepRange(request.startStep, request.endStep);
  const page = pageOf(
    (limit, offset) =>
      db.all(
        `SELECT key, value, timestamp, step, is_nan FROM metrics
         WHERE run_uuid = ? AND key = ? AND step BETWEEN ? AND ?
         ORDER BY step, timestamp, value LIMIT ? OFFSET ?`,
        [runId, key, startStep, endStep, limit, offset],
      ),
    maxResults,
    request.pageToken,
  );
  return { items: page.items.map(toMetric), nextPageToken: page.nextPageToken };
}

/**
 * MLflow's get-history-bulk-interval: up to `maxResults` points per run, sampled evenly by row
 * (not by distinct step, which collapses when every point sits at step 0), always keeping the
 * first and last point of the range.
 */
export function getMetricHistorySampled(
  db: Database,
  runIds: unknown[],
  metricKey: unknown,
  options: { maxResults?: number; startStep?: number; endStep?: number } = {},
): Array<Metric & { runId: string }> {
  const key = requireKey(metricKey);
  const ids = runIds.map(checkRunId);
  if (ids.length === 0 || ids.length > 100) {
    throw invalid(`run_ids must name 1 to 100 runs; got ${ids.length}`);
  }
  const maxResults = checkMaxResults(options.maxResults, 320, 10000);
  const [startStep, endStep] = stepRange(options.startStep, options.endStep);
  const points: Array<Metric & { runId: string }> = [];
  for (const runId of ids) {
    const rows = db.all(
      `SELECT key, value, timestamp, step, is_nan FROM metrics
       WHERE run_uuid = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step, timestamp, value`,
      [runId, key, startStep, endStep],
    );
    for (const index of sampleIndexes(rows.length, maxResults))
      points.push({ ...toMetric(rows[index]), runId });
  }
  return points;
}

export function sampleIndexes(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  if (count === 1) return [length - 1];
  const indexes = new Set<number>();
  for (let i = 0; i < count; i++) indexes.add(Math.round((i * (length - 1)) / (count - 1)));
  return [...indexes].sort((a, b) => a - b);
}

function requireKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0)
    throw invalid('Missing value for required parameter metric_key');
  return key;
}

function requireRun(db: Database, runId: string): void {
  if (!db.get('SELECT 1 FROM runs WHERE run_uuid = ?', [runId]))
    throw notFound(`Run with id=${runId} not found`);
}

function stepRange(start: unknown, end: unknown): [number, number] {
  const from = start == null ? Number.MIN_SAFE_INTEGER : toInteger('start_step', start);
  const to = end == null ? Number.MAX_SAFE_INTEGER : toInteger('end_step', end);
  if (from > to) throw invalid(`start_step ${from} is after end_step ${to}`);
  return [from, to];
}
