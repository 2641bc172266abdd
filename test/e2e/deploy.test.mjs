// Serving and scoring in the editor, on the example project: a trained and registered churn
// model (made with the CLI before the window opens, with an input example beside it as MLflow
// saves one), "Serve Locally" from the palette, its status bar item, "Try it" with the
// predictions in a JSON document, "Stop"; then "Score a Data File" on current.csv, which writes
// current.scored.csv and logs a run linked to the version.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  e2eEnv,
  openFile,
  panelFrame,
  poll,
  repoRoot,
  runCommand,
  screenshot,
  showViewContainer,
  treeRow,
  useWorkbench,
} from './harness.mjs';

const run = promisify(execFile);
const cli = join(repoRoot, 'dist', 'cli.js');
const EXAMPLE_ROWS = 3;

before(async () => {
  const { folder } = e2eEnv();
  await cp(join(repoRoot, 'examples/churn'), join(folder, 'churn'), { recursive: true });
  const store = join(folder, '.modelfactory');
  const idFile = join(folder, 'train-run-id.txt');
  await run(
    process.execPath,
    [cli, 'run', 'churn', '--entry', 'train', '--store', store, '--run-id-file', idFile],
    { cwd: folder },
  );
  const runId = (await readFile(idFile, 'utf8')).trim();
  await run(process.execPath, [cli, 'register', runId, '--name', 'churn', '--store', store], {
    cwd: folder,
  });
  await writeInputExample(store, runId);
});
const session = useWorkbench();

/** input_example.json beside model.json, in pandas' split orient, as mlflow.log_model saves it. */
async function writeInputExample(store, runId) {
  const files = await readdir(join(store, 'artifacts'), { recursive: true });
  const model = files.find(
    (file) => file.includes(runId) && file.endsWith(join('model', 'model.json')),
  );
  assert.ok(model, `the run ${runId} logged model/model.json`);
  const lines = (await readFile(join(e2eEnv().folder, 'churn', 'data', 'current.csv'), 'utf8'))
    .trim()
    .split('\n');
  const columns = lines[0].split(',').filter((name) => name !== 'churned' && name !== 'prediction');
  const header = lines[0].split(',');
  const data = lines.slice(1, 1 + EXAMPLE_ROWS).map((line) => {
    const values = line.split(',');
    return columns.map((name) => {
      const value = values[header.indexOf(name)];
      return Number.isFinite(Number(value)) ? Number(value) : value;
    });
  });
  const example = join(store, 'artifacts', model.replace(/model\.json$/, 'input_example.json'));
  await writeFile(example, JSON.stringify({ columns, data }));
}

/** Answers the model and version questions of a command run from the palette. */
async function pickChurnV1(page) {
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.locator('.quick-input-title', { hasText: 'Which registered model?' }).waitFor();
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'churn' })
    .first()
    .click();
  await quickInput.locator('.quick-input-title', { hasText: 'Which version?' }).waitFor();
  await quickInput
    .locator('.quick-input-list .monaco-list-row', { hasText: 'Version 1' })
    .first()
    .click();
}

/** The runs of the workspace store, as `model-factory runs --json` prints them. */
async function storedRuns() {
  const store = join(e2eEnv().folder, '.modelfactory');
  const { stdout } = await run(process.execPath, [cli, 'runs', '--store', store, '--json']);
  return JSON.parse(stdout).runs ?? [];
}

