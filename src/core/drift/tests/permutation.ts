import { totalVariation } from './divergences';
import { presentCategories } from './binning';
import { PooledKernel, medianHeuristicSigma } from './mmdKernel';
import { CompensatedSum, requireFinite } from './numeric';
import { drawCategoryCounts, subsample } from './resample';
import { shuffleInPlace, type RandomSource } from '../random';

/**
 * Evidently's two permutation tests (reference/drift.md section 2.1): empirical_mmd on a
 * numerical column and TVD on a categorical one. Both take a seeded random source; both let a
 * test inject the permutations, so that a fixed sequence drawn by numpy gives numpy's p-value.
 */

export interface MmdOptions {
  /** Permutations of the pooled sample (Evidently: 100). */
  permutations?: number;
  /** Rows kept per side, drawn with the random source when a side has more (default 2,000). */
  maxRows?: number;
  /**
   * Supplies permutation number i (from 0) as an ordering of the pooled indices 0..N-1, the
   * reference rows first, then the current ones; its first n entries form the permuted
   * reference. Defaults to a uniform shuffle from the random source.
   */
  permutationSource?: (permutation: number, pooledSize: number) => ArrayLike<number>;
}

export interface MmdResult {
  /** The unbiased MMD^2 (it can be slightly negative). */
  statistic: number;
  /** mean(observed <= permuted), with no +1 correction, as Evidently computes it. */
  pValue: number;
  /** Rows used on the larger side after subsampling. */
  rowsUsed: number;
  referenceRows: number;
  currentRows: number;
}

/**
 * Evidently's empirical_mmd: a Gaussian kernel whose sigma is the median heuristic on the
 * reference, the unbiased MMD^2 between the samples, and a permutation p-value.
 *
 * The kernel matrix is O(N^2) in time and memory (N(N-1)/2 doubles: 64 MB at the default 2,000
 * rows a side), hence the subsampling, which Evidently does not do: beyond maxRows rows a side
 * the statistic is estimated from a seeded random subset and the result says how many rows it
 * used.
 */
export function empiricalMmd(
  reference: Float64Array,
  current: Float64Array,
  random: RandomSource,
  options: MmdOptions = {},
): MmdResult {
  const maxRows = options.maxRows ?? 2000;
  const permutations = options.permutations ?? 100;
  checkMmdInput(reference, current, maxRows, permutations);

  const x = subsample(reference, maxRows, random);
  const y = subsample(current, maxRows, random);
  const kernel = new PooledKernel(x, y, medianHeuristicSigma(x));
  const size = x.length + y.length;
  const identity = Int32Array.from({ length: size }, (_, i) => i);
  const statistic = kernel.mmd(identity);

  const order = Int32Array.from(identity);
  const source = options.permutationSource;
  const pValue = shareAtLeast(statistic, permutations, (p) =>
    kernel.mmd(source ? checkedOrdering(source(p, size), size) : shuffleInPlace(order, random)),
  );

  return {
    statistic,
    pValue,
    rowsUsed: Math.max(x.length, y.length),
    referenceRows: x.length,
    currentRows: y.length,
  };
}

function checkMmdInput(
  reference: Float64Array,
  current: Float64Array,
  maxRows: number,
  permutations: number,
): void {
  if (reference.length < 2 || current.length < 2) {
    throw new RangeError('empirical MMD needs at least 2 values a side');
  }
  if (!(maxRows >= 2 && maxRows <= 4000)) {
    throw new RangeError('maxRows must be between 2 and 4,000 (the kernel grows as its square)');
  }
  if (!(Number.isInteger(permutations) && permutations >= 1)) {
    throw new RangeError('the number of permutations must be a whole number above 0');
  }
  requireFinite(reference, 'the reference sample');
  requireFinite(current, 'the current sample');
}

function checkedOrdering(ordering: ArrayLike<number>, size: number): Int32Array {
  const checked = Int32Array.from(ordering);
  const seen = new Uint8Array(size);
  let valid = checked.length === size;
  for (let i = 0; valid && i < size; i++) {
    const index = checked[i];
    valid = index === ordering[i] && index >= 0 && index < size && seen[index] === 0;
    seen[index] = 1;
  }
  if (!valid) throw new RangeError(`a permutation must order each of the ${size} pooled rows once`);
  return checked;
}

export interface TvdOptions {
  /** Permutations of the pooled sample (Evidently: 1000). */
  permutations?: number;
  /**
   * Supplies permutation number i (from 0) as the reference-side counts per category of the
   * permuted pooled sample, aligned with the counts given. Defaults to a multivariate
   * hypergeometric draw from the random source.
   */
  permutationSource?: (permutation: number) => ArrayLike<number>;
}

