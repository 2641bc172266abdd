import * as vscode from 'vscode';
import { core } from '../core';
import { DisposableScope } from '../disposable';
import { SettingId, ViewId } from '../ids';
import { log } from '../log';
import type { Services } from '../services';
import { messageNode, type ViewNode } from '../views/node';
import { NodeTreeProvider } from '../views/tree';
import { connectionsOf, type Connections } from './connections';
import type { RemoteTreeModel } from './model';
import { registerRunDocuments } from './runDocument';

type ModelClass = typeof RemoteTreeModel;

/**
 * The MLflow Servers view: each connection as a top-level source, browsable like the workspace
 * store (experiments, then runs; registered models, then versions; a page at a time), read
 * through the server's REST API. The model caches what it read until the refresh button, a change
 * of connections, or a change made from the view.
 */
export class ServersView implements vscode.Disposable {
  readonly provider: NodeTreeProvider;
  private created: RemoteTreeModel | undefined;
  private readonly scope = new DisposableScope();
  private readonly modelClass: () => ModelClass;

  constructor(
    readonly connections: Connections,
    options: { modelClass?: () => ModelClass } = {},
  ) {
    this.modelClass = options.modelClass ?? (() => core().remote.RemoteTreeModel);
    this.provider = this.scope.track(new NodeTreeProvider((parent) => this.childrenOf(parent)));
    this.scope.track(
      vscode.window.createTreeView(ViewId.servers, {
        treeDataProvider: this.provider,
        showCollapseAll: true,
      }),
    );
    this.scope.track(connections.onDidChange(() => this.refresh()));
    this.scope.track(vscode.workspace.onDidChangeConfiguration((event) => this.onSettings(event)));
  }

  /** The tree model, created on first use: it comes from dist/core.js. */
  get model(): RemoteTreeModel {
    if (!this.created) {
      const connections = this.connections;
      this.created = new (this.modelClass())(
        () => connections.list(),
        (server) => connections.client(server),
      );
      this.created.keyMetric = readKeyMetric();
    }
    return this.created;
  }

  /** Reads everything again: from one server, or from all. */
  refresh(server?: string): void {
    this.created?.refresh(server);
    this.provider.refresh();
  }

  /** After a change to a registered model on a server: its rows are read again. */
  async refreshModel(server: string, name: string): Promise<void> {
    await this.created?.refreshModel(server, name);
    this.provider.refresh();
  }

  async showMore(data: Parameters<RemoteTreeModel['showMore']>[0]): Promise<void> {
    await this.model.showMore(data);
    this.provider.refresh();
  }

  private async childrenOf(parent: ViewNode | undefined): Promise<ViewNode[]> {
    // No connection: the welcome content shows, and the core bundle need not load for it.
    if (!this.created && this.connections.list().length === 0) return [];
    try {
      return await this.model.childrenOf(parent);
    } catch (error) {
      log.error(error instanceof Error ? error : new Error(String(error)));
      const reason = error instanceof Error ? error.message : String(error);
      return [messageNode(`remote:error:${parent?.id ?? ''}`, `Could not read: ${reason}`)];
    }
  }

  private onSettings(event: vscode.ConfigurationChangeEvent): void {
    if (!event.affectsConfiguration(SettingId.experimentsKeyMetric) || !this.created) return;
    this.created.keyMetric = readKeyMetric();
    this.provider.refresh();
  }

  dispose(): void {
    this.scope.dispose();
  }
}

function readKeyMetric(): string {
  const value = vscode.workspace.getConfiguration().get<string>(SettingId.experimentsKeyMetric);
  return (value ?? '').trim();
}

/** One view per window; the commands find it here, since they are registered separately. */
const views = new WeakMap<object, ServersView>();

export function serversView(services: Services): ServersView | undefined {
  return views.get(services.context);
}

/** Creates the MLflow Servers view and the read-only documents its runs and versions open in. */
export function registerServersView(services: Services, scope: DisposableScope): void {
  const view = scope.track(new ServersView(connectionsOf(services)));
  views.set(services.context, view);
  scope.track({ dispose: () => views.delete(services.context) });
  registerRunDocuments(scope);
}
