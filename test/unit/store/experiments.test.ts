import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectsWith as rejects } from '../../helpers/assertions';
import { openTempStore } from '../../helpers/tempStore';

test('a new store has the Default experiment with id 0', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const experiment = store.getExperiment('0');

  assert.equal(experiment.name, 'Default');
  assert.equal(experiment.lifecycleStage, 'active');
  assert.equal(experiment.artifactLocation, 'mlflow-artifacts:/0');
});

test('experiments are created, found by id and name, renamed, tagged, deleted and restored', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const id = store.createExperiment('house-prices', undefined, [{ key: 'team', value: 'ml' }]);
  store.renameExperiment(id, 'houses');
  store.setExperimentTag(id, { key: 'owner', value: 'ana' });
  store.deleteExperimentTag(id, 'team');

  const experiment = store.getExperimentByName('houses');
  assert.equal(experiment.experimentId, id);
  assert.equal(id, '1');
  assert.deepEqual(experiment.tags, [{ key: 'owner', value: 'ana' }]);

  store.deleteExperiment(id);
  assert.equal(store.getExperiment(id).lifecycleStage, 'deleted');
  assert.deepEqual(
    store.searchExperiments().items.map((e) => e.name),
    ['Default'],
  );
  assert.deepEqual(
    store.searchExperiments({ viewType: 'DELETED_ONLY' }).items.map((e) => e.name),
    ['houses'],
  );
  store.restoreExperiment(id);
  assert.equal(store.getExperiment(id).lifecycleStage, 'active');
});

test('experiment errors carry MLflow codes and change nothing', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createExperiment('a');

  rejects(() => store.createExperiment('a'), 'RESOURCE_ALREADY_EXISTS', /already exists/);
  rejects(() => store.createExperiment(''), 'INVALID_PARAMETER_VALUE', /non-empty/);
  rejects(() => store.createExperiment('x'.repeat(300)), 'INVALID_PARAMETER_VALUE', /limit/);
  rejects(() => store.getExperiment('42'), 'RESOURCE_DOES_NOT_EXIST');
  rejects(() => store.getExperiment('abc'), 'INVALID_PARAMETER_VALUE', /whole number/);
  rejects(() => store.getExperimentByName('nope'), 'RESOURCE_DOES_NOT_EXIST');
  rejects(() => store.deleteExperiment('0'), 'INVALID_PARAMETER_VALUE', /default experiment/);
  rejects(() => store.deleteExperimentTag('1', 'missing'), 'RESOURCE_DOES_NOT_EXIST');

  assert.equal(store.searchExperiments({ viewType: 'ALL' }).items.length, 2);
});

test('experiment search filters by name and tag, orders and pages', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  for (const name of ['alpha', 'beta', 'gamma']) {
    store.createExperiment(name, undefined, [{ key: 'kind', value: name === 'beta' ? 'b' : 'a' }]);
  }

  const liked = store.searchExperiments({ filter: "name LIKE '%a'", orderBy: ['name ASC'] });
  const tagged = store.searchExperiments({ filter: "tags.kind = 'b'" });
  const first = store.searchExperiments({ maxResults: 2, orderBy: ['name ASC'] });
  const second = store.searchExperiments({
    maxResults: 2,
    orderBy: ['name ASC'],
    pageToken: first.nextPageToken,
  });

  assert.deepEqual(
    liked.items.map((e) => e.name),
    ['alpha', 'beta', 'gamma'],
  );
  assert.deepEqual(
    tagged.items.map((e) => e.name),
    ['beta'],
  );
  assert.deepEqual(
    first.items.map((e) => e.name),
    ['Default', 'alpha'],
  );
  assert.deepEqual(
    second.items.map((e) => e.name),
    ['beta', 'gamma'],
  );
  assert.equal(second.nextPageToken, undefined);
  rejects(() => store.searchExperiments({ pageToken: 'garbage' }), 'INVALID_PARAMETER_VALUE');
});
