/**
 * The one-sided Kolmogorov-Smirnov (Smirnov) distribution: P(D+_n >= x) for a sample of n
 * uniforms, by the exact Birnbaum-Tingey sum
 *
 *   sf = x * sum_{j=0}^{floor(n(1-x))} C(n, j) (x + j/n)^(j-1) (1 - x - j/n)^(n-j).
 *
 * The two-sided KS p-value of SciPy's kstwo is twice this in its upper tail, where p-values
 * reach 1e-300, so each term is built in logarithms from exact pieces: n x is split into a
 * double and its rounding error, because (1 - x - j/n)^(n-j) with n near a million would
 * otherwise magnify a rounding of 1e-16 in its base into 1e-10 in the result.
 */
import { stirlingError } from './gamma';

/** Above this n SciPy switches to the approximation exp(-(6nx + 1)^2 / 18n); so do we. */
const MAX_EXACT_N = 1000000;

/** Below this log the survival function underflows (SciPy's MINLOG). */
const MIN_LOG = -745.1332191019412;

/** Splits a double into two halves whose products are exact (Veltkamp). */
function split(value: number): [number, number] {
  const scaled = 134217729 * value;
  const high = scaled - (scaled - value);
  return [high, value - high];
}

/** a * b as an unevaluated sum high + low, exactly (Dekker's product). */
function exactProduct(a: number, b: number): [number, number] {
  const high = a * b;
  const [aHigh, aLow] = split(a);
  const [bHigh, bLow] = split(b);
  const low = aHigh * bHigh - high + aHigh * bLow + aLow * bHigh + aLow * bLow;
  return [high, low];
}

/** Stirling errors of the whole numbers 0..15, where the series does not yet apply. */
const SMALL_STIRLING_ERRORS = Array.from({ length: 16 }, (_, k) =>
  k === 0 ? 0 : stirlingError(k),
);

function wholeStirlingError(k: number): number {
  return k < 16 ? SMALL_STIRLING_ERRORS[k] : stirlingError(k);
}

/**
 * The log of the j-th Birnbaum-Tingey term, 1 <= j < n(1 - x), rearranged so that the large
 * logarithms of C(n, j) and of the two powers cancel on paper rather than in rounding:
 *
 *   log C(n, j) + (j - 1) log w + (n - j) log(1 - w),  w = (n x + j) / n,
 *   = S + j log1p(n x / j) + (n - j) log1p(-n x / (n - j)) - log(2 pi j (n - j) w^2 / n) / 2,
 *
 * S being the Stirling errors of n, j and n - j. n x enters as nxHigh + nxLow, exactly, so each
 * log1p is off by a rounding of its own argument only: the term keeps about 1e-13 at n = 1e6.
 */
function logTerm(n: number, j: number, nxHigh: number, nxLow: number): number {
  const rest = n - j;
  const stirling = wholeStirlingError(n) - wholeStirlingError(j) - wholeStirlingError(rest);

  const up = nxHigh / j;
  const logUp = Math.log1p(up) + nxLow / j / (1 + up);
  // Near the last term rest - n x is small: form it directly, where the subtraction is exact.
  const down = nxHigh / rest;
  const logDown =
    down > 0.5
      ? Math.log((rest - nxHigh - nxLow) / rest)
      : Math.log1p(-down) - nxLow / rest / (1 - down);

  const w = (nxHigh + j) / n;
  const normaliser = 0.5 * Math.log((2 * Math.PI * j * rest * w * w) / n);
  return stirling + j * logUp + rest * logDown - normaliser;
}

/**
 * The sum over j <= n(1 - x), stopped as SciPy stops it once the rest cannot matter. Terms
 * are summed relative to exp(-2 n x^2), roughly their total, so that a total in the
 * subnormal range is not lost to terms that underflow one by one.
 */
function lowerSum(n: number, x: number, lastTerm: number, nxHigh: number, nxLow: number): number {
  const offset = 2 * n * x * x;
  let sum = Math.exp(n * Math.log1p(-x) + offset);
  let compensation = 0;
  for (let j = 1; j <= lastTerm; j++) {
    const term = x * Math.exp(logTerm(n, j, nxHigh, nxLow) + offset);
    const next = sum + term;
    compensation += sum - next + term;
    sum = next;
    if (term !== 0 && 4 * (lastTerm - j) * term < Number.EPSILON * sum && j !== lastTerm) {
      break;
    }
    if (term === 0 && j > n / 2) {
      break;
    }
  }
  return (sum + compensation) * Math.exp(-offset);
}

/**
 * The complementary sum over j > n(1 - x), whose few terms alternate in sign; it gives the
 * CDF directly when x is so small that only one to three terms exist.
 */
function upperSum(n: number, x: number, firstTerm: number): number {
  let sum = 0;
  for (let j = n; j >= firstTerm; j--) {
    const rest = n - j;
    const w = x + j / n;
    let choose = 1;
    for (let i = 1; i <= rest; i++) {
      choose = (choose * (n - rest + i)) / i;
    }
    sum += x * choose * Math.pow(w, j - 1) * Math.pow(1 - w, rest);
  }
  return sum;
}

/** floor(n x) and whether n x is exactly an integer, from the exact product. */
function floorOfProduct(nxHigh: number, nxLow: number): { floor: number; exact: boolean } {
  let floor = Math.floor(nxHigh);
  if (floor === nxHigh && nxLow < 0) {
    floor -= 1;
  }
  const exact = floor === nxHigh && nxLow === 0;
  return { floor, exact };
}

/**
 * The cases SciPy settles before the sum, in its order: x <= 1/n and x >= 1 - 1/n in closed
 * form, an underflowing tail, and n above a million. Undefined when the sum is needed.
 */
function closedForm(n: number, x: number, floor: number, exact: boolean): number | undefined {
  if (floor === 0 || (floor === 1 && exact)) {
    return 1 - x * Math.pow(1 + x, n - 1);
  }
  if (-2 * n * x * x < MIN_LOG) {
    return 0;
  }
  if (floor >= n - 1) {
    return Math.pow(1 - x, n);
  }
  if (n > MAX_EXACT_N) {
    return approximateSf(n, x);
  }
  return undefined;
}

/** P(D+_n >= x), SciPy's smirnov(n, x), for a whole n >= 1 and x in [0, 1]. */
export function smirnovSf(n: number, x: number): number {
  if (Number.isNaN(x) || !(n >= 1) || !Number.isInteger(n) || x < 0 || x > 1) {
    return NaN;
  }
  if (n === 1 || x === 0 || x === 1) {
    return 1 - x;
  }

  const [nxHigh, nxLow] = exactProduct(n, x);
  const { floor, exact } = floorOfProduct(nxHigh, nxLow);
  const settled = closedForm(n, x, floor, exact);
  if (settled !== undefined) {
    return settled;
  }

  // Like SciPy, sum the few alternating upper terms for the CDF when x is small enough.
  const lastLower = n - floor - 1;
  const upperTerms = exact ? floor : floor + 1;
  const sf =
    n >= 10 && upperTerms <= 3 && x <= 0.5 / Math.sqrt(n)
      ? 1 - upperSum(n, x, lastLower + 1)
      : lowerSum(n, x, lastLower, nxHigh, nxLow);
  return Math.min(1, Math.max(0, sf));
}

/** SciPy's stand-in for n above a million: exp(-(6nx + 1)^2 / 18n). */
function approximateSf(n: number, x: number): number {
  const logP = -Math.pow(6 * n * x + 1, 2) / 18 / n;
  return logP < -Math.LN2 ? Math.exp(logP) : 1 + Math.expm1(logP);
}
