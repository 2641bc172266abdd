import * as vscode from 'vscode';
import type { StoreChange } from '../../core/store/store';
import type { WebviewMessage } from '../../protocol/panels';
import { core } from '../core';
import { ExperimentCommand } from '../experiments/ids';
import type { Services } from '../services';
import { RefreshBatcher } from '../views/batcher';
import * as actions from './actions';
import type { PanelHost } from './host';
import { reportOrIgnore } from './runPanel';
import { storeOf } from './source';
import type { SeriesSource } from './seriesSource';

/**
 * The host side of a compare panel: the runs' params, metrics and tags for the table, and their
 * series for the overlaid charts, each thinned to the chart's width, so 500 runs cost 500 short
 * series rather than 500 whole histories on the wire.
 */
export class ComparePanel {
  private readonly series: SeriesSource;
  private readonly changed = new Set<string>();
  private readonly batcher: RefreshBatcher;
  private storeEvents: vscode.Disposable | undefined;

  constructor(
    private readonly host: PanelHost,
    private readonly services: Services,
    readonly runIds: string[],
  ) {
    this.series = new (core().panels.SeriesSource)(() => storeOf(services));
    this.batcher = host.scope.track(new RefreshBatcher(() => this.flush(), 500));
    host.scope.track(services.tracking.onDidChange(() => this.watchStore()));
    host.scope.track({ dispose: () => this.storeEvents?.dispose() });
    this.watchStore();
    host.attach({ onReady: () => this.sendRuns(), onMessage: (m) => this.onMessage(m) });
  }

  private watchStore(): void {
    this.storeEvents?.dispose();
    this.storeEvents = this.services.tracking.runStore?.onChange((c) => this.onStoreChange(c));
    for (const runId of this.runIds) this.series.forget(runId);
  }

  private onStoreChange(change: StoreChange): void {
    if (!change.runId || !this.runIds.includes(change.runId)) return;
    this.changed.add(change.runId);
    this.batcher.schedule();
  }

  private flush(): void {
    if (!this.host.isReady) return;
    const runs = [...this.changed];
    this.changed.clear();
    this.sendRuns();
    for (const runId of runs) {
      const keys = this.series.refresh(runId);
      if (keys.length > 0) this.host.post({ type: 'metricsChanged', runId, keys });
    }
  }

  private sendRuns(): void {
    const { runs, missing } = core().panels.compareRuns(storeOf(this.services), this.runIds);
    this.host.post({ type: 'compare', runs, missing });
  }

  private async onMessage(message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'series': {
        // Only the panel's own runs: the page names them, but it is not trusted to.
        const runIds = message.runIds.filter((runId) => this.runIds.includes(runId));
        const store = storeOf(this.services);
        const present = runIds.filter((runId) => exists(() => store.getRun(runId)));
        this.host.post({
          type: 'series',
          requestId: message.requestId,
          key: message.key,
          xAxis: message.x,
          series: present.length > 0 ? this.series.points({ ...message, runIds: present }) : [],
        });
        return;
      }
      case 'openRun':
        if (!this.runIds.includes(message.runId)) return;
        await vscode.commands.executeCommand(ExperimentCommand.openRun, {
          kind: 'run',
          runId: message.runId,
        });
        return;
      case 'export':
        return actions.saveExport(message);
      default:
        return reportOrIgnore(this.host, message);
    }
  }
}

function exists(read: () => unknown): boolean {
  try {
    read();
    return true;
  } catch {
    return false;
  }
}
