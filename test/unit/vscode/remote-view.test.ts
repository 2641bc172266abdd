import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../helpers/server';
import { clientFor, closedPort } from '../remote/helpers';
import {
  RemoteTreeModel,
  type RemoteBrowser,
  type ServerEntry,
} from '../../../src/vscode/remote/model';
import { RemoteCommand } from '../../../src/vscode/remote/ids';
import type { ViewNode } from '../../../src/vscode/views/node';

type After = { after(fn: () => unknown): void };

/** A model over real servers; `calls` counts the requests it makes, to see the cache work. */
function modelOver(t: After, servers: ServerEntry[], pageSizes = {}) {
  const calls: string[] = [];
  const model = new RemoteTreeModel(
    () => servers,
    async (server) => {
      const client = clientFor(server.url, { retries: 0 });
      t.after(() => client.close());
      const browser: RemoteBrowser = {
        experiments: { search: (s) => (calls.push('experiments'), client.experiments.search(s)) },
        runs: {
          search: (s) => (calls.push('runs'), client.runs.search(s)),
          find: (id) => (calls.push('run'), client.runs.find(id)),
        },
        registry: {
          searchModels: (s) => (calls.push('models'), client.registry.searchModels(s)),
          searchVersions: (s) => (calls.push('versions'), client.registry.searchVersions(s)),
          getModel: (name) => (calls.push('model'), client.registry.getModel(name)),
        },
      };
      return browser;
    },
    () => Date.UTC(2026, 0, 2),
    pageSizes,
  );
  return { model, calls };
}

const labels = (nodes: ViewNode[]) => nodes.map((node) => node.label);

/** The children of a connection's Experiments group. */
async function experimentsOf(model: RemoteTreeModel, server: ViewNode): Promise<ViewNode[]> {
  const [experiments] = await model.childrenOf(server);
  return model.childrenOf(experiments);
}

test('each connection is a top-level source holding its experiments, then their runs', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const experimentId = remote.store.createExperiment('churn');
  const { runId } = remote.store.createRun({
    experimentId,
    runName: 'brave-fox',
    startTime: Date.UTC(2026, 0, 1, 23, 57),
  }).info;
  remote.store.logBatch(runId, {
    metrics: [{ key: 'rmse', value: 0.41234, timestamp: 1, step: 0 }],
  });
  remote.store.updateRun(runId, { status: 'FINISHED', endTime: Date.UTC(2026, 0, 2) });
  const { model } = modelOver(t, [{ name: 'team', url: remote.base }]);

  const [server] = await model.childrenOf();
  const groups = await model.childrenOf(server);
  const experiments = await model.childrenOf(groups[0]);
  const churn = experiments.find((node) => node.label === 'churn')!;
  const [run] = await model.childrenOf(churn);

  assert.equal(server.label, 'team');
  assert.equal(server.contextValue, 'remoteServer');
  assert.deepEqual(labels(groups), ['Experiments', 'Models']);
  assert.deepEqual(labels(experiments).sort(), ['Default', 'churn']);
  assert.equal(run.label, 'brave-fox');
  assert.equal(run.contextValue, 'remoteRun');
  assert.deepEqual(run.icon, { id: 'pass', color: 'charts.green' });
  assert.equal(run.description, 'rmse 0.4123 · 3 min ago');
  assert.equal(run.command?.command, RemoteCommand.openRun);
  assert.deepEqual(run.data, {
    kind: 'remoteRun',
    server: 'team',
    runId,
    experimentId,
    name: 'brave-fox',
    status: 'FINISHED',
  });
});

test('runs come a page at a time, with a Show more item that reads the next page', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const experimentId = remote.store.createExperiment('many');
  for (let i = 0; i < 7; i++) remote.store.createRun({ experimentId, runName: `r${i}` });
  const { model } = modelOver(t, [{ name: 'team', url: remote.base }], {
    experiments: 10,
    runs: 3,
  });
  const experiment = {
    id: 'x',
    label: 'many',
    contextValue: 'remoteExperiment',
    collapsible: 'collapsed' as const,
    data: { kind: 'remoteExperiment' as const, server: 'team', experimentId, name: 'many' },
  };

  const first = await model.childrenOf(experiment);
  const more = first.at(-1)!;
  await model.showMore(more.command!.arguments![0] as never);
  const second = await model.childrenOf(experiment);
  await model.showMore(second.at(-1)!.data as never);
  const third = await model.childrenOf(experiment);

  assert.equal(first.length, 4);
  assert.equal(more.label, 'Show more runs');
  assert.equal(more.description, '3 shown');
  assert.equal(second.length, 7);
  assert.equal(third.length, 7, 'seven runs and no Show more item');
  assert.deepEqual(labels(third).sort(), ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
});

test('what was read is cached per connection until that connection is refreshed', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { model, calls } = modelOver(t, [
    { name: 'a', url: remote.base },
    { name: 'b', url: remote.base },
  ]);
  const [a, b] = await model.childrenOf();

  await experimentsOf(model, a);
  await experimentsOf(model, a);
  await experimentsOf(model, b);
  remote.store.createExperiment('late');
  const cachedA = await experimentsOf(model, a);
  model.refresh('a');
  const freshA = await experimentsOf(model, a);

  assert.deepEqual(calls, ['experiments', 'experiments', 'experiments']);
  assert.ok(!labels(cachedA).includes('late'));
  assert.ok(labels(freshA).includes('late'));
});

test('a server that cannot be read shows its error as a message item, and is read again later', async (t) => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const { model, calls } = modelOver(t, [{ name: 'gone', url }]);
  const [server] = await model.childrenOf();

  const first = await experimentsOf(model, server);
  await experimentsOf(model, server);

  assert.equal(first.length, 1);
  assert.equal(first[0].contextValue, 'message');
  assert.match(first[0].label, /^Could not read http:\/\/127\.0\.0\.1:\d+: nothing is listening/);
  assert.equal(calls.length, 2, 'a failure is not cached');
});

test('experiments come a page at a time too, in name order', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  for (let i = 0; i < 4; i++) remote.store.createExperiment(`e${i}`);
  const { model } = modelOver(t, [{ name: 'team', url: remote.base }], { experiments: 2, runs: 5 });
  const [server] = await model.childrenOf();

  const first = await experimentsOf(model, server);
  await model.showMore(first.at(-1)!.data as never);
  await model.showMore((await experimentsOf(model, server)).at(-1)!.data as never);
  const all = await experimentsOf(model, server);

  assert.deepEqual(labels(first), ['Default', 'e0', 'Show more experiments']);
  assert.deepEqual(labels(all), ['Default', 'e0', 'e1', 'e2', 'e3']);
});
