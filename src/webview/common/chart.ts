import uPlot from 'uplot';
import type { XAxis } from '../../protocol/panels';
import { append, h } from './dom';
import { formatNumber } from './format';
import { chartTheme, faint } from './theme';

/**
 * One metric chart on uPlot, for one run or many. uPlot's faceted mode (2) is used throughout:
 * each series brings its own x values, so runs logged at different steps or times overlay
 * without joining them onto one shared x array, which for 500 runs on a time axis would be
 * 500 × (all their timestamps) cells.
 *
 * The chart draws what it is given, which the host has thinned to about its width; zooming asks
 * the owner (onZoom) for the zoomed range at full detail, and a double-click asks for it all.
 */
export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  x: number[];
  y: Array<number | null>;
  /** Points in the series before thinning, for the summary line. */
  total: number;
}

export interface ChartSettings {
  xAxis: XAxis;
  logScale: boolean;
  /** EMA weight in [0, 0.99]; 0 draws the raw series only. */
  smoothing: number;
}

export interface ChartOwner {
  onZoom(range: { min: number; max: number } | undefined): void;
}

const HEIGHT = 220;

export class MetricChart {
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private readonly readout: HTMLElement;
  private plot: uPlot | undefined;
  private series: ChartSeries[] = [];
  private zoomed: { min: number; max: number } | undefined;

  constructor(
    readonly title: string,
    private settings: ChartSettings,
    private readonly owner: ChartOwner,
  ) {
    this.plotHost = h('div', { class: 'plot' });
    this.readout = h('div', { class: 'readout', 'aria-hidden': 'true' });
    this.element = h('figure', { class: 'chart', role: 'img' }, this.plotHost, this.readout);
    this.element.setAttribute('aria-label', `${title}: loading`);
  }

  /** The width in pixels the host thins to. */
  get width(): number {
    return Math.max(100, Math.floor(this.plotHost.clientWidth || this.element.clientWidth || 600));
  }

  /** The series as last given: the points shown, which the CSV export writes. */
  get lastData(): readonly ChartSeries[] {
    return this.series;
  }

  setZoom(range: { min: number; max: number } | undefined): void {
    this.zoomed = range;
  }

  setSettings(settings: ChartSettings): void {
    const rebuild =
      settings.xAxis !== this.settings.xAxis || settings.logScale !== this.settings.logScale;
    this.settings = settings;
    if (rebuild) this.destroyPlot();
    this.draw();
  }

  /** New data: drawn in place, keeping the zoom, rather than building a new chart. */
  setData(series: ChartSeries[]): void {
    this.series = series;
    this.draw();
    this.element.setAttribute('aria-label', summarize(this.title, series, this.settings.xAxis));
  }

  /** Builds the chart again with the theme's current colors. */
  restyle(): void {
    this.destroyPlot();
    if (this.series.length > 0) this.draw();
  }

  resize(): void {
    this.plot?.setSize({ width: this.width, height: HEIGHT });
  }

  destroy(): void {
    this.destroyPlot();
    this.element.remove();
  }

