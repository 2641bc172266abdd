import { TILES_FROM_RUN, TILES_TABLE } from './tiles';

/**
 * The database layout. The tracking and registry tables are MLflow's SQL store layout at alembic
 * revision acf3f17fdcc7 (MLflow 2.9: datasets and inputs, aliases, model version storage
 * location), with MLflow's names, columns, keys and CHECK constraints, so an mlflow.db made by
 * MLflow opens as it is and MLflow's own tools read ours (`mlflow db upgrade` takes it on from
 * that revision). SQLite does not enforce VARCHAR lengths; MLflow's size limits are checked in
 * validation.ts instead. Our own tables are prefixed mf_ and versioned by mf_meta.schema_version.
 */
export const MLFLOW_ALEMBIC_REVISION = 'acf3f17fdcc7';

const mlflowTables = `
CREATE TABLE IF NOT EXISTS experiments (
  experiment_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  name VARCHAR(256) NOT NULL UNIQUE,
  artifact_location VARCHAR(256),
  lifecycle_stage VARCHAR(32) CONSTRAINT experiments_lifecycle_stage
    CHECK (lifecycle_stage IN ('active', 'deleted')),
  creation_time BIGINT,
  last_update_time BIGINT
);
CREATE TABLE IF NOT EXISTS experiment_tags (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(5000),
  experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
  CONSTRAINT experiment_tag_pk PRIMARY KEY (key, experiment_id)
);
CREATE TABLE IF NOT EXISTS runs (
  run_uuid VARCHAR(32) NOT NULL PRIMARY KEY,
  name VARCHAR(250),
  source_type VARCHAR(20) CONSTRAINT source_type
    CHECK (source_type IN ('NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT')),
  source_name VARCHAR(500),
  entry_point_name VARCHAR(50),
  user_id VARCHAR(256),
  status VARCHAR(9) CONSTRAINT status
    CHECK (status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')),
  start_time BIGINT,
  end_time BIGINT,
  deleted_time BIGINT,
  source_version VARCHAR(50),
  lifecycle_stage VARCHAR(20) CONSTRAINT runs_lifecycle_stage
    CHECK (lifecycle_stage IN ('active', 'deleted')),
  artifact_uri VARCHAR(200),
  experiment_id INTEGER REFERENCES experiments (experiment_id)
);
CREATE TABLE IF NOT EXISTS tags (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(5000),
  run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
  CONSTRAINT tag_pk PRIMARY KEY (key, run_uuid)
);
CREATE TABLE IF NOT EXISTS params (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(8000) NOT NULL,
  run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
  CONSTRAINT param_pk PRIMARY KEY (key, run_uuid)
);
CREATE TABLE IF NOT EXISTS metrics (
  key VARCHAR(250) NOT NULL,
  value FLOAT NOT NULL,
  timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
  step BIGINT DEFAULT '0' NOT NULL,
  is_nan BOOLEAN DEFAULT '0' NOT NULL CHECK (is_nan IN (0, 1)),
  CONSTRAINT metric_pk PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan)
);
CREATE INDEX IF NOT EXISTS index_metrics_run_uuid ON metrics (run_uuid);
CREATE TABLE IF NOT EXISTS latest_metrics (
  key VARCHAR(250) NOT NULL,
  value FLOAT NOT NULL,
  timestamp BIGINT,
  step BIGINT NOT NULL,
  is_nan BOOLEAN NOT NULL CHECK (is_nan IN (0, 1)),
  run_uuid VARCHAR(32) NOT NULL REFERENCES runs (run_uuid),
  CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid)
);
CREATE INDEX IF NOT EXISTS index_latest_metrics_run_uuid ON latest_metrics (run_uuid);
CREATE TABLE IF NOT EXISTS datasets (
  dataset_uuid VARCHAR(36) NOT NULL,
  experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id),
  name VARCHAR(500) NOT NULL,
  digest VARCHAR(36) NOT NULL,
  dataset_source_type VARCHAR(36) NOT NULL,
  dataset_source TEXT NOT NULL,
  dataset_schema TEXT,
  dataset_profile TEXT,
  CONSTRAINT dataset_pk PRIMARY KEY (experiment_id, name, digest)
);
CREATE INDEX IF NOT EXISTS index_datasets_dataset_uuid ON datasets (dataset_uuid);
CREATE INDEX IF NOT EXISTS index_datasets_experiment_id_dataset_source_type
  ON datasets (experiment_id, dataset_source_type);
CREATE TABLE IF NOT EXISTS inputs (
  input_uuid VARCHAR(36) NOT NULL,
  source_type VARCHAR(36) NOT NULL,
  source_id VARCHAR(36) NOT NULL,
  destination_type VARCHAR(36) NOT NULL,
  destination_id VARCHAR(36) NOT NULL,
  CONSTRAINT inputs_pk PRIMARY KEY (source_type, source_id, destination_type, destination_id)
);
CREATE INDEX IF NOT EXISTS index_inputs_input_uuid ON inputs (input_uuid);
CREATE INDEX IF NOT EXISTS index_inputs_destination_type_destination_id_source_type
  ON inputs (destination_type, destination_id, source_type);
CREATE TABLE IF NOT EXISTS input_tags (
  input_uuid VARCHAR(36) NOT NULL,
  name VARCHAR(255) NOT NULL,
  value VARCHAR(500) NOT NULL,
  CONSTRAINT input_tags_pk PRIMARY KEY (input_uuid, name)
);
CREATE TABLE IF NOT EXISTS registered_models (
  name VARCHAR(256) NOT NULL,
  creation_time BIGINT,
  last_updated_time BIGINT,
  description VARCHAR(5000),
  CONSTRAINT registered_model_pk PRIMARY KEY (name),
  UNIQUE (name)
);
CREATE TABLE IF NOT EXISTS registered_model_tags (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(5000),
  name VARCHAR(256) NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE,
  CONSTRAINT registered_model_tag_pk PRIMARY KEY (key, name)
);
CREATE TABLE IF NOT EXISTS model_versions (
  name VARCHAR(256) NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE,
  version INTEGER NOT NULL,
  creation_time BIGINT,
  last_updated_time BIGINT,
  description VARCHAR(5000),
  user_id VARCHAR(256),
  current_stage VARCHAR(20),
  source VARCHAR(500),
  run_id VARCHAR(32),
  status VARCHAR(20),
  status_message VARCHAR(500),
  run_link VARCHAR(500),
  storage_location VARCHAR(500),
  CONSTRAINT model_version_pk PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS model_version_tags (
  key VARCHAR(250) NOT NULL,
  value VARCHAR(5000),
  name VARCHAR(256) NOT NULL,
  version INTEGER NOT NULL,
  CONSTRAINT model_version_tag_pk PRIMARY KEY (key, name, version),
  FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE
);
CREATE TABLE IF NOT EXISTS registered_model_aliases (
  alias VARCHAR(256) NOT NULL,
  version INTEGER NOT NULL,
  name VARCHAR(256) NOT NULL,
  CONSTRAINT registered_model_alias_pk PRIMARY KEY (name, alias),
  CONSTRAINT registered_model_alias_name_fkey FOREIGN KEY (name)
    REFERENCES registered_models (name) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE TABLE IF NOT EXISTS alembic_version (
  version_num VARCHAR(32) NOT NULL,
  CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
`;

