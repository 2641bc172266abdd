import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { MlflowClient, RemoteError } from '../../../src/core/tracking/remote';
import { send, startFakeServer } from './helpers';

const tls = (name: string) => path.join(__dirname, 'tls', name);

/** An https server with a certificate from a private authority (see tls/make-certs.sh). */
async function startHttpsServer(t: { after(fn: () => unknown): void }) {
  const server = https.createServer(
    { key: fs.readFileSync(tls('server.key')), cert: fs.readFileSync(tls('server.pem')) },
    (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"experiments": [{"experiment_id": "0", "name": "Default"}]}');
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('a server signed by a private authority is refused with advice to pass --ca-file', async (t) => {
  const url = await startHttpsServer(t);
  const client = new MlflowClient({ url, retryDelayMs: 1 });
  t.after(() => client.close());

  const error = await client.experiments.search().catch((e: unknown) => e);

  assert.ok(error instanceof RemoteError);
  assert.equal(error.kind, 'tls');
  assert.match(error.message, new RegExp(`cannot verify the certificate of ${url}`));
  assert.match(error.message, /pass its certificate with --ca-file/);
});

test('with the authority in a CA file, the same server is trusted', async (t) => {
  const url = await startHttpsServer(t);
  const client = new MlflowClient({ url, caFile: tls('ca.pem') });
  t.after(() => client.close());

  const page = await client.experiments.search();

  assert.equal(page.items[0].name, 'Default');
});

test('plain http to an https port is told to try https', async (t) => {
  const url = await startHttpsServer(t);
  const client = new MlflowClient({ url: url.replace('https:', 'http:'), retryDelayMs: 1 });
  t.after(() => client.close());

  const error = await client.experiments.search().catch((e: unknown) => e);

  assert.ok(error instanceof RemoteError);
  assert.match(
    error.message,
    /closed the connection before answering \(ECONNRESET\); if the server speaks https, use an https:\/\/ URL/,
  );
});

test('https to a plain http port is told to try http', async (t) => {
  const plain = await startFakeServer((_request, res) => send(res, 200, '{}', 'application/json'));
  t.after(plain.close);
  const client = new MlflowClient({ url: plain.url.replace('http:', 'https:'), retryDelayMs: 1 });
  t.after(() => client.close());

  const error = await client.experiments.search().catch((e: unknown) => e);

  assert.ok(error instanceof RemoteError);
  assert.equal(error.kind, 'tls');
  assert.match(error.message, /does not speak https on this port: try the URL with http:\/\//);
});
