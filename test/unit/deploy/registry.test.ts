import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DeployError, parseModelUri, registerRun, resolveModelUri } from '../../../src/core/deploy';
import type { RunStore } from '../../../src/core/store/store';
import { openTempStore } from '../../helpers/tempStore';
import { runWithMetrics, writeArtifacts } from './helpers';

/** Model URIs to artifact folders, and registering a run's model, on a real store. */

test('model URIs parse into versions, aliases, latest and run artifacts', () => {
  assert.deepEqual(parseModelUri('models:/churn/3'), {
    kind: 'version',
    name: 'churn',
    version: '3',
  });
  assert.deepEqual(parseModelUri('models:/churn@champion'), {
    kind: 'alias',
    name: 'churn',
    alias: 'champion',
  });
  assert.deepEqual(parseModelUri('models:/team/churn/latest'), {
    kind: 'latest',
    name: 'team/churn',
  });
  assert.deepEqual(parseModelUri('runs:/abc123/model'), {
    kind: 'run',
    runId: 'abc123',
    artifactPath: 'model',
  });
  assert.deepEqual(parseModelUri('runs:/abc123'), {
    kind: 'run',
    runId: 'abc123',
    artifactPath: '',
  });
});

test('malformed model URIs are refused with the forms that work', () => {
  assert.throws(
    () => parseModelUri('churn/3'),
    /'churn\/3' is not a model URI; write models:\/<name>\/<version>/,
  );
  assert.throws(() => parseModelUri('models:/churn'), /names no version/);
  assert.throws(
    () => parseModelUri('models:/churn/Production'),
    /stages are not supported: point an alias at the version and use models:\/churn@<alias>/,
  );
});

describe('resolving model URIs in a store', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: RunStore;
  let runId: string;
  let folder: string;

  before(async () => {
    temp = await openTempStore();
    store = temp.store;
    runId = runWithMetrics(store, { auc: 0.8 });
    folder = writeArtifacts(store, runId, { 'model/model.json': '{}', 'stdout.txt': 'hi' });
    store.createRegisteredModel('churn');
    store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
    store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
    store.setAlias('churn', 'champion', '1');
  });
  after(() => temp.dispose());

  test('a version, an alias and latest lead to the source run artifact folder', () => {
    const byVersion = resolveModelUri(store, 'models:/churn/1');
    const byAlias = resolveModelUri(store, 'models:/churn@champion');
    const latest = resolveModelUri(store, 'models:/churn/latest');

    assert.equal(byVersion.path, path.join(folder, 'model'));
    assert.equal(byVersion.canonicalUri, 'models:/churn/1');
    assert.equal(byVersion.runId, runId);
    assert.equal(byAlias.canonicalUri, 'models:/churn/1');
    assert.equal(byAlias.uri, 'models:/churn@champion');
    assert.equal(latest.canonicalUri, 'models:/churn/2');
  });

  test('a runs:/ URI leads into the run artifacts', () => {
    const resolved = resolveModelUri(store, `runs:/${runId}/model/model.json`);

    assert.equal(resolved.path, path.join(folder, 'model', 'model.json'));
    assert.equal(resolved.version, undefined);
  });

  test('a version whose source is an artifact URI of the store resolves too', () => {
    const artifactUri = store.getRun(runId).info.artifactUri;
    const version = store.createModelVersion({
      name: 'churn',
      source: `${artifactUri}/model`,
      runId,
    });

    assert.equal(
      resolveModelUri(store, `models:/churn/${version.version}`).path,
      path.join(folder, 'model'),
    );
    store.deleteModelVersion('churn', version.version);
  });

  const refusals: Array<[string, string | (() => string), RegExp]> = [
    [
      'an unknown model',
      'models:/nope/1',
      /models:\/nope\/1: there is no registered model named 'nope' in the store /,
    ],
    [
      'an unknown version',
      'models:/churn/9',
      /models:\/churn\/9: model 'churn' has no version 9 \(its versions: 1, 2\)/,
    ],
    [
      'an unknown alias',
      'models:/churn@staging',
      /model 'churn' has no alias 'staging' \(its aliases: @champion\)/,
    ],
    [
      'an unknown run',
      'runs:/0123456789abcdef/model',
      /there is no run 0123456789abcdef in the store/,
    ],
    [
      'a path that is not among the run artifacts',
      () => `runs:/${runId}/weights`,
      /its artifacts \(runs:\/.*\/weights\) are not in the store: .*weights does not exist/,
    ],
    [
      'a path that leaves the run',
      () => `runs:/${runId}/../../etc`,
      /the artifact path leaves its run/,
    ],
  ];
  for (const [what, uri, message] of refusals) {
    test(`${what} is refused with a message that names it`, () => {
      const given = typeof uri === 'function' ? uri() : uri;
      assert.throws(
        () => resolveModelUri(store, given),
        (error: Error) => error instanceof DeployError && message.test(error.message),
      );
    });
  }

  test('artifacts that are not on this machine are refused as such', () => {
    store.createRegisteredModel('remote');
    store.createModelVersion({ name: 'remote', source: 's3://bucket/models/churn' });
    store.createModelVersion({ name: 'remote', source: 'models:/m-0123456789' });

    assert.throws(
      () => resolveModelUri(store, 'models:/remote/1'),
      /its artifacts are at s3:\/\/bucket\/models\/churn, which is not on this machine/,
    );
    assert.throws(
      () => resolveModelUri(store, 'models:/remote/2'),
      /an MLflow logged model, which Model Factory cannot read/,
    );
  });
});

