import type { Database } from './database';
import { DBL_MAX, encodeMetricValue } from './hydrate';
import { checkRunId } from './validation';

/**
 * A metric's whole history as columns, for charts: a million points as three Float64Arrays is
 * 24 MB, where the same points as Metric objects are several times that and take seconds to
 * build. Points are in MLflow's history order (step, then timestamp, then value).
 */
export class MetricSeries {
  steps = new Float64Array(1024);
  timestamps = new Float64Array(1024);
  values = new Float64Array(1024);
  length = 0;
  /** The highest rowid read, so later reads fetch only what was logged since. */
  lastRowid = 0;

  push(step: number, timestamp: number, value: number): void {
    if (this.length === this.steps.length) this.grow();
    this.steps[this.length] = step;
    this.timestamps[this.length] = timestamp;
    this.values[this.length] = value;
    this.length++;
  }

  /** True when a point at (step, timestamp) goes after the last one, so it can be appended. */
  follows(step: number, timestamp: number): boolean {
    if (this.length === 0) return true;
    const lastStep = this.steps[this.length - 1];
    return step > lastStep || (step === lastStep && timestamp >= this.timestamps[this.length - 1]);
  }

  private grow(): void {
    const size = this.steps.length * 2;
    for (const name of ['steps', 'timestamps', 'values'] as const) {
      const bigger = new Float64Array(size);
      bigger.set(this[name]);
      this[name] = bigger;
    }
  }
}

// The NULL for NaN lets one column carry both value and is_nan; ±DBL_MAX are MLflow's infinities.
const VALUE = 'IIF(is_nan, NULL, value)';

/** Points a slice of a history reads: about 35 ms of sql.js work on the project's machine. */
const SLICE = 100_000;

/**
 * Reads the history of `key` for `runId` a slice at a time, so that a caller can answer other
 * messages between slices of a million-point read (about 0.35 s whole). An unknown run or key
 * gives an empty series.
 *
 * The read walks the history index alone (it covers every column read here) and takes three
 * columns a row: each further column costs sql.js a call per row, about 80 ms a million points.
 * It sees the table as it was when the reader was made: `lastRowid` is the table's highest rowid
 * then, and every slice keeps to rows at or below it. The store never deletes or renumbers metric
 * rows, so points logged during or after the read have greater rowids, and appendMetricSeries
 * finds them there.
 */
export class SeriesReader {
  readonly series = new MetricSeries();
  private readonly runId: string;
  private done = false;

  constructor(
    private readonly db: Database,
    runId: unknown,
    private readonly key: string,
    private readonly slice = SLICE,
  ) {
    this.runId = checkRunId(runId);
    const last = db.get<{ last: number | null }>('SELECT max(rowid) AS last FROM metrics')?.last;
    this.series.lastRowid = last ?? 0;
  }

  /** Reads the next slice; true once the whole history is in `series`. */
  next(): boolean {
    if (this.done) return true;
    const { series } = this;
    const before = series.length;
    const after = before === 0 ? '' : 'AND (step, timestamp, value, is_nan) > (?, ?, ?, ?)';
    this.db.each(
      `SELECT step, timestamp, ${VALUE} FROM metrics
       WHERE run_uuid = ? AND key = ? AND rowid <= ? ${after}
       ORDER BY step, timestamp, value, is_nan LIMIT ${this.slice}`,
      [this.runId, this.key, series.lastRowid, ...this.cursor()],
      (row) => series.push(row[0] as number, row[1] as number, decode(row[2])),
    );
    this.done = series.length - before < this.slice;
    return this.done;
  }

  /** The last point read, as the index orders it: stored value and is_nan, not the decoded one. */
  private cursor(): number[] {
    const { series } = this;
    const last = series.length - 1;
    if (last < 0) return [];
    const { value, isNan } = encodeMetricValue(series.values[last]);
    return [series.steps[last], series.timestamps[last], value, isNan];
  }
}

/**
 * Reads the whole history of `key` for `runId` at once (see SeriesReader).
 *
 * FIXME: a million-point history still takes about 0.4 s to read on the project's machine (sql.js
 * steps row by row), so the run panel's first chart of such a metric appears after 0.7 to 1 s
 * (bench/panels.ts), not within the 500 ms the panels issue asks. Per-tile first, last, minimum
 * and maximum points kept beside the metrics table by every path that writes points (the store,
 * import and pull) would let the first chart be drawn from a few thousand rows.
 */
export function readMetricSeries(db: Database, runId: unknown, key: string): MetricSeries {
  const reader = new SeriesReader(db, runId, key);
  while (!reader.next());
  return reader.series;
}

/**
 * Appends the points logged since the series was read. Returns false, leaving the series as it
 * was, when one of them belongs before the last point (a script that logs an earlier step late):
 * the caller then reads the series again. The `+` before the columns keeps SQLite from using
 * their indexes, so it walks only the rows after `lastRowid` instead of the run's whole history.
 */
export function appendMetricSeries(
  db: Database,
  runId: unknown,
  key: string,
  series: MetricSeries,
): boolean {
  const rows: Array<[number, number, number, number]> = [];
  db.each(
    `SELECT step, timestamp, ${VALUE}, rowid FROM metrics
     WHERE rowid > ? AND +run_uuid = ? AND +key = ? ORDER BY step, timestamp, value`,
    [series.lastRowid, checkRunId(runId), key],
    (row) => rows.push([row[0] as number, row[1] as number, decode(row[2]), row[3] as number]),
  );
  if (rows.length === 0) return true;
  if (!series.follows(rows[0][0], rows[0][1])) return false;

  for (const [step, timestamp, value, rowid] of rows) {
    series.push(step, timestamp, value);
    series.lastRowid = Math.max(series.lastRowid, rowid);
  }
  return true;
}

function decode(value: unknown): number {
  if (value === null) return NaN;
  const number = value as number;
  if (number === DBL_MAX) return Infinity;
  if (number === -DBL_MAX) return -Infinity;
  return number;
}
