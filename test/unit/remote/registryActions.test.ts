import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import { DisposableScope } from '../../../src/vscode/disposable';
import { remoteCommands } from '../../../src/vscode/remote/commands';
import { RemoteCommand, SERVERS_SETTING, secretKey } from '../../../src/vscode/remote/ids';
import { registerServersView, serversView } from '../../../src/vscode/remote/view';
import type { ViewNode } from '../../../src/vscode/views/node';
import * as fake from '../../fakes/vscode';
import { startServer, TOKEN } from '../../helpers/server';
import { answer, remoteFixture, stub } from '../vscode/remoteFixture';
import { send, startFakeServer } from './helpers';
import { writeArtifacts } from './seed';

type After = { after(fn: () => unknown): void };
type Remote = Awaited<ReturnType<typeof startServer>>;

/**
 * A real server with the model `churn` (versions 1 to 3 of the run brave-fox, @champion on 2),
 * one saved connection to it named `team`, and the MLflow Servers view registered as the
 * extension registers it, so a test sees what the user sees after a command.
 */
async function fixture(t: After, local?: RunStore) {
  const remote = await startServer();
  t.after(remote.stop);
  const runId = seedChurn(remote);
  const documents = captureDocuments(t);
  const context = remoteFixture(t, local);
  const server = { name: 'team', url: remote.base };
  context.settings.set(SERVERS_SETTING, [server]);
  context.secrets.set(secretKey(server.url), JSON.stringify({ token: TOKEN }));
  const scope = new DisposableScope();
  t.after(() => scope.dispose());
  registerServersView(context.services, scope);
  const view = serversView(context.services)!;
  const commands = remoteCommands(context.services);
  return { ...context, ...documents, remote, runId, view, commands };
}

function seedChurn(remote: Remote): string {
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'brave-fox' }).info;
  remote.store.logBatch(runId, { metrics: [{ key: 'auc', value: 0.91, timestamp: 1, step: 0 }] });
  remote.store.createRegisteredModel('churn');
  for (let i = 0; i < 3; i++) {
    remote.store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
  }
  remote.store.setAlias('churn', 'champion', '2');
  return runId;
}

/** The virtual documents opened, and the commands executed to show them. */
function captureDocuments(t: After) {
  let provider: { provideTextDocumentContent(uri: unknown): string } | undefined;
  stub(t, fake.workspace, 'registerTextDocumentContentProvider', (_: string, given: never) => {
    provider = given;
    return { dispose() {} };
  });
  const executed: unknown[][] = [];
  stub(t, fake.commands, 'executeCommand', async (...args: unknown[]) => void executed.push(args));
  return { executed, documentText: (uri: unknown) => provider!.provideTextDocumentContent(uri) };
}

type View = Awaited<ReturnType<typeof fixture>>['view'];

/** The rows under a path of labels, as the tree shows them: `['team', 'Models', 'churn']`. */
async function rows(view: View, path: string[]): Promise<ViewNode[]> {
  let children = (await view.provider.getChildren()) as ViewNode[];
  for (const label of path) {
    const node = children.find((child) => child.label === label);
    assert.ok(node, `no row '${label}' among ${children.map((c) => c.label).join(', ')}`);
    children = (await view.provider.getChildren(node)) as ViewNode[];
  }
  return children;
}

async function row(view: View, path: string[]): Promise<ViewNode> {
  const label = path.at(-1)!;
  const found = (await rows(view, path.slice(0, -1))).find((node) => node.label === label);
  assert.ok(found, `no row '${path.join(' > ')}'`);
  return found;
}

const VERSIONS = ['team', 'Models', 'churn'];

