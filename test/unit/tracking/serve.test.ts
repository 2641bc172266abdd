import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunStore } from '../../../src/core/store/store';
import { modelFactory } from '../../helpers/cli';
import { startServe } from '../../helpers/serveProcess';
import { tempDir } from '../../helpers/tempStore';

const TOKEN = 'serve-test-token';

async function post(url: string, path: string, body: unknown) {
  const response = await fetch(`${url}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test('serve prints its URL, makes up and prints a token, and stops cleanly on SIGTERM', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);

  const serve = await startServe(['--store', temp.dir, '--port', '0'], {
    MLFLOW_TRACKING_TOKEN: '',
  });
  const health = await fetch(`${serve.url}/health`);
  serve.child.kill('SIGTERM');
  const code = await serve.exited;
  const printed = /MLFLOW_TRACKING_TOKEN=(\S+)/.exec(serve.output().stdout)?.[1];

  assert.equal(code, 0);
  assert.ok(printed && printed.length >= 20, serve.output().stdout);
  assert.equal(await health.text(), 'OK');
  assert.match(serve.output().stdout, /every acknowledged write is saved/);
});

test('a second serve on an owned store says who owns it and exits 2', async (t) => {
  const temp = tempDir();
  const first = await startServe(['--store', temp.dir, '--token', TOKEN]);
  t.after(async () => {
    first.child.kill('SIGTERM');
    await first.exited;
    temp.remove();
  });

  const second = await modelFactory(['serve', '--store', temp.dir, '--token', TOKEN]);

  assert.equal(second.code, 2);
  assert.match(
    second.stderr,
    new RegExp(`in use by process ${first.child.pid} and serves it at ${first.url}`),
  );
});

test('a server killed with SIGKILL and restarted keeps every acknowledged point', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  let serve = await startServe(['--store', temp.dir, '--token', TOKEN]);
  const runId = (await post(serve.url, 'runs/create', { experiment_id: '0' })).body.run.info.run_id;
  let acknowledged = 0;

  for (let round = 0; round < 3; round++) {
    for (let batch = 0; batch < 20; batch++) {
      const metrics = Array.from({ length: 500 }, (_, i) => ({
        key: 'loss',
        value: i,
        timestamp: 1,
        step: acknowledged + i,
      }));
      const result = await post(serve.url, 'runs/log-batch', { run_id: runId, metrics });
      assert.equal(result.status, 200);
      acknowledged += metrics.length;
    }
    serve.child.kill('SIGKILL');
    await serve.exited;
    serve = await startServe(['--store', temp.dir, '--token', TOKEN]);
  }
  serve.child.kill('SIGTERM');
  await serve.exited;

  const store = await RunStore.open(temp.dir);
  const history = store.getMetricHistory({ runId, metricKey: 'loss', maxResults: 1_000_000 });
  await store.close();
  assert.equal(history.items.length, acknowledged);
});
