import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  classificationMetrics,
  detectTask,
  errorStream,
  performanceMetrics,
  regressionMetrics,
  type PerformanceColumn,
} from '../../../src/core/drift/concept/metrics';

type FixtureValue = number | string | null;

interface FixtureCase {
  name: string;
  task: 'classification' | 'regression';
  target: FixtureValue[];
  prediction: FixtureValue[];
  rows: number;
  [metric: string]: unknown;
}

const fixture = JSON.parse(
  readFileSync(path.join(__dirname, '../../fixtures/drift/metrics.json'), 'utf8'),
) as { cases: FixtureCase[] };

const NON_FINITE: Record<string, number> = { nan: NaN, inf: Infinity, '-inf': -Infinity };

/** A fixture column as the data readers would deliver it: numbers, or codes into a dictionary. */
function column(values: FixtureValue[], name?: string): PerformanceColumn {
  const isText = values.some((v) => v === null || (typeof v === 'string' && !(v in NON_FINITE)));
  if (!isText) {
    const numbers = values.map((v) => (typeof v === 'string' ? NON_FINITE[v] : (v as number)));
    return { type: 'number', values: Float64Array.from(numbers), name };
  }
  return text(values as (string | null)[], name);
}

function text(values: (string | null)[], name?: string): PerformanceColumn {
  const dictionary: string[] = [];
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    if (!dictionary.includes(v)) dictionary.push(v);
    return dictionary.indexOf(v);
  });
  return { type: 'string', codes, dictionary, name };
}

const numbers = (values: number[], name?: string): PerformanceColumn => ({
  type: 'number',
  values: Float64Array.from(values),
  name,
});

function assertClose(actual: number | null, expected: number, what: string) {
  assert.ok(actual !== null, `${what} is null`);
  const scale = Math.max(Math.abs(expected), 1e-300);
  assert.ok(Math.abs(actual - expected) / scale <= 1e-12, `${what}: ${actual} vs ${expected}`);
}

test('classification metrics agree with scikit-learn on every fixture case', () => {
  const cases = fixture.cases.filter((c) => c.task === 'classification');
  assert.ok(cases.length >= 8);

  for (const c of cases) {
    const result = classificationMetrics(column(c.target), column(c.prediction));

    assert.equal(result.rows, c.rows, c.name);
    assert.deepEqual(result.labels, c.labels, c.name);
    assert.equal(result.average, c.average, c.name);
    assert.equal(result.positiveLabel, c.positive, c.name);
    for (const metric of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      assertClose(result[metric], c[metric] as number, `${c.name} ${metric}`);
    }
    if (c.roc_auc === null) assert.equal(result.rocAuc, null, c.name);
    else assertClose(result.rocAuc, c.roc_auc as number, `${c.name} roc_auc`);
  }
});

test('regression metrics agree with scikit-learn, constant targets included', () => {
  const cases = fixture.cases.filter((c) => c.task === 'regression');
  assert.ok(cases.length >= 4);

  for (const c of cases) {
    const result = regressionMetrics(column(c.target), column(c.prediction));

    assert.equal(result.rows, c.rows, c.name);
    for (const metric of ['mae', 'rmse', 'r2'] as const) {
      if (c[metric] === 0) assert.equal(result[metric], 0, `${c.name} ${metric}`);
      else assertClose(result[metric], c[metric] as number, `${c.name} ${metric}`);
    }
  }
});

test('scores are labelled 1 from 0.5 up, and the threshold does not touch ROC AUC', () => {
  const target = numbers([0, 0, 1, 1, 0, 1]);
  const prediction = numbers([0.1, 0.5, 0.5, 0.9, 0.49999, 0.2]);

  const result = classificationMetrics(target, prediction);
  const errors = errorStream(target, prediction);

  assert.equal(result.scores, true);
  assert.deepEqual([...errors.errors], [0, 1, 0, 0, 0, 1]);
  assert.equal(result.accuracy, 4 / 6);
  // Positives 0.5, 0.9, 0.2 against negatives 0.1, 0.5, 0.49999: 6.5 of 9 pairs.
  assert.equal(result.rocAuc, 6.5 / 9);
});

test('ROC AUC is left out when the target holds one class or the prediction holds labels', () => {
  assert.equal(classificationMetrics(numbers([1, 1, 1]), numbers([0.2, 0.7, 0.9])).rocAuc, null);
  const labels = classificationMetrics(numbers([0, 1, 1]), numbers([0, 1, 0]));
  assert.equal(labels.scores, false);
  assert.equal(labels.rocAuc, null);
});

