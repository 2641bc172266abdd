import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts/listing';
import { modelFactory } from '../../helpers/cli';
import { startServer, TOKEN } from '../../helpers/server';
import { tempDir } from '../../helpers/tempStore';
import { startProxy } from '../remote/helpers';

/**
 * `model-factory run --to URL` from the built dist/cli.js, as a CI job would call it: a real
 * tracking server on 127.0.0.1 is the remote, a real python3 script logs into the run made for
 * it there, and no local store is opened.
 */
const MLPROJECT = `name: tiny
entry_points:
  main:
    parameters:
      epochs: {type: float, default: 4}
      lr: {type: float, default: 0.1}
    command: "python train.py --epochs {epochs} --lr {lr}"
  crash:
    command: "python crash.py"
`;

const TRAIN = `import os, sys
import model_factory as mlflow
epochs = int(float(sys.argv[sys.argv.index("--epochs") + 1]))
for step in range(epochs):
    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
print("uri", os.environ["MLFLOW_TRACKING_URI"])
print("token given", bool(os.environ.get("MLFLOW_TRACKING_TOKEN")))
print("done")
`;

const CRASH = `print("about to fail")
raise SystemExit(3)
`;

/** A project folder that is also the current folder, so a stray store would land in it. */
function project(t: { after(fn: () => unknown): void }) {
  const work = tempDir('mf-run-to-');
  t.after(work.remove);
  writeFileSync(path.join(work.dir, 'MLproject'), MLPROJECT);
  writeFileSync(path.join(work.dir, 'train.py'), TRAIN);
  writeFileSync(path.join(work.dir, 'crash.py'), CRASH);
  return work.dir;
}

const environment = (extra: NodeJS.ProcessEnv = {}) => {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...extra };
  for (const name of ['MLFLOW_TRACKING_URI', 'MLFLOW_RUN_ID', 'MLFLOW_EXPERIMENT_NAME']) {
    delete env[name];
  }
  if (!('MLFLOW_TRACKING_TOKEN' in extra)) delete env.MLFLOW_TRACKING_TOKEN;
  return env;
};

function stdoutArtifact(store: RunStore, runId: string): string {
  const location = runArtifactLocation(store.artifactsDir, store.getRun(runId).info.artifactUri);
  return readFileSync(path.join(location.root, ...location.segments, 'stdout.txt'), 'utf8');
}

const byKey = (items: Array<{ key: string; value: string }>) =>
  Object.fromEntries(items.map((item) => [item.key, item.value]));

test('run --to URL --token T records the whole run on the server, and no store here', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const proxy = await startProxy(remote.base, () => 'pass');
  t.after(proxy.close);
  const dir = project(t);

  const result = await modelFactory(
    ['run', '--to', proxy.url, '--token', TOKEN, '--run-id-file', 'id.txt'],
    { cwd: dir, env: environment() },
  );

  assert.equal(result.code, 0, result.stderr);
  const runId = readFileSync(path.join(dir, 'id.txt'), 'utf8').trim();
  assert.match(result.stderr, new RegExp(`run ${runId} in experiment tiny on ${proxy.url}\\n`));
  assert.match(result.stderr, new RegExp(`; run ${runId} is FINISHED on ${proxy.url}\\.\\n$`));
  assert.equal(result.stdout, `uri ${proxy.url}\ntoken given True\ndone\n`);
  const run = remote.store.getRun(runId);
  assert.equal(run.info.experimentId, remote.store.getExperimentByName('tiny').experimentId);
  assert.equal(run.info.status, 'FINISHED');
  assert.ok(run.info.endTime! >= run.info.startTime!);
  assert.deepEqual(byKey(run.data.params), { epochs: '4', lr: '0.1' });
  const tags = byKey(run.data.tags);
  assert.equal(tags['mlflow.source.name'], path.join(dir, 'MLproject'));
  assert.equal(tags['mlflow.project.entryPoint'], 'main');
  assert.equal(tags['model_factory.kind'], 'train');
  const loss = remote.store.getMetricHistory({ runId, metricKey: 'loss' }).items;
  assert.deepEqual(
    loss.map((point) => point.step),
    [0, 1, 2, 3],
  );
  assert.equal(stdoutArtifact(remote.store, runId), result.stdout);
  assert.equal(existsSync(path.join(dir, '.modelfactory')), false, 'a local store was made');
  assert.ok(!`${result.stdout}${result.stderr}`.includes(TOKEN), 'the token was printed');
  // The token reached the server as a bearer header, from the CLI and from the script alike.
  assert.ok(proxy.seen.every((request) => request.headers.authorization === `Bearer ${TOKEN}`));
  const fromScript = proxy.seen.filter((r) => r.headers['user-agent'] !== 'model-factory');
  assert.ok(fromScript.some((request) => request.url.endsWith('/runs/log-batch')));
});

