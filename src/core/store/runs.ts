import type { Database, Row, SqlValue } from './database';
import type { Page, Run, RunInfo, RunStatus, Tag, ViewType } from './entities';
import { RunStatuses } from './entities';
import { invalid, notFound } from './errors';
import { checkExperimentId, stageClause } from './experiments';
import { readRunData } from './hydrate';
import { newRunId, randomRunName } from './names';
import { pageOf } from './paging';
import { compileRunFilter, compileRunOrderBy } from './search';
import { checkMaxResults, checkName, checkRunId, checkTag, Limits, toInteger } from './validation';

export const RUN_NAME_TAG = 'mlflow.runName';
export const USER_TAG = 'mlflow.user';

export interface CreateRun {
  experimentId?: unknown;
  runName?: string;
  startTime?: number;
  userId?: string;
  tags?: Tag[];
}

export function createRun(db: Database, request: CreateRun): Run {
  const experimentId = checkExperimentId(request.experimentId ?? '0');
  const tags = (request.tags ?? []).map((t) => checkTag(t));
  const tagged = (key: string) => tags.find((t) => t.key === key)?.value;
  const runName = request.runName || tagged(RUN_NAME_TAG) || randomRunName();
  if (request.runName && tagged(RUN_NAME_TAG) && request.runName !== tagged(RUN_NAME_TAG)) {
    throw invalid(
      `Both run_name '${request.runName}' and the ${RUN_NAME_TAG} tag were given, and differ`,
    );
  }
  const startTime = toInteger('start_time', request.startTime ?? Date.now());
  const userId = request.userId ?? tagged(USER_TAG) ?? '';
  const runId = newRunId();

  db.write((tx) => {
    const experiment = tx.get<{ lifecycle_stage: string; artifact_location: string }>(
      'SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = ?',
      [experimentId],
    );
    if (!experiment) throw notFound(`No Experiment with id=${experimentId} exists`);
    if (experiment.lifecycle_stage !== 'active') {
      throw invalid(`The experiment ${experimentId} must be in the 'active' state; it is deleted`);
    }
    tx.run(
      `INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,
         status, start_time, end_time, deleted_time, source_version, lifecycle_stage,
         artifact_uri, experiment_id)
       VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, NULL, '', 'active', ?, ?)`,
      [
        runId,
        runName,
        userId,
        startTime,
        `${experiment.artifact_location}/${runId}/artifacts`,
        experimentId,
      ],
    );
    const allTags = [
      ...tags.filter((t) => t.key !== RUN_NAME_TAG),
      { key: RUN_NAME_TAG, value: runName },
    ];
    tx.runMany(
      'INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)',
      allTags.map((t) => [t.key, t.value, runId]),
    );
  });
  return getRun(db, runId);
}

export interface UpdateRun {
  status?: string;
  endTime?: number | null;
  runName?: string;
}

export function updateRun(db: Database, runIdValue: unknown, update: UpdateRun): RunInfo {
  const runId = checkRunId(runIdValue);
  const status = update.status === undefined ? undefined : checkStatus(update.status);
  const endTime = update.endTime == null ? undefined : toInteger('end_time', update.endTime);
  const runName = update.runName === undefined ? undefined : checkName('Run', update.runName);
  db.write((tx) => {
    requireActiveRun(tx.get(RUN_STAGE, [runId]), runId);
    if (status) tx.run('UPDATE runs SET status = ? WHERE run_uuid = ?', [status, runId]);
    if (endTime !== undefined)
      tx.run('UPDATE runs SET end_time = ? WHERE run_uuid = ?', [endTime, runId]);
    if (runName !== undefined) {
      tx.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [runName, runId]);
      tx.run('INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)', [
        RUN_NAME_TAG,
        runName,
        runId,
      ]);
    }
  });
  return getRun(db, runId).info;
}

/** Soft delete and restore, as MLflow: deleted_time lets a later clean-up find old deletions. */
export function setRunStage(db: Database, runIdValue: unknown, stage: 'active' | 'deleted'): void {
  const runId = checkRunId(runIdValue);
  db.write((tx) => {
    if (!tx.get(RUN_STAGE, [runId])) throw notFound(`Run with id=${runId} not found`);
    tx.run('UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE run_uuid = ?', [
      stage,
      stage === 'deleted' ? Date.now() : null,
      runId,
    ]);
  });
}

export function getRun(db: Database, runIdValue: unknown): Run {
  const runId = checkRunId(runIdValue);
  const row = db.get('SELECT * FROM runs WHERE run_uuid = ?', [runId]);
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return readRunData(db, [toRunInfo(row)])[0];
}

export function setRunTag(db: Database, runIdValue: unknown, tag: Tag): void {
  const runId = checkRunId(runIdValue);
  const checked = checkTag(tag);
  db.write((tx) => {
    requireActiveRun(tx.get(RUN_STAGE, [runId]), runId);
    tx.run('INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)', [
      checked.key,
      checked.value,
      runId,
    ]);
    // MLflow keeps the run name column and its tag in step, whichever is written.
    if (checked.key === RUN_NAME_TAG) {
      tx.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [checked.value, runId]);
    }
  });
}

