// Drift in the editor, on the example project: open churn/data/current.csv, click its "Check
// drift…" lens, pick reference.csv, and read the drift panel (drifted columns first, the
// multivariate test, concept drift with its detectors); retrain on the file from the panel and
// watch the run finish in the Experiments view, tagged with the check; find the check under the
// file in the Datasets view and on the lens.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  e2eEnv,
  openFile,
  panelFrame,
  poll,
  repoRoot,
  screenshot,
  setTheme,
  showViewContainer,
  treeRow,
  useWorkbench,
} from './harness.mjs';

const run = promisify(execFile);
const cli = join(repoRoot, 'dist', 'cli.js');
const TAG = 'model_factory.drift_check';
const COLUMNS = { target: 'churned', prediction: 'prediction' };
// Both set explicitly, whatever the default: `workbench` is the workbench's class, `kind` the page's.
const THEMES = [
  { name: 'Default Dark Modern', workbench: 'vs-dark', kind: 'dark' },
  { name: 'Default Light Modern', workbench: 'vs', kind: 'light' },
];

// The project and its drift settings are in place before the window opens, as in a project a
// user opens: the settings name the target and prediction columns, so checks add concept drift.
before(async () => {
  const { folder } = e2eEnv();
  await cp(join(repoRoot, 'examples/churn'), join(folder, 'churn'), { recursive: true });
  await mkdir(join(folder, '.vscode'), { recursive: true });
  const settings = {
    'modelFactory.drift.target': COLUMNS.target,
    'modelFactory.drift.prediction': COLUMNS.prediction,
  };
  await writeFile(join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
});
const session = useWorkbench();

function dataFile(name) {
  return join(e2eEnv().folder, 'churn', 'data', name);
}

/** What the headless engine says about the same files, for the panel to agree with. */
async function cliReport() {
  const args = [cli, 'drift', dataFile('reference.csv'), dataFile('current.csv'), '--json'];
  args.push('--target', COLUMNS.target, '--prediction', COLUMNS.prediction);
  const { stdout } = await run(process.execPath, args);
  return JSON.parse(stdout);
}

/**
 * The drift checks stored for a file, read from the workspace store as its owner last
 * acknowledged it, without taking it over. The CLI does not list checks, so this goes through the
 * same core bundle the extension loads.
 */
async function storedChecks(currentPath) {
  const { RunStore } = createRequire(import.meta.url)(join(repoRoot, 'dist', 'core.js'));
  const store = await RunStore.open(join(e2eEnv().folder, '.modelfactory'), { readOnly: true });
  try {
    return store
      .listDriftChecks({ currentPath })
      .map((summary) => ({ ...summary, options: store.getDriftCheck(summary.checkId).options }));
  } finally {
    await store.close();
  }
}

/** The runs of the workspace store, as `model-factory runs --json` prints them. */
async function storedRuns() {
  const store = join(e2eEnv().folder, '.modelfactory');
  const { stdout } = await run(process.execPath, [cli, 'runs', '--store', store, '--json']);
  return JSON.parse(stdout).runs ?? [];
}

function tagOf(storedRun, key) {
  return storedRun.data.tags?.find((tag) => tag.key === key)?.value;
}

/** Expands the view titled `title` if it is collapsed and returns its pane. */
async function expandView(page, title) {
  const pane = page.locator('.pane', {
    has: page.locator('.pane-header .title', { hasText: new RegExp(`^${title}$`, 'i') }),
  });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane;
}

/** Expands a tree row by its twistie: a click on a row with a command runs the command instead. */
async function expandRow(row) {
  await row.waitFor({ timeout: 30_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') {
    await row.locator('.monaco-tl-twistie').click();
  }
  const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
  await poll(async () => ((await expanded()) ? true : undefined), { what: 'the row to expand' });
}

/** Clicks "Check drift…" on the open data file and answers the reference question. */
async function checkDrift(page, referenceName) {
  await page.locator('.codelens-decoration a', { hasText: 'Check drift…' }).click();
  const quickInput = page.locator('.quick-input-widget');
  const title = 'Check current.csv for drift against which reference?';
  await quickInput.locator('.quick-input-title', { hasText: title }).waitFor();
  const rows = quickInput.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: 'Browse…' }).waitFor();
  const choices = await rows.allInnerTexts();
  await rows.filter({ hasText: referenceName }).click();
  return choices;
}

