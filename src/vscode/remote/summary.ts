import type { Run } from '../../core/store/entities';
import type { TransferSummary } from '../../core/tracking/remote/transfer';
import { formatDuration } from '../experiments/summary';
import { escapeMarkdown as escape, formatMetric } from '../views/node';

/**
 * Text for remote runs and transfers: a remote run as a read-only Markdown page, and a push's or
 * pull's counts as one sentence. No `vscode` import, so both are unit-tested.
 */

/** A remote run's params, latest metrics and tags; every value from the server is escaped. */
export function runMarkdown(run: Run, serverUrl: string): string {
  const { info, data } = run;
  const lines = [`# ${escape(info.runName || info.runId)}`, ''];
  lines.push(`Run ${escape(info.runId)} on ${escape(serverUrl)} · ${info.status.toLowerCase()}`);
  if (info.startTime !== null) {
    const started = new Date(info.startTime).toISOString();
    const took =
      info.endTime !== null ? ` · took ${formatDuration(info.endTime - info.startTime)}` : '';
    lines.push('', `Started ${started}${took}`);
  }
  lines.push(
    ...table(
      'Parameters',
      data.params.map((p) => [p.key, p.value]),
    ),
  );
  lines.push(
    ...table(
      'Metrics',
      data.metrics.map((m) => [m.key, formatMetric(m.value)]),
    ),
  );
  lines.push(
    ...table(
      'Tags',
      data.tags.map((t) => [t.key, t.value]),
    ),
  );
  lines.push(
    '',
    'Read-only: pull the run into the workspace to chart its metrics and check drift.',
  );
  return lines.join('\n') + '\n';
}

function table(title: string, rows: Array<[string, string]>): string[] {
  if (rows.length === 0) return [];
  const cell = (text: string) => escape(text).replace(/\r?\n/g, ' ');
  return [
    '',
    `## ${title}`,
    '',
    '| name | value |',
    '| --- | --- |',
    ...rows.map(([key, value]) => `| ${cell(key)} | ${cell(value)} |`),
  ];
}

/** "2 runs (1 created, 1 updated, 0 unchanged), 40 metric points, 3 artifact files (12 kB)". */
export function describeSummary(summary: TransferSummary): string {
  const s = summary;
  const runs = s.runsCreated + s.runsUpdated + s.runsUnchanged + s.runsSkipped;
  const parts = [
    `${count(runs, 'run')} (${s.runsCreated} created, ${s.runsUpdated} updated, ` +
      `${s.runsUnchanged} unchanged${s.runsSkipped ? `, ${s.runsSkipped} skipped` : ''})`,
    count(s.metricPoints, 'metric point'),
    count(s.params, 'param'),
    `${count(s.artifacts, 'artifact file')} (${bytes(s.artifactBytes)})`,
  ];
  if (s.experiments > 0) parts.unshift(count(s.experiments, 'new experiment'));
  if (s.warnings > 0) parts.push(`${count(s.warnings, 'warning')} (see the log)`);
  return parts.join(', ');
}

/** What a progress notification says while a transfer runs. */
export function describeProgress(done: number, total: number, summary: TransferSummary): string {
  return `${done} of ${count(total, 'run')} · ${count(summary.metricPoints, 'metric point')}`;
}

function count(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