  /** The chart as a PNG data: URL, on the editor's background so it reads outside VS Code. */
  toPng(): string {
    const source = this.plot?.ctx.canvas;
    if (!source) return '';
    const canvas = document.createElement('canvas');
    canvas.width = source.width;
    canvas.height = source.height;
    const context = canvas.getContext('2d')!;
    context.fillStyle = chartTheme().background;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0);
    return canvas.toDataURL('image/png');
  }

  toSvg(): string {
    return chartSvg(this.title, this.drawnSeries(), this.settings.logScale);
  }

  private draw(): void {
    const data = this.drawnSeries();
    const aligned = [null, ...data.map((s) => [s.x, s.y])] as unknown as uPlot.AlignedData;
    if (!this.plot || this.plot.series.length !== data.length + 1) {
      this.destroyPlot();
      this.plot = new uPlot(this.options(data), aligned, this.plotHost);
    } else {
      this.plot.setData(aligned, this.zoomed === undefined);
    }
    if (this.zoomed) this.applyScale(this.zoomed);
  }

  private applyScale(range: { min: number; max: number }): void {
    this.plot?.setScale('x', { min: this.toChartX(range.min), max: this.toChartX(range.max) });
  }

  /** Relative time arrives in milliseconds and shows in seconds; the rest shows as it comes. */
  private toChartX(value: number): number {
    return this.settings.xAxis === 'relative' ? value / 1000 : value;
  }

  private fromChartX(value: number): number {
    return this.settings.xAxis === 'relative' ? value * 1000 : value;
  }

  /** Each series as drawn: x in the chart's unit, smoothed in front of its raw self. */
  private drawnSeries(): ChartSeries[] {
    const drawn: ChartSeries[] = [];
    const { smoothing, logScale } = this.settings;
    for (const s of this.series) {
      const x = this.settings.xAxis === 'relative' ? s.x.map((v) => v / 1000) : s.x;
      const y = logScale ? s.y.map((v) => (v !== null && v > 0 ? v : null)) : s.y;
      if (smoothing > 0) {
        drawn.push({ ...s, x, y, color: faint(s.color), id: `${s.id}:raw` });
        drawn.push({ ...s, x, y: ema(y, smoothing) });
      } else {
        drawn.push({ ...s, x, y });
      }
    }
    return drawn;
  }

  private options(data: ChartSeries[]): uPlot.Options {
    const theme = chartTheme();
    const axis = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, font: theme.font };
    const facets = [
      { scale: 'x', auto: true },
      { scale: 'y', auto: true },
    ];
    return {
      mode: 2,
      width: this.width,
      height: HEIGHT,
      ms: 1,
      scales: {
        x: { time: this.settings.xAxis === 'time', range: widenSinglePoint(this.settings.xAxis) },
        y: this.settings.logScale ? { distr: 3 } : {},
      },
      legend: { show: false },
      series: [
        {},
        ...data.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.id.endsWith(':raw') ? 1 : 1.5,
          facets,
          paths: uPlot.paths.linear!(),
          points: dotWhenAlone(s),
          spanGaps: false,
        })),
      ] as uPlot.Series[],
      axes: [
        { ...axis, ...(this.settings.xAxis === 'relative' ? { label: 'seconds' } : {}) },
        { ...axis, size: 60 },
      ],
      cursor: {
        // The chart zooms itself (onSelect), so uPlot's own zoom cannot race the host's data.
        drag: { x: true, y: false, setScale: false },
        points: { show: false },
        bind: { dblclick: () => () => this.resetZoom() } as uPlot.Cursor.Bind,
      },
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        setCursor: [(u) => this.showReadout(u)],
      },
    };
  }

  /** A drag across the chart: zoom to it now, and ask the host for that range in full. */
  private onSelect(u: uPlot): void {
    const { left, width } = u.select;
    if (width < 2) return;
    const a = this.fromChartX(u.posToVal(left, 'x'));
    const b = this.fromChartX(u.posToVal(left + width, 'x'));
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.zoomed = { min: Math.min(a, b), max: Math.max(a, b) };
    this.applyScale(this.zoomed);
    this.owner.onZoom(this.zoomed);
  }

  private resetZoom(): null {
    this.zoomed = undefined;
    this.owner.onZoom(undefined);
    return null;
  }

  /** Under the chart: each series' value at the cursor (the nearest few when there are many). */
  private showReadout(u: uPlot): void {
    const left = u.cursor.left;
    if (left === undefined || left < 0) {
      this.readout.textContent = '';
      return;
    }
    const x = this.fromChartX(u.posToVal(left, 'x'));
    const rows = this.series
      .map((s) => ({ s, i: nearest(s.x, x) }))
      .filter(({ s, i }) => i >= 0 && s.y[i] !== null)
      .map(({ s, i }) => ({ label: s.label, color: s.color, x: s.x[i], y: s.y[i] as number }));
    const cursorY = u.cursor.top === undefined ? undefined : u.posToVal(u.cursor.top, 'y');
    if (cursorY !== undefined)
      rows.sort((a, b) => Math.abs(a.y - cursorY) - Math.abs(b.y - cursorY));
    this.readout.textContent = '';
    for (const row of rows.slice(0, 6)) {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = row.color;
      append(
        this.readout,
        h('span', { class: 'reading' }, swatch, `${row.label} ${formatNumber(row.y)}`),
      );
    }
    append(
      this.readout,
      h('span', { class: 'at' }, `at ${xLabel(this.settings.xAxis, rows[0]?.x)}`),
    );
  }

  private destroyPlot(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}

/** TensorBoard's debiased exponential moving average; gaps stay gaps and do not reset it. */
export function ema(values: Array<number | null>, weight: number): Array<number | null> {
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null) return null;
    last = last * weight + (1 - weight) * value;
    count++;
    return last / (1 - Math.pow(weight, count));
  });
}

function nearest(x: number[], value: number): number {
  if (x.length === 0) return -1;
  let lo = 0;
  let hi = x.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(x[lo - 1] - value) < Math.abs(x[lo] - value) ? lo - 1 : lo;
}

