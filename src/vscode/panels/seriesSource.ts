import type { MetricSeries } from '../../core/store/series';
import type { RunStore } from '../../core/store/store';
import type { TiledHistory } from '../../core/store/tiles';
import type { SeriesRequest } from '../../protocol/panels';
import { seriesPoints, type ChartRequest } from './series';

/** Histories from this length are drawn from their tiles until a zoom or another x axis. */
const FROM_TILES = 100_000;

/**
 * The host side of the panels' charts: answers the page's series requests from the store. No
 * `vscode` import.
 *
 * A long history is drawn from its tiles (a few thousand rows instead of a million). Any other
 * is read whole once (MetricSeries, typed arrays) and kept while the panel is open, so a zoom
 * re-thins from memory and a live run reads only the points logged since the last look.
 */
export class SeriesSource {
  private readonly cache = new Map<string, MetricSeries>();
  /** The point counts of the histories last drawn from their tiles, to see them grow. */
  private readonly tiledTotals = new Map<string, number>();

  constructor(private readonly store: () => RunStore) {}

  points(request: SeriesRequest) {
    const store = this.store();
    return request.runIds.map((runId) => {
      const startTime = store.getRun(runId).info.startTime;
      const tiled = this.tiled(store, runId, request.key, request);
      if (tiled) {
        return { ...seriesPoints(runId, tiled.series, request, startTime), total: tiled.total };
      }
      return seriesPoints(runId, this.series(store, runId, request.key), request, startTime);
    });
  }

  /** Reads what was logged since; returns the keys of `runId` whose series grew. */
  refresh(runId: string): string[] {
    const store = this.store();
    const grown = new Set<string>();
    for (const [cacheKey, total] of this.tiledTotals) {
      const [id, key] = splitKey(cacheKey);
      if (id === runId && store.tiledTotal(runId, key) !== total) grown.add(key);
    }
    for (const [cacheKey, series] of this.cache) {
      const [id, key] = splitKey(cacheKey);
      if (id !== runId) continue;
      const before = series.length;
      if (!store.appendMetricSeries(runId, key, series)) {
        this.cache.set(cacheKey, store.readMetricSeries(runId, key));
      }
      if (this.cache.get(cacheKey)!.length !== before) grown.add(key);
    }
    return [...grown];
  }

  forget(runId: string): void {
    for (const map of [this.cache, this.tiledTotals]) {
      for (const cacheKey of [...map.keys()]) {
        if (splitKey(cacheKey)[0] === runId) map.delete(cacheKey);
      }
    }
  }

  /**
   * A long history by its tiles (tiles.ts), for a chart by step of the whole history, when they
   * hold at least two points per pixel. A history already read whole is drawn from its points.
   */
  private tiled(
    store: RunStore,
    runId: string,
    key: string,
    request: ChartRequest,
  ): TiledHistory | undefined {
    const cacheKey = cacheKeyOf(runId, key);
    if (request.x !== 'step' || request.range || this.cache.has(cacheKey)) return undefined;
    const tiled = store.readTiledHistory(runId, key);
    if (!tiled || tiled.total < FROM_TILES || tiled.series.length < 2 * request.width) {
      return undefined;
    }
    this.tiledTotals.set(cacheKey, tiled.total);
    return tiled;
  }

  private series(store: RunStore, runId: string, key: string): MetricSeries {
    const cacheKey = cacheKeyOf(runId, key);
    let series = this.cache.get(cacheKey);
    if (!series) {
      series = store.readMetricSeries(runId, key);
      this.cache.set(cacheKey, series);
      // A long history of a run from before the tiles: the next panel draws it from them.
      if (series.length >= FROM_TILES && !store.hasTiles(runId, key))
        rebuild(store, runId, key, series);
    }
    return series;
  }
}

/** Tiles are a speed-up: when they cannot be written, the history is read whole next time too. */
function rebuild(store: RunStore, runId: string, key: string, series: MetricSeries): void {
  try {
    store.rebuildTiles(runId, key, series);
  } catch {
    // Nothing is lost: the tiles stay as they were, and say they are incomplete.
  }
}

function cacheKeyOf(runId: string, key: string): string {
  return `${runId}\n${key}`;
}

function splitKey(cacheKey: string): [string, string] {
  const at = cacheKey.indexOf('\n');
  return [cacheKey.slice(0, at), cacheKey.slice(at + 1)];
}
