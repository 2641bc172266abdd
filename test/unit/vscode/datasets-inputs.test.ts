import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import { recordedDatasetNode, recordedDatasets } from '../../../src/vscode/datasets/inputs';
import {
  datasetsChildren,
  FILES_GROUP,
  RECORDED_GROUP,
  type FileScan,
} from '../../../src/vscode/datasets/model';
import type { StoreState } from '../../../src/vscode/tracking';
import { messageNode, type ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';

const noFiles: FileScan = { files: [], truncated: false, limit: 2000 };

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  return { store: temp.store, source: { state: 'open' as StoreState, runStore: temp.store } };
}

/** A run that logged `name` (with this digest) as an input in the given context. */
function useDataset(
  store: RunStore,
  experimentId: string,
  runName: string,
  dataset: { name: string; digest: string },
  context: string,
  startTime: number,
) {
  const { runId } = store.createRun({ experimentId, runName, startTime }).info;
  const source = { sourceType: 'local', source: `/data/${dataset.name}.csv` };
  const tags = [{ key: 'mlflow.data.context', value: context }];
  store.logInputs(runId, [{ dataset: { ...dataset, ...source }, tags }]);
  return runId;
}

const labels = (nodes: ViewNode[]) => nodes.map((node) => node.label);

test('datasets recorded as run inputs list once each, with their contexts and experiment', async (t) => {
  const { store } = await fixture(t);
  const iris = store.createExperiment('iris');
  const train = { name: 'iris-train', digest: 'a1b2c3d4' };
  useDataset(store, iris, 'first', train, 'training', 1000);
  useDataset(store, iris, 'second', train, 'evaluation', 2000);
  useDataset(store, '0', 'elsewhere', train, 'training', 3000);

  const nodes = recordedDatasets(store).map(recordedDatasetNode);

  assert.deepEqual(
    nodes.map((n) => [n.label, n.description]),
    [
      ['iris-train', 'a1b2c3d4 · training · Default'],
      ['iris-train', 'a1b2c3d4 · evaluation, training · iris'],
    ],
  );
  assert.notEqual(nodes[0].id, nodes[1].id);
  assert.equal(nodes[1].icon?.id, 'database');
});

test('a recorded dataset lists the runs that used it, newest first, with their context', async (t) => {
  const { store, source } = await fixture(t);
  const dataset = { name: "O'Brien data", digest: 'ffff0000' };
  useDataset(store, '0', 'older', dataset, 'training', 1000);
  useDataset(store, '0', 'newer', dataset, 'evaluation', 5000);
  useDataset(store, '0', 'unrelated', { name: 'other', digest: '1' }, 'training', 9000);
  const [node] = recordedDatasets(store)
    .filter((d) => d.name === dataset.name)
    .map(recordedDatasetNode);

  const runs = datasetsChildren(noFiles, source, node);

  assert.deepEqual(labels(runs), ['newer', 'older']);
  assert.match(runs[0].description!, /^evaluation · running · /);
  assert.match(runs[1].tooltip!, /Source \(local\): \/data\/O'Brien data\\\.csv/);
  assert.equal(runs[0].data?.kind, 'run');
});

test('the root holds a group for the files and one for the recorded datasets', async (t) => {
  const { store, source } = await fixture(t);
  useDataset(store, '0', 'first', { name: 'iris', digest: 'abc' }, 'training', 1000);
  const file = messageNode('file', 'train.csv');
  const scan = { files: [file], truncated: false, limit: 2000 };

  const root = datasetsChildren(scan, source);
  const files = datasetsChildren(scan, source, root[0]);
  const recorded = datasetsChildren(scan, source, root[1]);

  assert.deepEqual(
    root.map((n) => [n.id, n.label, n.description, n.collapsible]),
    [
      [FILES_GROUP, 'Data files', '1', 'expanded'],
      [RECORDED_GROUP, 'Recorded as run inputs', '1', 'collapsed'],
    ],
  );
  assert.deepEqual(labels(files), ['train.csv']);
  assert.deepEqual(labels(recorded), ['iris']);
});

test('no data files and no recorded datasets give an empty tree, so the welcome shows', async (t) => {
  const { source } = await fixture(t);

  const root = datasetsChildren(noFiles, source);

  assert.deepEqual(root, []);
});

test('a cut-short scan says so below the files', () => {
  const scan = { files: [messageNode('f', 'a.csv')], truncated: true, limit: 1 };
  const source = { state: 'none' as StoreState, runStore: undefined };

  const [group] = datasetsChildren(scan, source);
  const files = datasetsChildren(scan, source, group);

  assert.equal(group.description, '1+');
  assert.deepEqual(labels(files), ['a.csv', 'Only the first 1 files are shown']);
});

test('a store open in another window shows why under the recorded datasets', () => {
  const source = { state: 'shared' as StoreState, runStore: undefined };

  const [group] = datasetsChildren(noFiles, source);
  const inside = datasetsChildren(noFiles, source, group);

  assert.equal(group.id, RECORDED_GROUP);
  assert.deepEqual(labels(inside), ['This store is open in another VS Code window']);
});
