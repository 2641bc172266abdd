import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import {
  pullFromRemote,
  pushToRemote,
  SOURCE_RUN_TAG,
  type TransferProgress,
} from '../../../src/core/tracking/remote';
import { startServer } from '../../helpers/server';
import { openTempStore } from '../../helpers/tempStore';
import { clientFor, runContent, startProxy, localAndRemote } from './helpers';
import { seedStore, writeArtifacts } from './seed';

type Remote = Awaited<ReturnType<typeof startServer>>;

async function setUp(t: { after(fn: () => unknown): void }) {
  const parts = await localAndRemote(t);
  return { ...parts, seeded: seedStore(parts.local) };
}

/** Every remote run, by the local run it is a copy of. */
function copies(remote: Remote): Map<string, string> {
  const byLocal = new Map<string, string>();
  for (const experiment of remote.store.searchExperiments().items) {
    const runs = remote.store.searchRuns({
      experimentIds: [experiment.experimentId],
      viewType: 'ALL',
    });
    for (const run of runs.items) {
      const source = run.data.tags.find((t) => t.key === SOURCE_RUN_TAG)?.value ?? run.info.runId;
      assert.ok(!byLocal.has(source), `two remote runs are copies of ${source}`);
      byLocal.set(source, run.info.runId);
    }
  }
  return byLocal;
}

/** A run's content with its parent named by the run on the other side. */
function contentWithParent(store: RunStore, runId: string, parents: Map<string, string>) {
  const content = runContent(store, runId);
  content.tags = content.tags.map((tag) =>
    tag.key === 'mlflow.parentRunId' ? { ...tag, value: parents.get(tag.value) ?? tag.value } : tag,
  );
  return content;
}

test('a push copies runs whole, and a second push creates and sends nothing', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);
  const progress: TransferProgress[] = [];

  const first = await pushToRemote(local, client, {
    models: true,
    onProgress: (p) => progress.push({ ...p }),
  });
  const second = await pushToRemote(local, client, { models: true });

  assert.deepEqual(
    { ...first, warnings: 0 },
    {
      experiments: 2,
      runsCreated: 3,
      runsUpdated: 0,
      runsUnchanged: 0,
      runsSkipped: 0,
      metricPoints: seeded.points + 3 + 10,
      params: 3,
      tags: 2,
      inputs: 1,
      artifacts: 4,
      artifactBytes: 70_000 + 1_000 + 14 + 'flavors:\n  sklearn: {}\n'.length,
      models: 1,
      versions: 2,
      aliases: 2,
      warnings: 0,
    },
  );
  assert.equal(first.warnings, 0);
  assert.deepEqual({ ...second, runsUnchanged: 0 }, { ...first, ...zero(), runsCreated: 0 });
  assert.equal(second.runsUnchanged, 3);
  assert.equal(copies(remote).size, 3);
  assert.equal(
    remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items.length,
    2,
  );
  assert.deepEqual(
    progress.filter((p) => p.phase === 'runs').map((p) => `${p.done}/${p.total} ${p.state ?? ''}`),
    ['0/3 ', '1/3 created', '2/3 created', '3/3 created'],
  );
});

function zero() {
  return {
    experiments: 0,
    runsUpdated: 0,
    metricPoints: 0,
    params: 0,
    tags: 0,
    inputs: 0,
    artifacts: 0,
    artifactBytes: 0,
    models: 0,
    versions: 0,
    aliases: 0,
    warnings: 0,
  };
}

test('the remote copies carry every point, param, tag, input and artifact byte', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);

  await pushToRemote(local, client, { models: true });

  const remoteIds = copies(remote);
  const localIds = new Map([...remoteIds].map(([l, r]) => [r, l]));
  for (const runId of [seeded.baseline, seeded.child, seeded.other]) {
    const copy = remoteIds.get(runId)!;
    assert.deepEqual(
      contentWithParent(remote.store, copy, localIds),
      runContent(local, runId),
      `the copy of ${runId}`,
    );
  }
  const loss = runContent(remote.store, remoteIds.get(seeded.baseline)!).metrics.loss;
  assert.equal(loss.length, 5000);
});

