import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelVersion } from '../store/entities';
import { MlflowError } from '../store/errors';
import type { RunStore } from '../store/store';
import { runArtifactLocation } from '../tracking/artifacts/listing';
import { DeployError } from './errors';

/**
 * Model URIs as MLflow writes them, and where each one's artifacts are in the store:
 * `models:/name/version`, `models:/name@alias` (and `models:/name/latest`), and
 * `runs:/run_id/path` for a run's artifacts before they are registered.
 */
export type ModelReference =
  | { kind: 'version'; name: string; version: string }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'latest'; name: string }
  | { kind: 'run'; runId: string; artifactPath: string };

export interface ResolvedModel {
  /** The URI as it was given. */
  uri: string;
  /** Set for registry URIs: the version the name, alias or `latest` points at now. */
  version?: ModelVersion;
  /** models:/name/version for a registry URI, else the runs:/ URI as given. */
  canonicalUri: string;
  /** The run that made the artifacts ('' when a version names none). */
  runId: string;
  /** The artifacts' URI: the version's source, or the runs:/ URI. */
  source: string;
  /** The artifacts' folder (or file) on this machine; it exists. */
  path: string;
}

const FORMS = 'models:/<name>/<version>, models:/<name>@<alias> or runs:/<run_id>/<path>';

export function parseModelUri(uri: string): ModelReference {
  const run = /^runs:\/([0-9a-zA-Z_-]+)(?:\/(.*))?$/.exec(uri);
  if (run) return { kind: 'run', runId: run[1], artifactPath: run[2] ?? '' };
  const models = /^models:\/(.+)$/.exec(uri);
  if (!models) throw new DeployError(`'${uri}' is not a model URI; write ${FORMS}`);

  const rest = models[1];
  const at = rest.lastIndexOf('@');
  if (at > 0 && at < rest.length - 1 && !rest.slice(at).includes('/')) {
    return { kind: 'alias', name: rest.slice(0, at), alias: rest.slice(at + 1) };
  }
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(0, slash);
  const tail = rest.slice(slash + 1);
  if (slash > 0 && /^[1-9]\d*$/.test(tail)) return { kind: 'version', name, version: tail };
  if (slash > 0 && tail.toLowerCase() === 'latest') return { kind: 'latest', name };
  if (slash > 0 && tail !== '') {
    throw new DeployError(
      `${uri} names '${tail}', which is neither a version number nor 'latest'; stages are not supported: point an alias at the version and use models:/${name}@<alias>`,
    );
  }
  throw new DeployError(`'${uri}' names no version; write ${FORMS}`);
}

/** Where a model URI's artifacts are; a DeployError says which part names nothing, and why. */
export function resolveModelUri(store: RunStore, uri: string): ResolvedModel {
  const reference = parseModelUri(uri);
  if (reference.kind === 'run') {
    const runId = reference.runId;
    requireRun(store, runId, uri);
    const folder = localFolder(store, store.getRun(runId).info.artifactUri, uri);
    const file = inside(folder, reference.artifactPath, uri);
    requireExists(file, uri, uri);
    return { uri, canonicalUri: uri, runId, source: uri, path: file };
  }

  const version = findVersion(store, reference, uri);
  const file = versionPath(store, version, uri);
  requireExists(file, uri, version.source);
  return {
    uri,
    version,
    canonicalUri: `models:/${version.name}/${version.version}`,
    runId: version.runId,
    source: version.source,
    path: file,
  };
}

/** The registered version a models:/ URI names now (by number, alias or latest). */
export function resolveModelVersion(store: RunStore, uri: string): ModelVersion {
  const reference = parseModelUri(uri);
  if (reference.kind === 'run') {
    throw new DeployError(`${uri} names a run, not a registered model version; write ${FORMS}`);
  }
  return findVersion(store, reference, uri);
}

function findVersion(
  store: RunStore,
  reference: Exclude<ModelReference, { kind: 'run' }>,
  uri: string,
): ModelVersion {
  const model = registeredModel(store, reference.name, uri);
  const versions = liveVersions(store, reference.name);
  if (reference.kind === 'alias') {
    const entry = model.aliases.find((alias) => alias.alias === reference.alias);
    if (!entry) {
      const known = model.aliases.map((alias) => `@${alias.alias}`).join(', ') || 'none';
      throw new DeployError(
        `${uri}: model '${reference.name}' has no alias '${reference.alias}' (its aliases: ${known})`,
      );
    }
    return store.getModelVersion(reference.name, entry.version);
  }
  if (reference.kind === 'latest') {
    const latest = versions.at(-1);
    if (!latest) throw new DeployError(`${uri}: model '${reference.name}' has no versions`);
    return latest;
  }
  const found = versions.find((version) => version.version === reference.version);
  if (!found) {
    const known = versions.map((version) => version.version).join(', ') || 'none';
    throw new DeployError(
      `${uri}: model '${reference.name}' has no version ${reference.version} (its versions: ${known})`,
    );
  }
  return found;
}

function registeredModel(store: RunStore, name: string, uri: string) {
  try {
    return store.getRegisteredModel(name);
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    throw new DeployError(
      `${uri}: there is no registered model named '${name}' in the store ${store.dir}`,
    );
  }
}

/** Every version that is not deleted, in version order. */
export function liveVersions(store: RunStore, name: string): ModelVersion[] {
  const filter = `name = '${name.replaceAll("'", "''")}'`;
  return store
    .searchModelVersions({ filter, maxResults: 10000 })
    .items.sort((a, b) => Number(a.version) - Number(b.version));
}

function requireRun(store: RunStore, runId: string, uri: string): void {
  try {
    store.getRun(runId);
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    throw new DeployError(`${uri}: there is no run ${runId} in the store ${store.dir}`);
  }
}

/** A version's source is runs:/<id>/<path>, or an artifact URI of the store. */
function versionPath(store: RunStore, version: ModelVersion, uri: string): string {
  const run = /^runs:\/([^/]+)\/?(.*)$/.exec(version.source);
  if (run) {
    requireRun(store, run[1], `${uri} (source ${version.source})`);
    return inside(localFolder(store, store.getRun(run[1]).info.artifactUri, uri), run[2], uri);
  }
  if (/^models:\//.test(version.source)) {
    throw new DeployError(
      `${uri}: its source ${version.source} is an MLflow logged model, which Model Factory cannot read; register the model from its run's artifacts (runs:/<run_id>/<path>)`,
    );
  }
  return localFolder(store, version.source, uri);
}

function localFolder(store: RunStore, artifactUri: string, uri: string): string {
  try {
    const location = runArtifactLocation(store.artifactsDir, artifactUri);
    return path.join(location.root, ...location.segments);
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    throw new DeployError(
      `${uri}: its artifacts are at ${artifactUri}, which is not on this machine; Model Factory serves and scores models whose artifacts are in a local store`,
    );
  }
}

function inside(folder: string, relative: string, uri: string): string {
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  // A source like runs:/<id>/../../x must not reach outside the run's artifacts.
  if (parts.includes('..')) throw new DeployError(`${uri}: the artifact path leaves its run`);
  return path.join(folder, ...parts);
}

function requireExists(file: string, uri: string, source: string): void {
  if (existsSync(file)) return;
  throw new DeployError(
    `${uri}: its artifacts (${source}) are not in the store: ${file} does not exist`,
  );
}
