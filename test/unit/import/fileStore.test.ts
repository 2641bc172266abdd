import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { importMlflow } from '../../../src/core/tracking/import';
import { openTempStore, recordingLogger, tempDir } from '../../helpers/tempStore';
import { BIG_EXPERIMENT_ID, RUNS } from '../../fixtures/import/mlrunsFixture';
import { copyFixture, files } from './helpers';

/** One import of the fixture, shared by these tests, which only read what it wrote. */
let shared: ReturnType<typeof importFixture> | undefined;
after(async () => (await shared)?.dispose());

function imported() {
  shared ??= importFixture();
  return shared;
}

async function importFixture() {
  const temp = tempDir();
  const target = await openTempStore();
  const logger = recordingLogger();
  const summary = await importMlflow(target.store, copyFixture(temp.dir), { logger });
  return {
    ...target,
    summary,
    logger,
    async dispose() {
      await target.dispose();
      temp.remove();
    },
  };
}

const history = (
  store: Awaited<ReturnType<typeof importFixture>>['store'],
  runId: string,
  key: string,
) =>
  store
    .getMetricHistory({ runId, metricKey: key })
    .items.map((m) => [m.step, m.timestamp, m.value]);

test('an mlruns folder imports with its counts in the summary', async () => {
  const { summary } = await imported();

  assert.deepEqual(summary, {
    experiments: 3,
    runs: 8,
    skippedRuns: 0,
    metrics: 20,
    params: 8,
    tags: 19,
    models: 1,
    versions: 3,
    artifacts: 4,
  });
});

test('experiments keep their names, stages, times and tags, and a big id gets a new one', async () => {
  const { store } = await imported();

  const experiments = store.searchExperiments({ viewType: 'ALL', orderBy: ['name'] }).items;
  assert.deepEqual(
    experiments.map((e) => [e.experimentId, e.name, e.lifecycleStage]),
    [
      ['0', 'Default', 'active'],
      ['7', 'abandoned', 'deleted'],
      ['8', 'big-ids', 'active'],
      ['1', 'house-prices', 'active'],
    ],
  );
  const prices = store.getExperimentByName('house-prices');
  assert.equal(prices.creationTime, 1700001000000);
  assert.equal(prices.lastUpdateTime, 1700001000500);
  assert.equal(prices.artifactLocation, 'mlflow-artifacts:/1');
  assert.deepEqual(
    [...prices.tags].sort((a, b) => a.key.localeCompare(b.key)),
    [
      { key: 'mlflow.note.content', value: 'Predicts prices' },
      { key: 'team/name', value: 'pricing' },
    ],
  );
  // Past 2^53, the source's id cannot be kept exactly, so the experiment takes the next free id.
  assert.equal(store.getRun(RUNS.bigId).info.experimentId, '8');
  assert.ok(
    !store
      .searchExperiments({ viewType: 'ALL' })
      .items.some((e) => e.experimentId === BIG_EXPERIMENT_ID),
  );
});

test('a run keeps its id, name, status, times, user, params and tags', async () => {
  const { store } = await imported();

  const run = store.getRun(RUNS.baseline);

  assert.deepEqual(run.info, {
    runId: RUNS.baseline,
    runName: 'baseline',
    experimentId: '0',
    userId: 'ana',
    status: 'FINISHED',
    startTime: 1700000100000,
    endTime: 1700000200000,
    artifactUri: `mlflow-artifacts:/0/${RUNS.baseline}/artifacts`,
    lifecycleStage: 'active',
  });
  assert.deepEqual(run.data.params, [
    { key: 'alpha', value: '0.5' },
    { key: 'model', value: 'xgb' },
  ]);
  assert.deepEqual(run.data.tags, [
    { key: 'mlflow.note.content', value: 'first try\nwith two lines' },
    { key: 'mlflow.runName', value: 'baseline' },
    { key: 'mlflow.source.git.commit', value: 'abc123' },
    { key: 'mlflow.user', value: 'ana' },
    { key: 'team/owner', value: 'ana' },
  ]);
});

test('runs in every status come over, and a deleted run stays deleted', async () => {
  const { store } = await imported();

  const statuses = ['running', 'scheduled', 'finished', 'failed', 'killed'] as const;
  const infos = statuses.map((name) => store.getRun(RUNS[name]).info);

  assert.deepEqual(
    infos.map((i) => i.status),
    ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'],
  );
  assert.deepEqual(
    infos.map((i) => i.lifecycleStage),
    ['active', 'active', 'active', 'active', 'deleted'],
  );
  assert.equal(infos[0].endTime, null);
  assert.equal(store.getRun(RUNS.finished).data.params[0].value, '4');
  const deletedTime = store.db.get('SELECT deleted_time FROM runs WHERE run_uuid = ?', [
    RUNS.killed,
  ]);
  assert.equal(deletedTime?.deleted_time, 1700001900000);
});

