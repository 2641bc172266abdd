import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServe } from '../../helpers/serveProcess';
import { tempDir } from '../../helpers/tempStore';

/**
 * examples/churn: its committed data is what make_data.py makes and tells the story the
 * README tells, and its train.py and evaluate.py, run by real python3 with the bundled
 * model_factory module, land complete runs in a real `model-factory serve`.
 */
const root = path.join(__dirname, '../../..');
const example = path.join(root, 'examples/churn');
const cli = path.join(root, 'dist/cli.js');
const run = promisify(execFile);
const token = 'churn-token';
const EPOCHS = 30;
const SHIFT_ROW = 800;

const FEATURES = [
  'tenure_months',
  'monthly_charges',
  'support_calls',
  'age',
  'contract=month-to-month',
  'contract=one-year',
  'contract=two-year',
  'payment=card',
  'payment=check',
  'payment=transfer',
];

/** Runs a script of the example with python3; rejects with its stderr when it fails. */
async function python(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
  for (const key of ['MLFLOW_RUN_ID', 'MLFLOW_EXPERIMENT_ID', 'MLFLOW_EXPERIMENT_NAME']) {
    delete base[key];
  }
  delete base.MODEL_PATH;
  delete base.MODEL_URI;
  return run('python3', args, { cwd, env: { ...base, ...env }, timeout: 60_000 });
}

