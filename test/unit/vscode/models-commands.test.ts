import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { window } from '../../fakes/vscode';
import type { RunStore } from '../../../src/core/store/store';
import { modelCommands } from '../../../src/vscode/models/commands';
import { ModelCommand } from '../../../src/vscode/models/ids';
import { versionNodes, modelNodes } from '../../../src/vscode/models/model';
import type { Services } from '../../../src/vscode/services';
import type { ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';

type Stubbed = Record<string, unknown>;
type InputOptions = { validateInput?: (text: string) => unknown; value?: string };
type PickItem = { label: string; name?: string };

/** Replaces a member of the fake `vscode.window` for one test. */
function stub(t: { after(fn: () => unknown): void }, name: string, value: unknown) {
  const target = window as unknown as Stubbed;
  const original = target[name];
  target[name] = value;
  t.after(() => (target[name] = original));
}

async function fixture(t: { after(fn: () => unknown): void }) {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const tracking = { runStore: temp.store, state: 'open', start: async () => undefined };
  const commands = modelCommands({ context: {}, tracking } as unknown as Services);
  return { store: temp.store, commands };
}

function runNode(store: RunStore, files: string[]): ViewNode {
  const run = store.createRun({ experimentId: '0', runName: 'bright-owl-12' }).info;
  const root = path.join(store.artifactsDir, '0', run.runId, 'artifacts');
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), 'x');
  }
  const { runId, runName: name, status } = run;
  return {
    id: runId,
    label: name,
    contextValue: 'run.running',
    collapsible: 'none',
    data: { kind: 'run', runId, experimentId: '0', name, deleted: false, status },
  };
}

test("registering from a run item creates the model and a version of the run's MLmodel folder", async (t) => {
  const { store, commands } = await fixture(t);
  const node = runNode(store, ['plots/loss.png', 'model/MLmodel']);
  const folderLabels: string[] = [];
  stub(t, 'showQuickPick', async (items: PickItem[]) => {
    folderLabels.push(...items.map((item) => item.label));
    return items[0];
  });
  stub(t, 'showInputBox', async () => ' iris ');

  await commands[ModelCommand.registerModel](node);

  const [version] = store.searchModelVersions({ filter: "name = 'iris'" }).items;
  assert.deepEqual(folderLabels, ['$(package) model', '$(folder) plots', '$(edit) Type a Path...']);
  assert.equal(version.source, `runs:/${node.id}/model`);
  assert.equal(version.runId, node.id);
});

test('registering into an existing model adds a version to it', async (t) => {
  const { store, commands } = await fixture(t);
  store.createRegisteredModel('iris');
  const node = runNode(store, ['model/MLmodel']);
  stub(
    t,
    'showQuickPick',
    async (items: PickItem[]) => items.find((i) => i.name === 'iris') ?? items[0],
  );

  await commands[ModelCommand.registerModel](node);

  assert.deepEqual(
    versionNodes(store, 'iris').map((n) => n.label),
    ['Version 1'],
  );
});

test('setting an alias on a version item sets the typed alias without its @', async (t) => {
  const { store, commands } = await fixture(t);
  store.createRegisteredModel('iris');
  store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  const checks: unknown[] = [];
  stub(t, 'showInputBox', async (options: InputOptions) => {
    checks.push(options.validateInput?.('latest'), options.validateInput?.('@champion'));
    return '@champion';
  });

  await commands[ModelCommand.setAlias](versionNodes(store, 'iris')[0]);

  assert.equal(store.getModelVersionByAlias('iris', 'champion').version, '1');
  assert.match(String(checks[0]), /reserved/);
  assert.equal(checks[1], undefined);
});

test('deleting a version asks first in a modal, and cancelling keeps it', async (t) => {
  const { store, commands } = await fixture(t);
  store.createRegisteredModel('iris');
  store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  const node = versionNodes(store, 'iris')[0];
  const answers = [undefined, 'Delete Version'];
  const asked: Array<{ modal?: boolean }> = [];
  stub(t, 'showWarningMessage', async (_message: string, options: { modal?: boolean }) => {
    asked.push(options);
    return answers.shift();
  });

  await commands[ModelCommand.deleteVersion](node);
  const kept = versionNodes(store, 'iris').length;
  await commands[ModelCommand.deleteVersion](node);

  assert.equal(kept, 1);
  assert.equal(versionNodes(store, 'iris').length, 0);
  assert.deepEqual(
    asked.map((options) => options.modal),
    [true, true],
  );
});

test('renaming refuses a taken name in the input box, then renames', async (t) => {
  const { store, commands } = await fixture(t);
  store.createRegisteredModel('iris');
  store.createRegisteredModel('wine');
  let refusal: unknown;
  stub(t, 'showInputBox', async (options: InputOptions) => {
    refusal = options.validateInput?.('wine');
    return 'roses';
  });

  await commands[ModelCommand.rename](modelNodes(store)[0]);

  assert.match(String(refusal), /already exists/);
  assert.deepEqual(
    modelNodes(store).map((n) => n.label),
    ['roses', 'wine'],
  );
});

test('a command that fails says what went wrong and what to do', async (t) => {
  const { store, commands } = await fixture(t);
  store.createRegisteredModel('iris');
  store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  const stale = versionNodes(store, 'iris')[0];
  store.deleteModelVersion('iris', '1');
  const errors: string[] = [];
  stub(t, 'showErrorMessage', async (message: string) => errors.push(message));

  await commands[ModelCommand.setAlias](stale);

  assert.equal(errors.length, 1);
  assert.match(errors[0], /^Setting the alias failed: .*not found\. Refresh the Models view/);
});
