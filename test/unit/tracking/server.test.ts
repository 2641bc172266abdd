import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServer, TOKEN } from '../../helpers/server';

test('experiments: create, get, get-by-name, search, update, tags, delete and restore', async (t) => {
  const { api, stop } = await startServer();
  t.after(stop);

  const created = await api('POST', 'experiments/create', {
    name: 'houses',
    tags: [{ key: 'a', value: 'b' }],
  });
  const id = created.body.experiment_id;
  const got = await api('GET', 'experiments/get', { experiment_id: id });
  const byName = await api('GET', 'experiments/get-by-name', { experiment_name: 'houses' });
  await api('POST', 'experiments/update', { experiment_id: id, new_name: 'homes' });
  await api('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'c', value: 'd' });
  await api('POST', 'experiments/delete-experiment-tag', { experiment_id: id, key: 'a' });
  const searched = await api('POST', 'experiments/search', { filter: "name = 'homes'" });
  const listed = await api('GET', 'experiments/list', {});
  const deleted = await api('POST', 'experiments/delete', { experiment_id: id });
  const active = await api('GET', 'experiments/search', { view_type: 'ACTIVE_ONLY' });
  await api('POST', 'experiments/restore', { experiment_id: id });

  assert.equal(created.status, 200);
  assert.equal(got.body.experiment.name, 'houses');
  assert.equal(byName.body.experiment.experiment_id, id);
  assert.deepEqual(searched.body.experiments[0].tags, [{ key: 'c', value: 'd' }]);
  assert.equal(listed.body.experiments.length, 2);
  assert.deepEqual(deleted.body, {});
  assert.deepEqual(
    active.body.experiments.map((e: { name: string }) => e.name),
    ['Default'],
  );
  assert.equal(
    (await api('GET', 'experiments/get', { experiment_id: id })).body.experiment.lifecycle_stage,
    'active',
  );
});

test('runs: create, log, get, search, update, tags, delete and restore over HTTP', async (t) => {
  const { api, stop } = await startServer();
  t.after(stop);

  const { run } = (
    await api('POST', 'runs/create', { experiment_id: '0', run_name: 'r1', start_time: 10 })
  ).body;
  const runId = run.info.run_id;
  await api('POST', 'runs/log-parameter', { run_id: runId, key: 'alpha', value: '0.5' });
  await api('POST', 'runs/log-metric', {
    run_id: runId,
    key: 'rmse',
    value: 0.3,
    timestamp: 1,
    step: 0,
  });
  await api('POST', 'runs/set-tag', { run_uuid: runId, key: 'team', value: 'ml' });
  await api('POST', 'runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'rmse', value: 0.2, timestamp: '2', step: '1' }],
    tags: [{ key: 'x', value: 'y' }],
  });
  await api('POST', 'runs/delete-tag', { run_id: runId, key: 'x' });
  await api('POST', 'runs/log-inputs', {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: 'd', digest: 'e1', source_type: 'local', source: '{}' },
      },
    ],
  });
  await api('POST', 'runs/log-model', { run_id: runId, model_json: '{"artifact_path": "model"}' });
  const updated = await api('POST', 'runs/update', {
    run_id: runId,
    status: 'FINISHED',
    end_time: 99,
  });
  const got = await api('GET', 'runs/get', { run_id: runId });
  const searched = await api('POST', 'runs/search', {
    experiment_ids: ['0'],
    filter: 'metrics.rmse < 0.25',
    order_by: ['metrics.rmse'],
  });
  const datasets = await api('POST', 'experiments/search-datasets', { experiment_ids: ['0'] });
  await api('POST', 'runs/delete', { run_id: runId });
  const hidden = await api('POST', 'runs/search', { experiment_ids: ['0'] });
  await api('POST', 'runs/restore', { run_id: runId });

  assert.equal(updated.body.run_info.status, 'FINISHED');
  assert.equal(updated.body.run_info.end_time, 99);
  const data = got.body.run.data;
  assert.deepEqual(data.metrics, [{ key: 'rmse', value: 0.2, timestamp: 2, step: 1 }]);
  assert.deepEqual(data.params, [{ key: 'alpha', value: '0.5' }]);
  assert.ok(data.tags.some((tag: { key: string }) => tag.key === 'team'));
  assert.ok(!data.tags.some((tag: { key: string }) => tag.key === 'x'));
  assert.ok(data.tags.some((tag: { key: string }) => tag.key === 'mlflow.log-model.history'));
  assert.equal(got.body.run.inputs.dataset_inputs[0].dataset.name, 'd');
  assert.deepEqual(
    searched.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id),
    [runId],
  );
  assert.deepEqual(datasets.body.dataset_summaries, [
    { experiment_id: '0', name: 'd', digest: 'e1', context: 'training' },
  ]);
  assert.deepEqual(hidden.body, {});
});