test('a failing script ends FAILED on the server with its exit code, token from the env', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const dir = project(t);

  const result = await modelFactory(
    ['run', '--entry', 'crash', '--to', remote.base, '--run-id-file', 'id.txt'],
    { cwd: dir, env: environment({ MLFLOW_TRACKING_TOKEN: TOKEN }) },
  );

  assert.equal(result.code, 3, result.stderr);
  assert.match(result.stderr, /exited with code 3 after .* s; run \w{32} is FAILED on http:/);
  const runId = readFileSync(path.join(dir, 'id.txt'), 'utf8').trim();
  const run = remote.store.getRun(runId);
  assert.equal(run.info.status, 'FAILED');
  assert.equal(byKey(run.data.tags)['model_factory.exit_code'], '3');
  assert.equal(stdoutArtifact(remote.store, runId), 'about to fail\n');
  assert.equal(existsSync(path.join(dir, '.modelfactory')), false);
});

test('a wrong token stops the launch before anything runs, in one clear line', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const dir = project(t);
  writeFileSync(path.join(dir, 'train.py'), 'open("ran.txt", "w").write("ran")\n');

  const result = await modelFactory(['run', '--to', remote.base, '--token', 'wrong-token-55'], {
    cwd: dir,
    env: environment(),
  });

  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    `model-factory: ${remote.base} rejected the token (401 Unauthorized): check --token or ` +
      'MLFLOW_TRACKING_TOKEN; a server with basic authentication takes MLFLOW_TRACKING_USERNAME ' +
      'and MLFLOW_TRACKING_PASSWORD instead\n',
  );
  assert.equal(existsSync(path.join(dir, 'ran.txt')), false, 'the script ran');
  assert.equal(existsSync(path.join(dir, '.modelfactory')), false, 'a local store was made');
  assert.equal(remote.store.searchRuns({ experimentIds: ['0'] }).items.length, 0);
  assert.throws(() => remote.store.getExperimentByName('tiny'));
});

test('--to with --store, --model, or a bad URL, and --token alone, are usage errors', async (t) => {
  const dir = project(t);
  const mf = (...args: string[]) =>
    modelFactory(['run', ...args], { cwd: dir, env: environment() });

  const both = await mf('--to', 'http://127.0.0.1:9', '--store', 'elsewhere');
  const model = await mf('--to', 'http://127.0.0.1:9', '--model', 'models:/churn/1');
  const badUrl = await mf('--to', 'ftp://example.com');
  const tokenAlone = await mf('--token', 'T');

  assert.equal(both.code, 2);
  assert.match(both.stderr, /^model-factory: --to and --store name two places for the run: .*\n$/);
  assert.equal(model.code, 2);
  assert.match(model.stderr, /^model-factory: --model evaluates a version of the local store/);
  assert.equal(badUrl.code, 2);
  assert.match(badUrl.stderr, /must start with http:\/\/ or https:\/\//);
  assert.equal(tokenAlone.code, 2);
  assert.match(tokenAlone.stderr, /--token and --ca-file go with --to URL/);
  assert.equal(existsSync(path.join(dir, '.modelfactory')), false);
  assert.equal(existsSync(path.join(dir, 'elsewhere')), false);
});

test('run --help tells where the run goes and how to authenticate', async () => {
  const result = await modelFactory(['run', '--help']);

  assert.equal(result.code, 0);
  assert.match(result.stdout, /--to URL \[--token T\] \[--ca-file FILE\]/);
  assert.match(result.stdout, /MLFLOW_TRACKING_USERNAME/);
  assert.doesNotMatch(result.stdout, /FIXME/);
});
