import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesPoints } from '../../../src/vscode/panels/series';
import { openTempStore } from '../../helpers/tempStore';

async function storeWithRun() {
  const temp = await openTempStore();
  const { runId } = temp.store.createRun({ experimentId: '0', startTime: 1_000_000 }).info;
  return { ...temp, runId };
}

test('a metric series reads in step order with NaN and infinities decoded', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  store.logBatch(runId, {
    metrics: [
      { key: 'loss', value: 3, timestamp: 1_000_300, step: 2 },
      { key: 'loss', value: 1, timestamp: 1_000_100, step: 0 },
      { key: 'loss', value: NaN, timestamp: 1_000_200, step: 1 },
      { key: 'loss', value: Infinity, timestamp: 1_000_400, step: 3 },
      { key: 'acc', value: 0.5, timestamp: 1_000_100, step: 0 },
    ],
  });

  const series = store.readMetricSeries(runId, 'loss');

  assert.equal(series.length, 4);
  assert.deepEqual([...series.steps.subarray(0, 4)], [0, 1, 2, 3]);
  assert.deepEqual([...series.values.subarray(0, 4)], [1, NaN, 3, Infinity]);
  assert.equal(store.readMetricSeries(runId, 'missing').length, 0);
});

test('appending reads only what was logged since, and refuses a point logged out of order', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  store.logMetric(runId, { key: 'loss', value: 1, timestamp: 1, step: 0 });
  const series = store.readMetricSeries(runId, 'loss');

  store.logMetric(runId, { key: 'loss', value: 2, timestamp: 2, step: 1 });
  store.logMetric(runId, { key: 'other', value: 9, timestamp: 2, step: 5 });
  const appended = store.appendMetricSeries(runId, 'loss', series);
  store.logMetric(runId, { key: 'loss', value: 0.5, timestamp: 3, step: 0 });
  const late = store.appendMetricSeries(runId, 'loss', series);

  assert.equal(appended, true);
  assert.equal(late, false, 'a step before the last one means the series must be read again');
  assert.equal(series.length, 2);
  assert.deepEqual([...series.values.subarray(0, 2)], [1, 2]);
  assert.equal(store.readMetricSeries(runId, 'loss').length, 3);
});

test('a series read before other runs logged still appends its own later points, once', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  const other = store.createRun({ experimentId: '0' }).info.runId;
  store.logMetric(runId, { key: 'loss', value: 1, timestamp: 1, step: 0 });
  store.logMetric(other, { key: 'loss', value: 7, timestamp: 1, step: 0 });
  const series = store.readMetricSeries(runId, 'loss');

  store.logMetric(other, { key: 'loss', value: 8, timestamp: 2, step: 1 });
  store.logMetric(runId, { key: 'loss', value: 2, timestamp: 2, step: 1 });
  store.appendMetricSeries(runId, 'loss', series);
  store.appendMetricSeries(runId, 'loss', series);

  assert.deepEqual([...series.values.subarray(0, series.length)], [1, 2]);
});

test('a history is read from the index alone, without a lookup in the table per point', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);

  const plan = store.db.all(
    `EXPLAIN QUERY PLAN SELECT step, timestamp, IIF(is_nan, NULL, value) FROM metrics
     WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, value`,
    [runId, 'loss'],
  );

  assert.deepEqual(
    plan.map((row) => row.detail),
    ['SEARCH metrics USING COVERING INDEX mf_index_metrics_history (run_uuid=? AND key=?)'],
  );
});

test('a long series is thinned to the chart width, and NaN travels as null', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  const metrics = Array.from({ length: 20_000 }, (_, i) => ({
    key: 'loss',
    value: i === 5000 ? NaN : Math.cos(i / 100),
    timestamp: 1_000_000 + i * 10,
    step: i,
  }));
  for (let i = 0; i < metrics.length; i += 1000) {
    store.logBatch(runId, { metrics: metrics.slice(i, i + 1000) });
  }
  const series = store.readMetricSeries(runId, 'loss');

  const points = seriesPoints(runId, series, { x: 'step', width: 500 }, 1_000_000);
  const zoomed = seriesPoints(
    runId,
    series,
    { x: 'step', width: 500, range: { min: 100, max: 300 } },
    0,
  );

  assert.ok(points.x.length >= 500 && points.x.length <= 1002);
  assert.equal(points.total, 20_000);
  assert.deepEqual(points.extent, { min: 0, max: 19_999 });
  assert.ok(points.y.includes(null), 'the NaN is a gap');
  assert.equal(zoomed.total, 203, 'steps 100 to 300 and one beyond each edge');
  assert.equal(zoomed.x.length, 203, 'a zoomed range that fits is sent whole');
  assert.equal(zoomed.x[0], 99);
});

test('wall time is the timestamp and relative time counts from the run start', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  store.logMetric(runId, { key: 'loss', value: 1, timestamp: 1_000_500, step: 0 });
  store.logMetric(runId, { key: 'loss', value: 2, timestamp: 1_000_250, step: 1 });
  const series = store.readMetricSeries(runId, 'loss');

  const wall = seriesPoints(runId, series, { x: 'time', width: 100 }, 1_000_000);
  const relative = seriesPoints(runId, series, { x: 'relative', width: 100 }, 1_000_000);

  assert.deepEqual(wall.x, [1_000_250, 1_000_500], 'sorted by time when steps are not');
  assert.deepEqual(wall.y, [2, 1]);
  assert.deepEqual(relative.x, [250, 500]);
});
