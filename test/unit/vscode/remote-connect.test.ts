import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOKEN, startServer } from '../../helpers/server';
import { send, startFakeServer } from '../remote/helpers';
import { remoteCommands } from '../../../src/vscode/remote/commands';
import { RemoteCommand, secretKey } from '../../../src/vscode/remote/ids';
import { connectionsOf } from '../../../src/vscode/remote/connections';
import { RemoteTreeModel } from '../../../src/vscode/remote/model';
import { ServersView } from '../../../src/vscode/remote/view';
import type { ViewNode } from '../../../src/vscode/views/node';
import { answer, remoteFixture } from './remoteFixture';

const byId = (id: string) => (items: Array<{ id?: string }>) => items.find((i) => i.id === id);

test('connecting with a token saves the URL in settings and the token only in SecretStorage', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  const prompts = answer(t, [`${remote.base}/`, TOKEN], byId('token'));

  await remoteCommands(fixture.services)[RemoteCommand.connectServer]();

  const url = remote.base;
  assert.deepEqual(fixture.servers(), [{ name: url.replace('http://', ''), url }]);
  assert.deepEqual(JSON.parse(fixture.secrets.get(secretKey(url))!), { token: TOKEN });
  assert.equal(prompts[1].password, true, 'the token box hides what is typed');
  assert.ok(!fixture.visible().includes(TOKEN), 'the token leaked outside SecretStorage');
  assert.ok(fixture.logLines.some((line) => line.includes(`Connected to ${url}`)));
  assert.match(fixture.messages.at(-1)!.text, /^Connected to /);
});

test("a rejected token shows the server's error with Show Log, and saves nothing", async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  answer(t, [remote.base, 'wrong-secret-token'], byId('token'));

  await remoteCommands(fixture.services)[RemoteCommand.connectServer]();

  const [error] = fixture.messages.filter((m) => m.level === 'error');
  assert.match(
    error.text,
    new RegExp(`^Could not connect to ${remote.base}: .*(token|credential|auth)`, 'i'),
  );
  assert.deepEqual(error.buttons, ['Show Log']);
  assert.deepEqual(fixture.servers(), []);
  assert.equal(fixture.secrets.size, 0);
  assert.ok(!fixture.visible().includes('wrong-secret-token'));
});

test('a user name and password in the URL become basic authentication, kept out of settings', async (t) => {
  const server = await startFakeServer((_request, res) =>
    send(res, 200, '{"experiments": []}', 'application/json'),
  );
  t.after(server.close);
  const fixture = remoteFixture(t);
  const withUser = server.url.replace('http://', 'http://ada:s3cret-pw@');
  answer(t, [withUser]);

  await remoteCommands(fixture.services)[RemoteCommand.connectServer]();

  const basic = `Basic ${Buffer.from('ada:s3cret-pw').toString('base64')}`;
  assert.equal(server.requests[0].headers.authorization, basic);
  assert.deepEqual(fixture.servers(), [
    { name: server.url.replace('http://', ''), url: server.url },
  ]);
  assert.deepEqual(JSON.parse(fixture.secrets.get(secretKey(server.url))!), {
    username: 'ada',
    password: 's3cret-pw',
  });
  assert.ok(!fixture.visible().includes('s3cret-pw'));
});

test('the URL box rejects what is not an http or https URL, saying why', async (t) => {
  const fixture = remoteFixture(t);
  const prompts = answer(t, []);

  await remoteCommands(fixture.services)[RemoteCommand.connectServer]();

  const validate = prompts[0].validateInput!;
  assert.match(String(validate('ftp://example.com')), /must start with http:\/\/ or https:\/\//);
  assert.match(String(validate('not a url')), /is not a URL/);
  assert.equal(validate('https://mlflow.example.com'), undefined);
  assert.deepEqual(fixture.servers(), []);
});

test('disconnecting removes the connection from settings and its secret from SecretStorage', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  const commands = remoteCommands(fixture.services);
  answer(t, [remote.base, TOKEN], byId('token'));
  await commands[RemoteCommand.connectServer]();
  const [server] = fixture.servers();
  const node = { data: { kind: 'remoteServer', server: server.name, url: server.url } };

  await commands[RemoteCommand.disconnectServer](node);

  assert.deepEqual(fixture.servers(), []);
  assert.equal(fixture.secrets.size, 0);
});

test('connecting again to the same URL replaces its credentials, not adds a second entry', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  const commands = remoteCommands(fixture.services);
  answer(t, [remote.base, TOKEN, remote.base, TOKEN], byId('token'));

  await commands[RemoteCommand.connectServer]();
  await commands[RemoteCommand.connectServer]();

  assert.equal(fixture.servers().length, 1);
  assert.equal(fixture.secrets.size, 1);
});

test('the MLflow Servers view is empty without connections and lists one as soon as it is made', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const fixture = remoteFixture(t);
  const view = new ServersView(connectionsOf(fixture.services), {
    modelClass: () => RemoteTreeModel,
  });
  t.after(() => view.dispose());
  const before = await view.provider.getChildren();
  const refreshed = new Promise<void>((resolve) =>
    view.provider.onDidChangeTreeData(() => resolve()),
  );
  answer(t, [remote.base, TOKEN], byId('token'));

  await remoteCommands(fixture.services)[RemoteCommand.connectServer]();
  await refreshed;

  const [server] = (await view.provider.getChildren()) as ViewNode[];
  const [group] = (await view.provider.getChildren(server)) as ViewNode[];
  const experiments = (await view.provider.getChildren(group)) as ViewNode[];
  assert.deepEqual(before, []);
  assert.equal(server.data?.kind, 'remoteServer');
  assert.deepEqual(
    experiments.map((node) => node.label),
    ['Default'],
  );
});
