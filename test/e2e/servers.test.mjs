// A team's MLflow server in the real VS Code: a second `model-factory serve`, seeded over its REST
// API with an experiment, a run and a registered model whose version carries an alias, is
// connected through the Connect command's input boxes (URL, then token); the MLflow Servers view
// then shows the experiment and its run, and the model with its version and alias; a version
// opens in the version panel and as a Markdown page, an alias set from its context menu reaches
// the server, and the run opens in the run panel with its chart, read from the server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  chooseFromMenu,
  e2eEnv,
  panelFrame,
  repoRoot,
  screenshot,
  showViewContainer,
  useWorkbench,
} from './harness.mjs';

const TOKEN = 'e2e-team-token-7f3a';
const VIEW = 'MLflow Servers';
const remote = {};

before(async () => {
  remote.dir = await mkdtemp(join(tmpdir(), 'mf-e2e-remote-'));
  remote.settingsFile = join(e2eEnv().userData, 'User', 'settings.json');
  remote.settings = await readFile(remote.settingsFile, 'utf8');
  Object.assign(remote, await serve(remote.dir));
  remote.runId = await seed(remote.api);
});
const session = useWorkbench();
// The connection is saved in the user settings, which later test files' windows read: put them
// back as they were.
after(async () => {
  await remote.stop?.();
  await writeFile(remote.settingsFile, remote.settings);
  await rm(remote.dir, { recursive: true, force: true });
});

