import * as vscode from 'vscode';
import type { DisposableScope } from './disposable';
import { CommandId } from './ids';
import { log } from './log';
import { openExampleProject } from './example';
import { importMlflowRuns } from './importRuns';

type Handler = (...args: unknown[]) => unknown;

/** Every command in package.json, with its handler; the manifest test checks both directions. */
export function commandHandlers(context: vscode.ExtensionContext): Record<CommandId, Handler> {
  return {
    [CommandId.showLog]: () => log.show(),
    [CommandId.openExample]: () => openExampleProject(context),
    [CommandId.importRuns]: () => importMlflowRuns(),
  };
}

export function registerCommands(context: vscode.ExtensionContext, scope: DisposableScope): void {
  for (const [id, handler] of Object.entries(commandHandlers(context))) {
    scope.track(vscode.commands.registerCommand(id, handler));
  }
}
