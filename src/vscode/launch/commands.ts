import * as vscode from 'vscode';
import { log, reportFailure } from '../log';
import type { Handler, Services } from '../services';
import { LaunchCommand, type LaunchCommandId } from './ids';
import type { LaunchRequest } from './request';
import { definitionOf, LaunchRefused, prepareLaunch } from './resolve';
import { launchTask, readyStore } from './task';

/** Handlers of the launcher's commands. */
export function launchCommands(services: Services): Record<LaunchCommandId, Handler> {
  return {
    [LaunchCommand.launch]: (arg) => launch(services, arg),
  };
}

/**
 * Runs what a code lens asks for. The questions are asked here, before the task starts, so the
 * terminal opens only once there is something to run.
 */
async function launch(services: Services, arg: unknown): Promise<void> {
  if (!isLaunchRequest(arg)) {
    void vscode.window.showWarningMessage(
      'Launch Tracked Run needs a file to run: use the ▶ lenses in an MLproject or a Python file.',
    );
    return;
  }
  try {
    const { store } = await readyStore(services);
    const definition = definitionOf(arg);
    const uri = vscode.Uri.parse(arg.uri, true);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const prepared = await prepareLaunch(definition, folder?.uri.fsPath, store, arg.ask ?? false);
    if (!prepared) return;

    // The task records the values that were asked, so "Rerun Last Task" runs the same launch.
    const task = launchTask(
      services,
      { ...definition, params: { ...prepared.plan.params, ...definition.params } },
      folder ?? vscode.TaskScope.Workspace,
      prepared,
    );
    await vscode.tasks.executeTask(task);
  } catch (error) {
    await reportLaunchError(error);
  }
}

async function reportLaunchError(error: unknown): Promise<void> {
  const name = error instanceof Error ? error.name : '';
  if (error instanceof LaunchRefused || name === 'LaunchError' || name === 'CommandError') {
    log.info(`launch refused: ${(error as Error).message}`);
    void vscode.window.showWarningMessage(`Cannot launch: ${(error as Error).message}.`);
    return;
  }
  await reportFailure('Launching the run', error, 'See the Model Factory log.');
}

function isLaunchRequest(arg: unknown): arg is LaunchRequest {
  if (typeof arg !== 'object' || arg === null) return false;
  const request = arg as Partial<LaunchRequest>;
  return (
    (request.kind === 'train' || request.kind === 'evaluate') && typeof request.uri === 'string'
  );
}
