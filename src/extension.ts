import * as vscode from 'vscode';
import { DisposableScope } from './vscode/disposable';
import { log } from './vscode/log';
import { registerCommands } from './vscode/commands';
import { LanguageService } from './vscode/language/service';
import { registerLaunchTasks, stopLaunches } from './vscode/launch/task';
import { stopServing } from './vscode/deploy/serveTask';
import { registerPanels } from './vscode/panels/panels';
import { disposeDriftPanels } from './vscode/panels/driftPanel';
import { registerDriftWorker } from './vscode/drift/worker';
import { registerDriftLenses } from './vscode/drift/lens';
import { TrackingService } from './vscode/tracking';
import { registerViews } from './vscode/views/register';

let extensionScope: DisposableScope | undefined;
let tracking: TrackingService | undefined;
let language: LanguageService | undefined;

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
  registerPanels({ context, tracking }, scope);
  scope.track({ dispose: disposeDriftPanels });
  registerDriftWorker(scope);
  registerDriftLenses(tracking, scope);
  registerLaunchTasks({ context, tracking }, scope);
  language = scope.track(new LanguageService(context, tracking));

  const version = String(context.extension.packageJSON.version ?? 'unknown');
  const elapsed = (performance.now() - started).toFixed(1);
  log.info(`Model Factory ${version} activated in ${elapsed} ms (VS Code ${vscode.version})`);
  // After activation returns: opening the store loads sql.js and touches the disk.
  setImmediate(() => {
    void tracking?.start();
    // The language client starts once an MLproject or Python file is open, here or later.
    language?.startIfNeeded();
  });
}

/**
 * Stops the language client first (its lenses read the store), then the launches in progress (so
 * their runs end KILLED with their output while the store is still open) and the served models
 * (so that none outlives the window), then the tracking server and the store, before the scope
 * lets go of everything else.
 */
export async function deactivate(): Promise<void> {
  await language?.stop();
  await Promise.all([stopLaunches(), stopServing()]);
  await tracking?.stop();
  extensionScope?.dispose();
  extensionScope = undefined;
  tracking = undefined;
  language = undefined;
}
