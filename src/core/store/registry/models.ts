import type { Database } from '../database';
import type { ModelVersion, Page, RegisteredModel, Tag } from '../entities';
import { exists, invalid, notFound } from '../errors';
import { pageOf } from '../paging';
import { compileRegisteredModelFilter, compileRegisteredModelOrderBy } from '../search';
import { checkMaxResults, checkName, checkTag } from '../validation';
import { requireModel, requireVersion, toRegisteredModel, checkVersion } from './shared';
import { getModelVersion } from './versions';

/** Registered models, their tags and aliases, as MLflow's SQL store keeps them. */
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
    // Drift checks made against this model's versions follow it to its new name.
    tx.run('UPDATE mf_drift_checks SET model_name = ? WHERE model_name = ?', [newName, name]);
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
    // The model's drift checks stay under their data files (they are the user's results), but
    // no longer name a model that a new one of the same name could be mistaken for.
    tx.run(
      `UPDATE mf_drift_checks SET reference_kind = 'file', model_name = NULL, model_version = NULL
         WHERE model_name = ?`,
      [name],
    );
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
