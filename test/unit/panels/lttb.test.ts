import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexRange, lttbIndexes } from '../../../src/core/charts/lttb';

function seeded(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) % 4294967296;
    return seed / 4294967296;
  };
}

function noisy(length: number, random = seeded(7)) {
  const x = Float64Array.from({ length }, (_, i) => i);
  const y = Float64Array.from({ length }, (_, i) => Math.sin(i / 500) + random() * 0.1);
  return { x, y };
}

test('a series no longer than the threshold comes back whole', () => {
  const series = noisy(300);

  assert.deepEqual(
    lttbIndexes(series, 300),
    Array.from({ length: 300 }, (_, i) => i),
  );
  assert.deepEqual(lttbIndexes(series, 1000).length, 300);
});

test('thinning keeps the first and last point and the global minimum and maximum', () => {
  const series = noisy(100_000);
  series.y[31_337] = -50;
  series.y[77_777] = 80;

  const kept = lttbIndexes(series, 800);

  assert.equal(kept[0], 0);
  assert.equal(kept[kept.length - 1], 99_999);
  assert.ok(kept.includes(31_337), 'the minimum is kept');
  assert.ok(kept.includes(77_777), 'the maximum is kept');
});

test('the thinned size is the threshold, give or take the extremes, and indexes ascend', () => {
  const series = noisy(1_000_000);

  const kept = lttbIndexes(series, 1000);

  assert.ok(kept.length >= 1000 && kept.length <= 1002, `kept ${kept.length}`);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i] > kept[i - 1]);
});

test('a bucket keeps the point that makes the largest triangle, not only the extremes', () => {
  // A flat line with two spikes in buckets apart; the lower spike is no extreme of the series,
  // so only the triangle rule keeps it.
  const length = 1002;
  const x = Float64Array.from({ length }, (_, i) => i);
  const y = new Float64Array(length);
  y[337] = 5;
  y[637] = 4;

  const kept = lttbIndexes({ x, y }, 12);

  assert.ok(kept.includes(637), 'the lower spike is kept');
  assert.ok(kept.includes(337));
  assert.equal(kept.length, 12);
});

test('non-finite values survive thinning as gaps, at most one per bucket', () => {
  const series = noisy(10_000);
  for (let i = 4000; i < 4500; i++) series.y[i] = NaN;
  series.y[9000] = Infinity;

  const kept = lttbIndexes(series, 100);
  const gaps = kept.filter((i) => !Number.isFinite(series.y[i]));

  assert.ok(
    gaps.some((i) => i >= 4000 && i < 4500),
    'the NaN run leaves a gap',
  );
  assert.ok(gaps.includes(9000), 'the infinity leaves a gap');
  assert.ok(kept.length <= 2 * 100 + 2, `kept ${kept.length}`);
});

test('a range of x gives the points inside it and one beyond each edge', () => {
  const x = Float64Array.from([0, 1, 2, 2, 3, 5, 8, 13]);

  assert.deepEqual(indexRange(x, 2, 5), { from: 1, to: 7 });
  assert.deepEqual(indexRange(x, -10, 100), { from: 0, to: 8 });
  assert.deepEqual(indexRange(x, 6, 7), { from: 5, to: 7 });
});
