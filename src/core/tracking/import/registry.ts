import type { Logger } from '../../log';
import type { Database, Transaction } from '../../store/database';
import { DELETED_STAGE } from '../../store/registry';
import { isLocalUri } from './artifacts';
import type { SourceModel, SourceModelVersion } from './source';

export interface ModelCounts {
  models: number;
  versions: number;
}

/**
 * Writes one registered model, its versions (deleted ones too: they keep their number), tags and
 * aliases, in one transaction. A model of the same name in the store is reused, and only the
 * versions, tags and aliases it lacks are added; on a clash the store's own values win, so that a
 * second import changes nothing.
 */
export function writeModel(db: Database, model: SourceModel, logger: Logger): ModelCounts {
  return db.write((tx) => {
    const exists = tx.get('SELECT 1 FROM registered_models WHERE name = ?', [model.name]);
    if (!exists) {
      tx.run(
        `INSERT INTO registered_models (name, creation_time, last_updated_time, description)
         VALUES (?, ?, ?, ?)`,
        [model.name, model.creationTime, model.lastUpdatedTime, model.description],
      );
    }
    tx.runMany(
      'INSERT OR IGNORE INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)',
      model.tags.map((tag) => [tag.key, tag.value, model.name]),
    );
    let versions = 0;
    for (const version of model.versions) {
      if (writeVersion(tx, model.name, version, logger)) versions += 1;
    }
    writeAliases(tx, model);
    return { models: exists ? 0 : 1, versions };
  });
}

function writeVersion(
  tx: Transaction,
  name: string,
  version: SourceModelVersion,
  logger: Logger,
): boolean {
  const existing = tx.get<{ run_id: string | null }>(
    'SELECT run_id FROM model_versions WHERE name = ? AND version = ?',
    [name, version.version],
  );
  if (existing) {
    if (existing.run_id !== version.runId && version.currentStage !== DELETED_STAGE) {
      logger.warn(
        `model ${name} version ${version.version} already exists in the store from another ` +
          'run; the store keeps its own',
      );
    }
    return false;
  }
  tx.run(
    `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description,
       user_id, current_stage, source, run_id, status, status_message, run_link, storage_location)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      name,
      version.version,
      version.creationTime,
      version.lastUpdatedTime,
      version.description,
      version.userId,
      version.currentStage,
      relocate(tx, version.source, version.runId),
      version.runId,
      version.status,
      version.statusMessage,
      version.runLink,
      relocate(tx, version.storageLocation ?? version.source, version.runId),
    ],
  );
  // The store drops a deleted version's tags, as MLflow's SQL store does.
  if (version.currentStage === DELETED_STAGE) return true;
  tx.runMany(
    'INSERT OR IGNORE INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)',
    version.tags.map((tag) => [tag.key, tag.value, name, version.version]),
  );
  return true;
}

/** Aliases may only point at live versions; MLflow removes those of a deleted version. */
function writeAliases(tx: Transaction, model: SourceModel): void {
  for (const { alias, version } of model.aliases) {
    const live = tx.get(
      `SELECT 1 FROM model_versions WHERE name = ? AND version = ?
         AND current_stage IS NOT '${DELETED_STAGE}'`,
      [model.name, version],
    );
    if (!live) continue;
    tx.run(
      'INSERT OR IGNORE INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?)',
      [alias, version, model.name],
    );
  }
}

/**
 * A version's source under its run's local artifact folder (`.../<run id>/artifacts/model`)
 * follows the artifacts into the store when the import copied them there, so the version still
 * resolves once the source store is gone. `runs:/` and remote URIs are kept as they are.
 */
function relocate(tx: Transaction, uri: string | null, runId: string | null): string | null {
  if (!uri || !runId || !isLocalUri(uri)) return uri;
  const marker = `/${runId}/artifacts`;
  const at = uri.indexOf(marker);
  const after = uri.slice(at + marker.length);
  if (at < 0 || (after !== '' && !after.startsWith('/'))) return uri;
  const run = tx.get<{ artifact_uri: string | null }>(
    'SELECT artifact_uri FROM runs WHERE run_uuid = ?',
    [runId],
  );
  if (!run?.artifact_uri?.startsWith('mlflow-artifacts:')) return uri;
  return `${run.artifact_uri}${after}`;
}
