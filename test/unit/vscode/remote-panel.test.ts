import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fake from '../../fakes/vscode';
import { startServer, TOKEN } from '../../helpers/server';
import { DisposableScope } from '../../../src/vscode/disposable';
import { registerPanels } from '../../../src/vscode/panels/panels';
import { remoteCommands } from '../../../src/vscode/remote/commands';
import { RemoteCommand, secretKey, SERVERS_SETTING } from '../../../src/vscode/remote/ids';
import { mirrorsOf } from '../../../src/vscode/remote/mirror';
import { answer, remoteFixture, stub } from './remoteFixture';

type After = { after(fn: () => unknown): void };

/** Webview panels as the run panel's host meets them: what it posts, and a way to talk back. */
function fakeWebviews(t: After) {
  const panels: Array<{
    title: string;
    posted: Array<{ type: string; [key: string]: unknown }>;
    send(message: unknown): void;
    disposed: boolean;
  }> = [];
  stub(t, fake.window, 'registerWebviewPanelSerializer', () => ({ dispose() {} }));
  stub(t, fake.window, 'createWebviewPanel', (_type: string, title: string) => {
    const received = new fake.EventEmitter<unknown>();
    const disposed = new fake.EventEmitter<void>();
    const record = {
      title,
      posted: [] as Array<{ type: string }>,
      send: (message: unknown) => received.fire(message),
      disposed: false,
    };
    const panel = {
      get title() {
        return record.title;
      },
      set title(value: string) {
        record.title = value;
      },
      visible: true,
      webview: {
        options: {},
        html: '',
        cspSource: 'vscode-resource:',
        asWebviewUri: (uri: unknown) => uri,
        postMessage: async (message: { type: string }) => void record.posted.push(message),
        onDidReceiveMessage: received.event,
      },
      onDidDispose: disposed.event,
      onDidChangeViewState: () => ({ dispose() {} }),
      reveal: () => undefined,
      dispose: () => {
        record.disposed = true;
        disposed.fire();
      },
    };
    panels.push(record);
    return panel;
  });
  return panels;
}

/** A connection named team to `url` with `token` saved, and the panels over fake webviews. */
function connectedWithPanels(t: After, url: string, token: string) {
  const fixture = remoteFixture(t);
  fixture.settings.set(SERVERS_SETTING, [{ name: 'team', url }]);
  fixture.secrets.set(secretKey(url), JSON.stringify({ token }));
  const services = fixture.services as unknown as { context: Record<string, unknown> };
  services.context.extensionUri = fake.Uri.file('/extension');
  const scope = new DisposableScope();
  t.after(() => scope.dispose());
  const webviews = fakeWebviews(t);
  registerPanels(fixture.services, scope);
  return { fixture, webviews };
}

async function until<T>(what: () => T | undefined, label: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const found = what();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${label}`);
}

test("clicking a remote run opens the run panel with its charts, read from the server's copy", async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const experimentId = remote.store.createExperiment('churn');
  const { runId } = remote.store.createRun({ experimentId, runName: 'brave-fox' }).info;
  remote.store.logBatch(runId, {
    params: [{ key: 'alpha', value: '0.5' }],
    metrics: [0, 1, 2].map((step) => ({
      key: 'loss',
      value: 1 / (step + 1),
      timestamp: step,
      step,
    })),
  });
  const { fixture, webviews } = connectedWithPanels(t, remote.base, TOKEN);

  const data = { kind: 'remoteRun', server: 'team', runId, experimentId, name: '', status: '' };
  await remoteCommands(fixture.services)[RemoteCommand.openRun]({ data });
  const [panel] = webviews;
  panel.send({ type: 'ready' });
  const run = await until(() => panel.posted.find((m) => m.type === 'run'), 'the run');
  panel.send({ type: 'series', requestId: 1, runIds: [runId], key: 'loss', width: 600, x: 'step' });
  const series = await until(() => panel.posted.find((m) => m.type === 'series'), 'the series');

  assert.match(panel.title, /^brave-fox \(\w{7}\) · team$/);
  const view = run.run as { name: string; server: unknown; params: unknown };
  assert.equal(view.name, 'brave-fox');
  assert.deepEqual(view.server, { name: 'team', url: remote.base });
  assert.deepEqual(view.params, [{ key: 'alpha', value: '0.5' }]);
  const [points] = series.series as Array<{ x: number[]; y: number[] }>;
  assert.deepEqual(points.x, [0, 1, 2]);
  assert.deepEqual(points.y, [1, 0.5, 1 / 3]);
  assert.deepEqual(fixture.messages, [], 'no error shown');
});

test('a remote run that cannot be read shows why and opens no panel', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const { fixture, webviews } = connectedWithPanels(t, remote.base, 'wrong-token');

  await mirrorsOf(fixture.services).openRun({ name: 'team', url: remote.base }, 'a'.repeat(32));

  assert.equal(webviews.length, 0);
  assert.equal(fixture.messages.length, 1);
  assert.equal(fixture.messages[0].level, 'error');
  assert.match(fixture.messages[0].text, /^Could not read from team: .*(token|401|auth)/i);
});

test('a remote version opens in the version panel, and its description and aliases change on the server', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const experimentId = remote.store.createExperiment('churn');
  const { runId } = remote.store.createRun({ experimentId, runName: 'brave-fox' }).info;
  remote.store.createRegisteredModel('churn');
  remote.store.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
  remote.store.setAlias('churn', 'champion', '1');
  const { fixture, webviews } = connectedWithPanels(t, remote.base, TOKEN);
  answer(t, ['challenger']);
  type VersionMessage = { type: string; version: Record<string, unknown> };
  const versions = () => webviews[0].posted.filter((m) => m.type === 'version') as VersionMessage[];

  const data = { kind: 'remoteVersion', server: 'team', name: 'churn', version: '1', runId };
  await remoteCommands(fixture.services)[RemoteCommand.openVersion]({
    data: { ...data, aliases: ['champion'] },
  });
  const [panel] = webviews;
  panel.send({ type: 'ready' });
  const first = await until(() => versions()[0], 'the version');
  panel.send({ type: 'saveDescription', description: 'tuned on March data' });
  await until(
    () => versions().find((m) => m.version.description === 'tuned on March data'),
    'the new description in the panel',
  );
  panel.send({ type: 'versionAction', action: 'setAlias' });
  const last = await until(
    () => versions().find((m) => (m.version.aliases as string[]).includes('challenger')),
    'the new alias in the panel',
  );

  assert.match(panel.title, /^churn v1 · team$/);
  assert.deepEqual(first.version.server, { name: 'team', url: remote.base });
  assert.deepEqual(first.version.aliases, ['champion']);
  assert.equal((first.version.sourceRun as { name: string }).name, 'brave-fox');
  assert.equal(first.version.canEvaluate, false, 'launches need the workspace store');
  assert.equal(remote.store.getModelVersion('churn', '1').description, 'tuned on March data');
  assert.deepEqual(
    remote.store
      .getRegisteredModel('churn')
      .aliases.map((a) => a.alias)
      .sort(),
    ['challenger', 'champion'],
  );
  assert.deepEqual(last.version.aliases, ['challenger', 'champion']);
});
