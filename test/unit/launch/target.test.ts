import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as fake from '../../fakes/vscode';
import { planLaunch } from '../../../src/core/projects/launchPlan';
import { launchCommands } from '../../../src/vscode/launch/commands';
import { LaunchCommand, TRACKING_SERVER_SETTING } from '../../../src/vscode/launch/ids';
import { LaunchRefused, type LaunchDefinition } from '../../../src/vscode/launch/resolve';
import { launchTarget, type LaunchTarget } from '../../../src/vscode/launch/target';
import { launchTask, onLaunchFinished } from '../../../src/vscode/launch/task';
import { RemoteCommand, SERVERS_SETTING, secretKey } from '../../../src/vscode/remote/ids';
import { startServer, TOKEN } from '../../helpers/server';
import { tempDir } from '../../helpers/tempStore';
import { remoteFixture, stub } from '../vscode/remoteFixture';

/**
 * The setting modelFactory.launch.trackingServer, resolved with the vscode fake against a real
 * tracking server on 127.0.0.1 that stands in for a remote MLflow server.
 */
type Fixture = ReturnType<typeof remoteFixture>;

function connect(fixture: Fixture, url: string, secret?: object) {
  fixture.settings.set(SERVERS_SETTING, [{ name: 'team', url }]);
  if (secret) fixture.secrets.set(secretKey(url), JSON.stringify(secret));
}

