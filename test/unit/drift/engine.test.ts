import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Column, Table } from '../../../src/core/data/types';
import { compareTables } from '../../../src/core/drift/engine';
import { reportJson } from '../../../src/core/drift/report';
import type { ColumnResult, DriftReport } from '../../../src/core/drift/types';

// reference/drift.md §8.1
const x = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
  1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const y = [
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
  0.38, 0.7, 0.52, -0.72,
];

function numbers(name: string, values: number[]): Column {
  const integer = values.every((v) => !Number.isFinite(v) || Number.isInteger(v));
  return { type: 'number', name, values: Float64Array.from(values), integer };
}

function strings(name: string, values: (string | null)[]): Column {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  const codes = Int32Array.from(values.map((v) => (v === null ? -1 : dictionary.indexOf(v))));
  return { type: 'string', name, codes, dictionary };
}

function repeat(counts: Record<string, number>): string[] {
  return Object.entries(counts).flatMap(([value, n]) => new Array<string>(n).fill(value));
}

function table(path: string, columns: Column[]): Table {
  const rows = columns.length === 0 ? 0 : lengthOf(columns[0]);
  return { path, format: 'csv', rows, columns };
}

function lengthOf(column: Column): number {
  return column.type === 'number' ? column.values.length : column.codes.length;
}

function column(report: DriftReport, name: string): ColumnResult {
  const found = report.columns.find((c) => c.column === name);
  assert.ok(found, `column ${name} is in the report`);
  return found;
}

test('a small numerical column gets ks with SciPy exact p-value (§8.2)', async () => {
  const report = await compareTables(
    table('r', [numbers('x', x)]),
    table('c', [numbers('x', y)]),
    {},
  );

  const result = column(report, 'x');
  assert.equal(result.test, 'ks');
  assert.equal(result.statistic, 0.23);
  assert.ok(Math.abs(result.pValue! - 0.5286364448145011) < 1e-12);
  assert.equal(result.operator, '<=');
  assert.equal(result.threshold, 0.05);
  assert.equal(result.drift, false);
  assert.deepEqual(result.reference, { count: 25, missing: 0, infinite: 0, distinct: 25 });
});

test('a categorical column gets Evidently chisquare goodness of fit (§8.2)', async () => {
  const reference = strings('c', repeat({ a: 30, b: 50, c: 20 }));
  const current = strings('c', repeat({ a: 20, b: 40, c: 40 }));

  const report = await compareTables(table('r', [reference]), table('c', [current]), {});

  const result = column(report, 'c');
  assert.equal(result.kind, 'categorical');
  assert.equal(result.test, 'chisquare');
  assert.ok(Math.abs(result.statistic! - 25.333333333333336) < 1e-12);
  assert.ok(Math.abs(result.pValue! / 3.1545438051702295e-6 - 1) < 1e-9);
  assert.equal(result.drift, true);
  assert.deepEqual(result.histogram?.categories?.slice().sort(), ['a', 'b', 'c']);
});

test('a 0/1 integer column is categorical and gets the z-test of §8.2', async () => {
  const reference = numbers('flag', [...new Array(60).fill(0), ...new Array(40).fill(1)]);
  const current = numbers('flag', [...new Array(45).fill(0), ...new Array(55).fill(1)]);

  const report = await compareTables(table('r', [reference]), table('c', [current]), {});

  const result = column(report, 'flag');
  assert.equal(result.kind, 'categorical');
  assert.equal(result.test, 'z');
  assert.equal(result.pValue, 0.03367206885634566);
  assert.equal(result.drift, true);
});

test('an unseen category makes chisquare infinite: statistic null with a note, p 0', async () => {
  const reference = strings('c', repeat({ a: 30, b: 50, c: 20 }));
  const current = strings('c', repeat({ a: 20, b: 40, c: 30, d: 10 }));

  const report = await compareTables(table('r', [reference]), table('c', [current]), {});

  const result = column(report, 'c');
  assert.equal(result.statistic, null);
  assert.equal(result.pValue, 0);
  assert.equal(result.drift, true);
  assert.ok(result.notes.some((note) => /never appears in the reference/.test(note)));
});

test('missing and infinite values are dropped per side and counted', async () => {
  const reference = numbers('x', [...x, NaN, NaN, Infinity]);
  const current = numbers('x', [...y, -Infinity]);

  const report = await compareTables(table('r', [reference]), table('c', [current]), {});

  const result = column(report, 'x');
  assert.deepEqual(result.reference, { count: 25, missing: 2, infinite: 1, distinct: 25 });
  assert.deepEqual(result.current, { count: 20, missing: 0, infinite: 1, distinct: 20 });
  assert.ok(Math.abs(result.pValue! - 0.5286364448145011) < 1e-12);
});

