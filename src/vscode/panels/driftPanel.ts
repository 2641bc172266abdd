import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type {
  DriftActions,
  DriftHostMessage,
  DriftMeta,
  DriftPanelState,
  DriftReportJson,
  DriftSide,
  DriftWebviewMessage,
} from '../../protocol/drift';
import { core } from '../core';
import { DisposableScope } from '../disposable';
import { log } from '../log';
import { makeNonce, panelHtml } from './html';
import { DriftPanelViewType } from './ids';

/**
 * The drift panel's host: one panel per stored check (or, for a check that was not stored, per
 * current file), showing a report as `reportJson` writes it. Like the other panels it loads its
 * page under the strict content security policy with a nonce, waits for `ready` before sending
 * anything, and checks every message both ways with the schemas in src/protocol/drift.ts, which
 * it reaches through the core bundle so that zod stays out of the extension's entry bundle.
 *
 * What the buttons do (write the HTML report, retrain, open a file) belongs to the command that
 * opened the panel: it passes them in as handlers, and the panel only runs them, one at a time
 * each, telling the page while one is running and showing its failure.
 */
export interface DriftPanelHandlers {
  /** Writes the report as a standalone HTML page, asking where. */
  exportHtml(): Promise<void>;
  /** Starts retraining on the current file; called only when meta.canRetrain is true. */
  retrain(): Promise<void>;
  openFile(side: DriftSide): Promise<void>;
}

export interface DriftPanelHandle {
  /** `check:<id>`, or `file:<current path>` for a check that was not stored. */
  readonly key: string;
  readonly panel: vscode.WebviewPanel;
  readonly isDisposed: boolean;
  /** Shows another report in place (the check ran again); the page keeps its selection. */
  update(report: object, meta: DriftMeta, handlers?: DriftPanelHandlers): void;
  reveal(): void;
  onDidDispose(listener: () => void): vscode.Disposable;
  dispose(): void;
}

type DriftAction = (typeof DriftActions)[number];
type Shown = { report: DriftReportJson; meta: DriftMeta };

const open = new Map<string, DriftPanel>();

/**
 * Opens the panel for this report, or reveals and updates the one already showing its check.
 * Throws when the report or meta does not fit the protocol, naming the field, so the command's
 * failure report says what is wrong instead of the user seeing a blank panel.
 */
export function showDriftPanel(
  extensionUri: vscode.Uri,
  report: object,
  meta: DriftMeta,
  handlers: DriftPanelHandlers,
  logger: Logger = log,
): DriftPanelHandle {
  const shown = checkShown(report, meta);
  const key = driftPanelKey(shown);
  const existing = open.get(key);
  if (existing) {
    existing.show(shown, handlers);
    existing.reveal();
    return existing;
  }

  const panel = vscode.window.createWebviewPanel(DriftPanelViewType, meta.title, {
    viewColumn: vscode.ViewColumn.Active,
    preserveFocus: false,
  });
  return new DriftPanel(panel, extensionUri, key, shown, handlers, logger);
}

/**
 * Adopts a panel VS Code restored after a reload (a serializer's deserializeWebviewPanel), once
 * the caller has found its report again from the saved state (see savedDriftPanel).
 */
export function reviveDriftPanel(
  panel: vscode.WebviewPanel,
  extensionUri: vscode.Uri,
  report: object,
  meta: DriftMeta,
  handlers: DriftPanelHandlers,
  logger: Logger = log,
): DriftPanelHandle {
  const shown = checkShown(report, meta);
  const key = driftPanelKey(shown);
  open.get(key)?.dispose();
  return new DriftPanel(panel, extensionUri, key, shown, handlers, logger);
}

