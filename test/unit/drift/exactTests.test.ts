import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ks2samp, type Alternative } from '../../../src/core/drift/tests/ks';
import { assertClose, decode, readFixture, sample, type SampleSpec } from './scipyFixtures';

/**
 * The two-sample Kolmogorov-Smirnov test against SciPy 1.17.1's ks_2samp
 * (test/fixtures/drift/make_exact_tests.py) and against the reference page's numbers.
 */

interface KsCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  alternative: Alternative;
  method: 'auto' | 'exact' | 'asymp';
  statistic: number | string;
  pValue: number | string;
  location: number | string;
  sign: 1 | -1;
  usedMethod: 'exact' | 'asymp';
}

const fixture = readFixture<{ ks: KsCase[] }>('exact_tests.json');

// The page's vectors (reference/drift.md section 8.1).
const x = Float64Array.from([
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
  1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
]);
const y = Float64Array.from([
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
  0.38, 0.7, 0.52, -0.72,
]);

test('ks2samp matches SciPy on every fixture case: statistic, p-value, method, location, sign', () => {
  assert.ok(fixture.ks.length > 60);
  for (const c of fixture.ks) {
    const what = `${c.name}, ${c.alternative}, ${c.method}`;

    const result = ks2samp(sample(c.reference), sample(c.current), {
      alternative: c.alternative,
      method: c.method,
    });

    assertClose(result.statistic, decode(c.statistic), 1e-14, `${what}: statistic`);
    assertClose(result.pValue, decode(c.pValue), 1e-9, `${what}: p-value`);
    assert.equal(result.method, c.usedMethod, `${what}: method`);
    assert.equal(result.location, decode(c.location), `${what}: location`);
    assert.equal(result.sign, c.sign, `${what}: sign`);
  }
});

test('the fixture covers exact equal and unequal sizes, one-sided, ties, fallbacks and tails', () => {
  const names = new Set(fixture.ks.map((c) => c.name));
  for (const name of [
    'equal sizes 40',
    'unequal 37 and 53',
    'page ties',
    'tied levels 60 and 45',
    'unequal 600 and 500 (one-sided falls back)',
    'unequal 12000 and 15000 (asymptotic)',
    '12000 each, p near 1e-300',
    'exact requested with a huge lcm',
  ]) {
    assert.ok(names.has(name), name);
  }
  const tiny = fixture.ks.filter((c) => decode(c.pValue) > 0 && decode(c.pValue) < 1e-250);
  assert.ok(tiny.length > 0, 'some p-value is below 1e-250');
  const fellBack = fixture.ks.filter((c) => c.method !== 'asymp' && c.usedMethod === 'asymp');
  assert.ok(fellBack.some((c) => c.alternative !== 'two-sided' && c.method === 'exact'));
});

test('ks2samp reproduces the reference page on x and y', () => {
  const auto = ks2samp(x, y);
  const greater = ks2samp(x, y, { alternative: 'greater' });
  const less = ks2samp(x, y, { alternative: 'less' });

  assert.equal(auto.statistic, 0.23);
  assert.equal(auto.pValue, 0.5286364448145011);
  assert.equal(auto.method, 'exact');
  assert.equal(auto.location, -0.4);
  assert.equal(auto.sign, 1);
  assertClose(ks2samp(x, y, { method: 'asymp' }).pValue, 0.5318713439638902, 1e-14, 'asymp');
  assertClose(greater.pValue, 0.2687791533792983, 1e-14, 'greater exact');
  assertClose(
    ks2samp(x, y, { alternative: 'greater', method: 'asymp' }).pValue,
    0.24732870513823774,
    1e-14,
    'greater asymp',
  );
  assert.equal(less.statistic, 0);
  assert.equal(less.pValue, 1);
});

test('ks2samp reproduces the reference page on equal sizes, the arange case and ties', () => {
  const first = x.slice(0, 10);
  const second = y.slice(0, 10);
  const a = Float64Array.from({ length: 300 }, (_, i) => i / 300);
  const b = Float64Array.from({ length: 200 }, (_, i) => i / 200 + 0.05);
  const ties = ks2samp(
    Float64Array.of(1, 2, 2, 3, 3, 3, 4),
    Float64Array.of(2, 3, 3, 4, 4, 5, 5, 5),
  );

  assert.equal(ks2samp(first, second).statistic, 0.5);
  assertClose(ks2samp(first, second).pValue, 0.16782134274394334, 1e-14, 'n = m exact');
  assertClose(ks2samp(first, second, { method: 'asymp' }).pValue, 0.112, 1e-12, 'n = m asymp');
  assertClose(
    ks2samp(first, second, { alternative: 'greater' }).pValue,
    0.08391608391608392,
    1e-14,
    'n = m greater',
  );
  assertClose(
    ks2samp(first, second, { alternative: 'greater', method: 'asymp' }).pValue,
    0.049787068367863924,
    1e-14,
    'n = m greater asymp',
  );
  assertClose(ks2samp(a, b).statistic, 0.05333333333333334, 1e-15, 'arange D');
  assertClose(ks2samp(a, b).pValue, 0.8719305791798282, 1e-14, 'arange exact');
  assertClose(ks2samp(a, b, { method: 'asymp' }).pValue, 0.8661515000141586, 1e-14, 'arange asymp');
  assert.equal(ties.statistic, 0.48214285714285715);
  assertClose(ties.pValue, 0.2522144522144522, 1e-14, 'ties');
});

test('ks2samp with sorted: true uses the arrays as given and gives the same answer', () => {
  const reference = sample({ seed: 5, count: 2000, scale: 1, shift: 0 });
  const current = sample({ seed: 6, count: 1500, scale: 1, shift: 0.05 });
  const sortedReference = reference.slice().sort();
  const sortedCurrent = current.slice().sort();

  const fromUnsorted = ks2samp(reference, current);
  const fromSorted = ks2samp(sortedReference, sortedCurrent, { sorted: true });

  assert.deepEqual(fromSorted, fromUnsorted);
  assert.notDeepEqual(
    Array.from(reference.subarray(0, 5)),
    Array.from(sortedReference.subarray(0, 5)),
  );
});

test('ks2samp leaves its inputs unsorted when it sorts copies', () => {
  const reference = Float64Array.of(3, 1, 2);
  const current = Float64Array.of(9, 7, 8);

  ks2samp(reference, current);

  assert.deepEqual(Array.from(reference), [3, 1, 2]);
  assert.deepEqual(Array.from(current), [9, 7, 8]);
});

test('ks2samp refuses an empty sample and propagates NaN as SciPy does', () => {
  assert.throws(() => ks2samp(new Float64Array(0), Float64Array.of(1)), RangeError);

  const result = ks2samp(Float64Array.of(1, NaN), Float64Array.of(2, 3));

  assert.ok(Number.isNaN(result.statistic));
  assert.ok(Number.isNaN(result.pValue));
});

test('ks2samp gives D = 0 and p = 1 for identical samples, exact and asymptotic', () => {
  const values = sample({ seed: 9, count: 50, scale: 1, shift: 0 });
  const large = sample({ seed: 10, count: 12000, scale: 1, shift: 0 });

  assert.deepEqual([ks2samp(values, values).statistic, ks2samp(values, values).pValue], [0, 1]);
  assert.deepEqual([ks2samp(large, large).statistic, ks2samp(large, large).pValue], [0, 1]);
  assert.equal(ks2samp(large, large).method, 'asymp');
});