test('the runs of a trashed experiment are deleted with it, under its id', async () => {
  const { store } = await imported();

  const run = store.getRun(RUNS.trashed);

  assert.equal(run.info.experimentId, '7');
  assert.equal(run.info.lifecycleStage, 'deleted');
  assert.equal(run.info.status, 'FAILED');
  assert.deepEqual(run.data.params, [{ key: 'lr', value: '0.1' }]);
});

test('metric histories keep every point, legacy lines at step 0, nan and infinities', async () => {
  const { store } = await imported();

  assert.deepEqual(history(store, RUNS.baseline, 'rmse'), [
    [0, 1700000101000, 1.5],
    [1, 1700000102000, NaN],
    [2, 1700000103000, Infinity],
    [3, 1700000104000, -Infinity],
    [4, 1700000105000, 1e-5],
  ]);
  assert.deepEqual(history(store, RUNS.baseline, 'train/loss'), [
    [0, 1700000101000, 0.9],
    [1, 1700000102000, 0.5],
    [2, 1700000103000, 0.25],
  ]);
  assert.deepEqual(history(store, RUNS.bigId, 'eval/f1/macro'), [[10, 1700002100000, 0.75]]);
  // Imported histories are summarised for charts as logged ones are (store/tiles.ts): one tile,
  // its first and highest point and its last and lowest. One with NaN and infinities has none.
  const tiled = store.readTiledHistory(RUNS.baseline, 'train/loss');
  assert.equal(tiled?.total, 3);
  assert.deepEqual([...tiled!.series.values.subarray(0, tiled!.series.length)], [0.9, 0.25]);
  assert.equal(store.readTiledHistory(RUNS.baseline, 'rmse'), undefined);
});

test('latest metrics are the greatest step, then timestamp, then value', async () => {
  const { store } = await imported();

  const latest = store.getRun(RUNS.baseline).data.metrics;

  assert.deepEqual(
    latest.map((m) => [m.key, m.step, m.timestamp, m.value]),
    [
      ['rmse', 4, 1700000105000, 1e-5],
      ['ties', 5, 2000, 2],
      ['train/loss', 2, 1700000103000, 0.25],
      ['val_acc', 1, 1700000102000, NaN],
    ],
  );
});

test('dataset inputs come over with their datasets and input tags', async () => {
  const { store } = await imported();

  const inputs = store.getRun(RUNS.baseline).inputs.datasetInputs;

  assert.deepEqual(inputs, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: {
        name: 'churn.csv',
        digest: 'd41d8cd9',
        sourceType: 'local',
        source: '{"uri": "data/churn.csv"}',
        schema: '{"mlflow_colspec": [{"type": "double", "name": "x"}]}',
        profile: '{"num_rows": 120}',
      },
    },
  ]);
});

test("local artifacts are copied into the store's artifact folder", async () => {
  const { store } = await imported();

  const copied = files(path.join(store.artifactsDir, '0', RUNS.baseline, 'artifacts'));

  assert.deepEqual(copied, ['model/MLmodel', 'model/data/model.pkl', 'notes.txt']);
  assert.deepEqual(files(path.join(store.artifactsDir, '1', RUNS.finished, 'artifacts')), [
    'model/MLmodel',
  ]);
  // A run without artifacts still gets the store's location, not the vanished original folder.
  assert.equal(
    store.getRun(RUNS.running).info.artifactUri,
    `mlflow-artifacts:/1/${RUNS.running}/artifacts`,
  );
});

test('the registry keeps versions, stages, sources, tags and live aliases', async () => {
  const { store } = await imported();

  const [model] = store.searchRegisteredModels().items;
  const champion = store.getModelVersionByAlias('churn-model', 'champion');

  assert.equal(model.name, 'churn-model');
  assert.equal(model.description, 'Predicts churn');
  assert.equal(model.creationTimestamp, 1700004000000);
  assert.deepEqual(model.tags, [{ key: 'owner', value: 'ana' }]);
  assert.deepEqual(model.aliases, [{ alias: 'champion', version: '2' }]);
  assert.equal(champion.version, '2');
  assert.equal(champion.currentStage, 'Production');
  assert.equal(champion.runId, RUNS.finished);
  assert.equal(champion.description, 'second');
  assert.equal(champion.source, `mlflow-artifacts:/1/${RUNS.finished}/artifacts/model`);
  assert.deepEqual(champion.tags, [{ key: 'validation_status', value: 'approved' }]);
  assert.equal(store.getModelVersion('churn-model', 1).currentStage, 'Archived');
  assert.throws(() => store.getModelVersion('churn-model', 3), /not found/);
  const deleted = store.db.get('SELECT current_stage FROM model_versions WHERE version = 3');
  assert.equal(deleted?.current_stage, 'Deleted_Internal');
});

test('a folder that is not a run is skipped with a warning', async () => {
  const { logger } = await imported();

  assert.ok(
    logger.lines.some((line) => /^warn: skipped .*scratch: it is not a run folder/.test(line)),
  );
});
