/**
 * A small stand-in for the `vscode` module, for unit tests of the VS Code layer that run under
 * node's test runner. It implements only what those tests touch; anything else is undefined and
 * fails loudly. Real behaviour is tested in a real VS Code by the e2e suite.
 */
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
  file: (path: string) => ({ scheme: 'file', fsPath: path, path }),
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
