import { test } from 'node:test';
import assert from 'node:assert/strict';
import { erfc, normalCdf, normalSf } from '../../../src/core/drift/distributions/normal';
import {
  chi2Cdf,
  chi2Sf,
  logGamma,
  regularizedGammaP,
  regularizedGammaQ,
} from '../../../src/core/drift/distributions/gamma';
import {
  regularizedBeta,
  studentTCdf,
  studentTSf,
} from '../../../src/core/drift/distributions/beta';
import {
  hypergeomCdf,
  hypergeomPmf,
  hypergeomSf,
} from '../../../src/core/drift/distributions/hypergeom';
import { kolmogorovSf, kstwoSf, smirnovSf } from '../../../src/core/drift/distributions/kolmogorov';
import { assertClose, decode, readFixture } from './scipyFixtures';

/**
 * The distributions against SciPy 1.17.1 (test/fixtures/drift/make_distributions.py). Where
 * SciPy itself is off by more than our tolerance (checked against mpmath), the row says so.
 */

type Row = Array<number | string>;

interface DistributionFixture {
  normal: { erfc: Row[]; cdf: Row[]; sf: Row[] };
  gamma: { logGamma: Row[]; incompleteGamma: Row[]; chi2: Row[] };
  beta: { incompleteBeta: Row[]; studentT: Row[] };
  hypergeom: Row[];
  kolmogorov: { kstwo: Row[]; smirnov: Row[]; kstwobign: Row[] };
}

const fixture = readFixture<DistributionFixture>('distributions.json');

function numbers(row: Row): number[] {
  return row.map(decode);
}

/** Runs `check` on every row and reports how many it saw, so an empty family fails. */
function eachRow(rows: Row[], check: (values: number[]) => void): void {
  assert.ok(rows.length > 0, 'the fixture has rows for this family');
  for (const row of rows) {
    check(numbers(row));
  }
}

/**
 * SciPy flushes erfc and ndtr to 0 once they would be subnormal (past about 26.6 and -37.7);
 * ours go on into the subnormal range, so an expected 0 is met by anything below 1e-300.
 */
function assertCloseOrSubnormal(actual: number, expected: number, what: string): void {
  if (expected === 0) {
    assert.ok(actual >= 0 && actual < 1e-300, `${what} = ${actual}`);
    return;
  }
  assertClose(actual, expected, 1e-13, what);
}

test('erfc and the normal CDF and survival function match SciPy in both tails', () => {
  eachRow(fixture.normal.erfc, ([x, expected]) =>
    assertCloseOrSubnormal(erfc(x), expected, `erfc(${x})`),
  );
  eachRow(fixture.normal.cdf, ([x, expected]) =>
    assertCloseOrSubnormal(normalCdf(x), expected, `cdf(${x})`),
  );
  eachRow(fixture.normal.sf, ([x, expected]) =>
    assertCloseOrSubnormal(normalSf(x), expected, `sf(${x})`),
  );
});

test('the normal upper tail keeps its digits at 1e-300 instead of rounding to 0', () => {
  const tail = normalSf(37);

  assert.ok(tail > 5e-300 && tail < 6e-300, `sf(37) = ${tail}`);
  assert.equal(normalCdf(-37), tail);
  assert.equal(normalSf(-40), 1);
  assert.equal(normalSf(Infinity), 0);
  assert.ok(Number.isNaN(normalCdf(NaN)));
});

test('logGamma matches SciPy gammaln to 1e-14 of max(1, |value|), poles included', () => {
  eachRow(fixture.gamma.logGamma, ([x, expected]) => {
    const actual = logGamma(x);
    const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
    assert.ok(error <= 1e-14, `logGamma(${x}) = ${actual}, expected ${expected}`);
  });
  assert.equal(logGamma(0), Infinity);
  assert.equal(logGamma(-3), Infinity);
});

test('the regularized incomplete gamma functions match SciPy from tiny to huge shapes', () => {
  // SciPy's gammainc is off by up to 2e-10 at a = 1e6 (checked with mpmath), hence 1e-9.
  eachRow(fixture.gamma.incompleteGamma, ([a, x, lower, upper]) => {
    assertClose(regularizedGammaP(a, x), lower, 1e-9, `P(${a}, ${x})`);
    assertClose(regularizedGammaQ(a, x), upper, 1e-9, `Q(${a}, ${x})`);
  });
});

test('chi2Sf and chi2Cdf match SciPy, including tails past 1e-280', () => {
  eachRow(fixture.gamma.chi2, ([x, df, sf, cdf]) => {
    assertClose(chi2Sf(x, df), sf, 1e-11, `chi2.sf(${x}, ${df})`);
    assertClose(chi2Cdf(x, df), cdf, 1e-11, `chi2.cdf(${x}, ${df})`);
  });
  assert.ok(fixture.gamma.chi2.some((row) => decode(row[2]) > 0 && decode(row[2]) < 1e-280));
});