async function refusal(work: Promise<unknown>): Promise<LaunchRefused> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof LaunchRefused, `expected a refusal, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the launch to be refused');
}

test('an empty setting keeps launches in the workspace store', async (t) => {
  const fixture = remoteFixture(t);

  const target = await launchTarget(fixture.services, 'train');

  assert.deepEqual(target, { kind: 'store' });
});

test('the URL of a connection sends launches there, with its token from SecretStorage', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  connect(fixture, remote.base, { token: TOKEN });
  fixture.settings.set(TRACKING_SERVER_SETTING, `${remote.base}/`);

  const target = await launchTarget(fixture.services, 'train');

  assert.deepEqual(target, {
    kind: 'remote',
    server: { name: 'team', url: remote.base },
    remote: { url: remote.base, token: TOKEN, username: undefined, password: undefined },
  });
  assert.ok(!fixture.visible().includes(TOKEN), 'the token leaked outside SecretStorage');
});

test('a URL that is no connection is refused, naming the settings and the Connect command', async (t) => {
  const fixture = remoteFixture(t);
  connect(fixture, 'http://127.0.0.1:9', { token: TOKEN });
  fixture.settings.set(TRACKING_SERVER_SETTING, 'https://mlflow.example.com');

  const error = await refusal(launchTarget(fixture.services, 'train'));

  assert.match(error.message, /^modelFactory\.launch\.trackingServer names https:\/\/mlflow/);
  assert.match(error.message, /not one of your MLflow server connections/);
  assert.match(error.message, /modelFactory\.remote\.servers/);
  assert.match(error.message, /run "Model Factory: Connect to MLflow Server" to add it/);
  assert.deepEqual(error.action, {
    title: 'Connect to MLflow Server',
    command: RemoteCommand.connectServer,
  });
});

test('a connection without saved credentials, to a server that needs them, is refused', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  connect(fixture, remote.base);
  fixture.settings.set(TRACKING_SERVER_SETTING, remote.base);

  const error = await refusal(launchTarget(fixture.services, 'train'));

  assert.equal(
    error.message,
    `${remote.base} needs credentials, and none are saved for it ` +
      '(modelFactory.launch.trackingServer sends launches there): run "Model Factory: ' +
      'Connect to MLflow Server" and give its token or password, or clear ' +
      'modelFactory.launch.trackingServer to record runs in the workspace store',
  );
  assert.equal(error.action?.command, RemoteCommand.connectServer);
});

test('a saved token the server rejects is refused, asking to connect again', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  connect(fixture, remote.base, { token: 'expired-token-77' });
  fixture.settings.set(TRACKING_SERVER_SETTING, 'team');

  const error = await refusal(launchTarget(fixture.services, 'train'));

  assert.match(error.message, /refused the saved credentials .*Connect to MLflow Server" again/);
  assert.ok(!error.message.includes('expired-token-77'));
});

test('an untrusted workspace gets no launch, wherever the setting points', async (t) => {
  const fixture = remoteFixture(t);
  stub(t, fake.workspace, 'isTrusted', false);
  fixture.settings.set(TRACKING_SERVER_SETTING, 'http://127.0.0.1:9');

  const error = await refusal(launchTarget(fixture.services, 'train'));

  assert.match(error.message, /not trusted/);
});

test('an evaluation stays in the workspace store and says why', async (t) => {
  const fixture = remoteFixture(t);
  fixture.settings.set(TRACKING_SERVER_SETTING, 'https://mlflow.example.com');

  const target = await launchTarget(fixture.services, 'evaluate');

  assert.equal(target.kind, 'store');
  assert.match(
    (target as { note?: string }).note ?? '',
    /recorded there and not on https:\/\/mlflow\.example\.com/,
  );
});

test('a launch that must stay in the workspace store (a retrain) stays there and says why', async (t) => {
  const fixture = remoteFixture(t);
  fixture.settings.set(TRACKING_SERVER_SETTING, 'https://mlflow.example.com');

  const target = await launchTarget(fixture.services, 'train', 'A retrain is linked here');

  assert.deepEqual(target, {
    kind: 'store',
    note: 'A retrain is linked here, not on https://mlflow.example.com.',
  });
});

test('Launch Tracked Run with an unknown server warns with a Connect button and runs nothing', async (t) => {
  const fixture = remoteFixture(t);
  fixture.settings.set(TRACKING_SERVER_SETTING, 'https://mlflow.example.com');
  let executed = 0;
  stub(t, fake.tasks, 'executeTask', async () => void executed++);

  await launchCommands(fixture.services)[LaunchCommand.launch]({
    kind: 'train',
    uri: 'file:///work/train.py',
  });

  const [warning] = fixture.messages.filter((m) => m.level === 'warning');
  assert.match(warning.text, /^Cannot launch: modelFactory\.launch\.trackingServer names/);
  assert.deepEqual(warning.buttons, ['Connect to MLflow Server']);
  assert.equal(executed, 0);
});

test('a task launched to the server runs python3 there and says where the run went', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  connect(fixture, remote.base, { token: TOKEN });
  fixture.settings.set(TRACKING_SERVER_SETTING, remote.base);
  const services = fixture.services as unknown as Record<string, Record<string, unknown>>;
  services.tracking.pythonModuleDir = () => path.join(__dirname, '../../../media/python');
  services.context.workspaceState = { get: () => undefined };
  const work = tempDir('mf-launch-task-');
  t.after(work.remove);
  writeFileSync(
    path.join(work.dir, 'train.py'),
    'import model_factory as m\nm.log_metric("acc", 0.9)\n',
  );
  const plan = planLaunch({ kind: 'train', python: 'python3', scriptPath: `${work.dir}/train.py` });
  const definition: LaunchDefinition = {
    type: 'modelFactory',
    kind: 'train',
    script: plan.sourceName,
  };
  const fired: unknown[] = [];
  const subscription = onLaunchFinished((event) => fired.push(event));
  t.after(() => subscription.dispose());

  const target: LaunchTarget = await launchTarget(fixture.services, 'train');
  const task = launchTask(fixture.services, definition, undefined, { launch: { plan }, target });
  const terminal = (await (task.execution as unknown as fake.CustomExecution).callback(
    definition,
  )) as { open(): void; onDidWrite: Function; onDidClose: Function };
  let text = '';
  terminal.onDidWrite((chunk: string) => (text += chunk));
  const code = await new Promise<number>((resolve) => {
    terminal.onDidClose(resolve);
    terminal.open();
  });

  assert.equal(code, 0, text);
  const [run] = remote.store.searchRuns({ experimentIds: ['0'] }).items;
  assert.equal(run.info.status, 'FINISHED');
  assert.equal(run.data.metrics.find((m) => m.key === 'acc')?.value, 0.9);
  assert.match(text, new RegExp(`run ${run.info.runId} in experiment Default on ${remote.base}`));
  assert.match(text, /not in the Experiments view: the MLflow Servers view lists it/);
  assert.match(text, new RegExp(`run ${run.info.runId} is FINISHED on ${remote.base}\\.`));
  assert.ok(fixture.logLines.some((line) => line.includes(`recorded on ${remote.base}`)));
  assert.deepEqual(fired, [], 'followers of workspace runs were told of a remote one');
  assert.ok(!fixture.visible().includes(TOKEN));
});
