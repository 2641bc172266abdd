import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { runExists } from '../../../src/core/tracking/import/runs';
import {
  pullFromRemote,
  pushToRemote,
  SOURCE_RUN_TAG,
  TransferError,
} from '../../../src/core/tracking/remote';
import { startServer } from '../../helpers/server';
import { openTempStore } from '../../helpers/tempStore';
import { clientFor, runContent, startProxy, type Fault, type Recorded } from './helpers';
import { seedStore } from './seed';

const isMetricBatch = (r: Recorded) =>
  r.url.endsWith('/runs/log-batch') && r.body.includes('"metrics":[{');

/** A seeded local store, a real remote, and a proxy in front of it that `decide` drives. */
async function setUp(
  t: { after(fn: () => unknown): void },
  decide: (request: Recorded, index: number) => Fault,
) {
  const local = await openTempStore();
  const remote = await startServer();
  const proxy = await startProxy(remote.base, decide);
  const client = clientFor(proxy.url, { retries: 2 });
  t.after(async () => {
    client.close();
    await proxy.close();
    await remote.stop();
    await local.dispose();
  });
  return { local: local.store, remote, proxy, client, seeded: seedStore(local.store) };
}

async function transferError(work: Promise<unknown>): Promise<TransferError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof TransferError, `expected a TransferError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the transfer to fail');
}

function remoteRuns(remote: Awaited<ReturnType<typeof startServer>>) {
  return remote.store
    .searchExperiments()
    .items.flatMap(
      (e) => remote.store.searchRuns({ experimentIds: [e.experimentId], viewType: 'ALL' }).items,
    );
}

test('a server that fails halfway stops the push with what was pushed, and a rerun finishes it', async (t) => {
  let metricBatches = 0;
  let down = true;
  const { local, remote, client, seeded } = await setUp(t, (request) => {
    if (isMetricBatch(request)) metricBatches += 1;
    return down && isMetricBatch(request) && metricBatches > 2 ? '503' : 'pass';
  });

  const error = await transferError(pushToRemote(local, client));
  down = false;
  const halfway = remoteRuns(remote);
  const second = await pushToRemote(local, client);

  assert.equal(error.runId, seeded.baseline);
  assert.equal(error.summary.metricPoints, 2000);
  assert.match(error.message, /^push stopped at run \w{32}: .* 503 Service Unavailable/);
  const partial = halfway.find((r) => r.info.runName === 'baseline')!;
  assert.equal(partial.info.status, 'RUNNING', 'a copy pushed part-way is still RUNNING');
  assert.ok(
    !halfway.some((r) => r.info.runName === 'fold-1'),
    'the push went on after the failure',
  );
  assert.equal(second.metricPoints, seeded.points + 13 - 2000);
  assert.deepEqual(
    [second.runsCreated, second.runsUpdated, second.runsUnchanged],
    [1, 1, 1],
    'the child is created, the baseline finished, the other run left as it was',
  );
  const runs = remoteRuns(remote);
  assert.equal(runs.length, 3);
  const copy = runs.find((r) => r.data.tags.some((tag) => tag.value === seeded.baseline))!;
  assert.equal(copy.info.status, 'FINISHED');
  assert.equal(runContent(remote.store, copy.info.runId).metrics.loss.length, seeded.points);
});

test('connections dropped after the server acted create no second run and resend no point', async (t) => {
  const dropped = new Set<string>();
  const { local, remote, proxy, client, seeded } = await setUp(t, (request) => {
    const kind = request.url.endsWith('/runs/create')
      ? 'create'
      : isMetricBatch(request)
        ? 'metrics'
        : undefined;
    if (!kind || dropped.has(kind)) return 'pass';
    dropped.add(kind);
    return 'drop-after';
  });

  const summary = await pushToRemote(local, client);

  const runs = remoteRuns(remote);
  const sent = proxy.seen
    .filter((r) => r.fault === 'pass' && isMetricBatch(r))
    .reduce((total, r) => total + JSON.parse(r.body).metrics.length, 0);
  const droppedBatch = proxy.seen.find((r) => r.fault === 'drop-after' && isMetricBatch(r))!;
  assert.deepEqual([...dropped].sort(), ['create', 'metrics']);
  assert.equal(runs.length, 3);
  assert.equal(
    new Set(runs.map((r) => r.data.tags.find((x) => x.key === SOURCE_RUN_TAG)?.value)).size,
    3,
  );
  assert.equal(summary.metricPoints, seeded.points + 13);
  assert.equal(sent + JSON.parse(droppedBatch.body).metrics.length, seeded.points + 13);
  assert.ok(proxy.seen.some((r) => r.url.includes('/metrics/get-history')));
});

test('a push through a server that answers every third request with 503 completes whole', async (t) => {
  const { local, remote, client, seeded } = await setUp(t, (_request, index) =>
    index % 3 === 2 ? '503' : 'pass',
  );

  await pushToRemote(local, client, { models: true });

  const runs = remoteRuns(remote);
  assert.equal(runs.length, 3);
  for (const runId of [seeded.baseline, seeded.child, seeded.other]) {
    const copy = runs.find((r) => r.data.tags.some((tag) => tag.value === runId))!;
    const { tags: _ours, ...local_ } = runContent(local, runId);
    const { tags: _theirs, ...copied } = runContent(remote.store, copy.info.runId);
    assert.deepEqual(copied, local_);
  }
  assert.equal(
    remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items.length,
    2,
  );
});

test('a cancelled push stops between requests and the next push completes it', async (t) => {
  const abort = new AbortController();
  const { local, remote, client } = await setUp(t, () => 'pass');

  const error = await transferError(
    pushToRemote(local, client, {
      signal: abort.signal,
      onProgress: (progress) => progress.done === 1 && abort.abort(),
    }),
  );
  const after = remoteRuns(remote).length;
  const summary = await pushToRemote(local, client);

  assert.equal(error.aborted, true);
  assert.match(error.message, /cancelled$/);
  assert.equal(error.summary.runsCreated, 1);
  assert.ok(after >= 1 && after <= 2);
  assert.equal(summary.runsCreated + summary.runsUpdated + summary.runsUnchanged, 3);
  assert.equal(remoteRuns(remote).length, 3);
});

test('a pull that fails halfway leaves no run half-written, and pulling again completes', async (t) => {
  let broken = true;
  const { local, remote, client, seeded } = await setUp(t, (request) =>
    broken && request.method === 'GET' && request.url.endsWith('/model/weights.bin')
      ? 'drop-before'
      : 'pass',
  );
  await pushToRemote(local, client);
  const fresh = await openTempStore();
  t.after(fresh.dispose);
  const baselineCopy = remoteRuns(remote).find((r) =>
    r.data.tags.some((tag) => tag.value === seeded.baseline),
  )!.info.runId;

  const error = await transferError(pullFromRemote(fresh.store, client));
  const leftovers = fs.readdirSync(fresh.dir).filter((name) => name.startsWith('.mf-pull-'));
  const halfway = runExists(fresh.store.db, baselineCopy);
  broken = false;
  const summary = await pullFromRemote(fresh.store, client);

  assert.match(error.message, /^pull stopped at run \w{32}: .*closed the connection/);
  assert.equal(halfway, false);
  assert.deepEqual(leftovers, []);
  assert.equal(error.summary.runsCreated + summary.runsCreated, 3);
  const { tags: _pulled, ...pulled } = runContent(fresh.store, baselineCopy);
  const { tags: _original, ...original } = runContent(local, seeded.baseline);
  assert.deepEqual(pulled, original);
});
