// The sidebar as a user meets it: runs and models logged over MLflow's REST API (as mlflow code
// would) appear in the views without a refresh, and a context-menu action on a model version
// (set an alias) shows in the Models view at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseFromMenu,
  screenshot,
  showViewContainer,
  treeRow,
  useWorkbench,
  workspaceServer,
} from './harness.mjs';

const session = useWorkbench();

test('experiments, runs and models logged over HTTP appear in the views without a refresh', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');
  const api = await workspaceServer();

  const { experiment_id: first } = await api('POST', 'experiments/create', {
    name: 'house-prices',
  });
  await api('POST', 'experiments/create', { name: 'churn' });
  const { run } = await api('POST', 'runs/create', { experiment_id: first, run_name: 'baseline' });
  await api('POST', 'runs/log-batch', {
    run_id: run.info.run_id,
    metrics: [{ key: 'rmse', value: 0.412, timestamp: Date.now(), step: 0 }],
    params: [{ key: 'alpha', value: '0.1' }],
  });
  await api('POST', 'registered-models/create', { name: 'house-model' });
  await api('POST', 'model-versions/create', {
    name: 'house-model',
    source: `runs:/${run.info.run_id}/model`,
    run_id: run.info.run_id,
  });

  await treeRow(page, 'Experiments', 'house-prices').waitFor();
  await treeRow(page, 'Experiments', 'churn').waitFor();
  await treeRow(page, 'Experiments', 'house-prices').click();
  await treeRow(page, 'Experiments', 'baseline').waitFor();
  assert.match(await treeRow(page, 'Experiments', 'baseline').innerText(), /rmse 0\.412/);
  await treeRow(page, 'Models', 'house-model').waitFor();
  await screenshot(page, 'sidebar');
});

test('a run logged while the view is open appears in place, without a manual refresh', async () => {
  const { page } = session;
  const api = await workspaceServer();
  const { experiment } = await api('GET', 'experiments/get-by-name?experiment_name=house-prices');

  await api('POST', 'runs/create', {
    experiment_id: experiment.experiment_id,
    run_name: 'live-run',
  });

  await treeRow(page, 'Experiments', 'live-run').waitFor({ timeout: 10_000 });
});

test('setting an alias from the version context menu shows it in the Models view', async () => {
  const { page } = session;
  await treeRow(page, 'Models', 'house-model').click();
  const version = treeRow(page, 'Models', 'Version 1');
  await version.waitFor();

  const input = page.locator('.quick-input-widget input');
  await chooseFromMenu(page, version, /Set Alias/, input);
  await input.fill('champion');
  await page.keyboard.press('Enter');

  await treeRow(page, 'Models', '@champion').waitFor({ timeout: 10_000 });
  await screenshot(page, 'models-alias');
});
