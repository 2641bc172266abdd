import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../log';
import { readSqlite, type Row } from '../../store/database';
import { RunStatuses, type RunStatus, type Tag } from '../../store/entities';
import { invalid } from '../../store/errors';
import { decodeMetricValue } from '../../store/hydrate';
import { loadSqlJs } from '../../store/sqljs';
import { toNumber, toText } from './files';
import { readSqliteRegistry } from './sqliteRegistry';
import { SqliteTables } from './sqliteTables';
import {
  RUN_ID,
  SOURCE_TYPES,
  type MetricSeries,
  type MlflowSource,
  type RunRef,
  type SourceDataset,
  type SourceExperiment,
  type SourceModel,
  type SourceRun,
} from './source';

// Ids are read as text: sql.js turns integers into JavaScript numbers, which round those past 2^53.
const EXPERIMENT_ID = 'CAST(e.experiment_id AS TEXT) AS experiment_id';

/**
 * MLflow's SQL store in an SQLite file, read with sql.js from a copy in memory (the file is never
 * opened for writing). Older revisions lack some columns and tables; they read as defaults.
 */
export class SqliteSource implements MlflowSource {
  readonly label: string;
  readonly baseDir: string;
  readonly proxiedArtifactsDir?: string;

  private constructor(
    private readonly tables: SqliteTables,
    file: string,
    private readonly logger: Logger,
  ) {
    this.label = `the MLflow database ${file}`;
    this.baseDir = path.dirname(file);
    // `mlflow server` proxies artifacts into ./mlartifacts beside the database by default.
    const proxied = path.join(this.baseDir, 'mlartifacts');
    if (fs.existsSync(proxied)) this.proxiedArtifactsDir = proxied;
  }

  static async open(file: string, logger: Logger): Promise<SqliteSource> {
    let bytes: Uint8Array;
    try {
      bytes = readSqlite(file);
    } catch (error) {
      throw invalid(`${(error as Error).message}; import reads an mlruns folder or an mlflow.db`);
    }
    const SQL = await loadSqlJs();
    const tables = new SqliteTables(new SQL.Database(bytes), file);
    try {
      if (!tables.hasTable('experiments') || !tables.hasTable('runs')) {
        throw invalid(`${file} is an SQLite database but not MLflow's: it has no runs table`);
      }
      warnAboutWal(file, logger);
      indexRunLookups(tables);
    } catch (error) {
      tables.close();
      throw error;
    }
    return new SqliteSource(tables, file, logger);
  }

  async experiments(): Promise<SourceExperiment[]> {
    const t = this.tables;
    const rows = t.all(
      `SELECT ${EXPERIMENT_ID}, ${t.select('experiments', 'e', {
        name: 'NULL',
        lifecycle_stage: "'active'",
        creation_time: 'NULL',
        last_update_time: 'NULL',
      })} FROM experiments e ORDER BY e.experiment_id`,
    );
    const tags = groupBy(
      t.hasTable('experiment_tags')
        ? t.all(`SELECT ${EXPERIMENT_ID}, e.key, e.value FROM experiment_tags e ORDER BY e.key`)
        : [],
    );
    const datasets = groupBy(this.datasetRows());
    return rows.map((row) => {
      const experimentId = String(row.experiment_id);
      return {
        experimentId,
        name: toText(row.name, `experiment ${experimentId}`),
        lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
        creationTime: toNumber(row.creation_time),
        lastUpdateTime: toNumber(row.last_update_time),
        tags: (tags.get(experimentId) ?? []).map(toTag),
        datasets: (datasets.get(experimentId) ?? []).map(toDataset),
      };
    });
  }

  async runRefs(): Promise<RunRef[]> {
    const refs: RunRef[] = [];
    const rows = this.tables.all(
      `SELECT e.run_uuid, ${EXPERIMENT_ID} FROM runs e ORDER BY e.experiment_id, e.run_uuid`,
    );
    for (const row of rows) {
      const runId = String(row.run_uuid);
      if (RUN_ID.test(runId)) refs.push({ runId, experimentId: String(row.experiment_id) });
      else this.logger.warn(`skipped the run '${runId}': a run id is 32 lowercase hex characters`);
    }
    return refs;
  }

  async readRun(ref: RunRef): Promise<SourceRun> {
    const row = this.runRow(ref.runId);
    const byRun = (table: string, columns: string) =>
      this.tables.all(`SELECT ${columns} FROM ${table} WHERE run_uuid = ? ORDER BY key`, [
        ref.runId,
      ]);
    const tags = byRun('tags', 'key, value').map(toTag);
    const runName = toText(row.name) || tags.find((t) => t.key === 'mlflow.runName')?.value;
    return {
      runId: ref.runId,
      experimentId: ref.experimentId,
      runName: runName ?? '',
      userId: toText(row.user_id),
      status: this.runStatus(row.status, ref.runId),
      startTime: toNumber(row.start_time),
      endTime: toNumber(row.end_time),
      deletedTime: toNumber(row.deleted_time),
      lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      sourceType: SOURCE_TYPES.includes(String(row.source_type))
        ? String(row.source_type)
        : 'UNKNOWN',
      sourceName: toText(row.source_name),
      entryPointName: toText(row.entry_point_name),
      sourceVersion: toText(row.source_version),
      artifactUri: toText(row.artifact_uri),
      params: byRun('params', 'key, value').map(toTag),
      tags,
      metrics: this.metrics(ref.runId),
      inputs: this.inputs(ref.runId),
      artifactDirs: [],
    };
  }