test('"Serve Locally" shows the server in the status bar, and "Try it" shows its predictions', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');
  await page.locator('.statusbar-item', { hasText: /MLflow :\d+/ }).waitFor({ timeout: 30_000 });

  await runCommand(page, 'Model Factory: Serve Locally');
  await pickChurnV1(page);
  const toast = page.locator('.notifications-toasts .notification-toast', {
    hasText: /Serving churn v1 at http:\/\/127\.0\.0\.1:\d+/,
  });
  await toast.waitFor({ timeout: 60_000 });
  const item = page.locator('.statusbar-item', { hasText: /churn v1 :\d+/ });
  await item.waitFor();
  const port = /:(\d+)/.exec(await item.innerText())[1];
  assert.match(await toast.innerText(), new RegExp(`127\\.0\\.0\\.1:${port}`));
  const ping = await fetch(`http://127.0.0.1:${port}/ping`);
  assert.equal(ping.status, 200);

  await toast.getByRole('button', { name: 'Try It' }).click();
  const editor = page.locator('.editor-instance .monaco-editor .view-lines').first();
  await page.locator('.tab.active', { hasText: /^Untitled/ }).waitFor({ timeout: 30_000 });
  const text = await poll(
    async () => {
      const shown = (await editor.innerText()).replace(/\u00a0/g, ' ');
      return /"predictions": \[[\s\d.,]+\]/.test(shown) ? shown : undefined;
    },
    { what: 'the predictions document' },
  );
  await screenshot(page, 'deploy-try-it');

  assert.match(text, /"model": "models:\/churn\/1"/);
  assert.match(text, /"input": "input_example\.json"/);
  const predictions = JSON.parse(/"predictions": (\[[\s\d.,]+\])/.exec(text)[1]);
  assert.equal(predictions.length, EXAMPLE_ROWS);

  await item.click();
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Stop' }).click();
  await item.waitFor({ state: 'detached', timeout: 30_000 });
  await assert.rejects(fetch(`http://127.0.0.1:${port}/ping`), 'the server has stopped');
});

test('"Score a Data File" writes current.scored.csv and logs a run linked to the version', async () => {
  const { page } = session;
  await openFile(page, 'current.csv');

  await runCommand(page, 'Model Factory: Score a Data File');
  await pickChurnV1(page);
  const toast = page.locator('.notifications-toasts .notification-toast', {
    hasText: /Scored 2000 rows with churn v1: wrote current\.scored\.csv/,
  });
  await toast.waitFor({ timeout: 60_000 });
  await screenshot(page, 'deploy-scored');

  const scoredPath = join(e2eEnv().folder, 'churn', 'data', 'current.scored.csv');
  const scored = (await readFile(scoredPath, 'utf8')).trim().split('\n');
  assert.equal(scored.length, 2001);
  assert.equal(
    scored[0],
    'tenure_months,monthly_charges,support_calls,age,contract,payment,churned,prediction',
  );
  const scoring = await poll(async () =>
    (await storedRuns()).find((r) =>
      r.data.tags?.some(
        (tag) => tag.key === 'model_factory.scored_model' && tag.value === 'models:/churn/1',
      ),
    ),
  );
  const params = Object.fromEntries(scoring.data.params.map((p) => [p.key, p.value]));
  assert.equal(params.rows, '2000');
  assert.equal(params.model_uri, 'models:/churn/1');
  assert.equal(scoring.info.status, 'FINISHED');
});

test('the version panel\'s "Serve locally" serves the version, and "Stop" ends it', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');
  const model = treeRow(page, 'Models', 'churn').first();
  await model.waitFor({ timeout: 30_000 });
  if ((await model.getAttribute('aria-expanded')) === 'false') {
    await model.locator('.monaco-tl-twistie').click();
  }
  await treeRow(page, 'Models', 'Version 1').first().click();
  const frame = panelFrame(page);

  await frame.getByRole('button', { name: 'Serve locally' }).click();
  const toast = page.locator('.notifications-toasts .notification-toast', {
    hasText: /Serving churn v1 at http:\/\/127\.0\.0\.1:\d+/,
  });
  await toast.waitFor({ timeout: 60_000 });
  const item = page.locator('.statusbar-item', { hasText: /churn v1 :\d+/ });
  await item.waitFor();
  const port = /:(\d+)/.exec(await item.innerText())[1];
  await screenshot(page, 'deploy-version-panel');
  await toast.getByRole('button', { name: 'Stop' }).click();

  await item.waitFor({ state: 'detached', timeout: 30_000 });
  await assert.rejects(fetch(`http://127.0.0.1:${port}/ping`), 'the server has stopped');
});
