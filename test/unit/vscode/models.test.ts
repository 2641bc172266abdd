import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import type { ModelVersion } from '../../../src/core/store/entities';
import {
  modelNodes,
  modelsChildren,
  versionDescription,
  versionNodes,
} from '../../../src/vscode/models/model';
import type { StoreState } from '../../../src/vscode/tracking';
import type { ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';

const MINUTE = 60_000;

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  return temp.store;
}

/** A finished run with its latest metrics, as a training script would leave it. */
function trainRun(store: RunStore, runName: string, metrics: Record<string, number> = {}) {
  const { runId } = store.createRun({ experimentId: '0', runName }).info;
  for (const [key, value] of Object.entries(metrics)) {
    store.logMetric(runId, { key, value, timestamp: Date.now(), step: 0 });
  }
  return runId;
}

function register(store: RunStore, name: string, runId?: string) {
  const models = store.searchRegisteredModels().items.map((m) => m.name);
  if (!models.includes(name)) store.createRegisteredModel(name);
  return store.createModelVersion({ name, source: `runs:/${runId ?? 'none'}/model`, runId });
}

const labels = (nodes: ViewNode[]) => nodes.map((node) => node.label);
const later = () => Date.now() + 3 * MINUTE;

test('registered models list by name with their description first line and version count', async (t) => {
  const store = await fixture(t);
  register(store, 'wine');
  register(store, 'wine');
  store.createRegisteredModel('iris', [], 'Classifies irises.\nTrained on the 1936 data.');
  register(store, 'iris');
  store.createRegisteredModel('empty');

  const nodes = modelNodes(store);

  assert.deepEqual(labels(nodes), ['empty', 'iris', 'wine']);
  assert.deepEqual(
    nodes.map((n) => n.description),
    ['0 versions', 'Classifies irises. · 1 version', '2 versions'],
  );
  assert.deepEqual(
    nodes.map((n) => n.collapsible),
    ['none', 'collapsed', 'collapsed'],
  );
  assert.equal(nodes[0].icon?.id, 'package');
});

test('versions list newest first, with their aliases, source run name and age', async (t) => {
  const store = await fixture(t);
  const runId = trainRun(store, 'bright-owl-12');
  register(store, 'iris', runId);
  register(store, 'iris', runId);
  register(store, 'iris');
  store.setAlias('iris', 'champion', '2');
  store.setAlias('iris', 'challenger', '2');

  const nodes = versionNodes(store, 'iris', later());

  assert.deepEqual(labels(nodes), ['Version 3', 'Version 2', 'Version 1']);
  assert.equal(nodes[1].description, '@challenger @champion · bright-owl-12 · 3 min ago');
  assert.equal(nodes[2].description, 'bright-owl-12 · 3 min ago');
  assert.equal(nodes[0].description, '3 min ago');
});

test('a version that is not ready shows its status beside its aliases', () => {
  const version = {
    aliases: ['champion'],
    status: 'PENDING_REGISTRATION',
    creationTimestamp: 1000,
  } as ModelVersion;

  const description = versionDescription(version, undefined, 1000 + 10 * MINUTE);

  assert.equal(description, '@champion · PENDING_REGISTRATION · 10 min ago');
});

test('aliased versions show a tag icon and a context value that the alias menus match', async (t) => {
  const store = await fixture(t);
  register(store, 'iris');
  register(store, 'iris');
  store.setAlias('iris', 'champion', '1');
  store.setModelVersionTag('iris', '2', { key: 'validated', value: 'yes' });
  store.setRegisteredModelTag('iris', { key: 'team', value: 'vision' });

  const [second, first] = versionNodes(store, 'iris');
  const [model] = modelNodes(store);

  assert.equal(first.icon?.id, 'tag');
  assert.equal(first.contextValue, 'modelVersion.aliased');
  assert.equal(second.icon?.id, 'versions');
  assert.equal(second.contextValue, 'modelVersion.tagged');
  assert.equal(model.contextValue, 'model.tagged');
  assert.match(first.contextValue, /^modelVersion.*\.aliased/);
  assert.doesNotMatch(second.contextValue, /^modelVersion.*\.aliased/);
  assert.deepEqual(first.data, {
    kind: 'modelVersion',
    name: 'iris',
    version: '1',
    runId: '',
    aliases: ['champion'],
  });
});

