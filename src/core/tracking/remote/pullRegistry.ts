import type { ModelVersion, RegisteredModel } from '../../store/entities';
import { ModelVersionStages } from '../../store/entities';
import type { Transaction } from '../../store/database';
import type { RunStore } from '../../store/store';
import type { PullContext } from './pullRun';
import { collect } from './api/caller';
import { localVersions, mapSource, versionCopy } from './registryMatch';
import { SOURCE_VERSION_TAG } from './transfer';

/**
 * Pulls registered models: each remote model with the versions whose runs were pulled (or, when
 * everything is pulled, versions without a run too), their tags, descriptions, stages and
 * aliases. A version keeps its number when the store has it free, and otherwise takes the next
 * one and records the remote number in modelfactory.source_version, by which a later pull or
 * push finds it again. A version pushed from this store is found by that tag on the remote copy.
 */
export async function pullRegistry(
  context: PullContext,
  everything: boolean,
  only?: string,
): Promise<void> {
  const { remote, tally } = context;
  const one = only === undefined ? undefined : await remote.registry.getModel(only);
  const models = only === undefined ? await collect(remote.registry.models()) : one ? [one] : [];
  for (const [index, model] of models.entries()) {
    const versions = (await collect(remote.registry.versionsOf(model.name)))
      .filter((version) => chosen(context, version, everything))
      .sort((a, b) => Number(a.version) - Number(b.version));
    if (versions.length > 0) pullModel(context, model, versions);
    tally.report({ phase: 'models', done: index + 1, total: models.length });
  }
}

function chosen(context: PullContext, version: ModelVersion, everything: boolean): boolean {
  if (!version.runId) return everything;
  if (context.runs.has(version.runId)) return true;
  if (everything) {
    context.tally.warn(
      `model ${version.name} version ${version.version}: its run ${version.runId} was not ` +
        'pulled (it is deleted or out of reach); the version is left out',
    );
  }
  return false;
}

function pullModel(context: PullContext, model: RegisteredModel, versions: ModelVersion[]): void {
  const { store, tally } = context;
  ensureModel(context, model);
  const locals = localVersions(store, model.name);
  const copies = new Map<string, string>();
  for (const version of versions) {
    const link = version.runId ? context.runs.get(version.runId) : undefined;
    const target = link?.localRunId ?? '';
    const source = mapSource(version.source, {
      fromRunId: version.runId,
      fromArtifactUri: link?.remoteArtifactUri,
      toRunId: target,
      toArtifactUri: link?.localArtifactUri,
    });
    const found = versionCopy(version, locals, target, source);
    const number = found ? found.version : createVersion(store, version, source, target);
    if (!found) tally.add({ versions: 1 });
    copies.set(version.version, number);
    syncVersion(store, version, found ?? store.getModelVersion(model.name, number));
  }

  const current = new Map(
    store.getRegisteredModel(model.name).aliases.map((a) => [a.alias, a.version]),
  );
  for (const { alias, version } of model.aliases) {
    const copy = copies.get(version);
    if (copy === undefined || current.get(alias) === copy) continue;
    store.setAlias(model.name, alias, copy);
    tally.add({ aliases: 1 });
  }
}

/** The local model of that name, created when missing; the remote's tags and description win. */
function ensureModel(context: PullContext, model: RegisteredModel): void {
  const { store, tally } = context;
  const exists = store.db.get('SELECT 1 FROM registered_models WHERE name = ?', [model.name]);
  if (!exists) {
    store.createRegisteredModel(model.name, model.tags, model.description || undefined);
    tally.add({ models: 1 });
    return;
  }
  const local = store.getRegisteredModel(model.name);
  const ours = new Map(local.tags.map((t) => [t.key, t.value]));
  for (const tag of model.tags) {
    if (ours.get(tag.key) !== tag.value) store.setRegisteredModelTag(model.name, tag);
  }
  if (model.description && model.description !== local.description) {
    store.updateRegisteredModel(model.name, model.description);
  }
}

/**
 * Writes the version under the remote's number when no version of the model ever had it here
 * (deleted ones keep their numbers), else under the next number, tagged with the remote's.
 */
function createVersion(
  store: RunStore,
  version: ModelVersion,
  source: string,
  runId: string,
): string {
  const { name } = version;
  const number = store.db.write((tx) => {
    const wanted = Number(version.version);
    const taken = tx.get('SELECT 1 FROM model_versions WHERE name = ? AND version = ?', [
      name,
      wanted,
    ]);
    const next = taken ? nextVersion(tx, name) : wanted;
    tx.run(INSERT_VERSION, versionRow(version, next, source, runId));
    const tags = version.tags.filter((t) => t.key !== SOURCE_VERSION_TAG);
    if (taken) tags.push({ key: SOURCE_VERSION_TAG, value: version.version });
    tx.runMany(
      'INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)',
      tags.map((t) => [t.key, t.value, name, next]),
    );
    return String(next);
  });
  store.notify({ kind: 'model', name });
  return number;
}

const INSERT_VERSION = `INSERT INTO model_versions (name, version, creation_time,
  last_updated_time, description, user_id, current_stage, source, run_id, status, status_message,
  run_link, storage_location) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function nextVersion(tx: Transaction, name: string): number {
  return tx.get<{ v: number }>(
    'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM model_versions WHERE name = ?',
    [name],
  )!.v;
}

function versionRow(version: ModelVersion, number: number, source: string, runId: string) {
  const known = (ModelVersionStages as readonly string[]).includes(version.currentStage);
  return [
    version.name,
    number,
    version.creationTimestamp ?? Date.now(),
    version.lastUpdatedTimestamp ?? Date.now(),
    version.description,
    version.userId || null,
    known ? version.currentStage : 'None',
    source,
    runId || null,
    version.status || 'READY',
    version.statusMessage || null,
    version.runLink || null,
    source,
  ];
}

/** Tags, description and stage of the local copy, where the remote's differ. */
function syncVersion(store: RunStore, version: ModelVersion, copy: ModelVersion): void {
  const ours = new Map(copy.tags.map((t) => [t.key, t.value]));
  for (const tag of version.tags) {
    if (tag.key === SOURCE_VERSION_TAG || ours.get(tag.key) === tag.value) continue;
    store.setModelVersionTag(copy.name, copy.version, tag);
  }
  if (version.description && version.description !== copy.description) {
    store.updateModelVersion(copy.name, copy.version, version.description);
  }
  const stage = version.currentStage;
  const known = (ModelVersionStages as readonly string[]).includes(stage);
  if (known && stage !== 'None' && stage !== copy.currentStage) {
    store.transitionModelVersionStage(copy.name, copy.version, stage);
  }
}
