import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTracked, type TrackedOptions } from '../../../src/core/projects/launch';
import { planLaunch } from '../../../src/core/projects/launchPlan';
import { nearestMlproject } from '../../../src/core/projects/launchProject';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { fakeRunner } from './fakes';

/**
 * A script launched on its own (▶ Train on a .py file) next to, or below, an MLproject records
 * its run in the project's experiment, unless an experiment was asked for or one is active.
 */
const options: TrackedOptions = {
  trackingUri: 'http://127.0.0.1:5999',
  pythonModuleDir: '/bundled/python',
  baseEnv: {},
};

/** workspace/churn/MLproject (name: churn) and workspace/churn/src/train.py. */
function workspace(t: { after(fn: () => unknown): void }) {
  const temp = tempDir('mf-script-project-');
  t.after(temp.remove);
  const project = path.join(temp.dir, 'churn');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'MLproject'), 'name: churn\nentry_points: {}\n');
  const script = path.join(project, 'src', 'train.py');
  writeFileSync(script, 'print("training")\n');
  return { root: temp.dir, project, script };
}

async function launchScript(
  t: { after(fn: () => unknown): void },
  root: string,
  script: string,
  extra: Partial<TrackedOptions> = {},
) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const mlproject = nearestMlproject(script, root);
  const mlprojectText = mlproject === undefined ? undefined : readFileSync(mlproject, 'utf8');
  const plan = planLaunch({ kind: 'train', python: 'python3', scriptPath: script, mlprojectText });

  const outcome = await runTracked(temp.store, plan, fakeRunner(() => ({ code: 0 })).runner, {
    ...options,
    ...extra,
  });
  return temp.store.getExperiment(outcome.experimentId).name;
}

test('a script below an MLproject in the workspace finds that MLproject', (t) => {
  const { root, project, script } = workspace(t);

  assert.equal(nearestMlproject(script, root), path.join(project, 'MLproject'));
  assert.equal(
    nearestMlproject(path.join(project, 'train.py'), root),
    path.join(project, 'MLproject'),
  );
});

test('an MLproject above the workspace folder, or above a script outside any, is not used', (t) => {
  const { project, script } = workspace(t);

  assert.equal(nearestMlproject(script, path.join(project, 'src')), undefined);
  assert.equal(nearestMlproject(script), undefined);
});

test('a script launched below an MLproject records its run in the project experiment', async (t) => {
  const { root, script } = workspace(t);

  assert.equal(await launchScript(t, root, script), 'churn');
});

test('an experiment asked for, then the active one, still come before the project name', async (t) => {
  const { root, script } = workspace(t);

  assert.equal(await launchScript(t, root, script, { experiment: 'asked' }), 'asked');
  assert.equal(await launchScript(t, root, script, { activeExperiment: 'active' }), 'active');
});

test('a script with no MLproject around it still records its run in Default', async (t) => {
  const { project, script } = workspace(t);

  assert.equal(await launchScript(t, path.join(project, 'src'), script), 'Default');
});
