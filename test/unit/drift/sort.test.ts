import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortFinite } from '../../../src/core/drift/sort';
import { createRandom } from '../../../src/core/drift/random';

function sample(size: number, draw: (u: number) => number, seed = 1): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: size }, () => draw(random()));
}

function assertSortedLike(values: Float64Array) {
  const expected = values.slice().sort();

  const actual = sortFinite(values);

  assert.equal(actual, values, 'sorts in place');
  assert.deepEqual(Array.from(actual), Array.from(expected));
}

test('radix sorting agrees with the built-in sort on mixed signs and magnitudes', () => {
  assertSortedLike(sample(50_000, (u) => (u - 0.5) * 10 ** Math.floor(u * 600 - 300)));
  assertSortedLike(sample(50_000, (u) => (u - 0.5) * 1e308, 2));
});

test('duplicates, zeros of both signs and subnormals keep their order', () => {
  assertSortedLike(sample(20_000, (u) => Math.floor(u * 7) - 3, 3));
  assertSortedLike(
    sample(20_000, (u) => (u < 0.5 ? -0 : Number.MIN_VALUE * Math.floor(u * 40 - 20)), 4),
  );
});

test('values of one scale, where whole passes are skipped, still sort', () => {
  assertSortedLike(sample(30_000, (u) => 1 + u * 1e-9, 5));
  assertSortedLike(new Float64Array(10_000).fill(2.5));
});

test('small arrays and views into a larger buffer sort too', () => {
  assertSortedLike(sample(100, (u) => u - 0.5, 6));
  const backing = sample(20_000, (u) => u * 100, 7);
  const view = backing.subarray(1000, 19_000);
  const before = Array.from(backing.subarray(0, 1000));

  assertSortedLike(view);

  assert.deepEqual(Array.from(backing.subarray(0, 1000)), before, 'nothing outside the view moves');
});
