// The panels in a real VS Code: a run's panel draws a chart per metric under the strict content
// security policy, with a hostile run name shown as text; the compare panel hides the columns
// that do not differ; both are photographed in a dark and in a light theme.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  findInLogs,
  panelFrame,
  runCommand,
  screenshot,
  setTheme,
  showViewContainer,
  treeRow,
  useWorkbench,
  workspaceServer,
} from './harness.mjs';

const session = useWorkbench();
const HOSTILE = '<img src=x onerror=alert(1)>';
const METRICS = ['accuracy', 'auc', 'loss'];

async function logRuns(api) {
  const { experiment_id } = await api('POST', 'experiments/create', { name: 'panels' });
  const names = [HOSTILE, 'second', 'third'];
  for (const [r, run_name] of names.entries()) {
    const { run } = await api('POST', 'runs/create', { experiment_id, run_name });
    const metrics = METRICS.flatMap((key, k) =>
      Array.from({ length: 60 }, (_, step) => ({
        key,
        value:
          key === 'loss'
            ? Math.exp(-step / (10 + 5 * r))
            : 0.5 + 0.4 * (1 - Math.exp(-step / (8 + k + r))),
        timestamp: Date.now() + step,
        step,
      })),
    );
    await api('POST', 'runs/log-batch', {
      run_id: run.info.run_id,
      metrics,
      params: [
        { key: 'lr', value: String(0.01 * (r + 1)) },
        { key: 'seed', value: '7' },
        { key: 'model', value: 'logistic' },
      ],
    });
    await api('POST', 'runs/update', {
      run_id: run.info.run_id,
      status: 'FINISHED',
      end_time: Date.now(),
    });
  }
}

/**
 * Clicks a run row until its panel shows `ready`. The rows are repainted as the logged runs'
 * last updates arrive (batched every 250 ms), and a click on a row that is being replaced runs
 * a command VS Code has already let go ("Actual command not found"), so one click can be lost.
 */
async function openFromTree(page, label, ready) {
  const row = treeRow(page, 'Experiments', label);
  await row.filter({ hasText: /accuracy/ }).waitFor();
  for (let attempt = 1; ; attempt++) {
    await row.click();
    try {
      await ready.waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Expands an experiment once it lists its runs, by its twistie, again if a repaint swallowed the
 * click (a click on the row itself may land on a row being replaced, as in openFromTree).
 */
async function expandExperiment(page, label, settled) {
  const row = treeRow(page, 'Experiments', label).filter({ hasText: settled });
  await row.waitFor();
  for (let attempt = 1; ; attempt++) {
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.locator('.monaco-tl-twistie').click();
    }
    try {
      await row.and(page.locator('[aria-expanded="true"]')).waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** Puts back the user settings the dark test found; the light test calls it at its end. */
let restoreTheme;

test('the run panel draws one chart per metric and shows a hostile name as text', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');
  // The "-dark" screenshots are taken in a dark theme (once the workbench has the keyboard);
  // the light test switches back.
  restoreTheme = await setTheme(page, 'Default Dark Modern', 'vs-dark');
  await logRuns(await workspaceServer());

  await expandExperiment(page, 'panels', '3 runs');
  const frame = panelFrame(page);
  await openFromTree(page, HOSTILE, frame.locator('figure.chart canvas').nth(2));

  const captions = await frame.locator('figure.chart h3').allInnerTexts();
  const labels = await frame
    .locator('figure.chart')
    .evaluateAll((figures) => figures.map((figure) => figure.getAttribute('aria-label')));
  assert.deepEqual(captions, METRICS);
  assert.equal(await frame.locator('figure.chart canvas').count(), 3);
  for (const [i, label] of labels.entries()) {
    assert.match(
      label,
      new RegExp(`^Chart of ${METRICS[i]}\\. .*: 60 points, last [\\d.]+ at step 59`),
    );
  }
  assert.equal(await frame.locator('h1').evaluate((h1) => h1.firstChild.textContent), HOSTILE);
  assert.equal(await frame.locator('img').count(), 0, 'the name did not become an element');
  await screenshot(page, 'run-panel-dark');
});

test('the compare panel hides unchanged columns when asked', async () => {
  const { page } = session;
  await treeRow(page, 'Experiments', HOSTILE).click();
  await treeRow(page, 'Experiments', 'second').click({ modifiers: ['Control'] });
  await treeRow(page, 'Experiments', 'third').click({ modifiers: ['Control'] });
  await runCommand(page, 'Model Factory: Compare Runs');

  const frame = panelFrame(page);
  await frame.locator('h1', { hasText: 'Compare 3 runs' }).waitFor({ timeout: 30_000 });
  const columns = frame.locator('table.grid thead th');
  await columns.first().waitFor();
  const before = await columns.count();
  await frame.getByRole('button', { name: 'Hide unchanged columns' }).click();
  await frame.locator('button.hide-unchanged[aria-pressed="true"]').waitFor();
  const after = await columns.count();
  const headers = await columns.allInnerTexts();

  assert.ok(after < before, `${before} columns before, ${after} after`);
  assert.ok(
    headers.some((h) => /lr/.test(h)),
    'lr differs and stays',
  );
  assert.ok(!headers.some((h) => /seed|model/.test(h)), 'seed and model are the same and go');
  await frame.locator('figure.chart canvas').first().waitFor();
  await screenshot(page, 'compare-panel-dark');
});

test('the panels follow a light theme, and no policy violation was logged', async (t) => {
  const { page } = session;
  await setTheme(page, 'Default Light Modern', 'vs');
  // The settings as they were before the dark test, so later windows open as they would have.
  t.after(() => restoreTheme?.());
  await panelFrame(page).locator('body.vscode-light').waitFor();

  await panelFrame(page).locator('figure.chart canvas').first().waitFor();
  await screenshot(page, 'compare-panel-light');
  await page.locator('.tab', { hasText: HOSTILE }).click();
  await panelFrame(page).locator('figure.chart canvas').nth(2).waitFor();
  await screenshot(page, 'run-panel-light');

  const violation = await findInLogs('Model Factory.log', /content security policy blocked.*/);
  assert.equal(violation, undefined, violation?.match[0]);
});
