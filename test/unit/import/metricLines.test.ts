import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MlflowError } from '../../../src/core/store/errors';
import { parseMetricLines } from '../../../src/core/tracking/import/files';

const parse = (text: string) =>
  parseMetricLines('loss', '/m/loss', text).map((p) => [p.timestamp, p.value, p.step]);

test('a metric line is "<timestamp> <value> <step>", and two fields mean step 0', () => {
  assert.deepEqual(parse('1700 0.5 3\n1800 0.25\n'), [
    [1700, 0.5, 3],
    [1800, 0.25, 0],
  ]);
});

test("values are Python's str(float): nan, inf, -inf, exponents and negative zero", () => {
  assert.deepEqual(parse('1 nan 0\n2 inf 1\n3 -inf 2\n4 1e-05 3\n5 -0.0 4\n6 1.5e+20 5\n'), [
    [1, NaN, 0],
    [2, Infinity, 1],
    [3, -Infinity, 2],
    [4, 1e-5, 3],
    [5, -0, 4],
    [6, 1.5e20, 5],
  ]);
});

test('blank lines and Windows line ends are read past', () => {
  assert.deepEqual(parse('1 0.5 0\r\n\r\n2 0.75 1\r\n'), [
    [1, 0.5, 0],
    [2, 0.75, 1],
  ]);
});

for (const [line, why] of [
  ['1700', 'one field'],
  ['1700 0.5 1 extra', 'four fields'],
  ['1700 oops 1', 'a value that is no number'],
  ['1700.5 0.5 1', 'a timestamp that is no integer'],
  ['1700 0.5 1.5', 'a step that is no integer'],
  ['1700  0.5', 'two spaces'],
]) {
  test(`a line with ${why} is malformed, named by file and line`, () => {
    assert.throws(
      () => parseMetricLines('loss', '/m/loss', `1 0.5 0\n${line}\n`),
      (error: unknown) =>
        error instanceof MlflowError &&
        error.code === 'INVALID_PARAMETER_VALUE' &&
        error.message.startsWith(`Metric 'loss' is malformed: /m/loss line 2 reads "${line}"`),
    );
  });
}
