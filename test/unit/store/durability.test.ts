import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listSegments } from '../../../src/core/store/journal';
import { StoreBusyError } from '../../../src/core/store/errors';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { RunStore } from '../../../src/core/store/store';
import { recordingLogger, tempDir } from '../../helpers/tempStore';

const writer = path.join(__dirname, '../../fixtures/store/writer.ts');

/** Simulates a crash in this process: the store is abandoned unclosed and its lock removed. */
function abandon(dir: string) {
  rmSync(path.join(dir, 'store.lock'));
}

test('writes that never reached a snapshot are replayed from the journal', async (t) => {
  const temp = tempDir();
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  const { runId } = first.createRun({ experimentId: '0' }).info;
  first.logBatch(runId, {
    metrics: [{ key: 'm', value: 1, step: 0 }],
    params: [{ key: 'p', value: 'v' }],
  });
  abandon(temp.dir);

  const second = await RunStore.open(temp.dir, { idleMs: 0 });
  t.after(() => second.close().finally(temp.remove));

  const run = second.getRun(runId);
  assert.deepEqual(run.data.params, [{ key: 'p', value: 'v' }]);
  assert.equal(run.data.metrics[0].value, 1);
});

test('a torn last journal line is dropped and logged, and every whole entry is kept', async (t) => {
  const temp = tempDir();
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  const { runId } = first.createRun({ experimentId: '0' }).info;
  first.logMetric(runId, { key: 'm', value: 1 });
  abandon(temp.dir);
  const [segment] = listSegments(path.join(temp.dir, 'journal'));
  appendFileSync(segment, '[99,[["INSERT INTO params (key, val');
  const logger = recordingLogger();

  const second = await RunStore.open(temp.dir, { idleMs: 0, logger });
  t.after(() => second.close().finally(temp.remove));

  assert.equal(second.getRun(runId).data.metrics.length, 1);
  assert.ok(
    logger.lines.some((line) => /warn: dropped a torn/.test(line)),
    logger.lines.join('\n'),
  );
  assert.ok(readFileSync(segment, 'utf8').endsWith('\n'));
});

test('a damaged line inside the journal stops opening with an error that says what to do', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  first.createRun({ experimentId: '0' });
  first.createRun({ experimentId: '0' });
  abandon(temp.dir);
  const [segment] = listSegments(path.join(temp.dir, 'journal'));
  const lines = readFileSync(segment, 'utf8').split('\n');
  writeFileSync(segment, ['{broken', ...lines.slice(1)].join('\n'));

  await assert.rejects(RunStore.open(temp.dir), /damaged at line 1; move the journal files aside/);
});

test('closing writes a snapshot that plain SQLite reads, and removes the journal', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const store = await RunStore.open(temp.dir, { idleMs: 0 });
  const { runId } = store.createRun({ experimentId: '0' }).info;
  store.logMetric(runId, { key: 'rmse', value: 0.5 });

  await store.close();

  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path.join(temp.dir, 'mlflow.db')));
  const rows = db.exec('SELECT key, value FROM latest_metrics')[0].values;
  const revision = db.exec('SELECT version_num FROM alembic_version')[0].values[0][0];
  db.close();
  assert.deepEqual(rows, [['rmse', 0.5]]);
  assert.equal(revision, 'acf3f17fdcc7');
  assert.deepEqual(listSegments(path.join(temp.dir, 'journal')), []);
});

test('a file that is not SQLite is refused, and left as it was', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  writeFileSync(path.join(temp.dir, 'mlflow.db'), 'hello, not a database');

  await assert.rejects(RunStore.open(temp.dir), /is not an SQLite database/);
  assert.equal(readFileSync(path.join(temp.dir, 'mlflow.db'), 'utf8'), 'hello, not a database');
});

/** Starts the writer child; resolves once its first `marker` line arrives. */
function startChild(args: string[], marker: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += chunk));
  const seen = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(marker)) resolve();
    });
    child.on('exit', (code) =>
      reject(new Error(`writer exited with ${code} before '${marker}': ${err}`)),
    );
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, seen, exited, output: () => out };
}

function lastAck(output: string): number {
  const acks = [...output.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
  return acks.length === 0 ? -1 : Math.max(...acks);
}

test('a writer killed with SIGKILL at random moments never loses an acknowledged write', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const setup = await RunStore.open(temp.dir);
  const { runId } = setup.createRun({ experimentId: '0' }).info;
  await setup.close();
  const SQL = await loadSqlJs();
  let next = 0;

  for (let round = 0; round < 12; round++) {
    const writerProcess = startChild([temp.dir, 'write', runId, String(next)], 'ack');
    await writerProcess.seen;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 300));
    writerProcess.child.kill('SIGKILL');
    await writerProcess.exited;
    const acknowledged = lastAck(writerProcess.output());

    // The file on disk is always a whole database, whatever moment the kill hit.
    new SQL.Database(readFileSync(path.join(temp.dir, 'mlflow.db'))).close();
    const store = await RunStore.open(temp.dir, { idleMs: 0 });
    const params = new Set(store.getRun(runId).data.params.map((p) => p.key));
    const points = store.getMetricHistory({
      runId,
      metricKey: 'loss',
      maxResults: 1_000_000,
    }).items;
    await store.close();

    for (let batch = 0; batch <= acknowledged; batch++) {
      assert.ok(
        params.has(`p${batch}`),
        `round ${round}: batch ${batch} was acknowledged but lost`,
      );
    }
    assert.ok(points.length >= (acknowledged + 1) * 100, `round ${round}: metric points lost`);
    next = Math.max(acknowledged + 1, params.size);
  }
  assert.ok(next > 12, 'the writer acknowledged too few batches to test anything');
});

test('a live owner makes a second opener fail with its address; a dead owner is taken over', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const holder = startChild([temp.dir, 'hold'], 'ready');
  await holder.seen;

  await assert.rejects(RunStore.open(temp.dir), (error: unknown) => {
    assert.ok(error instanceof StoreBusyError);
    assert.equal(error.pid, holder.child.pid);
    assert.equal(error.address, 'http://127.0.0.1:5999');
    return true;
  });

  holder.child.kill('SIGKILL');
  await holder.exited;
  const logger = recordingLogger();
  const store = await RunStore.open(temp.dir, { logger });
  await store.close();
  assert.ok(logger.lines.some((line) => /taking over the store lock/.test(line)));
});
