import * as vscode from 'vscode';
import type { DisposableScope } from './disposable';
import { CoreCommand, type CommandId } from './ids';
import { datasetCommands } from './datasets/commands';
import { deployCommands } from './deploy/commands';
import { registerServeTasks } from './deploy/serveTask';
import { driftCommands } from './drift/commands';
import { remoteCommands } from './remote/commands';
import { experimentCommands } from './experiments/commands';
import { launchCommands } from './launch/commands';
import { panelCommands } from './panels/commands';
import { modelCommands } from './models/commands';
import { log } from './log';
import { openExampleProject } from './example';
import { importMlflowRuns } from './importRuns';
import type { TrackingService } from './tracking';

import type { Handler, Services } from './services';

export type { Services };

/** Every command in package.json, with its handler; the manifest test checks both directions. */
export function commandHandlers(services: Services): Record<CommandId, Handler> {
  return {
    [CoreCommand.showLog]: () => log.show(),
    [CoreCommand.openExample]: () => openExampleProject(services.context),
    [CoreCommand.importRuns]: () => importMlflowRuns(services.tracking),
    [CoreCommand.showServerInfo]: () => showServerInfo(services.tracking),
    ...experimentCommands(services),
    ...modelCommands(services),
    ...datasetCommands(services),
    ...launchCommands(services),
    ...panelCommands(services),
    ...driftCommands(services),
    ...remoteCommands(services),
    ...deployCommands(services),
  };
}

export function registerCommands(services: Services, scope: DisposableScope): void {
  for (const [id, handler] of Object.entries(commandHandlers(services))) {
    scope.track(vscode.commands.registerCommand(id, handler));
  }
  // The serve task's provider, and the stop of every served model with the window.
  registerServeTasks(services, scope);
}

async function showServerInfo(tracking: TrackingService): Promise<void> {
  const endpoint = tracking.endpoint;
  if (!endpoint) {
    log.show();
    return;
  }
  const choice = await vscode.window.showQuickPick(
    [
      {
        label: '$(copy) Copy Environment Variables',
        detail: 'For a shell outside VS Code',
        id: 'copy',
      },
      { label: '$(output) Show Log', id: 'log' },
    ],
    { title: `Model Factory tracking server at ${endpoint.url}` },
  );
  if (choice?.id === 'copy') {
    await vscode.env.clipboard.writeText(tracking.environmentLines().join('\n'));
    void vscode.window.showInformationMessage(
      'Copied MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN and PYTHONPATH.',
    );
  }
  if (choice?.id === 'log') log.show();
}
