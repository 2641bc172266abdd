/**
 * Two exact algorithms for the CDF of the two-sided one-sample Kolmogorov-Smirnov statistic,
 * P(D_n < d), used by kstwoSf where Simard & L'Ecuyer (2011) recommend them:
 *
 * - Durbin's matrix method in the form of Marsaglia, Tsang & Wang (2003): the answer is an
 *   entry of H^n for a (2k - 1)-square matrix H, k = ceil(n d);
 * - Pomeranz's (1974) recursion over the 2n + 2 points where the bounds on the empirical
 *   count change, each step a convolution with Poisson-like weights.
 *
 * Both carry a binary exponent beside their numbers, since the intermediate values leave the
 * range of a double long before the answer does.
 */

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

/** value * 2^exponent without overflowing or underflowing on the way. */
function scaleByPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let remaining = exponent;
  while (remaining > 0) {
    const step = Math.min(remaining, 1000);
    result *= 2 ** step;
    remaining -= step;
  }
  while (remaining < 0) {
    const step = Math.max(remaining, -1000);
    result *= 2 ** step;
    remaining -= step;
  }
  return result;
}

/** The largest absolute entry, which decides when a matrix is rescaled. */
function largestEntry(matrix: Float64Array): number {
  let largest = 0;
  for (const value of matrix) {
    largest = Math.max(largest, Math.abs(value));
  }
  return largest;
}

/** The product of two square matrices stored row by row. */
function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const factor = left[i * size + k];
      if (factor === 0) {
        continue;
      }
      for (let j = 0; j < size; j++) {
        product[i * size + j] += factor * right[k * size + j];
      }
    }
  }
  return product;
}

/**
 * Durbin's matrix H for d = (k - h) / n: below the diagonal band 1/(i - j + 1)!, with the
 * first column and the last row corrected for the fractional part h.
 */
function durbinMatrix(k: number, h: number): Float64Array {
  const size = 2 * k - 1;
  const matrix = new Float64Array(size * size);
  const inverseFactorials = new Float64Array(size + 1);
  inverseFactorials[0] = 1;
  for (let j = 1; j <= size; j++) {
    inverseFactorials[j] = inverseFactorials[j - 1] / j;
  }

  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= Math.min(i + 1, size - 1); j++) {
      matrix[i * size + j] = inverseFactorials[i - j + 1];
    }
  }
  for (let i = 0; i < size; i++) {
    const edge = (1 - h ** (i + 1)) * inverseFactorials[i + 1];
    matrix[i * size] = edge;
    matrix[(size - 1) * size + (size - 1 - i)] = edge;
  }
  const corner = 1 - 2 * h ** size + Math.max(0, 2 * h - 1) ** size;
  matrix[(size - 1) * size] = corner * inverseFactorials[size];
  return matrix;
}

/** A matrix with a binary exponent kept beside it: the value is matrix * 2^exponent. */
interface ScaledMatrix {
  matrix: Float64Array;
  exponent: number;
}

/** Rescales a matrix whose entries have grown past 2^128. */
function keepInRange(scaled: ScaledMatrix): ScaledMatrix {
  if (largestEntry(scaled.matrix) <= SCALE_UP) {
    return scaled;
  }
  const matrix = scaled.matrix.map((value) => value * SCALE_DOWN);
  return { matrix, exponent: scaled.exponent + SCALE_EXPONENT };
}

/** base^power by repeated squaring, rescaling as the entries grow. */
function matrixPower(base: Float64Array, power: number, size: number): ScaledMatrix {
  let square: ScaledMatrix = { matrix: base, exponent: 0 };
  let result: ScaledMatrix | undefined;
  for (let remaining = power; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      result = keepInRange(
        result
          ? {
              matrix: multiply(result.matrix, square.matrix, size),
              exponent: result.exponent + square.exponent,
            }
          : { matrix: square.matrix.slice(), exponent: square.exponent },
      );
    }
    square = keepInRange({
      matrix: multiply(square.matrix, square.matrix, size),
      exponent: 2 * square.exponent,
    });
  }
  return result ?? { matrix: base, exponent: 0 };
}

/** value * 2^exponent * n! / n^n, one factor at a time so nothing leaves the range. */
function timesFactorialOverPower(value: number, exponent: number, n: number): number {
  let probability = value;
  let scale = exponent;
  for (let i = 1; i <= n; i++) {
    probability = (probability * i) / n;
    if (Math.abs(probability) < SCALE_DOWN) {
      probability *= SCALE_UP;
      scale -= SCALE_EXPONENT;
    }
  }
  return scaleByPowerOfTwo(probability, scale);
}