test('setting an alias sends it to the server, moves it there, and the rows show it', async (t) => {
  const { remote, view, commands, messages } = await fixture(t);
  const version1 = await row(view, [...VERSIONS, 'Version 1']);
  const prompts = answer(t, ['@champion']);

  await commands[RemoteCommand.setAlias](version1);

  assert.deepEqual(remote.store.getRegisteredModel('churn').aliases, [
    { alias: 'champion', version: '1' },
  ]);
  assert.deepEqual(prompts[0].validateInput!('champion'), {
    message: '@champion moves here from version 2',
    severity: fake.InputBoxValidationSeverity.Info,
  });
  assert.equal(
    prompts[0].validateInput!('latest'),
    "'latest' is reserved: it names the newest version",
  );
  assert.equal(messages.at(-1)!.text, `Set @champion on churn version 1 on ${remote.base}.`);
  const versions = await rows(view, VERSIONS);
  assert.match(versions.find((v) => v.label === 'Version 1')!.description!, /^@champion · /);
  assert.doesNotMatch(versions.find((v) => v.label === 'Version 2')!.description!, /@champion/);
  assert.match((await row(view, VERSIONS)).description!, /^@champion · latest version 3/);
});

test("an alias on a version deleted on the server shows the server's error, and the row goes", async (t) => {
  const { remote, view, commands, messages } = await fixture(t);
  const version3 = await row(view, [...VERSIONS, 'Version 3']);
  remote.store.deleteModelVersion('churn', '3');
  answer(t, ['beta']);

  await commands[RemoteCommand.setAlias](version3);

  const [error] = messages.filter((m) => m.level === 'error');
  assert.match(
    error.text,
    new RegExp(
      `^Setting the alias failed: ${remote.base} refused registered-models/alias: ` +
        'Model Version \\(name=churn, version=3\\) not found ' +
        '\\(RESOURCE_DOES_NOT_EXIST\\)\\. The view now shows the model as the server has it',
    ),
  );
  assert.deepEqual(error.buttons, ['Show Log']);
  assert.deepEqual(
    (await rows(view, VERSIONS)).map((v) => v.label),
    ['Version 2', 'Version 1'],
  );
});

test("a refusal for lack of rights shows the server's message and changes nothing", async (t) => {
  const server = await startFakeServer((request, res) => {
    if (request.method === 'GET') {
      return send(res, 200, '{"registered_model": {"name": "churn"}}', 'application/json');
    }
    const refusal = '{"error_code": "PERMISSION_DENIED", "message": "Permission denied for churn"}';
    send(res, 403, refusal, 'application/json');
  });
  t.after(server.close);
  const context = remoteFixture(t);
  context.settings.set(SERVERS_SETTING, [{ name: 'shared', url: server.url }]);
  answer(t, ['champion']);
  const data = {
    kind: 'remoteVersion',
    server: 'shared',
    name: 'churn',
    version: '1',
    runId: '',
    aliases: [],
  };

  await remoteCommands(context.services)[RemoteCommand.setAlias]({ data });

  const [error] = context.messages.filter((m) => m.level === 'error');
  assert.match(
    error.text,
    /refused registered-models\/alias \(403 Forbidden: Permission denied for churn\)/,
  );
  assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1);
});

test('deleting an alias asks first, and only a confirmed delete reaches the server', async (t) => {
  const { remote, view, commands } = await fixture(t);
  const version2 = await row(view, [...VERSIONS, 'Version 2']);
  const asked: string[] = [];
  let reply: string | undefined;
  stub(t, fake.window, 'showWarningMessage', async (text: string) => (asked.push(text), reply));

  await commands[RemoteCommand.deleteAlias](version2);
  const kept = remote.store.getRegisteredModel('churn').aliases;
  reply = 'Delete Alias';
  await commands[RemoteCommand.deleteAlias](version2);

  assert.deepEqual(kept, [{ alias: 'champion', version: '2' }]);
  assert.deepEqual(remote.store.getRegisteredModel('churn').aliases, []);
  assert.equal(asked[0], `Delete @champion from churn version 2 on ${remote.base}?`);
  const refreshed = await row(view, [...VERSIONS, 'Version 2']);
  assert.equal(refreshed.contextValue, 'remoteVersion');
});

