import { verdictText } from '../drift/lazy';
import { PanelCommand } from '../panels/ids';
import type { ModelVersion, RegisteredModel, Run } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { StoreState } from '../tracking';
import { ago, type ViewNode } from '../views/node';
import { storeStateMessage } from './state';
import { modelTooltip, versionTooltip } from './tooltips';

/** What the models view reads: the tracking service, or a stand-in in tests. */
export interface StoreSource {
  readonly state: StoreState;
  readonly runStore: RunStore | undefined;
}

/**
 * The models view's content: registered models by name, then their versions, newest first. An
 * empty list (no models, or no store yet) lets the view's welcome content show.
 */
export function modelsChildren(
  source: StoreSource,
  parent?: ViewNode,
  now = Date.now(),
): ViewNode[] {
  const message = storeStateMessage(source.state, 'registered models');
  if (message) return parent ? [] : [message];
  const store = source.runStore;
  if (!store) return [];

  if (!parent) return modelNodes(store, now);
  if (parent.data?.kind === 'model') return versionNodes(store, parent.data.name, now);
  return [];
}

export function modelNodes(store: RunStore, now = Date.now()): ViewNode[] {
  return allModels(store).map((model) => modelNode(model, versionsOf(store, model.name), now));
}

export function versionNodes(store: RunStore, name: string, now = Date.now()): ViewNode[] {
  const runs = new RunCache(store);
  return versionsOf(store, name).map((version) => {
    const node = versionNode(version, runs.get(version.runId), now);
    // The latest drift check against this version's training data, once there is one.
    const latest = store.latestDriftCheckForVersion(version.name, version.version);
    if (latest) node.description = `${node.description} · ${verdictText(latest)}`;
    if (latest?.drift) node.icon = { id: 'warning', color: 'list.warningForeground' };
    return node;
  });
}

/** Every registered model, by name; the registry pages at 1,000, and we read every page. */
export function allModels(store: RunStore): RegisteredModel[] {
  const models: RegisteredModel[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.searchRegisteredModels({
      maxResults: 1000,
      orderBy: ['name ASC'],
      pageToken,
    });
    models.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return models;
}

/** A model's live versions, newest first. */
export function versionsOf(store: RunStore, name: string): ModelVersion[] {
  return store.searchModelVersions({
    filter: `name = ${quote(name)}`,
    orderBy: ['version_number DESC'],
    maxResults: 10000,
  }).items;
}

/** A string literal of MLflow's filter syntax, which doubles a quote to escape it. */
export function quote(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function modelNode(model: RegisteredModel, versions: ModelVersion[], now: number): ViewNode {
  const count = `${versions.length} ${versions.length === 1 ? 'version' : 'versions'}`;
  const summary = firstLine(model.description);
  return {
    id: `model:${JSON.stringify([model.name])}`,
    label: model.name,
    description: summary ? `${summary} · ${count}` : count,
    tooltip: modelTooltip(model, versions.length, now),
    contextValue: model.tags.length > 0 ? 'model.tagged' : 'model',
    icon: { id: 'package' },
    collapsible: versions.length > 0 ? 'collapsed' : 'none',
    data: { kind: 'model', name: model.name },
  };
}

/**
 * What a version's row shows, in this view and under a server (src/vscode/remote), with the
 * flags its context value carries for the menus.
 */
export function versionLook(version: ModelVersion, run: Run | undefined, now: number) {
  const aliased = version.aliases.length > 0;
  return {
    label: `Version ${version.version}`,
    description: versionDescription(version, run, now),
    tooltip: versionTooltip(version, run, now),
    icon: { id: aliased ? 'tag' : 'versions' },
    flags: [aliased ? ['aliased'] : [], version.tags.length > 0 ? ['tagged'] : []].flat(),
  };
}

function versionNode(version: ModelVersion, run: Run | undefined, now: number): ViewNode {
  const { flags, ...look } = versionLook(version, run, now);
  const node: ViewNode = {
    id: `modelVersion:${JSON.stringify([version.name, version.version])}`,
    ...look,
    contextValue: ['modelVersion', ...flags].join('.'),
    collapsible: 'none',
    data: {
      kind: 'modelVersion',
      name: version.name,
      version: version.version,
      runId: version.runId,
      aliases: version.aliases,
    },
  };
  node.command = { command: PanelCommand.openVersion, title: 'Open', arguments: [node] };
  return node;
}

/** `@champion · bright-owl-12 · 3 min ago`: what tells versions apart at a glance. */
export function versionDescription(version: ModelVersion, run: Run | undefined, now: number) {
  const parts = [
    version.aliases.map((alias) => `@${alias}`).join(' '),
    version.status === 'READY' ? '' : version.status,
    run?.info.runName ?? '',
    ago(version.creationTimestamp, now),
  ];
  return parts.filter((part) => part !== '').join(' · ');
}

function firstLine(text: string, limit = 60): string {
  const line = text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** Source runs of one listing, read once each; a run that is gone (or imported without its
 * version's run) is simply absent. */
class RunCache {
  private readonly runs = new Map<string, Run | undefined>();

  constructor(private readonly store: RunStore) {}

  get(runId: string): Run | undefined {
    if (!runId) return undefined;
    if (!this.runs.has(runId)) this.runs.set(runId, this.read(runId));
    return this.runs.get(runId);
  }

  private read(runId: string): Run | undefined {
    try {
      return this.store.getRun(runId);
    } catch {
      return undefined;
    }
  }
}
