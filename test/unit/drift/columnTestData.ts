import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The TypeScript twin of test/fixtures/drift/column_test_data.py: the same Park-Miller samples,
 * built with the same IEEE operations in the same order, so fixtures name their inputs instead of
 * carrying them.
 */

export const X = Float64Array.from([
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37,
  1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
]);
export const Y = Float64Array.from([
  2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37,
  0.38, 0.7, 0.52, -0.72,
]);

export function uniforms(seed: number, n: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state * 48271) % 2147483647;
    out[i] = state / 2147483647;
  }
  return out;
}

export function bell(seed: number, n: number, loc: number, scale: number): Float64Array {
  const u = uniforms(seed, 4 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const total = u[4 * i] + u[4 * i + 1] + u[4 * i + 2] + u[4 * i + 3];
    out[i] = loc + scale * (total - 2.0);
  }
  return out;
}

export function levels(seed: number, n: number, count: number, offset = 0): Float64Array {
  const u = uniforms(seed, n);
  return u.map((value) => Math.floor(value * count) + offset);
}

/** A fixture's description of an input: a literal list or a generator call. */
export type Source = [kind: 'literal' | 'bell' | 'levels', args: number[]];

export function build([kind, args]: Source): Float64Array {
  switch (kind) {
    case 'literal':
      return Float64Array.from(args);
    case 'bell':
      return bell(args[0], args[1], args[2], args[3]);
    case 'levels':
      return levels(args[0], args[1], args[2], args[3]);
  }
}

/** Reads a fixture written by the scripts beside it, turning "inf", "-inf", "nan" into numbers. */
export function loadFixture<T>(name: string): T {
  const file = path.join(__dirname, '../../fixtures/drift', name);
  return JSON.parse(readFileSync(file, 'utf8'), (_key, value: unknown) => {
    if (value === 'inf') return Infinity;
    if (value === '-inf') return -Infinity;
    if (value === 'nan') return NaN;
    return value;
  }) as T;
}

/** |actual - expected| <= rtol * |expected| (or both NaN, or both the same infinity). */
export function assertClose(actual: number, expected: number, rtol = 1e-12, label = '') {
  if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${label}: expected NaN, got ${actual}`);
    return;
  }
  if (!Number.isFinite(expected)) {
    assert.equal(actual, expected, label);
    return;
  }
  const error = Math.abs(actual - expected);
  assert.ok(
    error <= rtol * Math.abs(expected),
    `${label}: ${actual} differs from ${expected} by ${error} (relative ${error / Math.abs(expected)})`,
  );
}

export function assertAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-12,
  label = '',
) {
  assert.equal(actual.length, expected.length, `${label}: lengths differ`);
  for (let i = 0; i < expected.length; i++) {
    assertClose(actual[i], expected[i], rtol, `${label}[${i}]`);
  }
}
