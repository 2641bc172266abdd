import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoreChange } from '../../../src/core/store/store';
import { rejectsWith } from '../../helpers/assertions';
import { againstVersion, checkInput, storeWithModel } from './driftCheckInputs';

test('a model version that does not exist, or was deleted, is RESOURCE_DOES_NOT_EXIST and nothing is written', async (t) => {
  const { store, dispose } = await storeWithModel();
  t.after(dispose);
  const changes: StoreChange[] = [];
  store.onChange((change) => changes.push(change));
  const journalBytes = store.db.journalBytes;

  rejectsWith(
    () => store.saveDriftCheck(againstVersion('2')),
    'RESOURCE_DOES_NOT_EXIST',
    /version=2/,
  );
  rejectsWith(
    () => store.saveDriftCheck(againstVersion('9')),
    'RESOURCE_DOES_NOT_EXIST',
    /version=9/,
  );
  const missingModel = againstVersion('1');
  missingModel.reference.modelName = 'nobody';
  rejectsWith(() => store.saveDriftCheck(missingModel), 'RESOURCE_DOES_NOT_EXIST', /nobody/);

  assert.deepEqual(store.listDriftChecks(), []);
  assert.deepEqual(store.db.all('SELECT * FROM mf_drift_columns'), []);
  assert.equal(store.db.journalBytes, journalBytes);
  assert.deepEqual(changes, []);
});

/** Each case breaks one field of a good input; the error must name that field. */
const badInputs: Array<[string, (input: any) => void, RegExp]> = [
  ['an empty reference path', (i) => (i.reference.path = ''), /reference\.path/],
  ['a current path that is not a string', (i) => (i.current.path = 42), /current\.path/],
  ['a short digest', (i) => (i.reference.digest = 'abc'), /reference\.digest/],
  [
    'a digest with a non-hex character',
    (i) => (i.current.digest = `${'a'.repeat(63)}g`),
    /current\.digest/,
  ],
  ['an unknown reference kind', (i) => (i.reference.kind = 'url'), /reference\.kind/],
  [
    'a model on a file reference',
    (i) => (i.reference.modelName = 'houses'),
    /reference\.modelName/,
  ],
  [
    'a model version reference without a version',
    (i) => Object.assign(i.reference, { kind: 'model_version', modelName: 'houses' }),
    /reference\.modelVersion/,
  ],
  [
    'a model version reference without a name',
    (i) => Object.assign(i.reference, { kind: 'model_version', modelVersion: '1' }),
    /reference\.modelName/,
  ],
  [
    'a model version of 0',
    (i) =>
      Object.assign(i.reference, { kind: 'model_version', modelName: 'houses', modelVersion: 0 }),
    /version/,
  ],
  ['a share above 1', (i) => (i.summary.share = 1.5), /summary\.share/],
  ['a negative share', (i) => (i.summary.share = -0.1), /summary\.share/],
  ['a NaN share', (i) => (i.summary.share = NaN), /summary\.share NaN/],
  ['a fractional count', (i) => (i.summary.drifted = 1.5), /summary\.drifted/],
  ['a negative total', (i) => (i.summary.total = -1), /summary\.total/],
  ['more drifted columns than columns', (i) => (i.summary.drifted = 3), /summary\.drifted \(3\)/],
  ['a drift verdict that is not a boolean', (i) => (i.summary.drift = 1), /summary\.drift/],
  ['a missing summary', (i) => delete i.summary, /summary must be an object/],
  ['a report that is an array', (i) => (i.report = []), /report must be an object/],
  [
    'a report that cannot be JSON',
    (i) => (i.report = { size: 1n }),
    /report cannot be written as JSON/,
  ],
  ['options that are a string', (i) => (i.options = 'fast'), /options must be an object/],
  ['columns that are not an array', (i) => (i.columns = {}), /columns must be an array/],
  ['a column without a name', (i) => (i.columns[1].column = ''), /columns\[1\]\.column/],
  [
    'a column listed twice',
    (i) => (i.columns[2].column = 'price'),
    /columns\[2\]\.column 'price' is listed twice/,
  ],
  ['a column without a kind', (i) => delete i.columns[0].kind, /columns\[0\]\.kind/],
  ['a p-value above 1', (i) => (i.columns[0].pValue = 1.2), /columns\[0\]\.pValue/],
  [
    'an infinite statistic',
    (i) => (i.columns[0].statistic = Infinity),
    /columns\[0\]\.statistic Infinity/,
  ],
  [
    'a threshold that is a string',
    (i) => (i.columns[1].threshold = '0.1'),
    /columns\[1\]\.threshold/,
  ],
  [
    'a column drift that is not a boolean',
    (i) => (i.columns[0].drift = 'yes'),
    /columns\[0\]\.drift/,
  ],
  ['a creation time that is not whole', (i) => (i.createdTime = 1.5), /createdTime/],
  ['a negative creation time', (i) => (i.createdTime = -5), /createdTime/],
];

test('bad input is INVALID_PARAMETER_VALUE naming the field, and writes nothing', async (t) => {
  const { store, dispose } = await storeWithModel();
  t.after(dispose);
  const changes: StoreChange[] = [];
  store.onChange((change) => changes.push(change));
  const journalBytes = store.db.journalBytes;

  for (const [name, breakIt, message] of badInputs) {
    const input = checkInput() as any;
    breakIt(input);
    assert.throws(
      () => store.saveDriftCheck(input),
      (error: any) => error.code === 'INVALID_PARAMETER_VALUE' && message.test(error.message),
      `${name}: expected INVALID_PARAMETER_VALUE matching ${message}`,
    );
  }

  assert.deepEqual(store.listDriftChecks(), []);
  assert.equal(store.db.journalBytes, journalBytes);
  assert.deepEqual(changes, []);
});
