/**
 * The two-sample Kolmogorov-Smirnov test, as SciPy's ks_2samp computes it: the statistic from
 * the two ECDFs at every pooled value, an exact p-value from lattice-path counts when both
 * samples have at most 10,000 values, and otherwise the asymptotic one, which for the
 * two-sided test is the exact one-sample distribution kstwo with n = round(m n / (m + n)).
 *
 * Both samples are sorted (or promised sorted by the caller) and walked once in step, so the
 * statistic costs O(m + n) after the sort and allocates nothing per value.
 */
import { kstwoSf } from '../distributions/kolmogorov';
import {
  binomialOverflows,
  greatestCommonDivisor,
  oneSidedEqualSizes,
  oneSidedUnequalSizes,
  twoSidedEqualSizes,
  twoSidedUnequalSizes,
} from './ksExact';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface KsOptions {
  alternative?: Alternative;
  method?: 'auto' | 'exact' | 'asymp';
  /** Both arrays are already sorted ascending: use them as they are, without copying. */
  sorted?: boolean;
}

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
  /** The pooled value where the statistic is attained. */
  location: number;
  /** +1 when the reference ECDF is above the current one there, -1 when below. */
  sign: 1 | -1;
}

/** SciPy tries the exact p-value automatically up to this many values per sample. */
const MAX_AUTO_EXACT = 10000;
const INT32_MAX = 2147483647;

interface Extremes {
  largest: number;
  largestAt: number;
  smallest: number;
  smallestAt: number;
}

/**
 * The largest and smallest ECDF difference F_reference - F_current over the pooled values.
 * Where several values attain an extreme, SciPy reports the first in reference-then-current
 * order: the smallest such value of the reference if there is one, else of the current
 * sample. Each sample's extremes are therefore kept apart and combined at the end.
 */
function ecdfExtremes(reference: Float64Array, current: Float64Array): Extremes {
  const n1 = reference.length;
  const n2 = current.length;
  const inReference = { largest: -Infinity, largestAt: NaN, smallest: Infinity, smallestAt: NaN };
  const inCurrent = { largest: -Infinity, largestAt: NaN, smallest: Infinity, smallestAt: NaN };

  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && reference[i] <= current[j]) ? reference[i] : current[j];
    const startI = i;
    const startJ = j;
    while (i < n1 && reference[i] === value) i++;
    while (j < n2 && current[j] === value) j++;
    const difference = i / n1 - j / n2;

    if (i > startI) {
      recordExtreme(inReference, difference, value);
    }
    if (j > startJ) {
      recordExtreme(inCurrent, difference, value);
    }
  }

  const useReferenceMax = inReference.largest >= inCurrent.largest;
  const useReferenceMin = inReference.smallest <= inCurrent.smallest;
  return {
    largest: useReferenceMax ? inReference.largest : inCurrent.largest,
    largestAt: useReferenceMax ? inReference.largestAt : inCurrent.largestAt,
    smallest: useReferenceMin ? inReference.smallest : inCurrent.smallest,
    smallestAt: useReferenceMin ? inReference.smallestAt : inCurrent.smallestAt,
  };
}

function recordExtreme(extremes: Extremes, difference: number, value: number): void {
  if (difference > extremes.largest) {
    extremes.largest = difference;
    extremes.largestAt = value;
  }
  if (difference < extremes.smallest) {
    extremes.smallest = difference;
    extremes.smallestAt = value;
  }
}

/** Rounds half to even, as numpy's round does. */
function roundHalfEven(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value % 1) === 0.5 && rounded % 2 !== 0 ? rounded - 1 : rounded;
}

/** The exact p-value from lattice paths, or undefined where SciPy's would fail. */
function exactPValue(
  n1: number,
  n2: number,
  h: number,
  alternative: Alternative,
): number | undefined {
  let probability: number;
  if (alternative === 'two-sided') {
    probability = n1 === n2 ? twoSidedEqualSizes(n1, h) : twoSidedUnequalSizes(n1, n2, h);
  } else if (n1 === n2) {
    probability = oneSidedEqualSizes(n1, h);
  } else {
    // SciPy counts these paths in floating point and gives up when C(n1 + n2, n1) overflows.
    if (binomialOverflows(n1, n2)) {
      return undefined;
    }
    probability = oneSidedUnequalSizes(n1, n2, h);
  }
  return probability >= 0 && probability <= 1 ? probability : undefined;
}

