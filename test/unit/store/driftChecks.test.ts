import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunStore, StoreChange } from '../../../src/core/store/store';
import { rejectsWith } from '../../helpers/assertions';
import { openTempStore } from '../../helpers/tempStore';
import {
  againstVersion,
  checkInput,
  columnRows,
  CURRENT_DIGEST,
  REFERENCE_DIGEST,
  storeWithModel,
} from './driftCheckInputs';

test('a saved check reads back whole: summary, options, report and columns in order', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const input = checkInput({ createdTime: 1_700_000_000_123 });

  const saved = store.saveDriftCheck(input);
  const read = store.getDriftCheck(saved.checkId);

  assert.match(saved.checkId, /^[0-9a-f]{32}$/);
  assert.deepEqual(read, saved);
  assert.equal(read.createdTime, 1_700_000_000_123);
  assert.deepEqual(read.reference, {
    path: '/data/train.csv',
    digest: REFERENCE_DIGEST,
    kind: 'file',
  });
  assert.deepEqual(read.current, { path: '/data/new.csv', digest: CURRENT_DIGEST });
  assert.deepEqual([read.drift, read.drifted, read.total, read.share], [false, 1, 2, 0.5]);
  assert.equal(read.runId, undefined);
  assert.deepEqual(read.options, { driftShare: 0.5, seed: 7 });
  assert.deepEqual(read.report, input.report);
  assert.deepEqual(read.columns, input.columns);
});

test('the per-column rows can be queried in SQL without parsing the report', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const { checkId } = store.saveDriftCheck(checkInput());

  const rows = store.db.all(
    `SELECT column_name, kind, test, statistic, p_value, threshold, drift
     FROM mf_drift_columns WHERE check_id = ? ORDER BY column_name`,
    [checkId],
  );
  assert.deepEqual(rows, [
    {
      column_name: 'city',
      kind: 'categorical',
      test: 'jensenshannon',
      statistic: 0.02,
      p_value: null,
      threshold: 0.1,
      drift: 0,
    },
    {
      column_name: 'comment',
      kind: 'text',
      test: null,
      statistic: null,
      p_value: null,
      threshold: null,
      drift: 0,
    },
    {
      column_name: 'price',
      kind: 'numerical',
      test: 'ks',
      statistic: 0.31,
      p_value: 0.0004,
      threshold: 0.05,
      drift: 1,
    },
  ]);
});

test('digests are kept in lowercase, and the creation time defaults to now', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const before = Date.now();

  const saved = store.saveDriftCheck(
    checkInput({ current: { path: '/data/new.csv', digest: CURRENT_DIGEST.toUpperCase() } }),
  );

  assert.equal(saved.current.digest, CURRENT_DIGEST);
  assert.ok(saved.createdTime >= before && saved.createdTime <= Date.now());
});

test('a check against a model version is listed on that version, the latest first', async (t) => {
  const { store, dispose } = await storeWithModel();
  t.after(dispose);
  assert.equal(store.latestDriftCheckForVersion('houses', '1'), undefined);

  const older = store.saveDriftCheck(againstVersion('1', 1000));
  const newer = store.saveDriftCheck(againstVersion(1, 2000));

  assert.deepEqual(older.reference, {
    path: '/data/train.csv',
    digest: REFERENCE_DIGEST,
    kind: 'model_version',
    modelName: 'houses',
    modelVersion: '1',
  });
  assert.equal(store.latestDriftCheckForVersion('houses', 1)?.checkId, newer.checkId);
  assert.equal(store.latestDriftCheckForVersion('houses', '3'), undefined);
  assert.equal(store.latestDriftCheckForVersion('other', '1'), undefined);
  rejectsWith(
    () => store.latestDriftCheckForVersion('', '1'),
    'INVALID_PARAMETER_VALUE',
    /modelName/,
  );
  rejectsWith(() => store.latestDriftCheckForVersion('houses', 'x'), 'INVALID_PARAMETER_VALUE');
});

test('a check is looked up by a well-formed id, and an unknown one does not exist', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  rejectsWith(() => store.getDriftCheck('f'.repeat(32)), 'RESOURCE_DOES_NOT_EXIST', /Drift check/);
  rejectsWith(() => store.getDriftCheck('not-an-id'), 'INVALID_PARAMETER_VALUE', /checkId/);
  rejectsWith(() => store.getDriftCheck(undefined), 'INVALID_PARAMETER_VALUE', /checkId/);
});

test('lists are newest first, filter by file and model version, and carry no report', async (t) => {
  const { store, dispose } = await storeWithModel();
  t.after(dispose);
  store.createModelVersion({ name: 'houses', source: 's3' });
  const onFile = (current: string, createdTime: number) =>
    store.saveDriftCheck(
      checkInput({ current: { path: current, digest: CURRENT_DIGEST }, createdTime }),
    ).checkId;
  const a = onFile('/data/a.csv', 3000);
  const b = onFile('/data/b.csv', 1000);
  const c = onFile('/data/a.csv', 2000);
  const v1 = store.saveDriftCheck(againstVersion('1', 500)).checkId;
  const v3 = store.saveDriftCheck(againstVersion('3', 4000)).checkId;
  const ids = (filter?: Parameters<RunStore['listDriftChecks']>[0]) =>
    store.listDriftChecks(filter).map((check) => check.checkId);

  assert.deepEqual(ids(), [v3, a, c, b, v1]);
  assert.deepEqual(ids({ currentPath: '/data/a.csv' }), [a, c]);
  assert.deepEqual(ids({ currentPath: '/data/none.csv' }), []);
  assert.deepEqual(ids({ modelName: 'houses' }), [v3, v1]);
  assert.deepEqual(ids({ modelName: 'houses', modelVersion: '1' }), [v1]);
  assert.deepEqual(ids({ modelName: 'houses', modelVersion: 3, currentPath: '/data/new.csv' }), [
    v3,
  ]);
  assert.deepEqual(ids({ maxResults: 2 }), [v3, a]);
  const [summary] = store.listDriftChecks({ currentPath: '/data/b.csv' });
  assert.deepEqual(Object.keys(summary).sort(), [
    'checkId',
    'createdTime',
    'current',
    'drift',
    'drifted',
    'reference',
    'share',
    'total',
  ]);
});

