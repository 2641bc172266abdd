import { ks2samp } from './tests/ks';
import { chisquare } from './tests/chisquare';
import { twoProportionZ } from './tests/ztest';
import { cramerVonMises2samp } from './tests/cvm';
import { mannWhitneyU } from './tests/mannwhitney';
import { fisherExact } from './tests/fisher';
import { ttestInd } from './tests/ttest';
import { evidentlyBinned, evidentlyBinnedCounts } from './tests/binning';
import {
  hellingerCategorical,
  hellingerNumerical,
  jensenShannon,
  klDivergence,
  psi,
} from './tests/divergences';
import { energyDistance, wassersteinDistance } from './tests/distances';
import { andersonKsamp } from './tests/anderson';
import { eppsSingleton2samp } from './tests/epps';
import { empiricalMmd, tvdPermutation } from './tests/permutation';
import { chi2Sf } from './distributions/gamma';
import { populationStd } from './tests/numeric';
import { countsFromSorted, type CategoryCounts, type NumericPair } from './columns';
import type { RandomSource } from './random';
import type { StatTestName } from './types';

/** What a test gives back before the threshold is applied. */
export interface TestOutcome {
  statistic: number;
  pValue: number | null;
  notes?: string[];
}

export interface TestContext {
  random: RandomSource;
}

/**
 * One of Evidently's column tests: its name, what its score is, its default threshold and the
 * comparison that means drift, copied test by test from Evidently (reference/drift.md §2.1),
 * since the operators differ (ks and cramer_von_mises drift at p <= threshold, the other p-value
 * tests at p < threshold; distances at >=, energy distance at >).
 */
export interface StatTest {
  name: StatTestName;
  title: string;
  score: 'p_value' | 'distance';
  defaultThreshold: number;
  operator: '<' | '<=' | '>' | '>=';
  /** Kinds a forced --test applies to. */
  kinds: ReadonlyArray<'numerical' | 'categorical'>;
  numerical?(pair: NumericPair, context: TestContext): TestOutcome;
  categorical?(counts: CategoryCounts, context: TestContext): TestOutcome;
}

const NUM = ['numerical'] as const;
const CAT = ['categorical'] as const;
const BOTH = ['categorical', 'numerical'] as const;

/** The numeric side of a test that compares counts: counts over the distinct values. */
const asCounts = (pair: NumericPair) => countsFromSorted(pair.reference, pair.current);

// `integer` stands for pandas' integer dtype, which changes numpy's Sturges width (at least 1).
const binnedNumeric = (pair: NumericPair, fill: boolean) =>
  evidentlyBinned(pair.reference, pair.current, fill, { integer: pair.integer });
const binnedCounts = (counts: CategoryCounts, fill: boolean) =>
  evidentlyBinnedCounts(counts.reference, counts.current, fill);

function chisquareOutcome(counts: CategoryCounts): TestOutcome {
  // Evidently's goodness of fit: the current counts against the reference's proportions scaled
  // to the current size. A category the reference never has makes an expected count of 0.
  const nRef = sum(counts.reference);
  const nCur = sum(counts.current);
  const expected = counts.reference.map((r) => (r * nCur) / nRef);
  const { statistic, pValue } = chisquare(counts.current, expected);
  const notes = Number.isFinite(statistic)
    ? []
    : ['a category in the current data never appears in the reference, so chi-square is infinite'];
  return { statistic, pValue, notes };
}

function zOutcome(counts: CategoryCounts): TestOutcome {
  // Evidently maps the first key (in sorted order) to 0 and every other to 1.
  const notes =
    counts.categories.length > 2
      ? [`z compares '${counts.categories[0]}' against all other values together`]
      : [];
  const nRef = sum(counts.reference);
  const nCur = sum(counts.current);
  const onesRef = nRef - counts.reference[0];
  const onesCur = nCur - counts.current[0];
  return { ...twoProportionZ(onesRef, nRef, onesCur, nCur), notes };
}

