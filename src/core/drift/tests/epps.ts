import { chi2Sf } from '../distributions/gamma';
import { linearPercentileSorted, pairwiseSum, requireFinite } from './numeric';
import { symmetricPseudoInverse } from './pseudoInverse';

/**
 * The Epps-Singleton two-sample test on the empirical characteristic function, as
 * scipy.stats.epps_singleton_2samp computes it (reference/drift.md section 5.6).
 */

export interface EppsResult {
  statistic: number;
  pValue: number;
}

export function eppsSingleton2samp(
  x: Float64Array,
  y: Float64Array,
  t: [number, number] = [0.4, 0.8],
): EppsResult {
  checkInput(x, y, t);
  const nx = x.length;
  const ny = y.length;
  const n = nx + ny;

  // The points t are rescaled by half the pooled interquartile range.
  const sigma = pooledIqr(x, y) / 2;
  if (sigma === 0) {
    throw new RangeError('the Epps-Singleton test needs a pooled interquartile range above 0');
  }
  const ts = t.map((point) => point / sigma);

  const gx = characteristicRows(x, ts);
  const gy = characteristicRows(y, ts);
  const size = 2 * ts.length;
  const covariance = pooledCovariance(gx, nx, gy, ny, size);
  const { inverse, rank } = symmetricPseudoInverse(covariance, size);

  let statistic = n * quadraticForm(inverse, meanDifference(gx, gy, size), size);
  if (Math.max(nx, ny) < 25) {
    statistic *= 1.0 / (1.0 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
  }
  return { statistic, pValue: chi2Sf(statistic, rank) };
}

function checkInput(x: Float64Array, y: Float64Array, t: number[]): void {
  if (x.length < 5 || y.length < 5) {
    throw new RangeError(
      `the Epps-Singleton test needs at least 5 values a side (got ${x.length} and ${y.length})`,
    );
  }
  if (!t.every((point) => point > 0 && Number.isFinite(point))) {
    throw new RangeError('the points t must be positive');
  }
  requireFinite(x, 'the first sample');
  requireFinite(y, 'the second sample');
}

function pooledIqr(x: Float64Array, y: Float64Array): number {
  const pooled = new Float64Array(x.length + y.length);
  pooled.set(x, 0);
  pooled.set(y, x.length);
  pooled.sort();
  return linearPercentileSorted(pooled, 75) - linearPercentileSorted(pooled, 25);
}

/** g = [cos(t_1 v), ..., cos(t_L v), sin(t_1 v), ..., sin(t_L v)], one row per function. */
function characteristicRows(values: Float64Array, ts: number[]): Float64Array[] {
  const cosines = ts.map((t) => values.map((value) => Math.cos(t * value)));
  const sines = ts.map((t) => values.map((value) => Math.sin(t * value)));
  return [...cosines, ...sines];
}

/**
 * est_cov = (N/nx) cov_x + (N/ny) cov_y, each the biased covariance of the rows (np.cov times
 * (n - 1)/n, in SciPy's order of operations).
 */
function pooledCovariance(
  gx: Float64Array[],
  nx: number,
  gy: Float64Array[],
  ny: number,
  size: number,
): Float64Array {
  const covX = rowCovariance(gx, size);
  const covY = rowCovariance(gy, size);
  const n = nx + ny;
  const pooled = new Float64Array(size * size);
  for (let e = 0; e < pooled.length; e++) {
    const biasedX = (covX[e] * (nx - 1)) / nx;
    const biasedY = (covY[e] * (ny - 1)) / ny;
    pooled[e] = (n / nx) * biasedX + (n / ny) * biasedY;
  }
  return pooled;
}

/** np.cov(rows): centred rows, their dot products, over n - 1. */
function rowCovariance(rows: Float64Array[], size: number): Float64Array {
  const count = rows[0].length;
  const centred = rows.map((row) => {
    const center = pairwiseSum(row) / count;
    return row.map((value) => value - center);
  });
  const covariance = new Float64Array(size * size);
  const products = new Float64Array(count);
  for (let r = 0; r < size; r++) {
    for (let c = r; c < size; c++) {
      for (let i = 0; i < count; i++) products[i] = centred[r][i] * centred[c][i];
      const value = pairwiseSum(products) * (1 / (count - 1));
      covariance[r * size + c] = value;
      covariance[c * size + r] = value;
    }
  }
  return covariance;
}

function meanDifference(gx: Float64Array[], gy: Float64Array[], size: number): Float64Array {
  const difference = new Float64Array(size);
  for (let r = 0; r < size; r++) {
    difference[r] = pairwiseSum(gx[r]) / gx[r].length - pairwiseSum(gy[r]) / gy[r].length;
  }
  return difference;
}

/** v^T A v. */
function quadraticForm(matrix: Float64Array, vector: Float64Array, size: number): number {
  let total = 0;
  for (let r = 0; r < size; r++) {
    let row = 0;
    for (let c = 0; c < size; c++) row += matrix[r * size + c] * vector[c];
    total += vector[r] * row;
  }
  return total;
}
