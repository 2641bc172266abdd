import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteError } from '../../../src/core/tracking/remote';
import { startServer, TOKEN } from '../../helpers/server';
import { clientFor, send, startFakeServer, startProxy, type Fault } from './helpers';

/** The real server behind a proxy that applies `faults` to the requests in turn. */
async function serverBehindProxy(t: { after(fn: () => unknown): void }, faults: Fault[]) {
  const remote = await startServer();
  const proxy = await startProxy(remote.base, (_request, index) => faults[index] ?? 'pass');
  t.after(async () => {
    await proxy.close();
    await remote.stop();
  });
  return { remote, proxy };
}

async function failure(work: Promise<unknown>): Promise<RemoteError> {
  try {
    await work;
  } catch (error) {
    assert.ok(error instanceof RemoteError, `expected a RemoteError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

test('503s are retried until the server answers', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['503', '503']);
  const client = clientFor(proxy.url);
  t.after(() => client.close());

  const page = await client.experiments.search();

  assert.equal(page.items[0].name, 'Default');
  assert.deepEqual(
    proxy.seen.map((r) => r.fault),
    ['503', '503', 'pass'],
  );
});

test('a dropped connection is retried for a call that is safe to repeat', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['drop-before', 'drop-after']);
  const client = clientFor(proxy.url);
  t.after(() => client.close());

  const experiment = await client.experiments.get('0');

  assert.equal(experiment.name, 'Default');
  assert.equal(proxy.seen.length, 3);
});

test('runs/create is not sent again when the connection drops after the server acted', async (t) => {
  const { remote, proxy } = await serverBehindProxy(t, ['drop-after']);
  const client = clientFor(proxy.url);
  t.after(() => client.close());

  const error = await failure(client.runs.create({ experimentId: '0', runName: 'once' }));

  assert.equal(error.ambiguous, true);
  assert.equal(proxy.seen.length, 1);
  assert.equal(remote.store.searchRuns({ experimentIds: ['0'] }).items.length, 1);
});

test('runs/create is retried after a 503, which says the server did not act', async (t) => {
  const { remote, proxy } = await serverBehindProxy(t, ['503']);
  const client = clientFor(proxy.url);
  t.after(() => client.close());

  await client.runs.create({ experimentId: '0', runName: 'once' });

  assert.equal(proxy.seen.length, 2);
  assert.equal(remote.store.searchRuns({ experimentIds: ['0'] }).items.length, 1);
});

test('a request that gets no answer times out and is tried again', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['hang']);
  const client = clientFor(proxy.url, { timeoutMs: 150 });
  t.after(() => client.close());

  const experiment = await client.experiments.get('0');

  assert.equal(experiment.experimentId, '0');
  assert.equal(proxy.seen.length, 2);
});

test('a server that never answers gives a timeout message after the last attempt', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['hang', 'hang']);
  const client = clientFor(proxy.url, { timeoutMs: 100, retries: 1 });
  t.after(() => client.close());

  const error = await failure(client.experiments.get('0'));

  assert.equal(error.kind, 'timeout');
  assert.match(error.message, /did not answer experiments\/get in time/);
  assert.match(error.message, /gave up after 2 attempts/);
});

test('a server that stays unavailable fails with its status after the retries', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['503', '503', '503', '503']);
  const client = clientFor(proxy.url, { retries: 3 });
  t.after(() => client.close());

  const error = await failure(client.experiments.get('0'));

  assert.equal(error.status, 503);
  assert.match(error.message, /answered experiments\/get with 503 Service Unavailable/);
  assert.match(error.message, /gave up after 4 attempts/);
  assert.equal(proxy.seen.length, 4);
});

test("an MLflow error such as a bad parameter is not retried, and carries MLflow's code", async (t) => {
  const { proxy } = await serverBehindProxy(t, []);
  const client = clientFor(proxy.url);
  t.after(() => client.close());

  const error = await failure(client.runs.get('not-a-run-id'));

  assert.equal(error.errorCode, 'INVALID_PARAMETER_VALUE');
  assert.equal(error.status, 400);
  assert.equal(proxy.seen.length, 1);
});

test('Retry-After is waited for before the next attempt', async (t) => {
  let calls = 0;
  const server = await startFakeServer((_request, res) => {
    calls += 1;
    if (calls === 1) {
      res.writeHead(429, { 'Retry-After': '0.25' });
      return void res.end();
    }
    send(res, 200, '{"experiments": []}', 'application/json');
  });
  t.after(server.close);
  const client = clientFor(server.url, { retryDelayMs: 1 });
  t.after(() => client.close());
  const started = performance.now();

  await client.experiments.search();

  assert.ok(performance.now() - started >= 240, 'retried before Retry-After');
  assert.equal(calls, 2);
});

test('aborting the signal stops a request in flight', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['hang']);
  const abort = new AbortController();
  const client = clientFor(proxy.url).withSignal(abort.signal);
  t.after(() => client.close());
  setTimeout(() => abort.abort(), 50);

  await assert.rejects(client.experiments.get('0'), { name: 'AbortError' });
});

test('what is logged about retries never holds the token or the password', async (t) => {
  const { proxy } = await serverBehindProxy(t, ['503', 'drop-before']);
  const lines: string[] = [];
  const record = (line: string | Error) => lines.push(String(line));
  const logger = { trace: record, debug: record, info: record, warn: record, error: record };
  const client = clientFor(proxy.url, { logger });
  const basic = clientFor(proxy.url.replace('http://', 'http://ann:pw-secret-9@'), { logger });
  t.after(() => client.close());
  t.after(() => basic.close());

  await client.experiments.get('0');
  await basic.experiments.get('0').catch(() => undefined);

  assert.equal(lines.length, 2);
  assert.match(lines[0], /experiments\/get: .* 503 .*; trying again in \d+ ms/);
  for (const line of lines) {
    assert.doesNotMatch(line, new RegExp(TOKEN));
    assert.doesNotMatch(line, /pw-secret-9/);
  }
});
