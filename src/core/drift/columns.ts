import type { Column, NumericColumn, StringColumn } from '../data/types';
import { inferKind } from '../data/infer';
import { finiteSorted } from '../data/sorted';
import { sortedUnionCounts } from './tests/numeric';
import type { DriftKind, SideCounts } from './types';

/**
 * One column of both files, cleaned the way Evidently cleans before testing: missing and
 * infinite values are dropped per side and counted. Numerical columns keep their values sorted
 * (every numerical test and the selection's distinct count want them sorted, so it is done once);
 * categorical columns become counts over the union of both sides' categories.
 */
export interface NumericPair {
  kind: 'numerical';
  name: string;
  reference: Float64Array;
  current: Float64Array;
  integer: boolean;
  referenceSide: SideCounts;
  currentSide: SideCounts;
  /**
   * Distinct values over both sides together (Evidently's n_values), counted up to
   * SELECTION_DISTINCT_CAP: the automatic choice of test only asks whether there are five or
   * fewer, and counting a million distinct floats to the end costs a merge of both sides.
   */
  distinct: number;
}

export const SELECTION_DISTINCT_CAP = 6;

export interface CategoricalPair {
  kind: 'categorical';
  name: string;
  counts: CategoryCounts;
  referenceSide: SideCounts;
  currentSide: SideCounts;
  distinct: number;
}

export interface TextPair {
  kind: 'text';
  name: string;
  referenceSide: SideCounts;
  currentSide: SideCounts;
}

/** Counts of each category on both sides, in the order pandas sorts the keys. */
export interface CategoryCounts {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

export type ColumnPair = NumericPair | CategoricalPair | TextPair;

/** Kinds that differ between the files: reported, never compared. */
export class KindMismatch extends Error {
  override readonly name = 'KindMismatch';
}

export function pairColumns(
  reference: Column,
  current: Column,
  forced: DriftKind | undefined,
): ColumnPair {
  if (reference.type !== current.type) {
    const describe = (column: Column) => (column.type === 'number' ? 'numbers' : 'text');
    throw new KindMismatch(
      `${describe(reference)} in the reference but ${describe(current)} in the current file; ` +
        'compare it as categorical with --categorical, or fix the file whose values are wrong',
    );
  }
  const kind = forced ?? inferKind(reference);
  if (reference.type === 'number' && current.type === 'number') {
    if (kind === 'numerical') return numericPair(reference, current);
    return categoricalFromNumbers(reference, current);
  }
  const ref = reference as StringColumn;
  const cur = current as StringColumn;
  if (kind === 'numerical') {
    throw new KindMismatch('holds text, so it cannot be compared as numerical');
  }
  if (kind === 'text') return textPair(ref, cur);
  return categoricalFromStrings(ref, cur);
}

function numericPair(reference: NumericColumn, current: NumericColumn): NumericPair {
  const ref = sortedOf(reference);
  const cur = sortedOf(current);
  return {
    kind: 'numerical',
    name: reference.name,
    reference: ref.values,
    current: cur.values,
    integer: reference.integer && current.integer,
    referenceSide: { ...ref.side, distinct: distinctSorted(ref.values) },
    currentSide: { ...cur.side, distinct: distinctSorted(cur.values) },
    distinct: distinctMerged(ref.values, cur.values, SELECTION_DISTINCT_CAP),
  };
}

/** The column's sorted finite values: from the reader when it sorted them in its thread. */
function sortedOf(column: NumericColumn) {
  const sorted = column.sorted ?? finiteSorted(column.values);
  const { count, missing, infinite } = sorted;
  return { values: sorted.values, side: { count, missing, infinite } };
}

/** Distinct values of a sorted array. */
export function distinctSorted(values: Float64Array): number {
  let distinct = values.length > 0 ? 1 : 0;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[i - 1]) distinct++;
  return distinct;
}

/** Distinct values of the union of two sorted arrays, by a merge, counted up to `cap`. */
function distinctMerged(a: Float64Array, b: Float64Array, cap: number): number {
  let i = 0;
  let j = 0;
  let distinct = 0;
  let last = NaN;
  while ((i < a.length || j < b.length) && distinct < cap) {
    const value = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (value !== last) distinct++;
    last = value;
  }
  return distinct;
}

/** Counts per distinct value of two sorted arrays, over the union of their values. */
export function countsFromSorted(reference: Float64Array, current: Float64Array): CategoryCounts {
  const counts = sortedUnionCounts(reference, current);
  return {
    categories: counts.values.map(String),
    reference: counts.reference,
    current: counts.current,
  };
}

function categoricalFromNumbers(reference: NumericColumn, current: NumericColumn): CategoricalPair {
  const ref = sortedOf(reference);
  const cur = sortedOf(current);
  const counts = countsFromSorted(ref.values, cur.values);
  return categoricalPair(reference.name, counts, ref.side, cur.side);
}

function categoricalFromStrings(reference: StringColumn, current: StringColumn): CategoricalPair {
  const union = [...new Set([...reference.dictionary, ...current.dictionary])].sort(compareKeys);
  const index = new Map(union.map((key, position) => [key, position]));
  const ref = countCodes(reference, union.length, index);
  const cur = countCodes(current, union.length, index);

  // A category that the dictionary holds but no row uses (possible after a reader drops rows)
  // would be an empty cell on both sides; Evidently's keys come from the values, so drop it.
  const used = union.map((_, k) => ref.counts[k] + cur.counts[k] > 0);
  const counts: CategoryCounts = {
    categories: union.filter((_, k) => used[k]),
    reference: ref.counts.filter((_, k) => used[k]),
    current: cur.counts.filter((_, k) => used[k]),
  };
  return categoricalPair(reference.name, counts, ref.side, cur.side);
}

/**
 * Python sorts str keys by code point, JavaScript's < by UTF-16 unit; they differ only when a
 * surrogate pair meets a character from U+E000 up, so the slow path runs only for those.
 */
const SURROGATE = /[\uD800-\uDFFF]/;
function compareKeys(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

function countCodes(column: StringColumn, size: number, index: Map<string, number>) {
  const byCode = new Float64Array(column.dictionary.length);
  let missing = 0;
  for (let i = 0; i < column.codes.length; i++) {
    const code = column.codes[i];
    if (code < 0) missing++;
    else byCode[code]++;
  }
  const counts = new Float64Array(size);
  column.dictionary.forEach((key, code) => (counts[index.get(key)!] += byCode[code]));
  const count = column.codes.length - missing;
  return { counts, side: { count, missing, infinite: 0 } };
}

function categoricalPair(
  name: string,
  counts: CategoryCounts,
  referenceSide: Omit<SideCounts, 'distinct'>,
  currentSide: Omit<SideCounts, 'distinct'>,
): CategoricalPair {
  const nonZero = (values: Float64Array) => values.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  return {
    kind: 'categorical',
    name,
    counts,
    referenceSide: { ...referenceSide, distinct: nonZero(counts.reference) },
    currentSide: { ...currentSide, distinct: nonZero(counts.current) },
    distinct: counts.categories.length,
  };
}

function textPair(reference: StringColumn, current: StringColumn): TextPair {
  const side = (column: StringColumn): SideCounts => {
    const missing = column.codes.reduce((n, code) => n + (code < 0 ? 1 : 0), 0);
    return {
      count: column.codes.length - missing,
      missing,
      infinite: 0,
      distinct: column.dictionary.length,
    };
  };
  return {
    kind: 'text',
    name: reference.name,
    referenceSide: side(reference),
    currentSide: side(current),
  };
}