/**
 * Our own tables. mf_meta holds the schema version and the journal sequence number that the
 * snapshot on disk includes, so that opening replays only what came after it.
 */
const ownTables = `
CREATE TABLE IF NOT EXISTS mf_meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);
`;

/**
 * Drift checks (driftChecks.ts). The report is kept whole as JSON, so a check reopens without
 * being recomputed; the per-column rows repeat what the report says, so column history can be
 * queried in SQL without parsing JSON. The indexes are ascending and read backwards: that serves
 * "newest first, latest insert first among equal times" (created_time DESC, rowid DESC) without
 * a sort, which a DESC index would not.
 *
 * SQLite applies ON DELETE CASCADE only with foreign keys on, and MLflow's files leave them off,
 * so the trigger removes a check's columns whatever deletes the check (our API, a journal replay,
 * or a user's own SQL).
 */
const driftTables = `
CREATE TABLE IF NOT EXISTS mf_drift_checks (
  check_id VARCHAR(32) NOT NULL PRIMARY KEY,
  created_time BIGINT NOT NULL,
  reference_path TEXT NOT NULL,
  reference_digest VARCHAR(64) NOT NULL,
  current_path TEXT NOT NULL,
  current_digest VARCHAR(64) NOT NULL,
  reference_kind VARCHAR(20) NOT NULL
    CHECK (reference_kind IN ('file', 'model_version')),
  model_name VARCHAR(256),
  model_version INTEGER,
  options_json TEXT NOT NULL,
  drift BOOLEAN NOT NULL CHECK (drift IN (0, 1)),
  drifted INTEGER NOT NULL,
  total INTEGER NOT NULL,
  share FLOAT NOT NULL,
  report_json TEXT NOT NULL,
  run_id VARCHAR(32)
);
CREATE INDEX IF NOT EXISTS mf_index_drift_checks_current
  ON mf_drift_checks (current_path, created_time);
CREATE INDEX IF NOT EXISTS mf_index_drift_checks_model
  ON mf_drift_checks (model_name, model_version, created_time);
CREATE INDEX IF NOT EXISTS mf_index_drift_checks_created ON mf_drift_checks (created_time);
CREATE TABLE IF NOT EXISTS mf_drift_columns (
  check_id VARCHAR(32) NOT NULL REFERENCES mf_drift_checks (check_id) ON DELETE CASCADE,
  column_name TEXT NOT NULL,
  kind VARCHAR(20) NOT NULL,
  test VARCHAR(32),
  statistic FLOAT,
  p_value FLOAT,
  threshold FLOAT,
  drift BOOLEAN NOT NULL CHECK (drift IN (0, 1)),
  CONSTRAINT mf_drift_column_pk PRIMARY KEY (check_id, column_name)
);
CREATE TRIGGER IF NOT EXISTS mf_drift_checks_cascade AFTER DELETE ON mf_drift_checks
BEGIN
  DELETE FROM mf_drift_columns WHERE check_id = OLD.check_id;
END;
`;

