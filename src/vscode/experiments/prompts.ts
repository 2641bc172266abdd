import * as vscode from 'vscode';
import type { ViewType } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { Services } from '../services';
import { experimentArg, type ExperimentData } from './input';
import { experimentsView, type ExperimentsView } from './view';

/** The dialogs the experiments commands share. */

/** The store, or undefined after telling the user why there is none in this window. */
export function requireStore(services: Services): RunStore | undefined {
  const { runStore, state } = services.tracking;
  if (runStore) return runStore;
  const why =
    state === 'shared'
      ? 'This run store is open in another VS Code window: change its runs from that window.'
      : state === 'failed'
        ? 'The run store could not be opened: see "Model Factory: Show Log".'
        : 'No run store is open: open a folder and trust it, then try again.';
  void vscode.window.showWarningMessage(why);
  return undefined;
}

export function requireView(services: Services): ExperimentsView {
  const view = experimentsView(services);
  if (!view) throw new Error('the Experiments view is not registered');
  return view;
}

/** A modal question with one action; true when the user chose it. */
export async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return choice === action;
}

/** The experiment a command was invoked on, or one the user picks from the palette. */
export async function experimentFrom(
  arg: unknown,
  store: RunStore,
  viewType: ViewType,
  title: string,
): Promise<ExperimentData | undefined> {
  const given = experimentArg(arg);
  if (given) return given;

  const { items } = store.searchExperiments({ viewType, orderBy: ['name ASC'], maxResults: 1000 });
  if (items.length === 0) {
    const what = viewType === 'DELETED_ONLY' ? 'deleted experiments' : 'experiments';
    void vscode.window.showInformationMessage(`There are no ${what} in this store.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    items.map((e) => ({ label: e.name, description: `id ${e.experimentId}`, experiment: e })),
    { title, placeHolder: 'Pick an experiment' },
  );
  if (!picked) return undefined;
  const { experimentId, name, lifecycleStage } = picked.experiment;
  return { kind: 'experiment', experimentId, name, deleted: lifecycleStage === 'deleted' };
}
