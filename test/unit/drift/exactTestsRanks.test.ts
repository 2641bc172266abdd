import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cramerVonMises2samp } from '../../../src/core/drift/tests/cvm';
import { mannWhitneyU } from '../../../src/core/drift/tests/mannwhitney';
import type { Alternative } from '../../../src/core/drift/tests/ks';
import { assertClose, decode, readFixture, sample, type SampleSpec } from './scipyFixtures';

/**
 * The rank tests, Cramer-von Mises and Mann-Whitney, against SciPy 1.17.1
 * (test/fixtures/drift/make_exact_tests.py) and the reference page.
 */

interface CvmCase {
  name: string;
  x: SampleSpec;
  y: SampleSpec;
  method: 'auto' | 'exact' | 'asymptotic';
  usedMethod: 'exact' | 'asymptotic';
  statistic: number | string;
  pValue: number | string;
}

interface MannWhitneyCase {
  name: string;
  x: SampleSpec;
  y: SampleSpec;
  alternative: Alternative;
  method: 'auto' | 'exact' | 'asymptotic';
  useContinuity: boolean;
  statistic: number | string;
  pValue: number | string;
}

const fixture = readFixture<{ cvm: CvmCase[]; mannwhitney: MannWhitneyCase[] }>('exact_tests.json');

const x = Float64Array.from([
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
  1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
]);
const y = Float64Array.from([
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
  0.38, 0.7, 0.52, -0.72,
]);

test('cramerVonMises2samp matches SciPy, exact and asymptotic, with ties and at 50,000 values', () => {
  assert.ok(
    fixture.cvm.some((c) => c.usedMethod === 'exact') &&
      fixture.cvm.some((c) => c.usedMethod === 'asymptotic'),
  );
  for (const c of fixture.cvm) {
    const what = `${c.name}, ${c.method}`;

    const result = cramerVonMises2samp(sample(c.x), sample(c.y), { method: c.method });

    // T is a small difference of two large terms: 1e-9 allows for summation order at 50,000.
    assertClose(result.statistic, decode(c.statistic), 1e-9, `${what}: statistic`);
    assert.equal(result.method, c.usedMethod, `${what}: method`);
    if (c.usedMethod === 'exact') {
      assertClose(result.pValue, decode(c.pValue), 1e-12, `${what}: p-value`);
      continue;
    }
    // The asymptotic p-value is 1 - CDF with the CDF summed in doubles, so both SciPy's and
    // ours carry an absolute error near 1e-15 (SciPy's Bessel K adds 1e-14); deep in the tail
    // that is more than 1e-7 of p, so the comparison allows it. mpmath puts ours the closer.
    const expected = decode(c.pValue);
    const error = Math.abs(result.pValue - expected);
    assert.ok(
      error <= 1e-9 * expected + 1e-14,
      `${what}: p-value ${result.pValue}, expected ${expected}`,
    );
  }
});

test('cramerVonMises2samp reproduces the reference page', () => {
  const asymptotic = cramerVonMises2samp(x, y);
  const exact = cramerVonMises2samp(x, y, { method: 'exact' });
  const small = cramerVonMises2samp(x.slice(0, 10), y.slice(0, 12));

  assert.equal(asymptotic.method, 'asymptotic');
  assertClose(asymptotic.statistic, 0.2389629629629635, 1e-14, 'T');
  assertClose(asymptotic.pValue, 0.20721025983514907, 1e-12, 'asymptotic p');
  assert.equal(exact.pValue, 0.21033492182597793);
  assert.equal(small.method, 'exact');
  assertClose(small.statistic, 0.3257575757575757, 1e-14, 'small T');
  assert.equal(small.pValue, 0.12216885281900762);
});

test('cramerVonMises2samp needs two values a side and propagates NaN', () => {
  assert.throws(() => cramerVonMises2samp(Float64Array.of(1), Float64Array.of(1, 2)), RangeError);

  const result = cramerVonMises2samp(Float64Array.of(1, NaN), Float64Array.of(1, 2));

  assert.ok(Number.isNaN(result.pValue));
});

test('mannWhitneyU matches SciPy: exact, asymptotic, ties, continuity and all alternatives', () => {
  assert.ok(fixture.mannwhitney.length > 100);
  for (const c of fixture.mannwhitney) {
    const what = `${c.name}, ${c.alternative}, ${c.method}, continuity ${c.useContinuity}`;

    const result = mannWhitneyU(sample(c.x), sample(c.y), {
      alternative: c.alternative,
      method: c.method,
      useContinuity: c.useContinuity,
    });

    assert.equal(result.statistic, decode(c.statistic), `${what}: U1`);
    assertClose(result.pValue, decode(c.pValue), 1e-10, `${what}: p-value`);
  }
});

test('mannWhitneyU picks exact only for a side of at most 8 without ties, as SciPy does', () => {
  const eight = sample({ seed: 1, count: 8, scale: 1, shift: 0 });
  const many = sample({ seed: 2, count: 500, scale: 1, shift: 0 });
  const nine = sample({ seed: 3, count: 9, scale: 1, shift: 0 });
  const tied = Float64Array.of(1, 2, 2);

  assert.equal(mannWhitneyU(eight, many).method, 'exact');
  assert.equal(mannWhitneyU(nine, many).method, 'asymptotic');
  assert.equal(mannWhitneyU(tied, Float64Array.of(3, 4)).method, 'asymptotic');
});

test('mannWhitneyU reproduces the reference page', () => {
  const twoSided = mannWhitneyU(x, y);
  const less = mannWhitneyU(x, y, { alternative: 'less' });
  const ties = mannWhitneyU(
    Float64Array.of(1, 2, 2, 3, 3, 3, 4),
    Float64Array.of(2, 3, 3, 4, 4, 5, 5, 5),
  );

  assert.equal(twoSided.statistic, 182);
  assertClose(twoSided.pValue, 0.12312009947155035, 1e-14, 'two-sided');
  assertClose(less.pValue, 0.061560049735775176, 1e-14, 'less');
  assert.equal(ties.statistic, 11);
  assertClose(ties.pValue, 0.049238967838553395, 1e-14, 'ties');
});

test('mannWhitneyU gives p = 1 when every value is tied, and NaN for an empty sample', () => {
  const result = mannWhitneyU(new Float64Array(10).fill(4), new Float64Array(12).fill(4));

  assert.equal(result.pValue, 1);
  assert.equal(result.statistic, 60);
  assert.ok(Number.isNaN(mannWhitneyU(new Float64Array(0), Float64Array.of(1)).pValue));
});