test('checks made in the same millisecond list the one saved last first', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const saved = [1, 2, 3, 4].map(
    () => store.saveDriftCheck(checkInput({ createdTime: 5000 })).checkId,
  );

  assert.deepEqual(
    store.listDriftChecks().map((check) => check.checkId),
    saved.reverse(),
  );
});

test('list limits and filters are checked', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  for (let i = 0; i < 101; i++) store.saveDriftCheck(checkInput({ createdTime: i }));

  assert.equal(store.listDriftChecks().length, 100);
  assert.equal(store.listDriftChecks({ maxResults: 1000 }).length, 101);
  rejectsWith(
    () => store.listDriftChecks({ maxResults: 0 }),
    'INVALID_PARAMETER_VALUE',
    /max_results/,
  );
  rejectsWith(
    () => store.listDriftChecks({ maxResults: 1001 }),
    'INVALID_PARAMETER_VALUE',
    /max_results/,
  );
  rejectsWith(
    () => store.listDriftChecks({ modelVersion: '1' }),
    'INVALID_PARAMETER_VALUE',
    /modelName/,
  );
  rejectsWith(
    () => store.listDriftChecks({ currentPath: '' }),
    'INVALID_PARAMETER_VALUE',
    /currentPath/,
  );
});

test('a retrain run is linked to a check; the run must exist and be active', async (t) => {
  const { store, dispose, runId } = await storeWithModel();
  t.after(dispose);
  const { checkId } = store.saveDriftCheck(checkInput());
  const deletedRun = store.createRun({ experimentId: '0' }).info.runId;
  store.deleteRun(deletedRun);

  store.linkDriftCheckRun(checkId, runId);

  assert.equal(store.getDriftCheck(checkId).runId, runId);
  assert.equal(store.listDriftChecks()[0].runId, runId);
  rejectsWith(
    () => store.linkDriftCheckRun(checkId, 'e'.repeat(32)),
    'RESOURCE_DOES_NOT_EXIST',
    /Run/,
  );
  rejectsWith(() => store.linkDriftCheckRun(checkId, 'run-1'), 'INVALID_PARAMETER_VALUE', /run id/);
  rejectsWith(
    () => store.linkDriftCheckRun(checkId, deletedRun),
    'INVALID_PARAMETER_VALUE',
    /active/,
  );
  rejectsWith(
    () => store.linkDriftCheckRun('d'.repeat(32), runId),
    'RESOURCE_DOES_NOT_EXIST',
    /Drift check/,
  );
  assert.equal(store.getDriftCheck(checkId).runId, runId);
});

test('deleting a check removes its columns with it, and only its own', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const kept = store.saveDriftCheck(checkInput()).checkId;
  const deleted = store.saveDriftCheck(checkInput()).checkId;

  store.deleteDriftCheck(deleted);

  rejectsWith(() => store.getDriftCheck(deleted), 'RESOURCE_DOES_NOT_EXIST');
  rejectsWith(() => store.deleteDriftCheck(deleted), 'RESOURCE_DOES_NOT_EXIST');
  assert.deepEqual(columnRows(store, deleted), []);
  assert.equal(columnRows(store, kept).length, 3);
  assert.deepEqual(
    store.listDriftChecks().map((check) => check.checkId),
    [kept],
  );
});

test('columns cascade with their check even when the check is deleted by plain SQL', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const { checkId } = store.saveDriftCheck(checkInput());

  store.db.write((tx) => tx.run('DELETE FROM mf_drift_checks WHERE check_id = ?', [checkId]));

  assert.deepEqual(columnRows(store, checkId), []);
});

test('saving, linking and deleting announce a drift change with the file and the model', async (t) => {
  const { store, dispose, runId } = await storeWithModel();
  t.after(dispose);
  const changes: StoreChange[] = [];
  store.onChange((change) => changes.push(change));

  const onFile = store.saveDriftCheck(checkInput()).checkId;
  const onVersion = store.saveDriftCheck(againstVersion('1')).checkId;
  store.linkDriftCheckRun(onVersion, runId);
  store.deleteDriftCheck(onVersion);
  store.getDriftCheck(onFile);
  store.listDriftChecks();

  const onVersionChange = {
    kind: 'drift',
    checkId: onVersion,
    path: '/data/new.csv',
    name: 'houses',
    version: '1',
  };
  assert.deepEqual(changes, [
    { kind: 'drift', checkId: onFile, path: '/data/new.csv' },
    onVersionChange,
    onVersionChange,
    onVersionChange,
  ]);
});
