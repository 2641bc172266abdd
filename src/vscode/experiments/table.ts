import type { Run } from '../../core/store/entities';

/**
 * Runs as CSV, for "Export Runs as CSV" and the compare panel's table. Pure, so it is
 * unit-tested.
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