describe("registering a run's model", () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: RunStore;
  let runId: string;

  before(async () => {
    temp = await openTempStore();
    store = temp.store;
    runId = runWithMetrics(store, { rmse: 0.4 });
    writeArtifacts(store, runId, { 'model/model.json': '{}', 'stdout.txt': '' });
  });
  after(() => temp.dispose());

  test('creates the registered model and version 1 with the runs:/ source MLflow records', () => {
    const registration = registerRun(store, runId, { name: 'prices', alias: 'champion' });

    assert.equal(registration.createdModel, true);
    assert.equal(registration.version.version, '1');
    assert.equal(registration.version.source, `runs:/${runId}/model`);
    assert.equal(registration.version.runId, runId);
    assert.deepEqual(registration.version.aliases, ['champion']);
    assert.equal(registration.previousAliasVersion, undefined);
  });

  test('a second registration makes version 2 and moves the alias to it', () => {
    const registration = registerRun(store, runId, { name: 'prices', alias: 'champion' });

    assert.equal(registration.createdModel, false);
    assert.equal(registration.version.version, '2');
    assert.equal(registration.previousAliasVersion, '1');
    assert.equal(store.getModelVersionByAlias('prices', 'champion').version, '2');
    assert.deepEqual(store.getModelVersion('prices', '1').aliases, []);
  });

  test('refuses an unknown run, a missing artifact and a bad alias, writing nothing', () => {
    const before = store.searchModelVersions({}).items.length;

    assert.throws(
      () => registerRun(store, 'ffff0000', { name: 'prices' }),
      /there is no run ffff0000 in the store/,
    );
    assert.throws(
      () => registerRun(store, runId, { name: 'prices', path: 'weights' }),
      /run .* has no artifact 'weights' to register \(its artifacts: model\/, stdout\.txt\)/,
    );
    assert.throws(
      () => registerRun(store, runId, { name: 'fresh', alias: 'v2' }),
      /'v2' cannot be an alias/,
    );
    assert.throws(
      () => registerRun(store, runId, { name: 'fresh', alias: 'Latest' }),
      /'Latest' cannot be an alias/,
    );
    assert.equal(store.searchModelVersions({}).items.length, before);
    assert.throws(() => store.getRegisteredModel('fresh'), /not found/);
  });
});
