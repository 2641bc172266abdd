// The client side of bench/tracking.ts, in its own process: `batches URL TOKEN RUN N` sends N
// log-batch requests of 1,000 points one after another; `latency URL TOKEN RUN N C` sends N
// log-metric requests from each of C concurrent clients. Prints one JSON line of results.
import { Agent, request } from 'node:http';

const [mode, url, token, runId, countText, clientsText] = process.argv.slice(2);
const count = Number(countText);
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(`/api/2.0/mlflow/${path}`, url);
    const req = request(target, {
      method: 'POST',
      agent,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(res.statusCode)
          : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function batches() {
  const started = performance.now();
  for (let b = 0; b < count; b++) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: 'loss',
      value: Math.sin(i),
      timestamp: 1,
      step: b * 1000 + i,
    }));
    await post('runs/log-batch', JSON.stringify({ run_id: runId, metrics }));
  }
  return { ms: performance.now() - started, points: count * 1000 };
}

async function latency() {
  const clients = Number(clientsText);
  const timings: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < count; i++) {
        const body = JSON.stringify({
          run_id: runId,
          key: `client_${client}`,
          value: i,
          timestamp: 1,
          step: i,
        });
        const t0 = performance.now();
        await post('runs/log-metric', body);
        timings.push(performance.now() - t0);
      }
    }),
  );
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))];
  return { requests: timings.length, ms: performance.now() - started, p50: at(0.5), p99: at(0.99) };
}

(mode === 'batches' ? batches() : latency())
  .then((result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    agent.destroy();
  })
  .catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
