import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rejectsWith } from '../../helpers/assertions';
import { openTempStore } from '../../helpers/tempStore';

test('a run is created RUNNING with an MLflow id, a name tag and an artifact URI', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const experimentId = store.createExperiment('e');

  const run = store.createRun({
    experimentId,
    startTime: 1000,
    tags: [{ key: 'mlflow.user', value: 'ana' }],
  });

  assert.match(run.info.runId, /^[0-9a-f]{32}$/);
  assert.equal(run.info.status, 'RUNNING');
  assert.equal(run.info.userId, 'ana');
  assert.equal(run.info.startTime, 1000);
  assert.match(run.info.runName, /^[a-z]+-[a-z]+-\d+$/);
  assert.equal(
    run.info.artifactUri,
    `mlflow-artifacts:/${experimentId}/${run.info.runId}/artifacts`,
  );
  assert.deepEqual(
    run.data.tags.find((tag) => tag.key === 'mlflow.runName'),
    { key: 'mlflow.runName', value: run.info.runName },
  );
});

test('updating a run sets its status, end time and name, and keeps the name tag in step', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0', runName: 'first' }).info;

  const info = store.updateRun(runId, { status: 'FINISHED', endTime: 5000, runName: 'second' });
  store.setTag(runId, { key: 'mlflow.runName', value: 'third' });

  assert.equal(info.status, 'FINISHED');
  assert.equal(info.endTime, 5000);
  assert.equal(store.getRun(runId).info.runName, 'third');
});

test('params are write-once: the same value again is fine, another value is refused', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;

  store.logParam(runId, { key: 'alpha', value: '0.1' });
  store.logParam(runId, { key: 'alpha', value: '0.1' });

  rejectsWith(
    () => store.logParam(runId, { key: 'alpha', value: '0.2' }),
    'INVALID_PARAMETER_VALUE',
    /Changing param values is not allowed.*alpha.*0\.1.*0\.2/,
  );
  assert.deepEqual(store.getRun(runId).data.params, [{ key: 'alpha', value: '0.1' }]);
});

test('metrics keep their history; the run shows the value of the highest step', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;

  store.logMetric(runId, { key: 'loss', value: 0.5, timestamp: 10, step: 2 });
  store.logMetric(runId, { key: 'loss', value: 0.9, timestamp: 20, step: 1 });
  store.logBatch(runId, {
    metrics: [
      { key: 'loss', value: 0.4, timestamp: 5, step: 3 },
      { key: 'acc', value: NaN, timestamp: 5, step: 0 },
      { key: 'big', value: Infinity, timestamp: 5, step: 0 },
    ],
  });

  const metrics = Object.fromEntries(store.getRun(runId).data.metrics.map((m) => [m.key, m]));
  assert.equal(metrics.loss.value, 0.4);
  assert.equal(metrics.loss.step, 3);
  assert.ok(Number.isNaN(metrics.acc.value));
  assert.equal(metrics.big.value, Infinity);
  const history = store.getMetricHistory({ runId, metricKey: 'loss' }).items;
  assert.deepEqual(
    history.map((m) => [m.step, m.value]),
    [
      [1, 0.9],
      [2, 0.5],
      [3, 0.4],
    ],
  );
});

test('metric history pages and honours a step range', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const metrics = Array.from({ length: 100 }, (_, step) => ({
    key: 'x',
    value: step,
    timestamp: 1,
    step,
  }));
  store.logBatch(runId, { metrics });

  const first = store.getMetricHistory({ runId, metricKey: 'x', maxResults: 30 });
  const second = store.getMetricHistory({
    runId,
    metricKey: 'x',
    maxResults: 30,
    pageToken: first.nextPageToken,
  });
  const ranged = store.getMetricHistory({ runId, metricKey: 'x', startStep: 10, endStep: 14 });
  const sampled = store.getMetricHistorySampled([runId], 'x', { maxResults: 10 });

  assert.equal(first.items.length, 30);
  assert.equal(second.items[0].step, 30);
  assert.deepEqual(
    ranged.items.map((m) => m.step),
    [10, 11, 12, 13, 14],
  );
  assert.equal(sampled.length, 10);
  assert.equal(sampled[0].step, 0);
  assert.equal(sampled[9].step, 99);
});