function fisherOutcome(counts: CategoryCounts): TestOutcome {
  if (counts.categories.length > 2) {
    throw new RangeError('fisher_exact takes a column with at most two distinct values');
  }
  // Evidently's table [[ones_cur, zeros_cur], [ones_ref, zeros_ref]], two-sided. Evidently also
  // requires both samples to have the same size, which Fisher's test does not need: the 2x2
  // table of counts is valid for any sizes, so unequal sizes are tested rather than refused.
  const one = counts.categories.length - 1;
  const table: [[number, number], [number, number]] = [
    [counts.current[one], sum(counts.current) - counts.current[one]],
    [counts.reference[one], sum(counts.reference) - counts.reference[one]],
  ];
  const notes = [
    "unlike Evidently, samples of different sizes are tested (Fisher's test allows it)",
  ];
  return { ...fisherExact(table, 'two-sided'), notes };
}

function gTestOutcome(counts: CategoryCounts): TestOutcome {
  // Evidently passes the raw reference counts as expectations, which SciPy refuses whenever the
  // two sizes differ. The G-test of goodness of fit needs them scaled to the current size, as
  // chisquare does, so that is what is computed here.
  const nRef = sum(counts.reference);
  const nCur = sum(counts.current);
  let statistic = 0;
  for (let k = 0; k < counts.categories.length; k++) {
    const observed = counts.current[k];
    const expected = (counts.reference[k] * nCur) / nRef;
    if (observed > 0)
      statistic += expected > 0 ? 2 * observed * Math.log(observed / expected) : Infinity;
  }
  const df = counts.categories.length - 1;
  const pValue = df < 1 ? 1 : Number.isFinite(statistic) ? chi2Sf(statistic, df) : 0;
  const notes = [
    "expectations scaled to the current size (Evidently's g_test leaves them unscaled)",
  ];
  return { statistic: df < 1 ? 0 : statistic, pValue, notes };
}

function wassersteinOutcome(pair: NumericPair): TestOutcome {
  const distance = wassersteinDistance(pair.reference, pair.current, { sorted: true });
  return { statistic: distance / Math.max(populationStd(pair.reference), 0.001), pValue: null };
}

function andersonOutcome(pair: NumericPair): TestOutcome {
  const result = andersonKsamp([pair.reference, pair.current]);
  const notes =
    result.capped === 'low'
      ? ['p-value capped at 0.25 by the interpolation table, as SciPy caps it']
      : result.capped === 'high'
        ? ['p-value floored at 0.001 by the interpolation table, as SciPy floors it']
        : [];
  return { statistic: result.statistic, pValue: result.pValue, notes };
}

function mmdOutcome(pair: NumericPair, context: TestContext): TestOutcome {
  const result = empiricalMmd(pair.reference, pair.current, context.random);
  const sampled = result.rowsUsed < Math.max(pair.reference.length, pair.current.length);
  const notes = sampled ? [`computed on ${result.rowsUsed} rows a side, drawn with the seed`] : [];
  return { statistic: result.statistic, pValue: result.pValue, notes };
}

