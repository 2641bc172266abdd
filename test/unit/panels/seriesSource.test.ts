import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SeriesReader } from '../../../src/core/store/series';
import type { RunStore } from '../../../src/core/store/store';
import { SeriesSource } from '../../../src/vscode/panels/seriesSource';
import { openTempStore } from '../../helpers/tempStore';

async function storeWithRun() {
  const temp = await openTempStore();
  const { runId } = temp.store.createRun({ experimentId: '0', startTime: 1_000 }).info;
  return { ...temp, runId };
}

function logSteps(store: RunStore, runId: string, key: string, from: number, to: number) {
  const metrics = [];
  for (let step = from; step < to; step++) {
    metrics.push({ key, value: step / 10, timestamp: 1_000 + step, step });
  }
  store.logBatch(runId, { metrics });
}

/**
 * The real store, with history readers that read `slice` points a turn instead of 100,000, and
 * a count of the whole reads the source asks for.
 */
function slicedStore(store: RunStore, slice: number) {
  const counts = { wholeReads: 0 };
  const sliced = Object.create(store) as RunStore;
  sliced.metricSeriesReader = (runId, key) => new SeriesReader(store.db, runId, key, slice);
  sliced.readMetricSeries = (runId, key) => {
    counts.wholeReads++;
    return store.readMetricSeries(runId, key);
  };
  return { sliced, counts };
}

const request = (runId: string, key: string) => ({
  type: 'series' as const,
  requestId: 1,
  runIds: [runId],
  key,
  width: 10_000,
  x: 'step' as const,
});

test('a history read in slices equals the one read whole, ties and NaN across the seams', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  const metrics = [];
  for (let i = 0; i < 50; i++) {
    // Several points share a step and a timestamp and differ in value only, NaN (stored as 0)
    // next to a true 0 among them, so slice boundaries fall between index-equal prefixes.
    const value = i % 7 === 0 ? NaN : i % 5 === 0 ? 0 : i % 11 === 0 ? -Infinity : i / 3;
    metrics.push({ key: 'loss', value, timestamp: 100 + Math.floor(i / 6), step: i % 4 });
  }
  store.logBatch(runId, { metrics });

  const whole = store.readMetricSeries(runId, 'loss');
  const reader = new SeriesReader(store.db, runId, 'loss', 3);
  let slices = 1;
  while (!reader.next()) slices++;

  assert.ok(slices > 10, `read in ${slices} slices`);
  assert.equal(reader.series.length, whole.length);
  assert.equal(reader.series.length, 50);
  for (const column of ['steps', 'timestamps', 'values'] as const) {
    assert.deepEqual(
      [...reader.series[column].subarray(0, 50)],
      [...whole[column].subarray(0, 50)],
      column,
    );
  }
});

test('the first charts are read ahead, and the page asking meanwhile waits for that read', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  logSteps(store, runId, 'loss', 0, 40);
  logSteps(store, runId, 'acc', 0, 5);
  const { sliced, counts } = slicedStore(store, 4);
  const source = new SeriesSource(() => sliced);

  source.prefetch(runId, ['loss', 'acc']);
  await nextTurn();
  const answer = await source.points(request(runId, 'loss'));

  assert.equal(counts.wholeReads, 0, 'no second read of a history being read ahead');
  assert.equal(answer[0].total, 40);
  assert.deepEqual(answer[0].x.slice(0, 3), [0, 1, 2]);
});

test('points logged while a history is read ahead are in the answer, once each', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  logSteps(store, runId, 'loss', 0, 20);
  const { sliced } = slicedStore(store, 4);
  const source = new SeriesSource(() => sliced);

  source.prefetch(runId, ['loss']);
  await nextTurn();
  await nextTurn();
  logSteps(store, runId, 'loss', 20, 25);
  const [points] = await source.points(request(runId, 'loss'));

  assert.deepEqual(
    points.x,
    Array.from({ length: 25 }, (_, step) => step),
  );
});

test('a read ahead stopped or overtaken by a store change is not kept', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  logSteps(store, runId, 'loss', 0, 30);
  const { sliced, counts } = slicedStore(store, 4);
  const source = new SeriesSource(() => sliced);

  source.prefetch(runId, ['loss']);
  await nextTurn();
  source.forget(runId);
  const [points] = await source.points(request(runId, 'loss'));
  const stop = source.prefetch(runId, ['other']);
  stop();

  assert.equal(counts.wholeReads, 1, 'the page read the history itself');
  assert.equal(points.total, 30);
});
