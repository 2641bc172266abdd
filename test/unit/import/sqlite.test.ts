import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importMlflow } from '../../../src/core/tracking/import';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { files, rowCounts } from './helpers';
import { buildMlflowDb, SQL_RUNS, type Layout } from './sqliteFixture';

/** Builds an mlflow.db with its artifact folders beside it, and an empty store to import into. */
async function setUp(layout: Layout) {
  const temp = tempDir();
  const localArtifacts = path.join(temp.dir, 'elsewhere', 'artifacts');
  write(path.join(localArtifacts, 'plot.png'), 'png');
  write(path.join(localArtifacts, 'model', 'MLmodel'), 'flavors: {}');
  const proxied = path.join(temp.dir, 'mlartifacts', '3', SQL_RUNS.proxied, 'artifacts');
  write(path.join(proxied, 'model', 'MLmodel'), 'flavors: {}');
  const file = await buildMlflowDb(path.join(temp.dir, 'mlflow.db'), layout, { localArtifacts });
  const target = await openTempStore();
  return {
    ...target,
    file,
    async dispose() {
      await target.dispose();
      temp.remove();
    },
  };
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

test('an mlflow.db of the current layout imports runs, histories, inputs and the registry', async (t) => {
  const { store, file, dispose } = await setUp('current');
  t.after(dispose);

  const summary = await importMlflow(store, file);

  assert.deepEqual(summary, {
    experiments: 2,
    runs: 3,
    skippedRuns: 0,
    metrics: 5,
    params: 3,
    tags: 3,
    models: 1,
    versions: 3,
    artifacts: 3,
  });
  const experiment = store.getExperiment('3');
  assert.equal(experiment.name, 'sql-exp');
  assert.equal(experiment.creationTime, 300);
  assert.deepEqual(experiment.tags, [{ key: 'team', value: 'sql' }]);
  assert.equal(store.getExperiment('4').lifecycleStage, 'deleted');

  const run = store.getRun(SQL_RUNS.local);
  assert.deepEqual(run.info, {
    runId: SQL_RUNS.local,
    runName: 'local-run',
    experimentId: '3',
    userId: 'bo',
    status: 'FINISHED',
    startTime: 1000,
    endTime: 2000,
    artifactUri: `mlflow-artifacts:/3/${SQL_RUNS.local}/artifacts`,
    lifecycleStage: 'active',
  });
  assert.deepEqual(run.data.params, [{ key: 'lr', value: '0.1' }]);
  assert.deepEqual(
    store.getMetricHistory({ runId: SQL_RUNS.local, metricKey: 'loss' }).items.map((m) => m.value),
    [0.5, 0.25, NaN, Infinity],
  );
  // The stale latest_metrics row of the source is not copied: the latest value is recomputed.
  assert.deepEqual(
    run.data.metrics.map((m) => [m.key, m.step, m.value]),
    [
      ['acc', 0, -Infinity],
      ['loss', 3, Infinity],
    ],
  );
  assert.deepEqual(run.inputs.datasetInputs, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'eval' }],
      dataset: {
        name: 'iris',
        digest: 'abc',
        sourceType: 'local',
        source: '{"uri": "iris.csv"}',
        profile: '{"num_rows": 150}',
      },
    },
  ]);
});

test('file:// and mlflow-artifacts:/ artifacts are copied; s3:// ones keep their URI', async (t) => {
  const { store, file, dispose } = await setUp('current');
  t.after(dispose);

  await importMlflow(store, file);

  const dir = (runId: string) => path.join(store.artifactsDir, '3', runId, 'artifacts');
  assert.deepEqual(files(dir(SQL_RUNS.local)), ['model/MLmodel', 'plot.png']);
  assert.deepEqual(files(dir(SQL_RUNS.proxied)), ['model/MLmodel']);
  const remote = store.getRun(SQL_RUNS.remote).info;
  assert.equal(remote.artifactUri, `s3://bucket/3/${SQL_RUNS.remote}/artifacts`);
  assert.equal(remote.lifecycleStage, 'deleted');
  assert.equal(remote.status, 'KILLED');
});

test('model versions keep stage, source, run, description, tags and aliases', async (t) => {
  const { store, file, dispose } = await setUp('current');
  t.after(dispose);

  await importMlflow(store, file);

  const prod = store.getModelVersionByAlias('iris-model', 'prod');
  assert.equal(prod.version, '3');
  assert.equal(prod.description, 'v3');
  assert.equal(prod.runId, SQL_RUNS.proxied);
  assert.equal(prod.source, `mlflow-artifacts:/3/${SQL_RUNS.proxied}/artifacts/model`);
  assert.deepEqual(prod.tags, [{ key: 'approved', value: 'yes' }]);
  assert.equal(store.getModelVersion('iris-model', 1).currentStage, 'Staging');
  assert.throws(() => store.getModelVersion('iris-model', 2), /not found/);
  const [model] = store.searchRegisteredModels({ filter: "name = 'iris-model'" }).items;
  assert.equal(model.description, 'classifies irises');
  assert.deepEqual(model.tags, [{ key: 'task', value: 'classification' }]);
});

test('an older mlflow.db without steps, is_nan, datasets or aliases imports with defaults', async (t) => {
  const { store, file, dispose } = await setUp('old');
  t.after(dispose);

  const summary = await importMlflow(store, file);

  assert.equal(summary.runs, 3);
  assert.equal(summary.versions, 3);
  assert.equal(store.getExperiment('3').creationTime, null);
  const history = store.getMetricHistory({ runId: SQL_RUNS.local, metricKey: 'loss' }).items;
  assert.deepEqual(
    history.map((m) => [m.step, m.timestamp, m.value]),
    [
      [0, 10, 0.5],
      [0, 20, NaN],
      [0, 30, 0.125],
    ],
  );
  assert.deepEqual(
    store.getRun(SQL_RUNS.local).data.metrics.map((m) => [m.timestamp, m.value]),
    [[30, 0.125]],
  );
  assert.deepEqual(store.getRun(SQL_RUNS.local).inputs.datasetInputs, []);
  assert.deepEqual(store.getRegisteredModel('iris-model').aliases, []);
  const version = store.db.get('SELECT storage_location FROM model_versions WHERE version = 3');
  assert.equal(
    version?.storage_location,
    `mlflow-artifacts:/3/${SQL_RUNS.proxied}/artifacts/model`,
  );
  assert.equal(store.getRun(SQL_RUNS.remote).info.lifecycleStage, 'deleted');
});

test('importing the same mlflow.db twice adds nothing the second time', async (t) => {
  const { store, file, dispose } = await setUp('current');
  t.after(dispose);
  await importMlflow(store, file);
  const before = rowCounts(store);

  const summary = await importMlflow(store, file);

  assert.deepEqual(rowCounts(store), before);
  assert.deepEqual(summary, {
    experiments: 0,
    runs: 0,
    skippedRuns: 3,
    metrics: 0,
    params: 0,
    tags: 0,
    models: 0,
    versions: 0,
    artifacts: 0,
  });
});