/** A migration brings mf_meta.schema_version from `version - 1` to `version`. */
interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'MLflow tracking and registry tables, and mf_meta',
    sql: `${mlflowTables}${ownTables}`,
  },
  {
    version: 2,
    description: 'indexes for run search by experiment and start time',
    sql: `CREATE INDEX IF NOT EXISTS mf_index_runs_experiment_start
            ON runs (experiment_id, lifecycle_stage, start_time DESC);
          CREATE INDEX IF NOT EXISTS mf_index_latest_metrics_key_value
            ON latest_metrics (key, value);`,
  },
  {
    version: 3,
    description: 'an index that serves metric histories in step order without sorting',
    sql: `CREATE INDEX IF NOT EXISTS mf_index_metrics_history
            ON metrics (run_uuid, key, step, timestamp, value);`,
  },
  {
    version: 4,
    description: 'indexes that read the params and tags of a page of runs without a table scan',
    sql: `CREATE INDEX IF NOT EXISTS mf_index_params_run_uuid ON params (run_uuid);
          CREATE INDEX IF NOT EXISTS mf_index_tags_run_uuid ON tags (run_uuid);`,
  },
  {
    version: 5,
    description: 'drift checks and their per-column results',
    sql: driftTables,
  },
  {
    // is_nan joins the history index so that reading a history never visits the table: a
    // million-point read took 0.5 s with a table lookup per row and about 0.3 s from the index.
    version: 6,
    description: 'the metric history index covers is_nan',
    sql: `DROP INDEX IF EXISTS mf_index_metrics_history;
          CREATE INDEX mf_index_metrics_history
            ON metrics (run_uuid, key, step, timestamp, value, is_nan);`,
  },
  {
    // Runs that exist now have histories without tiles; tiles.ts reads those whole.
    version: 7,
    description: 'tiles that summarise each metric history for charts',
    sql: `${TILES_TABLE}
          INSERT OR REPLACE INTO mf_meta (key, value)
            SELECT '${TILES_FROM_RUN}', CAST(coalesce(max(rowid), 0) AS TEXT) FROM runs;`,
  },
];

/** The MLflow tables a store must have, in the order the schema creates them. */
export const MLFLOW_TABLES = [...mlflowTables.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map(
  (match) => match[1],
);

export const SCHEMA_VERSION = migrations[migrations.length - 1].version;
