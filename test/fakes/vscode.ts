/**
 * A small stand-in for the `vscode` module, for unit tests of the VS Code layer that run under
 * node's test runner. It implements only what those tests touch; anything else is undefined and
 * fails loudly. Real behaviour is tested in a real VS Code by the e2e suite.
 */
import { readFileSync } from 'node:fs';

type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(value: T) {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose() {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: unknown;
  contextValue?: string;
  iconPath?: unknown;
  resourceUri?: unknown;
  command?: unknown;
  constructor(
    public label: string,
    public collapsibleState?: TreeItemCollapsibleState,
  ) {}
}

export class ThemeIcon {
  constructor(
    public id: string,
    public color?: ThemeColor,
  ) {}
}

export class ThemeColor {
  constructor(public id: string) {}
}

export class MarkdownString {
  supportHtml = false;
  isTrusted = false;
  constructor(public value = '') {}
}

export const Uri = {
  // toString is not enumerable, so tests can compare a Uri with a plain object.
  file: (path: string) =>
    Object.defineProperty({ scheme: 'file', fsPath: path, path }, 'toString', {
      value: () => `file://${path}`,
    }),
};

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}

export const registered = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand(id: string, handler: (...args: unknown[]) => unknown) {
    registered.set(id, handler);
    return { dispose: () => registered.delete(id) };
  },
  executeCommand: async () => undefined,
};

export const window = {
  createOutputChannel: () => ({
    trace() {},
    debug() {},
    info() {},
    warn() {},
    error() {},
    show() {},
    dispose() {},
  }),
  showErrorMessage: async () => undefined,
  showInformationMessage: async () => undefined,
  showWarningMessage: async () => undefined,
};

export const workspace = {
  workspaceFolders: undefined as unknown,
  isTrusted: true,
  getConfiguration: () => ({ get: (_key: string, fallback?: unknown) => fallback }),
  onDidGrantWorkspaceTrust: () => ({ dispose() {} }),
};

export const env = { clipboard: { writeText: async () => undefined } };
export const version = 'fake';

// For the experiments view's tests: its tree view, status bar item and workspace events. Members
// are only filled in when absent, so other views' tests can bring their own.
function provide(target: object, members: Record<string, unknown>) {
  const record = target as Record<string, unknown>;
  for (const [name, member] of Object.entries(members)) record[name] ??= member;
}
const disposable = () => ({ dispose() {} });

export const createdTreeViews: Array<{ id: string; description?: string; selection: unknown[] }> =
  [];
provide(window, {
  createTreeView: (id: string) => {
    const view = { id, description: undefined, message: undefined, selection: [], ...disposable() };
    createdTreeViews.push(view);
    return view;
  },
  createStatusBarItem: () => ({ text: '', show() {}, hide() {}, ...disposable() }),
  setStatusBarMessage: disposable,
});
provide(workspace, {
  onDidChangeConfiguration: disposable,
  onDidCloseTextDocument: disposable,
  registerTextDocumentContentProvider: disposable,
});

// For the models and datasets views' tests: input box severities, a file search that returns
// what a test puts in `fileSearch.files`, and file watchers a test can fire.
export enum InputBoxValidationSeverity {
  Info = 1,
  Warning = 2,
  Error = 3,
}
export const fileSearch = { files: [] as string[], searches: 0 };
export interface FakeWatcher {
  pattern: string;
  disposed: boolean;
  fire(kind: 'create' | 'delete', path: string): void;
}
export const createdWatchers: FakeWatcher[] = [];
provide(workspace, {
  findFiles: async () => {
    fileSearch.searches += 1;
    return fileSearch.files.map((file) => Uri.file(file));
  },
  createFileSystemWatcher: (pattern: string) => {
    const listeners = { create: new EventEmitter<unknown>(), delete: new EventEmitter<unknown>() };
    const watcher = {
      pattern,
      disposed: false,
      fire: (kind: 'create' | 'delete', path: string) => listeners[kind].fire(Uri.file(path)),
      onDidCreate: listeners.create.event,
      onDidDelete: listeners.delete.event,
      dispose: () => (watcher.disposed = true),
    };
    createdWatchers.push(watcher);
    return watcher;
  },
  onDidChangeWorkspaceFolders: disposable,
});

// For the drift feature's tests: quick pick separators, workspace-relative paths and file reads.
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
provide(window, { showQuickPick: async () => undefined });
provide(workspace, {
  asRelativePath: (pathOrUri: string | { fsPath: string }) =>
    typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.fsPath,
  fs: { readFile: async (uri: { fsPath: string }) => new Uint8Array(readFileSync(uri.fsPath)) },
});

// For the deploy feature's tests: tasks with a custom execution (executeTask does nothing until a
// test replaces it), progress, untitled and shown documents, open dialogs and input boxes, and no
// Python extension.
export enum TaskScope {
  Global = 1,
  Workspace = 2,
}
export enum TaskRevealKind {
  Always = 1,
  Silent = 2,
  Never = 3,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export class CustomExecution {
  constructor(public callback: (definition: unknown) => Promise<unknown>) {}
}
export class Task {
  isBackground = false;
  presentationOptions: unknown = {};
  constructor(
    public definition: { type: string },
    public scope: unknown,
    public name: string,
    public source: string,
    public execution: CustomExecution,
  ) {}
}
export const tasks = {
  executeTask: async (_task: Task) => undefined as unknown,
  registerTaskProvider: disposable,
};
export const extensions = { getExtension: () => undefined };
export const shownDocuments: unknown[] = [];
provide(window, {
  withProgress: (_options: unknown, task: (progress: unknown, token: unknown) => unknown) =>
    task({ report() {} }, { onCancellationRequested: disposable }),
  showTextDocument: async (document: unknown) => {
    shownDocuments.push(document);
    return undefined;
  },
  showOpenDialog: async () => undefined,
  showInputBox: async () => undefined,
  activeTextEditor: undefined,
});
provide(workspace, {
  openTextDocument: async (content: { language?: string; content?: string }) => ({
    ...content,
    getText: () => content.content ?? '',
  }),
});

// For the MLflow servers feature's tests: where settings are written.
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
provide(Uri, {
  from: (parts: { scheme: string; path: string; query?: string }) =>
    Object.defineProperty({ ...parts }, 'toString', {
      value: () => `${parts.scheme}:${parts.path}${parts.query ? `?${parts.query}` : ''}`,
    }),
});

// For the panels' tests: where a panel opens.
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
}
provide(Uri, {
  joinPath: (base: { fsPath: string }, ...parts: string[]) =>
    Uri.file([base.fsPath, ...parts].join('/')),
});
