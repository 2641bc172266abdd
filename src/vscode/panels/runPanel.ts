import * as vscode from 'vscode';
import type { RunStore, StoreChange } from '../../core/store/store';
import type { WebviewMessage } from '../../protocol/panels';
import { core } from '../core';
import { log } from '../log';
import { RefreshBatcher } from '../views/batcher';
import * as actions from './actions';
import type { PanelHost } from './host';
import type { SeriesSource } from './seriesSource';
import type { RunSource } from './source';

export class RunPanel {
  private readonly series: SeriesSource;
  private readonly batcher: RefreshBatcher;
  private storeEvents: vscode.Disposable | undefined;

  constructor(
    private readonly host: PanelHost,
    private readonly source: RunSource,
    readonly runId: string,
  ) {
    this.series = new (core().panels.SeriesSource)(() => source.store());
    this.batcher = host.scope.track(new RefreshBatcher(() => this.flush(), 250));
    host.scope.track(source.onDidChange(() => this.watchStore()));
    this.watchStore();
    host.attach({ onReady: () => this.sendRun(), onMessage: (m) => this.onMessage(m) });
  }

  private watchStore(): void {
    this.storeEvents?.dispose();
    const store = this.source.current();
    this.storeEvents = store?.onChange((change) => this.onStoreChange(change));
    if (this.storeEvents) this.host.scope.track(this.storeEvents);
    this.series.forget(this.runId);
  }

  private onStoreChange(change: StoreChange): void {
    if (change.runId !== this.runId) return;
    this.batcher.schedule();
  }

  /** At most four times a second: new points for the charts, and the header and tables. */
  private flush(): void {
    if (!this.host.isReady) return;
    const keys = this.series.refresh(this.runId);
    this.sendRun();
    if (keys.length > 0) this.host.post({ type: 'metricsChanged', runId: this.runId, keys });
  }

  private sendRun(): void {
    const store = this.source.store();
    let run;
    try {
      run = core().panels.runView(store, this.runId, workspacePaths());
    } catch {
      this.host.post({ type: 'gone', message: 'This run is no longer in the store.' });
      return;
    }
    this.host.panel.title = runTitle(run.name, run.runId, this.source.server?.name);
    this.host.post({ type: 'run', run: { ...run, server: this.source.server } });
    if (run.deleted) {
      this.host.post({
        type: 'gone',
        message: 'This run was deleted. Restore it from the Experiments view (Show Deleted).',
      });
    }
  }

  private async onMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    const store = this.source.store();
    switch (message.type) {
      case 'series':
        this.host.post({
          type: 'series',
          requestId: message.requestId,
          key: message.key,
          xAxis: message.x,
          series: this.series.points({ ...message, runIds: [this.runId] }),
        });
        return;
      case 'listArtifacts':
        this.host.post(actions.listArtifacts(store, this.runId, message.path));
        return;
      case 'previewArtifact':
        this.host.post(actions.previewArtifact(store, this.runId, message.path));
        return;
      case 'openArtifact':
        return actions.openArtifact(store, this.runId, message.path);
      case 'openSource':
        return this.openSource(store);
      case 'openRun':
        await this.source.openRun(message.runId);
        return;
      case 'export':
        return actions.saveExport(message);
      default:
        return reportOrIgnore(this.host, message);
    }
  }

  private async openSource(store: RunStore): Promise<void> {
    const view = core().panels.runView(store, this.runId, workspacePaths());
    const file = view.source && core().panels.sourceInWorkspace(view.source.name, workspacePaths());
    if (!file) {
      void vscode.window.showInformationMessage(
        'The source of this run is not in this workspace, so it cannot be opened here.',
      );
      return;
    }
    await actions.openSource(file, view.source?.commit);
  }
}

/** Messages every panel handles the same way: reports from the page go to the log. */
export function reportOrIgnore(host: PanelHost, message: WebviewMessage): void {
  if (message.type === 'report') {
    log[message.level](`Panel ${host.kind}: ${message.message}`);
    return;
  }
  log.warn(`Panel ${host.kind}: ignored a ${message.type} message, which it does not handle`);
}

export function workspacePaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
}

export function runTitle(name: string, runId: string, server?: string): string {
  const title = `${name || 'Run'} (${runId.slice(0, 7)})`;
  return server ? `${title} · ${server}` : title;
}
