/**
 * Exact null distribution of the two-sample Kolmogorov-Smirnov statistic, by counting lattice
 * paths. A sample of sizes m and n, merged in order, is a path of m steps right and n steps
 * up from (0, 0) to (m, n), every path equally likely under the null; the ECDF difference at
 * the point (i, j) is i/m - j/n, and D >= h / lcm(m, n) exactly when the path reaches a point
 * with |i (n/g) - j (m/g)| >= h (g = gcd). The p-value is the share of paths that do.
 *
 * The arithmetic of the equal-size and two-sided cases follows SciPy's order of operations,
 * so that a value rounding just above 1 (which makes SciPy fall back to the asymptotic
 * p-value) rounds the same way here.
 */

/** floor(numerator / denominator) for whole numbers below 2^53, exactly. */
export function floorDivide(numerator: number, denominator: number): number {
  let quotient = Math.floor(numerator / denominator);
  if (quotient * denominator > numerator) {
    quotient -= 1;
  } else if ((quotient + 1) * denominator <= numerator) {
    quotient += 1;
  }
  return quotient;
}

export function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    [x, y] = [y, x % y];
  }
  return x;
}

/**
 * Two-sided, m = n: P(D >= h/n) = 2 sum_{k >= 1} (-1)^(k-1) C(2n, n - kh) / C(2n, n),
 * evaluated as 2 A_0 (1 - A_1 (1 - A_2 (...))) with A_k = C(2n, n - (k+1)h) / C(2n, n - kh),
 * which has no cancellation.
 */
export function twoSidedEqualSizes(n: number, h: number): number {
  let nested = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) {
      ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    }
    nested = ratio * (1 - nested);
  }
  return 2 * nested;
}

/**
 * Two-sided, m != n: the share of paths that leave the band |i/m - j/n| < h/lcm. Column by
 * column, each inside cell holds the probability that a random path to it has already left
 * the band; it came from the left with probability i/(i + j) and from below otherwise, and
 * cells outside the band hold 1 (Viehmann 2021). Only the band's cells are visited.
 */
export function twoSidedUnequalSizes(sizeA: number, sizeB: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const g = greatestCommonDivisor(m, n);
  const mg = m / g;
  const ng = n / g;

  const exited = new Float64Array(n + 1).fill(1);
  const firstHigh = Math.min(Math.ceil(h / mg), n + 1);
  exited.fill(0, 0, firstHigh);

  let high = firstHigh;
  for (let i = 1; i <= m; i++) {
    const low = Math.min(Math.max(floorDivide(ng * i - h, mg) + 1, 0), n);
    high = Math.min(-floorDivide(-(ng * i + h), mg), n + 1);
    if (high <= low) {
      return 1;
    }
    let value = low === 0 ? 0 : 1;
    for (let j = low; j < high; j++) {
      value = (exited[j] * i + value * j) / (i + j);
      exited[j] = value;
    }
  }
  return exited[high - 1];
}

/** One-sided, m = n: P(D+ >= h/n) = C(2n, n - h) / C(2n, n) = prod_{j<h} (n - j)/(n + j + 1). */
export function oneSidedEqualSizes(n: number, h: number): number {
  let probability = 1;
  for (let j = 0; j < h; j++) {
    probability *= (n - j) / (n + j + 1);
  }
  return probability;
}

/**
 * One-sided, m != n: the share of paths that reach i (n/g) - j (m/g) >= h somewhere, by the
 * same column recursion with a single boundary. The answer is symmetric in the two sizes
 * and in the direction, so `greater` and `less` share it.
 */
export function oneSidedUnequalSizes(sizeA: number, sizeB: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const g = greatestCommonDivisor(m, n);
  const mg = m / g;
  const ng = n / g;

  // crossed[j] holds the probability for the cell (i, j) of the current column i.
  const crossed = new Float64Array(n + 1);
  for (let i = 1; i <= m; i++) {
    // Cells with j <= (i ng - h) / mg are across the boundary.
    const lastAcross = floorDivide(ng * i - h, mg);
    for (let j = 0; j <= n; j++) {
      if (j <= lastAcross) {
        crossed[j] = 1;
      } else {
        const fromBelow = j > 0 ? crossed[j - 1] : 0;
        crossed[j] = (crossed[j] * i + fromBelow * j) / (i + j);
      }
    }
  }
  return crossed[n];
}

/** log C(a + b, a) is above the log of the largest double: SciPy's binomial overflows. */
export function binomialOverflows(a: number, b: number): boolean {
  let logChoose = 0;
  const small = Math.min(a, b);
  const total = a + b;
  for (let k = 1; k <= small; k++) {
    logChoose += Math.log((total - small + k) / k);
  }
  return logChoose > Math.log(Number.MAX_VALUE);
}
