import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import type { Services } from '../services';
import { selectedRuns, type RunData } from './input';
import { confirm, requireStore, requireView } from './prompts';
import { recentRuns } from '../panels/commands';
import { openPanels } from '../panels/panels';

/** Open, rename, tag, delete, restore, copy and compare runs. */

const describeRuns = (runs: RunData[]) =>
  runs.length === 1 ? `the run "${runs[0].name || runs[0].runId}"` : `${runs.length} runs`;

export async function openRun(services: Services, arg: unknown): Promise<void> {
  const [data] = selectedRuns(arg);
  if (!data || !requireStore(services)) return;
  openPanels().openRun(data.runId);
}

export async function renameRun(services: Services, arg: unknown): Promise<void> {
  const [data] = selectedRuns(arg);
  const store = data && requireStore(services);
  if (!store) return;
  const name = await vscode.window.showInputBox({
    title: `Rename Run "${data.name}"`,
    value: data.name,
    validateInput: (value) => core().experiments.checkName(value, 'run'),
  });
  if (name === undefined || name.trim() === data.name) return;

  store.updateRun(data.runId, { runName: name.trim() });
}

export async function tagRuns(services: Services, arg: unknown, selected: unknown): Promise<void> {
  const runs = selectedRuns(arg, selected).filter((run) => !run.deleted);
  const store = runs.length > 0 && requireStore(services);
  if (!store) return;
  const input = await vscode.window.showInputBox({
    title: `Tag ${describeRuns(runs)}`,
    prompt: 'key=value; an existing tag with that key is replaced.',
    placeHolder: 'stage=baseline',
    validateInput: (value) => {
      const tag = core().experiments.parseTag(value);
      return typeof tag === 'string' ? tag : undefined;
    },
  });
  const tag = input === undefined ? undefined : core().experiments.parseTag(input);
  if (!tag || typeof tag === 'string') return;

  for (const run of runs) store.setTag(run.runId, tag);
}

export async function deleteRuns(services: Services, arg: unknown, selected: unknown) {
  const runs = selectedRuns(arg, selected).filter((run) => !run.deleted);
  const store = runs.length > 0 && requireStore(services);
  if (!store) return;
  const confirmed = await confirm(
    `Delete ${describeRuns(runs)}?`,
    'Deleted runs can be restored: turn on "Show Deleted" in the Experiments view, then choose Restore.',
    'Delete',
  );
  if (!confirmed) return;

  for (const run of runs) store.deleteRun(run.runId);
}

export function restoreRuns(services: Services, arg: unknown, selected: unknown): void {
  const runs = selectedRuns(arg, selected).filter((run) => run.deleted);
  const store = runs.length > 0 && requireStore(services);
  if (!store) return;

  for (const run of runs) store.restoreRun(run.runId);
}

export async function copyRunIds(arg: unknown, selected: unknown): Promise<void> {
  const runs = selectedRuns(arg, selected);
  if (runs.length === 0) return;

  await vscode.env.clipboard.writeText(runs.map((run) => run.runId).join('\n'));

  vscode.window.setStatusBarMessage(`Copied the id of ${describeRuns(runs)}`, 3000);
}

/** `runs:/<run_id>/<folder>` for one of the run's top-level artifact folders, MLmodel first. */
export async function copyModelUri(services: Services, arg: unknown): Promise<void> {
  const [data] = selectedRuns(arg);
  const store = data && requireStore(services);
  if (!store) return;
  const folders = artifactFolders(store, data.runId);
  if (folders.length === 0) {
    const advice = 'log one with mlflow.<flavor>.log_model(...) or mlflow.log_artifacts(...)';
    void vscode.window.showWarningMessage(`This run has no artifact folders: ${advice}.`);
    return;
  }
  const picked =
    folders.length === 1
      ? folders[0]
      : await vscode.window.showQuickPick(folders, {
          title: 'Copy the Model URI of which folder?',
        });
  if (!picked) return;

  const uri = `runs:/${data.runId}/${picked.label}`;
  await vscode.env.clipboard.writeText(uri);
  vscode.window.setStatusBarMessage(`Copied ${uri}`, 3000);
}

function artifactFolders(store: RunStore, runId: string) {
  const { listRunArtifacts } = core();
  const { artifactUri } = store.getRun(runId).info;
  const folders = listRunArtifacts(store.artifactsDir, artifactUri).files.filter((f) => f.is_dir);
  const isModel = (folder: string) =>
    listRunArtifacts(store.artifactsDir, artifactUri, folder).files.some((file) =>
      file.path.endsWith('/MLmodel'),
    );
  return folders
    .map((folder) => ({
      label: folder.path,
      description: isModel(folder.path) ? 'MLflow model' : undefined,
    }))
    .sort((a, b) => Number(Boolean(b.description)) - Number(Boolean(a.description)));
}

/**
 * The compare panel for the selected runs; with fewer than two selected, for the runs that match
 * a filter the user types (MLflow's syntax, with OR), newest first.
 */
export async function compareRuns(services: Services, arg: unknown, selected: unknown) {
  const view = requireView(services);
  // From the command palette there is no argument: the view's selection is what to compare.
  const runs =
    arg === undefined
      ? selectedRuns(view.selection[0], view.selection)
      : selectedRuns(arg, selected);
  const store = requireStore(services);
  if (!store) return;
  if (runs.length >= 2) {
    openPanels().compare(runs.map((run) => run.runId));
    return;
  }

  const filter = await vscode.window.showInputBox({
    title: 'Compare the runs that match a filter',
    prompt: 'Or select two or more runs in the Experiments view (Ctrl or Cmd + click).',
    placeHolder: "metrics.rmse < 0.5 and params.model = 'xgb'",
    validateInput: (value) => core().experiments.validateFilter(store, value),
  });
  if (filter === undefined) return;
  const matched = recentRuns(store, filter.trim() || undefined, COMPARE_LIMIT);
  if (matched.length < 2) {
    void vscode.window.showInformationMessage(
      `${matched.length === 0 ? 'No run matches' : 'Only one run matches'} that filter: ` +
        'compare needs two or more.',
    );
    return;
  }
  openPanels().compare(matched.map((run) => run.info.runId));
}

/** The compare panel stays usable at this many runs (bench/panels measures 500). */
const COMPARE_LIMIT = 1000;
