import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../log';
import {
  keyedFiles,
  readKeyedValues,
  readYaml,
  subdirectories,
  toNumber,
  toText,
  toTextOrNull,
} from './files';
import type { SourceModel, SourceModelVersion } from './source';

const VERSION_DIR = /^version-(\d+)$/;
const VERSION_STATUS_BY_NUMBER: Record<number, string> = {
  1: 'PENDING_REGISTRATION',
  2: 'FAILED_REGISTRATION',
  3: 'READY',
};

/**
 * The file store's model registry: `models/<name>/meta.yaml`, its `tags/`, `aliases/<alias>`
 * (holding a version number) and `version-<n>/` folders. Deleted versions keep their folder with
 * the stage Deleted_Internal, so their numbers are never reused.
 */
export async function readFileRegistry(modelsDir: string, logger: Logger): Promise<SourceModel[]> {
  const models: SourceModel[] = [];
  for (const folder of await subdirectories(modelsDir)) {
    const dir = path.join(modelsDir, folder);
    if (!fs.existsSync(path.join(dir, 'meta.yaml'))) {
      logger.warn(`skipped ${dir}: it has no meta.yaml, so it is no registered model`);
      continue;
    }
    models.push(await readModel(dir, folder));
  }
  return models;
}

async function readModel(dir: string, folder: string): Promise<SourceModel> {
  const meta = await readYaml(path.join(dir, 'meta.yaml'));
  const versions: SourceModelVersion[] = [];
  for (const name of await subdirectories(dir)) {
    const match = VERSION_DIR.exec(name);
    if (match && fs.existsSync(path.join(dir, name, 'meta.yaml'))) {
      versions.push(await readVersion(path.join(dir, name), Number(match[1])));
    }
  }
  return {
    name: toText(meta.name, folder),
    creationTime: toNumber(meta.creation_timestamp),
    lastUpdatedTime: toNumber(meta.last_updated_timestamp),
    description: toTextOrNull(meta.description),
    tags: await readKeyedValues(path.join(dir, 'tags')),
    aliases: await readAliases(path.join(dir, 'aliases')),
    versions: versions.sort((a, b) => a.version - b.version),
  };
}

async function readVersion(dir: string, version: number): Promise<SourceModelVersion> {
  const meta = await readYaml(path.join(dir, 'meta.yaml'));
  const status = meta.status;
  return {
    version,
    creationTime: toNumber(meta.creation_timestamp),
    lastUpdatedTime: toNumber(meta.last_updated_timestamp),
    description: toTextOrNull(meta.description),
    userId: toTextOrNull(meta.user_id),
    currentStage: toText(meta.current_stage, 'None'),
    source: toTextOrNull(meta.source),
    runId: toTextOrNull(meta.run_id),
    status: VERSION_STATUS_BY_NUMBER[Number(status)] ?? toText(status, 'READY'),
    statusMessage: toTextOrNull(meta.status_message),
    runLink: toTextOrNull(meta.run_link),
    storageLocation: toTextOrNull(meta.storage_location),
    tags: await readKeyedValues(path.join(dir, 'tags')),
  };
}

async function readAliases(dir: string): Promise<Array<{ alias: string; version: number }>> {
  const aliases: Array<{ alias: string; version: number }> = [];
  for (const { key, file } of await keyedFiles(dir)) {
    const version = Number((await fs.promises.readFile(file, 'utf8')).trim());
    if (Number.isSafeInteger(version)) aliases.push({ alias: key, version });
  }
  return aliases;
}
