import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correct } from '../../../src/core/drift/correction';

// reference/drift.md §8.3: p = [0.01, 0.04, 0.03, 0.20, 0.012] at q = p_val = 0.05.
const pValues = [0.01, 0.04, 0.03, 0.2, 0.012];

test('Bonferroni divides the level by the number of tests and finds no drift in §8.3', () => {
  const result = correct(pValues, 'bonferroni', 0.05);

  assert.equal(result.threshold, 0.01);
  assert.deepEqual(result.drift, [false, false, false, false, false]);
});

test('Benjamini-Hochberg finds drift in §8.3 with the threshold 0.030000000000000006', () => {
  const result = correct(pValues, 'fdr', 0.05);

  assert.equal(result.threshold, 0.030000000000000006);
  // Sorted [0.01, 0.012, 0.03, 0.04, 0.2]: below the line at ranks 2 and 3, so ranks 1..3 are
  // discoveries (0.01 too, though it is not below its own line 0.01).
  assert.deepEqual(result.drift, [true, false, true, false, true]);
});

test('Benjamini-Hochberg with nothing below the line finds nothing', () => {
  const result = correct([0.5, 0.2, 0.9], 'fdr', 0.05);

  assert.deepEqual(result.drift, [false, false, false]);
  assert.ok(result.threshold <= 0.05 / 3 + 1e-18);
});

test('comparisons are strict, as alibi-detect makes them', () => {
  assert.deepEqual(correct([0.025, 0.01], 'bonferroni', 0.05).drift, [false, true]);
  assert.deepEqual(correct([0.05], 'none', 0.05).drift, [false]);
});
