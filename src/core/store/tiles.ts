import type { Database, SqlValue, Transaction } from './database';
import { DBL_MAX, encodeMetricValue } from './hydrate';
import { MetricSeries } from './series';

/**
 * A summary of each metric history kept beside MLflow's metrics table, so that the run panel can
 * draw a long history without reading it: per tile of 1,024 consecutive steps, the number of
 * points and the first, last, lowest and highest of them. A chart drawn from those four points
 * a tile, thinned to its width, shows the same line and the same extremes as one drawn from
 * every point (the M4 reduction), for a few thousand rows read instead of a million.
 *
 * Every path that writes points (the store's logging, import, pull) adds its points here in
 * the same transaction, so the journal keeps both together. A tile with a NaN or an infinite
 * value, whose gaps a summary cannot place, is marked odd, and its history is read whole instead.
 */

/** Steps per tile. */
const TILE = 1024;

export const TILES_TABLE = `CREATE TABLE IF NOT EXISTS mf_metric_tiles (
  run_uuid VARCHAR(32) NOT NULL,
  key VARCHAR(250) NOT NULL,
  tile INTEGER NOT NULL,
  n INTEGER NOT NULL,
  first_step INTEGER NOT NULL, first_ts INTEGER NOT NULL, first_value REAL NOT NULL,
  last_step INTEGER NOT NULL, last_ts INTEGER NOT NULL, last_value REAL NOT NULL,
  min_step INTEGER NOT NULL, min_ts INTEGER NOT NULL, min_value REAL NOT NULL,
  max_step INTEGER NOT NULL, max_ts INTEGER NOT NULL, max_value REAL NOT NULL,
  odd INTEGER NOT NULL,
  PRIMARY KEY (run_uuid, key, tile)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mf_tiled_histories (
  run_uuid VARCHAR(32) NOT NULL,
  key VARCHAR(250) NOT NULL,
  PRIMARY KEY (run_uuid, key)
) WITHOUT ROWID;`;

/**
 * The runs up to this rowid were logged before tiles existed: a history of theirs has complete
 * tiles only once rebuilt (mf_tiled_histories lists those).
 */
export const TILES_FROM_RUN = 'tiles_from_run';

// In an upsert's SET, every unqualified column is the stored row's value before the update.
const FIRST =
  '(excluded.first_step, excluded.first_ts, excluded.first_value) < (first_step, first_ts, first_value)';
const LAST =
  '(excluded.last_step, excluded.last_ts, excluded.last_value) >= (last_step, last_ts, last_value)';
const MERGE = `INSERT INTO mf_metric_tiles VALUES (${Array(17).fill('?').join(', ')})
  ON CONFLICT (run_uuid, key, tile) DO UPDATE SET
    n = n + excluded.n,
    first_step = IIF(${FIRST}, excluded.first_step, first_step),
    first_ts = IIF(${FIRST}, excluded.first_ts, first_ts),
    first_value = IIF(${FIRST}, excluded.first_value, first_value),
    last_step = IIF(${LAST}, excluded.last_step, last_step),
    last_ts = IIF(${LAST}, excluded.last_ts, last_ts),
    last_value = IIF(${LAST}, excluded.last_value, last_value),
    min_step = IIF(excluded.min_value < min_value, excluded.min_step, min_step),
    min_ts = IIF(excluded.min_value < min_value, excluded.min_ts, min_ts),
    min_value = min(excluded.min_value, min_value),
    max_step = IIF(excluded.max_value > max_value, excluded.max_step, max_step),
    max_ts = IIF(excluded.max_value > max_value, excluded.max_ts, max_ts),
    max_value = max(excluded.max_value, max_value),
    odd = odd OR excluded.odd`;

/** One point: step, timestamp, stored value (±DBL_MAX for infinities), is_nan. */
type Point = [step: number, timestamp: number, value: number, isNan: number];

interface Tile {
  key: string;
  tile: number;
  n: number;
  first: Point;
  last: Point;
  min: Point;
  max: Point;
  odd: boolean;
}

/**
 * Adds points just written to the metrics table to their tiles. `rows` are the metrics table's
 * rows as written (key, value, timestamp, step, is_nan, run_uuid), and `inserted` how many of them
 * the table took. Fewer means some were there already (a batch sent again after a lost answer,
 * as the model_factory module does): such a point leaves its tile's extremes as they were, but
 * not its count, so the touched tiles count their points again from the history index.
 *
 */
export function addToTiles(tx: Transaction, runId: string, rows: SqlValue[][], inserted: number) {
  const tiles = new Map<string, Tile>();
  for (const row of rows) {
    const point: Point = [row[3] as number, row[2] as number, row[1] as number, row[4] as number];
    addPoint(tiles, row[0] as string, point);
  }
  writeTiles(tx, runId, tiles);
  if (inserted === rows.length) return;
  tx.runMany(
    RECOUNT,
    [...tiles.values()].map((t) => [
      runId,
      t.key,
      t.tile * TILE,
      (t.tile + 1) * TILE,
      runId,
      t.key,
      t.tile,
    ]),
  );
}

/**
 * Makes the tiles of one history again from the whole of it, read just before in the same turn
 * (so nothing was logged between): for the runs that were logged before tiles existed, whose
 * tiles are missing or partial. The history is then known to have complete tiles.
 */
