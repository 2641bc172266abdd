import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Run } from '../../../src/core/store/entities';
import type { RunStore } from '../../../src/core/store/store';
import { listRunArtifacts } from '../../../src/core/tracking/artifacts';
import {
  artifactFolders,
  loggedModelPaths,
  modelSource,
  modelUri,
  normalizeArtifactPath,
} from '../../../src/vscode/models/artifacts';
import { openTempStore } from '../../helpers/tempStore';

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const run = temp.store.createRun({ experimentId: '0', runName: 'bright-owl-12' });
  return { store: temp.store, run };
}

/** Writes files into the run's artifact folder, where the tracking server would put them. */
function writeArtifacts(store: RunStore, run: Run, files: string[]) {
  const root = path.join(store.artifactsDir, '0', run.info.runId, 'artifacts');
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x');
  }
}

function lister(store: RunStore, run: Run) {
  return (folder: string) =>
    listRunArtifacts(store.artifactsDir, run.info.artifactUri, folder).files;
}

test('artifact folders holding an MLmodel come first, shallow before deep', async (t) => {
  const { store, run } = await fixture(t);
  writeArtifacts(store, run, [
    'plots/loss.png',
    'checkpoints/epoch1/MLmodel',
    'checkpoints/epoch1/model.pkl',
    'model/MLmodel',
    'model/model.pkl',
    'output.log',
  ]);

  const folders = artifactFolders(lister(store, run));

  assert.deepEqual(folders, [
    { path: 'model', hasModel: true },
    { path: 'checkpoints/epoch1', hasModel: true },
    { path: 'checkpoints', hasModel: false },
    { path: 'plots', hasModel: false },
  ]);
});

test('the artifact root is offered only when it holds a model itself', async (t) => {
  const { store, run } = await fixture(t);
  writeArtifacts(store, run, ['MLmodel', 'model.pkl']);

  const folders = artifactFolders(lister(store, run));

  assert.deepEqual(folders, [{ path: '', hasModel: true }]);
});

test('folders that mlflow logged a model to are offered even without files here', async (t) => {
  const { store, run } = await fixture(t);
  writeArtifacts(store, run, ['plots/loss.png']);
  store.logModel(run.info.runId, JSON.stringify({ artifact_path: 'sk_model', flavors: {} }));

  const logged = loggedModelPaths(store.getRun(run.info.runId));
  const folders = artifactFolders(lister(store, run), { logged });

  assert.deepEqual(logged, ['sk_model']);
  assert.deepEqual(folders, [
    { path: 'sk_model', hasModel: true },
    { path: 'plots', hasModel: false },
  ]);
});

test('a malformed log-model history gives no hint rather than an error', async (t) => {
  const { store, run } = await fixture(t);
  store.setTag(run.info.runId, { key: 'mlflow.log-model.history', value: '{not json' });

  const logged = loggedModelPaths(store.getRun(run.info.runId));

  assert.deepEqual(logged, []);
});

test('the walk stops at its folder limit and depth, so a huge run still opens at once', async (t) => {
  const { store, run } = await fixture(t);
  const many = Array.from({ length: 30 }, (_, i) => `shards/part${String(i).padStart(2, '0')}/x`);
  writeArtifacts(store, run, [...many, 'a/b/c/d/e/MLmodel']);

  const limited = artifactFolders(lister(store, run), { limit: 5 });
  const shallow = artifactFolders(lister(store, run), { maxDepth: 2 });

  assert.equal(limited.length, 5);
  assert.ok(!shallow.some((f) => f.path.startsWith('a/b/c')));
  assert.ok(shallow.some((f) => f.path === 'a/b'));
});

test("a version's source names the run and the folder as MLflow does", () => {
  const runId = '0123456789abcdef0123456789abcdef';

  assert.equal(modelSource(runId, 'model'), `runs:/${runId}/model`);
  assert.equal(modelSource(runId, '/checkpoints\\epoch1/'), `runs:/${runId}/checkpoints/epoch1`);
  assert.equal(modelSource(runId, ''), `runs:/${runId}`);
  assert.throws(() => modelSource(runId, '../other-run/model'), /leaves the run/);
  assert.equal(modelUri('iris', '3'), 'models:/iris/3');
});

test('typed artifact paths are normalised, and paths that leave the run are refused', () => {
  assert.equal(normalizeArtifactPath(' ./model/ '), 'model');
  assert.equal(normalizeArtifactPath(''), '');
  assert.equal(normalizeArtifactPath('model/../../x'), undefined);
});
