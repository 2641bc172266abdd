import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { reportFailure } from '../log';
import { versionTarget } from '../models/prompts';
import type { Handler, Services } from '../services';
import { PanelCommand, type PanelCommandId } from './ids';
import { openPanels } from './panels';
import { storeOf } from './source';

/** How many runs "Open Run" offers, newest first, across the store's experiments. */
const PICK_RUNS = 500;

export function panelCommands(services: Services): Record<PanelCommandId, Handler> {
  return {
    [PanelCommand.openRun]: () => guard('Opening the run', () => pickAndOpenRun(services)),
    [PanelCommand.openVersion]: (arg) =>
      guard('Opening the model version', async () => {
        const version = await versionTarget(storeOf(services), arg);
        if (version) openPanels().openVersion(version.name, version.version);
      }),
  };
}

async function guard(action: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    await reportFailure(action, error, 'Refresh the Model Factory views and try again.');
  }
}

async function pickAndOpenRun(services: Services): Promise<void> {
  const store = storeOf(services);
  const runs = recentRuns(store);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      'There are no runs in this store yet: start one with a ▶ Train lens, or import MLflow runs.',
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({
      label: run.info.runName || run.info.runId,
      description: `${run.info.status.toLowerCase()} · ${run.info.runId.slice(0, 7)}`,
      detail: run.data.metrics
        .slice(0, 4)
        .map((m) => `${m.key} ${Number.isFinite(m.value) ? m.value.toPrecision(4) : m.value}`)
        .join(' · '),
      runId: run.info.runId,
    })),
    { title: 'Open Run', placeHolder: 'Type to filter by name', matchOnDescription: true },
  );
  if (picked) openPanels().openRun(picked.runId);
}

export function recentRuns(store: RunStore, filter?: string, maxResults = PICK_RUNS) {
  const { items: experiments } = store.searchExperiments({ maxResults: 1000 });
  if (experiments.length === 0) return [];
  return store.searchRuns({
    experimentIds: experiments.map((e) => e.experimentId),
    ...(filter ? { filter } : {}),
    orderBy: ['attributes.start_time DESC'],
    maxResults,
  }).items;
}
