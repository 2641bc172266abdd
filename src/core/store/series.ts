import type { Database } from './database';
import { DBL_MAX } from './hydrate';
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

/**
 * Reads the whole history of `key` for `runId` (an unknown run or key gives an empty series).
 * Charts of long histories are drawn from their tiles instead (tiles.ts); this read is for
 * zooms, time axes and histories that have no tiles.
 *
 * The read walks the history index alone (it covers every column read here) and takes three
 * columns a row: each further column costs sql.js a call per row, about 80 ms a million points.
 * So `lastRowid` is the table's highest rowid at the time of the read rather than the highest of
 * the series' own rows: the store never deletes or renumbers metric rows, so every point logged
 * later has a greater rowid, and nothing can be logged during this synchronous read.
 *
 * FIXME: a million-point history takes about 0.4 s to read on the project's machine (sql.js steps
 * row by row), so the first chart of a long history without tiles (one with a NaN or an infinite
 * value, or the first look at one logged before store schema 7) appears after about 0.7 s
 * (bench/panels.ts), not within the 500 ms that tiled histories take.
 */
export function readMetricSeries(db: Database, runId: unknown, key: string): MetricSeries {
  const series = new MetricSeries();
  const last = db.get<{ last: number | null }>('SELECT max(rowid) AS last FROM metrics')?.last;
  series.lastRowid = last ?? 0;
  db.each(
    `SELECT step, timestamp, ${VALUE} FROM metrics WHERE run_uuid = ? AND key = ?
     ORDER BY step, timestamp, value`,
    [checkRunId(runId), key],
    (row) => series.push(row[0] as number, row[1] as number, decode(row[2])),
  );
  return series;
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
