import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { MetricSeries } from '../../../src/core/store/series';
import { RunStore } from '../../../src/core/store/store';
import { openTempStore, tempDir } from '../../helpers/tempStore';

type Point = [step: number, timestamp: number, value: number];

/** What the tiles must hold, worked out from every point: per 1,024 steps, first, min, max, last. */
function expectedPoints(whole: MetricSeries): Point[] {
  const tiles = new Map<number, Point[]>();
  for (let i = 0; i < whole.length; i++) {
    const point: Point = [whole.steps[i], whole.timestamps[i], whole.values[i]];
    const tile = Math.floor(point[0] / 1024);
    tiles.set(tile, [...(tiles.get(tile) ?? []), point]);
  }
  const points: Point[] = [];
  for (const tile of [...tiles.keys()].sort((a, b) => a - b)) {
    const inTile = tiles.get(tile)!; // in history order already
    const byValue = [...inTile].sort((a, b) => a[2] - b[2]);
    const chosen = new Set([inTile[0], byValue[0], byValue[byValue.length - 1], inTile.at(-1)!]);
    points.push(...inHistoryOrder([...chosen]));
  }
  return points;
}

function inHistoryOrder(points: Point[]): Point[] {
  return points.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

function pointsOf(series: MetricSeries): Point[] {
  return Array.from({ length: series.length }, (_, i) => [
    series.steps[i],
    series.timestamps[i],
    series.values[i],
  ]);
}

/** A seeded wiggle with spikes, logged in batches whose steps arrive out of order. */
function logShuffled(store: RunStore, runId: string, key: string, count: number) {
  const metrics = Array.from({ length: count }, (_, step) => ({
    key,
    value: Math.sin(step / 37) + (step % 997 === 0 ? 5 : 0) - (step % 1499 === 0 ? 4 : 0),
    timestamp: 1_000_000 + ((step * 7919) % count),
    step,
  }));
  for (let i = metrics.length - 1; i > 0; i--) {
    const j = (i * 48271) % (i + 1);
    [metrics[i], metrics[j]] = [metrics[j], metrics[i]];
  }
  for (let start = 0; start < count; start += 1000) {
    store.logBatch(runId, { metrics: metrics.slice(start, start + 1000) });
  }
}

test("a history's tiles hold each tile's first, lowest, highest and last points, and the count", async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  logShuffled(store, runId, 'loss', 10_000);
  // Points at one step with several timestamps and values, across batches.
  for (const timestamp of [5, 1, 3]) {
    store.logBatch(runId, {
      metrics: [{ key: 'loss', value: timestamp, timestamp, step: 20_000 }],
    });
  }

  const tiled = store.readTiledHistory(runId, 'loss')!;
  const whole = store.readMetricSeries(runId, 'loss');

  assert.equal(tiled.total, 10_003);
  assert.equal(whole.length, 10_003);
  assert.deepEqual(pointsOf(tiled.series), expectedPoints(whole));
  // The tile of step 20,000: first and lowest at timestamp 1, last and highest at 5.
  assert.deepEqual(pointsOf(tiled.series).slice(-2), [
    [20_000, 1, 1],
    [20_000, 5, 5],
  ]);
});

test('a history with NaN or an infinity has no tiles to draw from; points sent twice count once', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { runId } = store.createRun({ experimentId: '0' }).info;
  const points = [0, 1, 2].map((step) => ({ key: 'again', value: step, timestamp: 1, step }));
  store.logBatch(runId, {
    metrics: [
      { key: 'gap', value: 1, timestamp: 1, step: 0 },
      { key: 'gap', value: NaN, timestamp: 1, step: 1 },
      { key: 'high', value: Infinity, timestamp: 1, step: 0 },
      ...points,
    ],
  });
  store.logBatch(runId, { metrics: points });

  assert.equal(store.readTiledHistory(runId, 'gap'), undefined);
  assert.equal(store.readTiledHistory(runId, 'high'), undefined);
  assert.equal(store.readTiledHistory(runId, 'missing'), undefined);
  assert.equal(store.readMetricSeries(runId, 'again').length, 3);
  const again = store.readTiledHistory(runId, 'again')!;
  assert.equal(again.total, 3);
  assert.deepEqual(pointsOf(again.series), [
    [0, 1, 0],
    [2, 1, 2],
  ]);
});

test('tiles are replayed from the journal with the points they summarise', async (t) => {
  const temp = tempDir();
  const first = await RunStore.open(temp.dir, { idleMs: 0 });
  const { runId } = first.createRun({ experimentId: '0' }).info;
  logShuffled(first, runId, 'loss', 3_000);
  const before = first.readTiledHistory(runId, 'loss');
  rmSync(path.join(temp.dir, 'store.lock')); // the process "died": no snapshot was written

  const second = await RunStore.open(temp.dir, { idleMs: 0 });
  t.after(() => second.close().finally(temp.remove));

  assert.ok(before);
  assert.deepEqual(second.readTiledHistory(runId, 'loss'), before);
});
