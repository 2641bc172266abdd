import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countDistinctCodes, countDistinctNumbers, inferKind } from '../../../src/core/data/infer';
import type { NumericColumn, StringColumn } from '../../../src/core/data/types';

const numeric = (values: number[], integer: boolean): NumericColumn => ({
  type: 'number',
  name: 'x',
  values: Float64Array.from(values),
  integer,
});

const strings = (values: (string | null)[], boolean?: boolean): StringColumn => {
  const dictionary = [...new Set(values.filter((value) => value !== null))] as string[];
  const codes = Int32Array.from(values, (value) =>
    value === null ? -1 : dictionary.indexOf(value),
  );
  return { type: 'string', name: 's', codes, dictionary, ...(boolean ? { boolean } : {}) };
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

test('a float column is numerical, however few its distinct values', () => {
  assert.equal(inferKind(numeric([1, 2, 1, 2], false)), 'numerical');
  assert.equal(inferKind(numeric([0.5, NaN], false)), 'numerical');
});

test('an integer column is categorical at 10 distinct values or fewer, numerical above', () => {
  const ten = range(100).map((i) => i % 10);
  const eleven = range(100).map((i) => i % 11);

  assert.equal(inferKind(numeric(ten, true)), 'categorical');
  assert.equal(inferKind(numeric(eleven, true)), 'numerical');
  assert.equal(inferKind(numeric([7], true)), 'categorical');
});

test('a string column is text when distinct values are more than half the values present', () => {
  const half = strings(['a', 'b', 'c', 'a', 'b', 'c']);
  const overHalf = strings(['a', 'b', 'c', 'd', 'a', 'b', null, null, null]);
  const allDistinct = strings(['why', 'is', 'this', 'slow']);

  assert.equal(inferKind(half), 'categorical', '3 distinct of 6 is not more than half');
  assert.equal(inferKind(overHalf), 'text', '4 distinct of 6 present; gaps do not count');
  assert.equal(inferKind(allDistinct), 'text');
});

test('a boolean column is categorical even when it is short', () => {
  assert.equal(inferKind(strings(['true', 'false'], true)), 'categorical');
  assert.equal(inferKind(strings(['true', 'false'])), 'text');
});

test('an empty or all-missing column gets a defined kind', () => {
  assert.equal(inferKind(numeric([], false)), 'numerical');
  assert.equal(inferKind(numeric([NaN, NaN], false)), 'numerical');
  assert.equal(inferKind(strings([null, null])), 'categorical');
  assert.equal(inferKind(strings([])), 'categorical');
});

test('distinct numbers leave out NaN, count -0 and 0 once, and count infinities', () => {
  const values = Float64Array.from([0, -0, NaN, Infinity, -Infinity, 1, 1, NaN]);

  assert.equal(countDistinctNumbers(values), 4);
  assert.equal(countDistinctNumbers(values, 10), 4);
  assert.equal(countDistinctNumbers(values, 100), 4);
});

test('counting distinct numbers with a limit stops past it', () => {
  const values = Float64Array.from(range(1000));

  assert.equal(countDistinctNumbers(values, 10), 11);
  assert.equal(countDistinctNumbers(values, 500), 501);
  assert.equal(countDistinctNumbers(values), 1000);
});

test('distinct codes count only values some row uses, and present counts rows with a value', () => {
  const column: StringColumn = {
    type: 'string',
    name: 's',
    codes: Int32Array.from([2, -1, 2, 0, -1]),
    dictionary: ['a', 'unused', 'c'],
  };

  assert.deepEqual(countDistinctCodes(column), { distinct: 2, present: 3 });
});