/** P(D_n < d) by Durbin's matrix; exact, best when n d is small. */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) {
    return 1;
  }
  const nd = n * d;
  if (nd <= 0.5) {
    return 0;
  }

  const k = Math.ceil(nd);
  const size = 2 * k - 1;
  const { matrix, exponent } = matrixPower(durbinMatrix(k, k - nd), n, size);
  return timesFactorialOverPower(matrix[(k - 1) * size + (k - 1)], exponent, n);
}

/**
 * Bounds on the count of sample points at or below the breakpoint `point` (0 .. 2n + 1).
 * The breakpoints are 0, then k + g and k + 1 - g for k = 0 .. n - 1, then n, where
 * g = min(f, 1 - f) and t = n d = l + f; between two of them the allowed counts are constant:
 * above s - t and below s + t. A count at a breakpoint must satisfy the upper bound of the
 * interval it closes and the lower bound of the interval it opens.
 */
function countBounds(
  point: number,
  n: number,
  whole: number,
  upperHalf: boolean,
): [number, number] {
  if (point === 2 * n + 1) {
    return [n, n];
  }
  const closing = point - 1;
  const opening = point;
  const upper = intervalBounds(closing, whole, upperHalf)[1];
  const lower = intervalBounds(opening, whole, upperHalf)[0];
  return [Math.max(0, lower), Math.min(n, upper)];
}

/** [lowest, highest] allowed count inside the interval after breakpoint `interval`. */
function intervalBounds(interval: number, whole: number, upperHalf: boolean): [number, number] {
  if (interval % 2 === 0) {
    const half = interval / 2;
    return [half - whole, half + whole];
  }
  const k = (interval - 1) / 2;
  return upperHalf ? [k - whole, k + whole + 1] : [k + 1 - whole, k + whole];
}

/** The Poisson-like weights (step/n)^r / r! for r = 0 .. length - 1. */
function stepWeights(step: number, n: number, length: number): Float64Array {
  const weights = new Float64Array(length);
  weights[0] = 1;
  for (let r = 1; r < length; r++) {
    weights[r] = (weights[r - 1] * (step / n)) / r;
  }
  return weights;
}

/** One row of Pomeranz's recursion: the counts allowed at a breakpoint and their values. */
interface PomeranzRow {
  values: Float64Array;
  start: number;
  end: number;
}

/**
 * The next row: each allowed count j gathers the previous row's count i times the chance
 * (step/n)^(j-i)/(j-i)! of j - i points falling in between. Returns the largest value, for
 * rescaling.
 */
function convolve(previous: PomeranzRow, next: PomeranzRow, weights: Float64Array): number {
  next.values.fill(0);
  let largest = 0;
  for (let j = next.start; j <= next.end; j++) {
    let sum = 0;
    for (let i = previous.start; i <= Math.min(j, previous.end); i++) {
      sum += previous.values[i - previous.start] * weights[j - i];
    }
    next.values[j - next.start] = sum;
    largest = Math.max(largest, sum);
  }
  return largest;
}

/** value * 2^exponent * n!, one factor at a time so nothing leaves the range. */
function timesFactorial(value: number, exponent: number, n: number): number {
  let probability = value;
  let scale = exponent;
  for (let m = 1; m <= n; m++) {
    if (probability > SCALE_UP) {
      probability *= SCALE_DOWN;
      scale += SCALE_EXPONENT;
    }
    probability *= m;
  }
  return scaleByPowerOfTwo(probability, scale);
}

/** P(D_n < d) by Pomeranz's recursion; exact, used for moderate n d^2 when n <= 140. */
export function kolmogorovCdfPomeranz(n: number, d: number): number {
  const t = n * d;
  const whole = Math.floor(t);
  const upperHalf = t - whole > 0.5;
  const g = Math.min(t - whole, 1 - (t - whole));
  const width = 2 * whole + 3;
  const edge = stepWeights(g, n, width);
  const odd = stepWeights(1 - 2 * g, n, width);
  const even = stepWeights(2 * g, n, width);

  let previous: PomeranzRow = { values: new Float64Array(width), start: 0, end: 0 };
  previous.values[0] = 1;
  let spare: Float64Array = new Float64Array(width);
  let exponent = 0;
  for (let point = 1; point <= 2 * n + 1; point++) {
    // The gap before this breakpoint is g at both ends, then alternately 1 - 2g and 2g.
    const weights = point === 1 || point === 2 * n + 1 ? edge : point % 2 === 0 ? odd : even;
    const [start, end] = countBounds(point, n, whole, upperHalf);
    const next: PomeranzRow = { values: spare, start, end };
    const largest = convolve(previous, next, weights);
    if (largest > 0 && largest < SCALE_DOWN) {
      next.values.forEach((value, index) => (next.values[index] = value * SCALE_UP));
      exponent -= SCALE_EXPONENT;
    }
    spare = previous.values;
    previous = next;
  }
  return timesFactorial(previous.values[0], exponent, n);
}
