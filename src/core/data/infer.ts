/**
 * Column kinds by Evidently's newer rule (`infer_column_type`, which reads pandas dtypes):
 * - float: numerical;
 * - integer: categorical with at most 10 distinct values, else numerical;
 * - string: text when its distinct values are more than half its non-missing values, else
 *   categorical;
 * - boolean: categorical.
 * A NumericColumn's `integer` flag stands for pandas' int dtype (see types.ts), so a whole-valued
 * column with gaps is float, and numerical, as it is in Evidently.
 *
 * One difference: Evidently calls an object column whose first or last value is not a string
 * (in pandas, a boolean column with gaps) "unknown" and leaves it out; here a column whose
 * values are all booleans is categorical with or without gaps.
 */
import type { Column, ColumnKind, NumericColumn, StringColumn } from './types';

/** Evidently's INTEGER_CARDINALITY_LIMIT. */
export const INTEGER_CATEGORY_LIMIT = 10;
/** A string column is text when distinct values exceed this share of the values present. */
export const TEXT_DISTINCT_SHARE = 0.5;

export function inferKind(column: Column): ColumnKind {
  return column.type === 'number' ? numericKind(column) : stringKind(column);
}

function numericKind(column: NumericColumn): ColumnKind {
  if (!column.integer) return 'numerical';
  const distinct = countDistinctNumbers(column.values, INTEGER_CATEGORY_LIMIT);
  return distinct <= INTEGER_CATEGORY_LIMIT ? 'categorical' : 'numerical';
}

function stringKind(column: StringColumn): ColumnKind {
  if (column.boolean === true) return 'categorical';
  const { distinct, present } = countDistinctCodes(column);
  return distinct > TEXT_DISTINCT_SHARE * present ? 'text' : 'categorical';
}

/**
 * Distinct values other than NaN (pandas' nunique: -0 and 0 are one value, infinities count).
 * With `limit`, counting stops once it is passed and returns limit + 1, so asking "at most 10?"
 * of a million floats costs one pass with a tiny set.
 */
export function countDistinctNumbers(values: Float64Array, limit = Infinity): number {
  if (limit < 64) return countDistinctUpTo(values, limit);

  const present = values.filter((value) => value === value).sort();
  let distinct = 0;
  for (let index = 0; index < present.length; index++) {
    if (index === 0 || present[index] !== present[index - 1]) distinct++;
    if (distinct > limit) return limit + 1;
  }
  return distinct;
}

function countDistinctUpTo(values: Float64Array, limit: number): number {
  const seen: number[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value !== value || seen.includes(value)) continue;
    seen.push(value);
    if (seen.length > limit) return limit + 1;
  }
  return seen.length;
}

/** Distinct values used by at least one row, and the number of rows with a value. */
export function countDistinctCodes(column: StringColumn): { distinct: number; present: number } {
  const used = new Uint8Array(column.dictionary.length);
  let distinct = 0;
  let present = 0;
  for (let row = 0; row < column.codes.length; row++) {
    const code = column.codes[row];
    if (code < 0) continue;
    present++;
    if (used[code] === 0) {
      used[code] = 1;
      distinct++;
    }
  }
  return { distinct, present };
}
