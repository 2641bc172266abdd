import * as vscode from 'vscode';
import type { HostMessage, PanelState, WebviewMessage as Incoming } from '../../protocol/panels';
import { core } from '../core';
import { DisposableScope } from '../disposable';
import { log } from '../log';
import { makeNonce, panelHtml } from './html';

export type PanelKind = PanelState['kind'];

/** The view type of each panel, as package.json's onWebviewPanel activation events name them. */
export const PanelViewType: Record<PanelKind, string> = {
  run: 'modelFactory.runPanel',
  compare: 'modelFactory.comparePanel',
  version: 'modelFactory.versionPanel',
};

export interface PanelHandlers {
  /** Sends everything the page shows; called on every `ready`, also after the panel was hidden. */
  onReady(): void | Promise<void>;
  onMessage(message: Exclude<Incoming, { type: 'ready' }>): void | Promise<void>;
}

/**
 * One webview panel: its page under the strict content security policy, the ready handshake,
 * and checked messages both ways. Its scope owns everything the panel registers, and ends when
 * the user closes it.
 *
 * retainContextWhenHidden stays off: a hidden panel's page is unloaded, and when it is shown
 * again it announces `ready` anew and gets its data again, while its own view state (axis,
 * smoothing, zoom, sort) comes back from vscode.getState on the page.
 */
export class PanelHost implements vscode.Disposable {
  readonly scope = new DisposableScope();
  private ready = false;
  private handlers: PanelHandlers | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly kind: PanelKind,
    extensionUri: vscode.Uri,
  ) {
    const bundles = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [bundles] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'model-factory.svg');
    panel.webview.html = panelHtml({
      title: panel.title,
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundles, `${kind}.js`)).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundles, `${kind}.css`)).toString(),
      nonce: makeNonce(),
    });

    this.scope.track(panel.webview.onDidReceiveMessage((raw) => this.receive(raw)));
    this.scope.track(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this.scope.track(panel.onDidDispose(() => this.scope.dispose()));
  }

  /** Starts handling messages; a `ready` that came before is answered now. */
  attach(handlers: PanelHandlers): void {
    this.handlers = handlers;
    if (this.ready) void this.run(() => handlers.onReady());
  }

  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Posts a message once the page is ready; before that (or while hidden) it is dropped, since
   * `ready` will ask for the whole state again. Checked against the schema first, so a host bug
   * shows up here, in the log, rather than as a blank panel.
   */
  post(message: HostMessage): void {
    if (!this.ready || this.scope.isDisposed) return;
    const checked = core().panels.HostMessage.safeParse(message);
    if (!checked.success) {
      log.error(`Panel ${this.kind}: not sent, ${describeIssue(checked.error)}`);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel.dispose();
    this.scope.dispose();
  }

  private receive(raw: unknown): void {
    // The schemas (zod) live in the core bundle, which every panel's host has loaded by now.
    const parsed = core().panels.WebviewMessage.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      log.warn(
        `Panel ${this.kind}: ignored a message of kind ${JSON.stringify(type)}: ` +
          describeIssue(parsed.error),
      );
      return;
    }
    const message = parsed.data;
    log.debug(`Panel ${this.kind}: ${message.type}`);
    if (message.type === 'ready') {
      this.ready = true;
      if (this.handlers) void this.run(() => this.handlers!.onReady());
      return;
    }
    if (this.handlers) void this.run(() => this.handlers!.onMessage(message));
  }

  /** Runs a handler; a failure is logged and shown in the panel rather than lost. */
  private async run(action: () => void | Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      log.error(error instanceof Error ? error : new Error(String(error)));
      const reason = error instanceof Error ? error.message : String(error);
      this.post({ type: 'error', message: reason });
    }
  }
}

function describeIssue(error: { issues: Array<{ path: PropertyKey[]; message: string }> }) {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : 'message';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
