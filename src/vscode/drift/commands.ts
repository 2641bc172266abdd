import * as vscode from 'vscode';
import { core } from '../core';
import { openStore, versionTarget } from '../models/prompts';
import type { Handler, Services } from '../services';
import { checkDriftCommand, openStoredCheck, targetFile } from './check';
import { DriftCommand, type DriftCommandId } from './ids';
import { retrainOnData } from './retrain';
import { rememberedReference } from './reference';

/** Handlers of the drift commands. */
export function driftCommands(services: Services): Record<DriftCommandId, Handler> {
  return {
    [DriftCommand.checkDrift]: (arg) => checkDriftCommand(services, arg, {}),
    [DriftCommand.checkDriftWithOptions]: (arg) =>
      checkDriftCommand(services, arg, { askOptions: true }),
    [DriftCommand.chooseReference]: (arg) =>
      checkDriftCommand(services, arg, { askReference: true }),
    [DriftCommand.checkDriftForVersion]: (arg) => checkVersion(services, arg),
    [DriftCommand.openDriftCheck]: (arg) => openStoredCheck(services, arg),
    [DriftCommand.retrain]: (arg) => retrainFromPalette(services, arg),
  };
}

/**
 * "Check Drift…" on a model version: its training data is the reference; the data file to check
 * is the active editor's, or one the user picks.
 */
async function checkVersion(services: Services, arg: unknown): Promise<void> {
  const store = await openStore(services.tracking);
  if (!store) return;
  const version = await versionTarget(store, arg);
  if (!version) return;
  const data = core().drift.trainingDataOf(store, version.name, version.version);
  if (!data) {
    void vscode.window.showWarningMessage(
      `${version.name} version ${version.version} has no training dataset recorded on its run: ` +
        'log it with mlflow.log_input (or model_factory.log_input) when training.',
    );
    return;
  }
  const current = targetFile(undefined) ?? (await pickDataFile());
  if (!current) return;
  const reference = {
    kind: 'model_version',
    name: version.name,
    version: version.version,
    path: data.path,
  } as const;
  await checkDriftCommand(services, current, { reference });
}

async function pickDataFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Check which data file against the training data?',
    canSelectMany: false,
    filters: { 'Data files': ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet', 'txt'] },
  });
  return picked?.[0]?.fsPath;
}

/** From the palette or an editor: retrain on the active data file with its remembered reference. */
async function retrainFromPalette(services: Services, arg: unknown): Promise<void> {
  const currentPath = targetFile(arg);
  if (!currentPath) {
    void vscode.window.showWarningMessage(
      'Retrain on This Data needs a data file: open one first.',
    );
    return;
  }
  const store = services.tracking.runStore;
  const latest = store?.listDriftChecks({ currentPath, maxResults: 1 })[0];
  const reference = rememberedReference(services.context.workspaceState, currentPath) ?? {
    kind: 'file' as const,
    path: latest?.reference.path ?? currentPath,
  };
  await retrainOnData(services, { checkId: latest?.checkId ?? null, currentPath, reference });
}
