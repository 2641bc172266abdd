import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  LaunchRecordError,
  runRecorded,
  type RecordedOptions,
} from '../../../src/core/projects/launch';
import { planLaunch } from '../../../src/core/projects/launchPlan';
import { spawnRunner } from '../../../src/core/projects/launchProcess';
import { LAUNCH_ID_TAG, logBatches, remoteRecorder } from '../../../src/core/projects/launchRemote';
import type { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts/listing';
import { TrackingServer } from '../../../src/core/tracking/server';
import { startServer, TOKEN } from '../../helpers/server';
import { openTempStore, recordingLogger, tempDir } from '../../helpers/tempStore';
import { startProxy } from '../remote/helpers';
import { fakeRunner, scriptPlan } from './fakes';

/**
 * Launches recorded on a remote MLflow server through remoteRecorder: a real tracking server on
 * 127.0.0.1 stands in for the remote, and real python3 processes log into it.
 */
const root = path.join(__dirname, '../../..');
const quick = { retries: 2, retryDelayMs: 5 };

function baseOptions(extra: Partial<RecordedOptions> = {}): RecordedOptions {
  return {
    pythonModuleDir: path.join(root, 'media/python'),
    baseEnv: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    ...extra,
  };
}

function workDir(t: { after(fn: () => unknown): void }): string {
  const work = tempDir('mf-launch-remote-');
  t.after(work.remove);
  return work.dir;
}

function stdoutOf(store: RunStore, runId: string): string {
  const location = runArtifactLocation(store.artifactsDir, store.getRun(runId).info.artifactUri);
  return readFileSync(path.join(location.root, ...location.segments, 'stdout.txt'), 'utf8');
}

const byKey = (items: Array<{ key: string; value: string }>) =>
  Object.fromEntries(items.map((item) => [item.key, item.value]));

test('a python3 script logs into a run made for it on the remote, which ends FINISHED', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const dir = workDir(t);
  writeFileSync(
    path.join(dir, 'train.py'),
    [
      'import model_factory as mlflow',
      'for step in range(3):',
      '    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)',
      'print("trained")',
    ].join('\n'),
  );
  const plan = planLaunch({
    kind: 'train',
    python: 'python3',
    scriptPath: path.join(dir, 'train.py'),
    values: { epochs: '3' },
  });
  const recorder = remoteRecorder({ url: remote.base, token: TOKEN }, quick);
  t.after(() => recorder.close());

  const outcome = await runRecorded(recorder, plan, spawnRunner, {
    ...baseOptions(),
    experiment: 'made-for-the-launch',
  });

  assert.equal(outcome.status, 'FINISHED', stdoutOf(remote.store, outcome.runId));
  assert.equal(outcome.trackingServer, remote.base);
  const experiment = remote.store.getExperimentByName('made-for-the-launch');
  assert.equal(outcome.experimentId, experiment.experimentId);
  const run = remote.store.getRun(outcome.runId);
  assert.equal(run.info.status, 'FINISHED');
  assert.ok(run.info.endTime! >= run.info.startTime!);
  assert.deepEqual(byKey(run.data.params), { epochs: '3' });
  const tags = byKey(run.data.tags);
  assert.equal(tags['mlflow.source.name'], path.join(dir, 'train.py'));
  assert.equal(tags['model_factory.kind'], 'train');
  assert.match(tags[LAUNCH_ID_TAG], /^[0-9a-f]{32}$/);
  const history = remote.store.getMetricHistory({ runId: outcome.runId, metricKey: 'loss' });
  assert.deepEqual(
    history.items.map((point) => [point.step, point.value]),
    [
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ],
  );
  assert.equal(stdoutOf(remote.store, outcome.runId), 'trained\n');
});

test("params and tags beyond MLflow's batch limits arrive whole, in requests within them", async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const proxy = await startProxy(remote.base, () => 'pass');
  t.after(proxy.close);
  const dir = workDir(t);
  const params = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, `v${i}`]));
  const extraTags = Array.from({ length: 150 }, (_, i) => ({ key: `t${i}`, value: `w${i}` }));
  const recorder = remoteRecorder({ url: proxy.url, token: TOKEN }, quick);
  t.after(() => recorder.close());

  const outcome = await runRecorded(
    recorder,
    scriptPlan(dir, { params }),
    fakeRunner(() => ({ code: 0 })).runner,
    baseOptions({ extraTags }),
  );

  const run = remote.store.getRun(outcome.runId);
  assert.equal(run.data.params.length, 250);
  assert.deepEqual(byKey(run.data.params), params);
  const tags = byKey(run.data.tags);
  for (const tag of extraTags) assert.equal(tags[tag.key], tag.value);
  const writes = proxy.seen.filter((r) => /runs\/(create|log-batch)$/.test(r.url));
  assert.ok(writes.length >= 4, `${writes.length} writes`);
  for (const request of writes) {
    const body = JSON.parse(request.body) as { params?: unknown[]; tags?: unknown[] };
    assert.ok((body.params ?? []).length <= 100, `${request.url} sent too many params`);
    assert.ok((body.tags ?? []).length <= 100, `${request.url} sent too many tags`);
  }
});

