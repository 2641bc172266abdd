import type { Database, Row, Transaction } from './database';
import type { ModelVersion, Page, RegisteredModel, Tag } from './entities';
import { ModelVersionStages } from './entities';
import { exists, invalid, notFound } from './errors';
import { pageOf } from './paging';
import {
  compileModelVersionFilter,
  compileModelVersionOrderBy,
  compileRegisteredModelFilter,
  compileRegisteredModelOrderBy,
} from './search';
import { checkMaxResults, checkName, checkTag, toInteger } from './validation';

/** MLflow's SQL store soft-deletes model versions with this stage, so numbers are never reused. */
export const DELETED_STAGE = 'Deleted_Internal';
const LIVE = `current_stage IS NOT '${DELETED_STAGE}'`;

export function createRegisteredModel(
  db: Database,
  nameValue: unknown,
  tags: Tag[] = [],
  description = '',
) {
  const name = checkName('Registered model', nameValue);
  const checkedTags = tags.map((t) => checkTag(t));
  db.write((tx) => {
    if (tx.get('SELECT 1 FROM registered_models WHERE name = ?', [name])) {
      throw exists(`Registered Model (name=${name}) already exists.`);
    }
    const now = Date.now();
    tx.run(
      'INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)',
      [name, now, now, description],
    );
    tx.runMany(
      'INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)',
      checkedTags.map((t) => [t.key, t.value, name]),
    );
  });
  return getRegisteredModel(db, name);
}

/** SQLite applies ON UPDATE CASCADE only with foreign keys on; MLflow's files leave them off. */
export function renameRegisteredModel(db: Database, nameValue: unknown, newNameValue: unknown) {
  const name = checkName('Registered model', nameValue);
  const newName = checkName('Registered model', newNameValue);
  db.write((tx) => {
    requireModel(tx, name);
    if (name !== newName && tx.get('SELECT 1 FROM registered_models WHERE name = ?', [newName])) {
      throw exists(`Registered Model (name=${newName}) already exists.`);
    }
    for (const table of [
      'registered_models',
      'registered_model_tags',
      'model_versions',
      'model_version_tags',
      'registered_model_aliases',
    ]) {
      tx.run(`UPDATE ${table} SET name = ? WHERE name = ?`, [newName, name]);
    }
    tx.run('UPDATE registered_models SET last_updated_time = ? WHERE name = ?', [
      Date.now(),
      newName,
    ]);
  });
  return getRegisteredModel(db, newName);
}

export function updateRegisteredModel(db: Database, nameValue: unknown, description: unknown) {
  const name = checkName('Registered model', nameValue);
  db.write((tx) => {
    requireModel(tx, name);
    tx.run('UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?', [
      String(description ?? ''),
      Date.now(),
      name,
    ]);
  });
  return getRegisteredModel(db, name);
}

export function deleteRegisteredModel(db: Database, nameValue: unknown): void {
  const name = checkName('Registered model', nameValue);
  db.write((tx) => {
    requireModel(tx, name);
    for (const table of [
      'registered_model_aliases',
      'model_version_tags',
      'model_versions',
      'registered_model_tags',
      'registered_models',
    ]) {
      tx.run(`DELETE FROM ${table} WHERE name = ?`, [name]);
    }
  });
}

export function getRegisteredModel(db: Database, nameValue: unknown): RegisteredModel {
  const name = checkName('Registered model', nameValue);
  const row = db.get('SELECT * FROM registered_models WHERE name = ?', [name]);
  if (!row) throw notFound(`Registered Model with name=${name} not found`);
  return toRegisteredModel(db, row);
}

export interface RegistrySearch {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export function searchRegisteredModels(
  db: Database,
  search: RegistrySearch = {},
): Page<RegisteredModel> {
  const maxResults = checkMaxResults(search.maxResults, 100, 1000);
  const filter = compileRegisteredModelFilter(search.filter);
  const order = compileRegisteredModelOrderBy(search.orderBy);
  const page = pageOf(
    (limit, offset) =>
      db.all(
        `SELECT rm.* FROM registered_models rm WHERE ${filter.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
        [...filter.params, ...order.params, limit, offset],
      ),
    maxResults,
    search.pageToken,
  );
  return { ...page, items: page.items.map((row) => toRegisteredModel(db, row)) };
}

export function setRegisteredModelTag(db: Database, nameValue: unknown, tag: Tag): void {
  const name = checkName('Registered model', nameValue);
  const checked = checkTag(tag);
  db.write((tx) => {
    requireModel(tx, name);
    tx.run('INSERT OR REPLACE INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)', [
      checked.key,
      checked.value,
      name,
    ]);
  });
}

export function deleteRegisteredModelTag(db: Database, nameValue: unknown, key: unknown): void {
  const name = checkName('Registered model', nameValue);
  db.write((tx) => {
    requireModel(tx, name);
    const removed = tx.run('DELETE FROM registered_model_tags WHERE name = ? AND key = ?', [
      name,
      String(key),
    ]);
    if (removed === 0) throw notFound(`No tag with key ${String(key)} on registered model ${name}`);
  });
}

const ALIAS = /^[A-Za-z0-9_-]{1,255}$/;

export function setAlias(
  db: Database,
  nameValue: unknown,
  alias: unknown,
  versionValue: unknown,
): void {
  const name = checkName('Registered model', nameValue);
  if (
    typeof alias !== 'string' ||
    !ALIAS.test(alias) ||
    /^v\d+$/i.test(alias) ||
    alias.toLowerCase() === 'latest'
  ) {
    throw invalid(
      `Invalid alias ${JSON.stringify(alias)}: use letters, digits, - and _, and not 'latest' or v<number>, which name versions`,
    );
  }
  const version = checkVersion(versionValue);
  db.write((tx) => {
    requireVersion(tx, name, version);
    tx.run(
      'INSERT OR REPLACE INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?)',
      [alias, version, name],
    );
  });
}

export function deleteAlias(db: Database, nameValue: unknown, alias: unknown): void {
  const name = checkName('Registered model', nameValue);
  db.write((tx) => {
    requireModel(tx, name);
    const removed = tx.run('DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?', [
      name,
      String(alias),
    ]);
    if (removed === 0)
      throw notFound(`Registered model alias ${String(alias)} not found on ${name}`);
  });
}

export function getModelVersionByAlias(
  db: Database,
  nameValue: unknown,
  alias: unknown,
): ModelVersion {
  const name = checkName('Registered model', nameValue);
  const row = db.get<{ version: number }>(
    'SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?',
    [name, String(alias)],
  );
  if (!row) throw notFound(`Registered model alias ${String(alias)} not found on ${name}`);
  return getModelVersion(db, name, row.version);
}

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

function checkVersion(value: unknown): number {
  const version = toInteger('model version', value);
  if (version < 1) throw invalid(`Invalid model version ${version}: versions start at 1`);
  return version;
}

function requireModel(tx: Transaction, name: string): void {
  if (!tx.get('SELECT 1 FROM registered_models WHERE name = ?', [name])) {
    throw notFound(`Registered Model with name=${name} not found`);
  }
}

function requireVersion(tx: Transaction, name: string, version: number): void {
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

function toRegisteredModel(db: Database, row: Row): RegisteredModel {
  const name = String(row.name);
  const latest = db.all(
    `SELECT mv.* FROM model_versions mv WHERE mv.name = ? AND mv.${LIVE} AND mv.version = (
       SELECT MAX(version) FROM model_versions WHERE name = mv.name AND current_stage = mv.current_stage)
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

function toModelVersion(db: Database, row: Row): ModelVersion {
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

function toTime(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
