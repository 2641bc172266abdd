import type { HostMessage, XAxis } from '../../protocol/panels';
import { MetricChart, type ChartSettings } from './chart';
import { append, button, h } from './dom';
import { csv } from './format';
import { send } from './messaging';

/**
 * A grid of metric charts, one per key, with one toolbar for all of them (x axis, smoothing, log
 * scale). Shared by the run panel (one run per chart) and the compare panel (every run overlaid).
 *
 * Only charts on screen ask for data: a run with 200 metrics loads the ones the user scrolls
 * to. Each request names the chart's pixel width, and the host thins to it.
 */
export interface ChartViewState {
  xAxis: XAxis;
  smoothing: number;
  logScale: boolean;
  zoom: Record<string, { min: number; max: number }>;
}

export const defaultChartState = (): ChartViewState => ({
  xAxis: 'step',
  smoothing: 0,
  logScale: false,
  zoom: {},
});

export interface ChartRuns {
  runIds(): string[];
  label(runId: string): string;
  color(runId: string): string;
}

type SeriesReply = Extract<HostMessage, { type: 'series' }>;

export class ChartGrid {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly charts = new Map<string, MetricChart>();
  private readonly visible = new Set<string>();
  private readonly stale = new Set<string>();
  private readonly latest = new Map<string, number>();
  private nextRequest = 1;
  private readonly observer: IntersectionObserver;

  constructor(
    private readonly runs: ChartRuns,
    private readonly state: ChartViewState,
    private readonly saveState: () => void,
  ) {
    this.grid = h('div', { class: 'charts' });
    this.element = h('div', {}, this.toolbar(), this.grid);
    this.observer = new IntersectionObserver((entries) => this.onVisibility(entries));
    new ResizeObserver(() => {
      for (const chart of this.charts.values()) chart.resize();
    }).observe(this.grid);
  }

  /** Adds charts for new keys and removes those of keys no longer there, keeping the rest. */
  setKeys(keys: string[]): void {
    for (const [key, chart] of this.charts) {
      if (!keys.includes(key)) {
        chart.destroy();
        this.charts.delete(key);
      }
    }
    for (const key of keys) if (!this.charts.has(key)) this.addChart(key);
    if (keys.length === 0 && this.grid.childElementCount === 0) {
      append(this.grid, h('p', { class: 'empty' }, 'No metrics logged yet.'));
    } else if (keys.length > 0) {
      this.grid.querySelector(':scope > p.empty')?.remove();
    }
  }

  /** New points arrived for these keys: charts on screen ask again, the others when shown. */
  refresh(keys: string[]): void {
    for (const key of keys) {
      if (this.visible.has(key)) this.request(key);
      else this.stale.add(key);
    }
  }

  /** Redraws every chart with the theme's colors, after VS Code switched themes. */
  redraw(): void {
    for (const chart of this.charts.values()) chart.restyle();
  }

  onSeries(message: SeriesReply): void {
    if (this.latest.get(message.key) !== message.requestId) return;
    const chart = this.charts.get(message.key);
    if (!chart || message.xAxis !== this.state.xAxis) return;
    chart.setData(
      message.series.map((s) => ({
        id: s.runId,
        label: this.runs.label(s.runId),
        color: this.runs.color(s.runId),
        x: s.x,
        y: s.y,
        total: s.total,
      })),
    );
  }

  private addChart(key: string): void {
    const chart = new MetricChart(key, this.settings(), {
      onZoom: (range) => {
        if (range) this.state.zoom[key] = range;
        else delete this.state.zoom[key];
        this.saveState();
        this.request(key);
      },
    });
    chart.setZoom(this.state.zoom[key]);
    this.charts.set(key, chart);
    const caption = h(
      'figcaption',
      {},
      h('h3', {}, key),
      h(
        'span',
        { class: 'actions' },
        button('PNG', () => exportChart(chart, 'png'), { title: `Save ${key} as PNG` }),
        button('SVG', () => exportChart(chart, 'svg'), { title: `Save ${key} as SVG` }),
        button('CSV', () => this.exportData(key), { title: `Save the points of ${key} as CSV` }),
      ),
    );
    chart.element.prepend(caption);
    chart.element.dataset.key = key;
    this.grid.appendChild(chart.element);
    this.observer.observe(chart.element);
  }

