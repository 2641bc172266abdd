import { deviance, stirlingError } from '../distributions/gamma';
import { randomInt, type RandomSource } from '../random';

/**
 * Random draws for the permutation tests: subsamples without replacement, and the category
 * counts of a random split of a pooled sample, drawn directly instead of shuffled.
 */

/** `size` values drawn without replacement (a partial Fisher-Yates shuffle of the positions). */
export function subsample(values: Float64Array, size: number, random: RandomSource): Float64Array {
  if (values.length <= size) return values;
  const positions = new Int32Array(values.length);
  for (let i = 0; i < positions.length; i++) positions[i] = i;

  const chosen = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const j = i + randomInt(random, positions.length - i);
    const position = positions[j];
    positions[j] = positions[i];
    positions[i] = position;
    chosen[i] = values[position];
  }
  return chosen;
}

/**
 * The counts per category of `draws` items taken without replacement from a population with
 * `pooled[k]` items of category k: a multivariate hypergeometric draw.
 *
 * Evidently's TVD permutation takes a uniformly random subset of the pooled sample as the new
 * reference and only ever looks at its counts. Those counts follow exactly this distribution:
 * the number of category-0 items in the subset is hypergeometric, and given it, the rest of the
 * subset is a uniform draw from the other categories, and so on. Drawing the counts one category
 * at a time is therefore the same test, at a cost that does not grow with the number of rows.
 */
export function drawCategoryCounts(
  pooled: ArrayLike<number>,
  draws: number,
  random: RandomSource,
  into: Float64Array = new Float64Array(pooled.length),
): Float64Array {
  let population = 0;
  for (let k = 0; k < pooled.length; k++) population += pooled[k];

  let left = draws;
  for (let k = 0; k < pooled.length; k++) {
    const taken = left === 0 ? 0 : drawHypergeometric(population, pooled[k], left, random);
    into[k] = taken;
    population -= pooled[k];
    left -= taken;
  }
  return into;
}

/**
 * How many of `draws` items taken without replacement from `population` items are among its
 * `successes`: exact inversion of the hypergeometric distribution, searched outwards from the
 * mode, so the expected work is proportional to the standard deviation, not the population.
 */
export function drawHypergeometric(
  population: number,
  successes: number,
  draws: number,
  random: RandomSource,
): number {
  const failures = population - successes;
  const low = Math.max(0, draws - failures);
  const high = Math.min(draws, successes);
  if (low >= high) return low;

  const mode = Math.min(
    high,
    Math.max(low, Math.floor(((draws + 1) * (successes + 1)) / (population + 2))),
  );
  const modeProbability = hypergeometricPmf(mode, population, successes, draws);

  // Walk outwards from the mode, one step up and one step down in turn, spending the uniform draw
  // on each value's probability (each from its neighbour's by the pmf ratio) until it runs out.
  let remaining = random() - modeProbability;
  let up = mode;
  let down = mode;
  let upProbability = modeProbability;
  let downProbability = modeProbability;
  while (
    remaining >= 0 &&
    ((up < high && upProbability > 0) || (down > low && downProbability > 0))
  ) {
    if (up < high) {
      upProbability *= ((successes - up) * (draws - up)) / ((up + 1) * (failures - draws + up + 1));
      up++;
      remaining -= upProbability;
      if (remaining < 0) return up;
    }
    if (down > low) {
      downProbability *=
        (down * (failures - draws + down)) / ((successes - down + 1) * (draws - down + 1));
      down--;
      remaining -= downProbability;
      if (remaining < 0) return down;
    }
  }
  // The draw fell on the mode, or (rarely) rounding left the probabilities a hair short of it.
  return mode;
}

/**
 * P(X = x) for the hypergeometric distribution, as a ratio of three binomial terms each formed
 * with Loader's saddle-point method, which stays accurate for populations in the millions where
 * differences of log-factorials would lose most of their digits.
 */
export function hypergeometricPmf(
  x: number,
  population: number,
  successes: number,
  draws: number,
): number {
  const p = draws / population;
  const q = (population - draws) / population;
  const first = binomialTerm(x, successes, p, q);
  const second = binomialTerm(draws - x, population - successes, p, q);
  return (first * second) / binomialTerm(draws, population, p, q);
}

/** C(n, x) p^x q^(n - x), with q = 1 - p given separately to keep its precision. */
function binomialTerm(x: number, n: number, p: number, q: number): number {
  if (x === 0)
    return n === 0 ? 1 : Math.exp(p < 0.1 ? -deviance(n, n * q) - n * p : n * Math.log(q));
  if (x === n) return Math.exp(q < 0.1 ? -deviance(n, n * p) - n * q : n * Math.log(p));

  const exponent =
    stirlingError(n) -
    stirlingError(x) -
    stirlingError(n - x) -
    deviance(x, n * p) -
    deviance(n - x, n * q);
  const spread = Math.log(2 * Math.PI) + Math.log(x) + Math.log1p(-x / n);
  return Math.exp(exponent - 0.5 * spread);
}
