import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../helpers/server';

/** Run endpoints over real HTTP: what MLflow requires of a request, and what it answers. */

test('runs/outputs accepts a run with its models and answers {}, as MLflow 3 does', async (t) => {
  const { api, store, stop } = await startServer();
  t.after(stop);
  const runId = (await api('POST', 'runs/create', { experiment_id: '0' })).body.run.info.run_id;
  const before = store.getRun(runId);

  const logged = await api('POST', 'runs/outputs', {
    run_id: runId,
    models: [{ model_id: 'm-0123456789abcdef', step: '3' }],
  });
  const none = await api('POST', 'runs/outputs', { run_id: runId });

  assert.equal(logged.status, 200);
  assert.deepEqual(logged.body, {});
  assert.deepEqual(none.body, {});
  assert.deepEqual(store.getRun(runId).data, before.data);
});

test('runs/outputs refuses a missing run id, a model without id or step, and unknown or deleted runs', async (t) => {
  const { api, stop } = await startServer();
  t.after(stop);
  const runId = (await api('POST', 'runs/create', { experiment_id: '0' })).body.run.info.run_id;

  const noRun = await api('POST', 'runs/outputs', { models: [] });
  const noModelId = await api('POST', 'runs/outputs', { run_id: runId, models: [{ step: 1 }] });
  const noStep = await api('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: 'm' }] });
  const unknown = await api('POST', 'runs/outputs', { run_id: 'f'.repeat(32), models: [] });
  await api('POST', 'runs/delete', { run_id: runId });
  const deleted = await api('POST', 'runs/outputs', { run_id: runId, models: [] });

  assert.equal(noRun.status, 400);
  assert.equal(noRun.body.error_code, 'INVALID_PARAMETER_VALUE');
  assert.match(noRun.body.message, /'run_id'/);
  assert.match(noModelId.body.message, /'models\.0\.model_id'/);
  assert.equal(noStep.body.message, "Missing value for required parameter 'models.0.step'.");
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  assert.equal(deleted.status, 400);
  assert.match(deleted.body.message, /must be in the 'active' state/);
});

test('runs/log-metric without a timestamp is refused, naming the field, and logs nothing', async (t) => {
  const { api, store, stop } = await startServer();
  t.after(stop);
  const runId = (await api('POST', 'runs/create', { experiment_id: '0' })).body.run.info.run_id;

  const missing = await api('POST', 'runs/log-metric', { run_id: runId, key: 'loss', value: 1 });
  const given = await api('POST', 'runs/log-metric', {
    run_id: runId,
    key: 'loss',
    value: 1,
    timestamp: 5,
  });

  assert.equal(missing.status, 400);
  assert.equal(missing.body.error_code, 'INVALID_PARAMETER_VALUE');
  assert.equal(missing.body.message, "Missing value for required parameter 'timestamp'.");
  assert.equal(given.status, 200);
  assert.deepEqual(
    store.getMetricHistory({ runId, metricKey: 'loss' }).items.map((m) => m.timestamp),
    [5],
  );
});
