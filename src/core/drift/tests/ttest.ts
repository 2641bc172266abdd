/**
 * Student's two-sample t-test with pooled variance, as SciPy's ttest_ind(a, b) computes it
 * (equal_var=True): means and variances from numpy's pairwise sums, the variance as the mean
 * squared deviation times n/(n - 1), df = n1 + n2 - 2, and a two-sided p-value 2 t.sf(|t|).
 */
import { studentTSf } from '../distributions/beta';
import { mean as pairwiseMean, pairwiseSum } from './numeric';

export interface TTestResult {
  statistic: number;
  pValue: number;
  df: number;
}

/** The unbiased variance, computed as SciPy's _var(ddof=1) does. */
function sampleVariance(values: Float64Array, mean: number): number {
  const n = values.length;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const deviation = values[i] - mean;
    squares[i] = deviation * deviation;
  }
  return (pairwiseSum(squares) / n) * (n / (n - 1));
}

/**
 * SciPy's ttest_ind(x, y). An empty sample gives NaN throughout; identical constant samples
 * give a NaN statistic and p-value (0/0), and constant but different ones give an infinite
 * statistic and p = 0, all as SciPy returns them.
 */
export function ttestInd(x: Float64Array, y: Float64Array): TTestResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) {
    return { statistic: NaN, pValue: NaN, df: NaN };
  }

  const mean1 = pairwiseMean(x);
  const mean2 = pairwiseMean(y);
  // With one value the sample variance is 0/0, but its weight n - 1 is 0 too.
  const variance1 = n1 === 1 ? 0 : sampleVariance(x, mean1);
  const variance2 = n2 === 1 ? 0 : sampleVariance(y, mean2);

  const df = n1 + n2 - 2;
  const pooled = ((n1 - 1) * variance1 + (n2 - 1) * variance2) / df;
  const standardError = Math.sqrt(pooled * (1 / n1 + 1 / n2));
  const statistic = (mean1 - mean2) / standardError;
  return { statistic, pValue: 2 * studentTSf(Math.abs(statistic), df), df };
}
