import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import type { StoreState } from '../../../src/vscode/tracking';
import { ExperimentsModel, PAGE_SIZE } from '../../../src/vscode/experiments/model';
import type { ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const MINUTE = 60_000;

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const source = { state: 'open' as StoreState, store: temp.store as RunStore | undefined };
  const model = new ExperimentsModel(
    () => source,
    () => NOW,
  );
  return { store: temp.store, model, source };
}

/** A run started `minutesAgo` before NOW, with its metrics logged in the order given. */
function addRun(
  store: RunStore,
  experimentId: string,
  runName: string,
  minutesAgo: number,
  metrics: Record<string, number> = {},
  extra: { status?: string; parent?: string } = {},
) {
  const tags = extra.parent ? [{ key: 'mlflow.parentRunId', value: extra.parent }] : [];
  const startTime = NOW - minutesAgo * MINUTE;
  const { runId } = store.createRun({ experimentId, runName, startTime, tags }).info;
  Object.entries(metrics).forEach(([key, value], i) =>
    store.logMetric(runId, { key, value, timestamp: startTime + i + 1, step: 0 }),
  );
  if (extra.status) store.updateRun(runId, { status: extra.status, endTime: startTime + 1000 });
  return runId;
}

function experimentNode(model: ExperimentsModel, name: string): ViewNode {
  const node = model.childrenOf().find((n) => n.label === name);
  assert.ok(node, `no experiment ${name}`);
  return node;
}

const labels = (nodes: ViewNode[]) => nodes.map((node) => node.label);

test('experiments list by name with their run count and the time of their last activity', async (t) => {
  const { store, model } = await fixture(t);
  const training = store.createExperiment('training');
  store.createExperiment('evaluation');
  addRun(store, training, 'a', 90);
  addRun(store, training, 'b', 5);

  const nodes = model.childrenOf();

  assert.deepEqual(labels(nodes), ['Default', 'evaluation', 'training']);
  assert.equal(nodes[2].description, '2 runs · 5 min ago');
  assert.equal(nodes[2].contextValue, 'experiment');
  assert.equal(nodes[2].collapsible, 'collapsed');
  assert.match(nodes[1].description ?? '', /^0 runs/);
  assert.equal(nodes[1].collapsible, 'none');
});

test('a store holding only the empty Default experiment shows no items, so the welcome shows', async (t) => {
  const { model } = await fixture(t);

  const nodes = model.childrenOf();

  assert.deepEqual(nodes, []);
});

test('without a store the view is empty, and a shared, untrusted or failed store says why', async (t) => {
  const { model, source } = await fixture(t);
  source.store = undefined;
  const messages: Record<string, string | undefined> = {};

  for (const state of ['none', 'shared', 'untrusted', 'failed'] as StoreState[]) {
    source.state = state;
    const nodes = model.childrenOf();
    messages[state] =
      nodes.length === 0 ? undefined : `${nodes[0].contextValue}: ${nodes[0].label}`;
  }

  assert.equal(messages.none, undefined);
  assert.equal(
    messages.shared,
    'message: This store is open in another VS Code window; its runs show there',
  );
  assert.match(messages.untrusted ?? '', /^message: Trust this workspace/);
  assert.match(messages.failed ?? '', /^message: The run store could not be opened/);
});

test('runs list newest first, each with the icon and menu context of its status', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  addRun(store, id, 'finished', 50, {}, { status: 'FINISHED' });
  addRun(store, id, 'failed', 40, {}, { status: 'FAILED' });
  addRun(store, id, 'killed', 30, {}, { status: 'KILLED' });
  addRun(store, id, 'scheduled', 20, {}, { status: 'SCHEDULED' });
  addRun(store, id, 'running', 10);

  const runs = model.childrenOf(experimentNode(model, 'e'));

  assert.deepEqual(labels(runs), ['running', 'scheduled', 'killed', 'failed', 'finished']);
  assert.deepEqual(
    runs.map((run) => [run.icon?.id, run.icon?.color, run.contextValue]),
    [
      ['sync~spin', undefined, 'run.running'],
      ['clock', undefined, 'run.scheduled'],
      ['circle-slash', undefined, 'run.killed'],
      ['error', 'charts.red', 'run.failed'],
      ['pass', 'charts.green', 'run.finished'],
    ],
  );
  assert.equal(runs[0].id, `run:${runs[0].data?.kind === 'run' && runs[0].data.runId}`);
  assert.equal(runs[0].command?.command, 'modelFactory.experiments.openRun');
});

