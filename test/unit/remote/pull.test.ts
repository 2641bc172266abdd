import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../src/core/log';
import {
  pullFromRemote,
  pushToRemote,
  SOURCE_VERSION_TAG,
  TransferError,
} from '../../../src/core/tracking/remote';
import { startServer } from '../../helpers/server';
import { artifactDigests, runContent, localAndRemote } from './helpers';
import { writeArtifacts } from './seed';

const setUp = localAndRemote;

function warnings(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const quiet = () => undefined;
  return {
    lines,
    trace: quiet,
    debug: quiet,
    info: quiet,
    error: quiet,
    warn: (m) => lines.push(m),
  };
}

/** A team's run on the remote: metrics, a param, an artifact, and a run nested in it. */
function teamRuns(store: Awaited<ReturnType<typeof startServer>>['store']) {
  const experimentId = store.createExperiment('team');
  const parent = store.createRun({ experimentId, runName: 'sweep', startTime: 1 }).info.runId;
  store.logBatch(parent, {
    params: [{ key: 'lr', value: '0.1' }],
    metrics: [0, 1, 2].map((step) => ({ key: 'loss', value: 3 - step, timestamp: step, step })),
  });
  writeArtifacts(store, parent, { 'plots/loss.png': Buffer.from([137, 80, 78, 71]) });
  const child = store.createRun({
    experimentId,
    runName: 'trial',
    startTime: 2,
    tags: [{ key: 'mlflow.parentRunId', value: parent }],
  }).info.runId;
  store.createExperiment('elsewhere');
  return { experimentId, parent, child };
}

test('a remote run keeps its id locally, and a second pull adds only what is new', async (t) => {
  const { local, remote, client } = await setUp(t);
  const { parent, child } = teamRuns(remote.store);

  const first = await pullFromRemote(local, client, { experiment: 'team' });
  remote.store.logBatch(parent, {
    metrics: [{ key: 'loss', value: 0.5, timestamp: 9, step: 3 }],
    tags: [{ key: 'reviewed', value: 'yes' }],
  });
  writeArtifacts(remote.store, parent, { 'plots/acc.png': Buffer.from([1, 2]) });
  remote.store.updateRun(parent, { status: 'FINISHED', endTime: 50 });
  const second = await pullFromRemote(local, client, { experiment: 'team' });

  assert.equal(first.runsCreated, 2);
  assert.equal(first.experiments, 1);
  assert.throws(() => local.getExperimentByName('elsewhere'), /elsewhere/);
  assert.equal(
    local.getRun(child).data.tags.find((t) => t.key === 'mlflow.parentRunId')?.value,
    parent,
  );
  assert.deepEqual(
    { created: second.runsCreated, updated: second.runsUpdated, unchanged: second.runsUnchanged },
    { created: 0, updated: 1, unchanged: 1 },
  );
  assert.deepEqual([second.metricPoints, second.tags, second.artifacts], [1, 1, 1]);
  assert.deepEqual(runContent(local, parent), runContent(remote.store, parent));
  assert.equal(local.getRun(parent).info.status, 'FINISHED');
  // Pulled histories are summarised for charts as logged ones are (store/tiles.ts).
  const tiled = local.readTiledHistory(parent, 'loss');
  assert.ok(tiled && tiled.total > 1);
  assert.deepEqual(tiled, remote.store.readTiledHistory(parent, 'loss'));
});

test('pull --run takes one run, and names that do not exist are input errors', async (t) => {
  const { local, remote, client } = await setUp(t);
  const { child } = teamRuns(remote.store);

  const summary = await pullFromRemote(local, client, { runId: child });

  assert.equal(summary.runsCreated, 1);
  assert.equal(local.getRun(child).info.runName, 'trial');
  for (const options of [{ runId: 'e'.repeat(32) }, { experiment: 'nope' }]) {
    await assert.rejects(pullFromRemote(local, client, options), (error: Error) => {
      assert.ok(!(error instanceof TransferError));
      assert.match(error.message, /has no (run|experiment)/);
      return true;
    });
  }
});

test('artifacts the remote does not serve are named in a warning, and the run still comes', async (t) => {
  const { local, remote, client } = await setUp(t);
  const experimentId = remote.store.createExperiment('s3', 's3://bucket/mlflow');
  const { runId } = remote.store.createRun({ experimentId, runName: 'far' }).info;
  const logger = warnings();

  const summary = await pullFromRemote(local, client, { runId, logger });

  assert.equal(summary.runsCreated, 1);
  assert.equal(summary.warnings, 1);
  assert.match(
    logger.lines[0],
    /its artifacts at s3:\/\/bucket\/mlflow\/\w+\/artifacts are not served/,
  );
  assert.equal(local.getRun(runId).info.artifactUri, `s3://bucket/mlflow/${runId}/artifacts`);
});

test('a param that differs is kept as it is here, with a warning; a finished run stays finished', async (t) => {
  const { local, remote, client } = await setUp(t);
  const { parent } = teamRuns(remote.store);
  await pullFromRemote(local, client, { runId: parent });
  local.updateRun(parent, { status: 'FINISHED', endTime: 7 });
  // A param changed behind MLflow's back (MLflow itself refuses to change one).
  remote.store.db.write((tx) => tx.run("UPDATE params SET value = '0.2' WHERE key = 'lr'"));
  remote.store.logMetric(parent, { key: 'loss', value: 0, timestamp: 10, step: 10 });
  const logger = warnings();

  await pullFromRemote(local, client, { runId: parent, logger });

  assert.match(logger.lines[0], /param lr is '0.1' here and '0.2' on the remote; kept '0.1'/);
  assert.deepEqual(local.getRun(parent).data.params, [{ key: 'lr', value: '0.1' }]);
  assert.equal(local.getRun(parent).info.status, 'FINISHED');
  assert.equal(runContent(local, parent).metrics.loss.length, 4);
});

test('a version whose number is taken here is renumbered, and found again by pull and push', async (t) => {
  const { local, remote, client } = await setUp(t);
  const { parent } = teamRuns(remote.store);
  remote.store.createRegisteredModel('m');
  remote.store.createModelVersion({ name: 'm', source: `runs:/${parent}/model`, runId: parent });
  remote.store.setAlias('m', 'prod', '1');
  const own = local.createRun({ experimentId: '0' }).info.runId;
  local.createRegisteredModel('m');
  local.createModelVersion({ name: 'm', source: `runs:/${own}/model`, runId: own });

  const first = await pullFromRemote(local, client, { models: true });
  const second = await pullFromRemote(local, client, { models: true });
  const pushed = await pushToRemote(local, client, { experiment: 'team', models: true });

  const copy = local.getModelVersion('m', '2');
  assert.equal(first.versions, 1);
  assert.equal(copy.runId, parent);
  assert.equal(copy.source, `runs:/${parent}/model`);
  assert.deepEqual(copy.tags, [{ key: SOURCE_VERSION_TAG, value: '1' }]);
  assert.deepEqual(local.getRegisteredModel('m').aliases, [{ alias: 'prod', version: '2' }]);
  assert.equal(second.versions, 0);
  assert.equal(pushed.versions, 0);
  assert.equal(remote.store.searchModelVersions({ filter: "name = 'm'" }).items.length, 1);
  assert.deepEqual(
    artifactDigests(local, local.getRun(parent).info.artifactUri),
    artifactDigests(remote.store, remote.store.getRun(parent).info.artifactUri),
  );
});
