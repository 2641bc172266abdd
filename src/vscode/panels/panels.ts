import * as vscode from 'vscode';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import { log } from '../log';
import type { Services } from '../services';
import { ComparePanel } from './comparePanel';
import { PanelHost, PanelViewType, type PanelKind } from './host';
import { RunPanel, runTitle } from './runPanel';
import { workspaceSource, type RemoteVersionActions, type RunSource } from './source';
import { VersionPanel } from './versionPanel';

/**
 * The open panels: one per run, one per model version, one per set of compared runs, so opening
 * the same thing twice reveals the panel that shows it. Panels come back after a reload through
 * serializers, from the state their page saved (vscode.setState).
 */
export class Panels implements vscode.Disposable {
  private readonly open = new Map<string, PanelHost>();

  constructor(
    private readonly services: Services,
    scope: DisposableScope,
  ) {
    for (const kind of Object.keys(PanelViewType) as PanelKind[]) {
      scope.track(
        vscode.window.registerWebviewPanelSerializer(PanelViewType[kind], {
          deserializeWebviewPanel: async (panel, state) => this.restore(kind, panel, state),
        }),
      );
    }
  }

  /** Opens the run's panel, from this workspace's store unless `source` says otherwise. */
  openRun(runId: string, source?: RunSource): PanelHost {
    const from = source ?? workspaceSource(this.services);
    const title = runTitle('Run', runId, from.server?.name);
    return this.show(runKey(runId, from), 'run', title, (host) => {
      new RunPanel(host, from, runId);
    });
  }

  compare(runIds: string[]): void {
    const ids = [...new Set(runIds)];
    this.show(
      `compare:${[...ids].sort().join(',')}`,
      'compare',
      `Compare ${ids.length} Runs`,
      (h) => {
        new ComparePanel(h, this.services, ids);
      },
    );
  }

  /** Opens a version's panel, from this workspace's store unless `source` says otherwise. */
  openVersion(
    name: string,
    version: string,
    source?: RunSource,
    remote?: RemoteVersionActions,
  ): PanelHost {
    const from = source ?? workspaceSource(this.services);
    const key = `version:${from.server ? `${from.server.url}\n` : ''}${name}\n${version}`;
    const title = `${name} v${version}${from.server ? ` · ${from.server.name}` : ''}`;
    return this.show(key, 'version', title, (host) => {
      new VersionPanel(host, from, name, version, remote);
    });
  }

  dispose(): void {
    for (const host of [...this.open.values()]) host.dispose();
    this.open.clear();
  }

  private show(
    key: string,
    kind: PanelKind,
    title: string,
    attach: (host: PanelHost) => void,
  ): PanelHost {
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PanelViewType[kind], title, {
      viewColumn: vscode.ViewColumn.Active,
      preserveFocus: false,
    });
    return this.adopt(key, kind, panel, attach);
  }

  private adopt(
    key: string,
    kind: PanelKind,
    panel: vscode.WebviewPanel,
    attach: (host: PanelHost) => void,
  ): PanelHost {
    const host = new PanelHost(panel, kind, this.services.context.extensionUri);
    this.open.set(key, host);
    host.scope.track({ dispose: () => this.open.delete(key) });
    attach(host);
    return host;
  }

  /** A panel VS Code reopens after a reload, from the state its page last saved. */
  private restore(kind: PanelKind, panel: vscode.WebviewPanel, raw: unknown): void {
    const state = core().panels.PanelState.safeParse(raw);
    if (!state.success || state.data.kind !== kind) {
      log.warn(`Closing a restored ${kind} panel whose saved state cannot be read`);
      panel.dispose();
      return;
    }
    const { runIds = [], model, server } = state.data;
    if (server) {
      // FIXME: a remote run's or version's panel is closed at a reload instead of coming back,
      // because its copy is fetched again only on the user's request; the user opens it again
      // from the MLflow Servers view.
      log.info(`Not reopening the panel of a ${kind} on ${server} after the reload`);
      panel.dispose();
    } else if (kind === 'run' && runIds[0]) {
      const source = workspaceSource(this.services);
      this.adopt(runKey(runIds[0], source), kind, panel, (h) => new RunPanel(h, source, runIds[0]));
    } else if (kind === 'compare' && runIds.length > 0) {
      this.adopt(`compare:${[...runIds].sort().join(',')}`, kind, panel, (h) => {
        new ComparePanel(h, this.services, runIds);
      });
    } else if (kind === 'version' && model) {
      const source = workspaceSource(this.services);
      this.adopt(`version:${model.name}\n${model.version}`, kind, panel, (h) => {
        new VersionPanel(h, source, model.name, model.version);
      });
    } else {
      panel.dispose();
    }
  }
}

/** One panel per run and source: the same run id on a server and here are two runs. */
function runKey(runId: string, source: RunSource): string {
  return source.server ? `run:${source.server.url}\n${runId}` : `run:${runId}`;
}

let panels: Panels | undefined;

export function registerPanels(services: Services, scope: DisposableScope): Panels {
  panels = scope.track(new Panels(services, scope));
  scope.track({ dispose: () => (panels = undefined) });
  return panels;
}

/** The panels of this window; commands reach them here. */
export function openPanels(): Panels {
  if (!panels) throw new Error('the panels are not registered');
  return panels;
}