test('a column on one side only is reported and the rest still compared', async () => {
  const reference = table('r', [numbers('x', x), numbers('only_ref', x)]);
  const current = table('c', [numbers('x', y), numbers('only_cur', y)]);

  const report = await compareTables(reference, current, {});

  assert.deepEqual(report.missingColumns, { reference: ['only_cur'], current: ['only_ref'] });
  assert.deepEqual(
    report.columns.map((c) => c.column),
    ['x'],
  );
  assert.equal(report.notes.length, 2);
});

test('numbers on one side and text on the other are skipped with the reason', async () => {
  const reference = table('r', [numbers('x', x), numbers('v', x)]);
  const current = table('c', [numbers('x', y), strings('v', y.map(String))]);

  const report = await compareTables(reference, current, {});

  const result = column(report, 'v');
  assert.equal(result.status, 'skipped');
  assert.match(result.notes[0], /numbers in the reference but text in the current file/);
  assert.equal(report.dataset.total, 1);
});

test('an empty side and a constant column give defined results, never NaN', async () => {
  const reference = table('r', [numbers('empty', [NaN, NaN]), numbers('same', [1.5, 1.5, 1.5])]);
  const current = table('c', [numbers('empty', [1, 2]), numbers('same', [1.5, 1.5])]);

  const report = await compareTables(reference, current, { numerical: ['same'] });

  assert.equal(column(report, 'empty').status, 'skipped');
  assert.match(column(report, 'empty').notes[0], /no values in the reference/);
  const same = column(report, 'same');
  assert.equal(same.status, 'tested');
  assert.equal(same.drift, false);
  assertNoNaN(reportJson(report));
});

test('every forced test gives finite JSON on constant and tiny columns', async () => {
  const names = ['ks', 'wasserstein', 'psi', 'jensenshannon', 'kl_div', 'hellinger', 'ed'];
  for (const name of [...names, 'cramer_von_mises', 'mannw', 't_test', 'anderson', 'chisquare']) {
    const reference = table('r', [numbers('same', [2, 2, 2, 2, 2, 2])]);
    const current = table('c', [numbers('same', [2, 2, 2, 2, 2])]);

    const report = await compareTables(reference, current, {
      test: name as never,
      numerical: ['same'],
    });

    assertNoNaN(reportJson(report));
    assert.equal(report.dataset.drift, false, `${name} finds no drift between equal constants`);
  }
});

test('the dataset drifts when the drifted share reaches drift_share', async () => {
  const shifted = y.map((v) => v + 5);
  const reference = table('r', [numbers('a', x), numbers('b', x), numbers('c', x)]);
  const current = table('c', [numbers('a', shifted), numbers('b', y), numbers('c', y)]);

  const half = await compareTables(reference, current, {});
  const third = await compareTables(reference, current, { driftShare: 0.3 });

  assert.equal(half.dataset.drifted, 1);
  assert.equal(half.dataset.total, 3);
  assert.equal(half.dataset.drift, false);
  assert.equal(third.dataset.drift, true);
  assert.equal(third.dataset.share, 1 / 3);
});

test('a threshold override and a Bonferroni correction change the column decisions', async () => {
  const reference = table('r', [numbers('a', x), numbers('b', x)]);
  const current = table('c', [
    numbers('a', y),
    numbers(
      'b',
      y.map((v) => v + 0.6),
    ),
  ]);

  const loose = await compareTables(reference, current, { threshold: 0.6 });
  const corrected = await compareTables(reference, current, {
    threshold: 0.6,
    correction: 'bonferroni',
  });

  assert.equal(column(loose, 'a').drift, true);
  assert.equal(column(corrected, 'a').threshold, 0.3);
  assert.equal(column(corrected, 'a').drift, false);
  assert.deepEqual(corrected.dataset.correction, { method: 'bonferroni', alpha: 0.6, tests: 2 });
});

test('the same seed gives the same permutation p-values, another seed may not', async () => {
  const reference = table('r', [numbers('x', x)]);
  const current = table('c', [numbers('x', y)]);

  const first = await compareTables(reference, current, { test: 'empirical_mmd', seed: 7 });
  const again = await compareTables(reference, current, { test: 'empirical_mmd', seed: 7 });

  assert.equal(column(first, 'x').pValue, column(again, 'x').pValue);
  assert.ok(column(first, 'x').pValue! > 0 && column(first, 'x').pValue! <= 1);
});

test('a cancelled comparison stops with an AbortError', async () => {
  const controller = new AbortController();
  controller.abort();

  await assert.rejects(
    compareTables(
      table('r', [numbers('x', x)]),
      table('c', [numbers('x', y)]),
      {},
      {
        signal: controller.signal,
      },
    ),
    { name: 'AbortError' },
  );
});

function assertNoNaN(value: unknown, path = '$'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) assertNoNaN(v, `${path}.${key}`);
  }
}
