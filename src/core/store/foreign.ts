import type { Database as SqlJsDatabase } from 'sql.js';
import { invalidState } from './errors';
import { MLFLOW_ALEMBIC_REVISION, MLFLOW_TABLES } from './schema';

/**
 * Refuses an mlflow.db this store cannot use as it is, before anything reads or writes it: one
 * made by another MLflow revision (an old one has no metric step, a newer one other columns), or
 * one missing MLflow's tables. Opening it anyway would fail later on a raw SQLite error ("no such
 * column: step") or, worse, write our tables into someone else's file. The message says how to
 * get the runs in; the file is left as it was.
 */
export function refuseForeignDatabase(db: SqlJsDatabase, file: string): void {
  const tables = new Set(
    (db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map(String),
  );
  if (tables.size === 0) return;

  const revision = tables.has('alembic_version')
    ? db.exec('SELECT version_num FROM alembic_version')[0]?.values[0]?.[0]
    : undefined;
  const missing = MLFLOW_TABLES.filter((table) => !tables.has(table));
  if ((revision === undefined || revision === MLFLOW_ALEMBIC_REVISION) && missing.length === 0) {
    return;
  }

  const made =
    revision === undefined
      ? `has no MLflow revision and lacks MLflow's tables ${missing.join(', ')}`
      : revision === MLFLOW_ALEMBIC_REVISION
        ? `lacks MLflow's tables ${missing.join(', ')}`
        : `was made by MLflow revision ${String(revision)}`;
  throw invalidState(
    `${file} ${made}, and Model Factory opens only revision ${MLFLOW_ALEMBIC_REVISION} ` +
      `(MLflow 2.9) as a store. Import it into another store folder with ` +
      `\`model-factory import ${file} --store DIR\`, or upgrade it with \`mlflow db upgrade ` +
      `sqlite:///${file}\` using MLflow 2.9 if it is older; the file was not changed`,
  );
}
