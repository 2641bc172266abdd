import type { ModelVersion, Run } from '../../core/store/entities';
import type { TransferSummary } from '../../core/tracking/remote/transfer';
import { formatDuration } from '../experiments/summary';
import { escapeMarkdown as escape, formatMetric } from '../views/node';

/**
 * Text for remote runs, versions and transfers: a remote run or model version as a read-only
 * Markdown page, and a push's or pull's counts as one sentence. No `vscode` import, so all are
 * unit-tested.
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

/**
 * A remote model version: status, aliases, source, description, its source run (with the run's
 * latest metrics) and its tags. `run` is undefined when the server no longer has the run.
 */
export function versionMarkdown(version: ModelVersion, run: Run | undefined, serverUrl: string) {
  const v = version;
  const lines = [`# ${escape(v.name)} version ${escape(v.version)}`, ''];
  const status = v.statusMessage ? `${v.status}: ${v.statusMessage}` : v.status;
  lines.push(
    `Version ${escape(v.version)} of ${escape(v.name)} on ${escape(serverUrl)} · ${escape(status)}`,
  );
  const aliases = v.aliases.map((alias) => `@${escape(alias)}`).join(' ');
  lines.push('', aliases ? `Aliases: ${aliases}` : 'No aliases');
  lines.push('', `Source: ${escape(v.source)}`);
  if (v.creationTimestamp !== null) {
    const by = v.userId ? ` by ${escape(v.userId)}` : '';
    lines.push('', `Registered ${new Date(v.creationTimestamp).toISOString()}${by}`);
  }
  if (v.description.trim()) lines.push('', '## Description', '', escape(v.description.trim()));

  lines.push('', '## Source run', '', sourceRunLine(v, run));
  if (run) {
    const metrics = run.data.metrics.map((m): [string, string] => [m.key, formatMetric(m.value)]);
    lines.push(...table('Metrics of the run', metrics).map((line) => line.replace(/^## /, '### ')));
  }
  lines.push(
    ...table(
      'Tags',
      v.tags.map((t) => [t.key, t.value]),
    ),
  );
  lines.push(
    '',
    'Read-only: set aliases and tags from the MLflow Servers view; pull the run to chart it.',
  );
  return lines.join('\n') + '\n';
}

function sourceRunLine(version: ModelVersion, run: Run | undefined): string {
  if (!version.runId) return 'None: the version was registered without a run.';
  if (!run) return `Run ${escape(version.runId)}, which the server no longer has.`;
  const name = run.info.runName ? `${escape(run.info.runName)} ` : '';
  return (
    `Run ${name}(${escape(run.info.runId)}) in experiment ${escape(run.info.experimentId)} · ` +
    run.info.status.toLowerCase()
  );
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

/**
 * "2 runs (1 created, 1 updated, 0 unchanged), 40 metric points, 3 artifact files (12 kB)"; with
 * `registry`, what was done to the model registry too.
 */
export function describeSummary(summary: TransferSummary, registry = false): string {
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
  if (registry) {
    parts.push(
      `${count(s.versions, 'model version')} created`,
      `${count(s.aliases, 'alias', 'aliases')} set`,
    );
    if (s.models > 0) parts.push(count(s.models, 'new registered model'));
  }
  if (s.warnings > 0) parts.push(`${count(s.warnings, 'warning')} (see the log)`);
  return parts.join(', ');
}

/** What a progress notification says while a transfer runs. */
export function describeProgress(
  done: number,
  total: number,
  summary: TransferSummary,
  phase: 'runs' | 'models' = 'runs',
): string {
  if (phase === 'models') {
    return `${done} of ${count(total, 'model')} · ${count(summary.versions, 'version')} created`;
  }
  return `${done} of ${count(total, 'run')} · ${count(summary.metricPoints, 'metric point')}`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}
