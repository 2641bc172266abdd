/**
 * Growing typed arrays. Columns start at a size estimated from the file and grow by half when
 * the estimate was short, so a column's peak memory stays near its final size.
 */

export function grownFloat64(values: Float64Array, needed: number): Float64Array {
  const grown = new Float64Array(nextCapacity(values.length, needed));
  grown.set(values);
  return grown;
}

export function grownInt32(values: Int32Array, needed: number): Int32Array {
  const grown = new Int32Array(nextCapacity(values.length, needed));
  grown.set(values);
  return grown;
}

function nextCapacity(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.5), 1024);
}

/**
 * The first `length` values. When the spare room is small (an eighth or less) it is a view on
 * the same memory, since a copy would briefly need the column twice; otherwise a trimmed copy.
 */
export function trimmedFloat64(values: Float64Array, length: number): Float64Array {
  if (values.length === length) return values;
  return values.length - length <= values.length / 8
    ? values.subarray(0, length)
    : values.slice(0, length);
}

export function trimmedInt32(values: Int32Array, length: number): Int32Array {
  if (values.length === length) return values;
  return values.length - length <= values.length / 8
    ? values.subarray(0, length)
    : values.slice(0, length);
}
