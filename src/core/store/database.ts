import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database as SqlJsDatabase, Statement } from 'sql.js';
import type { Logger } from '../log';
import { Journal, listSegments, readJournal, type Durability, type SqlValue } from './journal';
import { refuseForeignDatabase } from './foreign';
import { loadSqlJs } from './sqljs';
import { MLFLOW_ALEMBIC_REVISION, migrations, SCHEMA_VERSION } from './schema';

export type { SqlValue };
export type Row = Record<string, SqlValue>;

export const DATABASE_FILE = 'mlflow.db';
const JOURNAL_DIR = 'journal';

export interface DatabaseOptions {
  dir: string;
  logger: Logger;
  durability?: Durability;
  /** Snapshot when the journal passes this many bytes (default 64 MiB). */
  snapshotBytes?: number;
  /** Snapshot after this long without writes (default 2 s); 0 turns idle snapshots off. */
  idleMs?: number;
  /**
   * Read what the owner has acknowledged (snapshot plus journal) without writing anything: for
   * the CLI's reads while a VS Code window owns the store.
   */
  readOnly?: boolean;
}

/** The reads a write transaction may make, and the writes it records into the journal. */
export interface Transaction {
  run(sql: string, params?: SqlValue[]): number;
  runMany(sql: string, rows: SqlValue[][]): void;
  /**
   * Inserts many rows with multi-row INSERT statements (`head` is `INSERT ... (cols) VALUES`);
   * returns how many rows the table took, fewer when an OR IGNORE skipped some.
   */
  insertMany(head: string, rows: SqlValue[][]): number;
  all<T = Row>(sql: string, params?: SqlValue[]): T[];
  get<T = Row>(sql: string, params?: SqlValue[]): T | undefined;
}

/**
 * sql.js holds the database in memory. Every write runs inside a transaction, is appended to the
 * journal before it is acknowledged, and the database file is rewritten atomically (temporary
 * file, fsync, rename) when the journal grows or the store is idle, and on close. Opening loads
 * the last snapshot and replays what the journal holds beyond it.
 */
