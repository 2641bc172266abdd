import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../helpers/server';
import { clientFor } from './helpers';
import {
  RemoteTreeModel,
  type PAGE_SIZES,
  type RemoteBrowser,
  type ServerEntry,
} from '../../../src/vscode/remote/model';
import { RemoteCommand } from '../../../src/vscode/remote/ids';
import type { ViewNode } from '../../../src/vscode/views/node';

type After = { after(fn: () => unknown): void };
type Remote = Awaited<ReturnType<typeof startServer>>;

const NOW = Date.UTC(2026, 0, 2);

/** A model over one real server, named `team`; `calls` lists the requests it makes. */
function modelOver(t: After, remote: Remote, pageSizes: Partial<typeof PAGE_SIZES> = {}) {
  const calls: string[] = [];
  const client = clientFor(remote.base, { retries: 0 });
  t.after(() => client.close());
  const browser: RemoteBrowser = {
    experiments: client.experiments,
    runs: {
      search: (search) => client.runs.search(search),
      find: (runId) => (calls.push(`run ${runId}`), client.runs.find(runId)),
    },
    registry: {
      searchModels: (search) => (calls.push('models'), client.registry.searchModels(search)),
      searchVersions: (search) => (calls.push('versions'), client.registry.searchVersions(search)),
      getModel: (name) => (calls.push(`model ${name}`), client.registry.getModel(name)),
    },
  };
  const servers: ServerEntry[] = [{ name: 'team', url: remote.base }];
  const model = new RemoteTreeModel(
    () => servers,
    async () => browser,
    () => NOW,
    pageSizes,
  );
  return { model, calls };
}

/** The connection's Models group, then its children. */
async function modelsOf(model: RemoteTreeModel): Promise<ViewNode[]> {
  const [server] = await model.childrenOf();
  const groups = await model.childrenOf(server);
  return model.childrenOf(groups.find((group) => group.label === 'Models'));
}

const labels = (nodes: ViewNode[]) => nodes.map((node) => node.label);

/** A registered model `churn` with three versions of one run; @champion on version 2. */
function seedChurn(remote: Remote) {
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'brave-fox' }).info;
  remote.store.logBatch(runId, {
    metrics: [{ key: 'auc', value: 0.91, timestamp: 1, step: 0 }],
  });
  remote.store.createRegisteredModel('churn', [{ key: 'team', value: 'ml' }], 'Who leaves');
  for (let i = 0; i < 3; i++) {
    remote.store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
  }
  remote.store.setAlias('churn', 'champion', '2');
  remote.store.setModelVersionTag('churn', '2', { key: 'validated', value: 'yes' });
  return runId;
}

test('each connection shows an Experiments group and a Models group', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { model, calls } = modelOver(t, remote);

  const [server] = await model.childrenOf();
  const groups = await model.childrenOf(server);

  assert.deepEqual(labels(groups), ['Experiments', 'Models']);
  assert.deepEqual(
    groups.map((group) => group.data),
    [
      { kind: 'remoteGroup', server: 'team', group: 'experiments' },
      { kind: 'remoteGroup', server: 'team', group: 'models' },
    ],
  );
  assert.deepEqual(calls, [], 'the groups cost no request');
});

test('registered models are listed by name with their aliases and latest version', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  seedChurn(remote);
  remote.store.createRegisteredModel('another');
  const { model } = modelOver(t, remote);

  const models = await modelsOf(model);

  assert.deepEqual(labels(models), ['another', 'churn']);
  const churn = models[1];
  assert.equal(churn.description, '@champion · latest version 3 · Who leaves');
  assert.equal(churn.contextValue, 'remoteModel');
  assert.deepEqual(churn.data, { kind: 'remoteModel', server: 'team', name: 'churn' });
  assert.match(churn.tooltip!, /^\*\*churn\*\*, registered model on http:\/\/127\\\.0\\\.0\\\.1:/);
  assert.match(
    churn.tooltip!,
    /, latest version 3\n\nWho leaves\n\nAliases: @champion → version 2/,
  );
  assert.match(churn.tooltip!, /Tags:\n- team: ml/);
  assert.equal(models[0].description, '');
});

