import {
  ascending,
  mean,
  pairwiseSum,
  populationStd,
  requireFinite,
  sortedUnionCounts,
} from './numeric';

/**
 * Histograms as numpy builds them, and Evidently's binning of two samples into shares
 * (reference/drift.md section 2.2), which PSI, KL divergence and Jensen-Shannon then compare.
 */

export type BinMethod = 'sturges' | 'doane';

export interface BinOptions {
  /** The column has an integer dtype: numpy then never makes a bin narrower than 1. */
  integer?: boolean;
}

export interface Shares {
  reference: Float64Array;
  current: Float64Array;
}

/**
 * np.histogram_bin_edges(values, bins=method). numpy derives a bin *width* from the estimator
 * and then the count as ceil(range / width); going through the width (rather than the textbook
 * ceil(log2 n + 1)) decides the count when the two differ by a rounding, so it is kept.
 */
export function histogramBinEdges(
  values: Float64Array,
  method: BinMethod,
  options: BinOptions = {},
): Float64Array {
  requireFinite(values, 'the data to bin');
  if (values.length === 0) return Float64Array.of(0, 1);

  const { min, max } = extent(values);
  const width = method === 'sturges' ? sturgesWidth(max - min, values.length) : doaneWidth(values);
  return equalWidthEdges(min, max, width, options.integer === true);
}

/** Bin edges from the estimator's width, the way numpy's _get_bin_edges turns one into the other. */
function equalWidthEdges(min: number, max: number, width: number, integer: boolean): Float64Array {
  // An empty range is widened by half a unit each way, with a single bin.
  const first = min === max ? min - 0.5 : min;
  const last = min === max ? max + 0.5 : max;

  let bins = 1;
  if (width !== 0) {
    const effective = integer && width < 1 ? 1 : width;
    bins = Math.ceil((last - first) / effective);
  }
  if (!Number.isFinite(bins)) throw new RangeError('the data range is too wide to bin');
  return linspace(first, last, bins + 1);
}

/** np.linspace(start, stop, count) with the endpoint: i * step + start, the last one exact. */
function linspace(start: number, stop: number, count: number): Float64Array {
  const edges = new Float64Array(count);
  const divisions = count - 1;
  const delta = stop - start;
  const step = delta / divisions;
  for (let i = 0; i < count; i++) {
    edges[i] = (step === 0 ? (i / divisions) * delta : i * step) + start;
  }
  edges[count - 1] = stop;

  for (let i = 1; i < count; i++) {
    if (!(edges[i - 1] < edges[i])) {
      throw new RangeError(`too many bins for the data range: cannot make ${divisions} of them`);
    }
  }
  return edges;
}

function sturgesWidth(range: number, size: number): number {
  return range / (Math.log2(size) + 1.0);
}

/** Doane's width: Sturges corrected by the skewness g1 = mean(((x - mean) / std)^3). */
function doaneWidth(values: Float64Array): number {
  const n = values.length;
  if (n <= 2) return 0;
  const sigma = populationStd(values);
  if (!(sigma > 0)) return 0;

  const center = mean(values);
  const cubes = new Float64Array(n);
  for (let i = 0; i < n; i++) cubes[i] = Math.pow((values[i] - center) / sigma, 3);
  const g1 = pairwiseSum(cubes) / n;
  const sg1 = Math.sqrt((6.0 * (n - 2)) / ((n + 1.0) * (n + 3)));

  const { min, max } = extent(values);
  return (max - min) / (1.0 + Math.log2(n) + Math.log2(1.0 + Math.abs(g1) / sg1));
}

function extent(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

/**
 * np.histogram(values, edges)[0] as doubles. Bins are [e_i, e_(i+1)) except the last, which is
 * closed; values outside the edges (and NaN) are not counted. A binary search per value keeps it
 * O(n log bins).
 */
export function histogram(values: Float64Array, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  if (bins < 1) throw new RangeError('a histogram needs at least two bin edges');
  for (let i = 1; i <= bins; i++) {
    if (edges[i - 1] > edges[i]) throw new RangeError('bin edges must increase monotonically');
  }

  const counts = new Float64Array(bins);
  const first = edges[0];
  const last = edges[bins];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(value >= first && value <= last)) continue;
    counts[value === last ? bins - 1 : binOf(edges, value, bins)]++;
  }
  return counts;
}

/** The last bin whose left edge is at or below the value (value below the last edge). */
function binOf(edges: Float64Array, value: number, bins: number): number {
  let low = 0;
  let high = bins;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (edges[middle] <= value) low = middle;
    else high = middle;
  }
  return low;
}

