import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore } from '../../../src/core/store/store';
import { SeriesSource } from '../../../src/vscode/panels/seriesSource';
import { openTempStore } from '../../helpers/tempStore';

async function storeWithRun() {
  const temp = await openTempStore();
  const { runId } = temp.store.createRun({ experimentId: '0', startTime: 1_000 }).info;
  return { ...temp, runId };
}

/** The real store, counting the whole reads of a history the source asks for. */
function countingStore(store: RunStore) {
  const counts = { wholeReads: 0 };
  const counting = Object.create(store) as RunStore;
  counting.readMetricSeries = (runId, key) => {
    counts.wholeReads++;
    return store.readMetricSeries(runId, key);
  };
  return { counting, counts };
}

const request = (runId: string, key: string) => ({
  type: 'series' as const,
  requestId: 1,
  runIds: [runId],
  key,
  width: 100,
  x: 'step' as const,
});

/** 120,000 points, a spike of -50 at step 77,777. */
function logLong(store: RunStore, runId: string) {
  for (let from = 0; from < 120_000; from += 1000) {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({
      key: 'loss',
      value: from + i === 77_777 ? -50 : Math.sin((from + i) / 500),
      timestamp: 1_000 + from + i,
      step: from + i,
    }));
    store.logBatch(runId, { metrics });
  }
}

test('a long history is drawn from its tiles, and read whole only for a zoom', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  logLong(store, runId);
  const { counting, counts } = countingStore(store);
  const source = new SeriesSource(() => counting);

  const [whole] = source.points(request(runId, 'loss'));
  const readsBeforeZoom = counts.wholeReads;
  const [zoomed] = source.points({ ...request(runId, 'loss'), range: { min: 1000, max: 2000 } });
  store.logMetric(runId, { key: 'loss', value: 0, timestamp: 999_999, step: 120_000 });

  assert.equal(readsBeforeZoom, 0, 'the first chart read no history');
  assert.equal(whole.total, 120_000);
  assert.equal(whole.x.length, 100);
  assert.deepEqual(whole.extent, { min: 0, max: 119_999 });
  assert.ok(whole.y.includes(-50), 'the spike at step 77,777 is kept');
  assert.equal(counts.wholeReads, 1, 'the zoom read the history');
  assert.equal(zoomed.total, 1003, 'steps 1,000 to 2,000 and one point on either side');
  assert.deepEqual(source.refresh(runId), ['loss']);
});

test('a history by wall time is read whole once, then appended to, with a NaN as a gap', async (t) => {
  const { store, runId, dispose } = await storeWithRun();
  t.after(dispose);
  logLong(store, runId);
  const { counting, counts } = countingStore(store);
  const source = new SeriesSource(() => counting);

  const [byTime] = source.points({ ...request(runId, 'loss'), x: 'time' });
  store.logMetric(runId, { key: 'loss', value: NaN, timestamp: 5, step: 120_000 });
  source.refresh(runId);
  const [withGap] = source.points(request(runId, 'loss'));

  assert.equal(byTime.total, 120_000);
  assert.equal(withGap.total, 120_001);
  assert.equal(withGap.y.at(-1), null, 'the NaN is a gap');
  assert.equal(counts.wholeReads, 1, 'read once, then appended to');
});
