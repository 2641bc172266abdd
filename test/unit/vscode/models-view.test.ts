import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from '../../fakes/vscode';
import type { RunStore } from '../../../src/core/store/store';
import { DisposableScope } from '../../../src/vscode/disposable';
import { modelCommands } from '../../../src/vscode/models/commands';
import { ModelCommand } from '../../../src/vscode/models/ids';
import { followStore } from '../../../src/vscode/models/follow';
import { registerModelsView } from '../../../src/vscode/models/view';
import type { Services } from '../../../src/vscode/services';
import type { StoreState } from '../../../src/vscode/tracking';
import type { NodeTreeProvider } from '../../../src/vscode/views/tree';
import { openTempStore } from '../../helpers/tempStore';

/** A stand-in for the tracking service: the store, its state and its change event. */
function fakeTracking(store: RunStore | undefined, state: StoreState = 'open') {
  const changed = new EventEmitter<void>();
  return {
    runStore: store,
    state,
    onDidChange: changed.event,
    fire: () => changed.fire(),
    start: async () => undefined,
  };
}

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  const scope = new DisposableScope();
  t.after(async () => {
    scope.dispose();
    await temp.dispose();
  });
  return { store: temp.store, scope };
}

function nextRefresh(provider: NodeTreeProvider): Promise<void> {
  return new Promise((resolve) => {
    const listener = provider.onDidChangeTreeData(() => {
      listener.dispose();
      resolve();
    });
  });
}

test('a burst of registry writes refreshes the Models view once', async (t) => {
  const { store, scope } = await fixture(t);
  const tracking = fakeTracking(store);
  const services = { context: {}, tracking } as unknown as Services;
  const provider = registerModelsView(services, scope);
  const refreshed = nextRefresh(provider);

  store.createRegisteredModel('iris');
  for (let i = 0; i < 20; i += 1) store.createModelVersion({ name: 'iris', source: 'runs:/x/m' });
  await refreshed;

  assert.equal(provider.refreshes, 1);
});

test('only the listed kinds of store change schedule a refresh', async (t) => {
  const { store, scope } = await fixture(t);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  let scheduled = 0;
  scope.track(followStore(fakeTracking(store), ['model', 'run'], () => (scheduled += 1)));

  store.logMetric(runId, { key: 'rmse', value: 1, timestamp: 1, step: 0 });
  const afterMetric = scheduled;
  store.createRegisteredModel('iris');
  store.setTag(runId, { key: 'mlflow.runName', value: 'renamed' });

  assert.equal(afterMetric, 0);
  assert.equal(scheduled, 2);
});

test('when the store opens after the view, the view follows the new store', async (t) => {
  const { store, scope } = await fixture(t);
  const tracking = fakeTracking(undefined, 'none');
  let scheduled = 0;
  scope.track(followStore(tracking, ['model'], () => (scheduled += 1)));

  tracking.runStore = store;
  tracking.state = 'open';
  tracking.fire();
  store.createRegisteredModel('iris');

  assert.equal(scheduled, 2, 'one for the store opening, one for the model');
});

test('the refresh command repaints the Models view', async (t) => {
  const { store, scope } = await fixture(t);
  const services = { context: {}, tracking: fakeTracking(store) } as unknown as Services;
  const provider = registerModelsView(services, scope);

  await modelCommands(services)[ModelCommand.refreshModels]();

  assert.equal(provider.refreshes, 1);
});
