/**
 * The regularized incomplete beta function and Student's t distribution on top of it
 * (t.sf(t, df) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2)).
 *
 * A t-test on two samples of a million rows has df near 2e6, where x^a (1 - x)^b / B(a, b)
 * built from log-gamma values would lose six digits to cancellation; it is built instead from
 * Loader's saddle-point pieces, as a binomial term, and 1 - x is passed in separately so that
 * it keeps its digits when x is close to 1.
 */
import { normalSf } from './normal';
import { deviance, stirlingError } from './gamma';

/** log(x^a y^b / B(a, b)) for a, b > 0 and x + y = 1, both in (0, 1). */
function logPowerTerm(a: number, b: number, x: number, y: number): number {
  const n = a + b;
  const stirling = stirlingError(n) - stirlingError(a) - stirlingError(b);
  const deviances = deviance(a, n * x) + deviance(b, n * y);
  const ratio = (a * b) / n;
  return stirling - deviances - 0.5 * Math.log(2 * Math.PI * ratio) + Math.log(ratio);
}

/** Iteration cap for the continued fraction, which needs O(sqrt(max(a, b))) terms. */
function iterationLimit(a: number, b: number): number {
  return 10000 + Math.ceil(20 * Math.sqrt(Math.max(a, b)));
}

/**
 * The continued fraction for a B(a, b) I_x(a, b) / (x^a y^b), in its even contraction:
 * D_0 + N_1 / (D_1 + N_2 / (D_2 + ...)). The textbook form has denominators 1 - x (1 - ...),
 * which cancel when x is near 1 (a t-test with df in the millions loses five digits there);
 * here every D_m is x P_m + y with P_m simplified by hand, so nothing cancels. It converges
 * quickly for x < (a + 1) / (a + b + 2), and the fraction is evaluated by modified Lentz.
 */
function betaFraction(a: number, b: number, x: number, y: number): number {
  const tiny = 1e-300;
  let fraction = (x * (1 - b)) / (a + 1) + y;
  fraction = Math.abs(fraction) < tiny ? tiny : fraction;
  let c = fraction;
  let d = 0;
  const limit = iterationLimit(a, b);

  for (let m = 1; m < limit; m++) {
    const numerator =
      (m * (b - m) * (a + m - 1) * (a + b + m - 1) * x * x) /
      ((a + 2 * m - 2) * (a + 2 * m - 1) * (a + 2 * m - 1) * (a + 2 * m));
    const slope = (a * (2 * m + 1 - b) + 2 * m * m + b - 1) / ((a + 2 * m - 1) * (a + 2 * m + 1));
    const denominator = x * slope + y;

    d = denominator + numerator * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = denominator + numerator / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const step = c * d;
    fraction *= step;
    if (Math.abs(step - 1) < 1e-16) {
      break;
    }
  }
  return 1 / fraction;
}

/** I_x(a, b) from the side where the continued fraction converges, without swapping. */
function betaDirect(a: number, b: number, x: number, y: number): number {
  return Math.exp(logPowerTerm(a, b, x, y) + Math.log(betaFraction(a, b, x, y) / a));
}

/**
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b). Pass
 * `oneMinusX` when 1 - x is known more precisely than the subtraction would give it.
 */
export function regularizedBeta(x: number, a: number, b: number, oneMinusX = 1 - x): number {
  if ([x, a, b, oneMinusX].some(Number.isNaN) || a <= 0 || b <= 0) {
    return NaN;
  }
  if (x <= 0) {
    return 0;
  }
  if (oneMinusX <= 0) {
    return 1;
  }

  if (x > (a + 1) / (a + b + 2)) {
    return 1 - betaDirect(b, a, oneMinusX, x);
  }
  return betaDirect(a, b, x, oneMinusX);
}

/** P(T > |t|) for Student's t with df degrees of freedom. */
function studentTail(t: number, df: number): number {
  // With r = df / t^2 (formed without squaring t, which may overflow): x = r / (1 + r).
  const ratio = df / Math.abs(t) / Math.abs(t);
  if (ratio === Infinity) {
    return 0.5;
  }
  const x = ratio / (1 + ratio);
  const y = 1 / (1 + ratio);
  return 0.5 * regularizedBeta(x, df / 2, 0.5, y);
}

/** P(T > t) for Student's t with df degrees of freedom (SciPy's t.sf); df may be Infinity. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) {
    return NaN;
  }
  if (df === Infinity) {
    return normalSf(t);
  }
  if (t === 0) {
    return 0.5;
  }
  const tail = studentTail(t, df);
  return t > 0 ? tail : 1 - tail;
}

/** P(T <= t) for Student's t with df degrees of freedom (SciPy's t.cdf). */
export function studentTCdf(t: number, df: number): number {
  return studentTSf(-t, df);
}
