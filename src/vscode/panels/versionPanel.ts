import { DeployCommand } from '../deploy/ids';
import { DriftCommand } from '../drift/ids';
import * as vscode from 'vscode';
import type { StoreChange } from '../../core/store/store';
import type { WebviewMessage } from '../../protocol/panels';
import { core } from '../core';
import { ExperimentCommand } from '../experiments/ids';
import { LaunchCommand } from '../launch/ids';
import { ModelCommand } from '../models/ids';
import { RefreshBatcher } from '../views/batcher';
import type { PanelHost } from './host';
import { reportOrIgnore } from './runPanel';
import type { RemoteVersionActions, RunSource } from './source';

/**
 * The host side of a model version panel: the version, its source run and training data, and
 * the runs that evaluated it. Its actions are the Models view's own commands, given this
 * version, so they ask and check exactly as they do from the tree.
 */
export class VersionPanel {
  private readonly batcher: RefreshBatcher;
  private storeEvents: vscode.Disposable | undefined;

  constructor(
    private readonly host: PanelHost,
    private readonly source: RunSource,
    readonly name: string,
    readonly version: string,
    private readonly remote?: RemoteVersionActions,
  ) {
    this.batcher = host.scope.track(new RefreshBatcher(() => this.send(), 250));
    host.scope.track(source.onDidChange(() => this.watchStore()));
    host.scope.track({ dispose: () => this.storeEvents?.dispose() });
    this.watchStore();
    host.attach({ onReady: () => this.send(), onMessage: (m) => this.onMessage(m) });
  }

  private watchStore(): void {
    this.storeEvents?.dispose();
    this.storeEvents = this.source.current()?.onChange((c) => this.onStoreChange(c));
  }

  /** The version's own changes, and any run's: an evaluation run logs into another run. */
  private onStoreChange(change: StoreChange): void {
    if (change.kind === 'model' && change.name !== undefined && change.name !== this.name) return;
    if (change.kind === 'experiment') return;
    this.batcher.schedule();
  }

  private send(): void {
    if (!this.host.isReady) return;
    const store = this.source.store();
    const trusted = vscode.workspace.isTrusted;
    let view;
    try {
      view = core().panels.versionView(store, this.name, this.version, trusted);
      if (this.source.server) view = { ...view, server: this.source.server, canEvaluate: false };
    } catch {
      this.host.post({
        type: 'gone',
        message: `Version ${this.version} of ${this.name} is no longer in the registry.`,
      });
      return;
    }
    this.host.post({ type: 'version', version: view });
  }

  private async onMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    if (this.remote) return this.onRemoteMessage(this.remote, message);
    const store = this.source.store();
    const version = store.getModelVersion(this.name, this.version);
    const node = {
      data: {
        kind: 'modelVersion',
        name: this.name,
        version: this.version,
        runId: version.runId,
        aliases: version.aliases,
      },
    };
    switch (message.type) {
      case 'versionAction':
        if (message.action === 'setAlias') {
          await vscode.commands.executeCommand(ModelCommand.setAlias, node);
        } else if (message.action === 'evaluate') {
          await vscode.commands.executeCommand(LaunchCommand.evaluateVersion, node);
        } else if (message.action === 'checkDrift') {
          await vscode.commands.executeCommand(DriftCommand.checkDriftForVersion, node);
        } else if (message.action === 'serve') {
          await vscode.commands.executeCommand(DeployCommand.serve, node);
        } else if (message.action === 'score') {
          await vscode.commands.executeCommand(DeployCommand.scoreFile, node);
        } else if (version.runId) {
          await openRun(version.runId);
        }
        return;
      case 'openRun':
        return openRun(message.runId);
      case 'openDriftCheck':
        await vscode.commands.executeCommand(DriftCommand.openDriftCheck, message.checkId);
        return;
      case 'saveDescription':
        store.updateModelVersion(this.name, this.version, message.description);
        return;
      default:
        return reportOrIgnore(this.host, message);
    }
  }

  /** A version on a server: its registry changes go there; launches need the workspace store. */
  private async onRemoteMessage(
    remote: RemoteVersionActions,
    message: Exclude<WebviewMessage, { type: 'ready' }>,
  ): Promise<void> {
    const runId = this.source.store().getModelVersion(this.name, this.version).runId;
    if (message.type === 'versionAction' && message.action === 'setAlias') {
      await remote.setAlias();
    } else if (message.type === 'versionAction' && message.action === 'openSourceRun' && runId) {
      await this.source.openRun(runId);
    } else if (message.type === 'openRun') {
      await this.source.openRun(message.runId);
    } else if (message.type === 'saveDescription') {
      await remote.saveDescription(message.description);
    } else {
      reportOrIgnore(this.host, message);
    }
  }
}

async function openRun(runId: string): Promise<void> {
  await vscode.commands.executeCommand(ExperimentCommand.openRun, { kind: 'run', runId });
}
