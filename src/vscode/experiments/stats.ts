import type { RunStore } from '../../core/store/store';

/**
 * Aggregates the tree needs that RunStore's MLflow-shaped API has no call for: MLflow answers
 * "how many runs" only by fetching them all, which for 10,000 runs would take far longer than a
 * tree refresh may. These read the MLflow tables directly, one query each, and never write.
 */

export const PARENT_RUN_TAG = 'mlflow.parentRunId';

export interface ExperimentStats {
  runs: number;
  deleted: number;
  /** The latest start or end time of its runs. */
  lastActivity: number | null;
}

/** Run counts and last activity per experiment id; deleted runs count only when included. */
export function experimentStats(
  store: RunStore,
  includeDeleted: boolean,
): Map<string, ExperimentStats> {
  const rows = store.db.all<{ id: number; runs: number; deleted: number; last: number | null }>(
    `SELECT experiment_id AS id, COUNT(*) AS runs,
       SUM(lifecycle_stage = 'deleted') AS deleted,
       MAX(COALESCE(MAX(start_time), 0), COALESCE(MAX(end_time), 0)) AS last
     FROM runs ${includeDeleted ? '' : "WHERE lifecycle_stage = 'active'"}
     GROUP BY experiment_id`,
  );
  return new Map(
    rows.map((row) => [
      String(row.id),
      { runs: row.runs, deleted: row.deleted ?? 0, lastActivity: row.last || null },
    ]),
  );
}

/**
 * Which of these runs have nested runs that their experiment lists under them: children in the
 * same experiment, and deleted ones only when those are shown, so no parent expands to nothing.
 */
export function parentsAmong(
  store: RunStore,
  runIds: string[],
  includeDeleted: boolean,
): Set<string> {
  if (runIds.length === 0) return new Set();
  const rows = store.db.all<{ parent: string }>(
    `SELECT DISTINCT t.value AS parent FROM tags t
     JOIN runs c ON c.run_uuid = t.run_uuid
     JOIN runs p ON p.run_uuid = t.value AND p.experiment_id = c.experiment_id
     WHERE t.key = ? AND t.value IN (${runIds.map(() => '?').join(', ')}) AND c.run_uuid != p.run_uuid
       ${includeDeleted ? '' : "AND c.lifecycle_stage = 'active'"}`,
    [PARENT_RUN_TAG, ...runIds],
  );
  return new Set(rows.map((row) => row.parent));
}

/** The key of the first metric each run logged (earliest timestamp, then step). */
export function firstMetrics(store: RunStore, runIds: string[]): Map<string, string> {
  if (runIds.length === 0) return new Map();
  const rows = store.db.all<{ runId: string; key: string }>(
    `SELECT runId, key FROM (
       SELECT run_uuid AS runId, key,
         ROW_NUMBER() OVER (PARTITION BY run_uuid ORDER BY timestamp, step, key) AS ordinal
       FROM metrics WHERE run_uuid IN (${runIds.map(() => '?').join(', ')})
     ) WHERE ordinal = 1`,
    runIds,
  );
  return new Map(rows.map((row) => [row.runId, row.key]));
}

/** Every metric key logged in the store, for the sort picker. */
export function metricKeys(store: RunStore): string[] {
  const rows = store.db.all<{ key: string }>(
    'SELECT DISTINCT key FROM latest_metrics ORDER BY key LIMIT 500',
  );
  return rows.map((row) => row.key);
}
