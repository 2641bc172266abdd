import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fisherExact } from '../../../src/core/drift/tests/fisher';
import { chi2Contingency, chisquare } from '../../../src/core/drift/tests/chisquare';
import { ttestInd } from '../../../src/core/drift/tests/ttest';
import { twoProportionZ } from '../../../src/core/drift/tests/ztest';
import type { Alternative } from '../../../src/core/drift/tests/ks';
import { assertClose, decode, readFixture, sample, type SampleSpec } from './scipyFixtures';

/**
 * Fisher's exact test, the chi-square tests, the t-test and the z-test against SciPy 1.17.1 and
 * Evidently's formula (test/fixtures/drift/make_exact_tests.py), and the reference page.
 */

type FixtureNumber = number | string;

interface Fixture {
  fisher: Array<{
    table: [[number, number], [number, number]];
    alternative: Alternative;
    statistic: FixtureNumber;
    pValue: FixtureNumber;
  }>;
  chisquare: Array<{
    name: string;
    observed: number[];
    expected: number[];
    ddof: number;
    statistic: FixtureNumber;
    pValue: FixtureNumber;
  }>;
  contingency: Array<{
    table: number[][];
    correction: boolean;
    statistic: FixtureNumber;
    pValue: FixtureNumber;
    dof: number;
  }>;
  ttest: Array<{
    name: string;
    x: SampleSpec;
    y: SampleSpec;
    statistic: FixtureNumber;
    pValue: FixtureNumber;
    df: FixtureNumber;
  }>;
  ztest: Array<{
    counts: [number, number, number, number];
    statistic: FixtureNumber;
    pValue: FixtureNumber;
  }>;
}

const fixture = readFixture<Fixture>('exact_tests.json');

test('fisherExact matches SciPy for all alternatives, zero rows and columns, and tails', () => {
  assert.ok(fixture.fisher.length >= 50);
  for (const c of fixture.fisher) {
    const what = `${JSON.stringify(c.table)} ${c.alternative}`;

    const result = fisherExact(c.table, c.alternative);

    assertClose(result.statistic, decode(c.statistic), 1e-15, `${what}: odds ratio`);
    assertClose(result.pValue, decode(c.pValue), 1e-9, `${what}: p-value`);
  }
});

test('fisherExact reproduces the reference page', () => {
  const small = fisherExact([
    [8, 2],
    [1, 5],
  ]);

  assert.equal(small.statistic, 20);
  assertClose(small.pValue, 0.034965034965034975, 1e-14, 'two-sided');
  assertClose(
    fisherExact(
      [
        [8, 2],
        [1, 5],
      ],
      'greater',
    ).pValue,
    0.024475524475524483,
    1e-14,
    'greater',
  );
  assertClose(
    fisherExact(
      [
        [55, 40],
        [45, 60],
      ],
      'greater',
    ).pValue,
    0.023582742691509655,
    1e-14,
    'alibi',
  );
  assertClose(
    fisherExact([
      [55, 45],
      [40, 60],
    ]).pValue,
    0.04716548538301931,
    1e-14,
    'Evidently',
  );
});

test('fisherExact gives NaN and 1 for an empty row, and refuses negative or fractional counts', () => {
  const empty = fisherExact([
    [0, 0],
    [3, 4],
  ]);

  assert.ok(Number.isNaN(empty.statistic));
  assert.equal(empty.pValue, 1);
  assert.equal(
    fisherExact([
      [5, 0],
      [0, 5],
    ]).statistic,
    Infinity,
  );
  assert.throws(
    () =>
      fisherExact([
        [-1, 2],
        [3, 4],
      ]),
    RangeError,
  );
  assert.throws(
    () =>
      fisherExact([
        [1.5, 2],
        [3, 4],
      ]),
    RangeError,
  );
});

test('chisquare matches SciPy, including an unseen category (inf, 0) and 0/0 (NaN)', () => {
  for (const c of fixture.chisquare) {
    const result = chisquare(c.observed, c.expected, c.ddof);

    assertClose(result.statistic, decode(c.statistic), 1e-13, `${c.name}: statistic`);
    assertClose(result.pValue, decode(c.pValue), 1e-10, `${c.name}: p-value`);
  }
});

test("chisquare reproduces the reference page and Evidently's unseen category", () => {
  const scaled = chisquare([20, 40, 40], [30, 50, 20]);
  const unseen = chisquare([20, 40, 30, 10], [30, 50, 20, 0]);

  assert.equal(scaled.statistic, 25.333333333333336);
  assertClose(scaled.pValue, 3.1545438051702295e-6, 1e-12, 'p');
  assert.deepEqual(unseen, { statistic: Infinity, pValue: 0 });
});

test("chisquare refuses totals that differ beyond SciPy's tolerance, with a clear message", () => {
  assert.throws(
    () => chisquare([10, 20], [10, 21]),
    (error: unknown) => error instanceof RangeError && /same total/.test(error.message),
  );
  assert.doesNotThrow(() => chisquare([10, 20], [10, 20 + 1e-8]));
  assert.throws(() => chisquare([1, 2], [3]), RangeError);
});

