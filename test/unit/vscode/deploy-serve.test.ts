import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Task } from '../../fakes/vscode';
import { shownDocuments } from '../../fakes/vscode';
import { DeployCommand } from '../../../src/vscode/deploy/ids';
import { serveVersion } from '../../../src/vscode/deploy/serve';
import { servedModels } from '../../../src/vscode/deploy/servers';
import type { ServeTerminal } from '../../../src/vscode/deploy/serveTask';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { logisticClass } from '../deploy/helpers';
import { registerChurn, servicesFor, stub, writeRows } from './deployFixture';

/**
 * "Serve Locally" and "Try it" with real python3: executeTask is replaced by what VS Code does
 * with a custom execution (make the pseudoterminal, open it), so the task's own code runs.
 */
function runTasks(t: { after(fn: () => void): void }) {
  const terminals: Array<{ terminal: ServeTerminal; output: string[]; closed: Promise<number> }> =
    [];
  stub(t, vscode.tasks, 'executeTask', async (task: Task) => {
    const terminal = (await task.execution.callback(task.definition)) as ServeTerminal;
    const output: string[] = [];
    terminal.onDidWrite((text) => output.push(text));
    const closed = new Promise<number>((resolve) => terminal.onDidClose(resolve));
    terminal.open();
    terminals.push({ terminal, output, closed });
  });
  return terminals;
}

function statusItems(t: { after(fn: () => void): void }) {
  const items: Array<{ text: string; command?: { command: string; arguments: unknown[] } }> = [];
  stub(t, vscode.window, 'createStatusBarItem', () => {
    const item = {
      text: '',
      shown: false,
      show: () => (item.shown = true),
      hide() {},
      dispose() {},
    };
    items.push(item);
    return item;
  });
  return items;
}

test('Serve Locally starts a task on a free port, shows it in the status bar, and Try it shows predictions', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const work = tempDir('mf-vscode-serve-');
  t.after(work.remove);
  const churn = registerChurn(temp.store);
  const rows: Array<[number, string]> = [
    [3, 'blue'],
    [-1, 'red'],
    [0, 'blue'],
    [5, 'red'],
    [-4, 'blue'],
    [2, 'red'],
  ];
  const data = writeRows(path.join(work.dir, 'batch.csv'), rows);
  const terminals = runTasks(t);
  const items = statusItems(t);
  const messages: string[] = [];
  stub(t, vscode.window, 'showInformationMessage', async (message: string) => {
    messages.push(message);
    return 'Try It';
  });
  stub(t, vscode.window, 'showOpenDialog', async () => [vscode.Uri.file(data)]);
  const before = shownDocuments.length;

  await serveVersion(servicesFor(temp.store), churn.node);

  const [served] = servedModels();
  t.after(() => served?.server.stop());
  assert.equal(servedModels().length, 1);
  assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(served.port > 0, 'a free port was picked');
  assert.equal(messages[0], `Serving churn v1 at ${served.url}.`);
  assert.equal(items[0].text, `$(broadcast) churn v1 :${served.port}`);
  assert.deepEqual(items[0].command?.command, DeployCommand.servedActions);
  assert.deepEqual(items[0].command?.arguments, ['models:/churn/1']);
  const ping = await fetch(`${served.url}/ping`);
  assert.equal(ping.status, 200);

  const document = shownDocuments.slice(before).at(-1) as { language: string; content: string };
  const result = JSON.parse(document.content);
  assert.equal(document.language, 'json');
  assert.equal(result.model, 'models:/churn/1');
  assert.equal(result.input, 'rows 1-5 of batch.csv');
  assert.deepEqual(
    result.predictions,
    rows.slice(0, 5).map(([x, color]) => logisticClass(x, color)),
  );

  terminals[0].terminal.close();
  assert.equal(await terminals[0].closed, 0, 'terminating the task stops the server cleanly');
  assert.equal(servedModels().length, 0);
  assert.match(
    terminals[0].output.join(''),
    /Serving models:\/churn\/1 .* at http:\/\/127\.0\.0\.1:/,
  );
});

test('Try it sends the input example MLflow saved with the model, without asking for a file', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const churn = registerChurn(temp.store);
  writeFileSync(
    path.join(churn.folder, 'input_example.json'),
    JSON.stringify({
      columns: ['x', 'color'],
      data: [
        [-1, 'red'],
        [3, 'blue'],
      ],
    }),
  );
  const terminals = runTasks(t);
  statusItems(t);
  let dialogs = 0;
  stub(t, vscode.window, 'showInformationMessage', async () => 'Try It');
  stub(t, vscode.window, 'showOpenDialog', async () => {
    dialogs += 1;
    return undefined;
  });
  const before = shownDocuments.length;

  await serveVersion(servicesFor(temp.store), churn.node);
  t.after(async () => {
    terminals[0]?.terminal.close();
    await terminals[0]?.closed;
  });

  const result = JSON.parse((shownDocuments.slice(before).at(-1) as { content: string }).content);
  assert.equal(dialogs, 0);
  assert.equal(result.input, 'input_example.json');
  assert.deepEqual(result.predictions, [logisticClass(-1, 'red'), logisticClass(3, 'blue')]);
});

test("a model that cannot be loaded is refused with the server's reason, and nothing is served", async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const churn = registerChurn(temp.store, {
    'model/model.json': JSON.stringify({ format: 'something-else' }),
  });
  const terminals = runTasks(t);
  const items = statusItems(t);
  const errors: string[] = [];
  stub(t, vscode.window, 'showErrorMessage', async (message: string) => {
    errors.push(message);
    return undefined;
  });

  await serveVersion(servicesFor(temp.store), churn.node);

  assert.match(
    errors[0],
    /^Cannot serve churn v1: the scoring server stopped \(exit 2\): could not load a model from .*Tried mlflow: /,
  );
  assert.match(errors[0], /json: ValueError: model\.json is not a Model Factory JSON model/);
  assert.equal(await terminals[0].closed, 1);
  assert.match(terminals[0].output.join(''), /could not load a model/);
  assert.equal(items.length, 0, 'no status bar item');
  assert.deepEqual(servedModels(), []);
});

test('serving in an untrusted workspace is refused with the reason and starts no task', async (t) => {
  stub(t, vscode.workspace, 'isTrusted', false);
  const terminals = runTasks(t);
  const warnings: string[] = [];
  stub(t, vscode.window, 'showWarningMessage', async (message: string) => {
    warnings.push(message);
    return undefined;
  });

  await serveVersion(servicesFor(undefined), undefined);

  assert.equal(terminals.length, 0);
  assert.match(
    warnings[0],
    /^Cannot serve the model: this workspace is not trusted, and loading a model runs its code/,
  );
});
