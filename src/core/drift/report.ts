import type { ConceptReport } from './concept';
import type { ColumnResult, DriftReport, MultivariateResult } from './types';

/**
 * The report as the CLI's --json prints it and the store keeps it: snake_case keys, as
 * DESIGN.md's contract spells them, and nothing that JSON cannot carry (no NaN, no Infinity:
 * the engine has already turned those into null with a note).
 */
export function reportJson(report: DriftReport): Record<string, unknown> {
  const json: Record<string, unknown> = {
    reference: report.reference,
    current: report.current,
    columns: report.columns.map(columnJson),
    dataset: {
      drift: report.dataset.drift,
      drifted: report.dataset.drifted,
      total: report.dataset.total,
      share: report.dataset.share,
      drift_share: report.dataset.driftShare,
      correction: report.dataset.correction,
    },
    missing_columns: report.missingColumns,
    options: optionsJson(report),
    notes: report.notes,
  };
  if (report.multivariate !== undefined) json.multivariate = multivariateJson(report.multivariate);
  if (report.concept !== undefined) json.concept = conceptJson(report.concept);
  return json;
}

function multivariateJson(result: MultivariateResult) {
  return {
    test: result.test,
    status: result.status,
    columns: result.columns,
    statistic: result.statistic,
    p_value: result.pValue,
    threshold: result.threshold,
    drift: result.drift,
    rows_used: result.rowsUsed,
    permutations: result.permutations,
    sigma: result.sigma,
  };
}

function conceptJson(concept: ConceptReport) {
  const { errorTest } = concept;
  return {
    task: concept.task,
    reference: concept.reference,
    current: concept.current,
    change: concept.change,
    error_test: {
      test: errorTest.test,
      statistic: errorTest.statistic,
      p_value: errorTest.pValue,
      threshold: errorTest.threshold,
      drift: errorTest.drift,
    },
    detectors: concept.detectors.map((d) => ({
      name: d.name,
      drift: d.drift,
      warning: d.warning,
      status: d.status,
      min_rows: d.minRows,
    })),
    error_curve: concept.errorCurve,
    rows: concept.rows,
    notes: concept.notes,
  };
}

function columnJson(column: ColumnResult) {
  return {
    column: column.column,
    kind: column.kind,
    status: column.status,
    test: column.test,
    test_name: column.testName,
    statistic: column.statistic,
    p_value: column.pValue,
    threshold: column.threshold,
    operator: column.operator,
    drift: column.drift,
    reference: column.reference,
    current: column.current,
    histogram: column.histogram,
    notes: column.notes,
  };
}

function optionsJson(report: DriftReport) {
  const o = report.options;
  return {
    test: o.test ?? null,
    columns: o.columns ?? null,
    categorical: o.categorical ?? [],
    numerical: o.numerical ?? [],
    threshold: o.threshold ?? null,
    correction: o.correction ?? 'none',
    drift_share: report.dataset.driftShare,
    seed: o.seed ?? null,
    target: o.target ?? null,
    prediction: o.prediction ?? null,
    time: o.time ?? null,
    multivariate: o.multivariate ?? 'mmd',
  };
}

/** One line that says the verdict, for people and for logs. */
export function verdictLine(report: DriftReport): string {
  const { dataset } = report;
  const percent = (dataset.share * 100).toFixed(0);
  const verdict = dataset.drift ? 'DRIFT DETECTED' : 'no drift';
  return (
    `${verdict}: ${dataset.drifted} of ${dataset.total} columns drifted (${percent}%, ` +
    `the dataset drifts at ${dataset.driftShare * 100}%)`
  );
}

/** The table the CLI prints without --json. */
export function reportTable(report: DriftReport): string {
  const header = ['column', 'kind', 'test', 'statistic', 'p-value', 'threshold', 'drift'];
  const rows = report.columns.map((c) => [
    c.column,
    c.kind,
    c.test ?? '-',
    formatNumber(c.statistic),
    c.pValue === null ? '-' : formatNumber(c.pValue),
    c.threshold === null ? '-' : `${c.operator} ${formatNumber(c.threshold)}`,
    c.status === 'skipped' ? 'skipped' : c.drift ? 'DRIFT' : 'no',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();

  const out = [
    verdictLine(report),
    `reference: ${report.reference.path} (${report.reference.rows} rows)`,
    `current:   ${report.current.path} (${report.current.rows} rows)`,
    '',
    line(header),
    ...rows.map(line),
  ];
  out.push(...multivariateLines(report.multivariate), ...conceptLines(report.concept));
  const notes = [
    ...report.notes,
    ...report.columns.flatMap((c) => c.notes.map((note) => `${c.column}: ${note}`)),
    ...(report.concept?.notes ?? []),
  ];
  if (notes.length > 0) out.push('', 'notes:', ...notes.map((note) => `  ${note}`));
  return `${out.join('\n')}\n`;
}

function multivariateLines(result: MultivariateResult | undefined): string[] {
  if (!result) return [];
  const head = `multivariate (mmd over ${result.columns.length} numerical columns): `;
  if (result.status !== 'ok') return ['', `${head}not enough complete rows`];
  const verdict = result.drift ? 'DRIFT' : 'no drift';
  return [
    '',
    `${head}${verdict}, MMD² ${formatNumber(result.statistic)}, p-value ` +
      `${formatNumber(result.pValue)} (${result.rowsUsed.reference}/${result.rowsUsed.current} rows)`,
  ];
}

function conceptLines(concept: ConceptReport | undefined): string[] {
  if (!concept) return [];
  const metrics = Object.keys(concept.reference).map((m) => {
    const change = concept.change[m];
    const sign = change !== null && change > 0 ? '+' : '';
    return (
      `  ${m.padEnd(9)} ${formatNumber(concept.reference[m]).padStart(10)} -> ` +
      `${formatNumber(concept.current[m]).padStart(10)}  (${sign}${formatNumber(change)})`
    );
  });
  const test = concept.errorTest;
  const detectors = concept.detectors.map((d) => {
    if (d.status !== 'ok') return `  ${d.name}: not enough rows (needs ${d.minRows})`;
    if (d.drift.length === 0) return `  ${d.name}: no drift`;
    const rows = d.drift.slice(0, 10).join(', ');
    return `  ${d.name}: drift at row${d.drift.length > 1 ? 's' : ''} ${rows}${d.drift.length > 10 ? ', …' : ''}`;
  });
  return [
    '',
    `concept drift (${concept.task}), reference -> current:`,
    ...metrics,
    `  error test (${test.test}): p-value ${formatNumber(test.pValue)}, ` +
      (test.drift ? 'the error moved' : 'no change in the error'),
    'streaming detectors over the current error (data rows from 0):',
    ...detectors,
  ];
}

/** Four significant digits, and exponents for the small p-values that matter most. */
export function formatNumber(value: number | null): string {
  if (value === null) return '-';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}