test('string labels are matched by their text, whatever the dictionaries', () => {
  const target = text(['yes', 'no', 'yes', 'no']);
  const prediction: PerformanceColumn = {
    type: 'string',
    codes: Int32Array.from([0, 0, 1, 1]),
    dictionary: ['yes', 'no'],
  };

  const result = classificationMetrics(target, prediction);

  assert.equal(result.accuracy, 0.5);
  assert.deepEqual(result.labels, ['no', 'yes']);
  assert.equal(result.positiveLabel, 'yes');
});

test('labels are ordered by code point, as numpy orders them', () => {
  const target = text(['\u{1F600}', '\uFF21', 'b']);

  assert.deepEqual(classificationMetrics(target, target).labels, ['b', '\uFF21', '\u{1F600}']);
});

test('detectTask follows the reference rule: more than five distinct numbers is regression', () => {
  const five = numbers([1, 2, 3, 4, 5, 5, 1, NaN]);
  const six = numbers([1, 2, 3, 4, 5, 6]);

  assert.equal(detectTask(five, five), 'classification');
  assert.equal(detectTask(six, six), 'regression');
  assert.equal(detectTask(text(['a', 'b']), text(['b', 'b'])), 'classification');
  assert.equal(performanceMetrics(six, six).task, 'regression');
  assert.equal(performanceMetrics(five, five).task, 'classification');
});

test('a prediction of another kind than the target is a RangeError naming both kinds', () => {
  const target = numbers([0, 1, 0], 'churned');
  const prediction = text(['no', 'yes', 'no'], 'predicted');

  assert.throws(
    () => detectTask(target, prediction),
    (error: Error) =>
      error instanceof RangeError &&
      /target column 'churned' holds numbers/.test(error.message) &&
      /prediction column 'predicted' holds text/.test(error.message),
  );
  assert.throws(() => errorStream(target, prediction), RangeError);
  assert.throws(() => regressionMetrics(text(['1']), text(['2'])), RangeError);
  assert.throws(() => classificationMetrics(numbers([1, 2]), numbers([1])), /differ in length/);
});

test('fractional predictions against class labels that are not 0/1 scores are refused', () => {
  assert.throws(
    () => classificationMetrics(numbers([1, 2, 3, 1]), numbers([1.2, 2.5, 2.9, 1.1])),
    /fractional values/,
  );
  assert.throws(() => classificationMetrics(numbers([0, 1]), numbers([-0.5, 1.2])), RangeError);
});

test('the error stream skips rows missing either value and keeps the file rows of the rest', () => {
  const target = numbers([0, 1, NaN, 1, 0, 1]);
  const prediction = numbers([0, 0, 1, 1, NaN, 0]);

  const stream = errorStream(target, prediction);

  assert.equal(stream.task, 'classification');
  assert.deepEqual([...stream.rows], [0, 1, 3, 5]);
  assert.deepEqual([...stream.errors], [0, 1, 0, 1]);
});

test('the regression error stream is the absolute error, infinite values counted as missing', () => {
  const target = numbers([1, 2, 3, 4, 5, 6, 7]);
  const prediction = numbers([1.5, 2, Infinity, 3, 5, 6.25, 9]);

  const stream = errorStream(target, prediction);

  assert.equal(stream.task, 'regression');
  assert.deepEqual([...stream.rows], [0, 1, 3, 4, 5, 6]);
  assert.deepEqual([...stream.errors], [0.5, 0, 1, 0, 0.25, 2]);
  assert.equal(regressionMetrics(target, prediction).rows, 6);
});

test('text error streams compare labels, missing codes skipped', () => {
  const stream = errorStream(text(['a', null, 'b', 'c']), text(['a', 'b', 'c', null]));

  assert.deepEqual([...stream.rows], [0, 2]);
  assert.deepEqual([...stream.errors], [0, 1]);
});

test('with no complete row every metric is null rather than NaN', () => {
  const empty = classificationMetrics(numbers([NaN, 1]), numbers([0, NaN]));
  const regression = regressionMetrics(numbers([NaN]), numbers([1]));

  assert.equal(empty.rows, 0);
  assert.equal(empty.accuracy, null);
  assert.equal(empty.f1, null);
  assert.deepEqual(regression, { task: 'regression', rows: 0, mae: null, rmse: null, r2: null });
  assert.equal(regressionMetrics(numbers([2]), numbers([1])).r2, null, 'one row: NaN in sklearn');
});

test('a constant target whose mean is not exactly representable still scores 1 or 0', () => {
  const target = numbers([0.1, 0.1, 0.1]);

  assert.equal(regressionMetrics(target, numbers([0.1, 0.1, 0.1])).r2, 1);
  assert.equal(regressionMetrics(target, numbers([0.1, 0.2, 0.1])).r2, 0);
});
