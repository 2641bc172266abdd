import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../core/store/store';
import type { TrackingServer } from '../core/tracking/server';
import { core } from './core';
import { DisposableScope } from './disposable';
import { CoreCommand } from './ids';
import { log, reportFailure } from './log';
import { resolveStoreDir } from './storePath';

/**
 * Where the store stands in this window, for views that show a message instead of a tree:
 * `open` (this window owns it), `shared` (another window does), `untrusted`, `failed`, or
 * `none` (no folder, or not started yet).
 */
export type StoreState = 'none' | 'open' | 'shared' | 'untrusted' | 'failed';

/** Where mlflow code in this window's terminals and tasks logs, and how it authenticates. */
export interface TrackingEndpoint {
  url: string;
  token: string | undefined;
  /** True when another window owns the store and this one uses its server. */
  shared: boolean;
}

/**
 * Opens the workspace store and serves it to this window's terminals and tasks. Starts only in
 * a trusted workspace; when another window already owns the store, uses that window's server.
 */
export class TrackingService implements vscode.Disposable {
  private readonly scope = new DisposableScope();
  private readonly statusItem: vscode.StatusBarItem;
  private store: RunStore | undefined;
  private server: TrackingServer | undefined;
  private current: TrackingEndpoint | undefined;
  private storeState: StoreState = 'none';
  private readonly changed = new vscode.EventEmitter<TrackingEndpoint | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.statusItem = this.scope.track(
      vscode.window.createStatusBarItem('modelFactory.server', vscode.StatusBarAlignment.Left, 10),
    );
    this.statusItem.name = 'Model Factory Tracking Server';
    this.statusItem.command = CoreCommand.showServerInfo;
    this.scope.track(this.changed);
    this.scope.track(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.start()));
  }

  get endpoint(): TrackingEndpoint | undefined {
    return this.current;
  }

  get runStore(): RunStore | undefined {
    return this.store;
  }

  get state(): StoreState {
    return this.storeState;
  }

  private setState(state: StoreState): void {
    this.storeState = state;
    this.changed.fire(this.current);
  }

  async start(): Promise<void> {
    if (this.current || this.scope.isDisposed) return;
    const dir = resolveStoreDir();
    if (!dir) return;
    if (!vscode.workspace.isTrusted) {
      log.info('the workspace is not trusted: no tracking server, and nothing is launched');
      this.showStatus(
        '$(shield) Model Factory: restricted',
        'Trust this workspace to start the tracking server.',
      );
      return;
    }
    try {
      await this.openOrShare(dir);
    } catch (error) {
      this.showStatus('$(error) Model Factory', 'The run store could not be opened; see the log.');
      this.setState('failed');
      await reportFailure(
        'Opening the run store',
        error,
        `Check ${dir}, or set modelFactory.store.path.`,
      );
    }
  }

  private async openOrShare(dir: string): Promise<void> {
    const { RunStore, StoreBusyError, TrackingServer, liveOwner } = core();
    try {
      this.store = await RunStore.open(dir, { logger: log });
    } catch (error) {
      if (!(error instanceof StoreBusyError)) throw error;
      const owner = liveOwner(dir);
      if (!owner?.address) throw error;
      log.info(
        `the store in ${dir} is owned by process ${owner.pid}; using its server ${owner.address}`,
      );
      this.publish({ url: owner.address, token: owner.token, shared: true });
      this.setState('shared');
      return;
    }
    const token = randomBytes(24).toString('base64url');
    const version = String(this.context.extension.packageJSON.version);
    this.server = await TrackingServer.start(this.store, { token, logger: log, version });
    this.store.setServerAddress(this.server.url, token);
    this.publish({ url: this.server.url, token, shared: false });
    this.setState('open');
  }

  /** Sets the variables for new terminals and tasks, and shows the address in the status bar. */
  private publish(endpoint: TrackingEndpoint): void {
    this.current = endpoint;
    const environment = this.context.environmentVariableCollection;
    environment.persistent = false;
    environment.description = new vscode.MarkdownString(
      "Model Factory points `mlflow` at this workspace's run store (MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN) and puts its `model_factory` Python module on PYTHONPATH.",
    );
    environment.replace('MLFLOW_TRACKING_URI', endpoint.url);
    if (endpoint.token) environment.replace('MLFLOW_TRACKING_TOKEN', endpoint.token);
    environment.prepend('PYTHONPATH', `${this.pythonModuleDir()}${path.delimiter}`);

    const port = new URL(endpoint.url).port;
    const shared = endpoint.shared ? ' (shared with another window)' : '';
    this.showStatus(
      `$(beaker) MLflow :${port}`,
      `Model Factory tracking server at ${endpoint.url}${shared}. Click for its environment variables and the log.`,
    );
    log.info(`tracking server for new terminals: ${endpoint.url}${shared}`);
  }

  pythonModuleDir(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'media', 'python').fsPath;
  }

  /** The lines a user pastes into a shell outside VS Code to log into this store. */
  environmentLines(): string[] {
    if (!this.current) return [];
    const lines = [`export MLFLOW_TRACKING_URI=${this.current.url}`];
    if (this.current.token) lines.push(`export MLFLOW_TRACKING_TOKEN=${this.current.token}`);
    lines.push(`export PYTHONPATH=${this.pythonModuleDir()}${path.delimiter}$PYTHONPATH`);
    return lines;
  }

  private showStatus(text: string, tooltip: string): void {
    this.statusItem.text = text;
    this.statusItem.tooltip = tooltip;
    this.statusItem.show();
  }

  async stop(): Promise<void> {
    this.context.environmentVariableCollection.clear();
    await this.server?.stop();
    await this.store?.close();
    this.server = undefined;
    this.store = undefined;
    this.current = undefined;
    this.storeState = 'none';
  }

  dispose(): void {
    void this.stop();
    this.scope.dispose();
  }
}
