/**
 * Fisher's exact test on a 2x2 table, as SciPy's fisher_exact computes it. The count in the
 * top-left cell is hypergeometric given the margins: M = all, n = the first row's total,
 * N = the first column's total.
 */
import { hypergeomCdf, hypergeomPmf, hypergeomSf } from '../distributions/hypergeom';
import type { Alternative } from './ks';

export interface FisherResult {
  /** The sample odds ratio a d / (b c): Infinity when b c = 0, NaN when a margin is 0. */
  statistic: number;
  pValue: number;
}

/** SciPy counts a table as extreme as the observed one when its mass is within this factor. */
const RELATIVE_TOLERANCE = 1 + 1e-14;

function validateTable(table: [[number, number], [number, number]]): void {
  const cells = table.flat();
  if (table.length !== 2 || table.some((row) => row.length !== 2)) {
    throw new RangeError('fisherExact needs a 2x2 table.');
  }
  if (cells.some((cell) => !Number.isInteger(cell) || cell < 0)) {
    throw new RangeError('fisherExact needs whole, non-negative counts in every cell.');
  }
}

/**
 * The largest (or smallest) x in [low, high] whose value is at most `target`, for a function
 * increasing on that range: SciPy's binary search, kept step for step so that ties resolve
 * alike.
 */
function binarySearch(
  value: (x: number) => number,
  target: number,
  low: number,
  high: number,
): number {
  let lo = low;
  let hi = high;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const midValue = value(mid);
    if (midValue < target) {
      lo = mid + 1;
    } else if (midValue > target) {
      hi = mid - 1;
    } else {
      return mid;
    }
  }
  return value(lo) <= target ? lo : lo - 1;
}

/**
 * The two-sided p-value: the mass of every table no more likely than the observed one. One
 * tail is summed from the observed count outward; the boundary on the other side of the mode
 * is found by binary search on the (monotone) masses there.
 */
function twoSidedPValue(a: number, total: number, rowOne: number, columnOne: number): number {
  const pmf = (x: number) => hypergeomPmf(x, total, rowOne, columnOne);
  const mode = Math.trunc(((columnOne + 1) * (rowOne + 1)) / (total + 2));
  const observed = pmf(a);
  const atMode = pmf(mode);
  if (Math.abs(observed - atMode) / Math.max(observed, atMode) <= 1e-14) {
    return 1;
  }

  const threshold = observed * RELATIVE_TOLERANCE;
  if (a < mode) {
    const lower = hypergeomCdf(a, total, rowOne, columnOne);
    if (pmf(columnOne) > threshold) {
      return lower;
    }
    const boundary = binarySearch((x) => -pmf(x), -threshold, mode, columnOne);
    return lower + hypergeomSf(boundary, total, rowOne, columnOne);
  }
  const upper = hypergeomSf(a - 1, total, rowOne, columnOne);
  if (pmf(0) > threshold) {
    return upper;
  }
  const boundary = binarySearch(pmf, threshold, 0, mode);
  return upper + hypergeomCdf(boundary, total, rowOne, columnOne);
}

/**
 * SciPy's fisher_exact(table, alternative) for [[a, b], [c, d]]. `less` asks whether the odds
 * ratio is below 1, `greater` above. A table with an empty row or column gives NaN and 1.
 */
export function fisherExact(
  table: [[number, number], [number, number]],
  alternative: Alternative = 'two-sided',
): FisherResult {
  validateTable(table);
  const [[a, b], [c, d]] = table;
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) {
    return { statistic: NaN, pValue: 1 };
  }

  const statistic = c > 0 && b > 0 ? (a * d) / (c * b) : Infinity;
  const total = a + b + c + d;
  const rowOne = a + b;
  let pValue: number;
  if (alternative === 'less') {
    pValue = hypergeomCdf(a, total, rowOne, a + c);
  } else if (alternative === 'greater') {
    pValue = hypergeomCdf(b, total, rowOne, b + d);
  } else {
    pValue = twoSidedPValue(a, total, rowOne, a + c);
  }
  return { statistic, pValue: Math.min(pValue, 1) };
}
