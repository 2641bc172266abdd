// A second window on the same folder: it must not open the store (one owner at a time) but use
// the first window's tracking server, so terminals in either window log into the same store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openWorkbench, screenshot, showViewContainer, useWorkbench } from './harness.mjs';

const first = useWorkbench();

async function serverPort(page) {
  await showViewContainer(page, 'Model Factory');
  const item = page.locator('.statusbar-item', { hasText: /MLflow :\d+/ });
  await item.waitFor({ timeout: 30_000 });
  return /MLflow :(\d+)/.exec(await item.innerText())[1];
}

test("a second window on the same folder uses the first window's tracking server", async (t) => {
  const firstPort = await serverPort(first.page);
  const second = await openWorkbench();
  t.after(() => second.close());

  const secondPort = await serverPort(second.page);
  // The Experiments and Models views both say so, instead of showing an empty tree.
  const messages = second.page.locator('.monaco-list-row', {
    hasText: 'This store is open in another VS Code window',
  });
  await messages.first().waitFor({ timeout: 30_000 });
  await screenshot(second.page, 'second-window');

  assert.equal(secondPort, firstPort);
  assert.equal(await messages.count(), 2);
});
