import { ascending, pairwiseSum, requireFinite } from './numeric';

/**
 * The k-sample Anderson-Darling test, midrank variant (Scholz & Stephens 1987, eq. 7), with
 * SciPy's p-value: an interpolation in the table of critical values, capped at 0.25 and floored
 * at 0.001 outside it (reference/drift.md section 5.4). Evidently's `anderson` test reports that
 * capped p-value.
 */

export interface AndersonResult {
  /** The normalised statistic (A2kN - (k - 1)) / sigma_N. */
  statistic: number;
  pValue: number;
  /** Critical values for the significance levels 25%, 10%, 5%, 2.5%, 1%, 0.5%, 0.1%. */
  criticalValues: number[];
  /**
   * 'low' when the statistic is below every critical value, so the p-value is capped at 0.25
   * (the true one is larger); 'high' when it is above all of them, so the p-value is floored at
   * 0.001 (the true one is smaller); null when the p-value is interpolated.
   */
  capped: 'low' | 'high' | null;
}

const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

export function andersonKsamp(samples: Float64Array[]): AndersonResult {
  const sorted = checkedSamples(samples);
  const pooled = mergeAll(sorted);
  const ties = distinctRuns(pooled);
  if (ties.values.length < 2) {
    throw new RangeError('the Anderson-Darling test needs more than one distinct value');
  }

  const midrank = midrankStatistic(sorted, ties, pooled.length);
  const k = samples.length;
  const m = k - 1;
  const statistic = (midrank - m) / Math.sqrt(varianceUnderNull(sorted, pooled.length));
  const criticalValues = B0.map((b0, i) => b0 + B1[i] / Math.sqrt(m) + B2[i] / m);
  return { statistic, criticalValues, ...interpolatedPValue(statistic, criticalValues) };
}

function checkedSamples(samples: Float64Array[]): Float64Array[] {
  if (samples.length < 2) throw new RangeError('the Anderson-Darling test needs two samples');
  let size = 0;
  for (const sample of samples) {
    if (sample.length === 0) throw new RangeError('a sample without values cannot be tested');
    requireFinite(sample, 'a sample');
    size += sample.length;
  }
  // SciPy's variance has (N - 1)(N - 2)(N - 3) below the line and gives NaN for N = 3.
  if (size < 4) throw new RangeError('the Anderson-Darling test needs at least 4 values in all');
  return samples.map((sample) => ascending(sample));
}

/** All samples merged into one sorted array, two at a time. */
function mergeAll(sorted: Float64Array[]): Float64Array {
  let pooled = sorted[0];
  for (let s = 1; s < sorted.length; s++) pooled = merge(pooled, sorted[s]);
  return pooled;
}

function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
  }
  return out;
}

interface Runs {
  /** The distinct values z*_j, ascending. */
  values: Float64Array;
  /** l_j: how many pooled values equal z*_j. */
  counts: Float64Array;
  /** How many pooled values lie below z*_j. */
  below: Float64Array;
}

function distinctRuns(pooled: Float64Array): Runs {
  const values = new Float64Array(pooled.length);
  const counts = new Float64Array(pooled.length);
  const below = new Float64Array(pooled.length);
  let distinct = 0;
  let start = 0;
  while (start < pooled.length) {
    let end = start + 1;
    while (end < pooled.length && pooled[end] === pooled[start]) end++;
    values[distinct] = pooled[start];
    counts[distinct] = end - start;
    below[distinct] = start;
    distinct++;
    start = end;
  }
  return {
    values: values.subarray(0, distinct),
    counts: counts.subarray(0, distinct),
    below: below.subarray(0, distinct),
  };
}

/**
 * A2akN = (N - 1)/N sum_i (1/n_i) sum_j (l_j/N) (N M_ij - B_j n_i)^2 / (B_j (N - B_j) - N l_j/4),
 * with B_j and M_ij the midrank counts (values below, plus half the ties). The operations are
 * SciPy's, in its order, and the inner sums are numpy's pairwise sums.
 */
