/**
 * Small numeric helpers shared by the column tests. Sums follow numpy's own order (pairwise
 * summation in blocks of eight) so that means, deviations and divergences land on the same
 * doubles as numpy's, and thresholds that depend on them (a bin count, a tie) come out the same.
 */

/** np.sum of a float64 vector: numpy's pairwise summation, bit for bit. */
export function pairwiseSum(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let total = 0;
    for (let i = start; i < end; i++) total += values[i];
    return total;
  }
  if (n <= 128) return blockSum(values, start, n);

  // Split near the middle, on a multiple of eight, as numpy does.
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, start + half) + pairwiseSum(values, start + half, end);
}

/** numpy's inner block: eight running sums, combined as a tree, then the leftover tail. */
function blockSum(values: ArrayLike<number>, start: number, n: number): number {
  let r0 = values[start];
  let r1 = values[start + 1];
  let r2 = values[start + 2];
  let r3 = values[start + 3];
  let r4 = values[start + 4];
  let r5 = values[start + 5];
  let r6 = values[start + 6];
  let r7 = values[start + 7];
  const whole = n - (n % 8);
  let i = 8;
  for (; i < whole; i += 8) {
    r0 += values[start + i];
    r1 += values[start + i + 1];
    r2 += values[start + i + 2];
    r3 += values[start + i + 3];
    r4 += values[start + i + 4];
    r5 += values[start + i + 5];
    r6 += values[start + i + 6];
    r7 += values[start + i + 7];
  }
  // ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), numpy's tree.
  let total = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < n; i++) total += values[start + i];
  return total;
}

/** np.mean. */
export function mean(values: ArrayLike<number>): number {
  return pairwiseSum(values) / values.length;
}

/** np.std (ddof 0): the mean, then the mean square deviation, as numpy's _var computes them. */
export function populationStd(values: ArrayLike<number>): number {
  const center = mean(values);
  const squares = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const deviation = values[i] - center;
    squares[i] = deviation * deviation;
  }
  return Math.sqrt(pairwiseSum(squares) / values.length);
}

/**
 * A sum that stays accurate to about one rounding however many terms it gets (Neumaier's
 * compensated summation). Used where numpy calls BLAS, whose order cannot be copied anyway.
 */
export class CompensatedSum {
  private total = 0;
  private compensation = 0;

  add(value: number): void {
    const next = this.total + value;
    if (Math.abs(this.total) >= Math.abs(value)) {
      this.compensation += this.total - next + value;
    } else {
      this.compensation += value - next + this.total;
    }
    this.total = next;
  }

  get value(): number {
    return this.total + this.compensation;
  }
}

/** Throws unless every value is finite: the callers drop missing values first, as Evidently does. */
export function requireFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${what} holds a value that is not finite (${values[i]})`);
    }
  }
}

export function isSorted(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) {
    if (values[i - 1] > values[i]) return false;
  }
  return true;
}

/** The values in ascending order: the array itself when it already is, else a sorted copy. */
export function ascending(values: Float64Array, sorted = false): Float64Array {
  if (sorted || isSorted(values)) return values;
  return Float64Array.from(values).sort();
}

/** numpy's round-half-to-even, for the 'nearest' percentile index. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * np.percentile with the default 'linear' method on sorted values: the virtual index (n-1)q and
 * numpy's two-sided interpolation formula, so quartiles match to the last bit.
 */
export function linearPercentileSorted(sorted: ArrayLike<number>, percent: number): number {
  const n = sorted.length;
  const index = (n - 1) * (percent / 100);
  if (index >= n - 1) return sorted[n - 1];
  if (index < 0) return sorted[0];
  const below = Math.floor(index);
  const gamma = index - below;
  const low = sorted[below];
  const high = sorted[below + 1];
  const difference = high - low;
  return gamma >= 0.5 ? high - difference * (1 - gamma) : low + difference * gamma;
}

/** How often each distinct value of either sorted sample occurs in each, by one merge. */
export function sortedUnionCounts(
  reference: Float64Array,
  current: Float64Array,
): { values: number[]; reference: Float64Array; current: Float64Array } {
  const values: number[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const next =
      j >= current.length || (i < reference.length && reference[i] <= current[j])
        ? reference[i]
        : current[j];
    let r = 0;
    let c = 0;
    for (; i < reference.length && reference[i] === next; i++) r++;
    for (; j < current.length && current[j] === next; j++) c++;
    values.push(next);
    ref.push(r);
    cur.push(c);
  }
  return { values, reference: Float64Array.from(ref), current: Float64Array.from(cur) };
}
