import { test } from 'node:test';
import assert from 'node:assert/strict';
import { againstVersion, storeWithModel } from './driftCheckInputs';

test('renaming a model carries its drift checks to the new name', async (t) => {
  const { store, dispose } = await storeWithModel();
  t.after(dispose);
  const saved = store.saveDriftCheck(againstVersion(1));

  store.renameRegisteredModel('houses', 'homes');

  assert.equal(store.getDriftCheck(saved.checkId).reference.modelName, 'homes');
  assert.equal(store.latestDriftCheckForVersion('homes', 1)?.checkId, saved.checkId);
  assert.deepEqual(store.listDriftChecks({ modelName: 'houses' }), []);
});

test('deleting a model keeps its checks as file checks that a new model of its name does not show', async (t) => {
  const { store, dispose, runId } = await storeWithModel();
  t.after(dispose);
  const saved = store.saveDriftCheck(againstVersion(1));

  store.deleteRegisteredModel('houses');
  store.createRegisteredModel('houses');
  store.createModelVersion({ name: 'houses', source: `runs:/${runId}/model`, runId });

  const kept = store.getDriftCheck(saved.checkId);
  assert.equal(kept.reference.kind, 'file');
  assert.equal(kept.reference.modelName, undefined);
  assert.equal(store.latestDriftCheckForVersion('houses', 1), undefined);
  assert.equal(store.listDriftChecks({ currentPath: '/data/new.csv' }).length, 1);
});
