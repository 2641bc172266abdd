import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mmdDrift, type MmdOptions } from '../../../src/core/drift/mmd';
import {
  gaussianKernelInPlace,
  kernelSums,
  pairwiseSquaredDistances,
  selectInPlace,
  unbiasedMmd2,
} from '../../../src/core/drift/rbfKernel';
import { createRandom, shuffleInPlace } from '../../../src/core/drift/random';

interface MmdCase {
  name: string;
  standardize: boolean;
  reference: (number | string)[][];
  current: (number | string)[][];
  rows_used: [number, number];
  sigma: number;
  statistic: number;
  permutations: number[][];
  permuted: number[];
  p_value: number;
}

const fixture = JSON.parse(
  readFileSync(path.join(__dirname, '../../fixtures/drift/mmd.json'), 'utf8'),
) as { cases: MmdCase[] };

const x = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
  1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const y = [
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
  0.38, 0.7, 0.52, -0.72,
];

const columns = (data: (number | string)[][]) =>
  data.map((column) => Float64Array.from(column, (v) => (v === 'nan' ? NaN : (v as number))));

function assertClose(actual: number | null, expected: number, relative: number, what: string) {
  assert.ok(actual !== null, `${what} is null`);
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(error <= relative, `${what}: ${actual} vs ${expected} (relative ${error})`);
}

/** Normal draws from a seeded source (Box-Muller), for data with a known shape. */
function normals(count: number, mean: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: count }, () => {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    return mean + radius * Math.cos(2 * Math.PI * random());
  });
}

test('sigma and MMD² of the reference page (x as one column against y, unstandardised)', () => {
  const result = mmdDrift([Float64Array.from(x)], [Float64Array.from(y)], {
    random: createRandom(1),
    standardize: false,
  });

  assert.equal(result.status, 'ok');
  assertClose(result.sigma, 0.7353910524340095, 1e-14, 'sigma_median');
  assertClose(result.statistic, -0.022139177094509743, 1e-12, 'unbiased MMD²');
  assert.deepEqual(result.rowsUsed, { reference: 25, current: 20 });
});

test('replaying numpy permutations gives the numpy sigma, statistic and p-value', () => {
  for (const c of fixture.cases) {
    const options: MmdOptions = {
      random: createRandom(1),
      standardize: c.standardize,
      permutations: c.permutations.length,
      permutationSource: (size, index) => {
        assert.equal(size, c.rows_used[0] + c.rows_used[1]);
        return Int32Array.from(c.permutations[index]);
      },
    };

    const result = mmdDrift(columns(c.reference), columns(c.current), options);

    assert.equal(result.status, 'ok', c.name);
    assert.deepEqual(result.rowsUsed, { reference: c.rows_used[0], current: c.rows_used[1] });
    assertClose(result.sigma, c.sigma, 1e-12, `${c.name} sigma`);
    assertClose(result.statistic, c.statistic, 1e-10, `${c.name} statistic`);
    assert.equal(result.pValue, c.p_value, c.name);
    assert.equal(result.drift, c.p_value < 0.05, c.name);
    const descending = [...c.permuted].sort((a, b) => b - a);
    const atLevel = descending[Math.floor(0.05 * c.permuted.length)];
    assertClose(result.distanceThreshold, atLevel, 1e-10, `${c.name} distance threshold`);
  }
});

test('an observed MMD² equal to a permuted one counts toward p, as mean(observed <= permuted)', () => {
  const mild = fixture.cases.find((c) => c.name === 'mild shift')!;
  const identity = Int32Array.from({ length: mild.permutations[0].length }, (_, i) => i);
  const onlyIdentity = () => identity;

  const result = mmdDrift(columns(mild.reference), columns(mild.current), {
    random: createRandom(1),
    permutations: 3,
    permutationSource: onlyIdentity,
  });

  assert.equal(result.pValue, 1);
  assert.deepEqual(mild.permutations[0], [...identity], 'the fixture starts with the identity');
});

test('the block sums over the packed kernel equal a full-matrix computation, either block smaller', () => {
  for (const [reference, current] of [
    [7, 12],
    [12, 7],
    [2, 2],
  ]) {
    const size = reference + current;
    const points = normals(size * 3, 0, reference * 31 + current);
    const sigma = 0.9;
    const sums = kernelSums(
      gaussianKernelInPlace(pairwiseSquaredDistances(points, 3), sigma),
      size,
    );
    const order = shuffleInPlace(
      Int32Array.from({ length: size }, (_, i) => i),
      createRandom(size),
    );

    const expected = naiveMmd2(points, 3, sigma, order, reference);

    assertClose(unbiasedMmd2(sums, order, reference), expected, 1e-12, `${reference}/${current}`);
  }
});

