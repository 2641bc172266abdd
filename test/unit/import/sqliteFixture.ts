import * as fs from 'node:fs';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { migrations } from '../../../src/core/store/schema';

/**
 * mlflow.db files as MLflow's SQL store writes them, built with sql.js. `current` is the layout of
 * src/core/store/schema.ts (alembic acf3f17fdcc7, MLflow 2.9). `old` is an early revision: no
 * metric step or is_nan, no deleted_time, no latest_metrics, no datasets or inputs, no aliases and
 * no model version storage_location.
 */
export type Layout = 'current' | 'old';

export const SQL_RUNS = {
  local: 'aaaaaaaaaaaa4aaa8aaaaaaaaaaaaaaa',
  proxied: 'bbbbbbbbbbbb4bbb8bbbbbbbbbbbbbbb',
  remote: 'cccccccccccc4ccc8ccccccccccccccc',
} as const;

const DBL_MAX = 1.7976931348623157e308;

const oldTables = `
CREATE TABLE experiments (experiment_id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL
  UNIQUE, artifact_location VARCHAR(256), lifecycle_stage VARCHAR(32));
CREATE TABLE experiment_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000),
  experiment_id INTEGER NOT NULL, PRIMARY KEY (key, experiment_id));
CREATE TABLE runs (run_uuid VARCHAR(32) NOT NULL PRIMARY KEY, name VARCHAR(250),
  source_type VARCHAR(20), source_name VARCHAR(500), entry_point_name VARCHAR(50),
  user_id VARCHAR(256), status VARCHAR(20), start_time BIGINT, end_time BIGINT,
  source_version VARCHAR(50), lifecycle_stage VARCHAR(20), artifact_uri VARCHAR(200),
  experiment_id INTEGER);
CREATE TABLE metrics (key VARCHAR(250) NOT NULL, value FLOAT, timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, timestamp, run_uuid, value));
CREATE TABLE params (key VARCHAR(250) NOT NULL, value VARCHAR(250) NOT NULL,
  run_uuid VARCHAR(32) NOT NULL, PRIMARY KEY (key, run_uuid));
CREATE TABLE tags (key VARCHAR(250) NOT NULL, value VARCHAR(250), run_uuid VARCHAR(32) NOT NULL,
  PRIMARY KEY (key, run_uuid));
CREATE TABLE registered_models (name VARCHAR(256) NOT NULL PRIMARY KEY, creation_time BIGINT,
  last_updated_time BIGINT, description VARCHAR(5000));
CREATE TABLE registered_model_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000),
  name VARCHAR(256) NOT NULL, PRIMARY KEY (key, name));
CREATE TABLE model_versions (name VARCHAR(256) NOT NULL, version INTEGER NOT NULL,
  creation_time BIGINT, last_updated_time BIGINT, description VARCHAR(5000), user_id VARCHAR(256),
  current_stage VARCHAR(20), source VARCHAR(500), run_id VARCHAR(32), status VARCHAR(20),
  status_message VARCHAR(500), run_link VARCHAR(500), PRIMARY KEY (name, version));
CREATE TABLE model_version_tags (key VARCHAR(250) NOT NULL, value VARCHAR(5000),
  name VARCHAR(256) NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (key, name, version));
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
INSERT INTO alembic_version VALUES ('2b4d017a5e9b');
`;

export interface DbOptions {
  /** Where the `local` run's artifact_uri points (a file:// URI is made of it). */
  localArtifacts: string;
}

/** Writes the database file and returns its path. */
export async function buildMlflowDb(file: string, layout: Layout, options: DbOptions) {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec(layout === 'current' ? migrations[0].sql : oldTables);
  const run = (sql: string, params: Array<string | number | null>) => db.run(sql, params);
  const current = layout === 'current';

  writeExperiments(db, current);
  const runs: Array<[string, string, string, string]> = [
    [SQL_RUNS.local, 'local-run', 'FINISHED', `file://${options.localArtifacts}`],
    [
      SQL_RUNS.proxied,
      'proxied-run',
      'FAILED',
      `mlflow-artifacts:/3/${SQL_RUNS.proxied}/artifacts`,
    ],
    [SQL_RUNS.remote, 'remote-run', 'KILLED', `s3://bucket/3/${SQL_RUNS.remote}/artifacts`],
  ];
  runs.forEach(([runId, name, status, uri], index) => {
    run(
      `INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id,
         status, start_time, end_time, source_version, lifecycle_stage, artifact_uri,
         experiment_id) VALUES (?, ?, 'LOCAL', 'train.py', 'main', 'bo', ?, ?, ?, 'v1', ?, ?, 3)`,
      [runId, name, status, 1000 + index, 2000 + index, index === 2 ? 'deleted' : 'active', uri],
    );
    run('INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)', [
      'mlflow.runName',
      name,
      runId,
    ]);
    run('INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)', [
      'lr',
      `0.${index + 1}`,
      runId,
    ]);
  });
  writeMetrics(db, current);
  if (current) writeDatasets(db);
  writeRegistry(db, current);

  fs.writeFileSync(file, db.export());
  db.close();
  return file;
}

