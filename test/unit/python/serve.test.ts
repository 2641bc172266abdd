import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { tempDir } from '../../helpers/tempStore';

/**
 * The bundled Python module against the real tracking server: `model-factory serve` on a temp
 * store, test/fixtures/python/log_run.py logging through model_factory, and the results read
 * back through MLflow's REST API.
 */
const root = path.join(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const script = path.join(root, 'test/fixtures/python/log_run.py');
const token = 'e2e-token';
const POINTS = 10_000;

type Server = { process: ChildProcess; url: string; port: number };

/** Starts `serve` and resolves once it has printed its URL. */
function startServer(store: string, port = 0): Promise<Server> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--store', store, '--port', String(port), '--token', token],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (!match) return;
      child.stdout!.off('data', onData);
      resolve({ process: child, url: match[0], port: Number(match[1]) });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) early:\n${output}`)));
  });
}

async function stopServer(server: Server) {
  const exited = once(server.process, 'exit');
  server.process.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, 'serve should exit cleanly on SIGTERM');
}

/** Runs log_run.py; `onEvent` sees each JSON line it prints and may answer on its stdin. */
function runScript(
  server: Server,
  work: string,
  args: string[],
  onEvent: (event: Record<string, unknown>, stdin: NodeJS.WritableStream) => void = () => {},
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONPATH: path.join(root, 'media/python'),
    MLFLOW_TRACKING_URI: server.url,
    MLFLOW_TRACKING_TOKEN: token,
    MODEL_FACTORY_RETRY_SECONDS: '30',
  };
  for (const key of ['MLFLOW_RUN_ID', 'MLFLOW_EXPERIMENT_NAME', 'MLFLOW_EXPERIMENT_ID']) {
    delete env[key];
  }
  const child = spawn('python3', [script, work, ...args], { env });
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const event = JSON.parse(line) as Record<string, unknown>;
    events.push(event);
    onEvent(event, child.stdin);
  });
  return new Promise<{ code: number | null; events: typeof events; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, events, stderr })),
  );
}

async function api<T = Record<string, any>>(server: Server, pathAndQuery: string, body?: object) {
  const response = await fetch(`${server.url}/api/2.0/${pathAndQuery}`, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(response.status, 200, `${pathAndQuery}: ${await response.clone().text()}`);
  return pathAndQuery.startsWith('mlflow-artifacts/')
    ? (Buffer.from(await response.arrayBuffer()) as T)
    : ((await response.json()) as T);
}

/** Reads the whole history of a metric, page by page. */
async function history(server: Server, runId: string, key: string) {
  const points: { step: number; value: number }[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const query = new URLSearchParams({ run_id: runId, metric_key: key, max_results: '3000' });
    if (token) query.set('page_token', token);
    const page = await api(server, `mlflow/metrics/get-history?${query}`);
    points.push(...page.metrics);
    token = page.next_page_token;
    pages += 1;
  } while (token);
  return { points, pages };
}

/** Checks through the REST API that everything log_run.py logged has landed, once. */
async function assertRunLanded(server: Server, work: string, runId: string) {
  const byName = 'mlflow/experiments/get-by-name?experiment_name=python-e2e';
  const { experiment } = await api(server, byName);
  const { runs } = await api(server, 'mlflow/runs/search', {
    experiment_ids: [experiment.experiment_id],
  });
  assert.deepEqual(
    runs.map((r: { info: { run_id: string } }) => r.info.run_id),
    [runId],
  );

  const { run } = await api(server, `mlflow/runs/get?run_id=${runId}`);
  assertRunData(run);
  await assertHistory(server, runId);
  await assertArtifacts(server, work, run.info.artifact_uri);
}

function assertRunData(run: Record<string, any>) {
  assert.equal(run.info.status, 'FINISHED');
  assert.equal(run.info.run_name, 'e2e');
  const params = Object.fromEntries(run.data.params.map((p: any) => [p.key, p.value]));
  assert.deepEqual(params, { ridge: '0.1', epochs: String(POINTS) });
  const tags = Object.fromEntries(run.data.tags.map((t: any) => [t.key, t.value]));
  assert.equal(tags['mlflow.source.name'], script);
  assert.equal(tags['mlflow.source.type'], 'LOCAL');
  const [latest] = run.data.metrics;
  assert.deepEqual(latest, { ...latest, key: 'loss', value: 1 / POINTS, step: POINTS - 1 });

  const [input] = run.inputs.dataset_inputs;
  assert.deepEqual(input.tags, [{ key: 'mlflow.data.context', value: 'training' }]);
  assert.equal(input.dataset.name, 'train.csv');
  assert.deepEqual(JSON.parse(input.dataset.profile), {
    num_rows: 100,
    num_elements: 300,
    targets: 'price',
  });
}

async function assertHistory(server: Server, runId: string) {
  const { points, pages } = await history(server, runId, 'loss');

  assert.equal(points.length, POINTS);
  assert.deepEqual(
    points.map((p) => p.step).sort((a, b) => a - b),
    Array.from({ length: POINTS }, (_, i) => i),
  );
  assert.ok(pages >= 4, `expected the history in pages of 3000, got ${pages} page(s)`);
}

async function assertArtifacts(server: Server, work: string, artifactUri: string) {
  const root = `mlflow-artifacts/artifacts/${artifactUri.replace('mlflow-artifacts:/', '')}`;
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  const weights = await api<Buffer>(server, `${root}/model/weights.bin`);
  const notes = await api<Buffer>(server, `${root}/notes.txt`);

  assert.equal(sha256(weights), sha256(readFileSync(path.join(work, 'weights.bin'))));
  assert.equal(notes.toString(), 'trained on train.csv\n');
}

test('a script logs params, 10,000 points, artifacts and a dataset through serve', async (t) => {
  const store = tempDir();
  const work = tempDir();
  t.after(() => (store.remove(), work.remove()));
  const server = await startServer(store.dir);

  const result = await runScript(server, work.dir, []);

  try {
    assert.equal(result.code, 0, result.stderr);
    const done = result.events.at(-1)!;
    assert.equal(done.event, 'done');
    await assertRunLanded(server, work.dir, String(done.run_id));
  } finally {
    await stopServer(server);
  }
});

test('a script keeps logging across a restart of the server, losing no point', async (t) => {
  const store = tempDir();
  const work = tempDir();
  t.after(() => (store.remove(), work.remove()));
  const first = await startServer(store.dir);
  let second: Promise<Server> | undefined;

  const result = await runScript(first, work.dir, ['--pause'], (event, stdin) => {
    if (event.event !== 'paused') return;
    // Stop the server, let the script go on while it is down, then start it on the same port.
    second = stopServer(first).then(() => {
      stdin.write('go\n');
      return startServer(store.dir, first.port);
    });
  });

  assert.ok(second, 'the script never paused');
  const server = await second;
  try {
    assert.equal(result.code, 0, result.stderr);
    const done = result.events.at(-1)!;
    await assertRunLanded(server, work.dir, String(done.run_id));
  } finally {
    await stopServer(server);
  }
});
