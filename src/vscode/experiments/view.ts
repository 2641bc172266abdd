import * as vscode from 'vscode';
import { DisposableScope } from '../disposable';
import { core } from '../core';
import { SettingId, ViewId } from '../ids';
import { log } from '../log';
import type { Services } from '../services';
import { RefreshBatcher } from '../views/batcher';
import { messageNode, type ViewNode } from '../views/node';
import { NodeTreeProvider } from '../views/tree';
import { ActiveExperiment } from './active';
import { ExperimentContext } from './ids';
import type { ExperimentsModel, RunQuery, StoreSource } from './model';

type ModelClass = typeof ExperimentsModel;

/**
 * The Experiments view: the model's nodes in a TreeView, refreshed from the store's change events
 * through a batcher, so a run logging 1,000 points a second repaints the tree a few times a
 * second. Node ids are stable, so a refresh keeps what is expanded and selected.
 */
export class ExperimentsView implements vscode.Disposable {
  /** What the view shows; the model gets it when it is created. */
  query: RunQuery = { filter: '', showDeleted: false };
  private created: ExperimentsModel | undefined;
  readonly provider: NodeTreeProvider;
  readonly treeView: vscode.TreeView<ViewNode>;
  readonly active: ActiveExperiment;
  private readonly scope = new DisposableScope();
  private readonly batcher: RefreshBatcher;
  private storeEvents: vscode.Disposable | undefined;
  private readonly modelClass: () => ModelClass;

  constructor(
    private readonly services: Services,
    options: { intervalMs?: number; modelClass?: () => ModelClass } = {},
  ) {
    this.modelClass = options.modelClass ?? (() => core().experiments.ExperimentsModel);
    this.provider = this.scope.track(new NodeTreeProvider((parent) => this.childrenOf(parent)));
    this.treeView = this.scope.track(
      vscode.window.createTreeView(ViewId.experiments, {
        treeDataProvider: this.provider,
        canSelectMany: true,
        showCollapseAll: true,
      }),
    );
    this.batcher = this.scope.track(
      new RefreshBatcher(() => this.provider.refresh(), options.intervalMs),
    );
    this.active = this.scope.track(new ActiveExperiment(services.context));

    this.scope.track(services.tracking.onDidChange(() => this.watchStore()));
    this.scope.track(this.active.onDidChange((name) => this.onActiveChanged(name)));
    this.scope.track(vscode.workspace.onDidChangeConfiguration((event) => this.onSettings(event)));
    this.scope.track({ dispose: () => this.storeEvents?.dispose() });
    this.watchStore();
    this.describe();
  }

  /**
   * The tree model, created on first use: it comes from dist/core.js, which loads with the store
   * rather than at activation.
   */
  get model(): ExperimentsModel {
    if (!this.created) {
      const model = new (this.modelClass())(() => this.source());
      model.setQuery(this.query);
      model.keyMetric = readKeyMetric();
      model.activeExperiment = this.active.name;
      this.created = model;
    }
    return this.created;
  }

  refresh(): void {
    this.provider.refresh();
  }

  /** A new filter, sort or deleted toggle, shown in the view's description at once. */
  setQuery(query: RunQuery): void {
    this.query = query;
    this.created?.setQuery(query);
    this.describe();
    this.refresh();
  }

  /** The runs selected in the view, e.g. for "Compare Runs" from the command palette. */
  get selection(): readonly ViewNode[] {
    return this.treeView.selection;
  }

  private source(): StoreSource {
    const { state, runStore } = this.services.tracking;
    // The tracking service stays at `none` in a restricted workspace, where it opens nothing.
    const untrusted = state === 'none' && !vscode.workspace.isTrusted;
    return { state: untrusted ? 'untrusted' : state, store: runStore };
  }

  private childrenOf(parent: ViewNode | undefined): ViewNode[] {
    // Nothing to show yet, and no reason to load the model for it.
    if (!this.created && this.source().state === 'none') return [];
    try {
      return this.model.childrenOf(parent);
    } catch (error) {
      log.error(error instanceof Error ? error : new Error(String(error)));
      const reason = error instanceof Error ? error.message : String(error);
      return [messageNode(`message:error:${parent?.id ?? ''}`, `Could not read runs: ${reason}`)];
    }
  }

  /** The store may open after the view, close, or be replaced: follow whichever is current. */
  private watchStore(): void {
    this.storeEvents?.dispose();
    this.storeEvents = this.services.tracking.runStore?.onChange(() => this.batcher.schedule());
    this.refresh();
  }

  private onActiveChanged(name: string | undefined): void {
    if (this.created) this.created.activeExperiment = name;
    this.refresh();
  }

  private onSettings(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SettingId.experimentsKeyMetric)) return;
    if (this.created) this.created.keyMetric = readKeyMetric();
    this.refresh();
  }

  /** The filter and sort in the view's title bar, and the context keys of its buttons. */
  private describe(): void {
    const { filter, sort, showDeleted } = this.query;
    const sortLabel = sort && `${sort.metric ?? 'start time'} ${sort.ascending ? '↑' : '↓'}`;
    const parts = [filter && `where ${filter}`, sortLabel && `by ${sortLabel}`];
    if (showDeleted) parts.push('with deleted');
    this.treeView.description = parts.filter(Boolean).join(' · ') || undefined;
    void setContext(ExperimentContext.filtered, Boolean(filter || sort));
    void setContext(ExperimentContext.showingDeleted, showDeleted);
  }

  dispose(): void {
    this.scope.dispose();
  }
}

function readKeyMetric(): string {
  const value = vscode.workspace.getConfiguration().get<string>(SettingId.experimentsKeyMetric);
  return (value ?? '').trim();
}

function setContext(key: string, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}

/** One view per window; the commands find it here, since they are registered separately. */
const views = new WeakMap<object, ExperimentsView>();

export function experimentsView(services: Services): ExperimentsView | undefined {
  return views.get(services.tracking);
}

/** Creates the experiments tree view and keeps it live from store events. */
export function registerExperimentsView(services: Services, scope: DisposableScope): void {
  const view = scope.track(new ExperimentsView(services));
  views.set(services.tracking, view);
  scope.track({ dispose: () => views.delete(services.tracking) });
}
