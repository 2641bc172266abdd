// Helpers for the end-to-end tests: a headless Debian Chromium driven by playwright-core, pointed
// at the code-server that run.mjs started. The tests read where everything is from MF_E2E_*
// variables, so they only run under run.mjs (`npm run test:e2e`).
import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { chromium } from 'playwright-core';
import { resultsDir } from './paths.mjs';

export { repoRoot, resultsDir } from './paths.mjs';

// From shared/reference/vscode-e2e.md: nothing in the browser should reach out to the network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let folderCopy;

/**
 * What run.mjs passes down: the server URL, code-server's user data, and this test file's own
 * copy of the workspace folder. Each file runs in a process of its own and gets a folder of its
 * own, made on first use: code-server keeps a closed tab's extension host alive for minutes in
 * case the tab reconnects, so a window of an earlier file may still own the store of the folder
 * it had open, and the next file would find that store owned by another window.
 */
export function e2eEnv() {
  const { MF_E2E_URL: url, MF_E2E_FOLDER: template, MF_E2E_USER_DATA: userData } = process.env;
  if (!url || !template || !userData) {
    throw new Error('MF_E2E_URL, MF_E2E_FOLDER or MF_E2E_USER_DATA not set: use npm run test:e2e');
  }
  if (!folderCopy) {
    folderCopy = `${template}-${process.pid}`;
    if (!existsSync(folderCopy)) cpSync(template, folderCopy, { recursive: true });
  }
  return { url, folder: folderCopy, userData };
}

/**
 * Opens the workspace folder in a fresh headless browser and waits for the workbench.
 * Close the returned session in an `after` hook (or `finally`), whatever the test did.
 */
export async function openWorkbench({ timeout = 60_000 } = {}) {
  const { url, folder } = e2eEnv();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const session = { browser, close: () => browser.close() };
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    session.page = await context.newPage();
    await session.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await session.page.locator('.monaco-workbench').waitFor({ timeout });
    return session;
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Registers hooks that open the workbench before the file's tests, screenshot it after each
 * failing test (test-results/failed-<test name>.png) and close the browser after the last one.
 * Returns the session, whose `page` is set once the `before` hook ran.
 */
export function useWorkbench(options) {
  const session = {};
  before(async () => Object.assign(session, await openWorkbench(options)));
  afterEach(async (t) => {
    if (!t.passed && session.page) await screenshot(session.page, `failed-${slug(t.name)}`);
  });
  after(() => session.close?.());
  return session;
}

function slug(text) {
  return text
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

/** Saves a screenshot of the window to test-results/<name>.png at the repo root; returns its path. */
export async function screenshot(page, name) {
  await mkdir(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Shows the view container whose activity bar icon is labelled `label`, unless it is showing
 * already: a click on the icon of the container on show would hide the side bar instead.
 */
export async function showViewContainer(page, label) {
  const icon = page.locator(`.action-label[aria-label="${label}"]`);
  const tab = page.locator('.activitybar li.action-item').filter({ has: icon });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await page.locator('.sidebar .composite.title', { hasText: label }).waitFor();
}

/** Calls `check` until it returns a value other than undefined, or throws after `timeout` ms. */
export async function poll(check, { timeout = 30_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, interval));
  }
}

/**
 * Right-clicks `row` and chooses the menu item named by `item` (a regular expression), until
 * `chosen` (a locator) is visible. VS Code's menu can ignore a click that lands right after it
 * opened (it guards against the release of the right click), so the item is clicked again while
 * the menu is up; nothing sleeps.
 */
export async function chooseFromMenu(page, row, item, chosen) {
  await row.click({ button: 'right' });
  const entry = page.getByRole('menuitem', { name: item });
  await poll(
    async () => {
      if (await chosen.isVisible()) return true;
      if (await entry.isVisible()) await entry.click({ timeout: 2_000 }).catch(() => undefined);
      return undefined;
    },
    { what: `what ${item} opens` },
  );
}

/** Paths of every file under code-server's log folder whose name ends with `suffix`. */
export async function findLogs(suffix) {
  const logs = join(e2eEnv().userData, 'logs');
  let entries;
  try {
    entries = await readdir(logs, { recursive: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.filter((entry) => entry.endsWith(suffix)).map((entry) => join(logs, entry));
}

/** The first match of `pattern` in any log file named `*suffix`, or undefined. */
export async function findInLogs(suffix, pattern) {
  for (const path of await findLogs(suffix)) {
    const match = (await readFile(path, 'utf8')).match(pattern);
    if (match) return { path, match };
  }
  return undefined;
}

/** The texts of the notification toasts on screen, for tests that forbid some of them. */
export async function notificationTexts(page) {
  return page.locator('.notifications-toasts .notification-toast').allInnerTexts();
}

/** Opens a workspace file by name through Quick Open, as a user would, and waits for its tab. */
export async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

/**
 * Switches the color theme with the theme picker (Ctrl+K Ctrl+T), as a user would, and waits for
 * the workbench to show it; `kind` is the workbench's class for it ('vs', 'vs-dark'). Editing the
 * user settings file does not do: this code-server reads it when a window loads, not when it
 * changes. The picker saves the choice in that file, so the returned function puts the file back,
 * and the windows of later test files start in the default theme again.
 */
export async function setTheme(page, name, kind) {
  const file = join(e2eEnv().userData, 'User', 'settings.json');
  const original = await readFile(file, 'utf8');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator(`.monaco-workbench.${kind}`).waitFor({ timeout: 20_000 });
  return () => writeFile(file, original);
}

/** The page inside the visible webview panel: VS Code nests it in two iframes. */
export function panelFrame(page) {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** Runs a command by its title through the command palette, as a user would. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * A client of the window's own tracking server, read from the lock file it writes beside the
 * store: `api(method, path, body)` asserts a 200 and returns the JSON.
 */
export async function workspaceServer() {
  const lock = join(e2eEnv().folder, '.modelfactory', 'store.lock');
  const owner = await poll(
    async () => {
      const text = await readFile(lock, 'utf8').catch(() => undefined);
      const parsed = text ? JSON.parse(text) : undefined;
      return parsed?.address ? parsed : undefined;
    },
    { what: 'the window to start its tracking server' },
  );
  return async (method, path, body) => {
    const response = await fetch(`${owner.address}/api/2.0/mlflow/${path}`, {
      method,
      headers: { Authorization: `Bearer ${owner.token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  };
}

/** A row of a tree in the Model Factory views, by the view's title and the row's text. */
export function treeRow(page, view, label) {
  return page
    .locator('.pane', { has: page.locator('.pane-header .title', { hasText: view }) })
    .locator('.monaco-list-row', { hasText: label });
}
