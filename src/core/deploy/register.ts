import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelVersion } from '../store/entities';
import { MlflowError } from '../store/errors';
import type { RunStore } from '../store/store';
import type { MlflowClient } from '../tracking/remote/client';
import { listRunArtifacts, runArtifactLocation } from '../tracking/artifacts/listing';
import { DeployError } from './errors';

export interface RegisterOptions {
  /** The registered model; created when it does not exist yet. */
  name: string;
  /** The model's folder (or file) among the run's artifacts; "model" as MLflow logs it. */
  path?: string;
  /** An alias to point at the new version, moved from any version that had it. */
  alias?: string;
  description?: string;
}

export interface Registration {
  version: ModelVersion;
  /** True when the registered model was made for this version. */
  createdModel: boolean;
  /** The version the alias pointed at before, when it moved. */
  previousAliasVersion?: string;
}

/**
 * Registers a run's model artifacts as a new version, with source runs:/<run_id>/<path> as
 * MLflow's register_model records it. Everything is checked before anything is written, so a
 * mistake (no such run, no such artifact, a bad alias) leaves the registry as it was.
 */
export function registerRun(
  store: RunStore,
  runId: string,
  options: RegisterOptions,
): Registration {
  const artifactPath = (options.path ?? 'model').replace(/^\/+|\/+$/g, '');
  requireArtifact(store, runId, artifactPath);
  if (options.alias !== undefined) checkAlias(options.alias);

  const createdModel = !modelExists(store, options.name);
  if (createdModel) store.createRegisteredModel(options.name);
  const previousAliasVersion =
    options.alias === undefined
      ? undefined
      : store.getRegisteredModel(options.name).aliases.find((a) => a.alias === options.alias)
          ?.version;
  const created = store.createModelVersion({
    name: options.name,
    source: `runs:/${runId}/${artifactPath}`,
    runId,
    description: options.description,
  });
  if (options.alias !== undefined) store.setAlias(options.name, options.alias, created.version);

  const version = store.getModelVersion(options.name, created.version);
  return { version, createdModel, previousAliasVersion };
}

/**
 * The same registration while another process owns the store (a VS Code window, or
 * `model-factory serve`), through that process's tracking server, so that the owner stays the
 * store's only writer. `store` is the store opened read-only, to check the run and its artifact
 * first; the registered model, the version and the alias are written through `client`.
 */
export async function registerRunThrough(
  store: RunStore,
  client: MlflowClient,
  runId: string,
  options: RegisterOptions,
): Promise<Registration> {
  const artifactPath = (options.path ?? 'model').replace(/^\/+|\/+$/g, '');
  requireArtifact(store, runId, artifactPath);
  if (options.alias !== undefined) checkAlias(options.alias);

  const model = await client.registry.getModel(options.name);
  if (!model) await client.registry.createModel(options.name);
  const previousAliasVersion =
    options.alias === undefined
      ? undefined
      : model?.aliases.find((a) => a.alias === options.alias)?.version;
  const created = await client.registry.createVersion({
    name: options.name,
    source: `runs:/${runId}/${artifactPath}`,
    runId,
    description: options.description,
  });
  if (options.alias !== undefined) {
    await client.registry.setAlias(options.name, options.alias, created.version);
  }
  const version = (await client.registry.getVersion(options.name, created.version)) ?? created;
  return { version, createdModel: !model, previousAliasVersion };
}

function modelExists(store: RunStore, name: string): boolean {
  try {
    store.getRegisteredModel(name);
    return true;
  } catch (error) {
    if (error instanceof MlflowError && error.code === 'RESOURCE_DOES_NOT_EXIST') return false;
    throw error;
  }
}

/** The run exists and, when its artifacts are local, has something at the path. */
function requireArtifact(store: RunStore, runId: string, artifactPath: string): void {
  let artifactUri: string;
  try {
    artifactUri = store.getRun(runId).info.artifactUri;
  } catch (error) {
    if (!(error instanceof MlflowError)) throw error;
    throw new DeployError(`there is no run ${runId} in the store ${store.dir}`);
  }
  const parts = artifactPath.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..'))
    throw new DeployError(`--path ${artifactPath} leaves the run's artifacts`);

  let location;
  try {
    location = runArtifactLocation(store.artifactsDir, artifactUri);
  } catch {
    // Artifacts kept elsewhere (s3://...) cannot be checked from here; MLflow does not check.
    return;
  }
  if (existsSync(path.join(location.root, ...location.segments, ...parts))) return;
  const listed = listRunArtifacts(store.artifactsDir, artifactUri).files;
  const names = listed.map((file) => (file.is_dir ? `${file.path}/` : file.path)).join(', ');
  throw new DeployError(
    `run ${runId} has no artifact '${artifactPath}' to register (its artifacts: ${names || 'none'})`,
  );
}

/**
 * The registry's own rule for aliases, checked up front so that a bad alias is refused before
 * the version exists rather than after.
 */
function checkAlias(alias: string): void {
  if (
    /^[A-Za-z0-9_-]{1,255}$/.test(alias) &&
    !/^v\d+$/i.test(alias) &&
    alias.toLowerCase() !== 'latest'
  ) {
    return;
  }
  throw new DeployError(
    `'${alias}' cannot be an alias: use letters, digits, - and _, and not 'latest' or v<number>, which name versions`,
  );
}