test('registered models come a page at a time, with a Show more item for the next page', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  for (let i = 0; i < 5; i++) remote.store.createRegisteredModel(`m${i}`);
  const { model, calls } = modelOver(t, remote, { models: 2 });

  const first = await modelsOf(model);
  const more = first.at(-1)!;
  await model.showMore(more.command!.arguments![0] as never);
  const second = await modelsOf(model);
  await model.showMore(second.at(-1)!.data as never);
  const all = await modelsOf(model);

  assert.deepEqual(labels(first), ['m0', 'm1', 'Show more models']);
  assert.equal(more.description, '2 shown');
  assert.equal(more.command?.command, RemoteCommand.showMore);
  assert.deepEqual(labels(second), ['m0', 'm1', 'm2', 'm3', 'Show more models']);
  assert.deepEqual(labels(all), ['m0', 'm1', 'm2', 'm3', 'm4']);
  assert.deepEqual(calls, ['models', 'models', 'models']);
});

test('a model expands to its versions, newest first, with aliases, source run and tags', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const runId = seedChurn(remote);
  const { model, calls } = modelOver(t, remote);
  const [churn] = await modelsOf(model);

  const versions = await model.childrenOf(churn);
  await model.childrenOf(churn);

  assert.deepEqual(labels(versions), ['Version 3', 'Version 2', 'Version 1']);
  const champion = versions[1];
  assert.match(champion.description!, /^@champion · brave-fox · /);
  assert.equal(champion.contextValue, 'remoteVersion.aliased.tagged');
  assert.equal(versions[0].contextValue, 'remoteVersion');
  assert.deepEqual(champion.icon, { id: 'tag' });
  assert.deepEqual(champion.data, {
    kind: 'remoteVersion',
    server: 'team',
    name: 'churn',
    version: '2',
    runId,
    aliases: ['champion'],
  });
  assert.equal(champion.command?.command, RemoteCommand.openVersion);
  assert.match(champion.tooltip!, /Run: brave\\-fox \(\w+\), RUNNING\n- auc: 0\\\.91/);
  assert.match(champion.tooltip!, /Tags:\n- validated: yes/);
  assert.deepEqual(
    calls.filter((call) => call !== 'models'),
    ['versions', `run ${runId}`],
    'one search and one read of the shared run, then the cache',
  );
});

test('versions come a page at a time, and a missing source run leaves its version listed', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  remote.store.createRegisteredModel("it's");
  for (let i = 0; i < 5; i++) {
    remote.store.createModelVersion({
      name: "it's",
      source: 'runs:/gone/model',
      runId: 'f'.repeat(32),
    });
  }
  const { model } = modelOver(t, remote, { versions: 2 });
  const [its] = await modelsOf(model);

  const first = await model.childrenOf(its);
  await model.showMore(first.at(-1)!.data as never);
  await model.showMore((await model.childrenOf(its)).at(-1)!.data as never);
  const all = await model.childrenOf(its);

  assert.deepEqual(labels(first), ['Version 5', 'Version 4', 'Show more versions']);
  assert.deepEqual(labels(all), ['Version 5', 'Version 4', 'Version 3', 'Version 2', 'Version 1']);
  assert.match(all[0].tooltip!, /Run f{32} is not in this store/);
  assert.equal(first.at(-1)!.id, `remote:team:more:@versions:["it's"]`);
});

test('a model without versions and a server without models say so', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { model } = modelOver(t, remote);
  const empty = await modelsOf(model);
  remote.store.createRegisteredModel('bare');
  model.refresh('team');

  const [bare] = await modelsOf(model);
  const versions = await model.childrenOf(bare);

  assert.deepEqual(labels(empty), ['No registered models']);
  assert.equal(empty[0].contextValue, 'message');
  assert.deepEqual(labels(versions), ['No versions']);
});

test('refreshing one model reads its versions and its row again, and leaves the rest cached', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  seedChurn(remote);
  remote.store.createRegisteredModel('other');
  const { model, calls } = modelOver(t, remote);
  const [churn, other] = await modelsOf(model);
  await model.childrenOf(churn);
  await model.childrenOf(other);
  remote.store.setAlias('churn', 'challenger', '3');
  calls.length = 0;

  await model.refreshModel('team', 'churn');
  const models = await modelsOf(model);
  const versions = await model.childrenOf(models[0]);
  await model.childrenOf(models[1]);

  assert.equal(models[0].description, '@challenger @champion · latest version 3 · Who leaves');
  assert.match(versions[0].description!, /^@challenger · /);
  assert.deepEqual(
    calls.filter((call) => !call.startsWith('run ')),
    ['model churn', 'versions'],
  );
});

test('refreshing a model the list has not shown yet reads the list again', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { model, calls } = modelOver(t, remote);
  await modelsOf(model);
  remote.store.createRegisteredModel('fresh');

  await model.refreshModel('team', 'fresh');
  const models = await modelsOf(model);

  assert.deepEqual(labels(models), ['fresh']);
  assert.deepEqual(calls, ['models', 'model fresh', 'models']);
});
