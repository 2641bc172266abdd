// One click to a tracked run: open examples/churn/train.py, click the "▶ Train" code lens, and
// watch the run appear in the Experiments view and finish, with its loss metric in the tree.
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  e2eEnv,
  openFile,
  repoRoot,
  screenshot,
  showViewContainer,
  useWorkbench,
} from './harness.mjs';

const session = useWorkbench();

test('clicking "▶ Train" on train.py runs it as a tracked run that finishes in the tree', async () => {
  const { page } = session;
  await cp(join(repoRoot, 'examples/churn'), join(e2eEnv().folder, 'churn'), { recursive: true });
  await showViewContainer(page, 'Model Factory');
  await page.locator('.statusbar-item', { hasText: /MLflow :\d+/ }).waitFor({ timeout: 30_000 });

  await openFile(page, 'train.py');
  // The lenses sit above `def train` and the main guard, below the fold: go to the end.
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  const lens = page.locator('.codelens-decoration a:visible', { hasText: '▶ Train' }).first();
  await lens.waitFor({ timeout: 30_000 });
  await lens.click();

  const experiments = page.locator('.pane', {
    has: page.locator('.pane-header .title', { hasText: 'Experiments' }),
  });
  const experiment = experiments.locator('.monaco-list-row', { hasText: /churn/ }).first();
  await experiment.waitFor({ timeout: 30_000 });
  if ((await experiment.getAttribute('aria-expanded')) === 'false') await experiment.click();
  const finished = experiments.locator('.monaco-list-row', {
    has: page.locator('.codicon-pass'),
    hasText: /loss \d/,
  });
  await finished.waitFor({ timeout: 90_000 });
  await screenshot(page, 'launch-train');

  assert.match(await finished.innerText(), /loss \d/);
});
