import { CompensatedSum, roundHalfEven } from './numeric';

/**
 * The Gaussian kernel behind Evidently's empirical_mmd, for one-dimensional samples, and the
 * unbiased MMD^2 of any split of the pooled sample into the two sample sizes.
 */

/**
 * Evidently's squared distance in its expanded form, (b^2 - 2ab) + a^2, with a the row's value:
 * it rounds differently from (a - b)^2 (and can even go slightly negative for close values far
 * from zero), and the kernel is built from it, so it is reproduced as is. A value's distance to
 * itself is exactly 0.
 */
function squaredDistance(a: number, b: number): number {
  return b * b - 2 * (a * b) + a * a;
}

/**
 * Evidently's sigma: sqrt(0.5 * median) of the squared distances between all n^2 ordered pairs
 * of reference values, the n zeros of the diagonal included, taking numpy's 'nearest' median
 * (index round-half-even((n^2 - 1) / 2)); sqrt(0.5) when that median is 0.
 */
export function medianHeuristicSigma(reference: Float64Array): number {
  const n = reference.length;
  const pairs = new Float64Array((n * (n - 1)) / 2);
  let next = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) pairs[next++] = squaredDistance(reference[i], reference[j]);
  }
  pairs.sort();

  // The n^2 values are every off-diagonal pair twice plus n zeros: find the one at `index`
  // among them without building them.
  const index = roundHalfEven((n * n - 1) * 0.5);
  let negatives = 0;
  while (negatives < pairs.length && pairs[negatives] < 0) negatives++;
  let median: number;
  if (index < 2 * negatives) median = pairs[Math.floor(index / 2)];
  else if (index < 2 * negatives + n) median = 0;
  else median = pairs[Math.floor((index - n) / 2)];

  const sigma = Math.sqrt(0.5 * median);
  return sigma === 0 ? Math.sqrt(0.5) : sigma;
}

/**
 * exp(-d^2 / (2 sigma^2)) between every two values of the pooled sample [reference; current],
 * kept as the strict lower triangle (the diagonal is zeroed, as Evidently zeroes it), with each
 * row's sum, so that a split's within-group sum is the only part that needs the pairs again.
 */
export class PooledKernel {
  private readonly triangle: Float64Array;
  private readonly rowSums: Float64Array;
  private readonly total: number;
  private readonly referenceSize: number;
  private readonly currentSize: number;

  constructor(reference: Float64Array, current: Float64Array, sigma: number) {
    const size = reference.length + current.length;
    const pooled = new Float64Array(size);
    pooled.set(reference, 0);
    pooled.set(current, reference.length);
    this.referenceSize = reference.length;
    this.currentSize = current.length;
    this.triangle = new Float64Array((size * (size - 1)) / 2);
    this.rowSums = new Float64Array(size);

    const gamma = 1.0 / (2.0 * (sigma * sigma));
    for (let b = 1; b < size; b++) {
      const base = (b * (b - 1)) / 2;
      const value = pooled[b];
      let rowSum = 0;
      for (let a = 0; a < b; a++) {
        const k = Math.exp(-gamma * squaredDistance(pooled[a], value));
        this.triangle[base + a] = k;
        this.rowSums[a] += k;
        rowSum += k;
      }
      this.rowSums[b] += rowSum;
    }
    this.total = compensatedSum(
      this.rowSums,
      Int32Array.from({ length: size }, (_, i) => i),
    );
  }

  /**
   * Unbiased MMD^2 = sum(Kxx)/(n(n-1)) + sum(Kyy)/(m(m-1)) - 2 mean(Kxy) when the pooled rows
   * order[0..n-1] are the reference and the rest the current sample. Only the smaller group's
   * pairs are summed; the other two sums follow from the row sums and the total.
   */
  mmd(order: Int32Array): number {
    const n = this.referenceSize;
    const m = this.currentSize;
    const currentIsSmaller = m <= n;
    const group = (currentIsSmaller ? order.slice(n) : order.slice(0, n)).sort();

    const within = 2 * this.pairSum(group);
    const rows = compensatedSum(this.rowSums, group);
    const across = rows - within;
    const without = this.total - 2 * rows + within;
    const sumXX = currentIsSmaller ? without : within;
    const sumYY = currentIsSmaller ? within : without;
    return (1 / (n * (n - 1))) * sumXX + (1 / (m * (m - 1))) * sumYY - 2.0 * (across / (n * m));
  }

  /** The kernel summed over the unordered pairs of an ascending group of rows. */
  private pairSum(group: Int32Array): number {
    const total = new CompensatedSum();
    for (let g = 1; g < group.length; g++) {
      const base = (group[g] * (group[g] - 1)) / 2;
      let row = 0;
      for (let h = 0; h < g; h++) row += this.triangle[base + group[h]];
      total.add(row);
    }
    return total.value;
  }
}

function compensatedSum(values: Float64Array, positions: Int32Array): number {
  const total = new CompensatedSum();
  for (let i = 0; i < positions.length; i++) total.add(values[positions[i]]);
  return total.value;
}
