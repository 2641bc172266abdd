import type { Row } from '../../store/database';
import { toNumber, toText, toTextOrNull } from './files';
import type { SourceModel, SourceModelVersion } from './source';
import type { SqliteTables } from './sqliteTables';

/**
 * The registry tables of an mlflow.db. Files older than the registry have none of them; aliases
 * and storage locations came in later revisions.
 */
export function readSqliteRegistry(tables: SqliteTables): SourceModel[] {
  if (!tables.hasTable('registered_models')) return [];
  const byName = (table: string, columns: string, order: string) =>
    tables.hasTable(table)
      ? groupByName(tables.all(`SELECT name, ${columns} FROM ${table} ORDER BY ${order}`))
      : new Map<string, Row[]>();
  const tags = byName('registered_model_tags', 'key, value', 'key');
  const aliases = byName('registered_model_aliases', 'alias, version', 'alias');
  const versions = groupByName(readVersions(tables));
  const versionTags = byName('model_version_tags', 'version, key, value', 'version, key');

  const models = tables.all(
    `SELECT ${tables.select('registered_models', 'rm', {
      name: 'NULL',
      creation_time: 'NULL',
      last_updated_time: 'NULL',
      description: 'NULL',
    })} FROM registered_models rm ORDER BY rm.name`,
  );
  return models.map((row) => {
    const name = String(row.name);
    const tagsOf = (version: number) =>
      (versionTags.get(name) ?? []).filter((t) => Number(t.version) === version).map(toTag);
    return {
      name,
      creationTime: toNumber(row.creation_time),
      lastUpdatedTime: toNumber(row.last_updated_time),
      description: toTextOrNull(row.description),
      tags: (tags.get(name) ?? []).map(toTag),
      aliases: (aliases.get(name) ?? []).map((a) => ({
        alias: String(a.alias),
        version: Number(a.version),
      })),
      versions: (versions.get(name) ?? []).map((v) => toVersion(v, tagsOf(Number(v.version)))),
    };
  });
}

function readVersions(tables: SqliteTables): Row[] {
  if (!tables.hasTable('model_versions')) return [];
  return tables.all(
    `SELECT ${tables.select('model_versions', 'mv', {
      name: 'NULL',
      version: 'NULL',
      creation_time: 'NULL',
      last_updated_time: 'NULL',
      description: 'NULL',
      user_id: 'NULL',
      current_stage: "'None'",
      source: 'NULL',
      run_id: 'NULL',
      status: "'READY'",
      status_message: 'NULL',
      run_link: 'NULL',
      storage_location: 'NULL',
    })} FROM model_versions mv ORDER BY mv.name, mv.version`,
  );
}

function toVersion(row: Row, tags: Array<{ key: string; value: string }>): SourceModelVersion {
  return {
    version: Number(row.version),
    creationTime: toNumber(row.creation_time),
    lastUpdatedTime: toNumber(row.last_updated_time),
    description: toTextOrNull(row.description),
    userId: toTextOrNull(row.user_id),
    currentStage: toText(row.current_stage, 'None'),
    source: toTextOrNull(row.source),
    runId: toTextOrNull(row.run_id),
    status: toText(row.status, 'READY'),
    statusMessage: toTextOrNull(row.status_message),
    runLink: toTextOrNull(row.run_link),
    storageLocation: toTextOrNull(row.storage_location),
    tags,
  };
}

function groupByName(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const name = String(row.name);
    const group = groups.get(name);
    if (group) group.push(row);
    else groups.set(name, [row]);
  }
  return groups;
}

function toTag(row: Row): { key: string; value: string } {
  return { key: String(row.key), value: toText(row.value) };
}