test('log-batch refuses what MLflow refuses, and a refused batch writes nothing', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 1, timestamp: 1 }));

  rejectsWith(
    () => store.logBatch(runId, { metrics: many(1001) }),
    'INVALID_PARAMETER_VALUE',
    /at most 1000 metrics/,
  );
  rejectsWith(
    () => store.logBatch(runId, { params: many(101).map((m) => ({ key: m.key, value: '1' })) }),
    'INVALID_PARAMETER_VALUE',
    /at most 100 params/,
  );
  rejectsWith(
    () =>
      store.logBatch(runId, {
        metrics: [
          { key: 'ok', value: 1 },
          { key: 'bad', value: 'x' as never },
        ],
      }),
    'INVALID_PARAMETER_VALUE',
    /invalid value "x" for metric 'bad'/,
  );
  rejectsWith(
    () =>
      store.logBatch(runId, {
        metrics: [{ key: 'm', value: 1 }],
        params: [{ key: 'k'.repeat(251), value: '' }],
      }),
    'INVALID_PARAMETER_VALUE',
    /exceeds the limit of 250/,
  );
  rejectsWith(
    () => store.logBatch(runId, { params: [{ key: 'p', value: 'v'.repeat(6001) }] }),
    'INVALID_PARAMETER_VALUE',
    /limit of 6000/,
  );
  rejectsWith(
    () =>
      store.logBatch(runId, {
        params: [
          { key: 'p', value: 'a' },
          { key: 'p', value: 'b' },
        ],
      }),
    'INVALID_PARAMETER_VALUE',
    /Duplicate parameter keys/,
  );
  rejectsWith(
    () =>
      store.logBatch(runId, {
        metrics: [{ key: 'm', value: 1 }],
        params: [{ key: 'p', value: 'v' }],
        tags: [{ key: '../x', value: '' }],
      }),
    'INVALID_PARAMETER_VALUE',
  );

  const run = store.getRun(runId);
  assert.deepEqual(run.data.metrics, []);
  assert.deepEqual(run.data.params, []);
});

test('unknown and deleted runs are refused with MLflow codes', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  store.deleteRun(runId);

  rejectsWith(() => store.getRun('0'.repeat(32)), 'RESOURCE_DOES_NOT_EXIST');
  rejectsWith(() => store.getRun('not-a-run'), 'INVALID_PARAMETER_VALUE', /32 lowercase hex/);
  rejectsWith(
    () => store.logMetric(runId, { key: 'm', value: 1 }),
    'INVALID_PARAMETER_VALUE',
    /active/,
  );
  rejectsWith(() => store.createRun({ experimentId: '77' }), 'RESOURCE_DOES_NOT_EXIST');
  rejectsWith(
    () => store.updateRun(runId, { status: 'DONE' }),
    'INVALID_PARAMETER_VALUE',
    /run status/,
  );
  rejectsWith(() => store.deleteTag(runId, 'x'), 'INVALID_PARAMETER_VALUE');

  store.restoreRun(runId);
  store.logMetric(runId, { key: 'm', value: 1 });
  assert.equal(store.getRun(runId).data.metrics.length, 1);
  rejectsWith(() => store.deleteTag(runId, 'missing'), 'RESOURCE_DOES_NOT_EXIST');
});

test('dataset inputs are kept once per experiment and listed on the run', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const input = {
    tags: [{ key: 'mlflow.data.context', value: 'training' }],
    dataset: {
      name: 'train',
      digest: 'abc123',
      sourceType: 'local',
      source: '{"uri": "data/train.csv"}',
      profile: '{"num_rows": 400}',
    },
  };

  store.logInputs(runId, [input]);
  store.logInputs(runId, [input]);

  assert.deepEqual(store.getRun(runId).inputs.datasetInputs, [input]);
  rejectsWith(
    () =>
      store.logInputs(runId, [
        { tags: [], dataset: { ...input.dataset, digest: undefined as never } },
      ]),
    'INVALID_PARAMETER_VALUE',
    /digest is required/,
  );
});

test('run search filters, orders and pages, and hides deleted runs unless asked', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const experimentId = store.createExperiment('e');
  const ids = [0.3, 0.1, 0.2].map((rmse, i) => {
    const { runId } = store.createRun({ experimentId, startTime: i }).info;
    store.logBatch(runId, {
      metrics: [{ key: 'rmse', value: rmse }],
      params: [{ key: 'model', value: i === 1 ? 'xgb' : 'linear' }],
    });
    return runId;
  });
  store.deleteRun(ids[2]);

  const filtered = store.searchRuns({
    experimentIds: [experimentId],
    filter: 'metrics.rmse < 0.25',
  });
  const ordered = store.searchRuns({
    experimentIds: [experimentId],
    orderBy: ['metrics.rmse ASC'],
    viewType: 'ALL',
  });
  const either = store.searchRuns({
    experimentIds: [experimentId],
    filter: "params.model = 'xgb' OR metrics.rmse > 0.25",
    orderBy: ['attributes.start_time'],
  });
  const page = store.searchRuns({ experimentIds: [experimentId], maxResults: 1 });

  assert.deepEqual(
    filtered.items.map((r) => r.info.runId),
    [ids[1]],
  );
  assert.deepEqual(
    ordered.items.map((r) => r.info.runId),
    [ids[1], ids[2], ids[0]],
  );
  assert.deepEqual(
    either.items.map((r) => r.info.runId),
    [ids[0], ids[1]],
  );
  assert.equal(page.items.length, 1);
  assert.ok(page.nextPageToken);
  rejectsWith(
    () => store.searchRuns({ experimentIds: [experimentId], filter: 'metrics.rmse <' }),
    'INVALID_PARAMETER_VALUE',
    /position/,
  );
  rejectsWith(
    () => store.searchRuns({ experimentIds: [experimentId], maxResults: 50001 }),
    'INVALID_PARAMETER_VALUE',
  );
});
