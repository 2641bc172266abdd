import { append, h } from './dom';
import { formatNumber } from './format';
import { chartTheme } from './theme';

/**
 * The compare panel's scatter and parallel-coordinates plots, drawn on a canvas: uPlot draws
 * lines over an x axis, not one dot per run in its own color, nor axes side by side. Both draw
 * hundreds of runs in a frame and say which run is under the pointer.
 */
export interface PlotRun {
  runId: string;
  label: string;
  color: string;
}

/** One axis: numbers, or text values placed evenly in sorted order. */
export interface Axis {
  name: string;
  values: Array<number | string | null>;
}

interface Scale {
  position(value: number | string | null): number | null;
  ticks: Array<{ at: number; label: string }>;
}

/** Maps an axis's values onto [0, 1]; missing values map to null and are not drawn. */
export function scaleOf(axis: Axis): Scale {
  const numbers = axis.values.filter(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  const texts = axis.values.filter((v): v is string => typeof v === 'string');
  if (texts.length === 0) {
    let min = Infinity;
    let max = -Infinity;
    for (const n of numbers) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
    const span = max - min || 1;
    return {
      position: (v) => (typeof v === 'number' && Number.isFinite(v) ? (v - min) / span : null),
      ticks: numbers.length
        ? [0, 0.5, 1].map((at) => ({ at, label: formatNumber(min + at * span) }))
        : [],
    };
  }
  const categories = [...new Set(axis.values.filter((v) => v !== null).map(String))].sort();
  const at = (i: number) => (categories.length === 1 ? 0.5 : i / (categories.length - 1));
  return {
    position: (v) => (v === null ? null : at(categories.indexOf(String(v)))),
    ticks: categories.slice(0, 30).map((label, i) => ({ at: at(i), label })),
  };
}

/** A canvas sized to its box at the device's pixel ratio, with a 2D context in CSS pixels. */
function prepare(canvas: HTMLCanvasElement) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 320;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d')!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const theme = chartTheme();
  context.font = theme.font;
  return { context, width, height, theme };
}

const PAD = { left: 70, right: 20, top: 16, bottom: 40 };

/** A scatter of one axis against another, a dot per run. */
export class Scatter {
  readonly canvas = h('canvas', { class: 'parallel', role: 'img' });
  readonly readout = h('div', { class: 'readout' });
  readonly element = h('div', {}, this.canvas, this.readout);
  private points: Array<{ x: number; y: number; run: PlotRun; label: string }> = [];

  constructor() {
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
  }

  draw(runs: PlotRun[], x: Axis, y: Axis): void {
    const { context, width, height, theme } = prepare(this.canvas);
    const sx = scaleOf(x);
    const sy = scaleOf(y);
    const px = (p: number) => PAD.left + p * (width - PAD.left - PAD.right);
    const py = (p: number) => height - PAD.bottom - p * (height - PAD.top - PAD.bottom);

    context.strokeStyle = theme.grid;
    context.fillStyle = theme.muted;
    for (const tick of sx.ticks) {
      context.fillText(tick.label, px(tick.at) - 10, height - PAD.bottom + 16);
    }
    for (const tick of sy.ticks) context.fillText(tick.label, 4, py(tick.at) + 4);
    context.strokeRect(
      PAD.left,
      PAD.top,
      width - PAD.left - PAD.right,
      height - PAD.top - PAD.bottom,
    );
    context.fillText(`${x.name} →`, width / 2 - 40, height - 6);

    this.points = [];
    runs.forEach((run, i) => {
      const a = sx.position(x.values[i]);
      const b = sy.position(y.values[i]);
      if (a === null || b === null) return;
      const point = {
        x: px(a),
        y: py(b),
        run,
        label: `${run.label}: ${x.name} ${show(x.values[i])}, ${y.name} ${show(y.values[i])}`,
      };
      this.points.push(point);
      context.fillStyle = run.color;
      context.beginPath();
      context.arc(point.x, point.y, 4, 0, Math.PI * 2);
      context.fill();
    });
    this.canvas.setAttribute(
      'aria-label',
      `Scatter of ${y.name} against ${x.name}, ${this.points.length} of ${runs.length} runs have both.`,
    );
  }

  private hover(event: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const [mx, my] = [event.clientX - rect.left, event.clientY - rect.top];
    let best: (typeof this.points)[number] | undefined;
    let distance = 144;
    for (const point of this.points) {
      const d = (point.x - mx) ** 2 + (point.y - my) ** 2;
      if (d < distance) [best, distance] = [point, d];
    }
    this.readout.textContent = best ? best.label : '';
  }
}

