import uPlot from 'uplot';
import type { DriftConcept } from '../../protocol/drift';
import { append, clear, h } from '../common/dom';
import { formatNumber } from '../common/format';
import { chartTheme } from '../common/theme';
import { detectorColor } from './colors';
import { detectorText, errorLabel } from './model';

/**
 * The current file's error along its rows (averaged over slices, as the engine sends it), on
 * uPlot, with a vertical line at each row where a streaming detector signalled drift, in that
 * detector's color. The legend says where each fired and turns its lines on and off.
 */
const HEIGHT = 220;

export class ErrorCurve {
  private readonly plotHost = h('div', { class: 'plot' });
  private readonly readout = h('div', { class: 'readout', 'aria-hidden': 'true' });
  private readonly legendBox = h('ul', { class: 'detectors' });
  readonly element = h(
    'figure',
    { class: 'chart', role: 'img' },
    this.plotHost,
    this.readout,
    this.legendBox,
  );
  private plot: uPlot | undefined;
  private concept: DriftConcept | undefined;
  private readonly hidden = new Set<string>();

  constructor() {
    new ResizeObserver(() => this.plot?.setSize({ width: this.width, height: HEIGHT })).observe(
      this.plotHost,
    );
  }

  private get width(): number {
    return Math.max(100, Math.floor(this.plotHost.clientWidth || 600));
  }

  show(concept: DriftConcept): void {
    this.concept = concept;
    this.element.setAttribute('aria-label', curveSummary(concept));
    this.renderLegend();
    this.draw();
  }

  /** Builds the chart again, in the theme's colors now. */
  draw(): void {
    this.plot?.destroy();
    this.plot = undefined;
    const concept = this.concept;
    if (!concept || concept.error_curve.rows.length === 0) return;
    const { rows, values } = concept.error_curve;
    this.plot = new uPlot(this.options(concept), [rows, values], this.plotHost);
  }

  private options(concept: DriftConcept): uPlot.Options {
    const theme = chartTheme();
    const axis = { stroke: theme.muted, grid: { stroke: theme.grid, width: 1 }, font: theme.font };
    const [low, high] = xRange(concept);
    return {
      width: this.width,
      height: HEIGHT,
      scales: {
        x: { time: false, range: () => [low, high] },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max : 1] },
      },
      legend: { show: false },
      series: [
        {},
        {
          label: errorLabel(concept.task),
          stroke: theme.foreground,
          width: 1.5,
          points: { show: false },
        },
      ],
      axes: [
        { ...axis, label: 'row of the current file' },
        { ...axis, size: 60, label: errorLabel(concept.task) },
      ],
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      hooks: {
        draw: [(u) => this.drawMarkers(u, concept)],
        setCursor: [(u) => this.showReadout(u)],
      },
    };
  }

  /** One dashed line per drift row, over the plotting area, in canvas pixels. */
  private drawMarkers(u: uPlot, concept: DriftConcept): void {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    concept.detectors.forEach((detector, index) => {
      if (this.hidden.has(detector.name)) return;
      ctx.strokeStyle = detectorColor(index);
      for (const row of detector.drift) {
        const x = Math.round(u.valToPos(row, 'x', true)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bbox.top + bbox.height);
        ctx.stroke();
      }
    });
    ctx.restore();
  }

  private showReadout(u: uPlot): void {
    const index = u.cursor.idx;
    const concept = this.concept;
    if (index === null || index === undefined || !concept) {
      this.readout.textContent = '';
      return;
    }
    const row = concept.error_curve.rows[index];
    const value = concept.error_curve.values[index];
    this.readout.textContent = `from row ${row}: ${errorLabel(concept.task)} ${formatNumber(value)}`;
  }

  private renderLegend(): void {
    const concept = this.concept!;
    clear(this.legendBox);
    concept.detectors.forEach((detector, index) => {
      const box = h('input', { type: 'checkbox', checked: !this.hidden.has(detector.name) });
      box.disabled = detector.drift.length === 0;
      box.addEventListener('change', () => {
        if (box.checked) this.hidden.delete(detector.name);
        else this.hidden.add(detector.name);
        this.plot?.redraw(false);
      });
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = detectorColor(index);
      const label = h('label', {}, box, swatch, h('strong', {}, detector.name));
      append(this.legendBox, h('li', {}, label, ` ${detectorText(detector)}`));
    });
  }
}

/** The x axis spans the curve and every row a detector named, so no line falls off the chart. */
function xRange(concept: DriftConcept): [number, number] {
  let low = concept.error_curve.rows[0] ?? 0;
  let high = concept.error_curve.rows[concept.error_curve.rows.length - 1] ?? 1;
  high = Math.max(high, concept.rows.current - 1);
  for (const detector of concept.detectors) {
    for (const row of detector.drift) {
      low = Math.min(low, row);
      high = Math.max(high, row);
    }
  }
  return low === high ? [low - 1, high + 1] : [low, high];
}

export function curveSummary(concept: DriftConcept): string {
  const values = concept.error_curve.values;
  const label = errorLabel(concept.task);
  if (values.length === 0) return `The ${label} of the current file: no rows to show.`;
  let [min, max] = [Infinity, -Infinity];
  for (const value of values) [min, max] = [Math.min(min, value), Math.max(max, value)];
  const detectors = concept.detectors.map((d) => `${d.name}: ${detectorText(d)}`);
  return (
    `The ${label} of the current file over its ${concept.rows.current} rows, in ` +
    `${values.length} slices: from ${formatNumber(values[0])} to ` +
    `${formatNumber(values[values.length - 1])}, lowest ${formatNumber(min)}, highest ` +
    `${formatNumber(max)}. ${detectors.join('. ')}.`
  );
}
