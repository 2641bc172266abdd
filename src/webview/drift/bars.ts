import type { DriftColumn } from '../../protocol/drift';
import { append, clear, h } from '../common/dom';
import { formatNumber } from '../common/format';
import { chartTheme } from '../common/theme';
import { sideColors } from './colors';
import { barLayout, type BarLayout, type BarScale } from './layout';
import { binRows, chartSummary, percent } from './model';

/**
 * A column's chart, drawn on a canvas as the compare panel's plots are: uPlot draws series over
 * a shared x axis, not two histograms overlaid on bins nor bars grouped by category. Under it,
 * what is under the pointer, and a table of the same numbers for keyboard and screen readers.
 */
const PAD = { left: 60, right: 12, top: 10, bottom: 28 };
const HEIGHT = 240;

export class ColumnChart {
  private readonly canvas = h('canvas', { class: 'drift-bars', role: 'img' });
  private readonly readout = h('div', { class: 'readout', 'aria-hidden': 'true' });
  private readonly legendBox = h('div', { class: 'readout' });
  private readonly table = h('div');
  readonly element = h(
    'figure',
    { class: 'drift-chart' },
    this.legendBox,
    this.canvas,
    this.readout,
    this.table,
  );
  private layout: BarLayout | undefined;
  private shown: { column: DriftColumn; scale: BarScale } | undefined;

  constructor() {
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.canvas.addEventListener('mouseleave', () => (this.readout.textContent = ''));
  }

  show(column: DriftColumn, scale: BarScale): void {
    this.shown = { column, scale };
    this.canvas.setAttribute('aria-label', chartSummary(column));
    this.legend();
    this.countsTable(column);
    this.draw();
  }

  /** Again, at the canvas's size now and in the theme's colors now. */
  draw(): void {
    const histogram = this.shown?.column.histogram;
    if (!this.shown || !histogram) return;
    const { context, width, height } = prepare(this.canvas);
    const theme = chartTheme();
    context.font = theme.font;
    const charWidth = context.measureText('0000000000').width / 10 || 7;
    const box = {
      left: PAD.left,
      top: PAD.top,
      width: Math.max(10, width - PAD.left - PAD.right),
      height: Math.max(10, height - PAD.top - PAD.bottom),
    };
    this.layout = barLayout(histogram, this.shown.scale, box, charWidth);

    this.drawAxes(context, box, theme);
    this.drawBars(context, Boolean(histogram.edges));
  }

  private drawAxes(
    context: CanvasRenderingContext2D,
    box: { left: number; top: number; width: number; height: number },
    theme: ReturnType<typeof chartTheme>,
  ): void {
    const layout = this.layout!;
    const share = this.shown!.scale === 'share';
    context.strokeStyle = theme.grid;
    context.fillStyle = theme.muted;
    context.lineWidth = 1;
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    for (const tick of layout.ticks) {
      context.beginPath();
      context.moveTo(box.left, Math.round(tick.y) + 0.5);
      context.lineTo(box.left + box.width, Math.round(tick.y) + 0.5);
      context.stroke();
      context.fillText(
        share ? percent(tick.value) : formatNumber(tick.value),
        box.left - 6,
        tick.y,
      );
    }
    context.textAlign = 'center';
    context.textBaseline = 'top';
    for (const label of layout.labels) {
      context.fillText(label.text, label.x, box.top + box.height + 6);
    }
  }

  /**
   * Numerical bins overlaid: the reference filled, the current fainter and outlined, so where
   * they differ shows in either order. Categories side by side, both filled.
   */
  private drawBars(context: CanvasRenderingContext2D, overlaid: boolean): void {
    const colors = sideColors();
    for (const bar of this.layout!.bars) {
      if (bar.height <= 0) continue;
      context.fillStyle = colors[bar.side];
      context.globalAlpha = overlaid ? (bar.side === 'reference' ? 0.5 : 0.3) : 0.85;
      context.fillRect(bar.x, bar.y, bar.width, bar.height);
      if (overlaid && bar.side === 'current') {
        context.globalAlpha = 1;
        context.strokeStyle = colors.current;
        context.lineWidth = 1.5;
        context.strokeRect(bar.x + 0.75, bar.y + 0.75, bar.width - 1.5, bar.height - 0.75);
      }
    }
    context.globalAlpha = 1;
  }

  private legend(): void {
    const colors = sideColors();
    clear(this.legendBox);
    for (const side of ['reference', 'current'] as const) {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = colors[side];
      append(this.legendBox, h('span', { class: 'reading' }, swatch, side));
    }
  }

  private countsTable(column: DriftColumn): void {
    clear(this.table);
    if (!column.histogram) return;
    const kind = column.histogram.edges ? 'Bin' : 'Category';
    const rows = binRows(column.histogram).map((row) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, row.label),
        h('td', { class: 'number' }, formatNumber(row.reference)),
        h('td', { class: 'number' }, percent(row.referenceShare)),
        h('td', { class: 'number' }, formatNumber(row.current)),
        h('td', { class: 'number' }, percent(row.currentShare)),
      ),
    );
    const head = h(
      'tr',
      {},
      ...[kind, 'Reference', 'Share', 'Current', 'Share'].map((t) => h('th', { scope: 'col' }, t)),
    );
    append(
      this.table,
      h(
        'details',
        {},
        h('summary', {}, `The counts, ${kind.toLowerCase()} by ${kind.toLowerCase()}`),
        h('table', { class: 'grid' }, h('thead', {}, head), h('tbody', {}, ...rows)),
      ),
    );
  }

  private hover(event: MouseEvent): void {
    const layout = this.layout;
    const histogram = this.shown?.column.histogram;
    if (!layout || !histogram) return;
    const x = event.clientX - this.canvas.getBoundingClientRect().left;
    const index = layout.slots.findIndex((slot) => x >= slot.from && x < slot.to);
    const row = index < 0 ? undefined : binRows(histogram)[index];
    this.readout.textContent = row
      ? `${row.label}: reference ${formatNumber(row.reference)} (${percent(row.referenceShare)}), ` +
        `current ${formatNumber(row.current)} (${percent(row.currentShare)})`
      : '';
  }
}

/** The canvas at its CSS size and the device's pixel ratio, cleared, drawing in CSS pixels. */
function prepare(canvas: HTMLCanvasElement) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || HEIGHT;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return { context, width, height };
}