/** Parallel coordinates: an axis per parameter and one for the chosen metric, a line per run. */
export class ParallelCoordinates {
  readonly canvas = h('canvas', { class: 'parallel', role: 'img' });
  readonly readout = h('div', { class: 'readout' });
  readonly element = h('div', {}, this.canvas, this.readout);
  private lines: Array<{ points: Array<[number, number]>; run: PlotRun }> = [];
  private last: { runs: PlotRun[]; axes: Axis[] } | undefined;

  constructor() {
    this.canvas.addEventListener('mousemove', (event) => this.hover(event));
  }

  draw(runs: PlotRun[], axes: Axis[], highlight?: string): void {
    this.last = { runs, axes };
    const { context, width, height, theme } = prepare(this.canvas);
    if (axes.length < 2) {
      context.fillStyle = theme.muted;
      context.fillText('Parallel coordinates need at least one parameter and a metric.', 10, 20);
      return;
    }
    const scales = axes.map(scaleOf);
    const ax = (i: number) => PAD.left + (i / (axes.length - 1)) * (width - PAD.left - PAD.right);
    const py = (p: number) => height - PAD.bottom - p * (height - PAD.top - PAD.bottom);

    this.lines = runs.map((run, r) => ({
      run,
      points: axes.flatMap((axis, i) => {
        const p = scales[i].position(axis.values[r]);
        return p === null ? [] : [[ax(i), py(p)] as [number, number]];
      }),
    }));
    for (const line of this.lines) {
      context.strokeStyle = line.run.color;
      context.globalAlpha = highlight && highlight !== line.run.runId ? 0.15 : 0.8;
      context.lineWidth = highlight === line.run.runId ? 2.5 : 1;
      context.beginPath();
      line.points.forEach(([x, y], i) => (i === 0 ? context.moveTo(x, y) : context.lineTo(x, y)));
      context.stroke();
    }
    context.globalAlpha = 1;
    this.drawAxes(context, axes, scales, ax, py, theme, height);
    this.canvas.setAttribute(
      'aria-label',
      `Parallel coordinates of ${axes.map((a) => a.name).join(', ')} for ${runs.length} runs.`,
    );
  }

  private drawAxes(
    context: CanvasRenderingContext2D,
    axes: Axis[],
    scales: Scale[],
    ax: (i: number) => number,
    py: (p: number) => number,
    theme: ReturnType<typeof chartTheme>,
    height: number,
  ): void {
    context.strokeStyle = theme.foreground;
    context.fillStyle = theme.foreground;
    axes.forEach((axis, i) => {
      const x = ax(i);
      context.beginPath();
      context.moveTo(x, py(0));
      context.lineTo(x, py(1));
      context.stroke();
      context.fillText(axis.name, x - 20, height - 12);
      for (const tick of scales[i].ticks) context.fillText(tick.label, x + 4, py(tick.at) + 4);
    });
  }

  private hover(event: MouseEvent): void {
    if (!this.last) return;
    const rect = this.canvas.getBoundingClientRect();
    const [mx, my] = [event.clientX - rect.left, event.clientY - rect.top];
    let best: PlotRun | undefined;
    let distance = 36;
    for (const line of this.lines) {
      for (let i = 1; i < line.points.length; i++) {
        const d = segmentDistance(line.points[i - 1], line.points[i], mx, my);
        if (d < distance) [best, distance] = [line.run, d];
      }
    }
    this.readout.textContent = best ? best.label : '';
    this.draw(this.last.runs, this.last.axes, best?.runId);
  }
}

function segmentDistance(a: [number, number], b: [number, number], x: number, y: number): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const t = Math.max(
    0,
    Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy || 1)),
  );
  return (a[0] + t * dx - x) ** 2 + (a[1] + t * dy - y) ** 2;
}

function show(value: number | string | null): string {
  return typeof value === 'number' ? formatNumber(value) : (value ?? '—');
}

export function legend(runs: PlotRun[]): HTMLElement {
  const list = h('div', { class: 'readout' });
  for (const run of runs.slice(0, 50)) {
    const swatch = h('span', { class: 'swatch' });
    swatch.style.background = run.color;
    append(list, h('span', { class: 'reading' }, swatch, run.label));
  }
  if (runs.length > 50) append(list, h('span', {}, `and ${runs.length - 50} more`));
  return list;
}
