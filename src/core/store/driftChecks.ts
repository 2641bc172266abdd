import type { Database, Row, SqlValue } from './database';
import {
  checkDriftCheckInput,
  type DriftCheckColumn,
  type DriftReferenceKind,
  type SaveDriftCheck,
} from './driftCheckInput';
import { invalid, notFound } from './errors';
import { newRunId } from './names';
import { checkVersion, requireVersion } from './registry/shared';
import { requireActiveRun } from './runs';
import { checkMaxResults, checkName, checkRunId } from './validation';

export type { DriftCheckColumn, DriftReferenceKind, SaveDriftCheck };

/**
 * Drift checks kept in the store (mf_drift_checks, one row per column in mf_drift_columns), so a
 * check made in the editor or by the CLI is listed under its file and on a model version, and
 * reopens without being computed again.
 */
export interface DriftCheckSummary {
  checkId: string;
  createdTime: number;
  reference: {
    path: string;
    digest: string;
    kind: DriftReferenceKind;
    /** Set when the reference is this model version's training dataset. */
    modelName?: string;
    modelVersion?: string;
  };
  current: { path: string; digest: string };
  drift: boolean;
  drifted: number;
  total: number;
  share: number;
  /** A retrain run the check led to, once linked. */
  runId?: string;
}

export interface DriftCheck extends DriftCheckSummary {
  /** The DriftOptions the check used. */
  options: Record<string, unknown>;
  /** The whole report, as the CLI's --json prints it. */
  report: Record<string, unknown>;
  columns: DriftCheckColumn[];
}

export interface DriftCheckFilter {
  currentPath?: string;
  modelName?: string;
  /** Only with modelName. */
  modelVersion?: string | number;
  /** Default 100, at most 1000. */
  maxResults?: number;
}

// Renaming a registered model carries its checks along and deleting one turns its checks into
// plain file checks: registry/models.ts does that in the same write as the rename or delete.

const CHECK_ID = /^[0-9a-f]{32}$/;

/** Every column but the two JSON bodies, for lists. */
const SUMMARY_COLUMNS = `check_id, created_time, reference_path, reference_digest, current_path,
  current_digest, reference_kind, model_name, model_version, drift, drifted, total, share, run_id`;

/** Newest first; among checks of the same millisecond, the one saved last first. */
const NEWEST_FIRST = 'ORDER BY created_time DESC, rowid DESC';

