import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, TOKEN } from '../../helpers/server';
import { tempDir } from '../../helpers/tempStore';
import { writeArtifacts } from '../remote/seed';
import { cli } from './helpers';

type After = { after(fn: () => unknown): void };

/**
 * A store owned by another process that serves it, as a VS Code window does: a real store with
 * its lock, a real tracking server over it, and the server's address and token in the lock.
 */
async function ownedStore(t: After) {
  const owner = await startServer();
  t.after(owner.stop);
  owner.store.setServerAddress(owner.base, TOKEN);
  return owner;
}

test('register on a store a window owns goes through its server, and the owner keeps writing', async (t) => {
  const owner = await ownedStore(t);
  const { runId } = owner.store.createRun({ experimentId: '0', runName: 'trained' }).info;
  writeArtifacts(owner.store, runId, { 'model/model.json': Buffer.from('{}') });
  const store = owner.store.dir;

  const first = await cli(
    ['register', runId, '--name', 'churn', '--alias', 'champion', '--store', store],
    store,
  );
  const second = await cli(
    ['register', runId, '--name', 'churn', '--alias', 'champion', '--store', store],
    store,
  );
  const missing = await cli(
    ['register', runId, '--name', 'other', '--path', 'weights', '--store', store],
    store,
  );

  assert.equal(first.code, 0, first.stderr);
  assert.match(
    first.stderr,
    /the store is open in process \d+; registering through its server at http:\/\/127\.0\.0\.1:\d+/,
  );
  assert.equal(
    first.stdout,
    `Registered runs:/${runId}/model as churn version 1 (a new registered model)\n@champion now points at version 1\n`,
  );
  assert.equal(
    second.stdout,
    `Registered runs:/${runId}/model as churn version 2\n@champion now points at version 2 (was 1)\n`,
  );
  assert.equal(owner.store.getModelVersionByAlias('churn', 'champion').version, '2');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no artifact 'weights'/);
  assert.throws(() => owner.store.getRegisteredModel('other'), /not found|does not exist/i);
});

test('a training run on a store a window owns is recorded through its server', async (t) => {
  const owner = await ownedStore(t);
  const project = tempDir('mf-owned-project-');
  t.after(project.remove);
  writeFileSync(
    path.join(project.dir, 'MLproject'),
    'name: tiny\nentry_points:\n  main:\n    command: "python3 log.py"\n',
  );
  writeFileSync(
    path.join(project.dir, 'log.py'),
    'import model_factory as mlflow\nmlflow.log_metric("loss", 0.25)\nprint("logged")\n',
  );

  const result = await cli(
    ['run', project.dir, '--store', owner.store.dir, '--run-id-file', 'id.txt'],
    project.dir,
  );

  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /recording the run through its server at http:\/\/127\.0\.0\.1:\d+/);
  const runId = readFileSync(path.join(project.dir, 'id.txt'), 'utf8').trim();
  const run = owner.store.getRun(runId);
  assert.equal(run.info.status, 'FINISHED');
  assert.deepEqual(
    run.data.metrics.map((m) => [m.key, m.value]),
    [['loss', 0.25]],
  );
  assert.equal(owner.store.getExperiment(run.info.experimentId).name, 'tiny');
});
