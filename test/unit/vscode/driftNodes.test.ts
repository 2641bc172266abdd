import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import {
  driftCheckNode,
  driftCheckNodes,
  trainingDataOf,
  verdictText,
  withDriftChecks,
} from '../../../src/vscode/drift/lazy';
import { datasetsChildren, FILES_GROUP } from '../../../src/vscode/datasets/model';
import { versionNodes } from '../../../src/vscode/models/model';
import { versionView } from '../../../src/vscode/panels/views';
import type { ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';
import { checkInput } from '../store/driftCheckInputs';

const digest = 'b'.repeat(64);

let datasets = 0;

function versionWithData(store: RunStore, sources: { source: string; context?: string }[]) {
  const { runId } = store.createRun({ experimentId: '0' }).info;
  store.logInputs(
    runId,
    sources.map(({ source, context }) => ({
      // Names and digests differ, or the store would reuse one dataset row for all of them.
      dataset: { name: `data${datasets}`, digest: `d${datasets++}`, sourceType: 'local', source },
      tags: context ? [{ key: 'mlflow.data.context', value: context }] : [],
    })),
  );
  if (!store.searchRegisteredModels({}).items.some((m) => m.name === 'churn')) {
    store.createRegisteredModel('churn');
  }
  return store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
}

function fileNode(path: string): ViewNode {
  return {
    id: `datasetFile:${path}`,
    label: path.split('/').pop()!,
    contextValue: 'datasetFile',
    collapsible: 'none',
    resourcePath: path,
    data: { kind: 'dataset', path, name: path.split('/').pop()! },
  };
}

test("a version's training data is its run's training input, read from MLflow's source forms", async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const json = versionWithData(store, [
    { source: '{"uri": "/data/eval.csv"}', context: 'evaluation' },
    { source: '{"uri": "/data/train.csv"}', context: 'training' },
  ]);
  const uri = versionWithData(store, [{ source: 'file:///data/my%20train.csv' }]);
  const plain = versionWithData(store, [{ source: '/data/plain.csv' }]);
  const remote = versionWithData(store, [{ source: '{"uri": "s3://bucket/train.csv"}' }]);

  assert.deepEqual(trainingDataOf(store, 'churn', json.version), {
    path: '/data/train.csv',
    datasetName: 'data1',
  });
  assert.equal(trainingDataOf(store, 'churn', uri.version)?.path, '/data/my train.csv');
  assert.equal(trainingDataOf(store, 'churn', plain.version)?.path, '/data/plain.csv');
  assert.equal(trainingDataOf(store, 'churn', remote.version), undefined);
});

test('a stored check is a node that says its verdict and reference, and opens the check', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const saved = store.saveDriftCheck(
    checkInput({ summary: { drift: true, drifted: 3, total: 5, share: 0.6 } }),
  );

  const node = driftCheckNode(saved, saved.createdTime + 120_000);

  assert.equal(node.label, 'drift 3/5 vs train.csv');
  assert.equal(node.description, '2 min ago');
  assert.equal(node.icon?.id, 'warning');
  assert.deepEqual(node.command?.arguments, [saved.checkId]);
  assert.equal(verdictText({ drift: false, drifted: 0, total: 4 }), 'no drift 0/4');
});

test('a data file with checks can be expanded to them, newest first, and shows its latest verdict', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.saveDriftCheck(checkInput({ createdTime: 1000 }));
  const newest = store.saveDriftCheck(
    checkInput({ createdTime: 2000, summary: { drift: true, drifted: 2, total: 2, share: 1 } }),
  );

  const [checked, unchecked] = withDriftChecks(store, [
    fileNode('/data/new.csv'),
    fileNode('/data/other.csv'),
  ]);
  const children = driftCheckNodes(store, '/data/new.csv', 3000);

  assert.equal(checked.collapsible, 'collapsed');
  assert.equal(checked.description, 'drift 2/2');
  assert.equal(unchecked.collapsible, 'none');
  assert.equal(children.length, 2);
  assert.equal(children[0].id, `drift:${newest.checkId}`);
});

test('the Datasets view lists checks under their file through its own model', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.saveDriftCheck(checkInput());
  const source = { runStore: store, state: 'open' as const };
  const scan = { files: [fileNode('/data/new.csv')], truncated: false, limit: 2000 };

  const files = datasetsChildren(scan, source, { id: FILES_GROUP } as ViewNode);
  const checks = datasetsChildren(scan, source, files[0]);

  assert.equal(files[0].collapsible, 'collapsed');
  assert.equal(checks.length, 1);
  assert.match(checks[0].label, /^no drift 1\/2 vs train\.csv$/);
});

test("a model version shows its latest check's verdict in the Models view", async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const version = versionWithData(store, [{ source: '/data/train.csv' }]);
  store.saveDriftCheck(
    checkInput({
      reference: {
        path: '/data/train.csv',
        digest,
        kind: 'model_version',
        modelName: 'churn',
        modelVersion: version.version,
      },
      summary: { drift: true, drifted: 2, total: 3, share: 2 / 3 },
    }),
  );

  const [node] = versionNodes(store, 'churn');

  assert.match(node.description ?? '', /drift 2\/3$/);
  assert.equal(node.icon?.id, 'warning');
});

test("the version panel lists the checks against the version's training data, newest first", async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const version = versionWithData(store, [{ source: '/data/train.csv' }]);
  const against = (createdTime: number) =>
    checkInput({
      createdTime,
      reference: {
        path: '/data/train.csv',
        digest,
        kind: 'model_version',
        modelName: 'churn',
        modelVersion: version.version,
      },
    });
  store.saveDriftCheck(against(1000));
  const newest = store.saveDriftCheck(against(2000));
  store.saveDriftCheck(checkInput({ createdTime: 3000 }));

  const view = versionView(store, 'churn', version.version, true);

  assert.equal(view.driftChecks.length, 2);
  assert.equal(view.driftChecks[0].checkId, newest.checkId);
  assert.deepEqual(
    { current: view.driftChecks[0].current, drifted: view.driftChecks[0].drifted },
    { current: '/data/new.csv', drifted: 1 },
  );
});
