import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { LaunchCommand } from '../launch/ids';
import type { LaunchRequest } from '../launch/request';
import { onLaunchFinished } from '../launch/task';
import { log, reportFailure } from '../log';
import { ModelCommand } from '../models/ids';
import { openPanels } from '../panels/panels';
import type { Services } from '../services';
import { DriftSetting, RETRAIN_TARGET_KEY } from './ids';
import type { Reference } from './reference';

/** Where a retrain runs: an MLproject entry point and the parameter that takes the data file. */
export interface RetrainTarget {
  mlprojectPath: string;
  entryPoint: string;
  parameter: string;
}

export interface RetrainRequest {
  checkId: string | null;
  currentPath: string;
  reference: Reference;
}

/**
 * "Retrain on this data": launches the training entry point with the checked file as its data
 * parameter, tags the run with the check that caused it, and once the run finishes offers to
 * register it as a new version and to compare it with the version that drifted.
 */
export async function retrainOnData(services: Services, request: RetrainRequest): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "Retraining runs the project's code: trust the workspace first.",
    );
    return;
  }
  try {
    const target = await chooseTarget(services, request.reference);
    if (!target) return;
    const tags: Record<string, string> = {
      [core().drift.DRIFT_CHECK_TAG]: request.checkId ?? 'not stored',
    };
    const launch: LaunchRequest = {
      kind: 'train',
      uri: vscode.Uri.file(target.mlprojectPath).toString(),
      entryPoint: target.entryPoint,
      params: { [target.parameter]: request.currentPath },
      tags,
      workspaceStore:
        'A retrain is linked to its drift check, so its run is recorded in the workspace store',
    };
    followRetrain(services, request);
    log.info(
      `retrain: ${target.entryPoint} of ${target.mlprojectPath} with ${target.parameter}=${request.currentPath}`,
    );
    await vscode.commands.executeCommand(LaunchCommand.launch, launch);
  } catch (error) {
    await reportFailure('Retraining', error, 'See the Model Factory log.');
  }
}

/** Once the retrain's run ends: link it to its check and offer the next steps. */
function followRetrain(services: Services, request: RetrainRequest): void {
  const tag = core().drift.DRIFT_CHECK_TAG;
  const wanted = request.checkId ?? 'not stored';
  const subscription = onLaunchFinished(({ definition, outcome }) => {
    if (definition.tags?.[tag] !== wanted) return;
    subscription.dispose();
    const store = services.tracking.runStore;
    if (store && request.checkId) store.linkDriftCheckRun(request.checkId, outcome.runId);
    if (outcome.status !== 'FINISHED' || !store) return;
    void offerNextSteps(store, outcome.runId, request.reference);
  });
}

async function offerNextSteps(store: RunStore, runId: string, reference: Reference): Promise<void> {
  const run = store.getRun(runId);
  const register = 'Register as New Version';
  // Comparing makes sense against the version that drifted, when the reference was one.
  const drifted = reference.kind === 'model_version' ? reference : undefined;
  const versionRun = drifted && store.getModelVersion(drifted.name, drifted.version).runId;
  const compare = versionRun ? `Compare with ${drifted.name} v${drifted.version}` : undefined;
  const choice = await vscode.window.showInformationMessage(
    `Retrained on the new data: run ${run.info.runName || runId} finished.`,
    ...[register, compare].filter((c): c is string => c !== undefined),
  );
  if (choice === register) {
    const node = {
      data: {
        kind: 'run',
        runId,
        experimentId: run.info.experimentId,
        name: run.info.runName,
        deleted: false,
        status: run.info.status,
      },
    };
    await vscode.commands.executeCommand(ModelCommand.registerModel, node);
  } else if (choice === compare && versionRun) {
    openPanels().compare([versionRun, runId]);
  }
}

async function chooseTarget(
  services: Services,
  reference: Reference,
): Promise<RetrainTarget | undefined> {
  const state = services.context.workspaceState;
  const targets = await retrainTargets();
  if (targets.length === 0) {
    void vscode.window.showWarningMessage(
      'No MLproject in this workspace has a training entry point (a name starting with "train", ' +
        'or main) with a path parameter for the data; add one, such as ' +
        '`train: {parameters: {data: {type: path}}, command: "python train.py --data {data}"}`.',
    );
    return undefined;
  }
  const remembered = state.get<RetrainTarget>(RETRAIN_TARGET_KEY);
  const known = targets.find((t) => sameTarget(t, remembered));
  if (known) return known;
  const trainedIn = trainedInProject(services.tracking.runStore, reference);
  const preferred = targets.find((t) => t.mlprojectPath === trainedIn);
  const target = preferred ?? (targets.length === 1 ? targets[0] : await pickTarget(targets));
  if (target) await state.update(RETRAIN_TARGET_KEY, target);
  return target;
}

function sameTarget(a: RetrainTarget, b: RetrainTarget | undefined): boolean {
  return (
    !!b &&
    a.mlprojectPath === b.mlprojectPath &&
    a.entryPoint === b.entryPoint &&
    a.parameter === b.parameter
  );
}

/** The MLproject a model version's run was launched from, when it was. */
function trainedInProject(store: RunStore | undefined, reference: Reference): string | undefined {
  if (!store || reference.kind !== 'model_version') return undefined;
  const runId = store.getModelVersion(reference.name, reference.version).runId;
  if (!runId) return undefined;
  return store.getRun(runId).data.tags.find((t) => t.key === 'mlflow.source.name')?.value;
}

/** Every training entry point of the workspace's MLproject files that takes a data path. */
export async function retrainTargets(): Promise<RetrainTarget[]> {
  const preferred = vscode.workspace
    .getConfiguration()
    .get<string>(DriftSetting.retrainDataParameter, 'data');
  const files = await vscode.workspace.findFiles(
    '**/{MLproject,MLproject.yaml}',
    '**/{node_modules,.git,.venv,venv}/**',
    200,
  );
  const targets: RetrainTarget[] = [];
  for (const file of files) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    const project = core().drift.parseMlproject(text).project;
    for (const entry of project?.entryPoints ?? []) {
      if (!/^(train|main$)/i.test(entry.name)) continue;
      const parameter =
        entry.parameters.find((p) => p.name === preferred) ??
        entry.parameters.find((p) => p.type === 'path');
      if (parameter)
        targets.push({
          mlprojectPath: file.fsPath,
          entryPoint: entry.name,
          parameter: parameter.name,
        });
    }
  }
  return targets;
}

async function pickTarget(targets: RetrainTarget[]): Promise<RetrainTarget | undefined> {
  const picked = await vscode.window.showQuickPick(
    targets.map((target) => ({
      label: target.entryPoint,
      description: `${vscode.workspace.asRelativePath(target.mlprojectPath)} · data as ${target.parameter}`,
      detail: path.dirname(target.mlprojectPath),
      target,
    })),
    {
      title: 'Retrain with which entry point? (remembered for this workspace)',
      ignoreFocusOut: true,
    },
  );
  return picked?.target;
}
