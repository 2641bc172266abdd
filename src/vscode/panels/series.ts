import { indexRange, lttbIndexes } from '../../core/charts/lttb';
import type { MetricSeries } from '../../core/store/series';
import type { SeriesPoints, XAxis } from '../../protocol/panels';

/**
 * Turns a stored series into what one chart asks for: x in the chart's unit, the zoomed range
 * only, thinned to the chart's width. No `vscode` import.
 */
export interface ChartRequest {
  x: XAxis;
  width: number;
  range?: { min: number; max: number };
}

export function seriesPoints(
  runId: string,
  series: MetricSeries,
  request: ChartRequest,
  startTime: number | null,
): SeriesPoints {
  const { x, y } = axisColumns(series, request.x, startTime);
  const n = series.length;
  const extent = n === 0 ? null : { min: x[0], max: x[n - 1] };
  const { from, to } = request.range
    ? indexRange(x, request.range.min, request.range.max, n)
    : { from: 0, to: n };

  const keep = lttbIndexes({ x, y }, request.width, from, to);
  const points: SeriesPoints = { runId, x: [], y: [], total: to - from, extent };
  for (const i of keep) {
    points.x.push(x[i]);
    points.y.push(Number.isFinite(y[i]) ? y[i] : null);
  }
  return points;
}

/**
 * The x and y columns for an axis. Steps are in order already; timestamps usually are too, but
 * a script may log an older step late, so time is sorted when it is not monotonic.
 */
function axisColumns(series: MetricSeries, axis: XAxis, startTime: number | null) {
  const n = series.length;
  if (axis === 'step') {
    return { x: series.steps.subarray(0, n), y: series.values.subarray(0, n) };
  }
  const offset = axis === 'relative' ? (startTime ?? (n > 0 ? series.timestamps[0] : 0)) : 0;
  let order: Uint32Array | undefined;
  if (!isSorted(series.timestamps, n)) {
    order = Uint32Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => series.timestamps[a] - series.timestamps[b]);
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const source = order ? order[i] : i;
    x[i] = series.timestamps[source] - offset;
    y[i] = series.values[source];
  }
  return { x, y };
}

function isSorted(values: Float64Array, n: number): boolean {
  for (let i = 1; i < n; i++) if (values[i] < values[i - 1]) return false;
  return true;
}
