import { histogram, histogramBinEdges, presentCategories, type BinOptions } from './binning';
import { pairwiseSum, requireFinite } from './numeric';

/**
 * Divergences between two binned distributions: Evidently's psi, kl_div, jensenshannon,
 * hellinger and the total variation distance of its TVD test (reference/drift.md sections 2.1
 * and 5.6). The shares come from evidentlyBinned / evidentlyBinnedCounts.
 */

/** SciPy's rel_entr: a ln(a / b), 0 when a is 0, infinite when only b is 0. */
function relativeEntropy(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a > 0 && b > 0) return a * Math.log(a / b);
  if (a === 0 && b >= 0) return 0;
  return Infinity;
}

function requireAligned(reference: ArrayLike<number>, current: ArrayLike<number>): void {
  if (reference.length !== current.length) {
    throw new RangeError('both distributions must have the same bins');
  }
}

/**
 * Evidently's PSI: sum of (r - c) ln(r / c) over the zero-filled shares. Shares that are still 0
 * make it infinite (one side) or NaN (both sides), as numpy does.
 */
export function psi(reference: Float64Array, current: Float64Array): number {
  requireAligned(reference, current);
  const terms = new Float64Array(reference.length);
  for (let k = 0; k < terms.length; k++) {
    terms[k] = (reference[k] - current[k]) * Math.log(reference[k] / current[k]);
  }
  return pairwiseSum(terms);
}

/** Divides by the total, as SciPy normalises its inputs (the filled shares sum above 1). */
function normalised(values: ArrayLike<number>): Float64Array {
  const total = pairwiseSum(values);
  return Float64Array.from(values, (value) => value / total);
}

/** scipy.stats.entropy(p, q): KL(p || q) in nats, after normalising both. */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  requireAligned(p, q);
  const pk = normalised(p);
  const qk = normalised(q);
  const terms = pk.map((value, k) => relativeEntropy(value, qk[k]));
  return pairwiseSum(terms);
}

/**
 * scipy.spatial.distance.jensenshannon(p, q, base): the square root of the mean of both sides'
 * divergence from their midpoint. Natural logarithm unless a base is given; Evidently uses e.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  requireAligned(p, q);
  const pk = normalised(p);
  const qk = normalised(q);
  const left = new Float64Array(pk.length);
  const right = new Float64Array(pk.length);
  for (let k = 0; k < pk.length; k++) {
    const middle = (pk[k] + qk[k]) / 2.0;
    left[k] = relativeEntropy(pk[k], middle);
    right[k] = relativeEntropy(qk[k], middle);
  }

  let divergence = pairwiseSum(left) + pairwiseSum(right);
  if (base !== undefined) divergence /= Math.log(base);
  return Math.sqrt(divergence / 2.0);
}

/** sqrt(1 - clip(coefficient, 0, 1)): both Hellinger forms end this way. */
function fromBhattacharyya(coefficient: number): number {
  return Math.sqrt(1 - Math.min(Math.max(coefficient, 0), 1));
}

/**
 * Evidently's categorical Hellinger distance: sqrt(1 - sum_k sqrt(p_k q_k)), the shares taken
 * over each sample's size, from counts aligned over the union of categories.
 */
export function hellingerCategorical(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const { reference, current } = presentCategories(referenceCounts, currentCounts);
  const referenceSize = total(reference);
  const currentSize = total(current);

  let coefficient = 0.0;
  for (let k = 0; k < reference.length; k++) {
    coefficient += Math.sqrt((reference[k] / referenceSize) * (current[k] / currentSize));
  }
  return fromBhattacharyya(coefficient);
}

/**
 * Evidently's numerical Hellinger distance. Its Sturges edges come from the *distinct* values of
 * both samples (so the bin count follows the number of distinct values, not of rows); each side
 * becomes a density over those bins, and the coefficient is sum_i sqrt(h1_i h2_i) times the mean
 * bin width.
 */
export function hellingerNumerical(
  reference: Float64Array,
  current: Float64Array,
  options: BinOptions = {},
): number {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('both samples need at least one value');
  }
  requireFinite(reference, 'the reference sample');
  requireFinite(current, 'the current sample');

  const edges = histogramBinEdges(distinctUnion(reference, current), 'sturges', options);
  const h1 = density(histogram(reference, edges), edges);
  const h2 = density(histogram(current, edges), edges);
  const binWidth = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);

  let coefficient = 0.0;
  for (let i = 0; i < h1.length; i++) coefficient += Math.sqrt(h1[i] * h2[i]) * binWidth;
  return fromBhattacharyya(coefficient);
}

/** np.histogram(..., density=True): count / bin width / total count. */
function density(counts: Float64Array, edges: Float64Array): Float64Array {
  const size = pairwiseSum(counts);
  return counts.map((count, i) => count / (edges[i + 1] - edges[i]) / size);
}

function distinctUnion(reference: Float64Array, current: Float64Array): Float64Array {
  const sorted = new Float64Array(reference.length + current.length);
  sorted.set(reference, 0);
  sorted.set(current, reference.length);
  sorted.sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i];
  }
  return sorted.subarray(0, distinct);
}

/**
 * The total variation distance 0.5 * sum_k |r_k / n_r - c_k / n_c| of Evidently's TVD test, from
 * counts aligned over the union of categories.
 */
export function totalVariation(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): number {
  const { reference, current } = presentCategories(referenceCounts, currentCounts);
  const referenceSize = total(reference);
  const currentSize = total(current);
  const gaps = reference.map((r, k) => Math.abs(r / referenceSize - current[k] / currentSize));
  return 0.5 * pairwiseSum(gaps);
}

function total(counts: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < counts.length; k++) sum += counts[k];
  return sum;
}
