import * as vscode from 'vscode';
import type { EvaluationTarget } from '../../core/projects/launchEvaluate';
import { core } from '../core';
import { log, reportFailure } from '../log';
import { versionTarget } from '../models/prompts';
import type { Handler, Services } from '../services';
import { LaunchCommand, type LaunchCommandId } from './ids';
import type { LaunchRequest } from './request';
import { definitionOf, LaunchRefused, prepareLaunch } from './resolve';
import { launchTarget } from './target';
import { launchTask, readyStore } from './task';

/** Handlers of the launcher's commands. */
export function launchCommands(services: Services): Record<LaunchCommandId, Handler> {
  return {
    [LaunchCommand.launch]: (arg) => launch(services, arg),
    [LaunchCommand.evaluateVersion]: (arg) => evaluateVersion(services, arg),
  };
}

/**
 * "Evaluate…" on a model version: runs an eval… entry point of an MLproject in the workspace
 * with that version as MODEL_URI/MODEL_PATH. The project that trained the version comes first;
 * with several candidates the user picks one.
 */
async function evaluateVersion(services: Services, arg: unknown): Promise<void> {
  try {
    const { store } = await readyStore(services);
    const version = await versionTarget(store, arg);
    if (!version) return;

    const files = await vscode.workspace.findFiles(
      '**/{MLproject,MLproject.yaml}',
      '**/{node_modules,.git,.venv,venv}/**',
      200,
    );
    const projects = await Promise.all(
      files.map(async (file) => ({
        path: file.fsPath,
        text: new TextDecoder().decode(await vscode.workspace.fs.readFile(file)),
      })),
    );
    const trainedIn = version.runId
      ? tagValue(store.getRun(version.runId).data.tags, 'mlflow.source.name')
      : undefined;
    const targets = core().launch.evaluationTargets(projects, trainedIn);
    if (targets.length === 0) {
      throw new LaunchRefused(
        'no MLproject in this workspace has an evaluate entry point (a name starting with "eval"); ' +
          'add one, or open your evaluation script and use its ▶ Evaluate lens',
      );
    }
    const target =
      targets.length === 1 || targets[0].mlprojectPath === trainedIn
        ? targets[0]
        : await pickTarget(targets);
    if (!target) return;

    await launch(services, {
      kind: 'evaluate',
      uri: vscode.Uri.file(target.mlprojectPath).toString(),
      entryPoint: target.entryPoint,
      model: `models:/${version.name}/${version.version}`,
    });
  } catch (error) {
    await reportLaunchError(error);
  }
}

async function pickTarget(targets: EvaluationTarget[]): Promise<EvaluationTarget | undefined> {
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({
      label: target.entryPoint,
      description: vscode.workspace.asRelativePath(target.mlprojectPath),
      target,
    })),
    { title: 'Evaluate with which entry point?', ignoreFocusOut: true },
  );
  return picked?.target;
}

function tagValue(tags: { key: string; value: string }[], key: string): string | undefined {
  return tags.find((tag) => tag.key === key)?.value;
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
    const target = await launchTarget(services, arg.kind, arg.workspaceStore);
    const store = target.kind === 'store' ? (await readyStore(services)).store : undefined;
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
      { launch: prepared, target },
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
    const action = error instanceof LaunchRefused ? error.action : undefined;
    const message = `Cannot launch: ${(error as Error).message}.`;
    // Not awaited: the command ends now, whenever the user gets to the notification.
    void vscode.window
      .showWarningMessage(message, ...(action ? [action.title] : []))
      .then((choice) => {
        if (action && choice === action.title) {
          void vscode.commands.executeCommand(action.command);
        }
      });
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