/** The state a drift panel's page saved, if it is one: its check id and current file. */
export function savedDriftPanel(state: unknown): DriftPanelState | undefined {
  const parsed = core().panels.DriftPanelState.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

/** The open drift panel for a check or current file, if any. */
export function findDriftPanel(key: string): DriftPanelHandle | undefined {
  return open.get(key);
}

/** Closes every drift panel: for the extension's scope, at deactivation. */
export function disposeDriftPanels(): void {
  for (const panel of [...open.values()]) panel.dispose();
}

export function driftPanelKey(shown: { report: { current: { path: string } }; meta: DriftMeta }) {
  return shown.meta.checkId !== null
    ? `check:${shown.meta.checkId}`
    : `file:${shown.report.current.path}`;
}

function checkShown(report: object, meta: DriftMeta): Shown {
  const parsed = core().panels.DriftHostMessage.safeParse({ type: 'report', report, meta });
  if (!parsed.success)
    throw new Error(`the drift report cannot be shown: ${describe(parsed.error)}`);
  const message = parsed.data as Extract<DriftHostMessage, { type: 'report' }>;
  return { report: message.report, meta: message.meta };
}

class DriftPanel implements DriftPanelHandle {
  private readonly scope = new DisposableScope();
  private readonly running = new Set<DriftAction>();
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly key: string,
    private shown: Shown,
    private handlers: DriftPanelHandlers,
    private readonly logger: Logger,
  ) {
    const bundles = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [bundles] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'model-factory.svg');
    panel.title = shown.meta.title;
    panel.webview.html = panelHtml({
      title: shown.meta.title,
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundles, 'drift.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(bundles, 'drift.css')).toString(),
      nonce: makeNonce(),
    });

    open.set(key, this);
    this.scope.track({ dispose: () => open.get(key) === this && open.delete(key) });
    this.scope.track(panel.webview.onDidReceiveMessage((raw) => this.receive(raw)));
    // A hidden page is unloaded (retainContextWhenHidden stays off) and says `ready` again.
    this.scope.track(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this.scope.track(panel.onDidDispose(() => this.scope.dispose()));
    logger.debug(`Drift panel: opened ${key}`);
  }

  get isDisposed(): boolean {
    return this.scope.isDisposed;
  }

  update(report: object, meta: DriftMeta, handlers?: DriftPanelHandlers): void {
    this.show(checkShown(report, meta), handlers);
  }

  show(shown: Shown, handlers?: DriftPanelHandlers): void {
    this.shown = shown;
    if (handlers) this.handlers = handlers;
    this.panel.title = shown.meta.title;
    this.sendReport();
  }

  reveal(): void {
    if (!this.isDisposed) this.panel.reveal();
  }

  onDidDispose(listener: () => void): vscode.Disposable {
    return this.panel.onDidDispose(listener);
  }

  dispose(): void {
    this.panel.dispose();
    this.scope.dispose();
  }

  private sendReport(): void {
    this.post({ type: 'report', report: this.shown.report, meta: this.shown.meta });
  }

  /** Posts once the page listens; before that `ready` asks for everything again. */
  private post(message: DriftHostMessage): void {
    if (!this.ready || this.isDisposed) return;
    const checked = core().panels.DriftHostMessage.safeParse(message);
    if (!checked.success) {
      this.logger.error(`Drift panel: not sent, ${describe(checked.error)}`);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    const parsed = core().panels.DriftWebviewMessage.safeParse(raw);
    if (!parsed.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      this.logger.warn(
        `Drift panel: ignored a message of kind ${JSON.stringify(type)}: ${describe(parsed.error)}`,
      );
      return;
    }

    const message: DriftWebviewMessage = parsed.data;
    this.logger.debug(`Drift panel: ${message.type}`);
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendReport();
        return;
      case 'exportHtml':
        return void this.run('exportHtml', () => this.handlers.exportHtml());
      case 'retrain':
        // The page hides the button, but it is not trusted to: the meta decides.
        if (!this.shown.meta.canRetrain) {
          this.logger.warn('Drift panel: ignored retrain, which this check does not offer');
          return;
        }
        return void this.run('retrain', () => this.handlers.retrain());
      case 'openFile':
        return void this.run('openFile', () => this.handlers.openFile(message.side));
      case 'report':
        this.logger[message.level](`Drift panel: ${message.message}`);
        return;
      default: {
        const unknown: never = message;
        this.logger.warn(`Drift panel: no handler for ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Runs one action at a time of each kind (a second click while an export dialog is open does
   * nothing); a failure is logged with its stack and shown in the panel rather than lost.
   */
  private async run(action: DriftAction, work: () => Promise<void>): Promise<void> {
    if (this.running.has(action)) {
      this.logger.debug(`Drift panel: ${action} is already running`);
      return;
    }
    this.running.add(action);
    this.post({ type: 'busy', action, busy: true });

    try {
      await work();
    } catch (error) {
      this.logger.error(error instanceof Error ? error : new Error(String(error)));
      this.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running.delete(action);
      this.post({ type: 'busy', action, busy: false });
    }
  }
}

function describe(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : 'message';
  return `${where}: ${issue?.message ?? 'invalid'}`;
}
