import type { MetricSeries } from '../../core/store/series';
import type { RunStore } from '../../core/store/store';
import type { SeriesRequest } from '../../protocol/panels';
import { seriesPoints } from './series';

/** Charts a panel shows before the user scrolls: the histories worth reading ahead. */
const CHARTS_ON_OPEN = 4;

/**
 * The host side of the panels' charts: answers the page's series requests from the store and
 * keeps each series it read while the panel is open. No `vscode` import.
 *
 * Series are read whole once (MetricSeries, typed arrays), so a zoom re-thins from memory and a
 * live run reads only the points logged since the last look.
 */
export class SeriesSource {
  private readonly cache = new Map<string, MetricSeries>();
  /** Reads ahead under way; each settles with the series it kept, or undefined if given up. */
  private readonly reading = new Map<string, Promise<MetricSeries | undefined>>();
  /** Bumped by forget(): a read ahead begun before then is given up rather than kept. */
  private generation = 0;

  constructor(private readonly store: () => RunStore) {}

  async points(request: SeriesRequest) {
    const answers = [];
    for (const runId of request.runIds) {
      const series = await this.series(runId, request.key);
      const startTime = this.store().getRun(runId).info.startTime;
      answers.push(seriesPoints(runId, series, request, startTime));
    }
    return answers;
  }

  /**
   * Reads the histories of the first charts while the page is still loading, a slice per turn of
   * the event loop so that the page's messages are answered in between. A webview takes a few
   * hundred milliseconds to load and announce itself, and a million-point history about as long
   * to read: done one after the other, the first chart waited for both. Returns a function that
   * stops it.
   */
  prefetch(runId: string, keys: string[]): () => void {
    let stopped = false;
    const generation = this.generation;
    const given = () => stopped || generation !== this.generation;
    const readAll = async () => {
      for (const key of keys.slice(0, CHARTS_ON_OPEN)) {
        const cacheKey = cacheKeyOf(runId, key);
        if (given()) return;
        if (this.cache.has(cacheKey) || this.reading.has(cacheKey)) continue;
        const reading = this.readInSlices(runId, key, given).then((series) => {
          this.reading.delete(cacheKey);
          if (series && !given()) this.cache.set(cacheKey, series);
          return this.cache.get(cacheKey);
        });
        this.reading.set(cacheKey, reading);
        await reading;
      }
    };
    void readAll();
    return () => (stopped = true);
  }

  /** Reads what was logged since; returns the keys of `runId` whose series grew. */
  refresh(runId: string): string[] {
    const store = this.store();
    const grown: string[] = [];
    for (const [cacheKey, series] of this.cache) {
      const [id, key] = splitKey(cacheKey);
      if (id !== runId) continue;
      const before = series.length;
      if (!store.appendMetricSeries(runId, key, series)) {
        this.cache.set(cacheKey, store.readMetricSeries(runId, key));
      }
      if (this.cache.get(cacheKey)!.length !== before) grown.push(key);
    }
    return grown;
  }

  forget(runId: string): void {
    this.generation++;
    for (const cacheKey of [...this.cache.keys()]) {
      if (splitKey(cacheKey)[0] === runId) this.cache.delete(cacheKey);
    }
  }

  /** The cached series, else the one being read ahead, else a read now. */
  private async series(runId: string, key: string): Promise<MetricSeries> {
    const cacheKey = cacheKeyOf(runId, key);
    const cached = this.cache.get(cacheKey) ?? (await this.reading.get(cacheKey));
    if (cached) return cached;
    const series = this.store().readMetricSeries(runId, key);
    this.cache.set(cacheKey, series);
    return series;
  }

  /**
   * One history, a slice per turn. The reader sees the table as it was when it began, so the
   * points logged meanwhile are appended at the end (or, logged out of order, read again).
   */
  private async readInSlices(runId: string, key: string, given: () => boolean) {
    await nextTurn();
    try {
      const store = this.store();
      const reader = store.metricSeriesReader(runId, key);
      while (!reader.next()) {
        await nextTurn();
        if (given()) return undefined;
      }
      if (store.appendMetricSeries(runId, key, reader.series)) return reader.series;
      return store.readMetricSeries(runId, key);
    } catch {
      return undefined; // the store closed or the run went: the page's own request reports it
    }
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function cacheKeyOf(runId: string, key: string): string {
  return `${runId}\n${key}`;
}

function splitKey(cacheKey: string): [string, string] {
  const at = cacheKey.indexOf('\n');
  return [cacheKey.slice(0, at), cacheKey.slice(at + 1)];
}
