import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MlflowError } from '../../../src/core/store/errors';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { importMlflow, type ImportProgress } from '../../../src/core/tracking/import';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { RUNS } from '../../fixtures/import/mlrunsFixture';
import { copyFixture, files, snapshot } from './helpers';
import { buildMlflowDb } from './sqliteFixture';

async function setUp() {
  const temp = tempDir();
  const target = await openTempStore();
  return {
    ...target,
    temp: temp.dir,
    async dispose() {
      await target.dispose();
      temp.remove();
    },
  };
}

/** Expects an MlflowError with the given code whose message matches. */
function mlflowError(code: string, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof MlflowError, `expected an MlflowError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

const INVALID = 'INVALID_PARAMETER_VALUE';

test('a path that does not exist is refused and changes nothing', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const before = snapshot(store);

  await assert.rejects(
    importMlflow(store, path.join(temp, 'nowhere')),
    mlflowError('RESOURCE_DOES_NOT_EXIST', /nowhere does not exist/),
  );
  assert.equal(snapshot(store), before);
});

test('a folder that is not an mlruns folder is refused, with a hint at the one inside', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  copyFixture(temp);
  fs.writeFileSync(path.join(temp, 'train.py'), 'print(1)');
  const before = snapshot(store);

  await assert.rejects(
    importMlflow(store, temp),
    mlflowError(INVALID, /is not an MLflow mlruns folder.*did you mean .*mlruns\?/),
  );
  assert.equal(snapshot(store), before);
});

test("an experiment's folder named instead of the mlruns folder is refused with a hint", async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const source = copyFixture(temp);

  await assert.rejects(
    importMlflow(store, path.join(source, '1')),
    mlflowError(INVALID, /not an MLflow mlruns folder.*folder of one experiment or run/),
  );
  assert.throws(() => store.getRun(RUNS.running), /not found/);
});

test('a file that is not SQLite is refused', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const file = path.join(temp, 'runs.csv');
  fs.writeFileSync(file, 'run,loss\n1,0.5\n');

  await assert.rejects(
    importMlflow(store, file),
    mlflowError(INVALID, /is not an SQLite database/),
  );
});

test('a corrupt mlflow.db is refused with a clear message and changes nothing', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const file = await buildMlflowDb(path.join(temp, 'mlflow.db'), 'current', {
    localArtifacts: temp,
  });
  const bytes = fs.readFileSync(file);
  bytes.fill(0x5a, 100);
  fs.writeFileSync(file, bytes);
  const before = snapshot(store);

  await assert.rejects(
    importMlflow(store, file),
    mlflowError(INVALID, /could not be read as an MLflow database/),
  );
  assert.equal(snapshot(store), before);
});

test("an SQLite database that is not MLflow's is refused", async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE users (name TEXT)');
  const file = path.join(temp, 'app.db');
  fs.writeFileSync(file, db.export());
  db.close();

  await assert.rejects(
    importMlflow(store, file),
    mlflowError(INVALID, /app\.db is an SQLite database but not MLflow's: it has no runs table/),
  );
});

test('a malformed metric line names its file and line, and its run is not written', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const source = copyFixture(temp);
  const metricFile = path.join(source, '1', RUNS.failed, 'metrics', 'mae');
  fs.appendFileSync(metricFile, '1700001100009 oops 1\n');

  await assert.rejects(
    importMlflow(store, source),
    mlflowError(INVALID, new RegExp(`Metric 'mae' is malformed: .*${RUNS.failed}.*mae line 2`)),
  );

  // Runs before the bad one stay, whole; the bad one left no row in any table and no artifacts.
  assert.equal(store.getRun(RUNS.finished).data.params.length, 1);
  assert.equal(store.getRun(RUNS.baseline).data.metrics.length, 4);
  assert.equal(runRows(store, RUNS.failed), 0);
  assert.throws(() => store.getRun(RUNS.killed), /not found/);

  fs.writeFileSync(metricFile, '1700001100003 0.3 0\n');
  const resumed = await importMlflow(store, source);
  assert.equal(resumed.skippedRuns, 4);
  assert.equal(resumed.runs, 4);
  assert.equal(store.getRun(RUNS.failed).info.status, 'FAILED');
});

test('a broken meta.yaml is named in the error', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const source = copyFixture(temp);
  fs.writeFileSync(path.join(source, '1', RUNS.running, 'meta.yaml'), 'status: [1\n');

  await assert.rejects(
    importMlflow(store, source),
    mlflowError(INVALID, new RegExp(`${RUNS.running}.meta\\.yaml is not valid YAML`)),
  );
  assert.equal(runRows(store, RUNS.running), 0);
});

test('a cancelled import stops between runs and keeps whole runs only', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const source = copyFixture(temp);
  const abort = new AbortController();
  const seen: ImportProgress[] = [];
  const onProgress = (progress: ImportProgress) => {
    seen.push(progress);
    if (progress.phase === 'runs' && progress.done === 6) abort.abort();
  };

  await assert.rejects(importMlflow(store, source, { signal: abort.signal, onProgress }), {
    name: 'AbortError',
  });

  const imported = Number(store.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM runs')!.n);
  assert.equal(imported, 2);
  assert.deepEqual(files(path.join(store.artifactsDir, '1')), []);
  const summary = await importMlflow(store, source);
  assert.deepEqual([summary.runs, summary.skippedRuns], [6, 2]);
});

test('progress counts experiments, runs and models up to the total, in that order', async (t) => {
  const { store, temp, dispose } = await setUp();
  t.after(dispose);
  const seen: ImportProgress[] = [];

  await importMlflow(store, copyFixture(temp), { onProgress: (p) => seen.push(p) });

  assert.equal(seen.at(-1)?.done, 4 + 8 + 1);
  assert.ok(seen.every((p) => p.total === 13));
  assert.deepEqual([...new Set(seen.map((p) => p.phase))], ['experiments', 'runs', 'models']);
  assert.ok(seen.every((p, i) => i === 0 || p.done >= seen[i - 1].done));
});

function runRows(store: Awaited<ReturnType<typeof setUp>>['store'], runId: string): number {
  const tables = ['runs', 'tags', 'params', 'metrics', 'latest_metrics'];
  const inputs = store.db.get<{ n: number }>(
    'SELECT COUNT(*) AS n FROM inputs WHERE destination_id = ?',
    [runId],
  )!.n;
  return tables.reduce(
    (sum, table) =>
      sum +
      Number(
        store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE run_uuid = ?`, [
          runId,
        ])!.n,
      ),
    Number(inputs),
  );
}
