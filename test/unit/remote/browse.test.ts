import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../../helpers/server';
import { tempDir } from '../../helpers/tempStore';
import { clientFor } from './helpers';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

test('experiments and runs are listed page by page, every one once', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const experimentId = remote.store.createExperiment('many');
  for (let i = 0; i < 12; i++) remote.store.createExperiment(`e${i}`);
  const runIds = Array.from(
    { length: 25 },
    (_, i) => remote.store.createRun({ experimentId, runName: `r${i}` }).info.runId,
  );
  const client = clientFor(remote.base);
  t.after(() => client.close());

  const first = await client.experiments.search({ maxResults: 5 });
  const experiments = await collect(client.experiments.all({ maxResults: 5 }));
  const runs = await collect(client.runs.all({ experimentIds: [experimentId], maxResults: 10 }));

  assert.equal(first.items.length, 5);
  assert.ok(first.nextPageToken);
  assert.equal(experiments.length, 14);
  assert.equal(new Set(experiments.map((e) => e.experimentId)).size, 14);
  assert.deepEqual(runs.map((r) => r.info.runId).sort(), [...runIds].sort());
});

test('a run reads back with its params, tags, latest metrics, inputs and status', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'r', startTime: 7 }).info;
  remote.store.logBatch(runId, {
    params: [{ key: 'alpha', value: '0.1' }],
    tags: [{ key: 'team', value: 'ml' }],
    metrics: [
      { key: 'rmse', value: NaN, timestamp: 1, step: 0 },
      { key: 'top', value: Infinity, timestamp: 1, step: 0 },
    ],
  });
  remote.store.logInputs(runId, [
    { tags: [], dataset: { name: 'd', digest: 'x', sourceType: 'local', source: 's' } },
  ]);
  remote.store.updateRun(runId, { status: 'KILLED', endTime: 9 });
  const client = clientFor(remote.base);
  t.after(() => client.close());

  const run = await client.runs.get(runId);
  const missing = await client.runs.find('f'.repeat(32));

  assert.equal(missing, undefined);
  assert.deepEqual(run.info, { ...remote.store.getRun(runId).info });
  assert.deepEqual(run.data.params, [{ key: 'alpha', value: '0.1' }]);
  assert.ok(Number.isNaN(run.data.metrics.find((m) => m.key === 'rmse')!.value));
  assert.equal(run.data.metrics.find((m) => m.key === 'top')!.value, Infinity);
  assert.equal(run.inputs.datasetInputs[0].dataset.name, 'd');
});

test('a metric history of 2,500 points comes back whole and in order over pages of 1,000', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { runId } = remote.store.createRun({ experimentId: '0' }).info;
  for (let start = 0; start < 2500; start += 500) {
    remote.store.logBatch(runId, {
      metrics: Array.from({ length: 500 }, (_, i) => ({
        key: 'loss',
        value: start + i,
        timestamp: 2,
        step: start + i,
      })),
    });
  }
  const client = clientFor(remote.base);
  t.after(() => client.close());

  const page = await client.runs.historyPage(runId, 'loss', undefined, 1000);
  const points = await collect(client.runs.history(runId, 'loss', 1000));

  assert.equal(page.items.length, 1000);
  assert.ok(page.nextPageToken);
  assert.equal(points.length, 2500);
  assert.deepEqual(
    points.map((p) => p.step),
    Array.from({ length: 2500 }, (_, i) => i),
  );
});

test('registered models, versions and aliases are browsed as the server holds them', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { runId } = remote.store.createRun({ experimentId: '0' }).info;
  for (const name of ['a', "it's", 'c']) remote.store.createRegisteredModel(name);
  remote.store.createModelVersion({ name: "it's", source: 'runs:/x/model', runId });
  remote.store.createModelVersion({ name: "it's", source: 'runs:/x/model2', runId });
  remote.store.setAlias("it's", 'champion', '2');
  const client = clientFor(remote.base);
  t.after(() => client.close());

  const models = await collect(client.registry.models({ maxResults: 2 }));
  const versions = await collect(client.registry.versionsOf("it's"));
  const model = await client.registry.getModel("it's");
  const missing = await client.registry.getModel('nope');

  assert.deepEqual(models.map((m) => m.name).sort(), ['a', 'c', "it's"]);
  assert.deepEqual(versions.map((v) => v.version).sort(), ['1', '2']);
  assert.deepEqual(model!.aliases, [{ alias: 'champion', version: '2' }]);
  assert.equal(missing, undefined);
});

test('artifacts go up and come back byte for byte, and a folder walk lists every file', async (t) => {
  const remote = await startServer();
  const temp = tempDir();
  t.after(async () => {
    await remote.stop();
    temp.remove();
  });
  const client = clientFor(remote.base);
  t.after(() => client.close());
  const big = Buffer.alloc(300_000, 3);
  fs.writeFileSync(path.join(temp.dir, 'big.bin'), big);
  fs.writeFileSync(path.join(temp.dir, 'a b.txt'), 'spaced');

  await client.artifacts.upload('1/run/artifacts/model/big.bin', path.join(temp.dir, 'big.bin'));
  await client.artifacts.upload('1/run/artifacts/a b.txt', path.join(temp.dir, 'a b.txt'));
  const files = await collect(client.artifacts.walk('1/run/artifacts'));
  await client.artifacts.download('1/run/artifacts/model/big.bin', path.join(temp.dir, 'back.bin'));
  const empty = await client.artifacts.list('1/nothing/here');

  assert.deepEqual(files, [
    { path: 'a b.txt', size: 6 },
    { path: 'model/big.bin', size: 300_000 },
  ]);
  assert.ok(fs.readFileSync(path.join(temp.dir, 'back.bin')).equals(big));
  assert.deepEqual(empty, []);
});

test('an alias set and then deleted through the client is gone, and the connection stays usable', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { runId } = remote.store.createRun({ experimentId: '0' }).info;
  remote.store.createRegisteredModel('m');
  remote.store.createModelVersion({ name: 'm', source: 'runs:/x/model', runId });
  const client = clientFor(remote.base, { retries: 0 });
  t.after(() => client.close());

  await client.registry.setAlias('m', 'champion', '1');
  const set = remote.store.getRegisteredModel('m').aliases;
  await client.registry.deleteAlias('m', 'champion');
  // A DELETE body sent without its length would be read as the start of this request.
  const after = await client.registry.getModel('m');

  assert.deepEqual(set, [{ alias: 'champion', version: '1' }]);
  assert.deepEqual(after!.aliases, []);
});
