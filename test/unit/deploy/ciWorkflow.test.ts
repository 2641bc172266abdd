import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ciWorkflow, LOGS_DIR, type CiWorkflowOptions } from '../../../src/core/deploy';
import { RunStore } from '../../../src/core/store/store';
import { tempDir } from '../../helpers/tempStore';
import { root } from './helpers';
import { runWorkflow, type Step, type StepRecord } from './workflowRunner';

const CHURN: CiWorkflowOptions = {
  modelName: 'churn',
  metric: 'auc',
  project: 'churn',
  referenceData: 'data/reference.csv',
  newData: 'data/current.csv',
  params: { epochs: '20' },
};

/** Parses strictly: any YAML error or warning fails the test. */
function parseWorkflow(text: string) {
  const document = parseDocument(text, { uniqueKeys: true, strict: true, prettyErrors: true });
  assert.deepEqual([...document.errors, ...document.warnings].map(String), []);
  return document.toJS() as {
    name: string;
    on: Record<string, any>;
    env: Record<string, string>;
    jobs: { retrain: { steps: Step[]; defaults: { run: Record<string, string> } } };
  };
}

/** The programs a step's bash script starts: first words of commands and of $( ). */
function programs(script: string): string[] {
  const found = new Set<string>();
  for (const segment of script.split(/\n|\|\||&&|\||;/)) {
    const words = segment
      .trim()
      .replace(/^(if|then|else)\s+/, '')
      .split(/\s+/);
    if (words[0] && !/^\w+=/.test(words[0]) && words[0] !== 'fi') found.add(words[0]);
  }
  for (const match of script.matchAll(/\$\((\S+)/g)) found.add(match[1]);
  return [...found];
}

describe('the generated CI workflow', () => {
  test('is valid YAML with the triggers, the environment and the steps of the retraining loop', () => {
    const workflow = parseWorkflow(ciWorkflow(CHURN));

    assert.deepEqual(workflow.on.schedule, [{ cron: '0 6 * * 1' }]);
    assert.deepEqual(workflow.on.push, { paths: ['churn/data/**', 'churn/MLproject'] });
    assert.equal(workflow.on.workflow_dispatch.inputs.first_run.type, 'boolean');
    assert.deepEqual(workflow.env, {
      MODEL_NAME: 'churn',
      ALIAS: 'champion',
      METRIC: 'auc',
      REFERENCE_DATA: 'data/reference.csv',
      NEW_DATA: 'data/current.csv',
      STORE: '.modelfactory',
      CHAMPION_DATA: '.modelfactory/champion-data',
      LOGS: LOGS_DIR,
    });
    assert.deepEqual(workflow.jobs.retrain.defaults.run, {
      shell: 'bash',
      'working-directory': 'churn',
    });
    assert.deepEqual(
      workflow.jobs.retrain.steps.map(
        (step) => step.uses?.replace(/@.*/, '') ?? step.id ?? step.name,
      ),
      [
        'actions/checkout',
        'actions/setup-python',
        'actions/setup-node',
        'Install the Model Factory command line',
        'actions/cache/restore',
        'drift',
        'train',
        'Evaluate @champion on the new data',
        'compare',
        'Register the retrained model and move @champion to it',
        'actions/cache/save',
        'actions/upload-artifact',
      ],
    );
  });

  test('its scripts call only model-factory drift, run, compare and register, besides the install', () => {
    const steps = parseWorkflow(ciWorkflow({ ...CHURN, requirements: 'requirements.txt' })).jobs
      .retrain.steps;
    const scripts = steps.filter((step) => step.run !== undefined);

    const install = scripts
      .filter((step) => /^Install/.test(step.name))
      .map((step) => step.run!.trim());
    assert.deepEqual(install, [
      'npm install --global model-factory',
      'python -m pip install -r requirements.txt',
    ]);
    const others = scripts.filter((step) => !/^Install/.test(step.name));
    const used = new Set(others.flatMap((step) => programs(step.run!)));
    assert.deepEqual([...used].sort(), [
      '[',
      'basename',
      'cat',
      'cp',
      'echo',
      'exit',
      'mkdir',
      'model-factory',
      'tee',
    ]);
    const subcommands = new Set(
      others.flatMap((step) => [...step.run!.matchAll(/model-factory (\S+)/g)].map((m) => m[1])),
    );
    assert.deepEqual([...subcommands].sort(), ['compare', 'drift', 'register', 'run']);
  });

  test('values that need quoting arrive intact in YAML and in bash', () => {
    const odd = `my "odd" model's name`;
    const workflow = parseWorkflow(
      ciWorkflow({
        ...CHURN,
        modelName: odd,
        project: '.',
        params: { note: "two words; $(rm -rf ~) 'x'" },
        driftArgs: ['--columns', 'a b'],
      }),
    );

    assert.equal(workflow.env.MODEL_NAME, odd);
    const train = workflow.jobs.retrain.steps.find((step) => step.id === 'train')!;
    assert.ok(train.run!.includes(`-P 'note=two words; $(rm -rf ~) '\\''x'\\'''`), train.run);
    const drift = workflow.jobs.retrain.steps.find((step) => step.id === 'drift')!;
    assert.ok(drift.run!.includes(`--columns 'a b'`));
    assert.deepEqual(workflow.on.push.paths, ['data/**', 'MLproject']);
  });

  test('options that cannot go into a workflow are refused, naming the option', () => {
    assert.throws(
      () => ciWorkflow({ ...CHURN, modelName: '${{ secrets.TOKEN }}' }),
      /modelName cannot hold a line break or \$\{\{/,
    );
    assert.throws(
      () => ciWorkflow({ ...CHURN, newData: 'a\nb' }),
      /newData cannot hold a line break/,
    );
    assert.throws(
      () => ciWorkflow({ ...CHURN, alias: 'the champion' }),
      /alias cannot be 'the champion'/,
    );
    assert.throws(
      () => ciWorkflow({ ...CHURN, schedule: 'weekly' }),
      /schedule must be a cron expression of 5 fields/,
    );
    assert.throws(
      () => ciWorkflow({ ...CHURN, project: '../elsewhere' }),
      /project must be a folder inside the repository/,
    );
    assert.throws(() => ciWorkflow({ ...CHURN, metric: '' }), /needs a value for metric/);
  });

  test('a direction for the metric is passed to compare', () => {
    const steps = parseWorkflow(ciWorkflow({ ...CHURN, metric: 'churn_cost', direction: 'lower' }))
      .jobs.retrain.steps;

    assert.match(
      steps.find((step) => step.id === 'compare')!.run!,
      /--metric "\$METRIC" --lower-is-better/,
    );
  });
});

/**
 * The workflow's steps run in order on this machine against a local store, five times: the
 * first run by hand, a push of drifted data, a scheduled run on data that has not drifted, a
 * push that retrains without beating the champion, and a push of a missing file.
 * Not run here, and why: actions/checkout (the project copy is the checkout), setup-python and
 * setup-node (python3 and node are already here), `npm install --global model-factory` (no
 * registry, and no global installs: a shim puts this checkout's CLI on PATH instead), and the
 * cache steps (the store stays on disk between runs, which is what the cache gives CI). The
 * upload step is checked: the folder it uploads must hold each step's output.
 */
describe('the generated CI workflow, executed step by step', () => {
  let work: ReturnType<typeof tempDir>;
  let project: string;
  let workflow: ReturnType<typeof parseWorkflow>;
  const example = path.join(root, 'examples/churn/data');
  const logs = (name: string) => path.join(project, LOGS_DIR, name);

  function elsewhere(step: Step, values: Record<string, string>) {
    if (step.uses?.startsWith('actions/upload-artifact')) {
      const folder = path.join(work.dir, values.path);
      return existsSync(folder)
        ? { outcome: 'success' as const, note: `would upload ${values.path}` }
        : { outcome: 'failure' as const, note: `nothing to upload at ${values.path}` };
    }
    if (step.uses) return { outcome: 'success' as const, note: `not run here: ${step.uses}` };
    if (/^Install/.test(step.name))
      return { outcome: 'success' as const, note: 'not run here: the shim is the CLI' };
    return undefined;
  }
  const run = (event: string, inputs?: Record<string, unknown>) =>
    runWorkflow({ workflow, repoDir: work.dir, event, inputs, elsewhere });
  const outcomes = (records: StepRecord[]) =>
    Object.fromEntries(
      records
        .filter((r) => r.id || /^Register|^Evaluate/.test(r.name))
        .map((r) => [r.id ?? r.name.split(' ')[0], r.outcome]),
    );
  const explain = (records: StepRecord[]) =>
    records.map((r) => `${r.name}: ${r.outcome}\n${r.note}`).join('\n');
  async function registry() {
    const store = await RunStore.open(path.join(project, '.modelfactory'), { readOnly: true });
    try {
      return {
        champion: store.getModelVersionByAlias('churn', 'champion'),
        versions: store.searchModelVersions({}).items.length,
        runs: store.searchRuns({
          experimentIds: ['0', store.getExperimentByName('churn').experimentId],
        }).items.length,
      };
    } finally {
      await store.close();
    }
  }

  before(() => {
    work = tempDir('mf-ci-');
    project = path.join(work.dir, 'churn');
    cpSync(path.join(root, 'examples/churn'), project, {
      recursive: true,
      filter: (source) => !/[\\/](model|__pycache__)$/.test(source),
    });
    // The first batch is the reference itself; later pushes replace data/current.csv.
    copyFileSync(path.join(example, 'reference.csv'), path.join(project, 'data/current.csv'));
    workflow = parseWorkflow(ciWorkflow(CHURN));
  });
  after(() => work.remove());

  test('started by hand with first_run, it trains and registers the first champion without a drift check', async () => {
    const records = await run('workflow_dispatch', { first_run: true });

    assert.deepEqual(
      outcomes(records),
      {
        drift: 'skipped',
        train: 'success',
        Evaluate: 'skipped',
        compare: 'skipped',
        Register: 'success',
      },
      explain(records),
    );
    const { champion } = await registry();
    assert.equal(champion.version, '1');
    assert.match(readFileSync(logs('register.log'), 'utf8'), /@champion now points at version 1/);
    assert.ok(
      records.every((record) => record.outcome !== 'failure'),
      explain(records),
    );
  });

  test('a push of drifted data retrains, evaluates the champion, and promotes the better model', async () => {
    copyFileSync(path.join(example, 'current.csv'), path.join(project, 'data/current.csv'));

    const records = await run('push');

    assert.deepEqual(
      outcomes(records),
      {
        drift: 'success',
        train: 'success',
        Evaluate: 'success',
        compare: 'success',
        Register: 'success',
      },
      explain(records),
    );
    assert.equal(records.find((r) => r.id === 'drift')!.outputs.drifted, 'true');
    assert.equal(records.find((r) => r.id === 'compare')!.outputs.better, 'true');
    assert.equal(JSON.parse(readFileSync(logs('drift.json'), 'utf8')).dataset.drift, true);
    assert.ok(existsSync(logs('drift.html')));
    assert.match(readFileSync(logs('compare.txt'), 'utf8'), /The second is better than the first/);
    assert.match(readFileSync(logs('evaluate.log'), 'utf8'), /auc 0\.7\d+/);
    const { champion } = await registry();
    assert.equal(champion.version, '2');
    assert.equal(champion.runId, records.find((r) => r.id === 'train')!.outputs.run_id);
  });

  test('a scheduled run on the data @champion was trained on stops after the drift check', async () => {
    // data/current.csv is the batch the last push promoted a model on: the check compares it with
    // the copy kept at the promotion, not with REFERENCE_DATA, so it has not drifted.
    const before = await registry();

    const records = await run('schedule');

    assert.deepEqual(
      outcomes(records),
      {
        drift: 'success',
        train: 'skipped',
        Evaluate: 'skipped',
        compare: 'skipped',
        Register: 'skipped',
      },
      explain(records),
    );
    assert.equal(records.find((r) => r.id === 'drift')!.outputs.drifted, 'false');
    assert.deepEqual(await registry(), before);
  });

  test('a push back to the first data promotes a model trained on it, and its data is kept', async () => {
    copyFileSync(path.join(example, 'reference.csv'), path.join(project, 'data/current.csv'));

    const records = await run('push');

    assert.deepEqual(
      outcomes(records),
      {
        drift: 'success',
        train: 'success',
        Evaluate: 'success',
        compare: 'success',
        Register: 'success',
      },
      explain(records),
    );
    assert.match(
      records.find((r) => r.id === 'drift')!.note,
      /Reference: \.modelfactory\/champion-data\/current\.csv/,
    );
    assert.equal((await registry()).champion.version, '3');
    assert.deepEqual(
      readFileSync(path.join(project, '.modelfactory/champion-data/current.csv')),
      readFileSync(path.join(example, 'reference.csv')),
    );
  });

  test('a retrained model that is not better leaves the champion and its data where they are', async () => {
    // With auc read as lower-is-better, the model fitted to the new data judges worse than
    // @champion evaluated on it: the branch a regression takes, reached deterministically.
    const workflowAsGenerated = workflow;
    workflow = parseWorkflow(ciWorkflow({ ...CHURN, direction: 'lower' }));
    copyFileSync(path.join(example, 'current.csv'), path.join(project, 'data/current.csv'));

    const records = await run('push').finally(() => (workflow = workflowAsGenerated));

    assert.deepEqual(
      outcomes(records),
      {
        drift: 'success',
        train: 'success',
        Evaluate: 'success',
        compare: 'success',
        Register: 'skipped',
      },
      explain(records),
    );
    assert.equal(records.find((r) => r.id === 'compare')!.outputs.better, 'false');
    assert.equal((await registry()).champion.version, '3');
    assert.deepEqual(
      readFileSync(path.join(project, '.modelfactory/champion-data/current.csv')),
      readFileSync(path.join(example, 'reference.csv')),
    );
  });

  test('a drift check that cannot run fails the job, and the output is still kept', async () => {
    rmSync(path.join(project, 'data/current.csv'));

    const records = await run('push');

    const byName = Object.fromEntries(records.map((r) => [r.id ?? r.name, r]));
    assert.equal(byName.drift.outcome, 'failure', explain(records));
    assert.match(byName.drift.note, /model-factory: .*current\.csv/);
    assert.equal(byName.train.outcome, 'skipped');
    assert.equal(records.at(-1)!.outcome, 'success', 'the upload step runs always()');
  });
});
