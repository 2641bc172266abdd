import path from 'node:path';
import { EventEmitter, Uri, window } from '../../fakes/vscode';

/**
 * Webview panels for the drift panel's host tests, which test/fakes/vscode.ts does not have.
 * Imported before the host: ViewColumn must be on the fake module when the host is first
 * required, since the module interop copies its members then.
 */
const fakeModule = require('vscode') as Record<string, unknown>;
fakeModule.ViewColumn ??= { Active: -1, Beside: -2 };
const uris = Uri as unknown as Record<string, unknown>;
uris.joinPath ??= (base: { fsPath: string }, ...segments: string[]) =>
  Uri.file(path.join(base.fsPath, ...segments));

export const extensionUri = Uri.file('/ext') as never;

export interface FakePanel {
  viewType: string;
  title: string;
  visible: boolean;
  revealed: number;
  posted: Array<Record<string, unknown>>;
  webview: { options: Record<string, unknown>; html: string };
  receive(message: unknown): void;
  hide(): void;
  dispose(): void;
}

export const created: FakePanel[] = [];
(window as unknown as Record<string, unknown>).createWebviewPanel = (
  viewType: string,
  title: string,
) => {
  const received = new EventEmitter<unknown>();
  const viewState = new EventEmitter<unknown>();
  const disposed = new EventEmitter<void>();
  const panel = {
    viewType,
    title,
    visible: true,
    revealed: 0,
    posted: [] as Array<Record<string, unknown>>,
    iconPath: undefined as unknown,
    webview: {
      options: {},
      html: '',
      cspSource: 'https://webview.test',
      asWebviewUri: (uri: { path: string }) => ({
        toString: () => `https://webview.test${uri.path}`,
      }),
      postMessage: async (message: Record<string, unknown>) => panel.posted.push(message),
      onDidReceiveMessage: received.event,
    },
    onDidChangeViewState: viewState.event,
    onDidDispose: disposed.event,
    reveal: () => (panel.revealed += 1),
    receive: (message: unknown) => received.fire(message),
    hide: () => {
      panel.visible = false;
      viewState.fire({});
    },
    dispose: () => disposed.fire(),
  };
  created.push(panel);
  return panel;
};