test('a tag set on a remote version reaches the server and marks the row as tagged', async (t) => {
  const { remote, view, commands, messages } = await fixture(t);
  const version1 = await row(view, [...VERSIONS, 'Version 1']);
  answer(t, [' validation_status ', 'passed']);

  await commands[RemoteCommand.setTag](version1);

  assert.deepEqual(remote.store.getModelVersion('churn', '1').tags, [
    { key: 'validation_status', value: 'passed' },
  ]);
  assert.match(
    messages.at(-1)!.text,
    /^Tagged churn version 1 on .*: validation_status = passed\.$/,
  );
  assert.equal((await row(view, [...VERSIONS, 'Version 1'])).contextValue, 'remoteVersion.tagged');
});

test('a remote run registers as a new version, of a new model and then of an existing one', async (t) => {
  const { remote, view, commands, messages } = await fixture(t);
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'calm-owl' }).info;
  writeArtifacts(remote.store, runId, {
    'model/MLmodel': Buffer.from('flavors: {}\n'),
    'notes/readme.txt': Buffer.from('notes'),
  });
  const before = await rows(view, ['team', 'Models']);
  const run = await row(view, ['team', 'Experiments', 'Default', 'calm-owl']);
  const picks: string[][] = [];
  // The folder pick's items carry icons; the model pick's first item is the new model.
  const choose = (model: string) => (items: Array<{ label: string }>) => {
    picks.push(items.map((item) => item.label));
    const wanted = items[0].label.startsWith('$(') ? '$(package) model' : model;
    return items.find((item) => item.label === wanted);
  };

  answer(t, ['fraud'], choose('New Registered Model...'));
  await commands[RemoteCommand.registerVersion](run);
  answer(t, [], choose('fraud'));
  await commands[RemoteCommand.registerVersion](run);

  const versions = remote.store.searchModelVersions({ filter: "name = 'fraud'" }).items;
  assert.deepEqual(versions.map((v) => [v.version, v.source, v.runId]).sort(), [
    ['1', `runs:/${runId}/model`, runId],
    ['2', `runs:/${runId}/model`, runId],
  ]);
  assert.deepEqual(picks[0], ['$(package) model', '$(folder) notes', '$(edit) Type a Path...']);
  assert.deepEqual(picks[1], ['New Registered Model...', 'churn']);
  assert.deepEqual(picks[3], ['New Registered Model...', 'churn', 'fraud']);
  assert.match(messages.at(-1)!.text, /^Registered fraud version 2 on .* from run calm-owl\.$/);
  assert.deepEqual(
    before.map((node) => node.label),
    ['churn'],
  );
  assert.deepEqual(
    (await rows(view, ['team', 'Models'])).map((node) => node.label),
    ['churn', 'fraud'],
  );
  assert.deepEqual(
    (await rows(view, ['team', 'Models', 'fraud'])).map((node) => node.label),
    ['Version 2', 'Version 1'],
  );
});

test("a remote version's summary shows its aliases, tags and source run as Markdown", async (t) => {
  const { remote, runId, view, commands, executed, documentText } = await fixture(t);
  remote.store.setModelVersionTag('churn', '2', { key: 'validated', value: 'a|b' });
  const version2 = await row(view, [...VERSIONS, 'Version 2']);

  await commands[RemoteCommand.showVersionSummary](version2);

  const [command, uri] = executed.at(-1)!;
  const text = documentText(uri);
  assert.equal(command, 'markdown.showPreview');
  assert.equal(String(uri), 'model-factory-remote:/churn-v2.md?server=team&model=churn&version=2');
  assert.match(text, /^# churn version 2\n/);
  assert.match(text, /Aliases: @champion/);
  assert.match(text, new RegExp(`Source: runs:/${runId}/model`));
  assert.match(text, new RegExp(`Run brave\\\\-fox \\(${runId}\\) in experiment 0 · running`));
  assert.match(text, /\| auc \| 0\\\.91 \|/);
  assert.match(text, /\| validated \| a\\\|b \|/);
});
