// The tracking loop a user meets: the window starts a tracking server for the workspace store,
// shows it in the status bar, and a Python script run in a VS Code terminal logs into the store
// through the bundled model_factory module, with no set-up of its own.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { e2eEnv, poll, repoRoot, screenshot, showViewContainer, useWorkbench } from './harness.mjs';

const run = promisify(execFile);
const session = useWorkbench();

const SCRIPT = `
import os
import model_factory as mlflow

mlflow.set_experiment("e2e-terminal")
with mlflow.start_run(run_name="from-terminal"):
    mlflow.log_param("uri_set", str(bool(os.environ.get("MLFLOW_TRACKING_URI"))))
    for step in range(50):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
print("logged")
`;

test('the status bar shows the tracking server started for the workspace', async () => {
  const { page } = session;
  await showViewContainer(page, 'Model Factory');

  const item = page.locator('.statusbar-item', { hasText: /MLflow :\d+/ });
  await item.waitFor({ timeout: 30_000 });

  assert.match(await item.innerText(), /MLflow :\d+/);
});

test('a Python script run in a terminal logs into the workspace store', async () => {
  const { page } = session;
  const { folder } = e2eEnv();
  await writeFile(join(folder, 'log_e2e.py'), SCRIPT);
  await page.locator('.statusbar-item', { hasText: /MLflow :\d+/ }).waitFor({ timeout: 30_000 });

  await page.keyboard.press('Control+Backquote');
  await page.locator('.terminal-wrapper.active .xterm-helper-textarea').waitFor();
  await page.locator('.terminal-wrapper.active .xterm-helper-textarea').focus();
  await page.keyboard.type('python3 log_e2e.py\n');

  const body = await poll(
    async () => {
      const { stdout } = await run(process.execPath, [
        join(repoRoot, 'dist/cli.js'),
        'runs',
        '--store',
        join(folder, '.modelfactory'),
        '--experiment',
        'e2e-terminal',
        '--json',
      ]).catch(() => ({ stdout: '{}' }));
      const parsed = JSON.parse(stdout);
      const finished = parsed.runs?.find((r) => r.info.status === 'FINISHED');
      return finished ? parsed : undefined;
    },
    { timeout: 60_000, what: 'the terminal run to finish in the store' },
  );
  await screenshot(page, 'terminal-run');

  const [logged] = body.runs;
  assert.equal(logged.info.run_name, 'from-terminal');
  assert.deepEqual(logged.data.params, [{ key: 'uri_set', value: 'True' }]);
  assert.deepEqual(
    logged.data.metrics.map((m) => [m.key, m.step]),
    [['loss', 49]],
  );
});
