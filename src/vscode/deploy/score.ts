import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScoreResult } from '../../core/deploy';
import type { ModelVersion } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { checkDriftCommand } from '../drift/check';
import { chooseInterpreter } from '../launch/interpreter';
import { log, reportFailure } from '../log';
import { openStore, versionTarget } from '../models/prompts';
import type { Services } from '../services';
import { DeploySetting } from './ids';
import { UNTRUSTED_REASON } from './serveTask';

/** What a finished scoring leaves: the scored copy and the run that records it. */
export interface Scored {
  result: ScoreResult;
  runId: string;
}

/**
 * "Score a Data File…" on a model version: writes `<name>.scored.csv` beside the data with the
 * predictions in the column the setting names, logs the scoring as a run linked to the version,
 * and offers to open the copy or check it for drift (concept drift, once targets are added).
 */
export async function scoreDataFile(services: Services, arg: unknown): Promise<Scored | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(`Cannot score with the model: ${UNTRUSTED_REASON}.`);
    return undefined;
  }
  const store = await openStore(services.tracking);
  if (!store) return undefined;
  const version = await versionTarget(store, arg);
  if (!version) return undefined;
  const data = activeDataFile() ?? (await pickDataFile(version));
  if (!data) return undefined;
  const out = core().deploy.scoredPath(data);
  if (existsSync(out) && !(await confirmReplace(out))) return undefined;

  const label = `${version.name} v${version.version}`;
  try {
    const scored = await scoreAndLog(store, version, data, out);
    void offerNext(services, store, version, scored.result).catch((error) =>
      reportFailure('Opening the scored file', error, 'Open it from the Explorer.'),
    );
    return scored;
  } catch (error) {
    await reportScoreFailure(label, data, error);
    return undefined;
  }
}

async function scoreAndLog(
  store: RunStore,
  version: ModelVersion,
  data: string,
  out: string,
): Promise<Scored> {
  const { deploy } = core();
  const modelUri = `models:/${version.name}/${version.version}`;
  const model = deploy.resolveModelUri(store, modelUri);
  const column = predictionColumn(data);
  const python = await chooseInterpreter(vscode.Uri.file(data));
  const startTime = Date.now();

  const result = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Scoring ${path.basename(data)} with ${version.name} v${version.version}`,
    },
    () => deploy.scoreFile({ modelPath: model.path, data, out, column, python }),
  );
  const digest = await deploy.fileDigest(data);
  const runId = deploy.logScoringRun(store, {
    version,
    data,
    result,
    startTime,
    endTime: Date.now(),
    digest,
  });
  log.info(`scored ${result.rows} rows of ${data} with ${modelUri} into ${out}: run ${runId}`);
  return { result, runId };
}

/** The setting, for the data file's folder; an empty value falls back to "prediction". */
export function predictionColumn(data: string): string {
  const configured = vscode.workspace
    .getConfiguration(undefined, vscode.Uri.file(data))
    .get<string>(DeploySetting.predictionColumn);
  return configured?.trim() || 'prediction';
}

/** The active editor's file, when it is a CSV or TSV file on disk. */
function activeDataFile(): string | undefined {
  const document = vscode.window.activeTextEditor?.document;
  if (document?.uri.scheme !== 'file') return undefined;
  return /\.(csv|tsv)$/i.test(document.uri.fsPath) ? document.uri.fsPath : undefined;
}

async function pickDataFile(version: ModelVersion): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Score which data file with ${version.name} v${version.version}?`,
    canSelectMany: false,
    filters: { 'CSV and TSV files': ['csv', 'tsv'] },
  });
  return picked?.[0]?.fsPath;
}

async function confirmReplace(out: string): Promise<boolean> {
  const action = 'Replace';
  const choice = await vscode.window.showWarningMessage(
    `${path.basename(out)} already exists.`,
    { modal: true, detail: 'Scoring again replaces it with the new predictions.' },
    action,
  );
  return choice === action;
}

async function reportScoreFailure(label: string, data: string, error: unknown): Promise<void> {
  if (error instanceof Error && error.name === 'DeployError') {
    // The script's reason: the loaders it tried, a column the model needs, a value it cannot use.
    log.info(`scoring refused: ${error.message}`);
    void vscode.window.showErrorMessage(`Cannot score with ${label}: ${error.message}`);
    return;
  }
  await reportFailure(`Scoring ${path.basename(data)}`, error, 'See the Model Factory log.');
}

/**
 * Open the scored copy, or check it for drift against the version's training data: once the
 * targets are added as a column, that check includes concept drift on the prediction column.
 */
async function offerNext(
  services: Services,
  store: RunStore,
  version: ModelVersion,
  result: ScoreResult,
): Promise<void> {
  const open = 'Open Scored File';
  const check = 'Check Drift';
  const choice = await vscode.window.showInformationMessage(
    `Scored ${result.rows} rows with ${version.name} v${version.version}: wrote ${path.basename(result.out)}, predictions in column "${result.column}".`,
    open,
    check,
  );
  if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(result.out));
  if (choice !== check) return;

  const training = core().deploy.trainingDataOf(store, version.name, version.version);
  const reference = training
    ? ({
        kind: 'model_version',
        name: version.name,
        version: version.version,
        path: training.path,
      } as const)
    : undefined;
  await checkDriftCommand(services, result.out, { reference });
}
