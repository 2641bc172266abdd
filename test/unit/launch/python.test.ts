import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTracked } from '../../../src/core/projects/launch';
import { evaluatedModel } from '../../../src/core/projects/launchEvaluate';
import { planLaunch } from '../../../src/core/projects/launchPlan';
import { spawnRunner } from '../../../src/core/projects/launchProcess';
import type { RunStore } from '../../../src/core/store/store';
import { TrackingServer } from '../../../src/core/tracking/server';
import { openTempStore, tempDir } from '../../helpers/tempStore';

/**
 * Real python3 processes through the real runner: hostile values arrive as literal single
 * arguments, and examples/churn logs a complete run through the real tracking server.
 */
const root = path.join(__dirname, '../../..');
const HOSTILE = ['; rm -rf ~', '$(reboot)', '`id`', `it's "quoted"`, 'two\nlines', '*', ''];

describe('launching real python3', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: RunStore;
  let server: TrackingServer;
  let work: ReturnType<typeof tempDir>;
  const token = 'launch-token';

  before(async () => {
    temp = await openTempStore();
    store = temp.store;
    server = await TrackingServer.start(store, { token, version: 'test' });
    work = tempDir('mf-launch-python-');
  });
  after(async () => {
    await server.stop();
    await temp.dispose();
    work.remove();
  });

  const trackedOptions = () => ({
    trackingUri: server.url,
    token,
    pythonModuleDir: path.join(root, 'media/python'),
    baseEnv: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const artifactFile = (runId: string, ...parts: string[]) => {
    const rest = store.getRun(runId).info.artifactUri.replace(/^mlflow-artifacts:\//, '');
    return path.join(store.artifactsDir, rest, ...parts);
  };

  test('hostile parameter values reach an MLproject command as literal single arguments', async () => {
    writeFileSync(
      path.join(work.dir, 'argv.py'),
      'import json, sys\nprint(json.dumps(sys.argv[1:]))\n',
    );
    const params = HOSTILE.map((_, i) => `      p${i}: {type: string}`).join('\n');
    const placeholders = HOSTILE.map((_, i) => `{p${i}}`).join(' ');
    const mlproject = `name: quoting\nentry_points:\n  main:\n    parameters:\n${params}\n    command: "python argv.py ${placeholders}"\n`;
    const values = Object.fromEntries(HOSTILE.map((value, i) => [`p${i}`, value]));
    const plan = planLaunch({
      kind: 'train',
      python: 'python3',
      mlprojectPath: path.join(work.dir, 'MLproject'),
      mlprojectText: mlproject,
      entryPoint: 'main',
      values: { ...values, extra: '$HOME && echo pwned' },
    });
    let printed = '';

    const outcome = await runTracked(store, plan, spawnRunner, {
      ...trackedOptions(),
      onOutput: (text) => (printed += text),
    });

    assert.equal(outcome.status, 'FINISHED');
    assert.deepEqual(JSON.parse(printed), [...HOSTILE, '--extra', '$HOME && echo pwned']);
    const logged = Object.fromEntries(
      store.getRun(outcome.runId).data.params.map((p) => [p.key, p.value]),
    );
    assert.equal(logged.p0, '; rm -rf ~');
  });

  test('hostile values reach a script launched directly as literal single arguments', async () => {
    const plan = planLaunch({
      kind: 'train',
      python: 'python3',
      scriptPath: path.join(work.dir, 'argv.py'),
      values: { a: HOSTILE[0], b: HOSTILE[1], c: HOSTILE[4] },
    });
    let printed = '';

    await runTracked(store, plan, spawnRunner, {
      ...trackedOptions(),
      onOutput: (text) => (printed += text),
    });

    assert.deepEqual(JSON.parse(printed), [
      '--a',
      HOSTILE[0],
      '--b',
      HOSTILE[1],
      '--c',
      HOSTILE[4],
    ]);
  });

  test('a script that crashes leaves a FAILED run with its output in stdout.txt', async () => {
    writeFileSync(path.join(work.dir, 'crash.py'), 'print("starting")\nraise SystemExit(3)\n');
    const plan = planLaunch({
      kind: 'train',
      python: 'python3',
      scriptPath: path.join(work.dir, 'crash.py'),
    });

    const outcome = await runTracked(store, plan, spawnRunner, trackedOptions());

    assert.equal(outcome.status, 'FAILED');
    assert.equal(outcome.exit.code, 3);
    assert.equal(readFileSync(artifactFile(outcome.runId, 'stdout.txt'), 'utf8'), 'starting\n');
  });

  test('a missing interpreter is reported as ENOENT and leaves a FAILED run', async () => {
    const plan = planLaunch({
      kind: 'train',
      python: path.join(work.dir, 'no-such-python'),
      scriptPath: path.join(work.dir, 'argv.py'),
    });

    const outcome = await runTracked(store, plan, spawnRunner, trackedOptions());

    assert.equal(outcome.exit.error?.code, 'ENOENT');
    assert.equal(outcome.status, 'FAILED');
  });

  test('examples/churn train runs through its MLproject and ends a complete FINISHED run', async () => {
    const project = path.join(work.dir, 'churn');
    cpSync(path.join(root, 'examples/churn'), project, { recursive: true });
    rmSync(path.join(project, 'model'), { recursive: true, force: true });
    const plan = planLaunch({
      kind: 'train',
      python: 'python3',
      mlprojectPath: path.join(project, 'MLproject'),
      mlprojectText: readFileSync(path.join(project, 'MLproject'), 'utf8'),
      entryPoint: 'train',
      values: { epochs: '20' },
    });

    const outcome = await runTracked(store, plan, spawnRunner, trackedOptions());

    const output = readFileSync(artifactFile(outcome.runId, 'stdout.txt'), 'utf8');
    assert.equal(outcome.status, 'FINISHED', output);
    const run = store.getRun(outcome.runId);
    assert.equal(store.getExperiment(run.info.experimentId).name, 'churn');
    const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
    assert.equal(params.epochs, '20');
    assert.equal(params.learning_rate, '0.1');
    assert.equal(params.data, 'data/reference.csv');
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    assert.equal(tags['mlflow.source.name'], path.join(project, 'MLproject'));
    assert.equal(tags['mlflow.project.entryPoint'], 'train');
    assert.equal(tags['model_factory.kind'], 'train');
    const history = store.getMetricHistory({ runId: outcome.runId, metricKey: 'loss' });
    assert.equal(history.items.length, 20);
    assert.ok(existsSync(artifactFile(outcome.runId, 'model', 'model.json')));
    assert.match(output, /accuracy \d\.\d{4}/);
  });

  test('examples/churn evaluate gets MODEL_URI and MODEL_PATH of a registered version and is linked to it', async () => {
    const project = path.join(work.dir, 'churn-eval');
    cpSync(path.join(root, 'examples/churn'), project, { recursive: true });
    rmSync(path.join(project, 'model'), { recursive: true, force: true });
    const mlprojectPath = path.join(project, 'MLproject');
    const mlprojectText = readFileSync(mlprojectPath, 'utf8');
    const plan = (entryPoint: string, values: Record<string, string>) =>
      planLaunch({
        kind: entryPoint === 'train' ? 'train' : 'evaluate',
        python: 'python3',
        mlprojectPath,
        mlprojectText,
        entryPoint,
        values,
      });

    const trained = await runTracked(
      store,
      plan('train', { epochs: '5' }),
      spawnRunner,
      trackedOptions(),
    );
    assert.equal(trained.status, 'FINISHED');
    // No model/model.json is left to fall back on: the script can only read the version's files.
    rmSync(path.join(project, 'model'), { recursive: true, force: true });
    store.createRegisteredModel('churn-eval');
    const version = store.createModelVersion({
      name: 'churn-eval',
      source: `runs:/${trained.runId}/model`,
      runId: trained.runId,
    });
    const model = evaluatedModel(store, version);
    assert.equal(model.uri, `models:/churn-eval/${version.version}`);

    const outcome = await runTracked(store, plan('evaluate', {}), spawnRunner, {
      ...trackedOptions(),
      model,
    });

    const output = readFileSync(artifactFile(outcome.runId, 'stdout.txt'), 'utf8');
    assert.equal(outcome.status, 'FINISHED', output);
    const run = store.getRun(outcome.runId);
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    assert.equal(tags['model_factory.kind'], 'evaluate');
    assert.equal(tags['model_factory.evaluated_model'], model.uri);
    assert.equal(tags['model_uri'], model.uri, 'evaluate.py tags the MODEL_URI it was given');
    const metrics = new Set(run.data.metrics.map((m) => m.key));
    for (const key of ['accuracy', 'log_loss', 'auc']) assert.ok(metrics.has(key), key);
    const description = store.getModelVersion('churn-eval', version.version).description ?? '';
    assert.match(
      description,
      new RegExp(`Evaluated by run ${outcome.runId} on .*accuracy 0\\.\\d+`),
    );
  });
});
