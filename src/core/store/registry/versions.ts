import type { Database } from '../database';
import type { ModelVersion, Page, Tag } from '../entities';
import { ModelVersionStages } from '../entities';
import { invalid, notFound } from '../errors';
import { pageOf } from '../paging';
import { compileModelVersionFilter, compileModelVersionOrderBy } from '../search';
import { checkMaxResults, checkName, checkTag } from '../validation';
import type { RegistrySearch } from './models';
import {
  checkVersion,
  DELETED_STAGE,
  LIVE,
  requireModel,
  requireVersion,
  toModelVersion,
} from './shared';

/** Model versions: numbered from 1 per model, soft-deleted so numbers are never reused. */
export interface CreateModelVersion {
  name: unknown;
  source: unknown;
  runId?: string;
  tags?: Tag[];
  runLink?: string;
  description?: string;
  userId?: string;
}

export function createModelVersion(db: Database, request: CreateModelVersion): ModelVersion {
  const name = checkName('Registered model', request.name);
  if (
    typeof request.source !== 'string' ||
    request.source.length === 0 ||
    request.source.length > 500
  ) {
    throw invalid('source must be the model artifact URI, 1 to 500 characters');
  }
  const source = request.source;
  const tags = (request.tags ?? []).map((t) => checkTag(t));
  const version = db.write((tx) => {
    requireModel(tx, name);
    const next = tx.get<{ v: number }>(
      'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM model_versions WHERE name = ?',
      [name],
    )!.v;
    const now = Date.now();
    tx.run(
      `INSERT INTO model_versions (name, version, creation_time, last_updated_time, description,
         user_id, current_stage, source, run_id, status, status_message, run_link, storage_location)
       VALUES (?, ?, ?, ?, ?, ?, 'None', ?, ?, 'READY', NULL, ?, ?)`,
      [
        name,
        next,
        now,
        now,
        request.description ?? '',
        request.userId ?? null,
        source,
        request.runId ?? null,
        request.runLink ?? null,
        source,
      ],
    );
    tx.runMany(
      'INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)',
      tags.map((t) => [t.key, t.value, name, next]),
    );
    tx.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [now, name]);
    return next;
  });
  return getModelVersion(db, name, version);
}

export function updateModelVersion(
  db: Database,
  nameValue: unknown,
  versionValue: unknown,
  description: unknown,
) {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  db.write((tx) => {
    requireVersion(tx, name, version);
    tx.run(
      'UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?',
      [String(description ?? ''), Date.now(), name, version],
    );
  });
  return getModelVersion(db, name, version);
}

/** Stages are deprecated in MLflow in favour of aliases, but old clients still send them. */
export function transitionModelVersionStage(
  db: Database,
  nameValue: unknown,
  versionValue: unknown,
  stageValue: unknown,
  archiveExisting: boolean,
): ModelVersion {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  const stage = ModelVersionStages.find(
    (s) => s.toLowerCase() === String(stageValue).toLowerCase(),
  );
  if (!stage)
    throw invalid(
      `Invalid Model Version stage: ${String(stageValue)}. Use one of ${ModelVersionStages.join(', ')}.`,
    );
  db.write((tx) => {
    requireVersion(tx, name, version);
    const now = Date.now();
    if (archiveExisting && (stage === 'Staging' || stage === 'Production')) {
      tx.run(
        `UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ?
         WHERE name = ? AND version != ? AND current_stage = ?`,
        [now, name, version, stage],
      );
    }
    tx.run(
      'UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?',
      [stage, now, name, version],
    );
  });
  return getModelVersion(db, name, version);
}

export function deleteModelVersion(db: Database, nameValue: unknown, versionValue: unknown): void {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  db.write((tx) => {
    requireVersion(tx, name, version);
    tx.run(
      `UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL,
         user_id = NULL, source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID',
         run_link = 'REDACTED-RUN-LINK', status_message = NULL
       WHERE name = ? AND version = ?`,
      [DELETED_STAGE, Date.now(), name, version],
    );
    tx.run('DELETE FROM registered_model_aliases WHERE name = ? AND version = ?', [name, version]);
    tx.run('DELETE FROM model_version_tags WHERE name = ? AND version = ?', [name, version]);
  });
}

export function getModelVersion(
  db: Database,
  nameValue: unknown,
  versionValue: unknown,
): ModelVersion {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  const row = db.get(`SELECT * FROM model_versions WHERE name = ? AND version = ? AND ${LIVE}`, [
    name,
    version,
  ]);
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return toModelVersion(db, row);
}

export function searchModelVersions(db: Database, search: RegistrySearch = {}): Page<ModelVersion> {
  const maxResults = checkMaxResults(search.maxResults, 10000, 200000);
  const filter = compileModelVersionFilter(search.filter);
  const order = compileModelVersionOrderBy(search.orderBy);
  const page = pageOf(
    (limit, offset) =>
      db.all(
        `SELECT mv.* FROM model_versions mv WHERE mv.${LIVE} AND (${filter.sql}) ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
        [...filter.params, ...order.params, limit, offset],
      ),
    maxResults,
    search.pageToken,
  );
  return { ...page, items: page.items.map((row) => toModelVersion(db, row)) };
}

export function setModelVersionTag(
  db: Database,
  nameValue: unknown,
  versionValue: unknown,
  tag: Tag,
): void {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  const checked = checkTag(tag);
  db.write((tx) => {
    requireVersion(tx, name, version);
    tx.run(
      'INSERT OR REPLACE INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)',
      [checked.key, checked.value, name, version],
    );
  });
}

export function deleteModelVersionTag(
  db: Database,
  nameValue: unknown,
  versionValue: unknown,
  key: unknown,
): void {
  const name = checkName('Registered model', nameValue);
  const version = checkVersion(versionValue);
  db.write((tx) => {
    requireVersion(tx, name, version);
    const removed = tx.run(
      'DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?',
      [name, version, String(key)],
    );
    if (removed === 0)
      throw notFound(`No tag with key ${String(key)} on model version ${name}/${version}`);
  });
}

export function getModelVersionDownloadUri(db: Database, name: unknown, version: unknown): string {
  return getModelVersion(db, name, version).source;
}
