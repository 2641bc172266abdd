import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Helpers for the fixtures written by test/fixtures/drift/make_distributions.py and
 * make_exact_tests.py: JSON numbers with non-finite values spelled "inf", "-inf", "nan", and
 * large samples stored as a recipe for a Park-Miller generator that both languages replay
 * with the same IEEE operations, so the samples agree bit for bit.
 */

export interface SampleRecipe {
  seed: number;
  count: number;
  scale: number;
  shift: number;
  levels?: number;
}

export type SampleSpec = Array<number | string> | SampleRecipe;

const MODULUS = 2147483647;

/** Reads a fixture from test/fixtures/drift/. */
export function readFixture<T>(name: string): T {
  const path = join(__dirname, '..', '..', 'fixtures', 'drift', name);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A fixture number: a JSON number, or "inf", "-inf" or "nan". */
export function decode(value: number | string): number {
  if (typeof value === 'number') {
    return value;
  }
  const named: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN };
  if (!(value in named)) {
    throw new Error(`not a fixture number: ${value}`);
  }
  return named[value];
}

/** The sample a fixture describes, rebuilt exactly as the Python script built it. */
export function sample(spec: SampleSpec): Float64Array {
  if (Array.isArray(spec)) {
    return Float64Array.from(spec, decode);
  }
  const values = new Float64Array(spec.count);
  let state = spec.seed;
  for (let i = 0; i < spec.count; i++) {
    state = (state * 48271) % MODULUS;
    let u = state / MODULUS;
    if (spec.levels !== undefined) {
      u = Math.floor(u * spec.levels);
    }
    values[i] = u * spec.scale + spec.shift;
  }
  return values;
}

/**
 * Asserts |actual - expected| <= tolerance * |expected|; NaN must meet NaN and an infinity
 * the same infinity. An expected 0 must be met by exactly 0.
 */
export function assertClose(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected) || expected === 0) {
    assert.ok(
      Object.is(actual, expected) || actual === expected,
      `${what}: got ${actual}, expected ${expected}`,
    );
    return;
  }
  const error = Math.abs(actual - expected) / Math.abs(expected);
  assert.ok(
    error <= tolerance,
    `${what}: got ${actual}, expected ${expected} (relative error ${error.toExponential(2)})`,
  );
}