/**
 * Evidently's get_binned_data for a numerical column. When the reference has more than 20
 * distinct values, both samples are counted in Sturges bins built over the pooled data;
 * otherwise every distinct value of either sample is its own bin (in ascending order). Shares are
 * count / size. With fillZeroes (PSI, KL), each side's empty bins get a small share of their own
 * (below); Jensen-Shannon takes the shares unfilled.
 */
export function evidentlyBinned(
  reference: Float64Array,
  current: Float64Array,
  fillZeroes: boolean,
  options: BinOptions = {},
): Shares {
  requireSamples(reference, current);

  const shares = distinctExceeds(reference, 20)
    ? sturgesShares(reference, current, options.integer === true)
    : valueShares(ascending(reference), ascending(current));
  if (fillZeroes) {
    fillEmpty(shares.reference);
    fillEmpty(shares.current);
  }
  return shares;
}

function requireSamples(reference: Float64Array, current: Float64Array): void {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('both samples need at least one value to be binned');
  }
  requireFinite(reference, 'the reference sample');
  requireFinite(current, 'the current sample');
}

/** Whether there are more than `limit` distinct values, stopping as soon as there are. */
function distinctExceeds(values: Float64Array, limit: number): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    seen.add(values[i]);
    if (seen.size > limit) return true;
  }
  return false;
}

function sturgesShares(reference: Float64Array, current: Float64Array, integer: boolean): Shares {
  // The pooled sample is never built: Sturges only needs its size and its extent.
  const pooledSize = reference.length + current.length;
  const ref = extent(reference);
  const cur = extent(current);
  const min = Math.min(ref.min, cur.min);
  const max = Math.max(ref.max, cur.max);

  const edges = equalWidthEdges(min, max, sturgesWidth(max - min, pooledSize), integer);
  return {
    reference: divide(histogram(reference, edges), reference.length),
    current: divide(histogram(current, edges), current.length),
  };
}

/** Shares of every distinct value of either sample, from both samples sorted. */
function valueShares(reference: Float64Array, current: Float64Array): Shares {
  const counts = sortedUnionCounts(reference, current);
  return {
    reference: divide(counts.reference, reference.length),
    current: divide(counts.current, current.length),
  };
}

/**
 * The categorical branch of get_binned_data, from counts already aligned over the union of the
 * categories. A category counted on neither side cannot arise in Evidently (its keys come from
 * the values), so such a category is dropped rather than given filled shares on both sides.
 */
export function evidentlyBinnedCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  fillZeroes: boolean,
): Shares {
  const { reference, current } = presentCategories(referenceCounts, currentCounts);
  const shares = {
    reference: divide(reference, total(reference)),
    current: divide(current, total(current)),
  };
  if (fillZeroes) {
    fillEmpty(shares.reference);
    fillEmpty(shares.current);
  }
  return shares;
}

/** Validated counts over the categories that at least one side has. */
export function presentCategories(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
): { reference: Float64Array; current: Float64Array } {
  if (referenceCounts.length !== currentCounts.length) {
    throw new RangeError('reference and current counts must cover the same categories');
  }
  const reference: number[] = [];
  const current: number[] = [];
  for (let k = 0; k < referenceCounts.length; k++) {
    const r = referenceCounts[k];
    const c = currentCounts[k];
    if (!(r >= 0 && c >= 0 && Number.isFinite(r) && Number.isFinite(c))) {
      throw new RangeError(`category counts must be finite and not negative (got ${r}, ${c})`);
    }
    if (r + c > 0) {
      reference.push(r);
      current.push(c);
    }
  }
  const shares = { reference: Float64Array.from(reference), current: Float64Array.from(current) };
  if (total(shares.reference) === 0 || total(shares.current) === 0) {
    throw new RangeError('both samples need at least one value');
  }
  return shares;
}

function total(counts: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < counts.length; k++) sum += counts[k];
  return sum;
}

function divide(counts: Float64Array, size: number): Float64Array {
  for (let k = 0; k < counts.length; k++) counts[k] = counts[k] / size;
  return counts;
}

/**
 * Evidently's zero filling: every empty bin of a side gets that side's smallest non-zero share
 * divided by a million, or 0.0001 when that share is above 0.0001. The shares are not
 * renormalised afterwards, so they sum to slightly more than 1, as in Evidently.
 */
function fillEmpty(shares: Float64Array): void {
  let smallest = Infinity;
  for (let k = 0; k < shares.length; k++) {
    if (shares[k] !== 0 && shares[k] < smallest) smallest = shares[k];
  }
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  for (let k = 0; k < shares.length; k++) {
    if (shares[k] === 0) shares[k] = fill;
  }
}
