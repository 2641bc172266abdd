import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectsWith } from '../../helpers/assertions';
import { openTempStore } from '../../helpers/tempStore';

test('model versions number from 1, carry their source run, and never reuse a number', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  store.createRegisteredModel('houses', [{ key: 'team', value: 'ml' }], 'price model');

  const first = store.createModelVersion({ name: 'houses', source: `runs:/${runId}/model`, runId });
  const second = store.createModelVersion({
    name: 'houses',
    source: `runs:/${runId}/model`,
    runId,
  });
  store.deleteModelVersion('houses', '2');
  const third = store.createModelVersion({ name: 'houses', source: 'mlflow-artifacts:/0/x/model' });

  assert.deepEqual([first.version, second.version, third.version], ['1', '2', '3']);
  assert.equal(first.runId, runId);
  assert.equal(first.status, 'READY');
  assert.equal(first.currentStage, 'None');
  rejectsWith(() => store.getModelVersion('houses', '2'), 'RESOURCE_DOES_NOT_EXIST');
  assert.deepEqual(
    store.searchModelVersions({ filter: "name = 'houses'" }).items.map((v) => v.version),
    ['3', '1'],
  );
  assert.equal(store.getModelVersionDownloadUri('houses', 3), 'mlflow-artifacts:/0/x/model');
});

test('aliases point at one version each, move, resolve, and go with a deleted version', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createRegisteredModel('m');
  store.createModelVersion({ name: 'm', source: 's1' });
  store.createModelVersion({ name: 'm', source: 's2' });

  store.setAlias('m', 'champion', '1');
  store.setAlias('m', 'champion', '2');
  store.setAlias('m', 'challenger', '1');

  assert.equal(store.getModelVersionByAlias('m', 'champion').version, '2');
  assert.deepEqual(store.getRegisteredModel('m').aliases, [
    { alias: 'challenger', version: '1' },
    { alias: 'champion', version: '2' },
  ]);
  assert.deepEqual(store.getModelVersion('m', '1').aliases, ['challenger']);
  store.deleteModelVersion('m', '1');
  rejectsWith(() => store.getModelVersionByAlias('m', 'challenger'), 'RESOURCE_DOES_NOT_EXIST');
  rejectsWith(() => store.setAlias('m', 'latest', '2'), 'INVALID_PARAMETER_VALUE', /latest/);
  rejectsWith(() => store.setAlias('m', 'x', '9'), 'RESOURCE_DOES_NOT_EXIST');
  store.deleteAlias('m', 'champion');
  rejectsWith(() => store.deleteAlias('m', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
});

test('registered models are renamed with their versions, tags and aliases', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createRegisteredModel('old');
  store.createModelVersion({ name: 'old', source: 's', tags: [{ key: 'k', value: 'v' }] });
  store.setAlias('old', 'prod', '1');
  store.setRegisteredModelTag('old', { key: 'a', value: 'b' });

  const renamed = store.renameRegisteredModel('old', 'new');

  assert.equal(renamed.name, 'new');
  assert.deepEqual(renamed.tags, [{ key: 'a', value: 'b' }]);
  assert.equal(store.getModelVersionByAlias('new', 'prod').version, '1');
  assert.deepEqual(store.getModelVersion('new', '1').tags, [{ key: 'k', value: 'v' }]);
  rejectsWith(() => store.getRegisteredModel('old'), 'RESOURCE_DOES_NOT_EXIST');
  store.createRegisteredModel('other');
  rejectsWith(() => store.renameRegisteredModel('new', 'other'), 'RESOURCE_ALREADY_EXISTS');
});

test('stage transitions still work for old clients, archiving the previous holder', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createRegisteredModel('m');
  store.createModelVersion({ name: 'm', source: 's1' });
  store.createModelVersion({ name: 'm', source: 's2' });

  store.transitionModelVersionStage('m', '1', 'production');
  store.transitionModelVersionStage('m', '2', 'Production', true);

  assert.equal(store.getModelVersion('m', '1').currentStage, 'Archived');
  assert.equal(store.getModelVersion('m', '2').currentStage, 'Production');
  assert.deepEqual(
    store.getRegisteredModel('m').latestVersions.map((v) => [v.version, v.currentStage]),
    [
      ['1', 'Archived'],
      ['2', 'Production'],
    ],
  );
  rejectsWith(
    () => store.transitionModelVersionStage('m', '1', 'Live'),
    'INVALID_PARAMETER_VALUE',
    /stage/,
  );
});

test('registry tags, descriptions, search and delete', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createRegisteredModel('alpha');
  store.createRegisteredModel('beta');
  store.createModelVersion({ name: 'alpha', source: 's' });

  store.updateRegisteredModel('alpha', 'first model');
  store.updateModelVersion('alpha', '1', 'first version');
  store.setModelVersionTag('alpha', '1', { key: 'validated', value: 'yes' });
  store.deleteModelVersionTag('alpha', '1', 'validated');

  assert.equal(store.getRegisteredModel('alpha').description, 'first model');
  assert.equal(store.getModelVersion('alpha', '1').description, 'first version');
  assert.deepEqual(store.getModelVersion('alpha', '1').tags, []);
  assert.deepEqual(
    store.searchRegisteredModels({ filter: "name LIKE 'al%'" }).items.map((m) => m.name),
    ['alpha'],
  );
  rejectsWith(() => store.createRegisteredModel('alpha'), 'RESOURCE_ALREADY_EXISTS');
  store.deleteRegisteredModel('alpha');
  assert.deepEqual(
    store.searchRegisteredModels().items.map((m) => m.name),
    ['beta'],
  );
  assert.deepEqual(store.searchModelVersions().items, []);
});
