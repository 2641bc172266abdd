/**
 * Thinning of long metric series for charts, on the extension host, so that a webview is sent
 * about as many points as its chart has pixels rather than the whole history.
 *
 * Largest-triangle-three-buckets (Steinarsson, 2013) keeps the visual shape of a line; on its own
 * it may still drop a series' extremes, which are what a person looks for in a loss curve, so
 * the global minimum and maximum are always kept as well, with the first and last points. NaN
 * and infinite values are not thinned away either: they are gaps in the line, and a chart that
 * lost them would draw a line straight across a run's divergence.
 */

/** Points in x order; y may hold NaN or ±Infinity, x is finite and non-decreasing. */
export interface XY {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * The indexes of the points to keep, ascending: all of them when there are no more than
 * `threshold`; otherwise about `threshold` of them, with the extremes, and one non-finite value
 * from each bucket that has any (at most 2 × threshold + 2 in all).
 */
export function lttbIndexes(
  series: XY,
  threshold: number,
  from = 0,
  to = series.x.length,
): number[] {
  const count = to - from;
  if (count <= 0) return [];
  if (threshold < 3 || count <= threshold) return range(from, to);

  const chosen = largestTriangles(series, Math.floor(threshold), from, to);
  return mergeSorted(chosen, mustKeep(series, from, to));
}

/** The first and last point, and the global minimum and maximum of the finite values. */
function mustKeep(series: XY, from: number, to: number): number[] {
  const { y } = series;
  let min = -1;
  let max = -1;
  for (let i = from; i < to; i++) {
    const value = y[i];
    if (!Number.isFinite(value)) continue;
    if (min < 0 || value < y[min]) min = i;
    if (max < 0 || value > y[max]) max = i;
  }
  const keep = min >= 0 ? [from, min, max, to - 1] : [from, to - 1];
  return [...new Set(keep)].sort((a, b) => a - b);
}

/**
 * Classic LTTB: the first and last points stay; the points between are split into
 * `threshold - 2` buckets, and from each bucket the point that makes the largest triangle with the
 * point kept from the previous bucket and the average of the next bucket is kept. Non-finite
 * values cannot form a triangle; a bucket that holds any keeps its first one as well, so the gap
 * survives thinning and the output stays under twice the threshold.
 */
function largestTriangles(series: XY, threshold: number, from: number, to: number): number[] {
  const { x, y } = series;
  const kept = [from];
  const bucketSize = (to - from - 2) / (threshold - 2);
  let previous = from;

  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const start = from + 1 + Math.floor(bucket * bucketSize);
    const end = Math.min(from + 1 + Math.floor((bucket + 1) * bucketSize), to - 1);
    const [avgX, avgY] = nextBucketAverage(series, end, from, to, bucketSize, bucket);

    let best = -1;
    let bestArea = -1;
    let gap = -1;
    for (let i = start; i < end; i++) {
      if (!Number.isFinite(y[i])) {
        if (gap < 0) gap = i;
        continue;
      }
      const area = Math.abs(
        (x[previous] - avgX) * (y[i] - y[previous]) - (x[previous] - x[i]) * (avgY - y[previous]),
      );
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    if (gap >= 0 && (best < 0 || gap < best)) kept.push(gap);
    if (best >= 0) {
      kept.push(best);
      previous = best;
    }
    if (gap >= 0 && best >= 0 && gap > best) kept.push(gap);
  }
  kept.push(to - 1);
  return kept;
}

/** The mean point of the bucket after `bucket` (the last point when that is the final one). */
function nextBucketAverage(
  series: XY,
  start: number,
  from: number,
  to: number,
  bucketSize: number,
  bucket: number,
): [number, number] {
  const end = Math.min(from + 1 + Math.floor((bucket + 2) * bucketSize), to);
  let sumX = 0;
  let sumY = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    if (!Number.isFinite(series.y[i])) continue;
    sumX += series.x[i];
    sumY += series.y[i];
    n++;
  }
  if (n === 0) return [series.x[to - 1], Number.isFinite(series.y[to - 1]) ? series.y[to - 1] : 0];
  return [sumX / n, sumY / n];
}

function mergeSorted(a: number[], b: number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (merged.length === 0 || merged[merged.length - 1] !== next) merged.push(next);
  }
  return merged;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * The index range [from, to) of the points whose x lies in [min, max], with one point more on
 * each side so a zoomed line runs to the chart's edges instead of stopping short of them.
 */
export function indexRange(x: ArrayLike<number>, min: number, max: number, length = x.length) {
  let from = lowerBound(x, min, length);
  let to = lowerBound(x, max, length);
  while (to < length && x[to] <= max) to++;
  if (from > 0) from--;
  if (to < length) to++;
  return { from, to };
}

function lowerBound(x: ArrayLike<number>, value: number, length: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
