import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DisposableScope } from '../../../src/vscode/disposable';
import { remoteCommands } from '../../../src/vscode/remote/commands';
import { RemoteCommand, SERVERS_SETTING, secretKey } from '../../../src/vscode/remote/ids';
import { registerServersView, serversView } from '../../../src/vscode/remote/view';
import type { ViewNode } from '../../../src/vscode/views/node';
import { startServer, TOKEN } from '../../helpers/server';
import { openTempStore } from '../../helpers/tempStore';
import { remoteFixture } from '../vscode/remoteFixture';
import { seedStore } from './seed';

type After = { after(fn: () => unknown): void };

/** A seeded workspace store, a real empty remote, one connection, and the servers view. */
async function fixture(t: After) {
  const local = await openTempStore();
  t.after(local.dispose);
  const seeded = seedStore(local.store, 20);
  const remote = await startServer();
  t.after(remote.stop);
  const context = remoteFixture(t, local.store);
  context.settings.set(SERVERS_SETTING, [{ name: 'team', url: remote.base }]);
  context.secrets.set(secretKey(remote.base), JSON.stringify({ token: TOKEN }));
  const scope = new DisposableScope();
  t.after(() => scope.dispose());
  registerServersView(context.services, scope);
  const view = serversView(context.services)!;
  return { ...context, local: local.store, seeded, remote, view };
}

/** The Models view's row of a local version, as models/model.ts builds it. */
function versionRow(name: string, version: string, runId: string, aliases: string[]): ViewNode {
  return {
    id: `modelVersion:${JSON.stringify([name, version])}`,
    label: `Version ${version}`,
    contextValue: 'modelVersion.aliased',
    collapsible: 'none',
    data: { kind: 'modelVersion', name, version, runId, aliases },
  };
}

async function modelRows(view: Awaited<ReturnType<typeof fixture>>['view']) {
  const [server] = (await view.provider.getChildren()) as ViewNode[];
  const [, models] = (await view.provider.getChildren(server)) as ViewNode[];
  return (await view.provider.getChildren(models)) as ViewNode[];
}

test('"Push Model Version" copies the version and its run once, however often it is run', async (t) => {
  const { remote, seeded, view, messages, progressReports, services } = await fixture(t);
  const before = await modelRows(view);
  const row = versionRow('house-price', '1', seeded.baseline, ['champion']);
  const push = remoteCommands(services)[RemoteCommand.pushModelVersion];

  await push(row);
  await push(row);

  const versions = remote.store.searchModelVersions({ filter: "name = 'house-price'" }).items;
  assert.equal(versions.length, 1);
  assert.deepEqual(versions[0].aliases, ['champion']);
  const [first, second] = messages.filter((m) => m.level === 'information');
  assert.match(
    first.text,
    new RegExp(
      `^Pushed to ${remote.base}: 1 new experiment, 1 run \\(1 created, 0 updated, 0 unchanged\\), ` +
        '.*, 1 model version created, 1 alias set, 1 new registered model\\.$',
    ),
  );
  assert.match(
    second.text,
    /1 run \(0 created, 0 updated, 1 unchanged\).*0 model versions created, 0 aliases set\.$/,
  );
  assert.deepEqual(progressReports.slice(0, 3), [
    '0 of 1 run · 0 metric points',
    '1 of 1 run · 23 metric points',
    '1 of 1 model · 1 version created',
  ]);
  assert.deepEqual(
    before.map((node) => node.label),
    ['No registered models'],
  );
  const after = await modelRows(view);
  assert.deepEqual(
    after.map((node) => [node.label, node.description]),
    [['house-price', '@champion · latest version 1 · predicts prices']],
  );
});

test('"Push Model Version" from the palette says where it works, and pushes nothing', async (t) => {
  const { remote, messages, services } = await fixture(t);

  await remoteCommands(services)[RemoteCommand.pushModelVersion]();

  assert.deepEqual(messages, [
    {
      level: 'information',
      text: 'Push Model Version works on a version in the Models view: right-click one there.',
      buttons: [],
    },
  ]);
  assert.equal(remote.store.searchRegisteredModels({}).items.length, 0);
});

test('a version whose run is deleted is refused with the reason, and nothing is pushed', async (t) => {
  const { local, remote, seeded, messages, services } = await fixture(t);
  local.deleteRun(seeded.child);

  await remoteCommands(services)[RemoteCommand.pushModelVersion](
    versionRow('house-price', '2', seeded.child, ['challenger']),
  );

  const [error] = messages.filter((m) => m.level === 'error');
  assert.match(
    error.text,
    /^Pushing house-price version 2 failed: the run \w+ of house-price version 2 is deleted; restore it to push the version/,
  );
  assert.equal(remote.store.searchRegisteredModels({}).items.length, 0);
});
