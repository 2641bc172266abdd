// The first thing a user sees: the Model Factory container with its three views, each showing
// its welcome content in an empty workspace, and an activation that logged its duration.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  findInLogs,
  notificationTexts,
  poll,
  runCommand,
  repoRoot,
  screenshot,
  showViewContainer,
  useWorkbench,
} from './harness.mjs';

const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
const WELCOME = {
  Experiments: { buttons: ['Open Example Project', 'Import MLflow Runs'] },
  Models: { text: 'No registered models yet' },
  Datasets: { text: 'No data files found' },
  // Collapsed at first, so the other three keep their room; expanding it shows its welcome.
  'MLflow Servers': { buttons: ['Connect to MLflow Server'] },
};

// Extension log channels are files under the user data dir's logs; the extension host's own log
// is remoteexthost.log under code-server (exthost.log in desktop VS Code).
const CHANNEL_LOG = 'Model Factory.log';
const HOST_LOG = 'exthost.log';
const ACTIVATED = new RegExp(`Model Factory ${escapeRegExp(version)} activated in ([\\d.]+) ms`);
const ACTIVATION_FAILED = /Activating extension '?model-factory\.model-factory'? failed.*/;

const session = useWorkbench();

test('the activity bar opens four views, each with its welcome content', async () => {
  const { page } = session;

  await showViewContainer(page, 'Model Factory');

  for (const [title, welcome] of Object.entries(WELCOME)) {
    const body = await expandView(page, title);
    for (const name of welcome.buttons ?? []) {
      await body.getByRole('button', { name, exact: true }).waitFor();
    }
    if (welcome.text) await body.getByText(welcome.text).waitFor();
  }
  const titles = await page.locator('.sidebar .pane-header .title').allTextContents();
  assert.deepEqual(titles, Object.keys(WELCOME));
  await page.mouse.move(700, 450); // away from the activity bar, so no hover covers the views
  await screenshot(page, 'views');
});

test('activation logs its duration to the Model Factory channel', async () => {
  await showViewContainer(session.page, 'Model Factory'); // showing a view activates

  const { path, match } = await poll(() => findInLogs(CHANNEL_LOG, ACTIVATED), {
    what: `"${ACTIVATED.source}" in a "${CHANNEL_LOG}" under the user data dir's logs`,
  });

  const ms = Number(match[1]);
  console.log('activation ms', ms, 'from', path);
  assert.ok(Number.isFinite(ms), `activation took ${match[1]} ms`);
});

test('VS Code measures the whole activation, loading included, in milliseconds', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');

  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page.locator('.runtime-extensions-editor .monaco-list-row', {
    hasText: 'Model Factory',
  });
  const time = row.locator('.activation-time');
  await time.waitFor();
  const text = await time.innerText();
  await screenshot(page, 'running-extensions');

  console.log('VS Code activation time', text);
  assert.match(text, /\d+\s*ms/);
});

test('no notification or log reports that Model Factory failed', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');

  // Whichever comes first: VS Code logs an activation that threw, but shows no notification.
  const outcome = await poll(
    async () =>
      (await findInLogs(HOST_LOG, ACTIVATION_FAILED)) ?? (await findInLogs(CHANNEL_LOG, ACTIVATED)),
    { what: 'the extension to activate or fail' },
  );
  const toasts = await notificationTexts(page);

  assert.doesNotMatch(outcome.match[0], ACTIVATION_FAILED);
  assert.deepEqual(toasts.filter(reportsFailure), []);
});

function reportsFailure(text) {
  return /Model Factory|model-factory/i.test(text) && /failed/i.test(text);
}

/** Expands the view titled `title` if it is collapsed and returns its body. */
async function expandView(page, title) {
  const pane = page.locator('.pane').filter({
    has: page.locator('.pane-header .title', { hasText: new RegExp(`^${title}$`, 'i') }),
  });
  const header = pane.locator('.pane-header');
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return pane.locator('.pane-body');
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