test('a run is described by its first logged metric and its age, or by the key metric setting', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  addRun(store, id, 'r', 3, { rmse: 0.41234, accuracy: 0.9 });

  const before = model.childrenOf(experimentNode(model, 'e'))[0].description;
  model.keyMetric = 'accuracy';
  const after = model.childrenOf(experimentNode(model, 'e'))[0].description;

  assert.equal(before, 'rmse 0.4123 · 3 min ago');
  assert.equal(after, 'accuracy 0.9 · 3 min ago');
});

test('a run tooltip summarises params, metrics, commit and source, with store text escaped', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  const runId = addRun(store, id, '[click](http://x)', 3, { rmse: 0.5 });
  store.logParam(runId, { key: 'alpha', value: '0.1' });
  store.setTag(runId, { key: 'mlflow.source.git.commit', value: 'abcdef1234567890' });
  store.setTag(runId, { key: 'mlflow.source.name', value: 'train.py' });

  const tooltip = model.childrenOf(experimentNode(model, 'e'))[0].tooltip ?? '';

  assert.match(tooltip, /^\*\*\\\[click\\\]\\\(http:\/\/x\\\)\*\* · running/);
  assert.match(tooltip, /Git commit: abcdef123456\n/);
  assert.match(tooltip, /Source: train\\\.py/);
  assert.match(tooltip, /\*\*Parameters\*\*\n\n- alpha: 0\\\.1/);
  assert.match(tooltip, /\*\*Metrics\*\*\n\n- rmse: 0\\\.5/);
  assert.match(tooltip, /3 min so far/);
});

test('205 runs show the newest 200 and a Show more item, which then shows the other 5', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('big');
  for (let i = 0; i < 205; i++) addRun(store, id, `run-${i}`, 1000 - i);

  const first = model.childrenOf(experimentNode(model, 'big'));
  const more = first[first.length - 1];
  assert.ok(more.data?.kind === 'more');
  model.showMore(more.data);
  const all = model.childrenOf(experimentNode(model, 'big'));

  assert.equal(first.length, PAGE_SIZE + 1);
  assert.equal(first[0].label, 'run-204');
  assert.equal(more.contextValue, 'more');
  assert.equal(more.command?.command, 'modelFactory.experiments.showMore');
  assert.equal(all.length, 205);
  assert.equal(all[204].label, 'run-0');
  assert.equal(new Set(all.map((n) => n.id)).size, 205);
});

test('a filter with OR lists the matching runs flat, nested ones included', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  const parent = addRun(store, id, 'parent', 30, { rmse: 0.9 });
  addRun(store, id, 'child', 20, { rmse: 0.1 }, { parent });
  addRun(store, id, 'failed', 10, { rmse: 0.8 }, { status: 'FAILED' });
  addRun(store, id, 'other', 5, { rmse: 0.7 });

  model.setQuery({ filter: "metrics.rmse < 0.5 OR status = 'FAILED'", showDeleted: false });
  const runs = model.childrenOf(experimentNode(model, 'e'));

  assert.deepEqual(labels(runs), ['failed', 'child']);
  assert.ok(runs.every((run) => run.collapsible === 'none'));
});

test('a filter that matches nothing says so under the experiment', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  addRun(store, id, 'r', 5, { rmse: 0.7 });

  model.setQuery({ filter: 'metrics.rmse > 10', showDeleted: false });
  const runs = model.childrenOf(experimentNode(model, 'e'));

  assert.deepEqual(labels(runs), ['No runs match the filter']);
  assert.equal(runs[0].contextValue, 'message');
});

test('sorting by a metric orders runs by it either way and describes them by it', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  addRun(store, id, 'mid', 30, { loss: 1, rmse: 0.5 });
  addRun(store, id, 'low', 20, { loss: 2, rmse: 0.1 });
  addRun(store, id, 'high', 10, { loss: 3, rmse: 0.9 });
  addRun(store, id, 'none', 5, { loss: 4 });

  model.setQuery({ filter: '', sort: { metric: 'rmse', ascending: true }, showDeleted: false });
  const ascending = model.childrenOf(experimentNode(model, 'e'));
  model.setQuery({ filter: '', sort: { metric: 'rmse', ascending: false }, showDeleted: false });
  const descending = model.childrenOf(experimentNode(model, 'e'));

  assert.deepEqual(labels(ascending), ['low', 'mid', 'high', 'none']);
  assert.deepEqual(labels(descending), ['high', 'mid', 'low', 'none']);
  assert.equal(ascending[0].description, 'rmse 0.1 · 20 min ago');
});

