/**
 * The Gaussian-kernel machinery of the MMD test, on points stored row-major in one
 * Float64Array (`dimensions` numbers a point). The kernel matrix over the pooled reference and
 * current points is computed once, as a packed upper triangle: N(N-1)/2 numbers, 64 MB for
 * N = 4,000, half of the full matrix, and every row of it contiguous. A permutation then only
 * needs sums over blocks of that one matrix, never a new kernel evaluation.
 */

/** Offset in the packed triangle of pair (i, j), i < j, is rowStart(i) + j. */
function rowStart(i: number, size: number): number {
  return i * size - (i * (i + 1)) / 2 - i - 1;
}

/** Squared Euclidean distances between every pair of points, packed (i < j). */
export function pairwiseSquaredDistances(points: Float64Array, dimensions: number): Float64Array {
  const size = points.length / dimensions;
  const distances = new Float64Array((size * (size - 1)) / 2);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    const a = i * dimensions;
    for (let j = i + 1; j < size; j++) {
      const b = j * dimensions;
      let sum = 0;
      for (let k = 0; k < dimensions; k++) {
        const difference = points[a + k] - points[b + k];
        sum += difference * difference;
      }
      distances[offset++] = sum;
    }
  }
  return distances;
}

/**
 * alibi-detect's `sigma_median` on the reference against itself: sqrt(0.5 * d²) for the lower
 * median d² of the off-diagonal pairs. alibi sorts the full n×n matrix and takes position
 * n + (n² - n)//2 - 1, which skips the n zeros of the diagonal and, each pair appearing twice,
 * lands on pair number floor((P - 1)/2) of the P = n(n-1)/2 sorted pairs.
 *
 * `distances` is the packed triangle over all pooled points, the reference's first.
 */
export function medianHeuristicSigma(distances: Float64Array, size: number, reference: number) {
  const pairs = (reference * (reference - 1)) / 2;
  const within = new Float64Array(pairs);
  let offset = 0;
  for (let i = 0; i < reference; i++) {
    const start = rowStart(i, size);
    within.set(distances.subarray(start + i + 1, start + reference), offset);
    offset += reference - i - 1;
  }
  return Math.sqrt(0.5 * selectInPlace(within, Math.floor((pairs - 1) / 2)));
}

/** Turns packed squared distances into Gaussian kernel values exp(-d² / (2σ²)), in place. */
export function gaussianKernelInPlace(distances: Float64Array, sigma: number): Float64Array {
  const scale = -1 / (2 * sigma * sigma);
  for (let i = 0; i < distances.length; i++) distances[i] = Math.exp(distances[i] * scale);
  return distances;
}

/** The packed kernel with each point's row sum (diagonal excluded) and the sum over all pairs. */
export interface KernelSums {
  kernel: Float64Array;
  size: number;
  rowSums: Float64Array;
  pairSum: number;
}

export function kernelSums(kernel: Float64Array, size: number): KernelSums {
  const rowSums = new Float64Array(size);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    let own = 0;
    for (let j = i + 1; j < size; j++) {
      const value = kernel[offset++];
      own += value;
      rowSums[j] += value;
    }
    rowSums[i] += own;
  }
  let twice = 0;
  for (let i = 0; i < size; i++) twice += rowSums[i];
  return { kernel, size, rowSums, pairSum: twice / 2 };
}

/**
 * Unbiased MMD² (Gretton et al. 2012, as alibi-detect computes it from the kernel matrix with
 * its diagonal zeroed) when the first `reference` entries of `order` form the reference block:
 * sum(Kxx)/(n(n-1)) + sum(Kyy)/(m(m-1)) - 2 mean(Kxy).
 *
 * Only the pairs inside the smaller block are visited: with R its row sums, the cross sum is
 * R - 2 S_inside and the other block's sum is what is left of the total. The work is m²/2 reads
 * for a block of m points, in ascending order along contiguous rows.
 */
export function unbiasedMmd2(sums: KernelSums, order: Int32Array, reference: number): number {
  const size = sums.size;
  const current = size - reference;
  const smallIsReference = reference <= current;
  const members = smallerBlock(order, reference, smallIsReference);

  let inside = 0;
  let rows = 0;
  for (let a = 0; a < members.length; a++) {
    const i = members[a];
    const start = rowStart(i, size);
    let row = 0;
    for (let b = a + 1; b < members.length; b++) row += sums.kernel[start + members[b]];
    inside += row;
    rows += sums.rowSums[i];
  }
  const cross = rows - 2 * inside;
  const outside = sums.pairSum - inside - cross;

  const [withinReference, withinCurrent] = smallIsReference ? [inside, outside] : [outside, inside];
  return (
    (2 * withinReference) / (reference * (reference - 1)) +
    (2 * withinCurrent) / (current * (current - 1)) -
    (2 * cross) / (reference * current)
  );
}

/** The points of the smaller block, in ascending order so rows are read front to back. */
function smallerBlock(order: Int32Array, reference: number, ofReference: boolean): Int32Array {
  const inBlock = new Uint8Array(order.length);
  const [from, to] = ofReference ? [0, reference] : [reference, order.length];
  for (let k = from; k < to; k++) inBlock[order[k]] = 1;
  const members = new Int32Array(to - from);
  let count = 0;
  for (let i = 0; i < inBlock.length; i++) if (inBlock[i]) members[count++] = i;
  return members;
}

/**
 * The k-th smallest value (0-based), rearranging `values`: quickselect with a three-way
 * partition, so that many equal distances (repeated rows) cost no more than distinct ones.
 */
export function selectInPlace(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (low < high) {
    const pivot = medianOfThree(values[low], values[(low + high) >>> 1], values[high]);
    let lt = low;
    let gt = high;
    let i = low;
    while (i <= gt) {
      const value = values[i];
      if (value < pivot) swap(values, lt++, i++);
      else if (value > pivot) swap(values, i, gt--);
      else i++;
    }
    if (k < lt) high = lt - 1;
    else if (k > gt) low = gt + 1;
    else return pivot;
  }
  return values[k];
}

function medianOfThree(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

function swap(values: Float64Array, i: number, j: number): void {
  const value = values[i];
  values[i] = values[j];
  values[j] = value;
}
