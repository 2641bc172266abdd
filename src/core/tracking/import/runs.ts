import { createHash } from 'node:crypto';
import type { Logger } from '../../log';
import type { Database, SqlValue, Transaction } from '../../store/database';
import { encodeMetricValue } from '../../store/hydrate';
import { addToTiles } from '../../store/tiles';
import type { Placement } from './experiments';
import type { MetricPoint, MetricSeries, SourceRun } from './source';

const RUN_NAME_TAG = 'mlflow.runName';

export interface RunCounts {
  metrics: number;
  params: number;
  tags: number;
}

export function runExists(db: Database, runId: string): boolean {
  return db.get('SELECT 1 FROM runs WHERE run_uuid = ?', [runId]) !== undefined;
}

/**
 * Writes one run, with its params, tags, full metric histories, latest metrics and dataset
 * inputs, as one transaction: a failure or a crash leaves either the whole run or none of it.
 * Direct batched SQL rather than the store's checked API, which validates each item and would
 * take minutes over millions of metric points; what is written is what MLflow already accepted.
 */
export function writeRun(
  db: Database,
  run: SourceRun,
  placement: Placement,
  artifactUri: string,
  logger: Logger,
): RunCounts {
  const deleted = run.lifecycleStage === 'deleted' || placement.deleted;
  const deletedTime = deleted ? (run.deletedTime ?? placement.deletedTime ?? Date.now()) : null;
  const tags = withRunNameTag(run);

  return db.write((tx) => {
    tx.run(
      `INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,
         status, start_time, end_time, deleted_time, source_version, lifecycle_stage,
         artifact_uri, experiment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        run.runId,
        run.runName,
        run.sourceType,
        run.sourceName,
        run.entryPointName,
        run.userId,
        run.status,
        run.startTime,
        run.endTime,
        deletedTime,
        run.sourceVersion,
        deleted ? 'deleted' : 'active',
        artifactUri,
        placement.experimentId,
      ],
    );
    tx.runMany(
      'INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)',
      tags.map((tag) => [tag.key, tag.value, run.runId]),
    );
    tx.runMany(
      'INSERT OR IGNORE INTO params (key, value, run_uuid) VALUES (?, ?, ?)',
      run.params.map((param) => [param.key, param.value, run.runId]),
    );
    const metrics = writeMetrics(tx, run.runId, run.metrics);
    writeInputs(tx, run, placement, logger);
    return { metrics, params: run.params.length, tags: tags.length };
  });
}

/** MLflow keeps the run name in a column and in the mlflow.runName tag; older runs lack one. */
function withRunNameTag(run: SourceRun) {
  if (run.runName === '' || run.tags.some((tag) => tag.key === RUN_NAME_TAG)) return run.tags;
  return [...run.tags, { key: RUN_NAME_TAG, value: run.runName }];
}

const METRIC_INSERT =
  'INSERT OR IGNORE INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES';
const INSERT_LATEST = `INSERT OR REPLACE INTO latest_metrics
  (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * Every point of every series, and per key the latest value as MLflow picks it: the greatest
 * (step, timestamp, value), compared on the stored value (NaN as 0), as the store's own upsert.
 * Points go in multi-row INSERTs (insertMany), which sql.js runs three times faster than one row
 * at a time, and into the tiles that summarise each history for charts (tiles.ts).
 */
function writeMetrics(tx: Transaction, runId: string, series: MetricSeries[]): number {
  const rows: SqlValue[][] = [];
  const latest: SqlValue[][] = [];
  for (const { key, points } of series) {
    let best: SqlValue[] | undefined;
    for (const point of points) {
      const { value, isNan } = encodeMetricValue(point.value);
      const row = [key, value, point.timestamp, point.step, isNan, runId];
      rows.push(row);
      if (!best || isLater(value, point, best)) best = row;
    }
    if (best) latest.push(best);
  }
  addToTiles(tx, runId, rows, tx.insertMany(METRIC_INSERT, rows));
  tx.runMany(INSERT_LATEST, latest);
  return rows.length;
}

/** Whether a point (with its stored value) comes after the best row so far. */
function isLater(value: number, point: MetricPoint, best: SqlValue[]): boolean {
  const [, bestValue, bestTimestamp, bestStep] = best as number[];
  if (point.step !== bestStep) return point.step > bestStep;
  if (point.timestamp !== bestTimestamp) return point.timestamp > bestTimestamp;
  return value > bestValue;
}

/** Inputs link the run to datasets that placeExperiments already put in its experiment. */
function writeInputs(tx: Transaction, run: SourceRun, placement: Placement, logger: Logger) {
  for (const input of run.inputs) {
    const datasetUuid = placement.datasets.get(input.datasetUuid);
    if (!datasetUuid) {
      logger.warn(`run ${run.runId}: its input names the dataset ${input.datasetUuid}, not found`);
      continue;
    }
    // The id MLflow's file store gives an input, so the same input gets the same id anywhere.
    const inputUuid = createHash('md5')
      .update(datasetUuid + run.runId)
      .digest('hex');
    tx.run(
      `INSERT OR IGNORE INTO inputs (input_uuid, source_type, source_id, destination_type,
         destination_id) VALUES (?, 'DATASET', ?, 'RUN', ?)`,
      [inputUuid, datasetUuid, run.runId],
    );
    tx.runMany(
      'INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)',
      input.tags.map((tag) => [inputUuid, tag.key, tag.value]),
    );
  }
}
