import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HostMessage } from '../../../src/protocol/panels';
import { compareRuns, runView, versionView } from '../../../src/vscode/panels/views';
import { openTempStore } from '../../helpers/tempStore';

const workspace = path.resolve('/work/project');

async function fixture() {
  const temp = await openTempStore();
  const { store } = temp;
  const parent = store.createRun({ experimentId: '0', runName: 'parent' }).info.runId;
  const run = store.createRun({
    experimentId: '0',
    runName: '<img src=x onerror=alert(1)>',
    tags: [
      { key: 'mlflow.source.name', value: path.join(workspace, 'train.py') },
      { key: 'mlflow.source.git.commit', value: 'abc123' },
      { key: 'mlflow.parentRunId', value: parent },
      { key: 'stage', value: 'baseline' },
    ],
  }).info.runId;
  store.logBatch(run, {
    params: [
      { key: 'lr', value: '0.1' },
      { key: 'epochs', value: '10' },
    ],
    metrics: [
      { key: 'loss', value: 0.5, timestamp: 1, step: 0 },
      { key: 'auc', value: NaN, timestamp: 1, step: 0 },
    ],
  });
  return { ...temp, run, parent };
}

test('a run view sorts params, splits MLflow tags off and links the parent and the source', async (t) => {
  const { store, run, parent, dispose } = await fixture();
  t.after(dispose);

  const view = runView(store, run, [workspace]);
  const elsewhere = runView(store, run, ['/somewhere/else']);

  assert.equal(view.name, '<img src=x onerror=alert(1)>');
  assert.deepEqual(
    view.params.map((p) => p.key),
    ['epochs', 'lr'],
  );
  assert.deepEqual(view.tags, [{ key: 'stage', value: 'baseline' }]);
  assert.ok(view.systemTags.some((tag) => tag.key === 'mlflow.source.name'));
  assert.deepEqual(view.parent, { runId: parent, name: 'parent' });
  assert.equal(view.source?.commit, 'abc123');
  assert.equal(view.source?.openable, true);
  assert.equal(elsewhere.source?.openable, false, 'a path outside the workspace is not opened');
  assert.deepEqual(
    view.metrics.map((m) => [m.key, m.value]),
    [
      ['auc', null],
      ['loss', 0.5],
    ],
  );
  assert.equal(HostMessage.safeParse({ type: 'run', run: view }).success, true);
});

test('a deleted run says so, and the compare view names runs that are gone', async (t) => {
  const { store, run, parent, dispose } = await fixture();
  t.after(dispose);
  store.deleteRun(run);

  const view = runView(store, run, []);
  const compared = compareRuns(store, [run, parent, 'f'.repeat(32)]);

  assert.equal(view.deleted, true);
  assert.deepEqual(
    compared.runs.map((r) => r.runId),
    [run, parent],
  );
  assert.deepEqual(compared.missing, ['f'.repeat(32)]);
  assert.deepEqual(compared.runs[0].params, { lr: '0.1', epochs: '10' });
  assert.deepEqual(compared.runs[0].metrics, { loss: 0.5, auc: null });
  assert.deepEqual(compared.runs[0].tags, { stage: 'baseline' });
  assert.equal(HostMessage.safeParse({ type: 'compare', ...compared }).success, true);
});

test('a version view lists its source run, training data and the runs that evaluated it', async (t) => {
  const { store, run, dispose } = await fixture();
  t.after(dispose);
  const name = "Bob's model";
  store.createRegisteredModel(name);
  store.createModelVersion({ name, source: `runs:/${run}/model`, runId: run });
  store.logInputs(run, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: {
        name: 'train',
        digest: 'd1',
        sourceType: 'local',
        source: 'data/train.csv',
        profile: '{"num_rows": 500}',
      },
    },
    {
      tags: [{ key: 'mlflow.data.context', value: 'evaluation' }],
      dataset: { name: 'test', digest: 'd2', sourceType: 'local', source: 'data/test.csv' },
    },
  ]);
  const evaluation = store.createRun({
    experimentId: '0',
    runName: 'eval',
    tags: [{ key: 'model_factory.evaluated_model', value: `models:/${name}/1` }],
  }).info.runId;
  store.logMetric(evaluation, { key: 'accuracy', value: 0.8, timestamp: 1, step: 0 });
  store.createRun({ experimentId: '0', runName: 'unrelated' });

  const view = versionView(store, name, '1', false);

  assert.equal(view.sourceRun?.runId, run);
  assert.deepEqual(
    view.datasets.map((d) => [d.name, d.rows]),
    [['train', 500]],
  );
  assert.deepEqual(
    view.evaluations.map((e) => e.runId),
    [evaluation],
  );
  assert.equal(view.evaluations[0].metrics[0].value, 0.8);
  assert.equal(view.canEvaluate, false);
  assert.equal(HostMessage.safeParse({ type: 'version', version: view }).success, true);
});
