import * as vscode from 'vscode';
import type { ImportSummary } from '../core/tracking/import';
import { core } from './core';
import { log, reportFailure } from './log';
import type { TrackingService } from './tracking';

/**
 * Imports an MLflow mlruns folder or mlflow.db file into the workspace store, with a progress
 * notification that can be cancelled (the runs imported so far stay, whole).
 */
export async function importMlflowRuns(tracking: TrackingService): Promise<void> {
  await tracking.start();
  const store = tracking.runStore;
  if (!store) {
    const why = tracking.endpoint?.shared
      ? "Another VS Code window owns this workspace's run store; import from that window."
      : 'The run store is not open: trust the workspace and open a folder first.';
    await vscode.window.showWarningMessage(why);
    return;
  }
  const source = await pickSource();
  if (!source) return;

  try {
    const summary = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Importing MLflow runs',
        cancellable: true,
      },
      (progress, cancellation) => {
        const abort = new AbortController();
        cancellation.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return core().importMlflow(store, source.fsPath, {
          logger: log,
          signal: abort.signal,
          onProgress: ({ done, total, phase }) => {
            const percent = total === 0 ? 0 : (done / total) * 100;
            progress.report({
              message: `${phase} ${done} of ${total}`,
              increment: percent - reported,
            });
            reported = percent;
          },
        });
      },
    );
    void vscode.window.showInformationMessage(describe(summary, source.fsPath));
  } catch (error) {
    await reportFailure(
      'Importing MLflow runs',
      error,
      'Pick an mlruns folder or an mlflow.db file.',
    );
  }
}

async function pickSource(): Promise<vscode.Uri | undefined> {
  const kind = await vscode.window.showQuickPick(
    [
      { label: '$(folder) An mlruns folder', description: "MLflow's file store", folder: true },
      {
        label: '$(database) An mlflow.db file',
        description: "MLflow's SQLite store",
        folder: false,
      },
    ],
    { title: 'Import MLflow runs from' },
  );
  if (!kind) return undefined;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: kind.folder,
    canSelectFiles: !kind.folder,
    canSelectMany: false,
    openLabel: 'Import',
    filters: kind.folder
      ? undefined
      : { 'MLflow database': ['db', 'sqlite', 'sqlite3'], 'All files': ['*'] },
  });
  return picked?.[0];
}

function describe(summary: ImportSummary, source: string): string {
  const skipped = summary.skippedRuns > 0 ? ` (${summary.skippedRuns} already there)` : '';
  return (
    `Imported ${summary.runs} runs${skipped} in ${summary.experiments} experiments, ` +
    `${summary.models} models and ${summary.versions} versions from ${source}.`
  );
}