  async models(): Promise<SourceModel[]> {
    return readSqliteRegistry(this.tables);
  }

  close(): void {
    this.tables.close();
  }

  private runRow(runId: string): Row {
    const row = this.tables.all(
      `SELECT ${this.tables.select('runs', 'r', {
        name: 'NULL',
        source_type: 'NULL',
        source_name: 'NULL',
        entry_point_name: 'NULL',
        user_id: 'NULL',
        status: "'RUNNING'",
        start_time: 'NULL',
        end_time: 'NULL',
        deleted_time: 'NULL',
        source_version: 'NULL',
        lifecycle_stage: "'active'",
        artifact_uri: 'NULL',
      })} FROM runs r WHERE r.run_uuid = ?`,
      [runId],
    )[0];
    if (!row) throw invalid(`${this.tables.file} lost the run ${runId} while it was read`);
    return row;
  }

  private runStatus(value: unknown, runId: string): RunStatus {
    const status = value ?? 'RUNNING';
    if ((RunStatuses as readonly unknown[]).includes(status)) return status as RunStatus;
    throw invalid(`${this.tables.file}: the run ${runId} has the unknown status ${String(status)}`);
  }

  /** Metrics without a step column were all logged at step 0; without is_nan, NaN reads as NULL. */
  private metrics(runId: string): MetricSeries[] {
    const columns = this.tables.select('metrics', 'm', { step: '0', is_nan: '0' });
    const rows = this.tables.all(
      `SELECT m.key, m.value, m.timestamp, ${columns} FROM metrics m WHERE m.run_uuid = ? ORDER BY m.key`,
      [runId],
    );
    const series: MetricSeries[] = [];
    for (const row of rows) {
      const key = String(row.key);
      if (series.at(-1)?.key !== key) series.push({ key, points: [] });
      series.at(-1)!.points.push({
        value: row.value === null ? NaN : decodeMetricValue(Number(row.value), row.is_nan),
        timestamp: Number(row.timestamp ?? 0),
        step: Number(row.step ?? 0),
      });
    }
    return series;
  }

  private inputs(runId: string): SourceRun['inputs'] {
    if (!this.tables.hasTable('inputs')) return [];
    const inputs = this.tables.all(
      `SELECT input_uuid, source_id FROM inputs
       WHERE source_type = 'DATASET' AND destination_type = 'RUN' AND destination_id = ?`,
      [runId],
    );
    const hasTags = this.tables.hasTable('input_tags');
    return inputs.map((input) => ({
      datasetUuid: String(input.source_id),
      tags: hasTags
        ? this.tables
            .all('SELECT name, value FROM input_tags WHERE input_uuid = ? ORDER BY name', [
              input.input_uuid,
            ])
            .map((t) => ({ key: String(t.name), value: toText(t.value) }))
        : [],
    }));
  }

  private datasetRows(): Row[] {
    if (!this.tables.hasTable('datasets')) return [];
    return this.tables.all(
      `SELECT ${EXPERIMENT_ID}, e.dataset_uuid, e.name, e.digest, e.dataset_source_type,
         e.dataset_source, ${this.tables.select('datasets', 'e', {
           dataset_schema: 'NULL',
           dataset_profile: 'NULL',
         })} FROM datasets e ORDER BY e.name, e.digest`,
    );
  }
}

/**
 * Older revisions index metrics, params and tags by key first, so finding one run's rows scans
 * the whole table. Indexes on the in-memory copy keep a large import linear.
 */
function indexRunLookups(tables: SqliteTables): void {
  for (const table of ['metrics', 'params', 'tags']) {
    if (tables.hasTable(table) && tables.columns(table).has('run_uuid')) {
      tables.exec(`CREATE INDEX IF NOT EXISTS mf_import_${table}_run ON ${table} (run_uuid, key)`);
    }
  }
}

/** Writes that are still in a write-ahead log are not in the file that is read. */
function warnAboutWal(file: string, logger: Logger): void {
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    logger.warn(
      `${wal} holds writes not yet in ${file}; they are not imported. Stop the MLflow process ` +
        'using the database, or open it once with sqlite3, and import again to include them.',
    );
  }
}

function groupBy(rows: Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const id = String(row.experiment_id);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return groups;
}

function toTag(row: Row): Tag {
  return { key: String(row.key), value: toText(row.value) };
}

function toDataset(row: Row): SourceDataset {
  return {
    datasetUuid: String(row.dataset_uuid),
    name: toText(row.name),
    digest: toText(row.digest),
    sourceType: toText(row.dataset_source_type),
    source: toText(row.dataset_source),
    ...(row.dataset_schema != null ? { schema: String(row.dataset_schema) } : {}),
    ...(row.dataset_profile != null ? { profile: String(row.dataset_profile) } : {}),
  };
}
