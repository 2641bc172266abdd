import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { Services } from '../services';
import { resolveStoreDir } from '../storePath';
import { core } from '../core';
import { nodeData } from './input';
import type { RunQuery, RunSort } from './model';
import { experimentFrom, requireStore, requireView } from './prompts';

/** What the view's title bar offers: filter, sort, deleted runs, paging, export, the store. */

export async function filterRuns(services: Services): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const view = requireView(services);
  const filter = await vscode.window.showInputBox({
    title: 'Filter Runs',
    prompt: "MLflow's run filter syntax, with AND, OR and parentheses; empty shows every run.",
    placeHolder: "metrics.rmse < 0.5 and params.model = 'xgb' or status = 'FAILED'",
    value: view.query.filter,
    validateInput: (value) => core().experiments.validateFilter(store, value),
  });
  if (filter === undefined) return;

  view.setQuery({ ...view.query, filter: filter.trim() });
}

export async function sortRuns(services: Services): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const view = requireView(services);
  // order_by quotes a metric name in backticks, so a name holding one cannot be sorted by.
  const byMetric = core()
    .experiments.metricKeys(store)
    .filter((metric) => !metric.includes('`'))
    .flatMap((metric) => [
      sortItem(`${metric}, lowest first`, { metric, ascending: true }),
      sortItem(`${metric}, highest first`, { metric, ascending: false }),
    ]);
  const picked = await vscode.window.showQuickPick(
    [
      sortItem('Newest first', undefined),
      sortItem('Oldest first', { ascending: true }),
      { label: 'Metrics', kind: vscode.QuickPickItemKind.Separator },
      ...byMetric,
    ],
    { title: 'Sort Runs', placeHolder: 'Start time, or the latest value of a metric' },
  );
  if (!picked || !('value' in picked)) return;

  view.setQuery({ ...view.query, sort: picked.value });
}

function sortItem(label: string, value: RunSort | undefined) {
  const icon = value?.ascending ? '$(arrow-up)' : '$(arrow-down)';
  return { label: `${icon} ${label}`, value };
}

export function refreshView(services: Services): void {
  requireView(services).refresh();
}

export function clearFilter(services: Services): void {
  const view = requireView(services);
  view.setQuery({ ...view.query, filter: '', sort: undefined });
}

export function showDeleted(services: Services, show: boolean): void {
  const view = requireView(services);
  view.setQuery({ ...view.query, showDeleted: show });
}

export function showMore(services: Services, arg: unknown): void {
  const data = nodeData(arg);
  if (data?.kind !== 'more') return;
  const view = requireView(services);
  view.model.showMore(data);
  view.refresh();
}

/** Every run of an experiment that passes the view's filter, in the view's order, as CSV. */
export async function exportRuns(services: Services, arg: unknown): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const view = requireView(services);
  const experiment = await experimentFrom(arg, store, 'ACTIVE_ONLY', 'Export Runs as CSV');
  if (!experiment) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${experiment.name.replace(/[^\w.-]+/g, '-')}-runs.csv`;
  const target = await vscode.window.showSaveDialog({
    title: `Export the runs of "${experiment.name}"`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: { CSV: ['csv'] },
  });
  if (!target) return;

  const runs = allRuns(store, experiment.experimentId, view.query);
  const csv = core().experiments.runsCsv(runs);
  await vscode.workspace.fs.writeFile(target, Buffer.from(csv, 'utf8'));

  const choice = await vscode.window.showInformationMessage(
    `Exported ${runs.length} runs to ${path.basename(target.fsPath)}.`,
    'Open',
  );
  if (choice) await vscode.window.showTextDocument(target);
}

function allRuns(store: RunStore, experimentId: string, query: RunQuery): Run[] {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.searchRuns({
      experimentIds: [experimentId],
      filter: query.filter,
      orderBy: core().experiments.orderBy(query.sort),
      viewType: query.showDeleted ? 'ALL' : 'ACTIVE_ONLY',
      maxResults: 1000,
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return runs;
}

/**
 * Shows the store folder: in the Explorer when it is inside the workspace (which also works in a
 * browser or remote window), else in the operating system's file manager.
 */
export async function revealStore(services: Services): Promise<void> {
  const dir = services.tracking.runStore?.dir ?? resolveStoreDir();
  if (!dir) {
    void vscode.window.showWarningMessage('Open a folder first: the run store lives in it.');
    return;
  }
  const uri = vscode.Uri.file(dir);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showInformationMessage(`No run store yet: it is created in ${dir}.`);
    return;
  }
  const inside = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  await vscode.commands.executeCommand(inside ? 'revealInExplorer' : 'revealFileInOS', uri);
}