test("a version's tooltip lists its source, tags and its run's latest metrics", async (t) => {
  const store = await fixture(t);
  const runId = trainRun(store, 'bright-owl-12', { rmse: 0.41234, r2: 0.9 });
  store.logMetric(runId, { key: 'rmse', value: 0.375, timestamp: Date.now() + 1, step: 1 });
  register(store, 'iris', runId);
  store.setModelVersionTag('iris', '1', { key: 'validated', value: 'yes' });
  store.updateModelVersion('iris', '1', 'First good one');

  const [node] = versionNodes(store, 'iris');

  assert.match(node.tooltip!, /Run: bright\\-owl\\-12 \([0-9a-f]{32}\), RUNNING/);
  assert.match(node.tooltip!, /- rmse: 0\\\.375/);
  assert.match(node.tooltip!, /- r2: 0\\\.9/);
  assert.match(node.tooltip!, /- validated: yes/);
  assert.match(node.tooltip!, /First good one/);
  assert.match(node.tooltip!, new RegExp(`Source: runs:/${runId}/model`));
});

test('a version whose source run is not in the store says so rather than failing', async (t) => {
  const store = await fixture(t);
  register(store, 'iris', '0123456789abcdef0123456789abcdef');

  const [node] = versionNodes(store, 'iris');

  assert.equal(node.description, 'just now');
  assert.match(node.tooltip!, /Run 0123456789abcdef0123456789abcdef is not in this store/);
});

test('hostile names and descriptions show as text: no links, commands or HTML', async (t) => {
  const store = await fixture(t);
  const name = "[x](command:evil) O'Brien";
  store.createRegisteredModel(name, [], '<img src=x onerror=alert(1)>\n[y](command:bad)');
  register(store, name);
  store.setModelVersionTag(name, '1', { key: '<b>', value: '![i](http://evil/x.png)' });

  const [model] = modelNodes(store);
  const [version] = versionNodes(store, name);

  for (const tooltip of [model.tooltip!, version.tooltip!]) {
    assert.doesNotMatch(tooltip, /\]\(/, 'a link survived');
    assert.doesNotMatch(tooltip, /(^|[^\\])<(img|b)/, 'HTML survived');
  }
  assert.match(model.tooltip!, /\\\[x\\\]\\\(command:evil\\\) O'Brien/);
  assert.equal(model.label, name);
  assert.equal(labels([version])[0], 'Version 1');
});

test('the tree shows models at the root and versions under them', async (t) => {
  const store = await fixture(t);
  register(store, 'iris');
  const source = { state: 'open' as StoreState, runStore: store };

  const [model] = modelsChildren(source);
  const versions = modelsChildren(source, model);
  const below = modelsChildren(source, versions[0]);

  assert.deepEqual(labels(versions), ['Version 1']);
  assert.deepEqual(below, []);
});

test('an open store without models gives an empty tree, so the welcome content shows', async (t) => {
  const store = await fixture(t);

  const nodes = modelsChildren({ state: 'open', runStore: store });
  const starting = modelsChildren({ state: 'none', runStore: undefined });

  assert.deepEqual(nodes, []);
  assert.deepEqual(starting, []);
});

test('a store owned by another window, untrusted or broken shows a message, not a tree', () => {
  const states: StoreState[] = ['shared', 'untrusted', 'failed'];

  const messages = states.map((state) => modelsChildren({ state, runStore: undefined }));

  assert.deepEqual(
    messages.map((nodes) => nodes.map((n) => n.label)),
    [
      ['This store is open in another VS Code window'],
      ['Trust this workspace to show its registered models'],
      ['The run store could not be opened'],
    ],
  );
  assert.equal(messages[2][0].command?.command, 'modelFactory.showLog');
});
