import type { ModelVersion, RegisteredModel, Run, Tag } from '../../core/store/entities';
import { ago, escapeMarkdown, formatMetric } from '../views/node';

/** How many of the source run's metrics a version's tooltip lists. */
const TOOLTIP_METRICS = 10;

/**
 * Markdown tooltips of the models view. Every value from the store passes through `inline` or
 * `paragraphs`, which escape it: a model named `[x](command:evil)` must show as text.
 */
export function modelTooltip(model: RegisteredModel, versions: number, now: number): string {
  const aliases = model.aliases.map((a) => `@${inline(a.alias)} → version ${inline(a.version)}`);
  return sections([
    `**${inline(model.name)}**, registered model with ${versions} ${plural(versions, 'version')}`,
    paragraphs(model.description),
    aliases.length > 0 ? `Aliases: ${aliases.join(', ')}` : '',
    tagList(model.tags),
    `Updated ${ago(model.lastUpdatedTimestamp, now)}`,
  ]);
}

export function versionTooltip(version: ModelVersion, run: Run | undefined, now: number): string {
  const aliases = version.aliases.map((alias) => `@${inline(alias)}`).join(' ');
  return sections([
    `**${inline(version.name)}**, version ${inline(version.version)}${aliases ? ` ${aliases}` : ''}`,
    statusLine(version),
    paragraphs(version.description),
    `Source: ${inline(version.source)}`,
    runSection(version, run),
    tagList(version.tags),
    `Registered ${ago(version.creationTimestamp, now)}`,
  ]);
}

function statusLine(version: ModelVersion): string {
  if (version.status === 'READY') return '';
  const message = version.statusMessage ? `: ${inline(version.statusMessage)}` : '';
  return `Status: ${inline(version.status)}${message}`;
}

function runSection(version: ModelVersion, run: Run | undefined): string {
  if (!version.runId) return '';
  if (!run) return `Run ${inline(version.runId)} is not in this store`;
  const heading = `Run: ${inline(run.info.runName)} (${inline(run.info.runId)}), ${inline(run.info.status)}`;
  const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
  const shown = metrics
    .slice(0, TOOLTIP_METRICS)
    .map((m) => `- ${inline(m.key)}: ${inline(formatMetric(m.value))}`);
  const more = metrics.length - shown.length;
  if (more > 0) shown.push(`- and ${more} more`);
  return [heading, ...shown].join('\n');
}

function tagList(tags: Tag[]): string {
  if (tags.length === 0) return '';
  return ['Tags:', ...tags.map((t) => `- ${inline(t.key)}: ${inline(t.value)}`)].join('\n');
}

/** One line of store text: escaped, on one line, and cut short so a tooltip stays a tooltip. */
export function inline(text: string, limit = 200): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, ' ');
  return escapeMarkdown(line.length > limit ? `${line.slice(0, limit - 1)}…` : line);
}

/** Multi-line store text (descriptions): each line escaped, line breaks kept. */
function paragraphs(text: string, limit = 1000): string {
  const cut = text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
  return cut
    .trim()
    .split(/\r?\n/)
    .map((line) => escapeMarkdown(line.trim()))
    .join('  \n');
}

function sections(parts: string[]): string {
  return parts.filter((part) => part !== '').join('\n\n');
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
