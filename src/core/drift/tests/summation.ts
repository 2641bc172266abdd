/**
 * numpy's pairwise summation, step for step: blocks of at most 128 values summed with eight
 * running partial sums, larger arrays split in two at a multiple of eight. SciPy's statistics
 * are built from np.sum and np.mean, so summing in the same order makes our statistics round
 * the same way as theirs, which matters where a statistic is a small difference of large sums
 * (the Cramer-von Mises T, a t statistic between near-equal means).
 */

const BLOCK = 128;

function blockSum(values: ArrayLike<number>, start: number, count: number): number {
  if (count < 8) {
    let sum = 0;
    for (let i = start; i < start + count; i++) {
      sum += values[i];
    }
    return sum;
  }

  let r0 = values[start];
  let r1 = values[start + 1];
  let r2 = values[start + 2];
  let r3 = values[start + 3];
  let r4 = values[start + 4];
  let r5 = values[start + 5];
  let r6 = values[start + 6];
  let r7 = values[start + 7];
  const unrolledEnd = start + count - (count % 8);
  let i = start + 8;
  for (; i < unrolledEnd; i += 8) {
    r0 += values[i];
    r1 += values[i + 1];
    r2 += values[i + 2];
    r3 += values[i + 3];
    r4 += values[i + 4];
    r5 += values[i + 5];
    r6 += values[i + 6];
    r7 += values[i + 7];
  }
  let sum = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < start + count; i++) {
    sum += values[i];
  }
  return sum;
}

function pairwiseRange(values: ArrayLike<number>, start: number, count: number): number {
  if (count <= BLOCK) {
    return blockSum(values, start, count);
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseRange(values, start, half) + pairwiseRange(values, start + half, count - half);
}

/** The sum of `values` as np.sum computes it for a contiguous float64 array. */
export function pairwiseSum(values: ArrayLike<number>): number {
  return pairwiseRange(values, 0, values.length);
}

/** The mean as np.mean computes it: the pairwise sum over the count. */
export function pairwiseMean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}