test('versions point at the pushed runs, and aliases at the versions', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);

  await pushToRemote(local, client, { models: true });

  const remoteIds = copies(remote);
  const baselineCopy = remote.store.getRun(remoteIds.get(seeded.baseline)!);
  const model = remote.store.getRegisteredModel('house-price');
  const [v1, v2] = ['1', '2'].map((v) => remote.store.getModelVersion('house-price', v));
  assert.equal(model.description, 'predicts prices');
  assert.deepEqual(model.tags, [{ key: 'owner', value: 'ml' }]);
  assert.deepEqual(model.aliases, [
    { alias: 'challenger', version: '2' },
    { alias: 'champion', version: '1' },
  ]);
  assert.equal(v1.runId, baselineCopy.info.runId);
  assert.equal(v1.source, `${baselineCopy.info.artifactUri}/model`);
  assert.equal(v1.description, 'the first');
  assert.deepEqual(v1.tags, [
    { key: 'modelfactory.source_version', value: '1' },
    { key: 'validated', value: 'yes' },
  ]);
  assert.equal(v2.source, `runs:/${remoteIds.get(seeded.child)}/model`);
});

test('pulling into a fresh store gives back every field of the original runs and registry', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);
  const fresh = await openTempStore();
  t.after(fresh.dispose);
  await pushToRemote(local, client, { models: true });

  const summary = await pullFromRemote(fresh.store, client, { models: true });

  const remoteIds = copies(remote);
  const localIds = new Map([...remoteIds].map(([l, r]) => [r, l]));
  assert.equal(summary.runsCreated, 3);
  assert.equal(summary.metricPoints, seeded.points + 13);
  for (const runId of [seeded.baseline, seeded.child, seeded.other]) {
    const pulled = remoteIds.get(runId)!;
    assert.deepEqual(contentWithParent(fresh.store, pulled, localIds), runContent(local, runId));
  }
  const experiment = fresh.store.getExperimentByName('houses');
  assert.deepEqual(experiment.tags, [{ key: 'team', value: 'ml' }]);
  const registry = (store: RunStore) => {
    const { name, description, tags, aliases } = store.getRegisteredModel('house-price');
    const versions = ['1', '2'].map((v) => {
      const version = store.getModelVersion('house-price', v);
      return {
        description: version.description,
        tags: version.tags.filter((tag) => !tag.key.startsWith('modelfactory.')),
        aliases: version.aliases,
        run: store.getRun(version.runId).info.runName,
        source: version.source
          .replace(version.runId, '<run>')
          .replace(/^mlflow-artifacts:\/\d+/, ''),
      };
    });
    return { name, description, tags, aliases, versions };
  };
  assert.deepEqual(registry(fresh.store), registry(local));
});

test('pulling into the store the runs were pushed from changes nothing', async (t) => {
  const { local, client } = await setUp(t);
  await pushToRemote(local, client, { models: true });

  const summary = await pullFromRemote(local, client, { models: true });

  assert.deepEqual(summary, {
    ...zero(),
    runsCreated: 0,
    runsUnchanged: 3,
    runsSkipped: 0,
  });
  assert.equal(local.searchModelVersions({ filter: "name = 'house-price'" }).items.length, 2);
});

test('a push after more work sends only the new points, tags, files and status', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);
  await pushToRemote(local, client);
  const { runId } = local.createRun({ experimentId: seeded.experimentId, runName: 'late' }).info;
  await pushToRemote(local, client, { runId });
  for (const start of [0, 1000]) {
    local.logBatch(runId, {
      metrics: Array.from({ length: 500 + start / 2 }, (_, i) => ({
        key: 'loss',
        value: i,
        timestamp: start + i,
        step: start + i,
      })),
    });
  }
  local.setTag(runId, { key: 'stage', value: 'tuned' });
  writeArtifacts(local, runId, { 'late.txt': Buffer.from('later') });
  local.updateRun(runId, { status: 'FINISHED', endTime: 5 });

  const summary = await pushToRemote(local, client);

  const copy = remote.store.getRun(copies(remote).get(runId)!);
  assert.equal(summary.runsUpdated, 1);
  assert.equal(summary.runsUnchanged, 3);
  assert.equal(summary.metricPoints, 1500);
  assert.equal(summary.tags, 1);
  assert.equal(summary.artifacts, 1);
  assert.equal(copy.info.status, 'FINISHED');
  assert.equal(copy.info.endTime, 5);
  assert.equal(runContent(remote.store, copy.info.runId).metrics.loss.length, 1500);
});

