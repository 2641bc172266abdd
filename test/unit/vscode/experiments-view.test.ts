import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fake from '../../fakes/vscode';
import type { RunStore } from '../../../src/core/store/store';
import { ExperimentsModel } from '../../../src/vscode/experiments/model';
import { ExperimentsView } from '../../../src/vscode/experiments/view';
import type { Services } from '../../../src/vscode/services';
import type { StoreState } from '../../../src/vscode/tracking';
import type { ViewNode } from '../../../src/vscode/views/node';
import type { NodeTreeProvider } from '../../../src/vscode/views/tree';
import { openTempStore } from '../../helpers/tempStore';

/** A view over a real store, with a tracking service reduced to what the view reads. */
async function fixture(t: { after(fn: () => unknown): void }, opened = true) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const changed = new fake.EventEmitter<void>();
  const tracking = {
    state: (opened ? 'open' : 'none') as StoreState,
    runStore: (opened ? temp.store : undefined) as RunStore | undefined,
    onDidChange: changed.event,
  };
  const memento = new Map<string, unknown>();
  const context = {
    workspaceState: {
      get: (key: string) => memento.get(key),
      update: async (key: string, value: unknown) => void memento.set(key, value),
    },
    environmentVariableCollection: { replace() {}, delete() {} },
  };
  const services = { context, tracking } as unknown as Services;
  // The model from source: in VS Code it comes from dist/core.js.
  const view = new ExperimentsView(services, {
    intervalMs: 20,
    modelClass: () => ExperimentsModel,
  });
  t.after(() => view.dispose());
  return { store: temp.store, view, tracking, fireTrackingChange: () => changed.fire() };
}

/** Resolves at the provider's next change event. */
function nextRefresh(provider: NodeTreeProvider): Promise<void> {
  return new Promise((resolve) => {
    const subscription = provider.onDidChangeTreeData(() => {
      subscription.dispose();
      resolve();
    });
  });
}

async function children(view: ExperimentsView, parent?: ViewNode): Promise<ViewNode[]> {
  return (await view.provider.getChildren(parent)) ?? [];
}

test('a thousand metric points in a burst repaint the tree once, with the latest value', async (t) => {
  const { store, view } = await fixture(t);
  const experimentId = store.createExperiment('live');
  const { runId } = store.createRun({ experimentId, runName: 'r' }).info;
  await nextRefresh(view.provider);
  const before = view.provider.refreshes;

  const refreshed = nextRefresh(view.provider);
  for (let step = 0; step < 1000; step++)
    store.logMetric(runId, { key: 'loss', value: step, step });
  await refreshed;

  assert.equal(view.provider.refreshes - before, 1);
  const [experiment] = (await children(view)).filter((node) => node.label === 'live');
  const [run] = await children(view, experiment);
  assert.match(run.description ?? '', /^loss 999 · /);
  assert.equal(run.id, `run:${runId}`);
});

test('two bursts apart repaint the tree twice, once each', async (t) => {
  const { store, view } = await fixture(t);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  await nextRefresh(view.provider);
  const before = view.provider.refreshes;

  for (const burst of [0, 1]) {
    const refreshed = nextRefresh(view.provider);
    for (let i = 0; i < 100; i++) store.logMetric(runId, { key: 'x', value: i, step: burst });
    await refreshed;
  }

  assert.equal(view.provider.refreshes - before, 2);
});

test('the view follows a store that opens after it, and refreshes at once when it does', async (t) => {
  const { store, view, tracking, fireTrackingChange } = await fixture(t, false);
  store.createRun({ experimentId: '0', runName: 'early' });
  const empty = await children(view);

  const refreshed = nextRefresh(view.provider);
  tracking.state = 'open';
  tracking.runStore = store;
  fireTrackingChange();
  await refreshed;
  const afterOpen = await children(view);
  const logged = nextRefresh(view.provider);
  store.createRun({ experimentId: '0', runName: 'later' });
  await logged;

  assert.deepEqual(empty, []);
  assert.deepEqual(
    afterOpen.map((node) => node.label),
    ['Default'],
  );
  const runs = await children(view, afterOpen[0]);
  assert.deepEqual(
    runs.map((node) => node.label),
    ['later', 'early'],
  );
});

test('a shared store shows a message node instead of an empty tree', async (t) => {
  const { view, tracking, fireTrackingChange } = await fixture(t, false);

  tracking.state = 'shared';
  fireTrackingChange();
  const nodes = await children(view);

  assert.equal(nodes.length, 1);
  assert.equal(nodes[0].contextValue, 'message');
  assert.match(nodes[0].label, /open in another VS Code window/);
});

test('a filter and a sort show in the view description and set the context key of the clear button', async (t) => {
  const { view } = await fixture(t);
  const contexts = new Map<string, unknown>();
  const original = fake.commands.executeCommand;
  fake.commands.executeCommand = (async (command: string, key: string, value: unknown) => {
    if (command === 'setContext') contexts.set(key, value);
  }) as typeof original;
  t.after(() => (fake.commands.executeCommand = original));

  view.setQuery({
    filter: 'metrics.rmse < 1',
    sort: { metric: 'rmse', ascending: true },
    showDeleted: true,
  });
  const filtered = [view.treeView.description, contexts.get('modelFactory.experiments.filtered')];
  view.setQuery({ filter: '', showDeleted: false });
  const cleared = [view.treeView.description, contexts.get('modelFactory.experiments.filtered')];

  assert.deepEqual(filtered, ['where metrics.rmse < 1 · by rmse ↑ · with deleted', true]);
  assert.deepEqual(cleared, [undefined, false]);
  assert.equal(contexts.get('modelFactory.experiments.showingDeleted'), false);
});