export interface TvdResult {
  /** The total variation distance 0.5 * sum |r/n_r - c/n_c|. */
  statistic: number;
  /** sum(observed <= permuted) / permutations, as Evidently computes it. */
  pValue: number;
}

/**
 * Evidently's TVD test: the total variation distance between the two samples' category shares,
 * and the share of random splits of the pooled sample whose distance is at least as large.
 *
 * A split only matters through its counts per category, which are drawn directly (see
 * drawCategoryCounts), so a permutation costs O(categories) rather than a shuffle of every row.
 * Distances are compared exactly, on the integer sum_k |r_k n_c - c_k n_r| (which is
 * 2 n_r n_c TVD): Evidently compares rounded doubles, which can split a tie between two
 * splits whose distances are equal in exact arithmetic.
 */
export function tvdPermutation(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  random: RandomSource,
  options: TvdOptions = {},
): TvdResult {
  const permutations = options.permutations ?? 1000;
  const { reference, current, pooled } = checkTvdInput(
    referenceCounts,
    currentCounts,
    permutations,
  );
  const referenceSize = sum(reference);
  const currentSize = sum(current);

  const gap = scaledGap(referenceSize, currentSize);
  const observed = gap(reference, pooled);
  const drawn = new Float64Array(pooled.length);
  const source = options.permutationSource;
  const pValue = shareAtLeast(observed, permutations, (p) =>
    gap(
      source
        ? checkedCounts(source(p), pooled, referenceSize)
        : drawCategoryCounts(pooled, referenceSize, random, drawn),
      pooled,
    ),
  );

  return { statistic: totalVariation(reference, current), pValue };
}

/** Evidently's p-value: the share of permuted statistics at or above the observed one, no +1. */
function shareAtLeast(
  observed: number,
  permutations: number,
  permuted: (permutation: number) => number,
): number {
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    if (observed <= permuted(p)) atLeast++;
  }
  return atLeast / permutations;
}

function checkTvdInput(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  permutations: number,
): { reference: Float64Array; current: Float64Array; pooled: Float64Array } {
  // Validated as Evidently would see them; every category is kept, so that injected permuted
  // counts line up with the counts given (an empty category adds nothing to the distance).
  presentCategories(referenceCounts, currentCounts);
  const reference = Float64Array.from(referenceCounts);
  const current = Float64Array.from(currentCounts);
  if (![...reference, ...current].every(Number.isInteger)) {
    throw new RangeError('the TVD permutation test needs whole-number counts');
  }
  if (!(Number.isInteger(permutations) && permutations >= 1)) {
    throw new RangeError('the number of permutations must be a whole number above 0');
  }
  const pooled = reference.map((count, k) => count + current[k]);
  return { reference, current, pooled };
}

/**
 * sum_k |r_k n_c - c_k n_r| for reference-side counts r and pooled counts: exact in doubles while
 * n_r n_c stays below 2^52. Past that (over 67 million rows a side) the sum can round, and the
 * distance is compared as Evidently compares it, in shares.
 */
function scaledGap(referenceSize: number, currentSize: number) {
  if (referenceSize * currentSize < 2 ** 52) {
    return (referenceSide: ArrayLike<number>, pooled: Float64Array) => {
      let total = 0;
      for (let k = 0; k < pooled.length; k++) {
        const r = referenceSide[k];
        total += Math.abs(r * currentSize - (pooled[k] - r) * referenceSize);
      }
      return total;
    };
  }
  return (referenceSide: ArrayLike<number>, pooled: Float64Array) => {
    const total = new CompensatedSum();
    for (let k = 0; k < pooled.length; k++) {
      const r = referenceSide[k];
      total.add(Math.abs(r / referenceSize - (pooled[k] - r) / currentSize));
    }
    return total.value;
  };
}

function checkedCounts(
  counts: ArrayLike<number>,
  pooled: Float64Array,
  referenceSize: number,
): ArrayLike<number> {
  if (counts.length !== pooled.length) {
    throw new RangeError(`permuted counts must cover all ${pooled.length} categories`);
  }
  let total = 0;
  for (let k = 0; k < pooled.length; k++) {
    if (!(Number.isInteger(counts[k]) && counts[k] >= 0 && counts[k] <= pooled[k])) {
      throw new RangeError(
        'permuted counts must lie between 0 and the pooled count of each category',
      );
    }
    total += counts[k];
  }
  if (total !== referenceSize) {
    throw new RangeError(`permuted counts must add up to the reference size, ${referenceSize}`);
  }
  return counts;
}

function sum(counts: Float64Array): number {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  return total;
}
