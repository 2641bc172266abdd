import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowClient, RemoteError } from '../../../src/core/tracking/remote';
import { startServer, TOKEN } from '../../helpers/server';
import { clientFor, closedPort, send, startFakeServer } from './helpers';

async function failure(work: Promise<unknown>): Promise<RemoteError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof RemoteError, `expected a RemoteError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

test('checkServer accepts model-factory serve and reports its version', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const client = clientFor(remote.base);
  t.after(() => client.close());

  const info = await client.checkServer();

  assert.deepEqual(info, { url: remote.base, version: 'test' });
});

test('a web server answering HTML is named as not MLflow, with what it looks like', async (t) => {
  const site = await startFakeServer((_request, res) =>
    send(res, 200, '<!doctype html><html><head><title>Welcome to nginx!</title></head></html>'),
  );
  t.after(site.close);

  const error = await failure(clientFor(site.url).checkServer());

  assert.equal(error.kind, 'not-mlflow');
  assert.equal(error.code, 'NOT_MLFLOW');
  assert.match(error.message, new RegExp(`^${site.url} is not an MLflow tracking server`));
  assert.match(error.message, /answered 200 and an HTML page titled 'Welcome to nginx!'/);
  assert.match(error.message, /Check the URL and the port/);
});

test("MLflow's UI behind a proxy that drops /api is recognised as such", async (t) => {
  const proxy = await startFakeServer((request, res) => {
    if (request.url === '/') return send(res, 200, '<html><title>MLflow</title></html>');
    if (request.url === '/health') return send(res, 200, 'OK', 'text/plain');
    send(res, 404, '<html><title>404 Not Found</title></html>');
  });
  t.after(proxy.close);

  const error = await failure(clientFor(proxy.url).checkServer());

  assert.match(error.message, /shows MLflow's web UI, but its REST API does not answer/);
  assert.match(error.message, /looks like MLflow's UI behind a proxy that does not pass \/api on/);
  assert.match(error.message, /answered 404 Not Found and an HTML page titled '404 Not Found'/);
});

test('another JSON API is told apart from MLflow by its fields', async (t) => {
  const api = await startFakeServer((_request, res) =>
    send(res, 404, '{"detail": "Not Found"}', 'application/json'),
  );
  t.after(api.close);

  const error = await failure(clientFor(api.url).checkServer());

  assert.match(error.message, /JSON that is not MLflow's \(fields: detail\)/);
  assert.match(error.message, /it looks like another JSON API \(FastAPI or Django REST style\)/);
});

test('a server that answers /health but not the API at this path is told to check the path', async (t) => {
  const server = await startFakeServer((request, res) =>
    request.url === '/health' ? send(res, 200, 'OK', 'text/plain') : send(res, 404, ''),
  );
  t.after(server.close);

  const error = await failure(clientFor(server.url).checkServer());

  assert.match(error.message, /answers \/health as MLflow does, but not MLflow's REST API/);
});

test('a redirect to a sign-in page says so instead of following it with our credentials', async (t) => {
  const sso = await startFakeServer((_request, res) => {
    res.writeHead(302, { Location: 'https://login.example.com/authorize' });
    res.end();
  });
  t.after(sso.close);

  const error = await failure(clientFor(sso.url).checkServer());

  assert.match(error.message, /redirects to https:\/\/login\.example\.com\/authorize/);
  assert.match(error.message, /sign-in page or a proxy in front of MLflow/);
  assert.equal(sso.requests.length, 1);
});

test('an unreachable port names the URL and the cause at once, without retrying', async () => {
  const port = await closedPort();
  const client = clientFor(`http://127.0.0.1:${port}`, { retries: 5, retryDelayMs: 2000 });
  const started = performance.now();

  const error = await failure(client.experiments.search());

  assert.equal(error.kind, 'unreachable');
  assert.equal(
    error.message,
    `nothing is listening at http://127.0.0.1:${port} (connection refused): check the URL and ` +
      'the port, and that the MLflow server is running',
  );
  assert.ok(performance.now() - started < 1000, 'waited for a server that was never there');
});

