/**
 * The Mann-Whitney U test, as SciPy's mannwhitneyu computes it: U1 = R1 - n1(n1 + 1)/2 from
 * average ranks, an exact p-value from the null distribution of U when one sample has at
 * most 8 values and nothing is tied, and otherwise the normal approximation with the tie
 * correction and (by default) a continuity correction.
 *
 * Ranks come from walking the two sorted samples together, so ranking a million values per
 * side costs two sorts and one pass, with no index arrays.
 */
import { normalSf } from '../distributions/normal';
import type { Alternative } from './ks';

export interface MannWhitneyOptions {
  alternative?: Alternative;
  useContinuity?: boolean;
  method?: 'auto' | 'exact' | 'asymptotic';
}

export interface MannWhitneyResult {
  /** U1, the statistic of the first sample, whatever the alternative. */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

interface RankSummary {
  /** The sum of the first sample's average ranks in the pooled sample. */
  rankSum: number;
  /** sum over groups of tied values of t^3 - t. */
  tieTerm: number;
}

/** R1 and the tie term, from both samples sorted ascending. */
function rankSummary(x: Float64Array, y: Float64Array): RankSummary {
  let rankSum = 0;
  let tieTerm = 0;
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    const value = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    const before = i + j;
    const startI = i;
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;

    const group = i + j - before;
    const averageRank = before + (group + 1) / 2;
    rankSum += (i - startI) * averageRank;
    tieTerm += group * group * group - group;
  }
  return { rankSum, tieTerm };
}

/**
 * Counts of the lattice paths with each area u = 0 .. last, that is the coefficients of the
 * Gaussian binomial [m + n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), with
 * m <= n. After each factor the partial product is itself a Gaussian binomial, so its
 * coefficients stay positive and the subtractions cancel only mildly.
 */
function areaCounts(m: number, n: number, last: number): Float64Array {
  const counts = new Float64Array(last + 1);
  counts[0] = 1;
  for (let i = 1; i <= m; i++) {
    for (let u = i; u <= last; u++) {
      counts[u] += counts[u - i];
    }
    for (let u = last; u >= n + i; u--) {
      counts[u] -= counts[u - n - i];
    }
  }
  return counts;
}

/** The number of ways to choose k of n; each partial product is a whole binomial. */
function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) {
    result = (result * (n - k + i)) / i;
  }
  return result;
}

/** Beyond this many counts the exact distribution would not fit in memory. */
const MAX_EXACT_COUNTS = 50_000_000;

/**
 * P(U >= u) under the null, from the exact distribution. Like SciPy it sums the lower tail
 * of the symmetric distribution: P(U <= mn - u) when u is at or above the middle, and
 * 1 - P(U <= u) + P(U = u) below it.
 */
function exactSf(u: number, n1: number, n2: number): number {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const complement = m * n - u;
  const k = Math.min(u, complement);
  if (k > MAX_EXACT_COUNTS) {
    throw new RangeError(
      `mannWhitneyU cannot compute the exact p-value for samples of ${n1} and ${n2}; use the asymptotic method.`,
    );
  }
  const counts = areaCounts(m, n, Math.max(k, 0));
  const total = choose(m + n, m);

  let cdf = 0;
  for (let v = 0; v <= k; v++) {
    cdf += counts[v] / total;
  }
  return u < complement ? 1 - cdf + counts[k] / total : cdf;
}

/** The standardised U with the tie correction and the continuity correction. */
function zScore(u: number, n1: number, n2: number, tieTerm: number, continuity: boolean): number {
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const deviation = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const numerator = u - mean - (continuity ? 0.5 : 0);
  return numerator / deviation;
}

function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * SciPy's mannwhitneyu(x, y, use_continuity, alternative, method). `greater` asks whether x
 * tends to exceed y. An empty sample or a NaN gives NaN, as SciPy returns.
 */
export function mannWhitneyU(
  x: Float64Array,
  y: Float64Array,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const alternative = options.alternative ?? 'two-sided';
  const n1 = x.length;
  const n2 = y.length;
  const first = sortedCopy(x);
  const second = sortedCopy(y);
  if (n1 === 0 || n2 === 0 || Number.isNaN(first[n1 - 1]) || Number.isNaN(second[n2 - 1])) {
    return { statistic: NaN, pValue: NaN, method: 'asymptotic' };
  }

  const { rankSum, tieTerm } = rankSummary(first, second);
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;

  const requested = options.method ?? 'auto';
  const method =
    requested !== 'auto' ? requested : (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  const tail =
    method === 'exact'
      ? exactSf(Math.trunc(u), n1, n2)
      : normalSf(zScore(u, n1, n2, tieTerm, options.useContinuity ?? true));

  return { statistic: u1, pValue: Math.min(Math.max(tail * factor, 0), 1), method };
}