/** alibi-detect's formula spelled out on the full kernel matrix of the permuted points. */
function naiveMmd2(
  points: Float64Array,
  dimensions: number,
  sigma: number,
  order: Int32Array,
  reference: number,
): number {
  const size = order.length;
  const kernel = (a: number, b: number) => {
    if (a === b) return 0;
    let sum = 0;
    for (let k = 0; k < dimensions; k++) {
      sum += (points[a * dimensions + k] - points[b * dimensions + k]) ** 2;
    }
    return Math.exp(-sum / (2 * sigma * sigma));
  };
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const value = kernel(order[i], order[j]);
      if (i < reference && j < reference) xx += value;
      else if (i >= reference && j >= reference) yy += value;
      else if (i >= reference) xy += value;
    }
  }
  const current = size - reference;
  return (
    xx / (reference * (reference - 1)) +
    yy / (current * (current - 1)) -
    (2 * xy) / (reference * current)
  );
}

test('a clear shift is found and a sample against its own distribution is not', () => {
  const reference = [normals(400, 0, 1), normals(400, 5, 2)];
  const shifted = [normals(300, 0.6, 3), normals(300, 5, 4)];
  const alike = [normals(300, 0, 5), normals(300, 5, 6)];

  const drift = mmdDrift(reference, shifted, { random: createRandom(42) });
  const none = mmdDrift(reference, alike, { random: createRandom(42) });

  assert.equal(drift.drift, true);
  assert.equal(drift.pValue, 0);
  assert.equal(none.drift, false);
  assert.ok(none.pValue! >= 0.05, `p = ${none.pValue}`);
});

test('standardising makes the result independent of each column’s unit', () => {
  const reference = [normals(80, 0, 11), normals(80, 1, 12)];
  const current = [normals(60, 0.3, 13), normals(60, 1, 14)];
  const inGrams = (column: Float64Array) => column.map((v) => v * 1000 + 7);

  const plain = mmdDrift(reference, current, { random: createRandom(3) });
  const scaled = mmdDrift(
    [inGrams(reference[0]), reference[1]],
    [inGrams(current[0]), current[1]],
    {
      random: createRandom(3),
    },
  );

  assertClose(scaled.statistic, plain.statistic!, 1e-9, 'statistic');
  assert.equal(scaled.pValue, plain.pValue);
});

test('each side is cut to maxRows random rows, the same rows for the same seed', () => {
  const reference = [normals(3000, 0, 21)];
  const current = [normals(2500, 0, 22)];

  const first = mmdDrift(reference, current, {
    random: createRandom(9),
    maxRows: 500,
    permutations: 20,
  });
  const again = mmdDrift(reference, current, {
    random: createRandom(9),
    maxRows: 500,
    permutations: 20,
  });
  const other = mmdDrift(reference, current, {
    random: createRandom(10),
    maxRows: 500,
    permutations: 20,
  });

  assert.deepEqual(first.rowsUsed, { reference: 500, current: 500 });
  assert.deepEqual(again, first);
  assert.notEqual(other.statistic, first.statistic);
});

test('rows with a missing value in any column are dropped before anything else', () => {
  const reference = [
    Float64Array.from([1, NaN, 3, 4, 5]),
    Float64Array.from([1, 2, 3, Infinity, 5]),
  ];
  const current = [Float64Array.from([2, 3, 4]), Float64Array.from([NaN, 3, 4])];

  const result = mmdDrift(reference, current, { random: createRandom(1) });

  assert.deepEqual(result.rowsUsed, { reference: 3, current: 2 });
  assert.equal(result.status, 'ok');
});

test('fewer than two complete rows a side is "not enough rows", with no statistic', () => {
  const result = mmdDrift([Float64Array.from([1, 2, 3])], [Float64Array.from([1, NaN])], {
    random: createRandom(1),
  });

  assert.equal(result.status, 'not enough rows');
  assert.equal(result.statistic, null);
  assert.equal(result.pValue, null);
  assert.equal(result.drift, false);
  assert.deepEqual(result.rowsUsed, { reference: 3, current: 1 });
});

test('a reference of identical rows falls back to sigma sqrt(0.5) and still sees a shift', () => {
  const reference = [new Float64Array(30).fill(2)];
  const current = [Float64Array.from({ length: 30 }, (_, i) => 2 + (i % 3))];

  const result = mmdDrift(reference, current, { random: createRandom(1) });

  assert.equal(result.sigma, Math.SQRT1_2);
  assert.equal(result.drift, true);
});

test('inputs that cannot be compared are refused with a RangeError', () => {
  const one = [Float64Array.from([1, 2, 3])];
  const two = [Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3])];
  const random = createRandom(1);

  assert.throws(() => mmdDrift(one, two, { random }), RangeError);
  assert.throws(() => mmdDrift([], [], { random }), RangeError);
  assert.throws(() => mmdDrift([one[0], Float64Array.from([1])], two, { random }), RangeError);
  assert.throws(() => mmdDrift(one, one, { random, permutations: 0 }), RangeError);
  assert.throws(
    () =>
      mmdDrift(one, one, { random, permutationSource: () => Int32Array.from([0, 0, 1, 2, 3, 4]) }),
    /permutation must hold each/,
  );
});

test('selection finds the k-th smallest value, with many repeats', () => {
  const random = createRandom(5);
  const values = Float64Array.from({ length: 5001 }, () => Math.floor(random() * 40) / 4);
  const sorted = values.slice().sort();

  for (const k of [0, 1, 17, 2500, 4999, 5000]) {
    assert.equal(selectInPlace(values.slice(), k), sorted[k], `k = ${k}`);
  }
});
