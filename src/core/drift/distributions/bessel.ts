/**
 * The exponentially scaled modified Bessel function of the second kind, e^x K_nu(x), which
 * the Cramer-von Mises limiting distribution needs at nu = 1/4.
 *
 * It is computed from the integral e^x K_nu(x) = int_0^inf exp(-x (cosh t - 1)) cosh(nu t) dt
 * by the trapezoidal rule. The integrand is analytic and decays doubly exponentially, so the
 * rule converges geometrically in the step: a step of 0.5/sqrt(x) (at most 0.2) leaves an error
 * near 1e-17, and the sum stops once the integrand is below 1e-18 of it.
 */

/** e^x K_nu(x) for x > 0 and |nu| small (the integrand must still decay). */
export function besselKScaled(nu: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(nu) || x < 0) {
    return NaN;
  }
  if (x === 0) {
    return Infinity;
  }

  const step = Math.min(0.2, 0.5 / Math.sqrt(x));
  // cosh t - 1 = 2 sinh^2(t/2), which keeps its digits for small t.
  const integrand = (t: number) => {
    const halfSinh = Math.sinh(t / 2);
    return Math.exp(-2 * x * halfSinh * halfSinh) * Math.cosh(nu * t);
  };

  let sum = integrand(0) / 2;
  for (let j = 1; j < 100000; j++) {
    const value = integrand(j * step);
    sum += value;
    if (value < sum * 1e-18) {
      break;
    }
  }
  return sum * step;
}
