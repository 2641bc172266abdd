import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOKEN, startServer } from '../../helpers/server';
import { openTempStore } from '../../helpers/tempStore';
import { closedPort } from '../remote/helpers';
import type { RunStore } from '../../../src/core/store/store';
import { SOURCE_RUN_TAG } from '../../../src/core/tracking/remote';
import { remoteCommands } from '../../../src/vscode/remote/commands';
import {
  REMOTE_RUN_SCHEME,
  RemoteCommand,
  SERVERS_SETTING,
  secretKey,
} from '../../../src/vscode/remote/ids';
import type { ViewNode } from '../../../src/vscode/views/node';
import * as fake from '../../fakes/vscode';
import { DisposableScope } from '../../../src/vscode/disposable';
import { registerRunDocuments } from '../../../src/vscode/remote/runDocument';
import { remoteFixture, stub } from './remoteFixture';

type After = { after(fn: () => unknown): void };

/** A workspace store, a real remote server, and one saved connection to it. */
async function fixture(t: After, url?: string) {
  const local = await openTempStore();
  t.after(local.dispose);
  const remote = await startServer();
  t.after(remote.stop);
  const context = remoteFixture(t, local.store);
  const server = { name: 'team', url: url ?? remote.base };
  context.settings.set(SERVERS_SETTING, [server]);
  context.secrets.set(secretKey(server.url), JSON.stringify({ token: TOKEN }));
  return { ...context, local: local.store, remote, commands: remoteCommands(context.services) };
}

function localRunNode(store: RunStore): ViewNode {
  const { info } = store.createRun({ experimentId: '0', runName: 'brave-fox' });
  store.logBatch(info.runId, {
    params: [{ key: 'alpha', value: '0.5' }],
    metrics: [1, 2, 3].map((step) => ({ key: 'loss', value: 1 / step, timestamp: step, step })),
  });
  store.updateRun(info.runId, { status: 'FINISHED', endTime: Date.now() });
  const data = {
    kind: 'run' as const,
    runId: info.runId,
    experimentId: '0',
    name: 'brave-fox',
    deleted: false,
    status: 'FINISHED',
  };
  return {
    id: `run:${info.runId}`,
    label: 'brave-fox',
    contextValue: 'run.finished',
    collapsible: 'none',
    data,
  };
}

test('pushing a local run item copies that run to the server and reports the counts', async (t) => {
  const { local, remote, commands, messages, visible, progressReports } = await fixture(t);
  const node = localRunNode(local);
  local.createRun({ experimentId: '0', runName: 'not-this-one' });

  await commands[RemoteCommand.pushRun](node);

  const copies = remote.store.searchRuns({ experimentIds: ['0'] }).items;
  assert.equal(copies.length, 1);
  assert.equal(
    copies[0].data.tags.find((tag) => tag.key === SOURCE_RUN_TAG)?.value,
    node.id.replace('run:', ''),
  );
  const info = messages.find((m) => m.level === 'information')!;
  assert.match(
    info.text,
    new RegExp(
      `^Pushed to ${remote.base}: 1 run \\(1 created, 0 updated, 0 unchanged\\), 3 metric points, 1 param`,
    ),
  );
  assert.ok(
    progressReports.includes('1 of 1 run · 3 metric points'),
    JSON.stringify(progressReports),
  );
  assert.ok(!visible().includes(TOKEN));
});

test('pulling a remote experiment item copies its runs into the workspace store', async (t) => {
  const { local, remote, commands, messages } = await fixture(t);
  const experimentId = remote.store.createExperiment('churn');
  for (const runName of ['a', 'b']) remote.store.createRun({ experimentId, runName });
  const node = {
    id: 'x',
    label: 'churn',
    contextValue: 'remoteExperiment',
    collapsible: 'collapsed' as const,
    data: { kind: 'remoteExperiment' as const, server: 'team', experimentId, name: 'churn' },
  };

  await commands[RemoteCommand.pullExperiment](node);

  const pulled = local.getExperimentByName('churn');
  const runs = local.searchRuns({ experimentIds: [pulled!.experimentId] }).items;
  assert.deepEqual(runs.map((run) => run.info.runName).sort(), ['a', 'b']);
  assert.match(
    messages.at(-1)!.text,
    /^Pulled into the workspace: 1 new experiment, 2 runs \(2 created/,
  );
});

test('a push that cannot reach the server says why, with Show Log', async (t) => {
  const url = `http://127.0.0.1:${await closedPort()}`;
  const { local, commands, messages } = await fixture(t, url);

  await commands[RemoteCommand.pushRun](localRunNode(local));

  const [error] = messages.filter((m) => m.level === 'error');
  assert.match(
    error.text,
    /^Pushing the run brave-fox failed: nothing is listening at http:\/\/127\.0\.0\.1:\d+/,
  );
  assert.deepEqual(error.buttons, ['Show Log']);
});

test('a cancelled push says what it copied before it stopped', async (t) => {
  const { local, remote, commands, messages, progress } = await fixture(t);
  const node = localRunNode(local);
  localRunNode(local);
  // Cancelled once the first run is through: the second is never sent.
  progress.cancelWhen = (message) => message.startsWith('1 of 2 runs');

  await commands[RemoteCommand.pushExperiment]({
    ...node,
    data: { kind: 'experiment', experimentId: '0', name: 'Default', deleted: false },
  });

  const warning = messages.find((m) => m.level === 'warning')!;
  assert.match(
    warning.text,
    /^Pushing the experiment 'Default' was cancelled\. Done before it stopped: 1 run \(1 created/,
  );
  assert.equal(remote.store.searchRuns({ experimentIds: ['0'] }).items.length, 1);
});

test('clicking a remote run opens a read-only Markdown page of its params, metrics and tags', async (t) => {
  const { remote, commands } = await fixture(t);
  const { runId } = remote.store.createRun({ experimentId: '0', runName: 'brave-fox' }).info;
  remote.store.logBatch(runId, {
    params: [{ key: 'alpha', value: '0.5' }],
    tags: [{ key: 'team', value: 'a|b' }],
    metrics: [{ key: 'rmse', value: 0.25, timestamp: 1, step: 0 }],
  });
  let provider: { provideTextDocumentContent(uri: unknown): string } | undefined;
  stub(
    t,
    fake.workspace,
    'registerTextDocumentContentProvider',
    (_scheme: string, given: never) => {
      provider = given;
      return { dispose() {} };
    },
  );
  const executed: unknown[][] = [];
  stub(t, fake.commands, 'executeCommand', async (...args: unknown[]) => void executed.push(args));
  const scope = new DisposableScope();
  t.after(() => scope.dispose());
  registerRunDocuments(scope);
  const data = {
    kind: 'remoteRun',
    server: 'team',
    runId,
    experimentId: '0',
    name: 'brave-fox',
    status: 'RUNNING',
  };

  await commands[RemoteCommand.showRunSummary]({ data });

  const [command, uri] = executed[0];
  const text = provider!.provideTextDocumentContent(uri);
  assert.equal(command, 'markdown.showPreview');
  assert.equal(String(uri), `${REMOTE_RUN_SCHEME}:/brave-fox.md?server=team&run=${runId}`);
  assert.match(text, /^# brave\\-fox\n/);
  assert.match(text, /\| alpha \| 0\\\.5 \|/);
  assert.match(text, /\| rmse \| 0\\\.25 \|/);
  assert.match(text, /\| team \| a\\\|b \|/);
});
