import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  evidentlyBinned,
  evidentlyBinnedCounts,
  histogram,
  histogramBinEdges,
} from '../../../src/core/drift/tests/binning';
import {
  hellingerCategorical,
  hellingerNumerical,
  jensenShannon,
  klDivergence,
  psi,
  totalVariation,
} from '../../../src/core/drift/tests/divergences';
import { X, Y, assertClose, build, loadFixture, type Source } from './columnTestData';

interface Divergences {
  psi: number;
  kl_div: number;
  jensenshannon: number;
  hellinger: number;
}

interface DivergenceFixture {
  sources: Record<string, Source>;
  numeric: (Divergences & { reference: string; current: string; integer: boolean })[];
  counts: (Divergences & { title: string; reference: number[]; current: number[]; tvd: number })[];
  raw: {
    title: string;
    p: number[];
    q: number[];
    entropy: number;
    jensenshannon: number;
    jensenshannon_base2: number;
    jensenshannon_base10: number;
  }[];
}

const fixture = loadFixture<DivergenceFixture>('divergences.json');
const sample = (name: string) => build(fixture.sources[name]);

test('Evidently psi, kl_div and jensenshannon of the reference vectors match the reference page', () => {
  const filled = evidentlyBinned(X, Y, true);
  const plain = evidentlyBinned(X, Y, false);

  assertClose(psi(filled.reference, filled.current), 1.1387787456391805, 1e-14, 'psi');
  assertClose(klDivergence(filled.reference, filled.current), 0.7293718123474514, 1e-14, 'kl');
  assertClose(jensenShannon(plain.reference, plain.current), 0.25644869728111236, 1e-14, 'js');
});

test('Evidently numerical Hellinger of the reference vectors matches the reference page', () => {
  assertClose(hellingerNumerical(X, Y), 0.3031388234401771, 1e-14);
});

test('the categorical case matches the reference page: psi, JS, TVD and Hellinger', () => {
  const reference = [30, 50, 20];
  const current = [20, 40, 40];
  const filled = evidentlyBinnedCounts(reference, current, true);
  const plain = evidentlyBinnedCounts(reference, current, false);

  assertClose(psi(filled.reference, filled.current), 0.20149030205422644, 1e-14, 'psi');
  assertClose(jensenShannon(plain.reference, plain.current), 0.15750334552126766, 1e-14, 'js');
  assertClose(totalVariation(reference, current), 0.2, 1e-14, 'tvd');
  assertClose(hellingerCategorical(reference, current), 0.15809717817565647, 1e-14, 'hellinger');
});

test('jensenshannon and entropy of the section 5.6 pair match SciPy in base e and base 2', () => {
  const p = [0.1, 0.4, 0.5];
  const q = [0.3, 0.3, 0.4];

  assertClose(jensenShannon(p, q), 0.18035965602712561, 1e-15, 'base e');
  assertClose(jensenShannon(p, q, 2), 0.21663402449519667, 1e-15, 'base 2');
  assertClose(klDivergence(p, q), 0.11678337577100631, 1e-15, 'entropy');
});

test('the NannyML Jensen-Shannon values of the reference page follow from the same parts', () => {
  // NannyML bins the reference with Doane and adds a leftover bin for current values outside it.
  const edges = histogramBinEdges(X, 'doane');
  const outside = Y.filter((value) => value < edges[0] || value > edges[edges.length - 1]);
  const reference = [...histogram(X, edges).map((count) => count / X.length), 0];
  const current = [
    ...histogram(Y, edges).map((count) => count / Y.length),
    outside.length / Y.length,
  ];

  assertClose(jensenShannon(reference, current, 2), 0.3422078938621069, 1e-14, 'continuous');
  assertClose(jensenShannon([0.3, 0.5, 0.2], [0.2, 0.4, 0.4], 2), 0.1891807977644295, 1e-14);
  assertClose(
    jensenShannon([0.3, 0.5, 0.2, 0], [0.2, 0.4, 0.3, 0.1], 2),
    0.26180236027481807,
    1e-14,
    'unseen category, leftover bin',
  );
});

test('numerical divergences match Evidently on ties, integers, constant and large columns', () => {
  // Near-identical distributions sum terms of both signs, so logarithms that differ from glibc's
  // in the last bit show at about 1e-13 of the result; 1e-11 still leaves a wide margin to 1e-7.
  const rtol = 1e-11;
  for (const expected of fixture.numeric) {
    const label = `${expected.reference}/${expected.current}`;
    const reference = sample(expected.reference);
    const current = sample(expected.current);
    const options = { integer: expected.integer };

    const filled = evidentlyBinned(reference, current, true, options);
    const plain = evidentlyBinned(reference, current, false, options);

    assertClose(psi(filled.reference, filled.current), expected.psi, rtol, `${label} psi`);
    assertClose(klDivergence(filled.reference, filled.current), expected.kl_div, rtol, label);
    assertClose(jensenShannon(plain.reference, plain.current), expected.jensenshannon, rtol, label);
    assertClose(hellingerNumerical(reference, current, options), expected.hellinger, rtol, label);
  }
});

test('categorical divergences match Evidently, the unseen category included', () => {
  for (const expected of fixture.counts) {
    const filled = evidentlyBinnedCounts(expected.reference, expected.current, true);
    const plain = evidentlyBinnedCounts(expected.reference, expected.current, false);

    assertClose(psi(filled.reference, filled.current), expected.psi, 1e-13, expected.title);
    assertClose(klDivergence(filled.reference, filled.current), expected.kl_div, 1e-13);
    assertClose(jensenShannon(plain.reference, plain.current), expected.jensenshannon, 1e-13);
    assertClose(hellingerCategorical(expected.reference, expected.current), expected.hellinger);
    assertClose(totalVariation(expected.reference, expected.current), expected.tvd, 1e-13);
  }
});

test('entropy and jensenshannon follow SciPy on zeros, unnormalised input and other bases', () => {
  for (const expected of fixture.raw) {
    assertClose(klDivergence(expected.p, expected.q), expected.entropy, 1e-14, expected.title);
    assertClose(jensenShannon(expected.p, expected.q), expected.jensenshannon, 1e-14);
    assertClose(jensenShannon(expected.p, expected.q, 2), expected.jensenshannon_base2, 1e-14);
    assertClose(jensenShannon(expected.p, expected.q, 10), expected.jensenshannon_base10, 1e-14);
  }
});

test('an unfilled empty bin on one side makes psi infinite, as numpy does', () => {
  assert.equal(psi(Float64Array.of(0.5, 0.5), Float64Array.of(1, 0)), Infinity);
});

test('divergences refuse distributions over different bins', () => {
  assert.throws(() => psi(Float64Array.of(1), Float64Array.of(0.5, 0.5)), RangeError);
  assert.throws(() => jensenShannon([1], [0.5, 0.5]), RangeError);
  assert.throws(() => totalVariation([1, 2], [3]), RangeError);
  assert.throws(() => hellingerNumerical(new Float64Array(0), Y), RangeError);
});