export function deleteRunTag(db: Database, runIdValue: unknown, key: unknown): void {
  const runId = checkRunId(runIdValue);
  db.write((tx) => {
    requireActiveRun(tx.get(RUN_STAGE, [runId]), runId);
    const removed = tx.run('DELETE FROM tags WHERE run_uuid = ? AND key = ?', [runId, String(key)]);
    if (removed === 0) throw notFound(`No tag with name: ${String(key)} in run with id ${runId}`);
  });
}

export interface RunSearch {
  experimentIds?: unknown[];
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
  /**
   * Only the runs at the top of a tree of nested runs: not MLflow's, for the Experiments view. A
   * run is nested when its `mlflow.parentRunId` names another run of the same experiment that the
   * search would list too; a run whose parent is deleted (while deleted runs are left out), in
   * another experiment, or missing is at the top, so it cannot vanish from the tree.
   */
  rootsOnly?: boolean;
}

export function searchRuns(db: Database, search: RunSearch): Page<Run> {
  const experimentIds = (search.experimentIds ?? []).map(checkExperimentId);
  const maxResults = checkMaxResults(search.maxResults, 1000, Limits.maxSearchResults);
  const filter = compileRunFilter(search.filter);
  const order = compileRunOrderBy(search.orderBy);
  if (experimentIds.length === 0) return { items: [] };

  const marks = experimentIds.map(() => '?').join(', ');
  const stage = stageClause('r.lifecycle_stage', search.viewType);
  const roots = search.rootsOnly ? `AND ${rootClause(search.viewType)}` : '';
  const page = pageOf(
    (limit, offset) =>
      db.all(
        `SELECT r.* FROM runs r WHERE r.experiment_id IN (${marks}) AND ${stage} AND (${filter.sql})
         ${roots} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
        [...experimentIds, ...filter.params, ...order.params, limit, offset] as SqlValue[],
      ),
    maxResults,
    search.pageToken,
  );
  return { ...page, items: readRunData(db, page.items.map(toRunInfo)) };
}

/** No listed parent: see RunSearch.rootsOnly. A run naming itself as parent is a root too. */
function rootClause(viewType: ViewType | undefined): string {
  return `NOT EXISTS (SELECT 1 FROM tags pt JOIN runs p ON p.run_uuid = pt.value
    WHERE pt.run_uuid = r.run_uuid AND pt.key = '${PARENT_RUN_TAG}' AND p.run_uuid != r.run_uuid
      AND p.experiment_id = r.experiment_id AND ${stageClause('p.lifecycle_stage', viewType)})`;
}

const PARENT_RUN_TAG = 'mlflow.parentRunId';

const RUN_STAGE = 'SELECT lifecycle_stage FROM runs WHERE run_uuid = ?';

export function requireActiveRun(row: Row | undefined, runId: string): void {
  if (!row) throw notFound(`Run with id=${runId} not found`);
  if (row.lifecycle_stage !== 'active') {
    throw invalid(`The run ${runId} must be in the 'active' state. Current state is deleted.`);
  }
}

function checkStatus(status: string): RunStatus {
  if (!(RunStatuses as readonly string[]).includes(status)) {
    throw invalid(`Invalid run status '${status}': use one of ${RunStatuses.join(', ')}`);
  }
  return status as RunStatus;
}

export function toRunInfo(row: Row): RunInfo {
  return {
    runId: String(row.run_uuid),
    runName: String(row.name ?? ''),
    experimentId: String(row.experiment_id),
    userId: String(row.user_id ?? ''),
    status: (row.status ?? 'RUNNING') as RunStatus,
    startTime: row.start_time === null ? null : Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    artifactUri: String(row.artifact_uri ?? ''),
    lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
  };
}

export const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

/** MLflow's log-model: appends the MLmodel description to the run's model history tag. */
export function logModel(db: Database, runIdValue: unknown, modelJson: string): void {
  const runId = checkRunId(runIdValue);
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalid('model_json must be a JSON object describing the MLmodel');
  }
  if (!model || typeof model !== 'object' || Array.isArray(model)) {
    throw invalid('model_json must be a JSON object describing the MLmodel');
  }
  db.write((tx) => {
    requireActiveRun(tx.get(RUN_STAGE, [runId]), runId);
    const existing = tx.get<{ value: string }>(
      'SELECT value FROM tags WHERE run_uuid = ? AND key = ?',
      [runId, LOGGED_MODELS_TAG],
    );
    const history = existing ? (JSON.parse(existing.value) as unknown[]) : [];
    tx.run('INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)', [
      LOGGED_MODELS_TAG,
      JSON.stringify([...history, model]),
      runId,
    ]);
  });
}
