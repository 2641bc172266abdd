import type { Database as SqlJsDatabase } from 'sql.js';
import type { Row, SqlValue } from '../../store/database';
import { invalid } from '../../store/errors';

/**
 * Reads an mlflow.db of any alembic revision. Columns and tables came one revision at a time
 * (metric steps, is_nan, deleted_time, latest_metrics, the registry, aliases, datasets, storage
 * locations), so every query asks for the columns it wants and gets a default for the ones this
 * file lacks, found with PRAGMA table_info.
 */
export class SqliteTables {
  private readonly columnCache = new Map<string, Set<string>>();

  constructor(
    private readonly db: SqlJsDatabase,
    readonly file: string,
  ) {}

  all(sql: string, params: SqlValue[] = []): Row[] {
    try {
      const statement = this.db.prepare(sql);
      try {
        statement.bind(params);
        const rows: Row[] = [];
        while (statement.step()) rows.push(statement.getAsObject() as Row);
        return rows;
      } finally {
        statement.free();
      }
    } catch (error) {
      throw invalid(`${this.file} could not be read as an MLflow database: ${String(error)}`);
    }
  }

  /** Runs a statement on the in-memory copy only; the file itself is never written. */
  exec(sql: string): void {
    try {
      this.db.exec(sql);
    } catch (error) {
      throw invalid(`${this.file} could not be read as an MLflow database: ${String(error)}`);
    }
  }

  hasTable(name: string): boolean {
    return (
      this.all("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).length > 0
    );
  }

  columns(table: string): Set<string> {
    let columns = this.columnCache.get(table);
    if (!columns) {
      columns = new Set(this.all(`PRAGMA table_info(${table})`).map((row) => String(row.name)));
      this.columnCache.set(table, columns);
    }
    return columns;
  }

  /**
   * A select list naming each wanted column, or its default (an SQL expression) where this
   * revision has no such column. Each result column carries the wanted name either way.
   */
  select(table: string, alias: string, wanted: Record<string, string>): string {
    const present = this.columns(table);
    return Object.entries(wanted)
      .map(([column, fallback]) =>
        present.has(column) ? `${alias}.${column} AS ${column}` : `${fallback} AS ${column}`,
      )
      .join(', ');
  }

  close(): void {
    this.db.close();
  }
}
