import type { CategoricalPair, NumericPair } from './columns';
import { STAT_TESTS, type StatTest } from './stattests';
import type { StatTestName } from './types';

/**
 * Evidently's automatic choice of test (reference/drift.md §2.3): by the reference's size after
 * cleaning, the column's kind and its distinct values over both sides. Small samples get
 * p-value tests, large ones distances, since with a million rows every p-value is tiny and
 * says nothing about how far the distributions moved.
 */
export function defaultTest(pair: NumericPair | CategoricalPair): StatTestName {
  const few = pair.kind === 'categorical' || pair.distinct <= 5;
  if (pair.referenceSide.count <= 1000) {
    if (few) return pair.distinct > 2 ? 'chisquare' : 'z';
    return 'ks';
  }
  return few ? 'jensenshannon' : 'wasserstein';
}

/**
 * The test for a column: a forced one where its kinds include the column's, else the automatic
 * choice. A forced test that does not apply says so in the column's notes.
 */
export function chooseTest(
  pair: NumericPair | CategoricalPair,
  forced: StatTestName | undefined,
): { test: StatTest; notes: string[] } {
  if (forced === undefined) return { test: STAT_TESTS[defaultTest(pair)], notes: [] };

  const test = STAT_TESTS[forced];
  if (test.kinds.includes(pair.kind)) return { test, notes: [] };
  const fallback = STAT_TESTS[defaultTest(pair)];
  return {
    test: fallback,
    notes: [
      `${forced} does not apply to ${pair.kind} columns; ${fallback.name} was chosen instead`,
    ],
  };
}