/** The asymptotic p-value: kstwo for two-sided, Hodges' equation 5.3 for one-sided. */
function asymptoticPValue(
  n1: number,
  n2: number,
  statistic: number,
  alternative: Alternative,
): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const effective = (m * n) / (m + n);
  if (alternative === 'two-sided') {
    return kstwoSf(statistic, roundHalfEven(effective));
  }
  const z = Math.sqrt(effective) * statistic;
  const exponent = -2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3;
  return Math.exp(exponent);
}

function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}

/** The statistic the alternative asks for, where it is attained, and its sign. */
function pickStatistic(
  extremes: Extremes,
  alternative: Alternative,
): Pick<KsResult, 'statistic' | 'location' | 'sign'> {
  const minS = Math.min(Math.max(-extremes.smallest, 0), 1);
  const maxS = extremes.largest;
  const useMin = alternative === 'less' || (alternative === 'two-sided' && minS > maxS);
  return useMin
    ? { statistic: minS, location: extremes.smallestAt, sign: -1 }
    : { statistic: maxS, location: extremes.largestAt, sign: 1 };
}

/**
 * The p-value by the chosen method. On the exact path D is first snapped to the lattice,
 * h / lcm(n1, n2), and that snapped D is what SciPy reports, even when it then falls back
 * to the asymptotic p-value.
 */
function pValueFor(
  n1: number,
  n2: number,
  statistic: number,
  alternative: Alternative,
  method: 'exact' | 'asymp',
): { statistic: number; pValue: number; method: 'exact' | 'asymp' } {
  if (method === 'exact') {
    const g = greatestCommonDivisor(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(statistic * lcm);
    const snapped = h / lcm;
    const pValue = h === 0 ? 1 : exactPValue(n1, n2, h, alternative);
    if (pValue !== undefined) {
      return { statistic: snapped, pValue, method: 'exact' };
    }
    return {
      statistic: snapped,
      pValue: asymptoticPValue(n1, n2, snapped, alternative),
      method: 'asymp',
    };
  }
  return { statistic, pValue: asymptoticPValue(n1, n2, statistic, alternative), method: 'asymp' };
}

/**
 * SciPy's ks_2samp(reference, current): two-sided by default, with method 'auto' exact when
 * both samples have at most 10,000 values. A NaN anywhere gives NaN, as SciPy propagates it.
 */
export function ks2samp(
  reference: Float64Array,
  current: Float64Array,
  options: KsOptions = {},
): KsResult {
  const alternative = options.alternative ?? 'two-sided';
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0) {
    throw new RangeError('ks2samp needs at least one value in each sample.');
  }

  const first = options.sorted ? reference : sortedCopy(reference);
  const second = options.sorted ? current : sortedCopy(current);
  if (Number.isNaN(first[n1 - 1]) || Number.isNaN(second[n2 - 1])) {
    return { statistic: NaN, pValue: NaN, method: 'asymp', location: NaN, sign: 1 };
  }

  const { statistic, location, sign } = pickStatistic(ecdfExtremes(first, second), alternative);
  const method = chooseMethod(n1, n2, options.method ?? 'auto');
  const result = pValueFor(n1, n2, statistic, alternative, method);
  const pValue = Math.min(Math.max(result.pValue, 0), 1);
  return { statistic: result.statistic, pValue, method: result.method, location, sign };
}

function chooseMethod(
  n1: number,
  n2: number,
  requested: 'auto' | 'exact' | 'asymp',
): 'exact' | 'asymp' {
  if (requested === 'auto') {
    return Math.max(n1, n2) <= MAX_AUTO_EXACT ? 'exact' : 'asymp';
  }
  if (requested === 'exact') {
    // SciPy switches to asymp when lcm(n1, n2) would not fit a 32-bit integer.
    const g = greatestCommonDivisor(n1, n2);
    return n1 / g >= INT32_MAX / (n2 / g) ? 'asymp' : 'exact';
  }
  return 'asymp';
}
