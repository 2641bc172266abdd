import type { Run } from '../../core/store/entities';
import { formatMetric } from '../views/node';
import { table } from './summary';

/**
 * Runs side by side: the Markdown comparison that stands in for the compare panel, and the CSV
 * export. Pure, so both are unit-tested.
 */

interface Column {
  name: string;
  value(run: Run): string;
}

/** `params.<key>` then `metrics.<key>` columns over the union of the runs' keys, sorted. */
function dataColumns(runs: Run[], format: (value: number) => string): Column[] {
  const keys = (pick: (run: Run) => Array<{ key: string }>) =>
    [...new Set(runs.flatMap((run) => pick(run).map((entry) => entry.key)))].sort();
  const params = keys((run) => run.data.params).map((key) => ({
    name: `params.${key}`,
    value: (run: Run) => run.data.params.find((p) => p.key === key)?.value ?? '',
  }));
  const metrics = keys((run) => run.data.metrics).map((key) => ({
    name: `metrics.${key}`,
    value: (run: Run) => {
      const metric = run.data.metrics.find((m) => m.key === key);
      return metric ? format(metric.value) : '';
    },
  }));
  return [...params, ...metrics];
}

/**
 * One row per param and metric, one column per run. Rows whose value is the same in every run
 * (missing counts as a value) are left out and named at the end, so what differs stands out.
 */
export function compareTable(runs: Run[]): string {
  const columns = dataColumns(runs, formatMetric);
  const differs = (column: Column) => new Set(runs.map(column.value)).size > 1;
  const shown = columns.filter(differs);
  const hidden = columns.filter((column) => !differs(column)).map((column) => column.name);

  const header = ['', ...runs.map((run) => run.info.runName || run.info.runId)];
  const rows = [
    ['run_id', ...runs.map((run) => run.info.runId)],
    ['status', ...runs.map((run) => run.info.status)],
    ...shown.map((column) => [column.name, ...runs.map(column.value)]),
  ];
  const note =
    hidden.length === 0
      ? 'Every parameter and metric differs between these runs.'
      : `Hidden because they are equal in every run: ${hidden.join(', ')}.`;
  return [`# Compare ${runs.length} runs`, '', table(header, rows), '', note, ''].join('\n');
}

/** RFC 4180: a field with a comma, quote or line break is quoted, and its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const isoTime = (time: number | null) => (time === null ? '' : new Date(time).toISOString());

/** Runs as CSV with CRLF line ends; metrics are their latest values, unrounded. */
export function runsCsv(runs: Run[]): string {
  const columns: Column[] = [
    { name: 'run_id', value: (run) => run.info.runId },
    { name: 'name', value: (run) => run.info.runName },
    { name: 'status', value: (run) => run.info.status },
    { name: 'start_time', value: (run) => isoTime(run.info.startTime) },
    { name: 'end_time', value: (run) => isoTime(run.info.endTime) },
    ...dataColumns(runs, String),
  ];
  const lines = [
    columns.map((column) => csvField(column.name)),
    ...runs.map((run) => columns.map((column) => csvField(column.value(run)))),
  ];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}
