import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts/listing';
import { tempDir } from '../../helpers/tempStore';
import { cli, root } from './helpers';

/**
 * run, register, score, compare and serve-model on a copy of examples/churn, through the CLI's
 * own entry (runCli, in this process) and real python3 processes, against a store in the
 * current folder as a user's shell would have it.
 */
describe('the deploy commands on examples/churn', () => {
  let work: ReturnType<typeof tempDir>;
  let project: string;
  let trainRun: string;
  let shortRun: string;
  const mf = (...args: string[]) => cli(args, work.dir);

  async function readStore<T>(read: (store: RunStore) => T): Promise<T> {
    const store = await RunStore.open(path.join(work.dir, '.modelfactory'), { readOnly: true });
    try {
      return read(store);
    } finally {
      await store.close();
    }
  }
  const csvColumn = (file: string, name: string) => {
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
    const index = header.split(',').indexOf(name);
    return rows.map((row) => row.split(',')[index]);
  };

  before(() => {
    work = tempDir('mf-deploy-cli-');
    project = path.join(work.dir, 'churn');
    cpSync(path.join(root, 'examples/churn'), project, {
      recursive: true,
      filter: (source) => !/[\\/](model|__pycache__)$/.test(source),
    });
  });
  after(() => work.remove());

  test('run trains through the MLproject as the editor launches it, and exits 0', async () => {
    const result = await mf('run', 'churn', '--entry', 'train', '--run-id-file', 'train-id.txt');

    assert.equal(result.code, 0, result.stderr);
    trainRun = readFileSync(path.join(work.dir, 'train-id.txt'), 'utf8').trim();
    assert.match(result.stdout, /accuracy 0\.7270, log_loss 0\.5376, auc 0\.7977/);
    assert.match(result.stderr, new RegExp(`run ${trainRun} in experiment churn`));
    assert.match(result.stderr, /exited with code 0 after .* s; run \w+ is FINISHED\./);
    const run = await readStore((store) => store.getRun(trainRun));
    const tags = Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value]));
    assert.equal(run.info.status, 'FINISHED');
    assert.equal(tags['mlflow.source.name'], path.join(project, 'MLproject'));
    assert.equal(tags['mlflow.project.entryPoint'], 'train');
    assert.equal(tags['model_factory.kind'], 'train');
    const params = Object.fromEntries(run.data.params.map((param) => [param.key, param.value]));
    assert.equal(params.epochs, '200');
    const artifacts = await readStore((store) => {
      const location = runArtifactLocation(store.artifactsDir, run.info.artifactUri);
      return path.join(location.root, ...location.segments);
    });
    assert.match(readFileSync(path.join(artifacts, 'stdout.txt'), 'utf8'), /auc 0\.7977/);
    assert.ok(existsSync(path.join(artifacts, 'model', 'model.json')));
  });

  test('run passes -P values, and a second, shorter training run ends FINISHED', async () => {
    const result = await mf(
      'run',
      'churn',
      '--entry',
      'train',
      '-P',
      'epochs=10',
      '-P',
      'data=data/current.csv',
      '--run-id-file',
      'short-id.txt',
    );

    assert.equal(result.code, 0, result.stderr);
    shortRun = readFileSync(path.join(work.dir, 'short-id.txt'), 'utf8').trim();
    const params = await readStore((store) => store.getRun(shortRun).data.params);
    const byKey = Object.fromEntries(params.map((param) => [param.key, param.value]));
    assert.equal(byKey.epochs, '10');
    assert.equal(byKey.data, 'data/current.csv');
  });

  test("run exits with the script's own exit code and leaves a FAILED run", async () => {
    writeFileSync(path.join(project, 'crash.py'), 'print("about to fail")\nraise SystemExit(3)\n');

    const result = await mf('run', 'churn', '--entry', 'crash.py', '--run-id-file', 'crash-id.txt');

    assert.equal(result.code, 3);
    assert.match(result.stdout, /about to fail/);
    const crashRun = readFileSync(path.join(work.dir, 'crash-id.txt'), 'utf8').trim();
    const run = await readStore((store) => store.getRun(crashRun));
    assert.equal(run.info.status, 'FAILED');
    assert.ok(
      run.data.tags.some((tag) => tag.key === 'model_factory.exit_code' && tag.value === '3'),
    );
    rmSync(path.join(project, 'crash.py'));
  });

  test('run refuses an unknown entry point and a malformed -P in one line, exit 2', async () => {
    const unknown = await mf('run', 'churn', '--entry', 'deploy');
    const malformed = await mf('run', 'churn', '--entry', 'train', '-P', 'epochs');

    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^model-factory: .*MLproject has no entry point 'deploy' \(it has 'train', 'evaluate'\)\n$/,
    );
    assert.equal(malformed.code, 2);
    assert.equal(malformed.stderr, "model-factory: -P takes key=value, not 'epochs'\n");
  });

  test('register makes version 1 of the training run and points @champion at it', async () => {
    const result = await mf('register', trainRun, '--name', 'churn', '--alias', 'champion');

    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `Registered runs:/${trainRun}/model as churn version 1 (a new registered model)\n@champion now points at version 1\n`,
    );
  });

  test('register refuses an unknown run and a missing artifact path, exit 2', async () => {
    const unknown = await mf('register', '0000aaaa', '--name', 'churn');
    const noArtifact = await mf('register', trainRun, '--name', 'churn', '--path', 'weights');

    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^model-factory: there is no run 0000aaaa in the store .*\n$/);
    assert.equal(noArtifact.code, 2);
    assert.match(
      noArtifact.stderr,
      /has no artifact 'weights' to register \(its artifacts: model\/, stdout\.txt\)/,
    );
  });

  test("score writes the champion's predictions, which reproduce the data's prediction column", async () => {
    const result = await mf(
      'score',
      'models:/churn@champion',
      'churn/data/reference.csv',
      '--out',
      'scored.csv',
    );

    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Scored 2000 rows of churn\/data\/reference\.csv with models:\/churn@champion \(models:\/churn\/1\) \(json: logistic-regression from model\.json\); wrote scored\.csv/,
    );
    // make_data.py labelled the data with the model train.py makes by default: the same model.
    const original = csvColumn(path.join(project, 'data/reference.csv'), 'prediction');
    assert.deepEqual(csvColumn(path.join(work.dir, 'scored.csv'), 'prediction'), original);
  });

  test('score refuses data missing a column the model needs, naming it, exit 2', async () => {
    writeFileSync(path.join(work.dir, 'partial.csv'), 'tenure_months,age\n3,40\n');

    const result = await mf('score', 'models:/churn/1', 'partial.csv', '--out', 'never.csv');

    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^model-factory: cannot score .*partial\.csv: the model needs columns 'monthly_charges', 'support_calls', 'contract', 'payment', which the input lacks/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(path.join(work.dir, 'never.csv')), false);
  });

  test('score and serve-model refuse an unknown model version in one line, exit 2', async () => {
    const score = await mf('score', 'models:/churn/7', 'scored.csv', '--out', 'x.csv');

    assert.equal(score.code, 2);
    assert.equal(
      score.stderr,
      "model-factory: models:/churn/7: model 'churn' has no version 7 (its versions: 1)\n",
    );
  });

  test('compare exits 0 when the first is at least as good and 1 when the second is better', async () => {
    await mf('register', shortRun, '--name', 'churn');

    const better = await mf(
      'compare',
      'models:/churn@champion',
      'models:/churn/2',
      '--metric',
      'accuracy',
    );
    const worse = await mf(
      'compare',
      'models:/churn/2',
      'models:/churn@champion',
      '--metric',
      'accuracy',
    );
    const same = await mf(
      'compare',
      'models:/churn/1',
      'models:/churn@champion',
      '--metric',
      'auc',
    );

    assert.equal(better.code, 0, better.stderr);
    assert.match(
      better.stdout,
      /^accuracy \(higher is better, by its name\):\n {2}models:\/churn@champion \(models:\/churn\/1\) +0\.727 +from training run \w+\n/,
    );
    assert.match(better.stdout, /The first is at least as good as the second\.\n$/);
    assert.equal(worse.code, 1);
    assert.match(worse.stdout, /The second is better than the first\./);
    assert.equal(same.code, 0);
  });

  test('compare reads the direction from the name, or from the option that overrides it', async () => {
    const loss = await mf('compare', 'models:/churn/1', 'models:/churn/2', '--metric', 'log_loss');
    const flipped = await mf(
      'compare',
      'models:/churn/1',
      'models:/churn/2',
      '--metric',
      'accuracy',
      '--lower-is-better',
    );

    assert.equal(loss.code, 0);
    assert.match(loss.stdout, /log_loss \(lower is better, by its name\)/);
    assert.equal(flipped.code, 1);
    assert.match(flipped.stdout, /accuracy \(lower is better, as asked\)/);
  });

  test('compare on a metric one side lacks exits 2 naming the metric and the side', async () => {
    const result = await mf('compare', 'models:/churn/1', 'models:/churn/2', '--metric', 'f1');

    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^model-factory: models:\/churn\/1 has no metric 'f1': neither its run \w+ nor its evaluation runs logged it \(the run has accuracy, auc, log_loss, loss\)\n$/,
    );
  });

  test('run --model evaluates a version, and compare then judges it by that evaluation', async () => {
    const evaluation = await mf(
      'run',
      'churn',
      '--entry',
      'evaluate',
      '--model',
      'models:/churn@champion',
      '--run-id-file',
      'eval-id.txt',
    );
    const compared = await mf(
      'compare',
      'models:/churn@champion',
      `runs:/${shortRun}/model`,
      '--metric',
      'auc',
      '--json',
    );

    assert.equal(evaluation.code, 0, evaluation.stderr);
    const evalRun = readFileSync(path.join(work.dir, 'eval-id.txt'), 'utf8').trim();
    const run = await readStore((store) => store.getRun(evalRun));
    const tags = Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value]));
    assert.equal(tags['model_factory.evaluated_model'], 'models:/churn/1');
    assert.equal(tags['model_factory.kind'], 'evaluate');
    const comparison = JSON.parse(compared.stdout);
    assert.equal(comparison.first.from, 'evaluation');
    assert.equal(comparison.first.runId, evalRun);
    // On current.csv the champion scores 0.7166; the 10-epoch model trained on it, 0.77.
    assert.ok(Math.abs(comparison.first.value - 0.7166) < 1e-3, String(comparison.first.value));
    assert.equal(compared.code, 1);
  });

  test('serve-model serves the champion on 127.0.0.1 until SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        // The loader by path: the command runs in the work folder, where 'tsx' does not resolve.
        '--import',
        pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href,
        path.join(root, 'src/cli/main.ts'),
        'serve-model',
        'models:/churn@champion',
      ],
      {
        cwd: work.dir,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = once(child, 'close');
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const match = /at (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
        if (match) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(`serve-model ended before it was ready: ${stderr}`)));
    });

    const response = await fetch(`${url}/invocations`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: readFileSync(path.join(project, 'data/reference.csv')),
    });
    const { predictions } = (await response.json()) as { predictions: number[] };
    child.kill('SIGTERM');
    const [code] = await exited;

    const expected = csvColumn(path.join(project, 'data/reference.csv'), 'prediction').map(Number);
    assert.deepEqual(predictions, expected);
    assert.equal(code, 0);
  });

  test('serve-model refuses a port in use in one line, exit 2', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await mf('serve-model', 'models:/churn/1', '--port', String(port));

      assert.equal(result.code, 2);
      assert.equal(
        result.stderr,
        `model-factory: the scoring server stopped (exit 2): port ${port} on 127.0.0.1 is in use; choose another with --port, or 0 for a free one\n`,
      );
    } finally {
      blocker.close();
    }
  });
});
