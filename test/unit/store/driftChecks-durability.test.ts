import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listSegments } from '../../../src/core/store/journal';
import { migrations, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { RunStore } from '../../../src/core/store/store';
import { SeriesSource } from '../../../src/vscode/panels/seriesSource';
import { rejectsWith } from '../../helpers/assertions';
import { recordingLogger, tempDir } from '../../helpers/tempStore';
import { againstVersion, checkInput, columnRows } from './driftCheckInputs';

/** Simulates a crash: the store is left unclosed, and its lock removed. */
function abandon(dir: string) {
  rmSync(path.join(dir, 'store.lock'));
}

async function snapshotHolds(dir: string, checkId: string): Promise<boolean> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path.join(dir, 'mlflow.db')));
  try {
    return db.exec('SELECT 1 FROM mf_drift_checks WHERE check_id = ?', [checkId]).length > 0;
  } finally {
    db.close();
  }
}

test('an acknowledged check survives a crash: reopening replays it from the journal', async (t) => {
  const temp = tempDir();
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  const input = checkInput();
  // A report of a few hundred kilobytes, as wide files with histograms make.
  (input.report as Record<string, unknown>).histograms = Array.from(
    { length: 20_000 },
    (_, i) => i / 7,
  );
  const saved = first.saveDriftCheck(input);
  const gone = first.saveDriftCheck(checkInput()).checkId;
  first.deleteDriftCheck(gone);
  abandon(temp.dir);
  assert.equal(await snapshotHolds(temp.dir, saved.checkId), false, 'the check reached a snapshot');
  assert.ok(listSegments(path.join(temp.dir, 'journal')).length > 0);

  const second = await RunStore.open(temp.dir, { idleMs: 0 });
  t.after(() => second.close().finally(temp.remove));

  assert.ok(JSON.stringify(saved.report).length > 200_000);
  assert.deepEqual(second.getDriftCheck(saved.checkId), saved);
  rejectsWith(() => second.getDriftCheck(gone), 'RESOURCE_DOES_NOT_EXIST');
  assert.deepEqual(columnRows(second, gone), []);
});

test('a check written to the snapshot on close reads back after reopening', async (t) => {
  const temp = tempDir();
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  const saved = first.saveDriftCheck(checkInput());
  await first.close();
  assert.equal(await snapshotHolds(temp.dir, saved.checkId), true);

  const second = await RunStore.open(temp.dir, { idleMs: 0 });
  t.after(() => second.close().finally(temp.remove));

  assert.deepEqual(second.getDriftCheck(saved.checkId), saved);
});

/** A store file as schema version 4 left it: MLflow's tables with a run and a model version. */
async function writeVersion4Store(dir: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  for (const migration of migrations.filter((m) => m.version <= 4)) db.exec(migration.sql);
  db.exec(`
    INSERT INTO mf_meta (key, value) VALUES ('schema_version', '4'), ('journal_seq', '0');
    INSERT INTO alembic_version (version_num) VALUES ('acf3f17fdcc7');
    INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
      creation_time, last_update_time) VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 1, 1);
    INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status,
      start_time, end_time, deleted_time, source_version, lifecycle_stage, artifact_uri, experiment_id)
    VALUES ('${'1'.repeat(32)}', 'old-run', 'UNKNOWN', '', '', 'me', 'FINISHED', 10, 20, NULL, '',
      'active', 'mlflow-artifacts:/0/x/artifacts', 0);
    INSERT INTO params (key, value, run_uuid) VALUES ('alpha', '0.5', '${'1'.repeat(32)}');
    INSERT INTO registered_models (name, creation_time, last_updated_time, description)
      VALUES ('houses', 1, 1, '');
    INSERT INTO model_versions (name, version, creation_time, last_updated_time, description,
      current_stage, source, run_id, status) VALUES ('houses', 1, 1, 1, '', 'None', 's', NULL, 'READY');
  `);
  writeFileSync(path.join(dir, 'mlflow.db'), db.export());
  db.close();
}

/** MLflow's own tables and indexes: not ours (mf_), even when ours index MLflow's tables. */
const MLFLOW_OWN = "tbl_name NOT LIKE 'mf_%' AND name NOT LIKE 'mf_%'";