test('a run pulled from the remote is pushed back into the same remote run', async (t) => {
  const { local, remote, client } = await setUp(t);
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'theirs' }).info;
  remote.store.logMetric(runId, { key: 'acc', value: 0.5, timestamp: 1, step: 0 });
  await pullFromRemote(local, client, { runId });
  local.logMetric(runId, { key: 'acc', value: 0.7, timestamp: 2, step: 1 });

  const summary = await pushToRemote(local, client, { runId });

  assert.equal(summary.runsUpdated, 1);
  assert.equal(summary.metricPoints, 1);
  assert.equal(remote.store.searchRuns({ experimentIds: ['0'] }).items.length, 1);
  assert.equal(runContent(remote.store, runId).metrics.acc.length, 2);
  assert.equal(
    remote.store.getRun(runId).data.tags.some((t) => t.key === SOURCE_RUN_TAG),
    false,
  );
});

test('--run and --experiment narrow the push, and unknown ones fail before anything is sent', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);

  const one = await pushToRemote(local, client, { runId: seeded.other, models: true });
  const prices = await pushToRemote(local, client, { experiment: 'houses', models: true });

  assert.equal(one.runsCreated, 1);
  assert.equal(one.versions, 0);
  assert.equal(prices.runsCreated, 2);
  assert.equal(prices.versions, 2);
  await assert.rejects(pushToRemote(local, client, { experiment: 'nope' }), /nope/);
  await assert.rejects(pushToRemote(local, client, { runId: 'f'.repeat(32) }), /not found/);
  await assert.rejects(
    pushToRemote(local, client, { runId: seeded.other, experiment: 'houses' }),
    /is in the experiment 'prices', not 'houses'/,
  );
  assert.equal(copies(remote).size, 3);
});

test('a copy deleted on the remote is left alone, with a warning, not pushed again', async (t) => {
  const { local, remote, client, seeded } = await setUp(t);
  await pushToRemote(local, client, { runId: seeded.other });
  remote.store.deleteRun(copies(remote).get(seeded.other)!);
  const warnings: string[] = [];
  const logger = {
    trace() {},
    debug() {},
    info() {},
    error() {},
    warn: (m: string) => warnings.push(m),
  };

  const summary = await pushToRemote(local, client, { runId: seeded.other, logger });

  assert.equal(summary.runsSkipped, 1);
  assert.equal(summary.warnings, 1);
  assert.match(warnings[0], /is deleted on http:\/\/127\.0\.0\.1:\d+; left alone/);
  assert.equal(copies(remote).size, 1);
});

test('a run too large for one batch goes in several, each within the count and size limits', async (t) => {
  const local = await openTempStore();
  const remote = await startServer();
  const proxy = await startProxy(remote.base, () => 'pass');
  const client = clientFor(proxy.url);
  t.after(async () => {
    client.close();
    await proxy.close();
    await remote.stop();
    await local.dispose();
  });
  const { runId } = local.store.createRun({ experimentId: '0', runName: 'wide' }).info;
  const long = (i: number) => `${i}`.padEnd(5000, 'x');
  for (let start = 0; start < 250; start += 50) {
    local.store.logBatch(runId, {
      params: Array.from({ length: 50 }, (_, i) => ({ key: `p${start + i}`, value: long(i) })),
      tags: Array.from({ length: 50 }, (_, i) => ({ key: `t${start + i}`, value: long(i) })),
    });
  }

  const summary = await pushToRemote(local.store, client, { runId });

  const batches = proxy.seen.filter((r) => r.url.endsWith('/runs/log-batch'));
  const copy = remote.store.getRun(copies(remote).get(runId)!);
  assert.equal(summary.params, 250);
  assert.equal(copy.data.params.length, 250);
  assert.equal(copy.data.tags.filter((tag) => tag.key.startsWith('t')).length, 250);
  for (const batch of batches) {
    const body = JSON.parse(batch.body);
    assert.ok(Buffer.byteLength(batch.body) < 1024 * 1024, 'a batch over 1 MB');
    assert.ok(body.params.length <= 100 && body.tags.length <= 100);
  }
  assert.ok(batches.length >= 6, `${batches.length} batches`);
});
