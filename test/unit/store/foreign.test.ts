import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { RunStore } from '../../../src/core/store/store';
import { buildMlflowDb } from '../import/sqliteFixture';
import { tempDir } from '../../helpers/tempStore';

/**
 * An mlflow.db that another MLflow revision made, or that lacks MLflow's tables, is refused on
 * open with a message that says how to bring its runs in, and the file is left as it was.
 */
async function foreignStore(t: { after(fn: () => unknown): void }, layout: 'old' | 'current') {
  const temp = tempDir();
  t.after(temp.remove);
  const file = path.join(temp.dir, 'mlflow.db');
  await buildMlflowDb(file, layout, { localArtifacts: path.join(temp.dir, 'artifacts') });
  return { dir: temp.dir, file, before: readFileSync(file) };
}

const advice = (file: string) =>
  new RegExp(
    `model-factory import ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --store DIR` +
      '.*mlflow db upgrade',
  );

test('an mlflow.db of an older MLflow revision is refused, naming it and what to do', async (t) => {
  const { dir, file, before } = await foreignStore(t, 'old');

  await assert.rejects(RunStore.open(dir, { idleMs: 0 }), (error: Error) => {
    assert.match(error.message, /was made by MLflow revision 2b4d017a5e9b/);
    assert.match(error.message, /opens only revision acf3f17fdcc7/);
    assert.match(error.message, advice(file));
    return true;
  });
  await assert.rejects(RunStore.open(dir, { readOnly: true }), /MLflow revision 2b4d017a5e9b/);

  assert.deepEqual(readFileSync(file), before);
});

test('model-factory runs on such a store exits 2 with the one-line reason, not a SQLite error', async (t) => {
  const { dir, file, before } = await foreignStore(t, 'old');
  let stderr = '';
  const context = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => ((stderr += text), true) },
    cwd: dir,
    env: {},
  };

  const code = await runCli(['runs', '--store', dir], context as never);

  assert.equal(code, 2);
  assert.equal(stderr.trim().split('\n').length, 1, stderr);
  assert.match(stderr, /MLflow revision 2b4d017a5e9b/);
  assert.doesNotMatch(stderr, /no such column/);
  assert.deepEqual(readFileSync(file), before);
});

test('an SQLite file without MLflow tables is refused, naming the missing ones', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run('CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY, name TEXT)');
  const file = path.join(temp.dir, 'mlflow.db');
  writeFileSync(file, db.export());
  db.close();
  const before = readFileSync(file);

  await assert.rejects(
    RunStore.open(temp.dir, { idleMs: 0 }),
    /has no MLflow revision and lacks MLflow's tables experiment_tags, runs, .*alembic_version/,
  );

  assert.deepEqual(readFileSync(file), before);
});

test('an mlflow.db of the revision the store writes opens as it is, with its runs', async (t) => {
  const { dir } = await foreignStore(t, 'current');

  const store = await RunStore.open(dir, { idleMs: 0 });
  t.after(() => store.close());

  assert.equal(store.getExperimentByName('sql-exp').experimentId, '3');
  assert.ok(store.searchRuns({ experimentIds: ['3'], viewType: 'ALL' }).items.length > 0);
});