function writeExperiments(db: Database, current: boolean): void {
  const columns = current
    ? '(experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)'
    : '(experiment_id, name, artifact_location, lifecycle_stage)';
  const values = (id: number, name: string, stage: string) =>
    current
      ? [id, name, `./mlruns/${id}`, stage, 100 * id, 100 * id + 1]
      : [id, name, `./mlruns/${id}`, stage];
  const marks = current ? '(?, ?, ?, ?, ?, ?)' : '(?, ?, ?, ?)';
  db.run(
    `INSERT OR REPLACE INTO experiments ${columns} VALUES ${marks}`,
    values(0, 'Default', 'active'),
  );
  db.run(`INSERT INTO experiments ${columns} VALUES ${marks}`, values(3, 'sql-exp', 'active'));
  db.run(`INSERT INTO experiments ${columns} VALUES ${marks}`, values(4, 'sql-gone', 'deleted'));
  db.run('INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)', [
    'team',
    'sql',
    3,
  ]);
}

/**
 * The local run's history; the current layout keeps NaN as is_nan and infinities as ±DBL_MAX,
 * the old one had no step (all 0) and kept NaN as NULL. A stale latest_metrics row shows that the
 * import computes the latest values itself.
 */
function writeMetrics(db: Database, current: boolean): void {
  const runId = SQL_RUNS.local;
  if (current) {
    const rows: Array<[string, number, number, number, number]> = [
      ['loss', 0.5, 10, 0, 0],
      ['loss', 0.25, 20, 1, 0],
      ['loss', 0, 30, 2, 1],
      ['loss', DBL_MAX, 40, 3, 0],
      ['acc', -DBL_MAX, 10, 0, 0],
    ];
    for (const [key, value, timestamp, step, isNan] of rows) {
      db.run(
        'INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)',
        [key, value, timestamp, step, isNan, runId],
      );
    }
    db.run(
      'INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)',
      ['loss', 99, 1, 0, 0, runId],
    );
    return;
  }
  const rows: Array<[string, number | null, number]> = [
    ['loss', 0.5, 10],
    ['loss', null, 20],
    ['loss', 0.125, 30],
  ];
  for (const [key, value, timestamp] of rows) {
    db.run('INSERT INTO metrics (key, value, timestamp, run_uuid) VALUES (?, ?, ?, ?)', [
      key,
      value,
      timestamp,
      runId,
    ]);
  }
}

function writeDatasets(db: Database): void {
  db.run(
    `INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type,
       dataset_source, dataset_schema, dataset_profile) VALUES (?, 3, 'iris', 'abc', 'local', ?, NULL, ?)`,
    ['d5e7c0de0000000000000000000000aa', '{"uri": "iris.csv"}', '{"num_rows": 150}'],
  );
  db.run(
    `INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)
     VALUES ('input-1', 'DATASET', 'd5e7c0de0000000000000000000000aa', 'RUN', ?)`,
    [SQL_RUNS.local],
  );
  db.run(
    "INSERT INTO input_tags (input_uuid, name, value) VALUES ('input-1', 'mlflow.data.context', 'eval')",
  );
}

function writeRegistry(db: Database, current: boolean): void {
  db.run("INSERT INTO registered_models VALUES ('iris-model', 500, 600, 'classifies irises')");
  db.run("INSERT INTO registered_model_tags VALUES ('task', 'classification', 'iris-model')");
  const source = `mlflow-artifacts:/3/${SQL_RUNS.proxied}/artifacts/model`;
  const versions: Array<[number, string]> = [
    [1, 'Staging'],
    [2, 'Deleted_Internal'],
    [3, 'None'],
  ];
  for (const [version, stage] of versions) {
    const values = [
      'iris-model',
      version,
      500 + version,
      600 + version,
      `v${version}`,
      'bo',
      stage,
      source,
      SQL_RUNS.proxied,
      'READY',
      null,
      '',
    ];
    db.run(
      current
        ? 'INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
        : 'INSERT INTO model_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      current ? [...values, source] : values,
    );
  }
  db.run("INSERT INTO model_version_tags VALUES ('approved', 'yes', 'iris-model', 3)");
  if (current) db.run("INSERT INTO registered_model_aliases VALUES ('prod', 3, 'iris-model')");
}
