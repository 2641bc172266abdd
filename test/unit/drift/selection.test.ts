import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CategoricalPair, NumericPair } from '../../../src/core/drift/columns';
import { chooseTest, defaultTest } from '../../../src/core/drift/selection';

function numeric(referenceCount: number, distinct: number): NumericPair {
  const side = { count: referenceCount, missing: 0, infinite: 0, distinct };
  return {
    kind: 'numerical',
    name: 'x',
    reference: new Float64Array(0),
    current: new Float64Array(0),
    integer: false,
    referenceSide: side,
    currentSide: side,
    distinct,
  };
}

function categorical(referenceCount: number, distinct: number): CategoricalPair {
  const side = { count: referenceCount, missing: 0, infinite: 0, distinct };
  const counts = {
    categories: [],
    reference: new Float64Array(0),
    current: new Float64Array(0),
  };
  return {
    kind: 'categorical',
    name: 'c',
    counts,
    referenceSide: side,
    currentSide: side,
    distinct,
  };
}

test('small numerical columns get ks, or chisquare / z when they have five values or fewer', () => {
  assert.equal(defaultTest(numeric(1000, 6)), 'ks');
  assert.equal(defaultTest(numeric(1000, 5)), 'chisquare');
  assert.equal(defaultTest(numeric(1000, 3)), 'chisquare');
  assert.equal(defaultTest(numeric(1000, 2)), 'z');
  assert.equal(defaultTest(numeric(10, 1)), 'z');
});

test('large numerical columns get wasserstein, or jensenshannon with five values or fewer', () => {
  assert.equal(defaultTest(numeric(1001, 6)), 'wasserstein');
  assert.equal(defaultTest(numeric(1001, 5)), 'jensenshannon');
  assert.equal(defaultTest(numeric(1_000_000, 2)), 'jensenshannon');
});

test('categorical columns get chisquare or z when small, jensenshannon when large', () => {
  assert.equal(defaultTest(categorical(1000, 3)), 'chisquare');
  assert.equal(defaultTest(categorical(1000, 50)), 'chisquare');
  assert.equal(defaultTest(categorical(1000, 2)), 'z');
  assert.equal(defaultTest(categorical(1001, 2)), 'jensenshannon');
  assert.equal(defaultTest(categorical(1001, 50)), 'jensenshannon');
});

test('a forced test applies to the kinds it was made for', () => {
  assert.equal(chooseTest(numeric(5000, 100), 'ks').test.name, 'ks');
  assert.equal(chooseTest(categorical(50, 4), 'psi').test.name, 'psi');
  assert.equal(chooseTest(numeric(50, 40), 'psi').test.name, 'psi');
});

test('a forced test that does not apply falls back to the automatic choice and says so', () => {
  const choice = chooseTest(categorical(50, 4), 'ks');

  assert.equal(choice.test.name, 'chisquare');
  assert.match(choice.notes[0], /ks does not apply to categorical columns; chisquare/);
});
