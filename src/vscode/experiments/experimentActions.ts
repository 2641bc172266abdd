import * as vscode from 'vscode';
import type { Services } from '../services';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { experimentArg } from './input';
import { confirm, experimentFrom, requireStore, requireView } from './prompts';

/** Create, rename, delete, restore and activate experiments. */

export async function createExperiment(services: Services): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const name = await vscode.window.showInputBox({
    title: 'New Experiment',
    prompt: 'A name for the experiment; runs are grouped under it.',
    validateInput: (value) => core().experiments.validateExperimentName(store, value),
  });
  if (name === undefined) return;

  store.createExperiment(name.trim());

  const choice = await vscode.window.showInformationMessage(
    `Created the experiment "${name.trim()}".`,
    'Set as Active',
  );
  if (choice) await requireView(services).active.set(name.trim());
}

export async function renameExperiment(services: Services, arg: unknown): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const experiment = await experimentFrom(arg, store, 'ACTIVE_ONLY', 'Rename Experiment');
  if (!experiment) return;
  const name = await vscode.window.showInputBox({
    title: `Rename Experiment "${experiment.name}"`,
    value: experiment.name,
    validateInput: (value) =>
      core().experiments.validateExperimentName(store, value, experiment.name),
  });
  if (name === undefined || name.trim() === experiment.name) return;

  store.renameExperiment(experiment.experimentId, name.trim());

  // Terminals would otherwise keep exporting a name that no longer exists.
  const active = requireView(services).active;
  if (active.name === experiment.name) await active.set(name.trim());
}

export async function deleteExperiment(services: Services, arg: unknown): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const experiment = await experimentFrom(arg, store, 'ACTIVE_ONLY', 'Delete Experiment');
  if (!experiment) return;
  const confirmed = await confirm(
    `Delete the experiment "${experiment.name}" and its runs?`,
    'You can restore it: turn on "Show Deleted" in the Experiments view, then choose Restore.',
    'Delete',
  );
  if (!confirmed) return;

  store.deleteExperiment(experiment.experimentId);

  // mlflow refuses to log into a deleted experiment, so new runs fall back to the default one.
  const active = requireView(services).active;
  if (active.name === experiment.name) await active.set(undefined);
}

export async function restoreExperiment(services: Services, arg: unknown): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const experiment = await experimentFrom(arg, store, 'DELETED_ONLY', 'Restore Experiment');
  if (!experiment) return;

  store.restoreExperiment(experiment.experimentId);

  void vscode.window.showInformationMessage(
    `Restored the experiment "${experiment.name}" and its runs.`,
  );
}

export async function setActiveExperiment(services: Services, arg: unknown): Promise<void> {
  const store = requireStore(services);
  if (!store) return;
  const name = experimentArg(arg)?.name ?? (await pickActive(store));
  if (name === undefined) return;

  await requireView(services).active.set(name ?? undefined);

  void vscode.window.showInformationMessage(
    name
      ? `New terminals and tasks log runs to the experiment "${name}" unless a script picks another.`
      : 'New terminals and tasks no longer choose an experiment.',
  );
}

/** An experiment's name, null for "none", undefined when the user cancelled. */
async function pickActive(store: RunStore): Promise<string | null | undefined> {
  const none = { label: '$(close) None', description: 'scripts choose; else Default' };
  const { items } = store.searchExperiments({ orderBy: ['name ASC'], maxResults: 1000 });
  const picked = await vscode.window.showQuickPick(
    [none, ...items.map((e) => ({ label: e.name, description: `id ${e.experimentId}` }))],
    { title: 'Set the Active Experiment', placeHolder: 'Where new runs from VS Code go' },
  );
  if (!picked) return undefined;
  return picked === none ? null : picked.label;
}
