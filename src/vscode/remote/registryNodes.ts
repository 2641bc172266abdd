import type { ModelVersion, RegisteredModel, Run } from '../../core/store/entities';
import { versionLook } from '../models/model';
import { inline, modelTooltip } from '../models/tooltips';
import type { ViewNode } from '../views/node';
import { RemoteCommand } from './ids';
import type { RemoteBrowser, ServerEntry } from './model';

/**
 * The Models group of a connection: registered models and their versions as the local Models
 * view shows them (its description and tooltips), read from the server. No `vscode` import.
 */

/** A remote version with its source run, when the server still has it. */
export interface VersionRow {
  version: ModelVersion;
  run?: Run;
}

/** How many source runs are read at once for a page of versions. */
const RUN_READS = 4;

export function modelNode(server: ServerEntry, model: RegisteredModel, now: number): ViewNode {
  const latest = latestVersion(model);
  const summary = model.description.trim().split(/\r?\n/, 1)[0] ?? '';
  const parts = [
    model.aliases.map((a) => `@${a.alias}`).join(' '),
    latest ? `latest version ${latest}` : '',
    summary.length > 60 ? `${summary.slice(0, 59)}…` : summary,
  ];
  return {
    id: `remote:${server.name}:model:${JSON.stringify([model.name])}`,
    label: model.name,
    description: parts.filter(Boolean).join(' · '),
    tooltip: modelRemoteTooltip(server, model, latest, now),
    contextValue: 'remoteModel',
    icon: { id: 'package' },
    collapsible: 'collapsed',
    data: { kind: 'remoteModel', server: server.name, name: model.name },
  };
}

/**
 * The local view's model tooltip (description, aliases, tags, last update) under a first line of
 * its own: the server does not say how many versions a model has without listing them all.
 */
function modelRemoteTooltip(
  server: ServerEntry,
  model: RegisteredModel,
  latest: string | undefined,
  now: number,
): string {
  const [, ...rest] = modelTooltip(model, 0, now).split('\n\n');
  const newest = latest ? `, latest version ${inline(latest)}` : '';
  const first = `**${inline(model.name)}**, registered model on ${inline(server.url)}${newest}`;
  return [first, ...rest].join('\n\n');
}

export function versionNode(server: ServerEntry, row: VersionRow, now: number): ViewNode {
  const { version, run } = row;
  const { flags, ...look } = versionLook(version, run, now);
  const node: ViewNode = {
    id: `remote:${server.name}:version:${JSON.stringify([version.name, version.version])}`,
    ...look,
    contextValue: ['remoteVersion', ...flags].join('.'),
    collapsible: 'none',
    data: {
      kind: 'remoteVersion',
      server: server.name,
      name: version.name,
      version: version.version,
      runId: version.runId,
      aliases: version.aliases,
    },
  };
  node.command = { command: RemoteCommand.openVersion, title: 'Open Version', arguments: [node] };
  return node;
}

/**
 * The versions with their source runs, each run read once and a few at a time. A run that is
 * gone, or that the account may not read, leaves its version without one: the list still shows.
 */
export async function withSourceRuns(
  browser: Pick<RemoteBrowser, 'runs'>,
  versions: ModelVersion[],
): Promise<VersionRow[]> {
  const ids = [...new Set(versions.map((v) => v.runId).filter(Boolean))];
  const runs = new Map<string, Run | undefined>();
  for (let start = 0; start < ids.length; start += RUN_READS) {
    const batch = ids.slice(start, start + RUN_READS);
    const read = await Promise.all(batch.map((id) => browser.runs.find(id).catch(() => undefined)));
    batch.forEach((id, i) => runs.set(id, read[i]));
  }
  return versions.map((version) => ({ version, run: runs.get(version.runId) }));
}

/** The highest version number among the model's latest versions (one per stage), if any. */
function latestVersion(model: RegisteredModel): string | undefined {
  const numbers = model.latestVersions.map((v) => Number(v.version)).filter(Number.isFinite);
  return numbers.length > 0 ? String(Math.max(...numbers)) : undefined;
}
