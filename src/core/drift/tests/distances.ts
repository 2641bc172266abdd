import { CompensatedSum, ascending, requireFinite } from './numeric';

/**
 * Distances between two samples' empirical distribution functions, as scipy.stats computes them
 * (reference/drift.md section 5.6): one pass over both samples merged in order, O(n log n) for
 * the sorts and O(n) after.
 */

export interface DistanceOptions {
  /** Both samples are already in ascending order, so no sorted copies are made. */
  sorted?: boolean;
}

/** scipy.stats.wasserstein_distance(u, v): the integral of |U - V| over the pooled values. */
export function wassersteinDistance(
  u: Float64Array,
  v: Float64Array,
  options: DistanceOptions = {},
): number {
  return cdfDistance(u, v, 1, options.sorted === true);
}

/** scipy.stats.energy_distance(u, v): sqrt(2) times the L2 distance between U and V. */
export function energyDistance(
  u: Float64Array,
  v: Float64Array,
  options: DistanceOptions = {},
): number {
  return Math.SQRT2 * Math.sqrt(cdfDistance(u, v, 2, options.sorted === true));
}

/**
 * sum_i |U(z_i) - V(z_i)|^power (z_(i+1) - z_i) over the pooled sorted values z, with U and V the
 * right-continuous ECDFs. Walking the two sorted samples in step gives, after each value, the
 * counts of each sample at or below it; between tied values the step width is 0, so a count
 * that has not yet taken in the whole tie adds nothing.
 */
function cdfDistance(u: Float64Array, v: Float64Array, power: 1 | 2, sorted: boolean): number {
  checkSample(u, 'the first sample');
  checkSample(v, 'the second sample');
  const a = ascending(u, sorted);
  const b = ascending(v, sorted);

  const total = new CompensatedSum();
  let i = 0;
  let j = 0;
  let previous = a[0] <= b[0] ? a[i++] : b[j++];
  while (i < a.length || j < b.length) {
    const difference = i / a.length - j / b.length;
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    const width = next - previous;
    total.add((power === 1 ? Math.abs(difference) : difference * difference) * width);
    previous = next;
  }
  return total.value;
}

function checkSample(values: Float64Array, what: string): void {
  if (values.length === 0) throw new RangeError(`${what} is empty: a distribution needs values`);
  requireFinite(values, what);
}