test('a server that goes away after answering is retried, then reported as unreachable', async () => {
  const remote = await startServer();
  const client = clientFor(remote.base, { retries: 2 });
  await client.experiments.search();
  await remote.stop();

  const error = await failure(client.experiments.search());

  assert.equal(error.kind, 'unreachable');
  assert.match(error.message, /connection refused.*\(gave up after 3 attempts\)$/);
});

test('a wrong token gets a 401 message about the token, without the token in it', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const client = clientFor(remote.base, { token: 'not-the-token-xyz' });

  const error = await failure(client.checkServer());

  assert.equal(error.status, 401);
  assert.equal(error.kind, 'auth');
  assert.equal(error.errorCode, 'UNAUTHENTICATED');
  assert.match(error.message, /rejected the token \(401 Unauthorized\): check --token/);
  assert.doesNotMatch(error.message, /not-the-token-xyz/);
});

test('no credentials at all get a 401 message that lists both ways to give them', async (t) => {
  const remote = await startServer();
  t.after(remote.stop);
  const client = new MlflowClient({ url: remote.base, retryDelayMs: 1 });

  const error = await failure(client.runs.get('0'.repeat(32)));

  assert.match(error.message, /needs credentials \(401 Unauthorized\)/);
  assert.match(error.message, /MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD/);
});

test('a 403 says the account lacks permission and passes on the server message', async (t) => {
  const server = await startFakeServer((_request, res) =>
    send(
      res,
      403,
      '{"error_code": "PERMISSION_DENIED", "message": "Permission denied for experiment 4"}',
      'application/json',
    ),
  );
  t.after(server.close);

  const error = await failure(clientFor(server.url).experiments.get('4'));

  assert.equal(error.errorCode, 'PERMISSION_DENIED');
  assert.match(
    error.message,
    /refused experiments\/get \(403 Forbidden: Permission denied for experiment 4\)/,
  );
});

test('the bearer token, basic credentials and their precedence reach the server as MLflow sends them', async (t) => {
  const server = await startFakeServer((_request, res) => send(res, 200, '{}', 'application/json'));
  t.after(server.close);
  const clients = [
    new MlflowClient({ url: server.url, token: 'tok-1' }),
    new MlflowClient({ url: server.url, username: 'alice', password: 'pa:ss' }),
    new MlflowClient({ url: server.url, token: 'tok-2', username: 'bob', password: 'pw' }),
    new MlflowClient({ url: server.url.replace('http://', 'http://carol:s%40cret@') }),
    new MlflowClient({ url: server.url }),
  ];

  for (const client of clients) await client.experiments.search();
  for (const client of clients) client.close();

  const sent = server.requests.map((r) => r.headers.authorization);
  const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;
  assert.deepEqual(sent, [
    'Bearer tok-1',
    basic('alice:pa:ss'),
    basic('bob:pw'),
    basic('carol:s@cret'),
    undefined,
  ]);
  assert.equal(clients[3].url, server.url);
  assert.deepEqual(
    clients.map((c) => c.authentication),
    ['token', 'basic', 'basic', 'basic', 'none'],
  );
});

test('a wrong password names the user and not the password', async (t) => {
  const server = await startFakeServer((_request, res) => send(res, 401, 'You must log in'));
  t.after(server.close);
  const client = new MlflowClient({ url: server.url, username: 'alice', password: 'hunter2' });

  const error = await failure(client.checkServer());

  assert.match(error.message, /rejected the user name and password of 'alice'/);
  assert.doesNotMatch(error.message, /hunter2/);
});

test('a URL that is not http(s) is an input error before anything is sent', () => {
  assert.throws(() => new MlflowClient({ url: 'ftp://example.com' }), /must start with http/);
  assert.throws(() => new MlflowClient({ url: 'not a url' }), /is not a URL/);
});

test('a pasted endpoint URL is trimmed to the server, and a path prefix is kept', async (t) => {
  const server = await startFakeServer((_request, res) => send(res, 200, '{}', 'application/json'));
  t.after(server.close);
  const client = new MlflowClient({ url: `${server.url}/mlflow/api/2.0/mlflow/`, token: TOKEN });

  await client.experiments.search();
  client.close();

  assert.equal(client.url, `${server.url}/mlflow`);
  assert.equal(server.requests[0].url, '/mlflow/api/2.0/mlflow/experiments/search');
});
