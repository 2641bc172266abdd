import type { DriftHistogram } from '../../protocol/drift';
import { formatNumber } from '../common/format';

/**
 * Where the bars of a column's chart go, in CSS pixels, without touching a canvas: numerical
 * columns as two histograms overlaid on their shared edges, categorical columns as a pair of bars
 * per category. Counts, or each side's share of its own values, which is what compares when the
 * two files differ in size.
 */
export type BarScale = 'count' | 'share';
export type Side = 'reference' | 'current';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Bar {
  side: Side;
  /** The bin or category it belongs to. */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface BarLayout {
  bars: Bar[];
  /** The y axis's ticks, value and pixel, from 0 to at least the tallest bar. */
  ticks: Array<{ value: number; y: number }>;
  /** Labels under the x axis, at their pixel centre. */
  labels: Array<{ x: number; text: string }>;
  /** Each bin's or category's span on x, for saying what is under the pointer. */
  slots: Array<{ from: number; to: number; label: string }>;
}

/** Each side's values on the chosen scale: counts, or each count's share of the side's total. */
export function scaled(histogram: DriftHistogram, scale: BarScale): Record<Side, number[]> {
  const convert = (counts: number[]) => {
    if (scale === 'count') return counts;
    const total = counts.reduce((sum, n) => sum + n, 0);
    return counts.map((n) => (total > 0 ? n / total : 0));
  };
  return { reference: convert(histogram.reference), current: convert(histogram.current) };
}

/**
 * Ticks at 1, 2 or 5 times a power of ten, from 0 to the first tick at or above `max`, about
 * `count` of them. A max of 0 (an empty side) still gets an axis to 1.
 */
export function niceTicks(max: number, count = 5): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const rough = top / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let i = 0; ticks.length === 0 || ticks[ticks.length - 1] < top - step * 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** A label cut to `maxChars` characters with an ellipsis; at least one character stays. */
export function fitLabel(label: string, maxChars: number): string {
  const keep = Math.max(1, Math.floor(maxChars));
  const characters = Array.from(label);
  return characters.length <= keep ? label : `${characters.slice(0, keep - 1).join('')}…`;
}

/** The bars of a histogram in `box`; `charWidth` is the font's average character width. */
export function barLayout(
  histogram: DriftHistogram,
  scale: BarScale,
  box: Box,
  charWidth = 7,
): BarLayout {
  const values = scaled(histogram, scale);
  let max = 0;
  for (const side of [values.reference, values.current])
    for (const v of side) max = Math.max(max, v);
  const tickValues = niceTicks(max);
  const top = tickValues[tickValues.length - 1];
  const py = (value: number) => box.top + box.height - (value / top) * box.height;
  const ticks = tickValues.map((value) => ({ value, y: py(value) }));

  const slots = histogram.edges
    ? edgeSlots(histogram.edges, box)
    : categorySlots(histogram.categories ?? [], box);
  const bars: Bar[] = [];
  slots.forEach((slot, index) => {
    for (const side of ['reference', 'current'] as const) {
      const value = values[side][index] ?? 0;
      const [x, width] = histogram.edges ? overlaid(slot) : paired(slot, side);
      bars.push({
        side,
        index,
        x,
        width,
        value,
        y: py(value),
        height: box.top + box.height - py(value),
      });
    }
  });
  return { bars, ticks, labels: xLabels(histogram, slots, box, charWidth), slots };
}

/** Bins placed by value, so edges of unequal width still read as a histogram. */
function edgeSlots(edges: number[], box: Box): BarLayout['slots'] {
  const low = edges[0];
  const span = edges[edges.length - 1] - low || 1;
  const px = (value: number) => box.left + ((value - low) / span) * box.width;
  return edges.slice(1).map((edge, i) => ({
    from: px(edges[i]),
    to: px(edge),
    label: `${formatNumber(edges[i])} to ${formatNumber(edge)}`,
  }));
}

function categorySlots(categories: string[], box: Box): BarLayout['slots'] {
  const width = box.width / Math.max(1, categories.length);
  return categories.map((label, i) => ({
    from: box.left + i * width,
    to: box.left + (i + 1) * width,
    label,
  }));
}

/** Both sides over the whole bin, a pixel in from each edge so neighbouring bins stay apart. */
function overlaid(slot: { from: number; to: number }): [number, number] {
  const gap = Math.min(1, (slot.to - slot.from) / 4);
  return [slot.from + gap, Math.max(0.5, slot.to - slot.from - 2 * gap)];
}

/** Reference on the left half of the category's slot, current on the right, a gap between. */
function paired(slot: { from: number; to: number }, side: Side): [number, number] {
  const width = slot.to - slot.from;
  return [slot.from + width * (side === 'reference' ? 0.1 : 0.52), Math.max(0.5, width * 0.38)];
}

/**
 * Edge values under a numerical chart, thinned so they do not overlap; category names under a
 * categorical one, each cut to its slot.
 */
function xLabels(
  histogram: DriftHistogram,
  slots: BarLayout['slots'],
  box: Box,
  charWidth: number,
): BarLayout['labels'] {
  if (!histogram.edges) {
    return slots.map((slot) => ({
      x: (slot.from + slot.to) / 2,
      text: fitLabel(slot.label, (slot.to - slot.from) / charWidth),
    }));
  }
  const edges = histogram.edges;
  const texts = edges.map((edge) => formatNumber(edge));
  const widest = Math.max(...texts.map((t) => t.length)) * charWidth + 8;
  const every = Math.max(1, Math.ceil(widest / (box.width / Math.max(1, edges.length - 1))));
  const low = edges[0];
  const span = edges[edges.length - 1] - low || 1;
  const labels = texts.map((text, i) => ({
    x: box.left + ((edges[i] - low) / span) * box.width,
    text,
  }));
  return labels
    .filter((_, i) => i % every === 0 || i === edges.length - 1)
    .filter(
      (label, i, kept) => i === kept.length - 1 || kept[kept.length - 1].x - label.x >= widest,
    );
}