function xLabel(axis: XAxis, x: number | undefined): string {
  if (x === undefined) return '';
  if (axis === 'step') return `step ${formatNumber(x)}`;
  if (axis === 'relative') return `${formatNumber(x / 1000)} s`;
  return new Date(x).toLocaleString();
}

/**
 * The line a screen reader hears for a chart: per series its points, last value, minimum and
 * maximum. The host keeps the extremes and the ends when it thins, so these are the series' own.
 */
export function summarize(title: string, series: ChartSeries[], axis: XAxis): string {
  const parts = series.map((s) => {
    const finite = s.y.map((y, i) => [y, i] as const).filter(([y]) => y !== null) as Array<
      [number, number]
    >;
    if (finite.length === 0) return `${s.label}: no finite values`;
    const [last, lastAt] = finite[finite.length - 1];
    const [min, minAt] = finite.reduce((a, b) => (b[0] < a[0] ? b : a));
    const [max, maxAt] = finite.reduce((a, b) => (b[0] > a[0] ? b : a));
    return (
      `${s.label}: ${s.total} points, last ${formatNumber(last)} at ${xLabel(axis, s.x[lastAt])}, ` +
      `minimum ${formatNumber(min)} at ${xLabel(axis, s.x[minAt])}, ` +
      `maximum ${formatNumber(max)} at ${xLabel(axis, s.x[maxAt])}`
    );
  });
  return `Chart of ${title}. ${parts.join('. ')}.`;
}

/** A standalone SVG of the lines, with their ranges written in the corners. */
export function chartSvg(title: string, series: ChartSeries[], logScale: boolean): string {
  const width = 800;
  const height = 320;
  const pad = 40;
  const xs = series.flatMap((s) => s.x);
  const ys = series
    .flatMap((s) => s.y)
    .filter((y): y is number => y !== null && (!logScale || y > 0));
  if (xs.length === 0 || ys.length === 0) return svgDocument(width, height, title, '');
  const fy = (y: number) => (logScale ? Math.log10(y) : y);
  const [x0, x1] = extent(xs);
  const [y0, y1] = extent(ys.map(fy));
  const px = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const py = (y: number) => height - pad - ((fy(y) - y0) / (y1 - y0 || 1)) * (height - 2 * pad);

  const lines = series.map((s) => {
    const segments: string[] = [];
    let current: string[] = [];
    s.x.forEach((x, i) => {
      const y = s.y[i];
      if (y === null || (logScale && y <= 0)) {
        if (current.length > 1) segments.push(current.join(' '));
        current = [];
        return;
      }
      current.push(`${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    });
    if (current.length > 1) segments.push(current.join(' '));
    return segments
      .map(
        (points) =>
          `<polyline fill="none" stroke="${escapeXml(s.color)}" stroke-width="1.5" points="${points}"/>`,
      )
      .join('');
  });
  const labels =
    `<text x="${pad}" y="${height - 10}">${formatNumber(x0)}</text>` +
    `<text x="${width - pad}" y="${height - 10}" text-anchor="end">${formatNumber(x1)}</text>` +
    `<text x="4" y="${pad}">${formatNumber(logScale ? 10 ** y1 : y1)}</text>` +
    `<text x="4" y="${height - pad}">${formatNumber(logScale ? 10 ** y0 : y0)}</text>`;
  return svgDocument(width, height, title, lines.join('') + labels);
}

/** Min and max without spreading: a spread of 500,000 values overflows the call stack. */
function extent(values: number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return [min, max];
}

function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">` +
    `<title>${escapeXml(title)}</title><rect width="100%" height="100%" fill="white"/>` +
    `<text x="${width / 2}" y="18" text-anchor="middle">${escapeXml(title)}</text>${body}</svg>`
  );
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Every point at one x (a metric logged once) leaves the x scale without width, and uPlot then
 * places nothing: the range is widened around it, by a step, a second or a second of wall time.
 */
function widenSinglePoint(xAxis: XAxis): uPlot.Scale.Range {
  const half = xAxis === 'time' ? 1000 : 1;
  return (_u, min, max) => (min === max ? [min - half, max + half] : [min, max]);
}

/**
 * A line needs two points: a metric logged once (a final accuracy) is drawn as a dot. The dot's
 * index is named (filter) because in facet mode (mode 2) uPlot has no index range of its own to
 * draw points over, and draws none without one.
 */
function dotWhenAlone(s: ChartSeries): uPlot.Series.Points {
  const present = s.y.flatMap((v, i) => (v === null ? [] : [i]));
  if (present.length >= 2) return { show: false };
  return { show: true, size: 7, fill: s.color, filter: () => present };
}
