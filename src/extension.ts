import * as vscode from 'vscode';
import { DisposableScope } from './vscode/disposable';
import { log } from './vscode/log';
import { registerCommands } from './vscode/commands';

let extensionScope: DisposableScope | undefined;

/**
 * Builds the services and registers them; nothing else. Everything heavy (sql.js, the tracking
 * server, the language client) is created on first use, so activation stays in the low
 * milliseconds: the log line below records how long it took.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const scope = new DisposableScope();
  extensionScope = scope;
  context.subscriptions.push(scope);

  scope.track({ dispose: () => log.dispose() });
  registerCommands(context, scope);

  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const elapsed = (performance.now() - started).toFixed(1);
  log.info(`Model Factory ${version} activated in ${elapsed} ms (VS Code ${vscode.version})`);
}

export async function deactivate(): Promise<void> {
  extensionScope?.dispose();
  extensionScope = undefined;
}
