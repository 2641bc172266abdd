import { test } from 'node:test';
import assert from 'node:assert/strict';
import { empiricalMmd, tvdPermutation } from '../../../src/core/drift/tests/permutation';
import { medianHeuristicSigma } from '../../../src/core/drift/tests/mmdKernel';
import {
  drawCategoryCounts,
  drawHypergeometric,
  hypergeometricPmf,
  subsample,
} from '../../../src/core/drift/tests/resample';
import { createRandom } from '../../../src/core/drift/random';
import { assertClose, bell, loadFixture } from './columnTestData';

interface PermutationFixture {
  mmd: {
    title: string;
    reference: number[];
    current: number[];
    sigma: number;
    statistic: number;
    pValue: number;
    orders: number[][];
  }[];
  tvd: {
    title: string;
    reference: number[];
    current: number[];
    statistic: number;
    pValue: number;
    exactPValue: number;
    permutedReferenceCounts: number[][];
  }[];
}

const fixture = loadFixture<PermutationFixture>('permutation.json');

test('empirical MMD matches Evidently on numpy permutation sequences', () => {
  for (const expected of fixture.mmd) {
    const reference = Float64Array.from(expected.reference);
    const current = Float64Array.from(expected.current);

    const result = empiricalMmd(reference, current, createRandom(1), {
      permutationSource: (p) => expected.orders[p],
    });

    assertClose(medianHeuristicSigma(reference), expected.sigma, 1e-15, `${expected.title} sigma`);
    assertClose(result.statistic, expected.statistic, 1e-11, `${expected.title} statistic`);
    assert.equal(result.pValue, expected.pValue, `${expected.title} p-value`);
    assert.equal(result.rowsUsed, Math.max(reference.length, current.length));
  }
});

test('empirical MMD is reproducible for a seed and finds a clear shift', () => {
  const reference = bell(61, 300, 0, 1);
  const shifted = bell(62, 250, 1, 1);

  const first = empiricalMmd(reference, shifted, createRandom(7));
  const second = empiricalMmd(reference, shifted, createRandom(7));

  assert.deepEqual(first, second);
  assert.equal(first.pValue, 0);
  assert.ok(first.statistic > 0.05);
});

test('empirical MMD on one distribution gives a p-value that is not small', () => {
  const result = empiricalMmd(bell(63, 200, 0, 1), bell(64, 150, 0, 1), createRandom(3));

  assert.ok(result.pValue > 0.1, `p = ${result.pValue}`);
});

test('empirical MMD subsamples each side to maxRows and reports the rows it used', () => {
  const reference = bell(65, 3000, 0, 1);
  const current = bell(66, 500, 0.5, 1);

  const result = empiricalMmd(reference, current, createRandom(5), { maxRows: 400 });

  assert.deepEqual([result.referenceRows, result.currentRows, result.rowsUsed], [400, 400, 400]);
  assert.equal(result.pValue, 0);
});

test('empirical MMD refuses one-value samples, bad permutations and too many rows', () => {
  const x = Float64Array.of(1, 2, 3);
  const random = createRandom(1);

  assert.throws(() => empiricalMmd(Float64Array.of(1), x, random), RangeError);
  assert.throws(() => empiricalMmd(x, x, random, { maxRows: 10_000 }), RangeError);
  assert.throws(
    () => empiricalMmd(x, x, random, { permutationSource: () => [0, 1, 2, 3, 4, 4] }),
    RangeError,
  );
});

test('TVD matches Evidently with seed 0 when replaying its permutations', () => {
  for (const expected of fixture.tvd) {
    const result = tvdPermutation(expected.reference, expected.current, createRandom(1), {
      permutationSource: (p) => expected.permutedReferenceCounts[p],
    });

    assertClose(result.statistic, expected.statistic, 1e-15, expected.title);
    assert.equal(result.pValue, expected.pValue, `${expected.title} p-value`);
    assert.equal(result.pValue, expected.exactPValue, `${expected.title} exact p-value`);
  }
});

test('TVD with drawn counts agrees with Evidently within sampling error', () => {
  for (const expected of fixture.tvd) {
    const result = tvdPermutation(expected.reference, expected.current, createRandom(11));

    // Two independent estimates of the same p from 1000 permutations each.
    const spread = Math.sqrt((2 * Math.max(expected.pValue * (1 - expected.pValue), 1e-3)) / 1000);
    assert.ok(
      Math.abs(result.pValue - expected.pValue) <= 4 * spread + 1e-12,
      `${expected.title}: ${result.pValue} against ${expected.pValue}`,
    );
  }
});

test('hypergeometric draws follow the exact distribution', () => {
  const random = createRandom(21);
  const draws = 40_000;
  const frequencies = new Float64Array(16);

  for (let i = 0; i < draws; i++) frequencies[drawHypergeometric(50, 20, 15, random)]++;

  let chiSquare = 0;
  for (let x = 0; x <= 15; x++) {
    const expected = draws * hypergeometricPmf(x, 50, 20, 15);
    if (expected > 0) chiSquare += (frequencies[x] - expected) ** 2 / expected;
  }
  // 15 degrees of freedom at most: 37.7 is its 0.999 quantile.
  assert.ok(chiSquare < 37.7, `chi-square ${chiSquare}`);
});

test('the hypergeometric pmf is accurate for populations in the millions', () => {
  // mpmath, 40 digits: C(1e6, 5e5)^2 / C(2e6, 1e6) and C(7, 3) C(13, 9) / C(20, 12).
  assertClose(
    hypergeometricPmf(500_000, 2_000_000, 1_000_000, 1_000_000),
    0.001128378743953404,
    1e-13,
  );
  assertClose(hypergeometricPmf(3, 20, 7, 12), 0.19865841073271414, 1e-14);
  assert.equal(drawHypergeometric(10, 10, 4, createRandom(1)), 4);
  assert.equal(drawHypergeometric(10, 0, 4, createRandom(1)), 0);
});

test('category counts of a random split add up and average to their expectation', () => {
  const pooled = Float64Array.of(500_000, 300_000, 1_000_000, 200_000);
  const random = createRandom(31);
  const means = new Float64Array(4);

  for (let i = 0; i < 200; i++) {
    const counts = drawCategoryCounts(pooled, 1_000_000, random);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      1_000_000,
    );
    counts.forEach((count, k) => (means[k] += count / 200));
  }

  // Each category's expectation is half its pooled count; its standard deviation about 250.
  means.forEach((mean, k) => assert.ok(Math.abs(mean - pooled[k] / 2) < 100, `category ${k}`));
});

test('subsample draws distinct rows without replacement', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => i);

  const chosen = subsample(values, 100, createRandom(41));

  assert.equal(new Set(chosen).size, 100);
  assert.equal(subsample(values, 2000, createRandom(41)), values);
});

test('TVD refuses counts that are not whole numbers and injected counts that do not add up', () => {
  const random = createRandom(1);

  assert.throws(() => tvdPermutation([1.5, 2], [1, 2], random), RangeError);
  assert.throws(
    () => tvdPermutation([3, 2], [1, 2], random, { permutationSource: () => [4, 0] }),
    RangeError,
  );
});
