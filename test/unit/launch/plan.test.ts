import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  evaluatedModel,
  evaluationTargets,
  recordEvaluation,
} from '../../../src/core/projects/launchEvaluate';
import { LaunchError, planLaunch } from '../../../src/core/projects/launchPlan';
import { openTempStore } from '../../helpers/tempStore';

const PROJECT = `name: churn
entry_points:
  train:
    parameters:
      data: {type: path, default: data/reference.csv}
      epochs: {type: int, default: 200}
    command: "python train.py --data {data} --epochs {epochs}"
`;

test('an entry point runs with the chosen interpreter, in the project folder, with defaults as params', () => {
  const plan = planLaunch({
    kind: 'train',
    python: '/venv/bin/python',
    mlprojectPath: '/work/churn/MLproject',
    mlprojectText: PROJECT,
    entryPoint: 'train',
    values: { epochs: '20', seed: '7' },
  });

  assert.deepEqual(plan.argv, [
    '/venv/bin/python',
    'train.py',
    '--data',
    path.resolve('/work/churn', 'data/reference.csv'),
    '--epochs',
    '20',
    '--seed',
    '7',
  ]);
  assert.equal(plan.cwd, '/work/churn');
  assert.deepEqual(plan.params, { data: 'data/reference.csv', epochs: '20', seed: '7' });
  assert.equal(plan.projectName, 'churn');
  assert.equal(plan.entryPoint, 'train');
});

test('an MLproject with errors is refused, naming the error and its line', () => {
  const broken = PROJECT.replace('type: int', 'type: integer');

  assert.throws(
    () =>
      planLaunch({
        kind: 'train',
        python: 'python3',
        mlprojectPath: '/p/MLproject',
        mlprojectText: broken,
        entryPoint: 'train',
        values: {},
      }),
    (error: Error) => error instanceof LaunchError && /line 6: .*integer/.test(error.message),
  );
});

test('an unknown entry point is refused, naming the ones there are', () => {
  const plan = () =>
    planLaunch({
      kind: 'train',
      python: 'python3',
      mlprojectPath: '/p/MLproject',
      mlprojectText: PROJECT,
      entryPoint: 'fit',
      values: {},
    });

  assert.throws(plan, /no entry point 'fit' \(it has 'train'\)/);
});

test('a script runs as python, its path and --key value pairs, in its folder', () => {
  const plan = planLaunch({
    kind: 'evaluate',
    python: 'python3',
    scriptPath: '/w/eval.py',
    values: { data: 'x.csv' },
  });

  assert.deepEqual(plan.argv, ['python3', '/w/eval.py', '--data', 'x.csv']);
  assert.equal(plan.cwd, '/w');
  assert.equal(plan.entryPoint, 'eval.py');
});

test('an evaluation finds the model files of a runs:/ source and appends to the description', async (t) => {
  const temp = await openTempStore();
  t.after(() => temp.dispose());
  const { store } = temp;
  const source = store.createRun({ experimentId: '0' });
  const sourceId = source.info.runId;
  store.createRegisteredModel('churn');
  store.createModelVersion({ name: 'churn', source: `runs:/${sourceId}/model`, runId: sourceId });
  store.updateModelVersion('churn', '1', 'First model.');
  const evaluation = store.createRun({ experimentId: '0' });
  store.logMetric(evaluation.info.runId, { key: 'accuracy', value: 0.8125, timestamp: 1, step: 0 });

  const model = evaluatedModel(store, store.getModelVersion('churn', '1'));
  recordEvaluation(store, evaluation.info.runId, model, new Date('2025-01-02T03:04:00Z'));

  assert.equal(model.uri, 'models:/churn/1');
  assert.equal(model.path, path.join(store.artifactsDir, '0', sourceId, 'artifacts', 'model'));
  assert.equal(
    store.getModelVersion('churn', '1').description,
    `First model.\nEvaluated by run ${evaluation.info.runId} on 2025-01-02 03:04 UTC: accuracy 0.8125`,
  );
});

test('evaluation targets are the eval… entry points, the project that trained the version first', () => {
  const project = (name: string, entryPoints: string[]) =>
    `name: ${name}\nentry_points:\n` +
    entryPoints.map((entry) => `  ${entry}:\n    command: "python ${entry}.py"\n`).join('');
  const projects = [
    { path: '/work/a/MLproject', text: project('a', ['train', 'evaluate']) },
    { path: '/work/b/MLproject', text: project('b', ['main', 'eval_holdout', 'Evaluate_live']) },
    { path: '/work/c/MLproject', text: 'entry_points: [' },
  ];

  const targets = evaluationTargets(projects, '/work/b/MLproject');
  const anywhere = evaluationTargets(projects, undefined);

  assert.deepEqual(
    targets.map((target) => `${target.mlprojectPath}:${target.entryPoint}`),
    [
      '/work/b/MLproject:eval_holdout',
      '/work/b/MLproject:Evaluate_live',
      '/work/a/MLproject:evaluate',
    ],
  );
  assert.equal(anywhere[0].mlprojectPath, '/work/a/MLproject');
  assert.deepEqual(evaluationTargets([projects[2]], undefined), []);
});
