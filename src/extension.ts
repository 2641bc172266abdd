import * as vscode from 'vscode';
import { DisposableScope } from './vscode/disposable';
import { log } from './vscode/log';
import { registerCommands } from './vscode/commands';
import { TrackingService } from './vscode/tracking';
import { registerViews } from './vscode/views/register';

let extensionScope: DisposableScope | undefined;
let tracking: TrackingService | undefined;

/**
 * Builds the services and registers them; nothing else. Everything heavy (sql.js, the store, the
 * tracking server, the language client) starts after activation returns, so activation stays in
 * the low milliseconds: the log line below records how long it took.
 */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const scope = new DisposableScope();
  extensionScope = scope;
  context.subscriptions.push(scope);

  scope.track({ dispose: () => log.dispose() });
  tracking = scope.track(new TrackingService(context));
  registerCommands({ context, tracking }, scope);
  registerViews({ context, tracking }, scope);

  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const elapsed = (performance.now() - started).toFixed(1);
  log.info(`Model Factory ${version} activated in ${elapsed} ms (VS Code ${vscode.version})`);
  // After activation returns: opening the store loads sql.js and touches the disk.
  setImmediate(() => void tracking?.start());
}

/** Stops the server and flushes the store before the scope lets go of everything else. */
export async function deactivate(): Promise<void> {
  await tracking?.stop();
  extensionScope?.dispose();
  extensionScope = undefined;
  tracking = undefined;
}