test('sorting by start time ascending lists the oldest run first', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('e');
  addRun(store, id, 'old', 30);
  addRun(store, id, 'new', 10);

  model.setQuery({ filter: '', sort: { ascending: true }, showDeleted: false });
  const runs = model.childrenOf(experimentNode(model, 'e'));

  assert.deepEqual(labels(runs), ['old', 'new']);
});

test('nested runs sit under their parent, and only the parent is at the top', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('sweep');
  const parent = addRun(store, id, 'sweep', 30);
  addRun(store, id, 'trial-1', 20, {}, { parent });
  addRun(store, id, 'trial-2', 10, {}, { parent });
  addRun(store, id, 'single', 5);

  const top = model.childrenOf(experimentNode(model, 'sweep'));
  const children = model.childrenOf(top.find((node) => node.label === 'sweep'));

  assert.deepEqual(labels(top), ['single', 'sweep']);
  assert.deepEqual(
    top.map((node) => node.collapsible),
    ['none', 'collapsed'],
  );
  assert.deepEqual(labels(children), ['trial-2', 'trial-1']);
});

test('deleted runs and experiments are hidden unless deleted ones are shown', async (t) => {
  const { store, model } = await fixture(t);
  const kept = store.createExperiment('kept');
  const gone = store.createExperiment('gone');
  addRun(store, gone, 'in-gone', 20);
  addRun(store, kept, 'alive', 10);
  store.deleteRun(addRun(store, kept, 'deleted-run', 5));
  store.deleteExperiment(gone);

  const hidden = model.childrenOf();
  const hiddenRuns = model.childrenOf(experimentNode(model, 'kept'));
  model.setQuery({ filter: '', showDeleted: true });
  const shown = model.childrenOf();
  const shownRuns = model.childrenOf(experimentNode(model, 'kept'));

  assert.deepEqual(labels(hidden), ['Default', 'kept']);
  assert.deepEqual(labels(hiddenRuns), ['alive']);
  assert.equal(experimentNode(model, 'kept').description, '2 runs (1 deleted) · 5 min ago');
  assert.deepEqual(labels(shown), ['Default', 'gone', 'kept']);
  assert.equal(shown[1].contextValue, 'experiment.deleted');
  assert.deepEqual(labels(shownRuns), ['deleted-run', 'alive']);
  assert.deepEqual([shownRuns[0].contextValue, shownRuns[0].icon?.id], ['run.deleted', 'trash']);
  assert.match(shownRuns[0].description ?? '', /^deleted · /);
});

test('the active experiment is marked, so its menu offers no "Set Active" again', async (t) => {
  const { store, model } = await fixture(t);
  store.createExperiment('chosen');
  addRun(store, '0', 'r', 5);

  model.activeExperiment = 'chosen';
  const node = experimentNode(model, 'chosen');

  assert.equal(node.contextValue, 'experiment.active');
  assert.match(node.description ?? '', /^active · /);
  assert.equal(experimentNode(model, 'Default').contextValue, 'experiment');
});

test('a nested run whose parent is deleted or in another experiment shows at the top', async (t) => {
  const { store, model } = await fixture(t);
  const id = store.createExperiment('sweep');
  const elsewhere = store.createExperiment('elsewhere');
  const deletedParent = addRun(store, id, 'deleted-parent', 50);
  addRun(store, id, 'orphan', 40, {}, { parent: deletedParent });
  const foreignParent = addRun(store, elsewhere, 'foreign-parent', 35);
  addRun(store, id, 'adopted', 30, {}, { parent: foreignParent });
  const parent = addRun(store, id, 'parent', 20);
  addRun(store, id, 'child', 10, {}, { parent });
  store.deleteRun(deletedParent);

  const top = model.childrenOf(experimentNode(model, 'sweep'));
  const foreign = model.childrenOf(experimentNode(model, 'elsewhere'));
  model.setQuery({ filter: '', showDeleted: true });
  const withDeleted = model.childrenOf(experimentNode(model, 'sweep'));
  const underDeleted = model.childrenOf(withDeleted.find((n) => n.label === 'deleted-parent'));

  assert.deepEqual(labels(top), ['parent', 'adopted', 'orphan']);
  assert.deepEqual(
    top.map((node) => node.collapsible),
    ['collapsed', 'none', 'none'],
  );
  assert.deepEqual(labels(foreign), ['foreign-parent']);
  assert.equal(foreign[0].collapsible, 'none');
  assert.deepEqual(labels(withDeleted), ['parent', 'adopted', 'deleted-parent']);
  assert.deepEqual(labels(underDeleted), ['orphan']);
});