  private onVisibility(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const key = (entry.target as HTMLElement).dataset.key!;
      if (!entry.isIntersecting) {
        this.visible.delete(key);
        continue;
      }
      const firstTime = !this.visible.has(key) && !this.latest.has(key);
      this.visible.add(key);
      if (firstTime || this.stale.delete(key)) this.request(key);
    }
  }

  private request(key: string): void {
    const chart = this.charts.get(key);
    const runIds = this.runs.runIds();
    if (!chart || runIds.length === 0) return;
    const requestId = this.nextRequest++;
    this.latest.set(key, requestId);
    const range = this.state.zoom[key];
    send({
      type: 'series',
      requestId,
      runIds,
      key,
      width: Math.min(8192, chart.width),
      x: this.state.xAxis,
      ...(range ? { range } : {}),
    });
  }

  private settings(): ChartSettings {
    const { xAxis, smoothing, logScale } = this.state;
    return { xAxis, smoothing, logScale };
  }

  private applySettings(resetZoom: boolean): void {
    if (resetZoom) this.state.zoom = {};
    this.saveState();
    for (const [key, chart] of this.charts) {
      chart.setZoom(this.state.zoom[key]);
      chart.setSettings(this.settings());
      if (resetZoom) this.request(key);
    }
  }

  private toolbar(): HTMLElement {
    const axis = h('select', { 'aria-label': 'X axis' });
    for (const [value, label] of [
      ['step', 'Step'],
      ['time', 'Wall time'],
      ['relative', 'Relative time'],
    ] as const) {
      append(axis, h('option', { value, selected: this.state.xAxis === value }, label));
    }
    axis.addEventListener('change', () => {
      this.state.xAxis = axis.value as XAxis;
      this.applySettings(true);
    });

    const smoothing = h('input', {
      type: 'range',
      min: 0,
      max: 0.99,
      step: 0.01,
      value: this.state.smoothing,
      'aria-label': 'Smoothing',
    });
    const shown = h('span', { class: 'value' }, this.state.smoothing.toFixed(2));
    smoothing.addEventListener('input', () => {
      this.state.smoothing = Number(smoothing.value);
      shown.textContent = this.state.smoothing.toFixed(2);
      this.applySettings(false);
    });

    const log = h('input', { type: 'checkbox', checked: this.state.logScale });
    log.addEventListener('change', () => {
      this.state.logScale = log.checked;
      this.applySettings(false);
    });

    return h(
      'div',
      { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart settings' },
      h('label', {}, 'X axis', axis),
      h('label', {}, 'Smoothing', smoothing, shown),
      h('label', {}, log, 'Log scale'),
      button('Reset zoom', () => this.applySettings(true), {
        title: 'Show every chart whole again (or double-click a chart)',
      }),
      h('span', { class: 'empty' }, 'Drag across a chart to zoom.'),
    );
  }

  private exportData(key: string): void {
    const chart = this.charts.get(key);
    const data = chart?.lastData ?? [];
    const rows = data.flatMap((s) => s.x.map((x, i) => [s.label, String(x), String(s.y[i] ?? '')]));
    send({
      type: 'export',
      format: 'csv',
      name: `${safeName(key)}.csv`,
      content: csv(['run', this.state.xAxis, key], rows),
    });
  }
}

function exportChart(chart: MetricChart, format: 'png' | 'svg'): void {
  const content = format === 'png' ? chart.toPng() : chart.toSvg();
  if (!content) return;
  send({ type: 'export', format, name: `${safeName(chart.title)}.${format}`, content });
}

export function safeName(name: string): string {
  return name.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'chart';
}