export function saveDriftCheck(db: Database, input: SaveDriftCheck): DriftCheck {
  const checked = checkDriftCheckInput(input);
  const checkId = newRunId();

  db.write((tx) => {
    if (checked.model) requireVersion(tx, checked.model.name, checked.model.version);
    tx.run(
      `INSERT INTO mf_drift_checks (check_id, created_time, reference_path, reference_digest,
         current_path, current_digest, reference_kind, model_name, model_version, options_json,
         drift, drifted, total, share, report_json, run_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
      [
        checkId,
        checked.createdTime,
        checked.referencePath,
        checked.referenceDigest,
        checked.currentPath,
        checked.currentDigest,
        checked.referenceKind,
        checked.model?.name ?? null,
        checked.model?.version ?? null,
        checked.optionsJson,
        checked.summary.drift ? 1 : 0,
        checked.summary.drifted,
        checked.summary.total,
        checked.summary.share,
        checked.reportJson,
      ],
    );
    tx.insertMany(
      `INSERT INTO mf_drift_columns (check_id, column_name, kind, test, statistic, p_value,
         threshold, drift) VALUES`,
      checked.columns.map((c) => [
        checkId,
        c.column,
        c.kind,
        c.test,
        c.statistic,
        c.pValue,
        c.threshold,
        c.drift ? 1 : 0,
      ]),
    );
  });
  return getDriftCheck(db, checkId);
}

export function getDriftCheck(db: Database, checkIdValue: unknown): DriftCheck {
  const checkId = checkCheckId(checkIdValue);
  const row = db.get('SELECT * FROM mf_drift_checks WHERE check_id = ?', [checkId]);
  if (!row) throw notFound(`Drift check with id=${checkId} not found`);

  const columns = db.all(
    // rowid keeps the columns in the report's order.
    'SELECT * FROM mf_drift_columns WHERE check_id = ? ORDER BY rowid',
    [checkId],
  );
  return {
    ...toSummary(row),
    options: JSON.parse(String(row.options_json)) as Record<string, unknown>,
    report: JSON.parse(String(row.report_json)) as Record<string, unknown>,
    columns: columns.map(toColumn),
  };
}

export function listDriftChecks(db: Database, filter: DriftCheckFilter = {}): DriftCheckSummary[] {
  const maxResults = checkMaxResults(filter.maxResults, 100, 1000);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.currentPath !== undefined) {
    if (typeof filter.currentPath !== 'string' || filter.currentPath.length === 0) {
      throw invalid('currentPath must be a non-empty string');
    }
    where.push('current_path = ?');
    params.push(filter.currentPath);
  }
  if (filter.modelName !== undefined) {
    where.push('model_name = ?');
    params.push(checkModelName(filter.modelName));
  }
  if (filter.modelVersion !== undefined) {
    if (filter.modelName === undefined) throw invalid('modelVersion needs a modelName');
    where.push('model_version = ?');
    params.push(checkVersion(filter.modelVersion));
  }

  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const rows = db.all(
    `SELECT ${SUMMARY_COLUMNS} FROM mf_drift_checks ${clause} ${NEWEST_FIRST} LIMIT ?`,
    [...params, maxResults],
  );
  return rows.map(toSummary);
}

export function latestDriftCheckForVersion(
  db: Database,
  modelName: unknown,
  version: unknown,
): DriftCheckSummary | undefined {
  const name = checkModelName(modelName);
  return listDriftChecks(db, {
    modelName: name,
    modelVersion: checkVersion(version),
    maxResults: 1,
  })[0];
}

/** Links the retrain run a check led to; the run must exist and be active. */
export function linkDriftCheckRun(
  db: Database,
  checkIdValue: unknown,
  runIdValue: unknown,
): DriftCheckSummary {
  const checkId = checkCheckId(checkIdValue);
  const runId = checkRunId(runIdValue);

  db.write((tx) => {
    if (!tx.get('SELECT 1 FROM mf_drift_checks WHERE check_id = ?', [checkId])) {
      throw notFound(`Drift check with id=${checkId} not found`);
    }
    requireActiveRun(tx.get('SELECT lifecycle_stage FROM runs WHERE run_uuid = ?', [runId]), runId);
    tx.run('UPDATE mf_drift_checks SET run_id = ? WHERE check_id = ?', [runId, checkId]);
  });
  return readSummary(db, checkId);
}

/** Deletes a check and its columns; returns what it was, so listeners learn where it was. */
export function deleteDriftCheck(db: Database, checkIdValue: unknown): DriftCheckSummary {
  const checkId = checkCheckId(checkIdValue);
  const deleted = readSummary(db, checkId);

  // The columns go by the schema's trigger (see schema.ts), in this same journaled write.
  db.write((tx) => {
    tx.run('DELETE FROM mf_drift_checks WHERE check_id = ?', [checkId]);
  });
  return deleted;
}

function readSummary(db: Database, checkId: string): DriftCheckSummary {
  const row = db.get(`SELECT ${SUMMARY_COLUMNS} FROM mf_drift_checks WHERE check_id = ?`, [
    checkId,
  ]);
  if (!row) throw notFound(`Drift check with id=${checkId} not found`);
  return toSummary(row);
}

function checkModelName(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid('Missing value for required parameter modelName');
  }
  return checkName('Registered model', value);
}

function checkCheckId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid('Missing value for required parameter checkId');
  }
  if (!CHECK_ID.test(value)) {
    throw invalid(`Invalid checkId '${value.slice(0, 60)}': a check id is 32 lowercase hex`);
  }
  return value;
}

function toSummary(row: Row): DriftCheckSummary {
  const reference: DriftCheckSummary['reference'] = {
    path: String(row.reference_path),
    digest: String(row.reference_digest),
    kind: row.reference_kind === 'model_version' ? 'model_version' : 'file',
  };
  if (row.model_name !== null) reference.modelName = String(row.model_name);
  if (row.model_version !== null) reference.modelVersion = String(row.model_version);

  const summary: DriftCheckSummary = {
    checkId: String(row.check_id),
    createdTime: Number(row.created_time),
    reference,
    current: { path: String(row.current_path), digest: String(row.current_digest) },
    drift: Number(row.drift) === 1,
    drifted: Number(row.drifted),
    total: Number(row.total),
    share: Number(row.share),
  };
  if (row.run_id !== null) summary.runId = String(row.run_id);
  return summary;
}

function toColumn(row: Row): DriftCheckColumn {
  const number = (value: SqlValue) => (value === null ? null : Number(value));
  return {
    column: String(row.column_name),
    kind: String(row.kind),
    test: row.test === null ? null : String(row.test),
    statistic: number(row.statistic),
    pValue: number(row.p_value),
    threshold: number(row.threshold),
    drift: Number(row.drift) === 1,
  };
}