/** The columns table as shown: each row's column, whether it is marked, and its drift cell. */
function shownColumns(frame) {
  return frame.locator('table.columns tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      column: tr.dataset.column,
      marked: tr.classList.contains('drifted'),
      drift: tr.lastElementChild.textContent,
    })),
  );
}

async function assertColumns(frame, report) {
  const drifted = report.columns.filter((c) => c.drift).map((c) => c.column);
  const steady = report.columns.filter((c) => !c.drift).map((c) => c.column);
  const table = await shownColumns(frame);
  const bars = frame.locator('section[aria-label="Selected column"] canvas.drift-bars');

  assert.ok(drifted.includes('monthly_charges'), 'the price rise is found');
  assert.ok(steady.length > 0, 'some columns did not drift');
  assert.deepEqual(
    table.map((row) => row.column),
    [...drifted, ...steady],
    'drifted columns first',
  );
  for (const row of table) {
    const isDrifted = drifted.includes(row.column);
    assert.equal(row.marked, isDrifted, `${row.column} marked as drifted: ${isDrifted}`);
    assert.equal(row.drift, isDrifted ? 'Drift' : 'no', `${row.column}'s drift cell`);
  }
  assert.match(
    await bars.getAttribute('aria-label'),
    new RegExp(`^Histograms of ${drifted[0]}, reference against current\\.`),
  );
}

async function assertConcept(concept, report) {
  const metrics = await concept
    .locator('table[aria-label="Model metrics, reference against current"] tbody th')
    .allInnerTexts();
  const detectors = await concept.locator('ul.detectors li').allInnerTexts();
  const fired = report.concept.detectors.find((d) => d.drift.length === 1);
  const firedText = detectors.find((text) => text.trim().split(/\s/)[0] === fired?.name);
  const curve = await concept.locator('figure.chart').getAttribute('aria-label');

  assert.deepEqual(metrics, Object.keys(report.concept.reference));
  assert.ok(metrics.includes('accuracy'));
  assert.equal(report.concept.error_test.drift, true);
  await concept.getByText('the error moved').waitFor();
  assert.deepEqual(
    detectors.map((text) => text.trim().split(/\s/)[0]),
    report.concept.detectors.map((d) => d.name),
  );
  assert.ok(fired, 'a detector fired once');
  assert.match(firedText, new RegExp(`drift at row ${fired.drift[0].toLocaleString('en-US')}\\b`));
  assert.match(curve, /^The error rate of the current file over its 2000 rows/);
}

/** The panel in a dark and a light theme, each at its top and at its concept drift section. */
async function photograph(page, frame, concept) {
  for (const theme of THEMES) {
    const restore = await setTheme(page, theme.name, theme.workbench);
    try {
      await frame.locator(`body.vscode-${theme.kind}`).waitFor();
      await concept.locator('figure.chart canvas').first().waitFor();
      await frame.locator('h1').scrollIntoViewIfNeeded();
      await screenshot(page, `drift-panel-${theme.kind}`);
      await concept.scrollIntoViewIfNeeded();
      await screenshot(page, `drift-concept-${theme.kind}`);
    } finally {
      await restore();
    }
  }
}

let expected;

