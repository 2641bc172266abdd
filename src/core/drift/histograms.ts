import type { ColumnPair } from './columns';
import type { Histogram } from './types';

/** Evidently draws its column plots with 10 bins (nbinsx); the report keeps that. */
const NUMERIC_BINS = 10;
/** Categories drawn one by one; the rest are summed into one bar so a chart stays readable. */
const MAX_CATEGORIES = 20;
export const OTHER_CATEGORIES = '(other)';

/**
 * Counts of both sides on shared bins, for plotting: equal-width bins over the pooled range for
 * numbers (the values are sorted, so each edge is a binary search), the most frequent categories
 * for categorical columns. Counts, not densities, so a reader sees the sizes too.
 */
export function histogramFor(pair: ColumnPair): Histogram | null {
  if (pair.kind === 'numerical') return numericHistogram(pair.reference, pair.current);
  if (pair.kind === 'categorical') return categoryHistogram(pair.counts);
  return null;
}

function numericHistogram(reference: Float64Array, current: Float64Array): Histogram | null {
  if (reference.length === 0 && current.length === 0) return null;
  const low = Math.min(reference[0] ?? Infinity, current[0] ?? Infinity);
  const high = Math.max(reference.at(-1) ?? -Infinity, current.at(-1) ?? -Infinity);
  const [start, end] = low === high ? [low - 0.5, high + 0.5] : [low, high];
  const edges = Array.from({ length: NUMERIC_BINS + 1 }, (_, i) =>
    i === NUMERIC_BINS ? end : start + ((end - start) * i) / NUMERIC_BINS,
  );
  return { edges, reference: binCounts(reference, edges), current: binCounts(current, edges) };
}

/** Counts in [e_i, e_{i+1}), the last bin closed, of a sorted array. */
function binCounts(sorted: Float64Array, edges: number[]): number[] {
  const counts: number[] = [];
  let previous = 0;
  for (let i = 1; i < edges.length; i++) {
    const upTo = i === edges.length - 1 ? sorted.length : lowerBound(sorted, edges[i]);
    counts.push(upTo - previous);
    previous = upTo;
  }
  return counts;
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function categoryHistogram(counts: {
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}): Histogram {
  const order = counts.categories
    .map((_, k) => k)
    .sort(
      (a, b) => counts.reference[b] + counts.current[b] - counts.reference[a] - counts.current[a],
    );
  const shown = order.slice(0, MAX_CATEGORIES);
  const rest = order.slice(MAX_CATEGORIES);
  const pick = (values: Float64Array) => {
    const picked = shown.map((k) => values[k]);
    if (rest.length > 0) picked.push(rest.reduce((total, k) => total + values[k], 0));
    return picked;
  };
  const categories = shown.map((k) => counts.categories[k]);
  if (rest.length > 0) categories.push(OTHER_CATEGORIES);
  return { categories, reference: pick(counts.reference), current: pick(counts.current) };
}