/** Where two texts first differ, as a line number and both lines, for a readable failure. */
function firstDifference(expected: string, actual: string) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at])}, generated ${JSON.stringify(b[at])}`;
}

type Row = Record<string, string>;

/** The example's CSVs hold no quoted fields, so a split on commas reads them. */
function readCsv(file: string): Row[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
}

const mean = (rows: Row[], column: string) =>
  rows.reduce((sum, row) => sum + Number(row[column]), 0) / rows.length;
const share = (rows: Row[], predicate: (row: Row) => boolean) =>
  rows.filter(predicate).length / rows.length;
const accuracy = (rows: Row[]) => share(rows, (row) => row.churned === row.prediction);

test('make_data.py reproduces the committed reference.csv and current.csv byte for byte', async (t) => {
  const out = tempDir('mf-churn-data-');
  t.after(() => out.remove());

  await python(example, ['make_data.py', '--out', out.dir]);

  for (const name of ['reference.csv', 'current.csv']) {
    const committed = readFileSync(path.join(example, 'data', name), 'utf8');
    const generated = readFileSync(path.join(out.dir, name), 'utf8');
    assert.ok(
      committed === generated,
      `${name} differs at ${firstDifference(committed, generated)}`,
    );
  }
});

test('current.csv drifts in charges, contracts and support calls, and its concept shifts', () => {
  const reference = readCsv(path.join(example, 'data/reference.csv'));
  const current = readCsv(path.join(example, 'data/current.csv'));
  const columns =
    'tenure_months,monthly_charges,support_calls,age,contract,payment,churned,prediction';
  const monthToMonth = (row: Row) => row.contract === 'month-to-month';
  const heavyCaller = (row: Row) => Number(row.support_calls) >= 5;

  assert.deepEqual(Object.keys(current[0]), columns.split(','));
  assert.deepEqual(Object.keys(reference[0]), columns.split(','));
  assert.equal(reference.length, 2000);
  assert.equal(current.length, 2000);

  // Data drift where the README says, and none where it says there is none.
  assert.ok(mean(current, 'monthly_charges') - mean(reference, 'monthly_charges') > 8);
  assert.ok(share(current, monthToMonth) - share(reference, monthToMonth) > 0.1);
  assert.ok(share(current.slice(SHIFT_ROW), heavyCaller) > 5 * share(reference, heavyCaller));
  for (const column of ['tenure_months', 'age']) {
    assert.ok(Math.abs(mean(current, column) - mean(reference, column)) < 1.5, column);
  }
  const byCard = (row: Row) => row.payment === 'card';
  assert.ok(Math.abs(share(current, byCard) - share(reference, byCard)) < 0.03);

  // The reference model's predictions lose accuracy, most of all after the shift.
  const before = current.slice(0, SHIFT_ROW);
  const after = current.slice(SHIFT_ROW);
  assert.ok(accuracy(reference) > 0.7, `reference accuracy ${accuracy(reference)}`);
  assert.ok(accuracy(reference) - accuracy(current) > 0.05, `current ${accuracy(current)}`);
  assert.ok(accuracy(before) - accuracy(after) > 0.05, `${accuracy(before)} → ${accuracy(after)}`);
});

describe('train.py and evaluate.py against a real serve', () => {
  const store = tempDir('mf-churn-store-');
  const work = tempDir('mf-churn-work-');
  let server: Awaited<ReturnType<typeof startServe>>;
  let env: NodeJS.ProcessEnv;
  let experimentId: string;
  let trainRun: Record<string, any>;

  async function api<T = Record<string, any>>(pathAndQuery: string, body?: object) {
    const response = await fetch(`${server.url}/api/2.0/${pathAndQuery}`, {
      method: body ? 'POST' : 'GET',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.equal(response.status, 200, `${pathAndQuery}: ${await response.clone().text()}`);
    return pathAndQuery.startsWith('mlflow-artifacts/')
      ? (Buffer.from(await response.arrayBuffer()) as T)
      : ((await response.json()) as T);
  }

  async function searchRuns(): Promise<Record<string, any>[]> {
    const { runs = [] } = await api('mlflow/runs/search', { experiment_ids: [experimentId] });
    return runs;
  }

  /** Runs a script and returns the one run it added to the churn experiment. */
  async function runScript(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
    const known = new Set((await searchRuns()).map((r) => r.info.run_id));
    await python(work.dir, args, { ...env, ...extraEnv });
    const added = (await searchRuns()).filter((r) => !known.has(r.info.run_id));
    assert.equal(added.length, 1, `${args[0]} should add one run`);
    return added[0];
  }

  function artifactPath(runInfo: Record<string, any>, file: string) {
    return `mlflow-artifacts/artifacts/${runInfo.artifact_uri.replace('mlflow-artifacts:/', '')}/${file}`;
  }

  const byKey = (items: { key: string; value: unknown }[]) =>
    Object.fromEntries(items.map((item) => [item.key, item.value]));

  before(async () => {
    if (!existsSync(cli)) await run(process.execPath, ['esbuild.mjs'], { cwd: root });
    cpSync(example, work.dir, {
      recursive: true,
      filter: (source) => !/[\\/](model|__pycache__)$/.test(source),
    });
    server = await startServe(['--store', store.dir, '--port', '0', '--token', token]);
    env = {
      PYTHONPATH: path.join(root, 'media/python'),
      MLFLOW_TRACKING_URI: server.url,
      MLFLOW_TRACKING_TOKEN: token,
    };
  });

  after(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0, 'serve should exit cleanly on SIGTERM');
    }
    store.remove();
    work.remove();
  });

  test('train.py logs a finished run: params, a falling loss, metrics, model and data', async () => {
    await python(work.dir, ['train.py', '--epochs', String(EPOCHS)], env);

    const { experiment } = await api('mlflow/experiments/get-by-name?experiment_name=churn');
    experimentId = experiment.experiment_id;
    const runs = await searchRuns();
    assert.equal(runs.length, 1);
    trainRun = runs[0];
    assert.equal(trainRun.info.status, 'FINISHED');
    assert.deepEqual(byKey(trainRun.data.params), {
      data: 'data/reference.csv',
      learning_rate: '0.1',
      epochs: String(EPOCHS),
      l2: '0.001',
      rows: '2000',
    });
    assert.equal(byKey(trainRun.data.tags).model_type, 'logistic_regression');

    const metrics = byKey(trainRun.data.metrics) as Record<string, number>;
    assert.ok(metrics.accuracy > 0.6, `accuracy ${metrics.accuracy}`);
    assert.ok(metrics.auc > 0.65, `auc ${metrics.auc}`);
    assert.ok(metrics.log_loss < Math.log(2), `log_loss ${metrics.log_loss} is no better than 0.5`);
  });

  test('the loss history has one falling point per epoch', async () => {
    const query = new URLSearchParams({ run_id: trainRun.info.run_id, metric_key: 'loss' });
    const { metrics } = await api(`mlflow/metrics/get-history?${query}`);
    const losses = (metrics as { step: number; value: number }[])
      .sort((a, b) => a.step - b.step)
      .map((point) => point.value);

    assert.deepEqual(
      (metrics as { step: number }[]).map((point) => point.step),
      Array.from({ length: EPOCHS }, (_, i) => i),
    );
    assert.ok(Math.abs(losses[0] - Math.log(2)) < 1e-12, 'zero weights start at log 2');
    losses.slice(1).forEach((loss, i) => assert.ok(loss < losses[i], `epoch ${i + 1} rose`));
    assert.ok(losses[EPOCHS - 1] < 0.65, `final loss ${losses[EPOCHS - 1]}`);
  });

  test('the model artifact is the JSON train.py wrote, and the data its training input', async () => {
    const artifact = await api<Buffer>(artifactPath(trainRun.info, 'model/model.json'));
    const model = JSON.parse(artifact.toString('utf8'));
    const [input, ...others] = trainRun.inputs.dataset_inputs;

    assert.deepEqual(artifact, readFileSync(path.join(work.dir, 'model/model.json')));
    assert.equal(model.format, 'model-factory/logistic-regression');
    assert.deepEqual(model.features, FEATURES);
    assert.equal(model.weights.length, FEATURES.length);
    assert.ok(Math.abs(model.numeric.monthly_charges.mean - 64) < 1);
    assert.deepEqual(model.categorical.contract, ['month-to-month', 'one-year', 'two-year']);
    assert.equal(others.length, 0);
    assert.deepEqual(input.tags, [{ key: 'mlflow.data.context', value: 'training' }]);
    assert.equal(input.dataset.name, 'reference.csv');
    assert.deepEqual(JSON.parse(input.dataset.profile), {
      num_rows: 2000,
      num_elements: 16000,
      targets: 'churned',
    });
  });

  test('evaluate.py scores current.csv worse than reference.csv, from MODEL_PATH', async () => {
    // The model train.py left in model/ scores the reference: the training run's own numbers.
    const onReference = await runScript(['evaluate.py', '--data', 'data/reference.csv']);
    // Then the registered copy, through MODEL_PATH, with model/ gone to prove it is not used.
    const artifact = await api<Buffer>(artifactPath(trainRun.info, 'model/model.json'));
    const version = path.join(work.dir, 'version-1');
    mkdirSync(version);
    writeFileSync(path.join(version, 'model.json'), artifact);
    rmSync(path.join(work.dir, 'model'), { recursive: true });
    const onCurrent = await runScript(['evaluate.py'], {
      MODEL_PATH: version,
      MODEL_URI: 'models:/churn/1',
    });

    const reference = byKey(onReference.data.metrics) as Record<string, number>;
    const current = byKey(onCurrent.data.metrics) as Record<string, number>;
    assert.equal(reference.accuracy, byKey(trainRun.data.metrics).accuracy);
    assert.equal(onCurrent.info.status, 'FINISHED');
    assert.deepEqual(Object.keys(current).sort(), ['accuracy', 'auc', 'log_loss']);
    assert.ok(current.accuracy < reference.accuracy - 0.03, `${current.accuracy} on current`);
    assert.ok(current.auc < reference.auc, `auc ${current.auc} on current`);
    assert.equal(byKey(onCurrent.data.tags).model_uri, 'models:/churn/1');
    assert.equal(byKey(onCurrent.data.params).data, 'data/current.csv');
    const [input] = onCurrent.inputs.dataset_inputs;
    assert.deepEqual(input.tags, [{ key: 'mlflow.data.context', value: 'evaluation' }]);
    assert.equal(input.dataset.name, 'current.csv');
  });
});
