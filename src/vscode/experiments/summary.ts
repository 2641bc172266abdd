import type { Run } from '../../core/store/entities';
import { ago, escapeMarkdown as escape, formatMetric } from '../views/node';

/**
 * A run as Markdown for the tree's tooltip (the run panel shows the rest). No `vscode` import,
 * so it is unit-tested.
 */

const GIT_COMMIT_TAG = 'mlflow.source.git.commit';
const SOURCE_TAG = 'mlflow.source.name';
/** A tooltip lists this many params and metrics; the run panel lists them all. */
const TOOLTIP_ITEMS = 12;

export function tagValue(run: Run, key: string): string | undefined {
  return run.data.tags.find((tag) => tag.key === key)?.value;
}

/** "42 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const [larger, smaller] =
    minutes < 60
      ? [`${minutes} min`, `${seconds % 60} s`]
      : [`${Math.floor(minutes / 60)} h`, `${minutes % 60} min`];
  return smaller.startsWith('0 ') ? larger : `${larger} ${smaller}`;
}

/** How long the run took, or has taken so far when it is still going. */
export function runDuration(run: Run, now: number): string {
  const { startTime, endTime, status } = run.info;
  if (startTime === null) return '';
  if (endTime !== null) return formatDuration(endTime - startTime);
  return status === 'RUNNING' ? `${formatDuration(now - startTime)} so far` : '';
}

/** The tree's tooltip: every value from the store is escaped, so names cannot inject links. */
export function runTooltip(run: Run, now: number): string {
  const { info, data } = run;
  const lines = [`**${escape(info.runName || info.runId)}** · ${info.status.toLowerCase()}`, ''];
  const timing = [`started ${ago(info.startTime, now)}`, runDuration(run, now)];
  lines.push(escape(timing.filter(Boolean).join(' · ')), '');
  const commit = tagValue(run, GIT_COMMIT_TAG);
  if (commit) lines.push(`Git commit: ${escape(commit.slice(0, 12))}`, '');
  const source = tagValue(run, SOURCE_TAG);
  if (source) lines.push(`Source: ${escape(source)}`, '');

  const params = data.params.map((p) => `${escape(p.key)}: ${escape(truncate(p.value))}`);
  const metrics = data.metrics.map((m) => `${escape(m.key)}: ${escape(formatMetric(m.value))}`);
  lines.push(...section('Parameters', params), ...section('Metrics', metrics));
  return lines.join('\n').trim();
}

function section(title: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, TOOLTIP_ITEMS).map((item) => `- ${item}`);
  const more = items.length - shown.length;
  return [`**${title}**`, '', ...shown, ...(more > 0 ? [`- and ${more} more`] : []), ''];
}

function truncate(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
