// Tracking server benchmarks (issue: the tracking server). Prints figures and ratios measured in
// this run; nothing is asserted. The server is `model-factory serve` (dist/cli.js, built by
// `npm run build`) in its own process; the clients run in another. Run: npm run bench:tracking
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { RunStore } from '../src/core/store/store';
import { startServe } from '../test/helpers/serveProcess';

const run = promisify(execFile);
const TOKEN = 'bench-token';
const BATCHES = 300;
const client = path.join(__dirname, 'tracking-client.ts');

async function storeRate(): Promise<number> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-'));
  const store = await RunStore.open(dir, { idleMs: 0 });
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const started = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: 'loss',
      value: Math.sin(i),
      timestamp: 1,
      step: b * 1000 + i,
    }));
    store.logBatch(runId, { metrics });
  }
  const rate = (BATCHES * 1000) / ((performance.now() - started) / 1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function clientRun(args: string[]) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', client, ...args], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout);
}

async function createRun(url: string): Promise<string> {
  const response = await fetch(`${url}/api/2.0/mlflow/runs/create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: '{"experiment_id": "0"}',
  });
  return (await response.json()).run.info.run_id;
}

/** Peak resident memory of a process so far, from Linux's VmHWM. */
function peakRss(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}

function upload(url: string, target: string, bytes: number): Promise<number> {
  const chunk = Buffer.alloc(1 << 20, 7);
  let sent = 0;
  const body = new Readable({
    read() {
      if (sent >= bytes) return void this.push(null);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/2.0/mlflow-artifacts/artifacts/${target}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Length': bytes },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

async function main() {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MiB`;
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-serve-'));
  const serve = await startServe(['--store', dir, '--token', TOKEN]);
  try {
    const direct = await storeRate();
    const runId = await createRun(serve.url);
    const http = await clientRun(['batches', serve.url, TOKEN, runId, String(BATCHES)]);
    const httpRate = http.points / (http.ms / 1000);
    console.log(
      `store logBatch in process:       ${Math.round(direct).toLocaleString('en')} points/s`,
    );
    console.log(
      `log-batch over HTTP (1,000/req): ${Math.round(httpRate).toLocaleString('en')} points/s, ratio to store ${(httpRate / direct).toFixed(2)}`,
    );

    const latency = await clientRun(['latency', serve.url, TOKEN, runId, '250', '8']);
    console.log(
      `log-metric, 8 concurrent clients: ${latency.requests} requests, p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
    );

    const before = peakRss(serve.child.pid!);
    const started = performance.now();
    const status = await upload(serve.url, `0/${runId}/artifacts/big.bin`, 1024 * 1024 * 1024);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `1 GiB artifact upload: status ${status}, ${seconds.toFixed(1)} s, server peak RSS ${mib(before)} before, ${mib(peakRss(serve.child.pid!))} after`,
    );
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
