/**
 * The exact null distribution of the two-sample Cramer-von Mises statistic, by the frequency
 * tables of Xiao, Gordon & Yakovlev (2006). A merged sample of sizes m and n is a lattice path;
 * with L = lcm(m, n), a = L/m, b = L/n, the statistic is a function of
 * zeta = sum over the path's points (v, u) of (a v - b u)^2, and the table at each point holds
 * how many paths reach it with each partial zeta. Counts stay below C(m + n, m), whole numbers
 * a double holds exactly for the sizes this is used at (at most 20 a side by default).
 */
import { greatestCommonDivisor } from './ksExact';

/** Sorted distinct partial sums and how many paths reach each. */
interface FrequencyTable {
  values: Float64Array;
  counts: Float64Array;
}

const EMPTY: FrequencyTable = { values: new Float64Array(0), counts: new Float64Array(0) };

/** The union of two tables (counts of equal values added), every value shifted by `shift`. */
function mergeShifted(left: FrequencyTable, right: FrequencyTable, shift: number): FrequencyTable {
  const values = new Float64Array(left.values.length + right.values.length);
  const counts = new Float64Array(values.length);
  let i = 0;
  let j = 0;
  let size = 0;
  while (i < left.values.length || j < right.values.length) {
    const takeLeft =
      j >= right.values.length || (i < left.values.length && left.values[i] <= right.values[j]);
    const value = takeLeft ? left.values[i] : right.values[j];
    let count = 0;
    if (i < left.values.length && left.values[i] === value) count += left.counts[i++];
    if (j < right.values.length && right.values[j] === value) count += right.counts[j++];
    values[size] = value + shift;
    counts[size] = count;
    size += 1;
  }
  return { values: values.subarray(0, size), counts: counts.subarray(0, size) };
}

/** Python's float floor division (as numpy's), which zeta is computed with in SciPy. */
function floorDivide(numerator: number, denominator: number): number {
  let remainder = numerator % denominator;
  let quotient = (numerator - remainder) / denominator;
  if (remainder !== 0 && denominator < 0 !== remainder < 0) {
    remainder += denominator;
    quotient -= 1;
  }
  if (quotient === 0) {
    return 0 * (numerator / denominator);
  }
  const floored = Math.floor(quotient);
  return quotient - floored > 0.5 ? floored + 1 : floored;
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) {
    result = (result * (n - k + i)) / i;
  }
  return result;
}

/**
 * P(U >= u) for the Cramer-von Mises U = m sum (r_i - i)^2 + n sum (s_j - j)^2 of samples of
 * sizes m and n (SciPy's _pval_cvm_2samp_exact(u, m, n)).
 *
 * FIXME: the tables grow with the number of distinct partial sums, so method 'exact' asked for
 * explicitly on larger samples is slow (40 against 39 values takes about 6 s, 50 against 49
 * about 25 s; SciPy takes minutes) and past about 2^53 paths the counts round. 'auto' only uses
 * it up to 20 a side, where it takes milliseconds.
 */
export function cvmExactPValue(u: number, m: number, n: number): number {
  const lcm = (m / greatestCommonDivisor(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDivide(lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn * mn);

  // rows[v] is the table at (v, u) for the current u; moving to u + 1 merges each entry with
  // its left neighbour in the new row, as a path reaches (v, u) from (v - 1, u) or (v, u - 1).
  let rows: FrequencyTable[] = [{ values: Float64Array.of(0), counts: Float64Array.of(1) }];
  for (let v = 1; v <= m; v++) rows.push(EMPTY);
  for (let step = 0; step <= n; step++) {
    const next: FrequencyTable[] = [];
    let left = EMPTY;
    for (let v = 0; v <= m; v++) {
      const distance = a * v - b * step;
      left = mergeShifted(left, rows[v], distance * distance);
      next.push(left);
    }
    rows = next;
  }

  const final = rows[m];
  let extreme = 0;
  for (let i = 0; i < final.values.length; i++) {
    if (final.values[i] >= zeta) extreme += final.counts[i];
  }
  return extreme / binomial(m + n, m);
}
