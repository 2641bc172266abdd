/**
 * The Kolmogorov-Smirnov distributions: kstwo (the exact two-sided one-sample statistic D_n,
 * which SciPy's two-sample KS test uses in its asymptotic mode with n = round(m n / (m + n))),
 * smirnov (one-sided) and kstwobign (the limit of sqrt(n) D_n).
 *
 * kstwoSf follows the plan of Simard & L'Ecuyer (2011) with SciPy's cut-offs, so that each
 * (n, d) is computed by the same method SciPy picks: the two cases of Ruben & Gambino near
 * the ends, twice the Smirnov tail where the two one-sided events cannot overlap or their
 * overlap no longer matters, Durbin's matrix and Pomeranz's recursion for small n, and the
 * Pelz-Good asymptotic series for large n. Pelz-Good is an approximation, and matching SciPy
 * means making the same one.
 */
import { stirlingError } from './gamma';
import { kolmogorovCdfDurbin, kolmogorovCdfPomeranz } from './kolmogorovExact';
import { smirnovSf } from './smirnov';

export { smirnovSf };

const PI_SQUARED = Math.PI * Math.PI;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

function clipProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** log(n! / n^n) from the Stirling error, without the cancellation of log n! - n log n. */
function logFactorialOverPower(n: number): number {
  return stirlingError(n) + 0.5 * Math.log(2 * Math.PI * n) - n;
}

/** sum_k coefficients(k) q^((2k-1)^2) for k = 1 .. count, by Horner in q^(8k). */
function oddSquareSeries(q: number, count: number, coefficient: (m: number) => number): number {
  let sum = 0;
  for (let k = count; k >= 1; k--) {
    sum = sum * q ** (8 * k) + coefficient(2 * k - 1);
  }
  return sum * q;
}

/** sum_{k >= 1} k^2 q^(k^2) and sum_{k >= 1} (3 z^2 - pi^2 k^2) k^2 q^(k^2), the whole-index sums. */
function wholeIndexSums(q: number, z2: number, count: number): [number, number] {
  let plain = 0;
  let weighted = 0;
  for (let k = count; k >= 1; k--) {
    const term = k * k * q ** (k * k);
    plain += term;
    weighted += (3 * z2 - PI_SQUARED * k * k) * term;
  }
  return [plain, weighted];
}

/** The odd-index parts of K2 and K3, before their common factor sqrt(2 pi). */
function oddIndexK2K3(q: number, z: number, count: number): [number, number] {
  const z2 = z * z;
  const k2 = oddSquareSeries(q, count, (m) => {
    const m2 = m * m;
    const b = ((2 * z2 * z2 - 5 * z2) * PI_SQUARED) / 4;
    const c = (PI_SQUARED * PI_SQUARED * (1 - 2 * z2)) / 16;
    return 6 * z2 ** 3 + 2 * z2 * z2 + b * m2 + c * m2 * m2;
  });
  const k3 = oddSquareSeries(q, count, (m) => {
    const m2 = m * m;
    const b = (PI_SQUARED * (135 * z2 * z2 - 96 * z2 ** 3)) / 4;
    const c = (PI_SQUARED ** 2 * (-60 * z2 + 212 * z2 * z2)) / 16;
    const d = (PI_SQUARED ** 3 * (5 - 30 * z2)) / 64;
    return -30 * z2 ** 3 - 90 * z2 ** 4 + b * m2 + c * m2 * m2 + d * m2 ** 3;
  });
  return [k2 / (72 * z ** 7), k3 / (6480 * z2 ** 5)];
}

/**
 * The Pelz-Good (1976) approximation to P(D_n <= x): K0(z) + K1(z)/sqrt(n) + K2(z)/n +
 * K3(z)/n^(3/2) with z = x sqrt(n), each K written as theta-function sums that converge fast
 * for small z (Simard & L'Ecuyer 2011, section 2.3).
 */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const logQ = -PI_SQUARED / 8 / z2;
  if (logQ < -708) {
    return 0;
  }
  const q = Math.exp(logQ);
  const count = Math.ceil((16 * z) / Math.PI);

  const k0 = (SQRT_2PI * oddSquareSeries(q, count, () => 1)) / z;
  const k1 =
    (SQRT_2PI * oddSquareSeries(q, count, (m) => -z2 + (PI_SQUARED / 4) * m * m)) / (6 * z2 * z2);
  const [k2Odd, k3Odd] = oddIndexK2K3(q, z, count);
  const [k2Whole, k3Whole] = wholeIndexSums(Math.exp(-PI_SQUARED / 2 / z2), z2, count);
  const k2 = SQRT_2PI * k2Odd - (PI_SQUARED * SQRT_2PI * k2Whole) / (36 * z2 * z);
  const k3 = SQRT_2PI * k3Odd + (PI_SQUARED * SQRT_2PI * k3Whole) / (216 * z2 ** 3);

  return k0 + k1 / Math.sqrt(n) + k2 / n + k3 / n ** 1.5;
}

/** P(D_n > d) for n <= 140, between the Ruben-Gambino ends (SciPy's choices). */
function smallSampleSf(n: number, d: number): number {
  const nxSquared = n * d * d;
  if (nxSquared <= 0.754693) {
    return 1 - kolmogorovCdfDurbin(n, d);
  }
  if (nxSquared <= 4) {
    return 1 - kolmogorovCdfPomeranz(n, d);
  }
  return 2 * smirnovSf(n, d);
}

/** P(D_n > d) for n > 140, between the Ruben-Gambino ends (SciPy's choices). */
function largeSampleSf(n: number, d: number): number {
  const nxSquared = n * d * d;
  if (nxSquared >= 370) {
    return 0;
  }
  if (nxSquared >= 2.2) {
    return 2 * smirnovSf(n, d);
  }
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, d) : pelzGoodCdf(n, d);
  return 1 - cdf;
}

/**
 * P(D_n > d) for the two-sided one-sample KS statistic with n points: SciPy's
 * kstwo.sf(d, n). n must be a whole number >= 1.
 */
export function kstwoSf(d: number, n: number): number {
  if (Number.isNaN(d) || Number.isNaN(n) || !Number.isInteger(n) || n <= 0) {
    return NaN;
  }
  if (d >= 1) {
    return 0;
  }
  if (d <= 0) {
    return 1;
  }

  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) {
      return 1;
    }
    // Ruben-Gambino: P(D_n <= d) = n!/n^n (2t - 1)^n for 1/2n <= d <= 1/n.
    const cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clipProbability(1 - cdf);
  }
  if (t >= n - 1) {
    return clipProbability(2 * (1 - d) ** n);
  }
  if (d >= 0.5) {
    return clipProbability(2 * smirnovSf(n, d));
  }
  return clipProbability(n <= 140 ? smallSampleSf(n, d) : largeSampleSf(n, d));
}

/**
 * P(K > x) for the Kolmogorov distribution, the limit of sqrt(n) D_n (SciPy's kstwobign.sf).
 * Below 0.82 the theta-function form of the CDF converges in a few terms; above it the
 * alternating series for the tail does, and keeps its relative accuracy far out.
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) {
    return NaN;
  }
  if (x <= 0) {
    return 1;
  }
  if (x <= 0.82) {
    const logQ = -PI_SQUARED / (8 * x * x);
    if (logQ < -708) {
      return 1;
    }
    const q = Math.exp(logQ);
    const cdf = (SQRT_2PI / x) * oddSquareSeries(q, 6, () => 1);
    return 1 - cdf;
  }

  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-18 * sum) {
      break;
    }
  }
  return clipProbability(2 * sum);
}
