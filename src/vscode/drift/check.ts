import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DriftCheckClient } from './worker';
import type { DriftOptions, DriftReport } from '../../core/drift/types';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { log, reportFailure } from '../log';
import { showDriftPanel } from '../panels/driftPanel';
import type { Services } from '../services';
import type { ViewNode } from '../views/node';
import { editOptions, rememberedOptions, rememberOptions } from './options';
import {
  describeReference,
  rememberReference,
  resolveReference,
  type Reference,
} from './reference';
import { retrainOnData } from './retrain';
import { driftWorker } from './worker';

export interface CheckRequest {
  /** Ask for the reference even when one is remembered for this file. */
  askReference?: boolean;
  askOptions?: boolean;
  /** A reference decided by the caller (a model version's training data). */
  reference?: Reference;
}

/** The data file a command is about: a clicked file, a Datasets item, or the active editor. */
export function targetFile(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind === 'dataset' && data.path) return data.path;
  if (typeof arg === 'string' && arg.startsWith('file:')) return vscode.Uri.parse(arg).fsPath;
  if (typeof arg === 'string' && path.isAbsolute(arg)) return arg;
  const document = vscode.window.activeTextEditor?.document;
  return document?.uri.scheme === 'file' ? document.uri.fsPath : undefined;
}

/**
 * "Check drift": choose (or recall) the reference and the options, run the check in the drift
 * worker under a cancellable progress notification, keep the result in the store, and show it.
 */
export async function checkDriftCommand(services: Services, arg: unknown, request: CheckRequest) {
  const currentPath = targetFile(arg);
  if (!currentPath) {
    void vscode.window.showWarningMessage(
      'Check Drift needs a data file: open a CSV, TSV, JSON Lines or Parquet file, or use the ' +
        'Datasets view.',
    );
    return;
  }
  try {
    await services.tracking.start();
    const store = services.tracking.runStore;
    const state = services.context.workspaceState;
    const reference =
      request.reference ??
      (await resolveReference(state, store, currentPath, !!request.askReference));
    if (!reference) return;
    let options = rememberedOptions(state, currentPath);
    if (request.askOptions) options = (await editOptions(options)) ?? options;

    const report = await runCheck(driftWorker(services), reference, currentPath, options);
    if (!report) return;
    await rememberReference(state, currentPath, reference);
    await rememberOptions(state, currentPath, options);
    const checkId = store ? await saveCheck(store, reference, currentPath, options, report) : null;
    if (!store) log.info('drift check not kept: this window does not own the run store');
    showReport(services, report, { checkId, reference, stale: null });
  } catch (error) {
    await reportCheckFailure(error);
  }
}

async function reportCheckFailure(error: unknown): Promise<void> {
  const code = (error as { code?: string }).code;
  if (code === 'cancelled') return;
  if (code === 'input') {
    // The file is not a table, or a column the options name is missing: the user's to fix.
    log.info(`drift check refused: ${(error as Error).message}`);
    void vscode.window.showErrorMessage(`Cannot check drift: ${(error as Error).message}`);
    return;
  }
  await reportFailure('The drift check', error, 'See the Model Factory log.');
}

