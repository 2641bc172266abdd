import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { runTracked, type TrackedOptions } from '../../../src/core/projects/launch';
import type { RunStore } from '../../../src/core/store/store';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { fakeRunner, scriptPlan } from './fakes';

const git = promisify(execFile);

describe('runTracked with a fake process', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: RunStore;
  let work: ReturnType<typeof tempDir>;
  const options: TrackedOptions = {
    trackingUri: 'http://127.0.0.1:5999',
    token: 'secret',
    pythonModuleDir: '/bundled/python',
    baseEnv: { PATH: '/usr/bin', PYTHONPATH: '/user/lib', MLFLOW_EXPERIMENT_NAME: 'stale' },
  };

  before(async () => {
    temp = await openTempStore();
    store = temp.store;
    work = tempDir('mf-launch-');
  });
  after(async () => {
    await temp.dispose();
    work.remove();
  });

  const stdoutOf = (artifactUri: string) => {
    const rest = artifactUri.replace(/^mlflow-artifacts:\//, '');
    return readFileSync(path.join(store.artifactsDir, rest, 'stdout.txt'), 'utf8');
  };
  const tag = (runId: string, key: string) =>
    store.getRun(runId).data.tags.find((t) => t.key === key)?.value;

  test('creates the run before the process starts, and exit 0 finishes it', async () => {
    let seenStatus: string | undefined;
    const fake = fakeRunner((spec) => {
      seenStatus = store.getRun(spec.env.MLFLOW_RUN_ID).info.status;
      return { code: 0 };
    });

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(seenStatus, 'RUNNING');
    assert.equal(outcome.status, 'FINISHED');
    const run = store.getRun(outcome.runId);
    assert.equal(run.info.status, 'FINISHED');
    assert.ok(run.info.endTime);
    assert.deepEqual(run.data.params, [{ key: 'epochs', value: '5' }]);
  });

  test('passes the run, the server, the token and the bundled module in the environment', async () => {
    const fake = fakeRunner(() => ({ code: 0 }));

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    const env = fake.started[0].env;
    assert.equal(env.MLFLOW_RUN_ID, outcome.runId);
    assert.equal(env.MLFLOW_TRACKING_URI, 'http://127.0.0.1:5999');
    assert.equal(env.MLFLOW_TRACKING_TOKEN, 'secret');
    assert.equal(env.MLFLOW_EXPERIMENT_ID, outcome.experimentId);
    assert.equal(env.PYTHONPATH, `/bundled/python${path.delimiter}/user/lib`);
    assert.equal(env.MLFLOW_EXPERIMENT_NAME, undefined);
    assert.equal(env.MODEL_URI, undefined);
    assert.deepEqual(fake.started[0].argv, ['python3', `${work.dir}/train.py`]);
    assert.equal(fake.started[0].cwd, work.dir);
  });

  test('exit code 3 fails the run and records the code as a tag', async () => {
    const fake = fakeRunner(() => ({ code: 3 }));

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(store.getRun(outcome.runId).info.status, 'FAILED');
    assert.equal(tag(outcome.runId, 'model_factory.exit_code'), '3');
  });

  test('aborting the launch kills the process and the run ends KILLED', async () => {
    const controller = new AbortController();
    const fake = fakeRunner(() => new Promise(() => undefined));

    const pending = runTracked(store, scriptPlan(work.dir), fake.runner, {
      ...options,
      signal: controller.signal,
      onRunCreated: () => setImmediate(() => controller.abort()),
    });
    const outcome = await pending;

    assert.ok(fake.wasKilled());
    assert.equal(store.getRun(outcome.runId).info.status, 'KILLED');
    assert.equal(tag(outcome.runId, 'model_factory.exit_code'), undefined);
  });

  test('a process ended by a signal from outside leaves a KILLED run', async () => {
    const fake = fakeRunner(() => ({ code: null, signal: 'SIGKILL' }));

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(outcome.status, 'KILLED');
  });

  test('a run the script already ended keeps the status the script gave it', async () => {
    const fake = fakeRunner((spec) => {
      store.updateRun(spec.env.MLFLOW_RUN_ID, { status: 'FAILED', endTime: 1 });
      return { code: 0 };
    });

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(outcome.status, 'FAILED');
    assert.equal(store.getRun(outcome.runId).info.endTime, 1);
  });

  test('saves stdout and stderr, interleaved as printed, as the artifact stdout.txt', async () => {
    const fake = fakeRunner((_spec, write) => {
      write('epoch 1\n');
      write('warning: slow\n');
      write('epoch 2\n');
      return { code: 0 };
    });
    const live: string[] = [];

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, {
      ...options,
      onOutput: (text) => live.push(text),
    });

    const saved = stdoutOf(store.getRun(outcome.runId).info.artifactUri);
    assert.equal(saved, 'epoch 1\nwarning: slow\nepoch 2\n');
    assert.equal(live.join(''), saved);
  });

  test('keeps the tail of an output past the cap, with a line saying what was dropped', async () => {
    const fake = fakeRunner((_spec, write) => {
      for (let i = 0; i < 100; i++) write(`line ${String(i).padStart(3, '0')}\n`);
      return { code: 0 };
    });

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, {
      ...options,
      outputCap: 90,
    });

    const saved = stdoutOf(store.getRun(outcome.runId).info.artifactUri);
    assert.match(saved, /^\[Model Factory: the first 810 characters .* dropped/);
    assert.ok(saved.endsWith('line 098\nline 099\n'));
    assert.ok(!saved.includes('line 000'));
  });

  test('a missing interpreter fails the run and explains it in stdout.txt', async () => {
    const missing = Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' });
    const fake = fakeRunner(() => ({ code: null, error: missing }));

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.exit.error?.code, 'ENOENT');
    const saved = stdoutOf(store.getRun(outcome.runId).info.artifactUri);
    assert.match(saved, /could not start python3: no such program/);
  });

  test('picks the asked experiment, else the active one, else the project, else Default', async () => {
    const fake = fakeRunner(() => ({ code: 0 }));
    const plan = scriptPlan(work.dir, { projectName: 'churn' });
    const nameOf = async (extra: Partial<TrackedOptions>, p = plan) => {
      const outcome = await runTracked(store, p, fake.runner, { ...options, ...extra });
      return store.getExperiment(outcome.experimentId).name;
    };

    assert.equal(await nameOf({ experiment: 'asked', activeExperiment: 'active' }), 'asked');
    assert.equal(await nameOf({ activeExperiment: 'active' }), 'active');
    assert.equal(await nameOf({}), 'churn');
    assert.equal(await nameOf({}, scriptPlan(work.dir)), 'Default');
  });

  test('tags the source, the entry point, the user, the kind and the git version', async () => {
    const repo = tempDir('mf-launch-git-');
    const inRepo = (...args: string[]) => git('git', args, { cwd: repo.dir });
    await inRepo('init', '-q', '-b', 'feature');
    await inRepo('config', 'user.email', 'test@example.com');
    await inRepo('config', 'user.name', 'Test');
    writeFileSync(path.join(repo.dir, 'train.py'), 'print(1)\n');
    await inRepo('add', 'train.py');
    await inRepo('commit', '-q', '-m', 'first');
    const head = (await inRepo('rev-parse', 'HEAD')).stdout.trim();
    const fake = fakeRunner(() => ({ code: 0 }));

    const clean = await runTracked(store, scriptPlan(repo.dir), fake.runner, options);
    writeFileSync(path.join(repo.dir, 'train.py'), 'print(2)\n');
    const dirty = await runTracked(store, scriptPlan(repo.dir), fake.runner, options);
    repo.remove();

    assert.equal(tag(clean.runId, 'mlflow.source.name'), `${repo.dir}/train.py`);
    assert.equal(tag(clean.runId, 'mlflow.source.type'), 'LOCAL');
    assert.equal(tag(clean.runId, 'mlflow.project.entryPoint'), 'train.py');
    assert.ok(tag(clean.runId, 'mlflow.user'));
    assert.equal(tag(clean.runId, 'model_factory.kind'), 'train');
    assert.equal(tag(clean.runId, 'mlflow.source.git.commit'), head);
    assert.equal(tag(clean.runId, 'mlflow.source.git.branch'), 'feature');
    assert.equal(tag(clean.runId, 'mlflow.source.git.dirty'), undefined);
    assert.equal(tag(dirty.runId, 'mlflow.source.git.dirty'), 'true');
  });

  test('outside a git repository there are no git tags', async () => {
    const fake = fakeRunner(() => ({ code: 0 }));

    const outcome = await runTracked(store, scriptPlan(work.dir), fake.runner, options);

    assert.equal(tag(outcome.runId, 'mlflow.source.git.commit'), undefined);
  });
});
