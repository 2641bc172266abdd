/**
 * The log-gamma function, the regularized incomplete gamma functions P and Q, and the
 * chi-square distribution built on them (chi2.sf(x, df) = Q(df/2, x/2)).
 *
 * The factor x^a e^-x / Gamma(a + 1) that leads every incomplete gamma value is formed with
 * Catherine Loader's saddle-point method (the Stirling-series error plus a deviance term)
 * instead of exp(a log x - x - logGamma(a + 1)): with thousands of categories the naive
 * exponent is a difference of numbers near 1e4, and its rounding would cost several digits
 * of every p-value (for shapes below 15 the direct form has nothing to lose and is used). The
 * same two helpers serve the beta and hypergeometric distributions.
 */

/** Godfrey's coefficients for Lanczos' approximation with g = 607/128 (15 terms). */
const LANCZOS_COEFFICIENTS = [
  0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4,
  -0.98374475304879564677e-4, 0.15808870322491248884e-3, -0.21026444172410488319e-3,
  0.2174396181152126432e-3, -0.16431810653676389022e-3, 0.84418223983852743293e-4,
  -0.2619083840158140867e-4, 0.36899182659531622704e-5,
];
const LANCZOS_SHIFT = 607 / 128 + 0.5;
const SQRT_2PI = 2.5066282746310005024;

/** log |Gamma(x)| for real x; +Infinity at the poles 0, -1, -2, ... */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) {
    return NaN;
  }
  if (x === Infinity) {
    return Infinity;
  }
  if (x <= 0 && Number.isInteger(x)) {
    return Infinity;
  }

  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }

  let series = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) {
    series += LANCZOS_COEFFICIENTS[i] / (x + i);
  }
  const shifted = x + LANCZOS_SHIFT;
  return (x + 0.5) * Math.log(shifted) - shifted + Math.log((SQRT_2PI * series) / x);
}

/**
 * The error of Stirling's formula in log form: logGamma(n + 1) - [(n + 1/2) log n - n +
 * log sqrt(2 pi)], for n > 0. Above 15 the asymptotic series is exact to rounding; below, the
 * exact step from n to n + 1, (n + 1/2) log1p(1/n) - 1, is added up to there, which keeps the
 * absolute error near 1e-16 where the direct difference of logs would lose two digits.
 */
export function stirlingError(n: number): number {
  let shift = 0;
  let offset = 0;
  while (n + offset <= 15) {
    const m = n + offset;
    shift += (m + 0.5) * Math.log1p(1 / m) - 1;
    offset += 1;
  }

  const m = n + offset;
  const inverseSquare = 1 / (m * m);
  const series =
    (1 / 12 -
      (1 / 360 -
        (1 / 1260 - (1 / 1680 - (1 / 1188) * inverseSquare) * inverseSquare) * inverseSquare) *
        inverseSquare) /
    m;
  return series + shift;
}

/**
 * The deviance term x log(x / mean) + mean - x, without the cancellation the direct form
 * suffers when x is close to mean (Loader's series in v = (x - mean) / (x + mean)).
 */
export function deviance(x: number, mean: number): number {
  if (x === 0) {
    return mean;
  }
  const difference = x - mean;
  if (Math.abs(difference) >= 0.1 * (x + mean)) {
    return x * Math.log(x / mean) + mean - x;
  }

  const v = difference / (x + mean);
  const vSquared = v * v;
  let sum = difference * v;
  let term = 2 * x * v;
  for (let j = 1; j < 1000; j++) {
    term *= vSquared;
    const next = sum + term / (2 * j + 1);
    if (next === sum) {
      return sum;
    }
    sum = next;
  }
  return sum;
}

/**
 * log(mean^x e^-mean / Gamma(x + 1)) for real x > 0 and mean > 0, to full precision. For small
 * x the direct form has nothing large to cancel and is the more accurate; from 15 on, the
 * saddle-point form.
 */
export function logPoissonTerm(x: number, mean: number): number {
  if (x < 15) {
    return x * Math.log(mean) - mean - logGamma(x + 1);
  }
  return -stirlingError(x) - deviance(x, mean) - 0.5 * Math.log(2 * Math.PI * x);
}

/** Iteration cap for the series and the continued fraction, which need O(sqrt(a)) terms. */
function iterationLimit(a: number): number {
  return 10000 + Math.ceil(20 * Math.sqrt(a));
}

/** P(a, x) by its power series, for x < a + 1. */
function lowerGammaSeries(a: number, x: number): number {
  let term = 1;
  let sum = 1;
  const limit = iterationLimit(a);
  for (let k = 1; k < limit; k++) {
    term *= x / (a + k);
    sum += term;
    if (term < sum * 1e-17) {
      break;
    }
  }
  return Math.exp(logPoissonTerm(a, x) + Math.log(sum));
}

/** Q(a, x) by Legendre's continued fraction (modified Lentz), for x >= a + 1. */
function upperGammaFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let fraction = d;
  const limit = iterationLimit(a);
  for (let i = 1; i < limit; i++) {
    const coefficient = -i * (i - a);
    b += 2;
    d = coefficient * d + b;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = b + coefficient / c;
    if (Math.abs(c) < tiny) {
      c = tiny;
    }
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < 1e-16) {
      break;
    }
  }
  return Math.exp(Math.log(a) + logPoissonTerm(a, x) + Math.log(fraction));
}

function invalidGammaArguments(a: number, x: number): boolean {
  return Number.isNaN(a) || Number.isNaN(x) || a <= 0 || a === Infinity || x < 0;
}

/** The regularized lower incomplete gamma function P(a, x) = gamma(a, x) / Gamma(a). */
export function regularizedGammaP(a: number, x: number): number {
  if (invalidGammaArguments(a, x)) {
    return NaN;
  }
  if (x === 0) {
    return 0;
  }
  if (x === Infinity) {
    return 1;
  }
  return x < a + 1 ? lowerGammaSeries(a, x) : 1 - upperGammaFraction(a, x);
}

/** The regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x), exact in its tail. */
export function regularizedGammaQ(a: number, x: number): number {
  if (invalidGammaArguments(a, x)) {
    return NaN;
  }
  if (x === 0) {
    return 1;
  }
  if (x === Infinity) {
    return 0;
  }
  return x < a + 1 ? 1 - lowerGammaSeries(a, x) : upperGammaFraction(a, x);
}

/** P(X > x) for X chi-square with df degrees of freedom (SciPy's chi2.sf). */
export function chi2Sf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) {
    return NaN;
  }
  if (x <= 0) {
    return 1;
  }
  return regularizedGammaQ(df / 2, x / 2);
}

/** P(X <= x) for X chi-square with df degrees of freedom (SciPy's chi2.cdf). */
export function chi2Cdf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0) {
    return NaN;
  }
  if (x <= 0) {
    return 0;
  }
  return regularizedGammaP(df / 2, x / 2);
}