function midrankStatistic(sorted: Float64Array[], ties: Runs, size: number): number {
  const terms = new Float64Array(ties.values.length);
  let total = 0;
  for (const sample of sorted) {
    const n = sample.length;
    let atOrBelow = 0;
    for (let j = 0; j < ties.values.length; j++) {
      const value = ties.values[j];
      let equal = 0;
      for (; atOrBelow < n && sample[atOrBelow] === value; atOrBelow++) equal++;
      const lj = ties.counts[j];
      const bj = ties.below[j] + lj / 2;
      const mij = atOrBelow - equal / 2;
      const spread = size * mij - bj * n;
      terms[j] = ((lj / size) * (spread * spread)) / (bj * (size - bj) - (size * lj) / 4);
    }
    total += pairwiseSum(terms) / n;
  }
  return total * ((size - 1) / size);
}

/** sigma_N^2 of Scholz & Stephens (their eq. 4), with SciPy's sums. */
function varianceUnderNull(sorted: Float64Array[], size: number): number {
  const k = sorted.length;
  let H = 0;
  for (const sample of sorted) H += 1 / sample.length;

  // hs_cs = cumsum(1 / [N-1, N-2, ..., 2]); h = its last value + 1; g = sum(hs_cs / [2..N-1]).
  const ratios = new Float64Array(size - 2);
  let running = 0;
  for (let t = 0; t < size - 2; t++) {
    running += 1 / (size - 1 - t);
    ratios[t] = running / (t + 2);
  }
  const h = running + 1;
  const g = pairwiseSum(ratios);

  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const N = size;
  return (a * (N * N * N) + b * (N * N) + c * N + d) / ((N - 1.0) * (N - 2.0) * (N - 3.0));
}

/** SciPy's p-value: exp of a quadratic fitted to log(significance) against the critical values. */
function interpolatedPValue(
  statistic: number,
  critical: number[],
): { pValue: number; capped: AndersonResult['capped'] } {
  if (statistic < Math.min(...critical)) return { pValue: 0.25, capped: 'low' };
  if (statistic > Math.max(...critical)) return { pValue: 0.001, capped: 'high' };

  const [c2, c1, c0] = quadraticFit(critical, SIGNIFICANCE.map(Math.log));
  return { pValue: Math.exp((c2 * statistic + c1) * statistic + c0), capped: null };
}

/**
 * np.polyfit(x, y, 2): least squares on the Vandermonde columns [x^2, x, 1], each scaled to unit
 * norm as numpy scales them, solved by Householder QR. Returns [c2, c1, c0].
 */
export function quadraticFit(x: number[], y: number[]): [number, number, number] {
  const rows = x.length;
  const columns = [x.map((v) => v * v), x.slice(), x.map(() => 1)];
  const scales = columns.map((column) => Math.sqrt(column.reduce((s, v) => s + v * v, 0)));
  const a = columns.map((column, c) => column.map((v) => v / scales[c]));
  const rhs = y.slice();

  for (let c = 0; c < 3; c++) householderStep(a, rhs, c, rows);
  const solution = backSubstitute(a, rhs);
  return [solution[0] / scales[0], solution[1] / scales[1], solution[2] / scales[2]];
}

/** Zeroes column c below the diagonal with a reflection, applied to the later columns and rhs. */
function householderStep(a: number[][], rhs: number[], c: number, rows: number): void {
  let norm = 0;
  for (let r = c; r < rows; r++) norm += a[c][r] * a[c][r];
  norm = Math.sqrt(norm);
  const alpha = a[c][c] > 0 ? -norm : norm;
  const v = a[c].slice();
  for (let r = 0; r < c; r++) v[r] = 0;
  v[c] -= alpha;
  let vNorm = 0;
  for (let r = c; r < rows; r++) vNorm += v[r] * v[r];
  if (vNorm === 0) return;

  const reflect = (target: number[]) => {
    let dot = 0;
    for (let r = c; r < rows; r++) dot += v[r] * target[r];
    const factor = (2 * dot) / vNorm;
    for (let r = c; r < rows; r++) target[r] -= factor * v[r];
  };
  for (let later = c; later < 3; later++) reflect(a[later]);
  reflect(rhs);
}

function backSubstitute(a: number[][], rhs: number[]): number[] {
  const solution = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let value = rhs[r];
    for (let c = r + 1; c < 3; c++) value -= a[c][r] * solution[c];
    solution[r] = value / a[r][r];
  }
  return solution;
}
