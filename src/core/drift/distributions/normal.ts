/**
 * The complementary error function and the standard normal distribution, accurate to a few
 * units in the last place in both tails. P-values of the z-test, the asymptotic Mann-Whitney
 * test and anything else normal go through here, and a tail probability of 1e-300 must come
 * out as such rather than as 0 or as 1 - 1 = 0, so the upper tail is never formed as 1 - cdf.
 *
 * The method is W. J. Cody's (1969) three rational Chebyshev approximations: one for erf near
 * zero, one for erfc on [0.46875, 4] and an asymptotic one in 1/x^2 beyond, with exp(-x^2)
 * split in two so that its rounding error does not grow with x.
 */

/** Coefficients of erf(x)/x on |x| <= 0.46875 (Cody 1969). */
const ERF_NUMERATOR = [
  3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3,
  1.85777706184603153e-1,
];
const ERF_DENOMINATOR = [
  2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3,
];

/** Coefficients of exp(x^2) erfc(x) on [0.46875, 4]. */
const ERFC_MIDDLE_NUMERATOR = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2,
  8.8195222124176909e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
  2.15311535474403846e-8,
];
const ERFC_MIDDLE_DENOMINATOR = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];

/** Coefficients of the asymptotic correction to x exp(x^2) erfc(x) beyond 4. */
const ERFC_TAIL_NUMERATOR = [
  3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4, 1.63153871373020978e-2,
];
const ERFC_TAIL_DENOMINATOR = [
  2.56852019228982242, 1.87295284992346725, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3,
];

const INVERSE_SQRT_PI = 0.5641895835477563;
const SQRT1_2 = Math.SQRT1_2;

/** Beyond this erfc underflows to zero in double precision. */
const ERFC_UNDERFLOW = 27.3;

/** erf on |x| <= 0.46875, where the series-like form has no cancellation. */
function erfNearZero(x: number): number {
  const xSquared = x * x;
  let numerator = ERF_NUMERATOR[4] * xSquared;
  let denominator = xSquared;
  for (let i = 0; i < 3; i++) {
    numerator = (numerator + ERF_NUMERATOR[i]) * xSquared;
    denominator = (denominator + ERF_DENOMINATOR[i]) * xSquared;
  }
  return (x * (numerator + ERF_NUMERATOR[3])) / (denominator + ERF_DENOMINATOR[3]);
}

/**
 * exp(-y^2) for y >= 0, written as exp(-r^2) exp(-(y - r)(y + r)) with r = y rounded down to a
 * sixteenth: r^2 is then exact, so the huge argument carries no rounding error.
 */
function expMinusSquare(y: number): number {
  const rounded = Math.trunc(y * 16) / 16;
  const remainder = (y - rounded) * (y + rounded);
  return Math.exp(-rounded * rounded) * Math.exp(-remainder);
}

/** erfc for y > 0.46875. */
function erfcPositive(y: number): number {
  if (y >= ERFC_UNDERFLOW) {
    return 0;
  }

  if (y <= 4) {
    let numerator = ERFC_MIDDLE_NUMERATOR[8] * y;
    let denominator = y;
    for (let i = 0; i < 7; i++) {
      numerator = (numerator + ERFC_MIDDLE_NUMERATOR[i]) * y;
      denominator = (denominator + ERFC_MIDDLE_DENOMINATOR[i]) * y;
    }
    const ratio =
      (numerator + ERFC_MIDDLE_NUMERATOR[7]) / (denominator + ERFC_MIDDLE_DENOMINATOR[7]);
    return expMinusSquare(y) * ratio;
  }

  const inverseSquare = 1 / (y * y);
  let numerator = ERFC_TAIL_NUMERATOR[5] * inverseSquare;
  let denominator = inverseSquare;
  for (let i = 0; i < 4; i++) {
    numerator = (numerator + ERFC_TAIL_NUMERATOR[i]) * inverseSquare;
    denominator = (denominator + ERFC_TAIL_DENOMINATOR[i]) * inverseSquare;
  }
  const correction =
    (inverseSquare * (numerator + ERFC_TAIL_NUMERATOR[4])) /
    (denominator + ERFC_TAIL_DENOMINATOR[4]);
  return (expMinusSquare(y) * (INVERSE_SQRT_PI - correction)) / y;
}

/** The error function erf(x) = 1 - erfc(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) {
    return NaN;
  }
  const y = Math.abs(x);
  if (y <= 0.46875) {
    return erfNearZero(x);
  }
  const value = 1 - erfcPositive(y);
  return x < 0 ? -value : value;
}

/** The complementary error function erfc(x) = 1 - erf(x), with full relative accuracy for x > 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) {
    return NaN;
  }
  const y = Math.abs(x);
  if (y <= 0.46875) {
    return 1 - erfNearZero(x);
  }
  const value = erfcPositive(y);
  return x < 0 ? 2 - value : value;
}

/**
 * The standard normal CDF. Near zero it is 1/2 + erf/2 (no cancellation there); elsewhere the
 * smaller tail is erfc/2 and the larger one is 1 minus it, which is exact to rounding.
 */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) {
    return NaN;
  }
  const x = z * SQRT1_2;
  if (Math.abs(x) < SQRT1_2) {
    return 0.5 + 0.5 * erf(x);
  }
  const tail = 0.5 * erfc(Math.abs(x));
  return x > 0 ? 1 - tail : tail;
}

/** The standard normal survival function P(Z > z), accurate far into the upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}
