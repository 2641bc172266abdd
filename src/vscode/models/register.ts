import * as vscode from 'vscode';
import type { ModelVersion, Run } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { log, reportFailure } from '../log';
import { setAlias } from './aliases';
import { copyUri } from './edit';
import { nodeData } from './prompts';

/** The pure helpers, in dist/core.js (see lazy.ts). */
const lazy = () => core().models;

/**
 * Registers a model version from a run: the run (the clicked one, or a recent one picked), the
 * artifact folder that holds the model, and the registered model (an existing one, or a new one
 * created first, as MLflow's register_model does).
 */
export async function registerModelVersion(store: RunStore, arg: unknown): Promise<void> {
  const run = await runTarget(store, arg);
  if (!run) return;
  const folder = await pickArtifactFolder(store, run);
  if (folder === undefined) return;
  const name = await pickModelName(store, lazy().suggestedModelName(store, run));
  if (name === undefined) return;

  const names = lazy()
    .allModels(store)
    .map((model) => model.name);
  if (!names.includes(name)) store.createRegisteredModel(name);
  const version = store.createModelVersion({
    name,
    source: lazy().modelSource(run.info.runId, folder),
    runId: run.info.runId,
  });
  announce(store, version, run);
}

async function runTarget(store: RunStore, arg: unknown): Promise<Run | undefined> {
  const data = nodeData(arg);
  if (data?.kind === 'run') return store.getRun(data.runId);
  return pickRun(store);
}

async function pickRun(store: RunStore): Promise<Run | undefined> {
  const items = lazy().recentRunItems(store);
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No runs yet: train a model with mlflow first.');
    return undefined;
  }
  const options = { title: 'Register a model version from which run?', matchOnDescription: true };
  const pick = await vscode.window.showQuickPick(items, options);
  return pick && store.getRun(pick.runId);
}

async function pickArtifactFolder(store: RunStore, run: Run): Promise<string | undefined> {
  const { folders, reason } = lazy().runArtifactFolders(store, run);
  if (reason) log.warn(`listing the artifacts of run ${run.info.runId}: ${reason}`);
  if (folders.length === 0) return typeArtifactPath(run, 'model');
  const items = [
    ...lazy().folderItems(folders),
    { label: '$(edit) Type a Path...', folder: undefined },
  ];

  const pick = await vscode.window.showQuickPick(items, {
    title: `Register a model from run ${run.info.runName}: which artifact folder?`,
    placeHolder: 'Folders holding an MLmodel file come first',
  });
  if (!pick) return undefined;
  return pick.folder ?? typeArtifactPath(run, folders[0].path);
}

async function typeArtifactPath(run: Run, value: string): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title: `Register a model from run ${run.info.runName}`,
    prompt: "The folder of the run's artifacts that holds the model (empty for the root)",
    value,
    validateInput: (text) =>
      lazy().normalizeArtifactPath(text) === undefined
        ? "The path must stay inside the run's artifacts"
        : undefined,
  });
  return typed === undefined ? undefined : lazy().normalizeArtifactPath(typed);
}

/** An existing model is picked; a new name is typed, and a taken name adds to that model. */
async function pickModelName(store: RunStore, suggestion: string): Promise<string | undefined> {
  const names = lazy()
    .allModels(store)
    .map((model) => model.name);
  if (names.length > 0) {
    const items = [
      { label: 'New Registered Model...', iconPath: new vscode.ThemeIcon('add') },
      ...names.map((name) => ({ label: name, name, iconPath: new vscode.ThemeIcon('package') })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Register as a version of which model?',
      placeHolder: 'Pick a registered model, or create one',
    });
    if (!pick) return undefined;
    if ('name' in pick) return pick.name;
  }
  const taken = new Set(names);
  const typed = await vscode.window.showInputBox({
    title: 'Name of the new registered model',
    value: taken.has(suggestion) ? '' : suggestion,
    validateInput: (text) => newModelNameValidation(text, taken),
  });
  return typed?.trim();
}

function newModelNameValidation(text: string, taken: Set<string>) {
  const problem = lazy().modelNameProblem(text, () => false);
  if (problem) return problem;
  if (!taken.has(text.trim())) return undefined;
  const message = `Adds a version to the existing model '${text.trim()}'`;
  return { message, severity: vscode.InputBoxValidationSeverity.Info };
}

/** Not awaited: the notification can stay open long after the command is done. */
function announce(store: RunStore, version: ModelVersion, run: Run): void {
  const message = `Registered ${version.name} version ${version.version} from run ${run.info.runName}.`;
  void vscode.window
    .showInformationMessage(message, 'Set Alias...', 'Copy Model URI')
    .then(async (choice) => {
      if (choice === 'Set Alias...') await setAlias(store, version);
      if (choice === 'Copy Model URI') await copyUri(version);
    })
    .then(undefined, (error: unknown) =>
      reportFailure('Setting the alias', error, 'Try again from the Models view.'),
    );
}
