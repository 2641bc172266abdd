import type { DriftColumn, DriftReportJson } from '../../protocol/drift';
import { formatNumber } from '../common/format';

/**
 * What the drift panel shows, worked out from the report without touching the DOM, so it is
 * tested under node: the order and filtering of the columns table, and the words each cell and
 * banner reads.
 */

/** Drifted columns first, then the other tested ones, then the skipped; the report's order within. */
export function orderColumns(columns: readonly DriftColumn[]): DriftColumn[] {
  const rank = (c: DriftColumn) => (c.status === 'skipped' ? 2 : c.drift ? 0 : 1);
  return columns
    .map((column, index) => ({ column, index }))
    .sort((a, b) => rank(a.column) - rank(b.column) || a.index - b.index)
    .map(({ column }) => column);
}

/**
 * The columns whose name, kind or test contains every word of the filter (case does not matter),
 * and only the drifted ones when asked.
 */
export function filterColumns(
  columns: readonly DriftColumn[],
  filter: string,
  driftedOnly: boolean,
): DriftColumn[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return columns.filter((c) => {
    if (driftedOnly && !c.drift) return false;
    const haystack = [c.column, c.kind, c.test ?? '', c.test_name ?? ''].join('\n').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** The column to show: the saved one while it is still in the report, else the first in order. */
export function pickSelected(
  ordered: readonly DriftColumn[],
  saved: string | null,
): DriftColumn | undefined {
  return ordered.find((c) => c.column === saved) ?? ordered[0];
}

const OPERATORS: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** p-value tests drift when the p-value is small, distance tests when the distance is large. */
export function isPValueTest(column: DriftColumn): boolean {
  if (column.operator) return column.operator.startsWith('<');
  return column.p_value !== null;
}

/** How the score is compared: "p < 0.05" or "distance ≥ 0.1". */
export function thresholdText(column: DriftColumn): string {
  if (column.threshold === null || column.operator === null) return '—';
  const score = isPValueTest(column) ? 'p' : 'distance';
  return `${score} ${OPERATORS[column.operator]} ${formatNumber(column.threshold)}`;
}

export function driftText(column: DriftColumn): string {
  if (column.status === 'skipped') return 'skipped';
  return column.drift ? 'Drift' : 'no';
}

export function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** The banner's line: the verdict, and the share of drifted columns against the dataset's rule. */
export function verdictText(dataset: DriftReportJson['dataset']): string {
  const verdict = dataset.drift ? 'Drift detected' : 'No drift';
  const of = `${dataset.drifted} of ${dataset.total} column${dataset.total === 1 ? '' : 's'}`;
  return (
    `${verdict}: ${of} drifted (${percent(dataset.share)}); ` +
    `the dataset drifts when ${percent(dataset.drift_share)} or more do.`
  );
}

/** How the p-values were corrected for testing many columns, if they were. */
export function correctionText(dataset: DriftReportJson['dataset']): string | null {
  const { method, alpha, tests } = dataset.correction;
  if (method === 'none') return null;
  const name =
    method === 'fdr' ? 'Benjamini-Hochberg (FDR)' : method === 'bonferroni' ? 'Bonferroni' : method;
  const level = alpha === null ? '' : ` at ${formatNumber(alpha)}`;
  return `p-values corrected with ${name}${level} over ${tests} test${tests === 1 ? '' : 's'}.`;
}

/** Metrics where a smaller value is the better one; every other metric is better larger. */
const SMALLER_IS_BETTER = new Set(['mae', 'rmse', 'mse', 'log_loss', 'error', 'error_rate']);

export type Tone = 'better' | 'worse' | 'same' | 'unknown';

/** Whether a metric's change from reference to current is good news. */
export function changeTone(metric: string, change: number | null): Tone {
  if (change === null) return 'unknown';
  if (change === 0) return 'same';
  const smaller = SMALLER_IS_BETTER.has(metric.toLowerCase());
  return change < 0 === smaller ? 'better' : 'worse';
}

export function signed(value: number | null): string {
  if (value === null) return '—';
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

/** "fired at rows 10, 250 and 1,400", or why it did not. Rows count data rows from 0. */
export function detectorText(detector: {
  drift: number[];
  warning: number[];
  status: string;
  min_rows: number;
}): string {
  if (detector.status !== 'ok') return `not enough rows (needs ${detector.min_rows})`;
  const warnings = detector.warning.length;
  const warned = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  if (detector.drift.length === 0) return `no drift${warned}`;
  const shown = detector.drift.slice(0, 8).map((row) => row.toLocaleString('en-US'));
  const more = detector.drift.length > 8 ? ` and ${detector.drift.length - 8} more` : '';
  const noun = detector.drift.length === 1 ? 'row' : 'rows';
  return `drift at ${noun} ${shown.join(', ')}${more}${warned}`;
}

/** The error curve's y axis: a share of wrong predictions, or a mean absolute error. */
export function errorLabel(task: 'classification' | 'regression'): string {
  return task === 'classification' ? 'error rate' : 'mean absolute error';
}

/** Each bin or category with both sides' counts and shares, for the readout and the table. */
export function binRows(histogram: NonNullable<DriftColumn['histogram']>) {
  const total = (counts: number[]) => counts.reduce((sum, n) => sum + n, 0);
  const totals = { reference: total(histogram.reference), current: total(histogram.current) };
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  const labels = histogram.edges
    ? histogram.edges
        .slice(1)
        .map((edge, i) => `${formatNumber(histogram.edges![i])} to ${formatNumber(edge)}`)
    : (histogram.categories ?? []);
  return labels.map((label, i) => ({
    label,
    reference: histogram.reference[i],
    current: histogram.current[i],
    referenceShare: share(histogram.reference[i], totals.reference),
    currentShare: share(histogram.current[i], totals.current),
  }));
}

/** What a screen reader hears for a column's chart: the shape of both sides, bin by bin. */
export function chartSummary(column: DriftColumn): string {
  const histogram = column.histogram;
  if (!histogram) return `${column.column}: no chart for a ${column.kind} column.`;
  const what = histogram.edges ? 'Histograms' : 'Category counts';
  const rows = binRows(histogram);
  const shown = rows
    .slice(0, 25)
    .map(
      (row) =>
        `${row.label}: reference ${formatNumber(row.reference)} (${percent(row.referenceShare)}), ` +
        `current ${formatNumber(row.current)} (${percent(row.currentShare)})`,
    );
  const more = rows.length > 25 ? `; and ${rows.length - 25} more` : '';
  return `${what} of ${column.column}, reference against current. ${shown.join('; ')}${more}.`;
}