async function runCheck(
  worker: DriftCheckClient,
  reference: Reference,
  currentPath: string,
  options: DriftOptions,
): Promise<DriftReport | undefined> {
  const started = performance.now();
  const report = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Checking ${path.basename(currentPath)} for drift`,
      cancellable: true,
    },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let reported = 0;
      return worker.check(
        { reference: reference.path, current: currentPath, options },
        {
          signal: controller.signal,
          onProgress: (p) => {
            const percent = Math.round((p.fraction ?? 0) * 100);
            const increment = p.stage === 'reading' ? Math.max(0, percent / 2 - reported) : 0;
            reported += increment;
            progress.report({ message: stageMessage(p.stage, p.message), increment });
          },
        },
      );
    },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  log.info(
    `drift check of ${currentPath} against ${reference.path}: ${core().drift.verdictLine(report)} (${seconds} s)`,
  );
  return report;
}

function stageMessage(stage: string, detail: string | undefined): string {
  if (stage === 'reading') return `reading the ${detail ?? 'files'}`;
  if (stage === 'testing') return detail ? `testing ${detail}` : 'testing';
  if (stage === 'multivariate') return 'multivariate test';
  if (stage === 'concept') return 'concept drift';
  return '';
}

async function saveCheck(
  store: RunStore,
  reference: Reference,
  currentPath: string,
  options: DriftOptions,
  report: DriftReport,
): Promise<string> {
  const drift = core().drift;
  // FIXME: the files are read a second time here for their digests (streamed in 1 MiB chunks,
  // on the extension host's event loop); the drift worker could hash them while it reads them,
  // which would save a pass over a large file before the panel opens.
  const [referenceDigest, currentDigest] = await Promise.all([
    drift.fileDigest(reference.path),
    drift.fileDigest(currentPath),
  ]);
  const saved = store.saveDriftCheck({
    reference: {
      path: reference.path,
      digest: referenceDigest,
      kind: reference.kind,
      ...(reference.kind === 'model_version'
        ? { modelName: reference.name, modelVersion: reference.version }
        : {}),
    },
    current: { path: currentPath, digest: currentDigest },
    options,
    report: report as unknown as Record<string, unknown>,
    summary: {
      drift: report.dataset.drift,
      drifted: report.dataset.drifted,
      total: report.dataset.total,
      share: report.dataset.share,
    },
    columns: report.columns.map((c) => ({
      column: c.column,
      kind: c.kind,
      test: c.test,
      statistic: c.statistic,
      pValue: c.pValue,
      threshold: c.threshold,
      drift: c.drift,
    })),
  });
  return saved.checkId;
}

interface Shown {
  checkId: string | null;
  reference: Reference;
  stale: string | null;
}

/** Opens (or updates) the drift panel for a report, with what its buttons do. */
export function showReport(services: Services, report: DriftReport, shown: Shown): void {
  const currentPath = report.current.path;
  showDriftPanel(
    services.context.extensionUri,
    core().drift.reportJson(report),
    {
      checkId: shown.checkId,
      title: `Drift: ${path.basename(currentPath)}`,
      referenceLabel: describeReference(shown.reference),
      currentLabel: vscode.workspace.asRelativePath(currentPath),
      stale: shown.stale,
      canRetrain: vscode.workspace.isTrusted,
    },
    {
      exportHtml: () => exportHtml(report),
      retrain: () =>
        retrainOnData(services, {
          checkId: shown.checkId,
          currentPath,
          reference: shown.reference,
        }),
      openFile: async (side) => {
        const file = side === 'reference' ? report.reference.path : currentPath;
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
      },
    },
  );
}

async function exportHtml(report: DriftReport): Promise<void> {
  const current = report.current.path;
  const target = await vscode.window.showSaveDialog({
    title: 'Save the drift report',
    defaultUri: vscode.Uri.file(
      path.join(path.dirname(current), `${path.parse(current).name}-drift.html`),
    ),
    filters: { 'HTML page': ['html'] },
  });
  if (!target) return;
  await writeFile(target.fsPath, core().drift.reportHtml(report));
  log.info(`drift report written to ${target.fsPath}`);
  const choice = await vscode.window.showInformationMessage(
    `Saved the drift report as ${path.basename(target.fsPath)}.`,
    'Open in Browser',
  );
  if (choice) await vscode.env.openExternal(target);
}

/** A stored check, shown again without recomputing; says so when the file changed since. */
export async function openStoredCheck(services: Services, arg: unknown): Promise<void> {
  try {
    await services.tracking.start();
    const store = services.tracking.runStore;
    const checkId = typeof arg === 'string' ? arg : undefined;
    if (!store || !checkId) return;
    const check = store.getDriftCheck(checkId);
    const report = check.report as unknown as DriftReport;
    const reference: Reference =
      check.reference.kind === 'model_version'
        ? {
            kind: 'model_version',
            name: check.reference.modelName ?? '',
            version: check.reference.modelVersion ?? '',
            path: check.reference.path,
          }
        : { kind: 'file', path: check.reference.path };
    const stale = await staleness(check.current.path, check.current.digest);
    showReport(services, report, { checkId, reference, stale });
  } catch (error) {
    await reportFailure('Opening the drift check', error, 'See the Model Factory log.');
  }
}

async function staleness(file: string, digest: string): Promise<string | null> {
  try {
    const now = await core().drift.fileDigest(file);
    return now === digest ? null : 'The current file has changed since this check: check it again.';
  } catch {
    return 'The current file no longer exists.';
  }
}
