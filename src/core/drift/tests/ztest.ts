/**
 * Evidently's two-proportion z-test (`z`): pooled proportion, z = (p1 - p2) / sqrt(P (1 - P)
 * (1/n1 + 1/n2)), and p = 2 (1 - Phi(|z|)) formed exactly that way. Evidently computes the
 * upper tail as one minus the CDF rather than with the survival function, which rounds to the
 * grid of doubles near 1; the reference values follow it, so this does too.
 */
import { normalCdf } from '../distributions/normal';

export interface ZTestResult {
  statistic: number;
  pValue: number;
}

/**
 * The z-test between `successes1` of `n1` (the reference) and `successes2` of `n2` (the
 * current data). When both samples hold one and the same value (no successes anywhere, or
 * nothing but successes) Evidently reports p = 1, and so does this, with z = 0.
 */
export function twoProportionZ(
  successes1: number,
  n1: number,
  successes2: number,
  n2: number,
): ZTestResult {
  if (!(n1 > 0) || !(n2 > 0)) {
    throw new RangeError('twoProportionZ needs at least one observation in each sample.');
  }
  if (successes1 < 0 || successes1 > n1 || successes2 < 0 || successes2 > n2) {
    throw new RangeError('twoProportionZ needs success counts between 0 and the sample size.');
  }
  const oneValue =
    (successes1 === 0 && successes2 === 0) || (successes1 === n1 && successes2 === n2);
  if (oneValue) {
    return { statistic: 0, pValue: 1 };
  }

  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const statistic = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return { statistic, pValue: 2 * (1 - normalCdf(Math.abs(statistic))) };
}
