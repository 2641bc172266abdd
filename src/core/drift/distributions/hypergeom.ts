/**
 * The hypergeometric distribution, in SciPy's parameter order: M items in all, n of them
 * successes, N drawn without replacement; X counts the successes drawn.
 *
 * The probability mass is Loader's: the ratio of two binomial terms to a third, each built
 * from Stirling errors and deviances, so it keeps full relative accuracy for tables with
 * millions of rows, where exp(log C(n, k) + ...) from log-gamma values would lose six digits.
 * Tails are summed outward from the point asked for, by the exact ratio of neighbouring
 * masses, and stop once the rest cannot change the sum.
 */
import { deviance, stirlingError } from './gamma';

/** log of C(size, x) p^x q^(size - x), for whole 0 <= x <= size and p + q = 1. */
function logBinomialTerm(x: number, size: number, p: number, q: number): number {
  if (p === 0) {
    return x === 0 ? 0 : -Infinity;
  }
  if (q === 0) {
    return x === size ? 0 : -Infinity;
  }
  if (x === 0) {
    return size === 0 ? 0 : p < 0.1 ? -deviance(size, size * q) - size * p : size * Math.log(q);
  }
  if (x === size) {
    return q < 0.1 ? -deviance(size, size * p) - size * q : size * Math.log(p);
  }

  const stirling = stirlingError(size) - stirlingError(x) - stirlingError(size - x);
  const deviances = deviance(x, size * p) + deviance(size - x, size * q);
  return stirling - deviances - 0.5 * Math.log(2 * Math.PI * x * (1 - x / size));
}

interface Support {
  low: number;
  high: number;
}

function validParameters(M: number, n: number, N: number): boolean {
  const whole = [M, n, N].every((value) => Number.isInteger(value) && value >= 0);
  return whole && n <= M && N <= M;
}

function supportOf(M: number, n: number, N: number): Support {
  return { low: Math.max(0, N - (M - n)), high: Math.min(n, N) };
}

/** P(X = k), exact to a few units in the last place. */
export function hypergeomPmf(k: number, M: number, n: number, N: number): number {
  if (!validParameters(M, n, N) || Number.isNaN(k)) {
    return NaN;
  }
  const { low, high } = supportOf(M, n, N);
  if (!Number.isInteger(k) || k < low || k > high) {
    return 0;
  }
  if (N === 0 || N === M) {
    return 1;
  }

  const p = N / M;
  const q = (M - N) / M;
  const logMass =
    logBinomialTerm(k, n, p, q) + logBinomialTerm(N - k, M - n, p, q) - logBinomialTerm(N, M, p, q);
  return Math.exp(logMass);
}

/** The mode of X, where the masses stop rising. */
function modeOf(M: number, n: number, N: number): number {
  return Math.floor(((N + 1) * (n + 1)) / (M + 2));
}

/** Sum of P(X = j) for j from `start` downward to the support's low end. */
function sumDownward(start: number, M: number, n: number, N: number, low: number): number {
  let mass = hypergeomPmf(start, M, n, N);
  let sum = mass;
  for (let j = start; j > low && mass > 0; j--) {
    // P(X = j - 1) / P(X = j) = j (M - n - N + j) / ((n - j + 1)(N - j + 1))
    mass *= (j * (M - n - N + j)) / ((n - j + 1) * (N - j + 1));
    sum += mass;
    if (mass < sum * 1e-17) {
      break;
    }
  }
  return sum;
}

/** Sum of P(X = j) for j from `start` upward to the support's high end. */
function sumUpward(start: number, M: number, n: number, N: number, high: number): number {
  let mass = hypergeomPmf(start, M, n, N);
  let sum = mass;
  for (let j = start; j < high && mass > 0; j++) {
    // P(X = j + 1) / P(X = j) = (n - j)(N - j) / ((j + 1)(M - n - N + j + 1))
    mass *= ((n - j) * (N - j)) / ((j + 1) * (M - n - N + j + 1));
    sum += mass;
    if (mass < sum * 1e-17) {
      break;
    }
  }
  return sum;
}

/** P(X <= k). */
export function hypergeomCdf(k: number, M: number, n: number, N: number): number {
  if (!validParameters(M, n, N) || Number.isNaN(k)) {
    return NaN;
  }
  const { low, high } = supportOf(M, n, N);
  const whole = Math.floor(k);
  if (whole < low) {
    return 0;
  }
  if (whole >= high) {
    return 1;
  }
  if (whole < modeOf(M, n, N)) {
    return Math.min(1, sumDownward(whole, M, n, N, low));
  }
  return Math.max(0, 1 - sumUpward(whole + 1, M, n, N, high));
}

/** P(X > k). */
export function hypergeomSf(k: number, M: number, n: number, N: number): number {
  if (!validParameters(M, n, N) || Number.isNaN(k)) {
    return NaN;
  }
  const { low, high } = supportOf(M, n, N);
  const whole = Math.floor(k);
  if (whole < low) {
    return 1;
  }
  if (whole >= high) {
    return 0;
  }
  if (whole + 1 > modeOf(M, n, N)) {
    return Math.min(1, sumUpward(whole + 1, M, n, N, high));
  }
  return Math.max(0, 1 - sumDownward(whole, M, n, N, low));
}