/** `model-factory serve` on a free port with a token; resolves once it prints its URL. */
async function serve(store) {
  const cli = join(repoRoot, 'dist', 'cli.js');
  const args = [cli, 'serve', '--store', store, '--port', '0', '--token', TOKEN];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((done) => child.on('exit', done));
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  const api = async (method, path, body) => {
    const response = await fetch(`${url}/api/2.0/mlflow/${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  };
  return {
    url,
    api,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** An experiment with a finished run, and the model `team-model` version 1 @champion. */
async function seed(api) {
  const { experiment_id } = await api('POST', 'experiments/create', { name: 'team-experiment' });
  const { run } = await api('POST', 'runs/create', { experiment_id, run_name: 'team-run' });
  const runId = run.info.run_id;
  await api('POST', 'runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'auc', value: 0.875, timestamp: Date.now(), step: 0 }],
  });
  await api('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
  await api('POST', 'registered-models/create', { name: 'team-model' });
  await api('POST', 'model-versions/create', {
    name: 'team-model',
    source: `runs:/${runId}/model`,
    run_id: runId,
  });
  await api('POST', 'registered-models/alias', {
    name: 'team-model',
    alias: 'champion',
    version: '1',
  });
  return runId;
}

/** The pane of a view, by its title. */
function pane(page, title) {
  return page.locator('.pane').filter({
    has: page.locator('.pane-header .title', { hasText: new RegExp(`^${title}$`, 'i') }),
  });
}

/** Expands or collapses a view's pane by its header. */
async function setPane(page, title, expanded) {
  const header = pane(page, title).locator('.pane-header');
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  await pane(page, title)
    .locator(`.pane-header[aria-expanded="${expanded}"]`)
    .waitFor({ timeout: 5_000 });
}

/** A row of the MLflow Servers tree whose label is exactly `label`. */
function serverRow(page, label) {
  const name = page.locator('.label-name', { hasText: new RegExp(`^${escape(label)}$`) });
  return pane(page, VIEW).locator('.monaco-list-row').filter({ has: name });
}

/**
 * Expands a row once it is there, by its twistie, again if a repaint swallowed the click (rows
 * are replaced while the view reads the server), until the row says it is expanded.
 */
async function expand(page, label) {
  const row = serverRow(page, label);
  await row.waitFor({ timeout: 30_000 });
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

/** Waits for the quick input showing `text` (a title or a prompt), then types and accepts. */
async function typeInto(page, text, value) {
  const widget = page.locator('.quick-input-widget', { hasText: text });
  await widget.waitFor({ timeout: 15_000 });
  await widget.locator('input').fill(value);
  await page.keyboard.press('Enter');
}

test('connecting through the input boxes lists the experiment and the model with its alias', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');
  // The other views folded away, so the servers tree has the room to show every row.
  for (const title of ['Experiments', 'Models', 'Datasets']) await setPane(page, title, false);
  await setPane(page, VIEW, true);

  // The welcome content's button; the view's title bar has an action of the same name.
  const welcome = pane(page, VIEW).locator('.pane-body');
  await welcome.getByRole('button', { name: 'Connect to MLflow Server' }).click();
  await typeInto(page, 'Connect to MLflow Server (1/2)', remote.url);
  const choice = page.locator('.quick-input-widget', { hasText: 'how does' });
  await choice.locator('.monaco-list-row', { hasText: 'Token' }).click({ timeout: 15_000 });
  await typeInto(page, `The token for ${remote.url}`, TOKEN);

  const server = remote.url.replace('http://', '');
  await page
    .locator('.notifications-toasts .notification-toast', { hasText: `Connected to ${remote.url}` })
    .waitFor({ timeout: 30_000 });
  await expand(page, server);
  await expand(page, 'Experiments');
  await expand(page, 'team-experiment');
  await serverRow(page, 'team-run').filter({ hasText: 'auc 0.875' }).waitFor();
  await expand(page, 'Models');
  const model = serverRow(page, 'team-model');
  await model.filter({ hasText: '@champion · latest version 1' }).waitFor();
  await expand(page, 'team-model');
  const version = serverRow(page, 'Version 1');
  await version.filter({ hasText: '@champion · team-run' }).waitFor();
  await page.mouse.move(700, 450);
  await screenshot(page, 'servers-models');

  // Rows are absolutely placed and reused, so their order is their index, not the DOM's.
  const labels = await pane(page, VIEW)
    .locator('.monaco-list-row')
    .evaluateAll((rows) =>
      rows
        .map((row) => [Number(row.dataset.index), row.querySelector('.label-name')?.textContent])
        .sort((a, b) => a[0] - b[0])
        .map(([, label]) => label),
    );
  assert.deepEqual(labels, [
    server,
    'Experiments',
    'Default',
    'team-experiment',
    'team-run',
    'Models',
    'team-model',
    'Version 1',
  ]);
});

test('a remote version opens in the version panel, and its summary as a Markdown page', async () => {
  const { page } = session;
  const server = remote.url.replace('http://', '');
  const tab = page.locator('.tab', { hasText: `team-model v1 · ${server}` });

  for (let attempt = 1; ; attempt++) {
    await serverRow(page, 'Version 1').click();
    try {
      await tab.waitFor({ timeout: attempt < 3 ? 15_000 : 30_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const panel = panelFrame(page);
  await panel.locator('h1', { hasText: 'team-model' }).waitFor({ timeout: 30_000 });
  const panelText = await panel.locator('body').innerText();
  await screenshot(page, 'servers-version-panel');
  assert.match(panelText, /@champion/);
  assert.match(panelText, new RegExp(`On ${escape(server)}`));
  assert.match(panelText, /team-run/);
  assert.equal(await panel.getByRole('button', { name: 'Evaluate…' }).count(), 0);

  const summary = page.locator('.tab', { hasText: 'team-model-v1.md' });
  await chooseFromMenu(page, serverRow(page, 'Version 1'), /Show Version Summary/, summary);
  const preview = page
    .frameLocator('iframe.webview.ready >> visible=true')
    .frameLocator('#active-frame');
  await preview.locator('h1', { hasText: 'team-model version 1' }).waitFor({ timeout: 30_000 });
  const text = await preview.locator('body').innerText();
  await screenshot(page, 'servers-version-page');

  assert.match(text, /Aliases: @champion/);
  assert.match(
    text,
    new RegExp(`Run team-run \\(${remote.runId}\\) in experiment \\d+ · finished`),
  );
});

test('an alias set from the context menu reaches the server and shows on the row', async () => {
  const { page } = session;
  const version = serverRow(page, 'Version 1');
  const input = page.locator('.quick-input-widget input');
  await chooseFromMenu(page, version, /Set Alias on Server/, input);
  await input.fill('challenger');
  await page.keyboard.press('Enter');

  await version.filter({ hasText: '@challenger' }).waitFor({ timeout: 15_000 });
  await screenshot(page, 'servers-alias');
  const { registered_model: model } = await remote.api(
    'GET',
    'registered-models/get?name=team-model',
  );
  assert.deepEqual(model.aliases.map((a) => [a.alias, a.version]).sort(), [
    ['challenger', '1'],
    ['champion', '1'],
  ]);
});

test('a remote run opens in the run panel with its chart, and the panel names the server', async () => {
  const { page } = session;
  const frame = panelFrame(page);
  const chart = frame.locator('figure.chart canvas').first();

  for (let attempt = 1; ; attempt++) {
    await serverRow(page, 'team-run').click();
    try {
      await chart.waitFor({ timeout: attempt < 3 ? 15_000 : 30_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const server = remote.url.replace('http://', '');
  await page
    .locator('.tab', { hasText: `team-run (${remote.runId.slice(0, 7)}) · ${server}` })
    .waitFor();
  await screenshot(page, 'servers-run-panel');

  assert.deepEqual(await frame.locator('figure.chart h3').allInnerTexts(), ['auc']);
  // The metric was logged once, so the chart is one dot in the run's color: the canvas holds
  // colored pixels, where the grid and axes are grays.
  const colored = await chart.evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count++;
    }
    return count;
  });
  assert.ok(colored >= 20, `the dot has ${colored} colored pixels`);
  assert.equal(await frame.locator('h1').evaluate((h1) => h1.firstChild.textContent), 'team-run');
  assert.match(
    await frame.locator('.meta').first().innerText(),
    new RegExp(`On ${escape(server)}`),
  );
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
