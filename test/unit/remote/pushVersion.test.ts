import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  pushToRemote,
  SOURCE_RUN_TAG,
  SOURCE_VERSION_TAG,
} from '../../../src/core/tracking/remote';
import { startServer } from '../../helpers/server';
import { localAndRemote } from './helpers';
import { seedStore } from './seed';

async function setUp(t: { after(fn: () => unknown): void }) {
  const parts = await localAndRemote(t);
  return { ...parts, seeded: seedStore(parts.local, 50) };
}

/** Every run on the remote, in every experiment. */
function remoteRuns(remote: Awaited<ReturnType<typeof startServer>>) {
  const ids = remote.store.searchExperiments().items.map((e) => e.experimentId);
  return remote.store.searchRuns({ experimentIds: ids, viewType: 'ALL' }).items;
}

test('pushing one version copies it with its source run and its alias, and nothing else', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);

  const summary = await pushToRemote(local, client, {
    version: { name: 'house-price', version: '1' },
  });

  const runs = remoteRuns(remote);
  assert.equal(runs.length, 1, 'only the source run of version 1');
  const copy = runs[0];
  assert.equal(copy.data.tags.find((tag) => tag.key === SOURCE_RUN_TAG)?.value, seeded.baseline);
  const versions = remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items;
  assert.equal(versions.length, 1);
  assert.equal(versions[0].runId, copy.info.runId);
  assert.equal(versions[0].source, `${copy.info.artifactUri}/model`);
  assert.deepEqual(versions[0].aliases, ['champion']);
  assert.ok(versions[0].tags.some((tag) => tag.key === SOURCE_VERSION_TAG && tag.value === '1'));
  const model = remote.store.getRegisteredModel('house-price');
  assert.deepEqual(model.aliases, [{ alias: 'champion', version: versions[0].version }]);
  assert.equal(model.description, 'predicts prices');
  assert.deepEqual(
    { models: summary.models, versions: summary.versions, aliases: summary.aliases },
    { models: 1, versions: 1, aliases: 1 },
  );
  assert.equal(summary.runsCreated, 1);
});

test('pushing the same version twice adds no second version and no second run', async (t) => {
  const { local, remote, client } = await setUp(t);
  const version = { name: 'house-price', version: '2' };

  await pushToRemote(local, client, { version });
  const second = await pushToRemote(local, client, { version });

  const versions = remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items;
  assert.equal(versions.length, 1);
  assert.deepEqual(versions[0].aliases, ['challenger']);
  assert.equal(remoteRuns(remote).length, 1);
  assert.deepEqual(
    [second.runsCreated, second.runsUnchanged, second.versions, second.aliases, second.models],
    [0, 1, 0, 0, 0],
  );
});

test('a second version pushed later joins the first under the same remote model', async (t) => {
  const { local, remote, client } = await setUp(t);

  await pushToRemote(local, client, { version: { name: 'house-price', version: '1' } });
  await pushToRemote(local, client, { version: { name: 'house-price', version: '2' } });

  const model = remote.store.getRegisteredModel('house-price');
  const versions = remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items;
  assert.deepEqual(versions.map((v) => v.version).sort(), ['1', '2']);
  assert.deepEqual(
    [...model.aliases].sort((a, b) => a.alias.localeCompare(b.alias)),
    [
      { alias: 'challenger', version: '2' },
      { alias: 'champion', version: '1' },
    ],
  );
});

test('a version whose run is deleted, or that does not exist, fails before anything is sent', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);
  local.deleteRun(seeded.child);

  await assert.rejects(
    pushToRemote(local, client, { version: { name: 'house-price', version: '2' } }),
    /the run \w+ of house-price version 2 is deleted; restore it to push the version/,
  );
  await assert.rejects(
    pushToRemote(local, client, { version: { name: 'house-price', version: '9' } }),
    (error: Error & { code?: string }) => error.code === 'RESOURCE_DOES_NOT_EXIST',
  );
  await assert.rejects(
    pushToRemote(local, client, { version: { name: 'house-price', version: '1' }, runId: 'x' }),
    /push a model version on its own/,
  );
  assert.equal(remote.store.searchRegisteredModels({}).items.length, 0);
  assert.equal(remoteRuns(remote).length, 0);
});

test('a version without a run in this store is pushed alone, its source unchanged', async (t) => {
  const { local, remote, client } = await setUp(t);
  local.createRegisteredModel('imported');
  local.createModelVersion({ name: 'imported', source: 's3://bucket/model' });

  const summary = await pushToRemote(local, client, {
    version: { name: 'imported', version: '1' },
  });

  const [copy] = remote.store.searchModelVersions({ filter: "name = 'imported'" }).items;
  assert.equal(copy.source, 's3://bucket/model');
  assert.equal(copy.runId, '');
  assert.equal(summary.versions, 1);
  assert.equal(remoteRuns(remote).length, 0);
});