export class Database {
  private readonly statements = new Map<string, Statement>();
  private seq: number;
  private dirty = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private snapshotting: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly db: SqlJsDatabase,
    private readonly journal: Journal,
    private readonly options: Required<DatabaseOptions>,
    seq: number,
  ) {
    this.seq = seq;
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    const full: Required<DatabaseOptions> = {
      durability: 'process',
      snapshotBytes: 64 * 1024 * 1024,
      idleMs: 2000,
      readOnly: false,
      ...options,
    };
    const SQL = await loadSqlJs();
    const journalDir = path.join(full.dir, JOURNAL_DIR);
    if (!full.readOnly) fs.mkdirSync(journalDir, { recursive: true });
    // The journal is read before the snapshot: a reader racing the owner's snapshot then sees
    // either the old file with every segment, or the new file that holds what was deleted.
    const entries = readJournal(journalDir, full.logger, !full.readOnly);
    const file = path.join(full.dir, DATABASE_FILE);
    const db = fs.existsSync(file) ? new SQL.Database(readSqlite(file)) : new SQL.Database();
    try {
      refuseForeignDatabase(db, file);
    } catch (error) {
      db.close();
      throw error;
    }

    useMemoryJournal(db);
    const { snapshotSeq, changed } = migrate(db, full.logger);
    const seq = replay(db, entries, snapshotSeq, full.logger);
    const database = new Database(db, new Journal(journalDir, full.durability), full, seq);
    database.dirty = changed || seq > snapshotSeq;
    // A new or migrated store is written out at once, so readers find a database file.
    if (changed && !full.readOnly) await database.snapshot();
    return database;
  }

  all<T = Row>(sql: string, params: SqlValue[] = []): T[] {
    const statement = this.prepare(sql);
    try {
      statement.bind(params);
      // get() with the column names read once is about three times faster than getAsObject(),
      // which asks sql.js for the names again on every row.
      const names = statement.getColumnNames();
      const rows: T[] = [];
      while (statement.step()) {
        const values = statement.get();
        const row: Row = {};
        for (let i = 0; i < names.length; i++) row[names[i]] = values[i] as SqlValue;
        rows.push(row as T);
      }
      return rows;
    } finally {
      statement.reset();
    }
  }

  /**
   * Calls `onRow` with each row's values, in column order, without building an object per row:
   * the way to read a million-point metric history into typed arrays. The array passed is sql.js's
   * own and is not kept.
   */
  each(sql: string, params: SqlValue[], onRow: (values: SqlValue[]) => void): void {
    const statement = this.prepare(sql);
    try {
      statement.bind(params);
      while (statement.step()) onRow(statement.get() as SqlValue[]);
    } finally {
      statement.reset();
    }
  }

  get<T = Row>(sql: string, params: SqlValue[] = []): T | undefined {
    return this.all<T>(sql, params)[0];
  }

  /**
   * Runs `work` as one transaction. Its statements are journaled as one entry only if it
   * completes; if it throws, the transaction rolls back and nothing is recorded.
   */
  write<R>(work: (tx: Transaction) => R): R {
    if (this.closed) throw new Error('the store is closed');
    if (this.options.readOnly) throw new Error('the store was opened read-only');
    const groups = new Map<string, SqlValue[][]>();
    const record = (sql: string, rows: SqlValue[][]) => {
      const existing = groups.get(sql);
      // A loop, not push(...rows): spreading a million rows overflows the call stack.
      if (existing) for (const row of rows) existing.push(row);
      else groups.set(sql, rows);
    };
    const tx: Transaction = {
      run: (sql, params = []) => {
        this.execute(sql, params);
        record(sql, [params]);
        return this.db.getRowsModified();
      },
      runMany: (sql, rows) => {
        for (const params of rows) this.execute(sql, params);
        record(sql, rows);
      },
      insertMany: (head, rows) => {
        let inserted = 0;
        for (const [sql, params] of multiRowInserts(head, rows)) {
          this.execute(sql, params);
          inserted += this.db.getRowsModified();
          record(sql, [params]);
        }
        return inserted;
      },
      all: (sql, params) => this.all(sql, params),
      get: (sql, params) => this.get(sql, params),
    };

    this.db.run('BEGIN');
    try {
      const result = work(tx);
      if (groups.size > 0) {
        this.journal.append({ seq: this.seq + 1, groups: [...groups] });
        this.seq += 1;
      }
      this.db.run('COMMIT');
      if (groups.size > 0) this.afterWrite();
      return result;
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
  }

  /** Writes the snapshot now (waiting for one already under way). */
  async snapshot(): Promise<void> {
    while (this.snapshotting) await this.snapshotting;
    if (!this.dirty || this.options.readOnly) return;
    this.snapshotting = this.writeSnapshot().finally(() => {
      this.snapshotting = undefined;
    });
    await this.snapshotting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearTimeout(this.idleTimer);
    await this.snapshot();
    this.closed = true;
    this.journal.close();
    for (const statement of this.statements.values()) statement.free();
    this.statements.clear();
    this.db.close();
  }

  /** Bytes of the database as a file, for benchmarks and diagnostics. */
  get journalBytes(): number {
    return this.journal.size;
  }

  private execute(sql: string, params: SqlValue[]): void {
    const statement = this.prepare(sql);
    try {
      statement.run(params);
    } finally {
      statement.reset();
    }
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private afterWrite(): void {
    this.dirty = true;
    if (this.journal.size >= this.options.snapshotBytes) {
      void this.snapshot().catch((error) => this.options.logger.error(error));
      return;
    }
    if (this.options.idleMs <= 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      void this.snapshot().catch((error) => this.options.logger.error(error));
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  /**
   * The synchronous part (stamp the sequence number, export, start a new journal segment) runs
   * without yielding, so no write can fall between the export and the rotation. The file work
   * after it is asynchronous; writes go on meanwhile into the new segment, and the old segments
   * are deleted only once the new file is safely in place.
   */
  private async writeSnapshot(): Promise<void> {
    const started = performance.now();
    const seq = this.seq;
    this.db.run("INSERT OR REPLACE INTO mf_meta (key, value) VALUES ('journal_seq', ?)", [
      String(seq),
    ]);
    // export() closes and reopens the database inside sql.js, which frees prepared statements.
    this.statements.clear();
    const bytes = this.db.export();
    useMemoryJournal(this.db);
    const done = this.journal.rotate();
    this.dirty = false;

    const file = path.join(this.options.dir, DATABASE_FILE);
    await writeAtomically(file, bytes);
    for (const segment of done) fs.rmSync(segment, { force: true });
    const ms = (performance.now() - started).toFixed(0);
    this.options.logger.debug(`snapshot of ${bytes.length} bytes at journal ${seq} in ${ms} ms`);
  }
}

/**
 * Splits rows into multi-row INSERTs of up to ROWS_PER_INSERT rows. Each call into sql.js
 * costs a crossing into wasm and a bind per statement; batching rows this way logs metrics about
 * 2.5 times faster than one statement per row (bench/store.ts).
 */
const ROWS_PER_INSERT = 100;

function* multiRowInserts(head: string, rows: SqlValue[][]): Generator<[string, SqlValue[]]> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const tuple = `(${chunk[0].map(() => '?').join(', ')})`;
    yield [`${head} ${Array(chunk.length).fill(tuple).join(', ')}`, chunk.flat()];
  }
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.promises.open(temporary, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temporary, file);
  const dir = await fs.promises.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * SQLite's rollback journal would otherwise be a file in sql.js's in-memory file system, which
 * costs as much as the writes themselves; in memory it still rolls back. export() resets pragmas,
 * so this runs after every export too.
 */
function useMemoryJournal(db: SqlJsDatabase): void {
  db.run('PRAGMA journal_mode = MEMORY');
}

/** Reads a database file, refusing anything that is not SQLite before sql.js sees it. */
export function readSqlite(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    // readFileSync stops at 2 GiB; a store of about eight million metric points is larger, so
    // the file is read in pieces into one array (sql.js needs it whole).
    const bytes = new Uint8Array(size);
    for (let offset = 0; offset < size;) {
      const read = fs.readSync(fd, bytes, offset, Math.min(size - offset, 1 << 30), offset);
      if (read === 0) throw new Error(`${file} ended early while being read`);
      offset += read;
    }
    const header = Buffer.from(bytes.buffer, 0, Math.min(size, 16)).toString('latin1');
    if (size > 0 && header !== SQLITE_HEADER) throw new Error(`${file} is not an SQLite database`);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Brings the schema up to date. Returns the journal sequence the snapshot includes, and whether
 * opening changed the database (so that the change reaches the file at the next snapshot).
 */
function migrate(db: SqlJsDatabase, logger: Logger): { snapshotSeq: number; changed: boolean } {
  db.run('CREATE TABLE IF NOT EXISTS mf_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)');
  const value = (key: string) =>
    db.exec('SELECT value FROM mf_meta WHERE key = ?', [key])[0]?.values[0]?.[0];
  const from = Number(value('schema_version') ?? 0);
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `this store was written by a newer Model Factory (schema ${from}, this one knows ` +
        `${SCHEMA_VERSION}); update the extension to open it`,
    );
  }
  for (const migration of migrations.filter((m) => m.version > from)) {
    db.run('BEGIN');
    db.exec(migration.sql);
    db.run("INSERT OR REPLACE INTO mf_meta (key, value) VALUES ('schema_version', ?)", [
      String(migration.version),
    ]);
    db.run('COMMIT');
    logger.info(`store schema migrated to ${migration.version}: ${migration.description}`);
  }
  const defaulted = ensureDefaults(db);
  return {
    snapshotSeq: Number(value('journal_seq') ?? 0),
    changed: from < SCHEMA_VERSION || defaulted,
  };
}

/**
 * MLflow's alembic revision and its Default experiment (id 0) exist in every store, as MLflow's
 * SQL store creates them. This is not journaled: opening repeats it whenever it is missing.
 */
function ensureDefaults(db: SqlJsDatabase): boolean {
  let changed = false;
  if (!db.exec('SELECT 1 FROM alembic_version')[0]?.values.length) {
    db.run('INSERT INTO alembic_version (version_num) VALUES (?)', [MLFLOW_ALEMBIC_REVISION]);
    changed = true;
  }
  if (!db.exec('SELECT 1 FROM experiments WHERE experiment_id = 0')[0]?.values.length) {
    const now = Date.now();
    db.run(
      `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
         creation_time, last_update_time)
       VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ?, ?)`,
      [now, now],
    );
    changed = true;
  }
  return changed;
}

function replay(
  db: SqlJsDatabase,
  entries: ReturnType<typeof readJournal>,
  snapshotSeq: number,
  logger: Logger,
): number {
  let seq = snapshotSeq;
  let replayed = 0;
  for (const entry of entries) {
    if (entry.seq <= snapshotSeq) continue;
    db.run('BEGIN');
    for (const [sql, rows] of entry.groups) {
      const statement = db.prepare(sql);
      for (const params of rows) statement.run(params);
      statement.free();
    }
    db.run('COMMIT');
    seq = entry.seq;
    replayed += 1;
  }
  if (replayed > 0) logger.info(`replayed ${replayed} journal entries after the last snapshot`);
  return seq;
}

export { listSegments };