test('chi2Sf reproduces the reference page: 0.05, 0.007529784255650024, 0.0017241170019374162', () => {
  assertClose(chi2Sf(3.841458820694124, 1), 0.05, 1e-13, 'chi2.sf(3.84, 1)');
  assertClose(chi2Sf(9.777777777777779, 2), 0.007529784255650024, 1e-13, 'chi2.sf(9.78, 2)');
  assertClose(chi2Sf(15.11111111111111, 3), 0.0017241170019374162, 1e-13, 'chi2.sf(15.1, 3)');
});

test('chi2Sf gives 1 at and below 0, 0 at infinity, and NaN without degrees of freedom', () => {
  assert.equal(chi2Sf(0, 3), 1);
  assert.equal(chi2Sf(-2, 3), 1);
  assert.equal(chi2Sf(Infinity, 3), 0);
  assert.ok(Number.isNaN(chi2Sf(1, 0)));
  assert.ok(Number.isNaN(chi2Sf(NaN, 2)));
});

test('the regularized incomplete beta function matches SciPy betainc', () => {
  eachRow(fixture.beta.incompleteBeta, ([x, a, b, expected]) =>
    assertClose(regularizedBeta(x, a, b), expected, 1e-10, `I_${x}(${a}, ${b})`),
  );
});

test("Student's t matches SciPy for df from 1 to 1e9 and |t| up to 1e200", () => {
  eachRow(fixture.beta.studentT, ([t, df, sf, cdf]) => {
    // SciPy's t.sf(1e-3, 1) is exact; its value near t = 0 for df = 1 is not (see below).
    assertClose(studentTSf(t, df), sf, 1e-10, `t.sf(${t}, ${df})`);
    assertClose(studentTCdf(t, df), cdf, 1e-10, `t.cdf(${t}, ${df})`);
  });
});

test('studentTSf is exact near 0 for the Cauchy case, where SciPy drifts by 3e-9', () => {
  // t.sf(t, 1) = 1/2 - atan(t)/pi; SciPy 1.17.1 gives 0.4999999952568131 at t = 1e-8.
  assertClose(studentTSf(1e-8, 1), 0.5 - Math.atan(1e-8) / Math.PI, 1e-15, 't.sf(1e-8, 1)');
  assert.equal(studentTSf(0, 7), 0.5);
  assert.equal(studentTSf(2, Infinity), normalSf(2));
});

test('the hypergeometric pmf, cdf and sf match SciPy, tables of two million included', () => {
  // Boost's pmf inside SciPy is off by up to 3e-10 for M = 2e6 (checked with mpmath).
  eachRow(fixture.hypergeom, ([k, M, n, N, pmf, cdf, sf]) => {
    const what = `(${k}; M=${M}, n=${n}, N=${N})`;
    assertClose(hypergeomPmf(k, M, n, N), pmf, 1e-9, `pmf${what}`);
    assertClose(hypergeomCdf(k, M, n, N), cdf, 1e-9, `cdf${what}`);
    assertClose(hypergeomSf(k, M, n, N), sf, 1e-9, `sf${what}`);
  });
});

test('kstwoSf matches SciPy kstwo.sf in every regime: small n, n > 140, both ends, the tails', () => {
  eachRow(fixture.kolmogorov.kstwo, ([d, n, expected]) =>
    assertClose(kstwoSf(d, n), expected, 1e-10, `kstwo.sf(${d}, ${n})`),
  );
  const tails = fixture.kolmogorov.kstwo.map(numbers).filter(([, , p]) => p > 0 && p < 1e-250);
  assert.ok(tails.length >= 5, 'the fixture reaches p-values below 1e-250');
});

test('kstwoSf reproduces every value of the reference page', () => {
  const page: Array<[number, number, number]> = [
    [5, 0.15, 0.9988],
    [5, 0.3, 0.664],
    [50, 0.1, 0.6623112704658186],
    [50, 0.3, 0.00017353260202718738],
    [200, 0.05, 0.6802625495871704],
    [200, 0.1, 0.03411035080315383],
    [1000, 0.02, 0.8108971656895577],
    [1000, 0.05, 0.013012074781090332],
    [20000, 0.01, 0.03638603905248727],
    [11, 0.23, 0.5318713439638902],
  ];
  for (const [n, d, expected] of page) {
    assertClose(kstwoSf(d, n), expected, 1e-12, `kstwo.sf(${d}, ${n})`);
  }
});

test('smirnovSf matches SciPy smirnov, including its approximation above a million', () => {
  eachRow(fixture.kolmogorov.smirnov, ([n, x, expected]) =>
    assertClose(smirnovSf(n, x), expected, 1e-10, `smirnov(${n}, ${x})`),
  );
});

test('kolmogorovSf matches SciPy kstwobign.sf on both sides of its switch at 0.82', () => {
  eachRow(fixture.kolmogorov.kstwobign, ([x, expected]) =>
    assertClose(kolmogorovSf(x), expected, 1e-13, `kstwobign.sf(${x})`),
  );
});

test('kstwoSf rejects a sample size that is not a positive whole number', () => {
  assert.ok(Number.isNaN(kstwoSf(0.1, 0)));
  assert.ok(Number.isNaN(kstwoSf(0.1, 2.5)));
  assert.ok(Number.isNaN(kstwoSf(NaN, 10)));
});