test('"Check drift…" on current.csv shows drifted columns first and concept drift', async () => {
  const { page } = session;
  expected = await cliReport();
  await showViewContainer(page, 'Model Factory');
  await page.locator('.statusbar-item', { hasText: /MLflow :\d+/ }).waitFor({ timeout: 30_000 });
  await openFile(page, 'current.csv');
  await page.locator('.editor-actions .action-label[aria-label^="Check Drift…"]').waitFor();

  const choices = await checkDrift(page, 'reference.csv');
  const frame = panelFrame(page);
  await frame.locator('h1', { hasText: 'Drift: current.csv' }).waitFor({ timeout: 30_000 });
  await frame.locator('table.columns tbody tr').first().waitFor();
  const concept = frame.locator('section[aria-label="Concept drift"]');
  await concept.locator('figure.chart canvas').first().waitFor();

  assert.ok(
    choices.some((choice) => /reference\.csv/.test(choice)),
    `reference.csv offered: ${choices.join(' | ')}`,
  );
  assert.ok(!choices.some((choice) => /current\.csv/.test(choice)), 'not the file itself');
  await page.locator('.tab.active', { hasText: 'Drift: current.csv' }).waitFor();
  const { dataset } = expected;
  assert.match(
    await frame.locator('.verdict strong').innerText(),
    new RegExp(`^Drift detected: ${dataset.drifted} of ${dataset.total} columns drifted`),
  );
  await assertColumns(frame, expected);
  assert.equal(expected.multivariate.drift, true);
  await frame
    .locator('section[aria-label="Multivariate drift"]')
    .getByText('Drift: the numerical columns moved together.')
    .waitFor();
  await assertConcept(concept, expected);
  await photograph(page, frame, concept);

  const [check] = await poll(async () => {
    const checks = await storedChecks(dataFile('current.csv'));
    return checks.length > 0 ? checks : undefined;
  });
  assert.equal(check.reference.path, dataFile('reference.csv'));
  assert.equal(check.drifted, dataset.drifted);
  assert.deepEqual([check.options.target, check.options.prediction], Object.values(COLUMNS));
});

test('"Retrain on this data" runs train on the file, tagged with the check', async () => {
  const { page } = session;
  const current = dataFile('current.csv');
  const [check] = await storedChecks(current);
  assert.ok(check, 'the first test stored a check');

  await panelFrame(page).getByRole('button', { name: 'Retrain on this data' }).click();
  const experiments = await expandView(page, 'Experiments');
  await expandRow(experiments.locator('.monaco-list-row', { hasText: /churn/ }).first());
  const finished = experiments.locator('.monaco-list-row', {
    has: page.locator('.codicon-pass'),
    hasText: /loss \d/,
  });
  await finished.waitFor({ timeout: 60_000 });
  const toast = page.locator('.notifications-toasts .notification-toast', {
    hasText: 'Retrained on the new data',
  });
  await toast.getByRole('button', { name: 'Register as New Version' }).waitFor();
  await screenshot(page, 'drift-retrained');

  const linked = await poll(async () => {
    const [latest] = await storedChecks(current);
    return latest?.runId ? latest : undefined;
  });
  const retrain = await poll(async () => {
    const runs = await storedRuns();
    return runs.find((r) => r.info.run_id === linked.runId && r.info.status === 'FINISHED');
  });
  assert.equal(linked.checkId, check.checkId);
  assert.equal(tagOf(retrain, TAG), check.checkId);
  assert.deepEqual(
    retrain.data.params.find((p) => p.key === 'data'),
    { key: 'data', value: current },
    'train got the checked file as its data parameter',
  );
  assert.equal(await finished.count(), 1);
  assert.ok((await finished.innerText()).includes(retrain.info.run_name), 'the row is that run');

  await finished.click();
  const runPanel = panelFrame(page);
  const tags = runPanel.locator('section[aria-label="Tags"] table.kv tr', {
    has: runPanel.locator('th', { hasText: TAG }),
  });
  await tags.waitFor({ timeout: 30_000 });
  assert.equal(await tags.locator('td').innerText(), check.checkId);
  await screenshot(page, 'drift-retrain-run');
});

test('the check is listed under current.csv in the Datasets view and on its lens', async () => {
  const { page } = session;
  const verdict = `drift ${expected.dataset.drifted}/${expected.dataset.total}`;

  await expandView(page, 'Datasets');
  const file = treeRow(page, 'Datasets', 'current.csv');
  await file.filter({ hasText: verdict }).waitFor({ timeout: 30_000 });
  await expandRow(file);
  const listed = treeRow(page, 'Datasets', `${verdict} vs reference.csv`);
  await listed.waitFor();
  await page.locator('.tab', { hasText: /^current\.csv/ }).click();
  const lens = page.locator('.codelens-decoration a', { hasText: `last: ${verdict} · ` });
  await lens.waitFor({ timeout: 30_000 });
  await screenshot(page, 'drift-datasets');

  assert.match(await listed.innerText(), new RegExp(`${verdict} vs reference\\.csv`));
  assert.match(await lens.innerText(), new RegExp(`^last: ${verdict} · \\S`));
});
