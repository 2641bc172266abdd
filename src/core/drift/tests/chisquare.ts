/**
 * Pearson's chi-square tests as SciPy computes them: chisquare (goodness of fit of observed
 * counts to expected ones, Evidently's `chisquare`) and chi2_contingency (independence in a
 * table of counts, alibi-detect's and NannyML's), including SciPy's checks and its Yates
 * correction, which is on by default and applies whenever the table has one degree of freedom.
 */
import { chi2Sf } from '../distributions/gamma';
import { pairwiseSum } from './numeric';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
}

export interface ContingencyResult extends ChiSquareResult {
  dof: number;
}

/** SciPy's tolerance on the relative difference between the observed and expected totals. */
const SUM_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * P(chi2_df > x) as SciPy's chdtrc gives it to chisquare: with 0 degrees of freedom it is 0
 * for x > 0 and NaN at 0, and negative degrees of freedom give NaN.
 */
function upperTail(statistic: number, df: number): number {
  if (Number.isNaN(statistic) || df < 0) {
    return NaN;
  }
  if (df === 0) {
    return statistic > 0 ? 0 : NaN;
  }
  return chi2Sf(statistic, df);
}

/** Pearson's statistic, summed as numpy sums it. */
function pearsonStatistic(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  const terms = new Float64Array(observed.length);
  for (let i = 0; i < observed.length; i++) {
    const difference = observed[i] - expected[i];
    terms[i] = (difference * difference) / expected[i];
  }
  return pairwiseSum(terms);
}

/**
 * SciPy's chisquare(f_obs=observed, f_exp=expected, ddof): Pearson's statistic with
 * k - 1 - ddof degrees of freedom. The totals must agree to a relative 1.5e-8, as SciPy
 * demands; a category expected 0 but observed gives Infinity and p = 0, and one expected 0 and
 * observed 0 gives NaN, as in SciPy.
 */
export function chisquare(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  ddof = 0,
): ChiSquareResult {
  if (observed.length !== expected.length) {
    throw new RangeError(
      `chisquare needs as many expected counts as observed ones (${expected.length} against ${observed.length}).`,
    );
  }
  if (observed.length === 0) {
    throw new RangeError('chisquare needs at least one category.');
  }

  const observedTotal = pairwiseSum(observed);
  const expectedTotal = pairwiseSum(expected);
  const relativeDifference =
    Math.abs(observedTotal - expectedTotal) / Math.min(observedTotal, expectedTotal);
  if (relativeDifference > SUM_TOLERANCE) {
    throw new RangeError(
      `chisquare needs the observed and expected counts to have the same total, to a relative ` +
        `${SUM_TOLERANCE}; they are ${observedTotal} and ${expectedTotal} ` +
        `(relative difference ${relativeDifference}).`,
    );
  }

  const statistic = pearsonStatistic(observed, expected);
  return { statistic, pValue: upperTail(statistic, observed.length - 1 - ddof) };
}

function validateTable(table: number[][]): void {
  const columns = table[0]?.length ?? 0;
  if (table.length === 0 || columns === 0) {
    throw new RangeError('chi2Contingency needs a table with at least one row and one column.');
  }
  if (table.some((row) => row.length !== columns)) {
    throw new RangeError('chi2Contingency needs every row of the table to have the same length.');
  }
  if (table.some((row) => row.some((count) => !(count >= 0) || !Number.isFinite(count)))) {
    throw new RangeError('chi2Contingency needs finite, non-negative counts.');
  }
}

/** Expected counts under independence: row total times column total over the grand total. */
function expectedCounts(table: number[][]): number[][] {
  const rowTotals = table.map((row) => pairwiseSum(row));
  const columnTotals = table[0].map((_, j) => table.reduce((sum, row) => sum + row[j], 0));
  const total = pairwiseSum(table.flat());
  return table.map((_, i) =>
    columnTotals.map((columnTotal) => (rowTotals[i] * columnTotal) / total),
  );
}

/**
 * Yates' continuity correction: each count moves half a unit towards its expected count, but
 * never past it.
 */
function yatesCorrected(observed: number[], expected: number[]): number[] {
  return observed.map((count, i) => {
    const difference = expected[i] - count;
    return count + Math.sign(difference) * Math.min(0.5, Math.abs(difference));
  });
}

/**
 * SciPy's chi2_contingency(table, correction): Pearson's test of independence with
 * (rows - 1)(columns - 1) degrees of freedom. With 0 degrees of freedom (one row or one
 * column) the statistic is 0 and p is 1; a row or column of zeros, which makes an expected
 * count 0, is an error, as in SciPy.
 */
export function chi2Contingency(table: number[][], correction = true): ContingencyResult {
  validateTable(table);
  const expected = expectedCounts(table);
  const zero = expected.flat().findIndex((count) => count === 0);
  if (zero >= 0) {
    const columns = table[0].length;
    throw new RangeError(
      `chi2Contingency cannot test a table whose expected count is 0 (at row ` +
        `${Math.floor(zero / columns)}, column ${zero % columns}): a row or a column has no counts.`,
    );
  }

  const dof = (table.length - 1) * (table[0].length - 1);
  if (dof === 0) {
    return { statistic: 0, pValue: 1, dof };
  }
  let observed = table.flat();
  const flatExpected = expected.flat();
  if (dof === 1 && correction) {
    observed = yatesCorrected(observed, flatExpected);
  }
  const statistic = pearsonStatistic(observed, flatExpected);
  return { statistic, pValue: upperTail(statistic, dof), dof };
}
