import { sortFinite } from '../drift/sort';

/** A numeric column's finite values in ascending order, with what was left out. */
export interface SortedFinite {
  values: Float64Array;
  count: number;
  /** Empty, NA or NaN cells. */
  missing: number;
  /** Infinite numbers. */
  infinite: number;
}

/**
 * The finite values of a column, copied and sorted: every numerical drift test and the choice of
 * test want them so, and Evidently drops missing and infinite values before testing.
 */
export function finiteSorted(values: Float64Array): SortedFinite {
  const kept = new Float64Array(values.length);
  let count = 0;
  let missing = 0;
  let infinite = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isFinite(value)) kept[count++] = value;
    else if (Number.isNaN(value)) missing++;
    else infinite++;
  }
  return { values: sortFinite(kept.subarray(0, count)), count, missing, infinite };
}