test('log batches split at 100 params, 100 tags and well under a megabyte', () => {
  const long = 'x'.repeat(6000);
  const params = Array.from({ length: 230 }, (_, i) => ({ key: `p${i}`, value: long }));
  const tags = Array.from({ length: 120 }, (_, i) => ({ key: `t${i}`, value: 'v' }));

  const batches = logBatches(params, tags);

  const sizes = batches.map((b) => JSON.stringify(b).length);
  assert.ok(Math.max(...sizes) < 1_000_000, `a batch of ${Math.max(...sizes)} bytes`);
  assert.ok(batches.every((b) => (b.params ?? []).length <= 100 && (b.tags ?? []).length <= 100));
  assert.equal(batches.flatMap((b) => b.params ?? []).length, 230);
  assert.deepEqual(
    batches.flatMap((b) => b.tags ?? []),
    tags,
  );
  assert.deepEqual(logBatches([], []), []);
});

test("credentials reach the child's environment only: not its argv, not the log", async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  // A server without a token check, so basic authentication is let through.
  const server = await TrackingServer.start(temp.store, { version: 'test' });
  t.after(() => server.stop());
  const dir = workDir(t);
  const caFile = path.join(root, 'test/unit/remote/tls/ca.pem');
  const withUser = server.url.replace('http://', 'http://ada:pw-secret-42@');
  const recorder = remoteRecorder({ url: withUser, caFile }, quick);
  t.after(() => recorder.close());
  const fake = fakeRunner(() => ({ code: 0 }));
  const logger = recordingLogger();
  const stale = {
    MLFLOW_TRACKING_TOKEN: 'stale-token',
    MLFLOW_TRACKING_URI: 'http://elsewhere:5000',
    PATH: process.env.PATH,
  };

  const outcome = await runRecorded(recorder, scriptPlan(dir), fake.runner, {
    ...baseOptions({ baseEnv: stale }),
    logger,
  });

  const { env, argv } = fake.started[0];
  assert.equal(env.MLFLOW_TRACKING_URI, server.url);
  assert.equal(env.MLFLOW_TRACKING_USERNAME, 'ada');
  assert.equal(env.MLFLOW_TRACKING_PASSWORD, 'pw-secret-42');
  assert.equal(env.MLFLOW_TRACKING_SERVER_CERT_PATH, caFile);
  assert.equal(env.MLFLOW_TRACKING_TOKEN, undefined, 'a stale token must not outrank the user');
  assert.equal(env.MLFLOW_RUN_ID, outcome.runId);
  assert.ok(!argv.join(' ').includes('pw-secret-42'));
  assert.ok(logger.lines.some((line) => line.includes(`on ${server.url}`)));
  assert.ok(!logger.lines.join('\n').includes('pw-secret-42'), 'the password was logged');
  assert.equal(temp.store.getRun(outcome.runId).info.status, 'FINISHED');
});

test('a token goes to the child as MLFLOW_TRACKING_TOKEN, with no user name or password', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const recorder = remoteRecorder({ url: remote.base, token: TOKEN }, quick);
  t.after(() => recorder.close());
  const fake = fakeRunner(() => ({ code: 0 }));
  const inherited = { MLFLOW_TRACKING_USERNAME: 'someone', MLFLOW_TRACKING_PASSWORD: 'old' };

  await runRecorded(recorder, scriptPlan(workDir(t)), fake.runner, {
    ...baseOptions({ baseEnv: inherited }),
  });

  const { env } = fake.started[0];
  assert.equal(env.MLFLOW_TRACKING_TOKEN, TOKEN);
  assert.equal(env.MLFLOW_TRACKING_USERNAME, undefined);
  assert.equal(env.MLFLOW_TRACKING_PASSWORD, undefined);
  assert.equal(env.MLFLOW_TRACKING_SERVER_CERT_PATH, undefined);
});

