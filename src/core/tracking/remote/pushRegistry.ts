import type { ModelVersion, RegisteredModel } from '../../store/entities';
import type { RunStore } from '../../store/store';
import { collect } from './api/caller';
import type { MlflowClient } from './client';
import { isAmbiguous, isRemoteError } from './errors';
import type { PushContext } from './pushRun';
import { localVersions, mapSource, versionCopy } from './registryMatch';
import { SOURCE_VERSION_TAG, tagValue } from './transfer';

/**
 * Pushes registered models: each model with the versions whose runs were pushed (or, for a push
 * of everything, versions without a run too), their tags, descriptions and stages, and then the
 * aliases, pointed at the versions' remote copies. A version's source is rewritten to point at
 * its run's copy. Versions are found again by the modelfactory.source_version tag each copy gets,
 * so a second push adds none. `only` narrows the push to one version (its run pushed before).
 */
export async function pushRegistry(
  context: PushContext,
  everything: boolean,
  only?: { name: string; version: string },
): Promise<void> {
  const { store, tally } = context;
  const models = only ? [store.getRegisteredModel(only.name)] : localModels(store);
  for (const [index, model] of models.entries()) {
    const versions = localVersions(store, model.name).filter((version) =>
      only ? version.version === only.version : chosen(context, version, everything),
    );
    if (versions.length > 0) await pushModel(context, model, versions);
    tally.report({ phase: 'models', done: index + 1, total: models.length });
  }
}

function chosen(context: PushContext, version: ModelVersion, everything: boolean): boolean {
  if (!version.runId) return everything;
  if (context.runs.has(version.runId)) return true;
  if (everything) {
    context.tally.warn(
      `model ${version.name} version ${version.version}: its run ${version.runId} was not ` +
        'pushed (it is deleted or missing); the version is left out',
    );
  }
  return false;
}

async function pushModel(context: PushContext, model: RegisteredModel, versions: ModelVersion[]) {
  const { remote, tally } = context;
  const remoteModel = await ensureModel(context, model);
  const remoteVersions = await collect(remote.registry.versionsOf(model.name));
  const copies = new Map<string, string>();
  for (const version of versions) {
    const link = version.runId ? context.runs.get(version.runId) : undefined;
    const target = link?.remoteRunId ?? '';
    const source = mapSource(version.source, {
      fromRunId: version.runId,
      fromArtifactUri: localRunUri(context, version),
      toRunId: target,
      toArtifactUri: link?.remoteArtifactUri,
    });
    const found = versionCopy(version, remoteVersions, target, source);
    const copy = found ?? (await createVersion(remote, version, source, target));
    if (!found) tally.add({ versions: 1 });
    copies.set(version.version, copy.version);
    await syncVersion(remote, version, copy);
  }

  const current = new Map(remoteModel.aliases.map((a) => [a.alias, a.version]));
  for (const { alias, version } of model.aliases) {
    const copy = copies.get(version);
    if (copy === undefined || current.get(alias) === copy) continue;
    await remote.registry.setAlias(model.name, alias, copy);
    tally.add({ aliases: 1 });
  }
}

function localRunUri(context: PushContext, version: ModelVersion): string | undefined {
  if (!version.runId) return undefined;
  try {
    return context.store.getRun(version.runId).info.artifactUri;
  } catch {
    return undefined;
  }
}

/** The remote model of that name, created when missing, with the local tags and description. */
async function ensureModel(context: PushContext, model: RegisteredModel) {
  const { remote, tally } = context;
  let found = await remote.registry.getModel(model.name);
  if (!found) {
    try {
      found = await remote.registry.createModel(model.name, model.tags, model.description);
      tally.add({ models: 1 });
    } catch (error) {
      const raced = isRemoteError(error, 'RESOURCE_ALREADY_EXISTS') || isAmbiguous(error);
      found = raced ? await remote.registry.getModel(model.name) : undefined;
      if (!found) throw error;
    }
  }
  const theirs = new Map(found.tags.map((t) => [t.key, t.value]));
  for (const tag of model.tags) {
    if (theirs.get(tag.key) !== tag.value) await remote.registry.setModelTag(model.name, tag);
  }
  if (model.description && model.description !== found.description) {
    await remote.registry.updateModel(model.name, model.description);
  }
  return found;
}

/** model-versions/create is not idempotent: after an unknown outcome, look for the copy first. */
async function createVersion(
  remote: MlflowClient,
  version: ModelVersion,
  source: string,
  remoteRunId: string,
): Promise<ModelVersion> {
  const request = {
    name: version.name,
    source,
    runId: remoteRunId || undefined,
    runLink: version.runLink || undefined,
    description: version.description || undefined,
    tags: [
      ...version.tags.filter((t) => t.key !== SOURCE_VERSION_TAG),
      { key: SOURCE_VERSION_TAG, value: version.version },
    ],
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await remote.registry.createVersion(request);
    } catch (error) {
      if (!isAmbiguous(error) || attempt === 3) throw error;
      const versions = await collect(remote.registry.versionsOf(version.name));
      const created = versions.find(
        (v) => tagValue(v.tags, SOURCE_VERSION_TAG) === version.version && v.runId === remoteRunId,
      );
      if (created) return created;
    }
  }
}

/** Tags, description and stage of a version's copy, where they differ. */
async function syncVersion(remote: MlflowClient, version: ModelVersion, copy: ModelVersion) {
  const theirs = new Map(copy.tags.map((t) => [t.key, t.value]));
  for (const tag of version.tags) {
    if (tag.key === SOURCE_VERSION_TAG || theirs.get(tag.key) === tag.value) continue;
    await remote.registry.setVersionTag(copy.name, copy.version, tag);
  }
  if (version.description && version.description !== copy.description) {
    await remote.registry.updateVersion(copy.name, copy.version, version.description);
  }
  const stage = version.currentStage;
  if (stage && stage !== 'None' && stage !== copy.currentStage) {
    await remote.registry.transitionStage(copy.name, copy.version, stage);
  }
}

function localModels(store: RunStore): RegisteredModel[] {
  const models: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.searchRegisteredModels({ maxResults: 1000, pageToken });
    models.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return models;
}