test('metric history pages over HTTP, NaN survives, and bulk-interval samples', async (t) => {
  const { api, base, stop } = await startServer();
  t.after(stop);
  const runId = (await api('POST', 'runs/create', { experiment_id: '0' })).body.run.info.run_id;
  const metrics = Array.from({ length: 500 }, (_, step) => ({
    key: 'loss',
    value: step,
    timestamp: step,
    step,
  }));
  await api('POST', 'runs/log-batch', { run_id: runId, metrics });
  // Python's json module writes NaN and Infinity as bare words; mlflow sends them so.
  const nan = await fetch(`${base}/api/2.0/mlflow/runs/log-batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: `{"run_id": "${runId}", "metrics": [{"key": "odd", "value": NaN, "timestamp": 1, "step": 0},
      {"key": "big", "value": Infinity, "timestamp": 1, "step": 0}], "tags": [{"key": "NaN", "value": "Infinity"}]}`,
  });
  // Protobuf's JSON mapping (MLflow's Java and Go clients) sends them as strings.
  const quoted = await api('POST', 'runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'low', value: '-Infinity', timestamp: 1, step: 0 }],
  });

  const first = await api('GET', 'metrics/get-history', {
    run_id: runId,
    metric_key: 'loss',
    max_results: 200,
  });
  const second = await api('GET', 'metrics/get-history', {
    run_id: runId,
    metric_key: 'loss',
    max_results: 200,
    page_token: first.body.next_page_token,
  });
  const sampled = await api('GET', 'metrics/get-history-bulk-interval', {
    run_ids: [runId],
    metric_key: 'loss',
    max_results: 50,
  });
  const run = await api('GET', 'runs/get', { run_id: runId });

  assert.equal(nan.status, 200, await nan.text());
  assert.equal(quoted.status, 200, quoted.text);
  assert.match(run.text, /"key":"low","value":"-Infinity"/);
  assert.equal(first.body.metrics.length, 200);
  assert.equal(second.body.metrics[0].step, 200);
  assert.equal(sampled.body.metrics.length, 50);
  assert.equal(sampled.body.metrics[0].run_id, runId);
  // Out as protobuf's JSON printer (MLflow's server) writes them: strings JSON.parse can read.
  assert.match(run.text, /"key":"odd","value":"NaN"/);
  assert.match(run.text, /"key":"big","value":"Infinity"/);
  assert.ok(run.text.includes('{"key":"NaN","value":"Infinity"}'));
  const parsed = JSON.parse(run.text).run.data.metrics;
  assert.deepEqual(
    parsed.filter((m: { key: string }) => m.key !== 'loss').map((m: { value: unknown }) => m.value),
    ['Infinity', '-Infinity', 'NaN'],
  );
});

test('registry: models, versions, aliases, tags, stages and download URI over HTTP', async (t) => {
  const { api, stop } = await startServer();
  t.after(stop);

  await api('POST', 'registered-models/create', { name: 'm', description: 'd' });
  const version = await api('POST', 'model-versions/create', {
    name: 'm',
    source: 'mlflow-artifacts:/0/r/artifacts/model',
  });
  await api('POST', 'registered-models/alias', { name: 'm', alias: 'champion', version: '1' });
  await api('POST', 'registered-models/set-tag', { name: 'm', key: 'k', value: 'v' });
  await api('POST', 'model-versions/set-tag', { name: 'm', version: '1', key: 'ok', value: 'yes' });
  await api('PATCH', 'model-versions/update', { name: 'm', version: '1', description: 'first' });
  await api('PATCH', 'registered-models/update', { name: 'm', description: 'model' });
  const staged = await api('POST', 'model-versions/transition-stage', {
    name: 'm',
    version: '1',
    stage: 'Staging',
    archive_existing_versions: 'false',
  });
  const byAlias = await api('GET', 'registered-models/alias', { name: 'm', alias: 'champion' });
  const latest = await api('POST', 'registered-models/get-latest-versions', {
    name: 'm',
    stages: ['Staging'],
  });
  const uri = await api('GET', 'model-versions/get-download-uri', { name: 'm', version: '1' });
  const models = await api('GET', 'registered-models/search', { filter: "name LIKE 'm%'" });
  const versions = await api('GET', 'model-versions/search', { filter: "name = 'm'" });
  const renamed = await api('POST', 'registered-models/rename', { name: 'm', new_name: 'n' });
  await api('DELETE', 'registered-models/alias', { name: 'n', alias: 'champion' });
  await api('DELETE', 'model-versions/delete-tag', { name: 'n', version: '1', key: 'ok' });
  await api('DELETE', 'registered-models/delete-tag', { name: 'n', key: 'k' });
  const got = await api('GET', 'model-versions/get', { name: 'n', version: 1 });
  await api('DELETE', 'model-versions/delete', { name: 'n', version: '1' });
  const gone = await api('GET', 'model-versions/get', { name: 'n', version: 1 });
  const dropped = await api('DELETE', 'registered-models/delete', { name: 'n' });

  assert.equal(version.body.model_version.version, '1');
  assert.equal(version.body.model_version.status, 'READY');
  assert.equal(staged.body.model_version.current_stage, 'Staging');
  assert.equal(byAlias.body.model_version.version, '1');
  assert.deepEqual(byAlias.body.model_version.aliases, ['champion']);
  assert.equal(latest.body.model_versions.length, 1);
  assert.equal(uri.body.artifact_uri, 'mlflow-artifacts:/0/r/artifacts/model');
  assert.deepEqual(models.body.registered_models[0].tags, [{ key: 'k', value: 'v' }]);
  assert.equal(models.body.registered_models[0].description, 'model');
  assert.equal(versions.body.model_versions[0].description, 'first');
  assert.equal(renamed.body.registered_model.name, 'n');
  assert.equal(got.body.model_version.tags, undefined);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  assert.deepEqual(dropped.body, {});
});

test('bad requests get MLflow error bodies and statuses, and change nothing', async (t) => {
  const { api, base, store, stop } = await startServer();
  t.after(stop);
  const runId = (await api('POST', 'runs/create', { experiment_id: '0' })).body.run.info.run_id;
  await api('POST', 'runs/log-parameter', { run_id: runId, key: 'p', value: '1' });
  const raw = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) },
    });

  const unknown = await api('GET', 'runs/frobnicate');
  const wrongMethod = await api('GET', 'runs/create');
  const malformed = await raw('/api/2.0/mlflow/runs/create', {
    method: 'POST',
    body: '{"experiment_id": ',
  });
  const missing = await api('POST', 'experiments/create', {});
  const wrongType = await api('POST', 'runs/log-batch', {
    run_id: runId,
    params: [{ key: 'x', value: 5 }],
  });
  const changed = await api('POST', 'runs/log-parameter', { run_id: runId, key: 'p', value: '2' });
  const noRun = await api('GET', 'runs/get', { run_id: 'f'.repeat(32) });
  const duplicate = await api('POST', 'experiments/create', { name: 'Default' });
  const badFilter = await api('POST', 'runs/search', {
    experiment_ids: ['0'],
    filter: 'metrics.a <',
  });
  const tooBig = await raw('/api/2.0/mlflow/runs/log-batch', {
    method: 'POST',
    body: JSON.stringify({ run_id: runId, tags: [{ key: 't', value: 'x'.repeat(1100 * 1024) }] }),
  });

  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error_code, 'ENDPOINT_NOT_FOUND');
  assert.equal(wrongMethod.status, 405);
  assert.equal(malformed.status, 400);
  assert.equal((await malformed.json()).error_code, 'INVALID_PARAMETER_VALUE');
  assert.equal(missing.status, 400);
  assert.equal(missing.body.message, "Missing value for required parameter 'name'.");
  assert.match(wrongType.body.message, /'params\.0\.value'/);
  assert.equal(changed.body.error_code, 'INVALID_PARAMETER_VALUE');
  assert.equal(noRun.status, 404);
  assert.equal(noRun.body.error_code, 'RESOURCE_DOES_NOT_EXIST');
  assert.equal(duplicate.body.error_code, 'RESOURCE_ALREADY_EXISTS');
  assert.match(badFilter.body.message, /position/);
  assert.equal(tooBig.status, 413);
  assert.deepEqual(store.getRun(runId).data.params, [{ key: 'p', value: '1' }]);
  assert.equal((await api('GET', 'runs/get', { run_id: runId })).status, 200);
});

test('requests without the token, with a wrong one, or for a foreign Host are refused', async (t) => {
  const { base, server, stop } = await startServer();
  t.after(stop);
  const url = `${base}/api/2.0/mlflow/experiments/search`;

  const none = await fetch(url, { method: 'POST', body: '{}' });
  const wrong = await fetch(url, {
    method: 'POST',
    body: '{}',
    headers: { Authorization: 'Bearer nope' },
  });
  const foreign = await rawRequest(
    server.port,
    '/api/2.0/mlflow/experiments/search',
    'evil.example:80',
  );
  const localhost = await rawRequest(server.port, '/health', `localhost:${server.port}`);
  const ajax = await fetch(`${base}/ajax-api/2.0/mlflow/experiments/search`, {
    method: 'POST',
    body: '{}',
    headers: { Authorization: `Bearer ${TOKEN}` },
  });

  assert.equal(none.status, 401);
  assert.equal((await none.json()).error_code, 'UNAUTHENTICATED');
  assert.equal(wrong.status, 401);
  assert.equal(foreign.status, 403);
  assert.equal(localhost.status, 200);
  assert.equal(localhost.body, 'OK');
  assert.equal(ajax.status, 200);
  assert.equal(ajax.headers.get('access-control-allow-origin'), null);
  assert.equal(await (await fetch(`${base}/version`)).text(), 'test');
});

/** A request with a Host header of our choosing, which fetch does not allow. */
function rawRequest(port: number, path: string, host: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Host: host, Authorization: `Bearer ${TOKEN}` },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('artifacts uploaded through the proxy are listed by artifacts/list for their run', async (t) => {
  const { api, base, stop } = await startServer();
  t.after(stop);
  const { run } = (await api('POST', 'runs/create', { experiment_id: '0' })).body;
  const root = run.info.artifact_uri.replace('mlflow-artifacts:/', '');
  const put = (path: string, body: string) =>
    fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${root}/${path}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body,
    });
  await put('model/weights.json', '{"w": [1, 2]}');
  await put('notes.txt', 'hello');

  const top = await api('GET', 'artifacts/list', { run_id: run.info.run_id });
  const model = await api('GET', 'artifacts/list', { run_id: run.info.run_id, path: 'model' });
  const escape = await api('GET', 'artifacts/list', { run_id: run.info.run_id, path: '../..' });

  assert.deepEqual(
    top.body.files.map((f: { path: string; is_dir: boolean }) => [f.path, f.is_dir]),
    [
      ['model', true],
      ['notes.txt', false],
    ],
  );
  assert.deepEqual(model.body.files, [
    { path: 'model/weights.json', is_dir: false, file_size: 13 },
  ]);
  assert.equal(escape.status, 400);
});