test('an existing experiment is reused, and a deleted one is refused before anything starts', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const kept = remote.store.createExperiment('kept');
  remote.store.deleteExperiment(remote.store.createExperiment('gone'));
  const recorder = remoteRecorder({ url: remote.base, token: TOKEN }, quick);
  t.after(() => recorder.close());
  const dir = workDir(t);
  const fake = fakeRunner(() => ({ code: 0 }));

  const outcome = await runRecorded(recorder, scriptPlan(dir), fake.runner, {
    ...baseOptions({ experiment: 'kept' }),
  });
  const refused = runRecorded(recorder, scriptPlan(dir), fake.runner, {
    ...baseOptions({ experiment: 'gone' }),
  });

  assert.equal(outcome.experimentId, kept);
  await assert.rejects(refused, /the experiment 'gone' is deleted on http:\/\/127\.0\.0\.1:\d+/);
  assert.equal(fake.started.length, 1, 'the refused launch started a process');
});

test('a runs/create whose answer is lost is found by its launch id, not made twice', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  let creates = 0;
  const proxy = await startProxy(remote.base, (request) =>
    request.url.endsWith('/runs/create') && creates++ === 0 ? 'drop-after' : 'pass',
  );
  t.after(proxy.close);
  const recorder = remoteRecorder({ url: proxy.url, token: TOKEN }, quick);
  t.after(() => recorder.close());

  const outcome = await runRecorded(
    recorder,
    scriptPlan(workDir(t)),
    fakeRunner(() => ({ code: 0 })).runner,
    baseOptions({ experiment: 'lossy' }),
  );

  const experimentId = remote.store.getExperimentByName('lossy').experimentId;
  const runs = remote.store.searchRuns({ experimentIds: [experimentId] }).items;
  assert.equal(creates, 1, 'runs/create was sent again');
  assert.deepEqual(
    runs.map((run) => [run.info.runId, run.info.status]),
    [[outcome.runId, 'FINISHED']],
  );
});

test('a stopped python3 process leaves a KILLED run on the remote with its output', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const dir = workDir(t);
  writeFileSync(
    path.join(dir, 'slow.py'),
    'import time\nprint("ready", flush=True)\ntime.sleep(60)\n',
  );
  const plan = planLaunch({ kind: 'train', python: 'python3', scriptPath: `${dir}/slow.py` });
  const recorder = remoteRecorder({ url: remote.base, token: TOKEN }, quick);
  t.after(() => recorder.close());
  const abort = new AbortController();
  // Unbuffered, print writes the text and its newline separately: stop once the line is whole.
  let output = '';

  const outcome = await runRecorded(recorder, plan, spawnRunner, {
    ...baseOptions(),
    signal: abort.signal,
    onOutput: (text) => {
      output += text;
      if (output.includes('ready\n')) abort.abort();
    },
  });

  assert.equal(outcome.status, 'KILLED');
  assert.equal(remote.store.getRun(outcome.runId).info.status, 'KILLED');
  assert.equal(stdoutOf(remote.store, outcome.runId), 'ready\n');
});

test('a server that refuses the end of the run: the error says the run stays RUNNING there', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const proxy = await startProxy(remote.base, (request) =>
    request.url.includes('/runs/get') ? 'reject' : 'pass',
  );
  t.after(proxy.close);
  const recorder = remoteRecorder({ url: proxy.url, token: TOKEN }, quick);
  t.after(() => recorder.close());

  const launch = runRecorded(
    recorder,
    scriptPlan(workDir(t)),
    fakeRunner(() => ({ code: 0 })).runner,
    baseOptions(),
  );

  await assert.rejects(launch, (error: Error) => {
    assert.ok(error instanceof LaunchRecordError);
    assert.match(
      error.message,
      /^the process exited with code 0, but the end of run \w{32} could not be recorded on http:\/\/127\.0\.0\.1:\d+, where it stays RUNNING: .*quota exceeded/,
    );
    return true;
  });
});

test('a run whose artifacts the server does not proxy still ends, with a warning', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const elsewhere = tempDir('mf-launch-elsewhere-');
  t.after(elsewhere.remove);
  remote.store.createExperiment('on-disk', `file://${elsewhere.dir}`);
  const recorder = remoteRecorder({ url: remote.base, token: TOKEN }, quick);
  t.after(() => recorder.close());
  const logger = recordingLogger();

  const outcome = await runRecorded(
    recorder,
    scriptPlan(workDir(t)),
    fakeRunner((_spec, write) => {
      write('some output\n');
      return { code: 0 };
    }).runner,
    { ...baseOptions({ experiment: 'on-disk' }), logger },
  );

  assert.equal(remote.store.getRun(outcome.runId).info.status, 'FINISHED');
  const warning = logger.lines.find((line) => line.startsWith('warn:'));
  assert.match(
    warning ?? '',
    /was not kept: the run's artifacts live at file:\/\/.*artifact proxy/,
  );
  assert.equal(existsSync(path.join(elsewhere.dir, outcome.runId)), false);
});