export const STAT_TESTS: Record<StatTestName, StatTest> = {
  ks: {
    name: 'ks',
    title: 'K-S p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<=',
    kinds: NUM,
    numerical: (pair) => ks2samp(pair.reference, pair.current, { sorted: true }),
  },
  chisquare: {
    name: 'chisquare',
    title: 'chi-square p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<',
    kinds: CAT,
    numerical: (pair) => chisquareOutcome(asCounts(pair)),
    categorical: chisquareOutcome,
  },
  z: {
    name: 'z',
    title: 'Z-test p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<',
    kinds: CAT,
    numerical: (pair) => zOutcome(asCounts(pair)),
    categorical: zOutcome,
  },
  wasserstein: {
    name: 'wasserstein',
    title: 'Wasserstein distance (normed)',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>=',
    kinds: NUM,
    numerical: wassersteinOutcome,
  },
  psi: {
    name: 'psi',
    title: 'PSI',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>=',
    kinds: BOTH,
    numerical: (pair) => binnedOutcome(binnedNumeric(pair, true), psi),
    categorical: (counts) => binnedOutcome(binnedCounts(counts, true), psi),
  },
  jensenshannon: {
    name: 'jensenshannon',
    title: 'Jensen-Shannon distance',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>=',
    kinds: BOTH,
    numerical: (pair) => binnedOutcome(binnedNumeric(pair, false), jensenShannon),
    categorical: (counts) => binnedOutcome(binnedCounts(counts, false), jensenShannon),
  },
  kl_div: {
    name: 'kl_div',
    title: 'Kullback-Leibler divergence',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>=',
    kinds: BOTH,
    numerical: (pair) => binnedOutcome(binnedNumeric(pair, true), klDivergence),
    categorical: (counts) => binnedOutcome(binnedCounts(counts, true), klDivergence),
  },
  hellinger: {
    name: 'hellinger',
    title: 'Hellinger distance (normed)',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>=',
    kinds: BOTH,
    numerical: (pair) => ({
      statistic: hellingerNumerical(pair.reference, pair.current, { integer: pair.integer }),
      pValue: null,
    }),
    categorical: (counts) => ({
      statistic: hellingerCategorical(counts.reference, counts.current),
      pValue: null,
    }),
  },
  anderson: {
    name: 'anderson',
    title: 'Anderson-Darling test p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<',
    kinds: NUM,
    numerical: andersonOutcome,
  },
  cramer_von_mises: {
    name: 'cramer_von_mises',
    title: 'Cramer-von Mises p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<=',
    kinds: NUM,
    numerical: (pair) => cramerVonMises2samp(pair.reference, pair.current),
  },
  ed: {
    name: 'ed',
    title: 'Energy-distance',
    score: 'distance',
    defaultThreshold: 0.1,
    operator: '>',
    kinds: NUM,
    numerical: (pair) => ({
      statistic: energyDistance(pair.reference, pair.current, { sorted: true }),
      pValue: null,
    }),
  },
  es: {
    name: 'es',
    title: 'Epps-Singleton p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<',
    kinds: NUM,
    numerical: (pair) => eppsSingleton2samp(pair.reference, pair.current),
  },
  fisher_exact: {
    name: 'fisher_exact',
    title: 'Fisher exact test p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<',
    kinds: CAT,
    numerical: (pair) => fisherOutcome(asCounts(pair)),
    categorical: fisherOutcome,
  },
  g_test: {
    name: 'g_test',
    title: 'G-test p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<',
    kinds: CAT,
    numerical: (pair) => gTestOutcome(asCounts(pair)),
    categorical: gTestOutcome,
  },
  mannw: {
    name: 'mannw',
    title: 'Mann-Whitney U-rank test p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<',
    kinds: NUM,
    numerical: (pair) => mannWhitneyU(pair.reference, pair.current, { alternative: 'less' }),
  },
  t_test: {
    name: 't_test',
    title: 't-test p_value',
    score: 'p_value',
    defaultThreshold: 0.05,
    operator: '<',
    kinds: NUM,
    numerical: (pair) => ttestInd(pair.reference, pair.current),
  },
  empirical_mmd: {
    name: 'empirical_mmd',
    title: 'Empirical MMD p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<',
    kinds: NUM,
    numerical: mmdOutcome,
  },
  TVD: {
    name: 'TVD',
    title: 'Total-Variation-Distance p_value',
    score: 'p_value',
    defaultThreshold: 0.1,
    operator: '<',
    kinds: CAT,
    numerical: (pair, context) => tvdOutcome(asCounts(pair), context),
    categorical: tvdOutcome,
  },
};

function tvdOutcome(counts: CategoryCounts, context: TestContext): TestOutcome {
  return tvdPermutation(counts.reference, counts.current, context.random);
}

function binnedOutcome(
  binned: { reference: Float64Array; current: Float64Array },
  distance: (reference: Float64Array, current: Float64Array) => number,
): TestOutcome {
  return { statistic: distance(binned.reference, binned.current), pValue: null };
}

export const STAT_TEST_NAMES = Object.keys(STAT_TESTS) as StatTestName[];

export function isStatTestName(name: string): name is StatTestName {
  return Object.prototype.hasOwnProperty.call(STAT_TESTS, name);
}

/** drift when `score <operator> threshold`. */
export function crosses(score: number, operator: StatTest['operator'], threshold: number) {
  switch (operator) {
    case '<':
      return score < threshold;
    case '<=':
      return score <= threshold;
    case '>':
      return score > threshold;
    case '>=':
      return score >= threshold;
  }
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
