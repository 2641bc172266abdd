import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evidentlyBinned,
  evidentlyBinnedCounts,
  histogram,
  histogramBinEdges,
} from '../../../src/core/drift/tests/binning';
import { pairwiseSum, populationStd } from '../../../src/core/drift/tests/numeric';
import { X, Y, assertAllClose, bell, build, loadFixture, type Source } from './columnTestData';

interface BinningFixture {
  sources: Record<string, Source>;
  edges: { values: string; method: 'sturges' | 'doane'; integer: boolean; edges: number[] }[];
  histograms: { values: string; edges: number[]; counts: number[] }[];
  binned: {
    reference: string;
    current: string;
    integer: boolean;
    fill: boolean;
    expected: { reference: number[]; current: number[] };
  }[];
  counts: {
    title: string;
    reference: number[];
    current: number[];
    fill: boolean;
    expected: { reference: number[]; current: number[] };
  }[];
}

const fixture = loadFixture<BinningFixture>('binning.json');
const cache = new Map<string, Float64Array>();
const sample = (name: string) => {
  if (!cache.has(name)) cache.set(name, build(fixture.sources[name]));
  return cache.get(name)!;
};

test('Sturges edges of the pooled reference vectors are the ones on the reference page', () => {
  const pooled = Float64Array.from([...X, ...Y]);

  const edges = histogramBinEdges(pooled, 'sturges');

  assert.deepEqual(
    [...edges],
    [
      -2.47, -1.6471428571428572, -0.8242857142857145, -0.0014285714285717788, 0.8214285714285712,
      1.6442857142857137, 2.4671428571428566, 3.29,
    ],
  );
});

test('Doane edges of the reference vector are the ones on the reference page', () => {
  const edges = histogramBinEdges(X, 'doane');

  assert.equal(edges.length, 8);
  assertAllClose(edges, [-2.47, -1.78, -1.09, -0.4, 0.29, 0.98, 1.67, 2.36], 1e-15, 'doane');
});

test('bin edges match np.histogram_bin_edges bit for bit, including integer and constant data', () => {
  for (const expected of fixture.edges) {
    const label = `${expected.values} ${expected.method} integer=${expected.integer}`;

    const edges = histogramBinEdges(sample(expected.values), expected.method, {
      integer: expected.integer,
    });

    assert.deepEqual([...edges], expected.edges, label);
  }
});

test('integer data never gets bins narrower than one unit', () => {
  const values = Float64Array.from({ length: 1000 }, (_, i) => i % 6);

  const asInteger = histogramBinEdges(values, 'sturges', { integer: true });
  const asFloat = histogramBinEdges(values, 'sturges');

  assert.deepEqual([...asInteger], [0, 1, 2, 3, 4, 5]);
  assert.equal(asFloat.length, 12);
});

test('a constant column gets one bin of width one around its value', () => {
  assert.deepEqual([...histogramBinEdges(Float64Array.of(7, 7, 7), 'sturges')], [6.5, 7.5]);
  assert.deepEqual([...histogramBinEdges(Float64Array.of(7, 7, 7), 'doane')], [6.5, 7.5]);
});

test('binning refuses values that are not finite, as numpy does', () => {
  assert.throws(() => histogramBinEdges(Float64Array.of(1, NaN), 'sturges'), RangeError);
  assert.throws(() => histogramBinEdges(Float64Array.of(1, Infinity), 'doane'), RangeError);
});

test('histogram counts match np.histogram, values on edges included', () => {
  for (const expected of fixture.histograms) {
    const counts = histogram(sample(expected.values), Float64Array.from(expected.edges));

    assert.deepEqual([...counts], expected.counts, expected.values);
  }
});

test('histogram puts a value equal to an inner edge in the bin that starts there', () => {
  const counts = histogram(Float64Array.of(0, 1, 2, 3, 3, -1, 4), Float64Array.of(0, 1, 2, 3));

  assert.deepEqual([...counts], [1, 1, 3]);
});

test('Evidently binned shares of the reference vectors are the ones on the reference page', () => {
  const { reference, current } = evidentlyBinned(X, Y, true);

  assertAllClose(reference, [0.08, 0.04, 0.24, 0.36, 0.2, 0.08, 0.0001], 1e-15, 'reference');
  assertAllClose(current, [0.0001, 0.0001, 0.2, 0.4, 0.2, 0.15, 0.05], 1e-15, 'current');
});

test('Evidently binned shares match get_binned_data on every fixture case', () => {
  for (const expected of fixture.binned) {
    const label = `${expected.reference}/${expected.current} fill=${expected.fill}`;

    const shares = evidentlyBinned(
      sample(expected.reference),
      sample(expected.current),
      expected.fill,
      {
        integer: expected.integer,
      },
    );

    assertAllClose(shares.reference, expected.expected.reference, 1e-15, `${label} reference`);
    assertAllClose(shares.current, expected.expected.current, 1e-15, `${label} current`);
  }
});

test('a reference with at most 20 distinct values is binned by value, over both samples', () => {
  const reference = Float64Array.of(1, 1, 2, 3, 3, 3);
  const current = Float64Array.of(4, 2, 2, 1);

  const shares = evidentlyBinned(reference, current, false);

  assert.deepEqual([...shares.reference], [2 / 6, 1 / 6, 3 / 6, 0]);
  assert.deepEqual([...shares.current], [1 / 4, 2 / 4, 0, 1 / 4]);
});

test('the decision between bins and values counts the reference distinct values only', () => {
  const reference = Float64Array.from({ length: 21 }, (_, i) => i);
  const fewer = reference.subarray(0, 20);
  const current = Float64Array.from({ length: 100 }, (_, i) => i / 10);

  assert.equal(evidentlyBinned(reference, current, false).reference.length, 8);
  assert.equal(evidentlyBinned(fewer, current, false).reference.length, 110);
});

test('categorical shares match Evidently, with the unseen category and tiny shares filled', () => {
  for (const expected of fixture.counts) {
    const label = `${expected.title} fill=${expected.fill}`;

    const shares = evidentlyBinnedCounts(expected.reference, expected.current, expected.fill);

    assertAllClose(shares.reference, expected.expected.reference, 1e-15, `${label} reference`);
    assertAllClose(shares.current, expected.expected.current, 1e-15, `${label} current`);
  }
});

test('binning refuses an empty sample and counts that do not line up', () => {
  assert.throws(() => evidentlyBinned(new Float64Array(0), Y, true), RangeError);
  assert.throws(() => evidentlyBinnedCounts([1, 2], [1], true), RangeError);
  assert.throws(() => evidentlyBinnedCounts([0, 0], [1, 2], true), RangeError);
  assert.throws(() => evidentlyBinnedCounts([1, -2], [1, 2], true), RangeError);
});

test('the numpy-order sum and deviation agree with numpy on the reference vector', () => {
  // np.sum(x) and np.std(x) for the section 8.1 vector, printed with repr().
  assert.equal(pairwiseSum(X), 5.409999999999998);
  assert.equal(populationStd(X), 1.0890835780600128);
});

test('histogram counts a million values quickly and exactly', () => {
  const values = bell(21, 1_000_000, 0, 1);
  const edges = histogramBinEdges(values, 'sturges');

  const counts = histogram(values, edges);

  assert.equal(pairwiseSum(counts), 1_000_000);
  assert.equal(edges.length, 22);
});
