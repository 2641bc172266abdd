import type { Database, Row, Transaction } from '../database';
import type { ModelVersion, RegisteredModel, Tag } from '../entities';
import { invalid, notFound } from '../errors';
import { toInteger } from '../validation';

/** MLflow's SQL store soft-deletes model versions with this stage, so numbers are never reused. */
export const DELETED_STAGE = 'Deleted_Internal';
export const LIVE = `current_stage IS NOT '${DELETED_STAGE}'`;

export function checkVersion(value: unknown): number {
  const version = toInteger('model version', value);
  if (version < 1) throw invalid(`Invalid model version ${version}: versions start at 1`);
  return version;
}

export function requireModel(tx: Transaction, name: string): void {
  if (!tx.get('SELECT 1 FROM registered_models WHERE name = ?', [name])) {
    throw notFound(`Registered Model with name=${name} not found`);
  }
}

export function requireVersion(tx: Transaction, name: string, version: number): void {
  requireModel(tx, name);
  if (
    !tx.get(`SELECT 1 FROM model_versions WHERE name = ? AND version = ? AND ${LIVE}`, [
      name,
      version,
    ])
  ) {
    throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  }
}

export function toRegisteredModel(db: Database, row: Row): RegisteredModel {
  const name = String(row.name);
  const latest = db.all(
    `SELECT mv.* FROM model_versions mv WHERE mv.name = ? AND mv.${LIVE} AND mv.version = (
       SELECT MAX(version) FROM model_versions
       WHERE name = mv.name AND current_stage = mv.current_stage)
     ORDER BY mv.version`,
    [name],
  );
  return {
    name,
    creationTimestamp: toTime(row.creation_time),
    lastUpdatedTimestamp: toTime(row.last_updated_time),
    description: String(row.description ?? ''),
    latestVersions: latest.map((v) => toModelVersion(db, v)),
    tags: db.all<Tag>('SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY key', [
      name,
    ]),
    aliases: db
      .all<{ alias: string; version: number }>(
        'SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias',
        [name],
      )
      .map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}

export function toModelVersion(db: Database, row: Row): ModelVersion {
  const key = [row.name, row.version];
  return {
    name: String(row.name),
    version: String(row.version),
    creationTimestamp: toTime(row.creation_time),
    lastUpdatedTimestamp: toTime(row.last_updated_time),
    userId: String(row.user_id ?? ''),
    currentStage: String(row.current_stage ?? 'None'),
    description: String(row.description ?? ''),
    source: String(row.source ?? ''),
    runId: String(row.run_id ?? ''),
    runLink: String(row.run_link ?? ''),
    status: String(row.status ?? 'READY'),
    statusMessage: String(row.status_message ?? ''),
    tags: db.all<Tag>(
      'SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY key',
      key,
    ),
    aliases: db
      .all<{ alias: string }>(
        'SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias',
        key,
      )
      .map((a) => a.alias),
  };
}

export function toTime(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