export function rebuildTiles(tx: Transaction, runId: string, key: string, series: MetricSeries) {
  const tiles = new Map<string, Tile>();
  for (let i = 0; i < series.length; i++) {
    const { value, isNan } = encodeMetricValue(series.values[i]);
    addPoint(tiles, key, [series.steps[i], series.timestamps[i], value, isNan]);
  }
  tx.run('DELETE FROM mf_metric_tiles WHERE run_uuid = ? AND key = ?', [runId, key]);
  writeTiles(tx, runId, tiles);
  tx.run('INSERT OR IGNORE INTO mf_tiled_histories (run_uuid, key) VALUES (?, ?)', [runId, key]);
}

function addPoint(tiles: Map<string, Tile>, key: string, point: Point): void {
  const tile = Math.floor(point[0] / TILE);
  const id = `${tile}\n${key}`;
  const found = tiles.get(id);
  if (found) merge(found, point);
  else {
    const odd = isOdd(point);
    tiles.set(id, { key, tile, n: 1, first: point, last: point, min: point, max: point, odd });
  }
}

function writeTiles(tx: Transaction, runId: string, tiles: Map<string, Tile>): void {
  tx.runMany(
    MERGE,
    [...tiles.values()].map((t) => [
      runId,
      t.key,
      t.tile,
      t.n,
      ...t.first.slice(0, 3),
      ...t.last.slice(0, 3),
      ...t.min.slice(0, 3),
      ...t.max.slice(0, 3),
      t.odd ? 1 : 0,
    ]),
  );
}

const RECOUNT = `UPDATE mf_metric_tiles SET n = (SELECT count(*) FROM metrics
    WHERE run_uuid = ? AND key = ? AND step >= ? AND step < ?)
  WHERE run_uuid = ? AND key = ? AND tile = ?`;

function merge(tile: Tile, point: Point): void {
  tile.n++;
  if (before(point, tile.first)) tile.first = point;
  if (!before(point, tile.last)) tile.last = point;
  if (point[2] < tile.min[2]) tile.min = point;
  if (point[2] > tile.max[2]) tile.max = point;
  tile.odd ||= isOdd(point);
}

/** The order of the history index: step, then timestamp, then value. */
function before(a: Point, b: Point): boolean {
  if (a[0] !== b[0]) return a[0] < b[0];
  if (a[1] !== b[1]) return a[1] < b[1];
  return a[2] < b[2];
}

function isOdd(point: Point): boolean {
  return point[3] === 1 || Math.abs(point[2]) >= DBL_MAX;
}

/** A history as its tiles' points: enough to draw it, with the count of all its points. */
export interface TiledHistory {
  /** The tiles' first, lowest, highest and last points, in history order. */
  series: MetricSeries;
  /** Points in the whole history. */
  total: number;
}

/**
 * The history of `key` for `runId` from its tiles, or undefined when they cannot stand for it:
 * a run logged before tiles existed, no points, or an odd tile.
 */
export function readTiledHistory(
  db: Database,
  runId: string,
  key: string,
): TiledHistory | undefined {
  if (!hasTiles(db, runId, key)) return undefined;
  const rows = db.all<Record<string, number>>(
    `SELECT n, odd, first_step, first_ts, first_value, last_step, last_ts, last_value,
       min_step, min_ts, min_value, max_step, max_ts, max_value
     FROM mf_metric_tiles WHERE run_uuid = ? AND key = ? ORDER BY tile`,
    [runId, key],
  );
  if (rows.length === 0 || rows.some((row) => row.odd)) return undefined;

  const series = new MetricSeries();
  let total = 0;
  for (const row of rows) {
    total += row.n;
    const points = (['first', 'min', 'max', 'last'] as const).map((at): Point => [
      row[`${at}_step`],
      row[`${at}_ts`],
      row[`${at}_value`],
      0,
    ]);
    points.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    let previous: Point | undefined;
    for (const point of points) {
      if (!previous || before(previous, point)) series.push(point[0], point[1], point[2]);
      previous = point;
    }
  }
  return { series, total };
}

/** The number of points of `key` for `runId` its tiles count (0 without tiles). */
export function tiledTotal(db: Database, runId: string, key: string): number {
  return (
    db.get<{ total: number | null }>(
      'SELECT sum(n) AS total FROM mf_metric_tiles WHERE run_uuid = ? AND key = ?',
      [runId, key],
    )?.total ?? 0
  );
}

/** Whether the history's tiles are complete: its run came after tiles, or they were rebuilt. */
export function hasTiles(db: Database, runId: string, key: string): boolean {
  if (runHasTiles(db, runId)) return true;
  const rebuilt = db.get('SELECT 1 FROM mf_tiled_histories WHERE run_uuid = ? AND key = ?', [
    runId,
    key,
  ]);
  return rebuilt !== undefined;
}

function runHasTiles(db: Database, runId: string): boolean {
  const from = Number(
    db.get<{ value: string }>('SELECT value FROM mf_meta WHERE key = ?', [TILES_FROM_RUN])?.value ??
      Infinity,
  );
  const run = db.get<{ id: number }>('SELECT rowid AS id FROM runs WHERE run_uuid = ?', [runId]);
  return run !== undefined && run.id > from;
}