test('chi2Contingency matches SciPy with and without Yates, for 2x2 and larger tables', () => {
  for (const c of fixture.contingency) {
    const what = `${JSON.stringify(c.table)} correction ${c.correction}`;

    const result = chi2Contingency(c.table, c.correction);

    assertClose(result.statistic, decode(c.statistic), 1e-13, `${what}: statistic`);
    assertClose(result.pValue, decode(c.pValue), 1e-10, `${what}: p-value`);
    assert.equal(result.dof, c.dof, `${what}: dof`);
  }
});

test('chi2Contingency reproduces the reference page', () => {
  const yates = chi2Contingency([
    [12, 5],
    [7, 9],
  ]);
  const plain = chi2Contingency(
    [
      [12, 5],
      [7, 9],
    ],
    false,
  );
  const threeColumns = chi2Contingency([
    [10, 20, 30],
    [15, 15, 25],
  ]);
  const binary = chi2Contingency([
    [60, 40],
    [45, 55],
  ]);

  assert.equal(yates.statistic, 1.455996378814684);
  assertClose(yates.pValue, 0.22756821457580642, 1e-13, 'Yates p');
  assert.equal(plain.statistic, 2.4305755196815575);
  assertClose(plain.pValue, 0.118989205532145, 1e-13, 'uncorrected p');
  assertClose(threeColumns.statistic, 1.9551357733175911, 1e-15, '2x3 statistic');
  assertClose(threeColumns.pValue, 0.3762250088979317, 1e-13, '2x3 p');
  const categorical = chi2Contingency([
    [30, 50, 20],
    [20, 40, 40],
  ]);
  const unseen = chi2Contingency([
    [30, 50, 20, 0],
    [20, 40, 30, 10],
  ]);
  assertClose(categorical.statistic, 9.777777777777779, 1e-15, 'categorical statistic');
  assertClose(categorical.pValue, 0.007529784255650024, 1e-13, 'categorical p');
  assert.equal(categorical.dof, 2);
  assertClose(unseen.statistic, 15.11111111111111, 1e-15, 'unseen statistic');
  assertClose(unseen.pValue, 0.0017241170019374162, 1e-13, 'unseen p');
  assert.equal(unseen.dof, 3);
  assertClose(binary.statistic, 3.929824561403509, 1e-15, 'binary statistic');
  assertClose(binary.pValue, 0.04743689282486537, 1e-13, 'binary p');
});

test('chi2Contingency gives 0 and 1 without degrees of freedom and refuses an expected 0', () => {
  assert.deepEqual(chi2Contingency([[3, 4, 5]]), { statistic: 0, pValue: 1, dof: 0 });
  assert.throws(
    () =>
      chi2Contingency([
        [3, 0],
        [4, 0],
      ]),
    (error: unknown) => error instanceof RangeError && /expected count is 0/.test(error.message),
  );
  assert.throws(
    () =>
      chi2Contingency([
        [1, -2],
        [3, 4],
      ]),
    RangeError,
  );
});

test('ttestInd matches SciPy, from one value a side to 100,000 and into the 1e-234 tail', () => {
  for (const c of fixture.ttest) {
    const result = ttestInd(sample(c.x), sample(c.y));

    assertClose(result.statistic, decode(c.statistic), 1e-11, `${c.name}: t`);
    assertClose(result.pValue, decode(c.pValue), 1e-9, `${c.name}: p-value`);
    assert.equal(result.df, decode(c.df), `${c.name}: df`);
  }
});

test('ttestInd reproduces the reference page', () => {
  const x = Float64Array.from([
    0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
    1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
  ]);
  const y = Float64Array.from([
    2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
    0.38, 0.7, 0.52, -0.72,
  ]);

  const result = ttestInd(x, y);

  assertClose(result.statistic, -1.8771315831811979, 1e-14, 't');
  assertClose(result.pValue, 0.06729515319570423, 1e-13, 'p');
  assert.equal(result.df, 43);
});

test("twoProportionZ follows Evidently: the page's binary case to the last digit", () => {
  const result = twoProportionZ(40, 100, 55, 100);

  assert.equal(result.statistic, -2.1239769762143665);
  assert.equal(result.pValue, 0.03367206885634566);
});

test("twoProportionZ matches Evidently's formula, and gives p = 1 for one shared value", () => {
  for (const c of fixture.ztest) {
    const [s1, n1, s2, n2] = c.counts;

    const result = twoProportionZ(s1, n1, s2, n2);

    assertClose(result.statistic, decode(c.statistic), 1e-14, `${c.counts}: z`);
    assertClose(result.pValue, decode(c.pValue), 1e-12, `${c.counts}: p-value`);
  }
  assert.deepEqual(twoProportionZ(0, 20, 0, 30), { statistic: 0, pValue: 1 });
  assert.deepEqual(twoProportionZ(20, 20, 30, 30), { statistic: 0, pValue: 1 });
  assert.throws(() => twoProportionZ(5, 0, 1, 2), RangeError);
});
