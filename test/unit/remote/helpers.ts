import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts';
import { MlflowClient, type MlflowClientOptions } from '../../../src/core/tracking/remote';
import { startServer, TOKEN } from '../../helpers/server';
import { openTempStore } from '../../helpers/tempStore';

/** A local store, a real server over a store of its own, and a client for it, all closed after. */
export async function localAndRemote(t: { after(fn: () => unknown): void }) {
  const local = await openTempStore();
  const remote = await startServer();
  const client = clientFor(remote.base);
  t.after(async () => {
    client.close();
    await remote.stop();
    await local.dispose();
  });
  return { local: local.store, remote, client };
}

/** A client for a test server: quick retries, so tests of failures take milliseconds. */
export function clientFor(url: string, options: Partial<MlflowClientOptions> = {}) {
  return new MlflowClient({ url, token: TOKEN, retryDelayMs: 5, timeoutMs: 5000, ...options });
}

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP server on 127.0.0.1 that records requests and answers with `handler`. */
export async function startFakeServer(
  handler: (request: Recorded, res: http.ServerResponse) => void,
) {
  const requests: Recorded[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    handler(request, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => closeServer(server) };
}

async function closeServer(server: http.Server) {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
}

export function send(res: http.ServerResponse, status: number, body: string, type = 'text/html') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** A port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

/** What the proxy does with one request. */
export type Fault = 'pass' | '503' | 'reject' | 'drop-before' | 'drop-after' | 'hang';

/**
 * A proxy in front of a real server that fails the requests `decide` picks: a 503 (with
 * Retry-After: 0), a refusal (400, as a quota would), a connection dropped before the request
 * is forwarded, one dropped after the
 * server has acted on it (its answer never arrives), or no answer at all. Records every request,
 * with what was done to it.
 */
export async function startProxy(
  target: string,
  decide: (request: Recorded, index: number) => Fault,
) {
  const seen: Array<Recorded & { fault: Fault }> = [];
  const targetUrl = new URL(target);
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const request = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: body.toString('utf8'),
    };
    const fault = decide(request, seen.length);
    seen.push({ ...request, fault });
    if (fault === 'hang') return;
    if (fault === 'drop-before') return void req.socket.destroy();
    if (fault === 'reject') {
      const refusal = '{"error_code": "RESOURCE_EXHAUSTED", "message": "quota exceeded"}';
      res.writeHead(400, { 'Content-Type': 'application/json' });
      return void res.end(refusal);
    }
    if (fault === '503') {
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Retry-After': '0' });
      return void res.end('busy');
    }
    const answer = await forward(targetUrl, req, body);
    if (fault === 'drop-after') return void req.socket.destroy();
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => closeServer(server) };
}

function forward(target: URL, req: http.IncomingMessage, body: Buffer) {
  return new Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      const headers = { ...req.headers, host: target.host };
      const out = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        async (res) => {
          const chunks: Buffer[] = [];
          for await (const chunk of res) chunks.push(chunk as Buffer);
          const { connection: _connection, 'keep-alive': _keepAlive, ...rest } = res.headers;
          resolve({ status: res.statusCode ?? 502, headers: rest, body: Buffer.concat(chunks) });
        },
      );
      out.on('error', reject);
      out.end(body);
    },
  );
}

/** `model-factory serve` from source, as a real child process; resolves with its URL. */
export async function startServeProcess(storeDir: string, token: string) {
  const main = path.join(__dirname, '../../../src/cli/main.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'serve', '--store', storeDir, '--token', token],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.join(__dirname, '../../..') },
  );
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (match) resolve(match[0]);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A writable that keeps what is written, for a command's stdout and stderr. */
export function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

/** A run's content in comparable form: what a copy must carry, field by field. */
export function runContent(store: RunStore, runId: string) {
  const run = store.getRun(runId);
  const metrics: Record<string, Array<[number, number, number]>> = {};
  for (const { key } of run.data.metrics) {
    const page = store.getMetricHistory({ runId, metricKey: key, maxResults: 1_000_000 });
    metrics[key] = page.items.map((m) => [m.step, m.timestamp, m.value]);
  }
  return {
    name: run.info.runName,
    status: run.info.status,
    startTime: run.info.startTime,
    endTime: run.info.endTime,
    params: run.data.params,
    tags: run.data.tags.filter((t) => !t.key.startsWith('modelfactory.')),
    metrics,
    inputs: run.inputs.datasetInputs,
    artifacts: artifactDigests(store, run.info.artifactUri),
  };
}

/** Every artifact file of a run, by path, as the sha256 of its bytes. */
export function artifactDigests(store: RunStore, artifactUri: string): Record<string, string> {
  const { root, segments } = runArtifactLocation(store.artifactsDir, artifactUri);
  const dir = path.join(root, ...segments);
  const digests: Record<string, string> = {};
  if (!fs.existsSync(dir)) return digests;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file).split(path.sep).join('/');
    digests[relative] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return digests;
}
