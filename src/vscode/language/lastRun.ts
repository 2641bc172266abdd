import type { Run, RunStatus } from '../../core/store/entities';
import type { LaunchRequest } from '../launch/request';
import { ago, escapeMarkdown, formatMetric } from '../views/node';

/**
 * The "last run" lens: which runs came from a lens's place, and how the latest one reads. Pure
 * (no `vscode`, no store), so the tests check the exact filter and title.
 */

/** The tags the launcher writes on each run it starts; the lens finds runs by them. */
export const SourceTag = {
  name: 'mlflow.source.name',
  entryPoint: 'mlflow.project.entryPoint',
  kind: 'model_factory.kind',
} as const;

const STATUS_MARK: Record<RunStatus, string> = {
  FINISHED: '✓',
  FAILED: '✗',
  RUNNING: '⟳',
  SCHEDULED: '⟳',
  KILLED: '⊘',
};

/**
 * An MLflow search filter for the runs launched from `request`'s place: the file by absolute
 * path, then the entry point (MLproject) or the kind (script). Quotes are doubled, which is how
 * the filter grammar escapes them, so a path with an apostrophe still matches itself.
 */
export function sourceFilter(request: LaunchRequest, fsPath: string): string {
  const clauses = [equals(SourceTag.name, fsPath)];
  if (request.entryPoint !== undefined)
    clauses.push(equals(SourceTag.entryPoint, request.entryPoint));
  else clauses.push(equals(SourceTag.kind, request.kind));
  return clauses.join(' AND ');
}

export interface LastRunLens {
  title: string;
  tooltip: string;
}

/** "last: 3 min ago · rmse 0.412 ✓": when, the key metric (else the first one), the status. */
export function lastRunLens(run: Run, keyMetric: string, now = Date.now()): LastRunLens {
  const metrics = run.data.metrics;
  const metric = keyMetric ? metrics.find((m) => m.key === keyMetric) : metrics[0];
  const when = ago(run.info.startTime, now) || 'not started';
  const parts = [`last: ${when}`];
  if (metric) parts.push(`${metric.key} ${formatMetric(metric.value)}`);

  const mark = STATUS_MARK[run.info.status] ?? '';
  const name = run.info.runName || run.info.runId;
  return {
    title: `${parts.join(' · ')} ${mark}`.trim(),
    tooltip: `Open run ${name} (${run.info.status.toLowerCase()})`,
  };
}

function equals(key: string, value: string): string {
  return `tags.\`${key}\` = '${value.replace(/'/g, "''")}'`;
}

/** How many past runs a parameter's hover lists. */
export const HOVER_RUNS = 5;

/**
 * The hover's second part: the values a parameter took in the latest runs of its entry point,
 * newest first, as Markdown with every stored value escaped (the values are whatever a user or a
 * script logged, and must not become links or HTML). Empty when none of the runs has it.
 */
export function parameterHistoryMarkdown(runs: Run[], parameter: string, now = Date.now()): string {
  const lines = runs.flatMap((run) => {
    const param = run.data.params.find((p) => p.key === parameter);
    if (!param) return [];
    const value = param.value === '' ? '""' : param.value;
    const when = ago(run.info.startTime, now) || 'not started';
    const mark = STATUS_MARK[run.info.status] ?? '';
    const name = escapeMarkdown(run.info.runName || run.info.runId);
    return [`- ${codeValue(value)} · ${when} · ${name} ${mark}`.trimEnd()];
  });
  if (lines.length === 0) return '';
  return [`Values in the last runs of this entry point:`, '', ...lines].join('\n');
}

/** A value as inline code, which shows it literally; a long one is cut at 60 characters. */
function codeValue(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 59)}…` : value;
  // Inline code takes no escapes: a fence longer than any run of backticks inside keeps it whole,
  // and newlines become spaces, since a code span cannot hold a line break.
  const flat = shown.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
