import { test } from 'node:test';
import assert from 'node:assert/strict';
import { andersonKsamp } from '../../../src/core/drift/tests/anderson';
import { energyDistance, wassersteinDistance } from '../../../src/core/drift/tests/distances';
import { eppsSingleton2samp } from '../../../src/core/drift/tests/epps';
import { populationStd } from '../../../src/core/drift/tests/numeric';
import { symmetricPseudoInverse } from '../../../src/core/drift/tests/pseudoInverse';
import {
  X,
  Y,
  assertAllClose,
  assertClose,
  build,
  loadFixture,
  type Source,
} from './columnTestData';

interface RankFixture {
  sources: Record<string, Source>;
  anderson: { samples: string[]; statistic: number; pValue: number; criticalValues: number[] }[];
  epps: { x: string; y: string; t: [number, number] | null; statistic: number; pValue: number }[];
  distances: { u: string; v: string; wasserstein: number; energy: number; std_u: number }[];
}

const fixture = loadFixture<RankFixture>('rank_tests.json');
const cache = new Map<string, Float64Array>();
const sample = (name: string) => {
  if (!cache.has(name)) cache.set(name, build(fixture.sources[name]));
  return cache.get(name)!;
};

test('anderson_ksamp of the reference vectors matches the reference page', () => {
  const result = andersonKsamp([X, Y]);

  assertClose(result.statistic, 0.7091310826486815, 1e-13, 'A2');
  assertClose(result.pValue, 0.16803485417504282, 1e-12, 'p');
  assert.equal(result.capped, null);
});

test('anderson_ksamp matches SciPy on ties, integers, three samples and large samples', () => {
  for (const expected of fixture.anderson) {
    const label = expected.samples.join('/');
    if (Number.isNaN(expected.statistic)) continue;

    const result = andersonKsamp(expected.samples.map(sample));

    assertClose(result.statistic, expected.statistic, 1e-11, `${label} statistic`);
    assertClose(result.pValue, expected.pValue, 1e-11, `${label} p`);
    assertAllClose(result.criticalValues, expected.criticalValues, 1e-15, `${label} critical`);
  }
});

test('anderson_ksamp caps the p-value at 0.25 and floors it at 0.001, and says so', () => {
  const same = andersonKsamp([sample('same_a'), sample('same_b')]);
  const far = andersonKsamp([sample('far_a'), sample('far_b')]);

  assert.deepEqual([same.pValue, same.capped], [0.25, 'low']);
  assert.deepEqual([far.pValue, far.capped], [0.001, 'high']);
});

test('anderson_ksamp refuses what SciPy cannot compute: one value in all, or three values', () => {
  // SciPy raises for a single distinct value and returns NaN for three values in all.
  const nan = fixture.anderson.find((entry) => Number.isNaN(entry.statistic));
  assert.ok(nan, 'the fixture has the three-value case');

  assert.throws(() => andersonKsamp(nan.samples.map(sample)), RangeError);
  assert.throws(() => andersonKsamp([Float64Array.of(2, 2), Float64Array.of(2, 2, 2)]), RangeError);
  assert.throws(() => andersonKsamp([X]), RangeError);
  assert.throws(() => andersonKsamp([X, new Float64Array(0)]), RangeError);
});

test('wasserstein and energy distances of the reference vectors match the reference page', () => {
  assertClose(wassersteinDistance(X, Y), 0.6065999999999999, 1e-14, 'wasserstein');
  assertClose(energyDistance(X, Y), 0.4009189444264264, 1e-14, 'energy');
  assertClose(populationStd(X), 1.0890835780600128, 1e-15, 'np.std(x)');

  // Evidently's normed Wasserstein divides by max(np.std(reference), 0.001).
  const normed = wassersteinDistance(X, Y) / Math.max(populationStd(X), 0.001);
  assertClose(normed, 0.5569820463921952, 1e-14, 'normed');
});

test('wasserstein and energy distances match SciPy on ties, unsorted and large samples', () => {
  for (const expected of fixture.distances) {
    const label = `${expected.u}/${expected.v}`;
    const u = sample(expected.u);
    const v = sample(expected.v);

    assertClose(wassersteinDistance(u, v), expected.wasserstein, 1e-12, `${label} wasserstein`);
    assertClose(energyDistance(u, v), expected.energy, 1e-12, `${label} energy`);
    assertClose(populationStd(u), expected.std_u, 1e-14, `${label} std`);
  }
});

test('the sorted option gives the same distance without copying', () => {
  const u = Float64Array.from(X).sort();
  const v = Float64Array.from(Y).sort();

  assert.equal(wassersteinDistance(u, v, { sorted: true }), wassersteinDistance(X, Y));
  assert.equal(energyDistance(u, v, { sorted: true }), energyDistance(X, Y));
});

test('distances refuse empty samples and values that are not finite', () => {
  assert.throws(() => wassersteinDistance(new Float64Array(0), Y), RangeError);
  assert.throws(() => energyDistance(X, Float64Array.of(1, NaN)), RangeError);
});

test('epps_singleton_2samp of the reference vectors matches the reference page', () => {
  const result = eppsSingleton2samp(X, Y);

  assertClose(result.statistic, 5.012385309827121, 1e-12, 'W');
  assertClose(result.pValue, 0.2860290442881823, 1e-10, 'p');
});

test('epps_singleton_2samp matches SciPy on small, tied, integer and large samples', () => {
  for (const expected of fixture.epps) {
    const label = `${expected.x}/${expected.y}`;

    const result = eppsSingleton2samp(
      sample(expected.x),
      sample(expected.y),
      expected.t ?? undefined,
    );

    assertClose(result.statistic, expected.statistic, 1e-9, `${label} W`);
    if (expected.pValue === 0) assert.ok(result.pValue < 1e-300, `${label} p`);
    else assertClose(result.pValue, expected.pValue, 1e-8, `${label} p`);
  }
});

test('epps_singleton_2samp refuses fewer than 5 values a side and a pooled IQR of 0', () => {
  const constant = Float64Array.of(1, 1, 1, 1, 1, 1, 2);

  assert.throws(() => eppsSingleton2samp(X, Float64Array.of(1, 2, 3, 4)), RangeError);
  assert.throws(() => eppsSingleton2samp(constant, constant), RangeError);
  assert.throws(() => eppsSingleton2samp(X, Y, [0, 1]), RangeError);
});

test('the pseudo-inverse drops a null direction and reports the lower rank', () => {
  // [[2, 2], [2, 2]] has eigenvalues 4 and 0: its pseudo-inverse is itself over 16.
  const { inverse, rank } = symmetricPseudoInverse(Float64Array.of(2, 2, 2, 2), 2);

  assertAllClose(inverse, [0.125, 0.125, 0.125, 0.125], 1e-15, 'pinv');
  assert.equal(rank, 1);
});