function tableSql(store: RunStore, names: string[]) {
  const marks = names.map(() => '?').join(', ');
  return store.db.all(
    `SELECT name, sql FROM sqlite_master WHERE name IN (${marks}) ORDER BY name`,
    names,
  );
}

test('a version 4 store migrates to the current schema, keeps its data and leaves MLflow tables unchanged', async (t) => {
  const temp = tempDir();
  await writeVersion4Store(temp.dir);
  const SQL = await loadSqlJs();
  const before = new SQL.Database(readFileSync(path.join(temp.dir, 'mlflow.db')));
  const mlflowSchema = before.exec(
    `SELECT name, sql FROM sqlite_master WHERE ${MLFLOW_OWN} ORDER BY name`,
  )[0].values;
  before.close();
  const logger = recordingLogger();

  const store = await RunStore.open(temp.dir, { idleMs: 0, logger });
  t.after(() => store.close().finally(temp.remove));

  assert.ok(
    logger.lines.includes(
      'info: store schema migrated to 5: drift checks and their per-column results',
    ),
  );
  assert.equal(
    store.db.get<{ value: string }>("SELECT value FROM mf_meta WHERE key = 'schema_version'")
      ?.value,
    String(SCHEMA_VERSION),
  );
  assert.deepEqual(
    store.db
      .all(`SELECT name, sql FROM sqlite_master WHERE ${MLFLOW_OWN} ORDER BY name`)
      .map((row) => [row.name, row.sql]),
    mlflowSchema,
  );
  assert.match(
    String(tableSql(store, ['mf_index_metrics_history'])[0].sql),
    /ON metrics \(run_uuid, key, step, timestamp, value, is_nan\)/,
  );
  assert.deepEqual(
    tableSql(store, ['mf_drift_checks', 'mf_drift_columns']).map((row) => row.name),
    ['mf_drift_checks', 'mf_drift_columns'],
  );
  const run = store.getRun('1'.repeat(32));
  assert.equal(run.info.runName, 'old-run');
  assert.deepEqual(run.data.params, [{ key: 'alpha', value: '0.5' }]);
  const check = store.saveDriftCheck(againstVersion('1'));
  assert.equal(store.latestDriftCheckForVersion('houses', '1')?.checkId, check.checkId);
  // A run from before the tiles (schema 7) has none to stand for its history; a new run has.
  const newRun = store.createRun({ experimentId: '0' }).info.runId;
  for (const runId of ['1'.repeat(32), newRun]) {
    store.logMetric(runId, { key: 'loss', value: 1, timestamp: 1, step: 0 });
  }
  assert.equal(store.readTiledHistory('1'.repeat(32), 'loss'), undefined);
  assert.equal(store.readTiledHistory(newRun, 'loss')?.total, 1);
});

test('a long history of a run from before the tiles gets them on its first whole read', async (t) => {
  const temp = tempDir();
  await writeVersion4Store(temp.dir);
  const store = await RunStore.open(temp.dir, { idleMs: 0 });
  t.after(() => store.close().finally(temp.remove));
  const oldRun = '1'.repeat(32);
  for (let from = 0; from < 100_000; from += 1000) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: 'loss',
      value: Math.cos((from + i) / 300),
      timestamp: from + i,
      step: from + i,
    }));
    store.logBatch(oldRun, { metrics });
  }
  const request = { requestId: 1, runIds: [oldRun], key: 'loss', width: 100, x: 'step' as const };
  const wholeReads = { count: 0 };
  const counting = Object.create(store) as RunStore;
  counting.readMetricSeries = (runId, key) => {
    wholeReads.count++;
    return store.readMetricSeries(runId, key);
  };

  const before = store.readTiledHistory(oldRun, 'loss');
  const [first] = new SeriesSource(() => counting).points({ type: 'series', ...request });
  const [second] = new SeriesSource(() => counting).points({ type: 'series', ...request });

  assert.equal(before, undefined, 'partial tiles (only what was logged since the upgrade)');
  assert.equal(wholeReads.count, 1, 'the second panel drew from the rebuilt tiles');
  assert.equal(store.readTiledHistory(oldRun, 'loss')?.total, 100_000);
  assert.deepEqual(second.extent, first.extent);
  assert.equal(second.total, 100_000);
});
