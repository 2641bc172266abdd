import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { DEFAULT_INCLUDE } from '../datasets/defaults';
import { REFERENCES_KEY } from './ids';

/** What a drift check compares against: another file, or a model version's training data. */
export type Reference =
  | { kind: 'file'; path: string }
  | { kind: 'model_version'; name: string; version: string; path: string };

type Memory = Record<string, Reference>;

export function rememberedReference(
  state: vscode.Memento,
  currentPath: string,
): Reference | undefined {
  return state.get<Memory>(REFERENCES_KEY, {})[currentPath];
}

export async function rememberReference(
  state: vscode.Memento,
  currentPath: string,
  reference: Reference,
): Promise<void> {
  const memory = { ...state.get<Memory>(REFERENCES_KEY, {}), [currentPath]: reference };
  await state.update(REFERENCES_KEY, memory);
}

export function describeReference(reference: Reference): string {
  return reference.kind === 'model_version'
    ? `${reference.name} version ${reference.version} (its training data)`
    : vscode.workspace.asRelativePath(reference.path);
}

/**
 * The reference for a data file: the one remembered for it, unless asked to choose again or the
 * remembered file is gone (then the user is told which, and chooses another).
 */
export async function resolveReference(
  state: vscode.Memento,
  store: RunStore | undefined,
  currentPath: string,
  ask: boolean,
): Promise<Reference | undefined> {
  const remembered = rememberedReference(state, currentPath);
  if (remembered && !ask) {
    if (existsSync(remembered.path)) return remembered;
    void vscode.window.showWarningMessage(
      `The reference ${remembered.path} no longer exists; choose another for ` +
        `${path.basename(currentPath)}.`,
    );
  }
  return pickReference(state, store, currentPath);
}

interface ReferenceItem extends vscode.QuickPickItem {
  choose: () => Promise<Reference | undefined>;
}

async function pickReference(
  state: vscode.Memento,
  store: RunStore | undefined,
  currentPath: string,
): Promise<Reference | undefined> {
  const items: (ReferenceItem | vscode.QuickPickItem)[] = [];
  const last = lastChecked(state, currentPath);
  if (last) {
    items.push({ label: 'Last reference', kind: vscode.QuickPickItemKind.Separator });
    items.push(fileItem(last.path, 'the reference of your last check', async () => last));
  }
  if (store && core().models.allModels(store).length > 0) {
    items.push({ label: 'Models', kind: vscode.QuickPickItemKind.Separator });
    items.push({
      label: '$(versions) Training data of a model version…',
      detail: 'the dataset recorded as the input of the run that made the version',
      choose: () => pickVersionData(store),
    } satisfies ReferenceItem);
  }
  items.push({ label: 'Data files', kind: vscode.QuickPickItemKind.Separator });
  for (const file of await workspaceDataFiles(currentPath)) {
    items.push(fileItem(file, undefined, async () => ({ kind: 'file', path: file })));
  }
  items.push({ label: '$(folder-opened) Browse…', choose: () => browse() } satisfies ReferenceItem);

  const picked = await vscode.window.showQuickPick(items, {
    title: `Check ${path.basename(currentPath)} for drift against which reference?`,
    placeHolder: 'The data the model was trained on, or an earlier batch',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return picked && 'choose' in picked ? (picked as ReferenceItem).choose() : undefined;
}

function fileItem(
  file: string,
  detail: string | undefined,
  choose: () => Promise<Reference | undefined>,
): ReferenceItem {
  return {
    label: `$(file) ${path.basename(file)}`,
    description: vscode.workspace.asRelativePath(path.dirname(file)),
    detail,
    choose,
  };
}

/** The most recent reference remembered for any other file. */
function lastChecked(state: vscode.Memento, currentPath: string): Reference | undefined {
  const memory = state.get<Memory>(REFERENCES_KEY, {});
  const others = Object.entries(memory).filter(([file]) => file !== currentPath);
  const last = others.at(-1)?.[1];
  return last && existsSync(last.path) ? last : undefined;
}

async function workspaceDataFiles(currentPath: string): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(
    DEFAULT_INCLUDE,
    '**/{.modelfactory,node_modules,.git,.venv,venv}/**',
    200,
  );
  return uris
    .map((uri) => uri.fsPath)
    .filter((file) => file !== currentPath)
    .sort();
}

async function pickVersionData(store: RunStore): Promise<Reference | undefined> {
  const items = core()
    .models.allModels(store)
    .flatMap((model) =>
      core()
        .models.versionsOf(store, model.name)
        .map((version) => {
          const data = core().drift.trainingDataOf(store, version.name, version.version);
          return { version, data };
        }),
    )
    .map(({ version, data }) => ({
      label: `${version.name} version ${version.version}`,
      description: version.aliases.map((alias) => `@${alias}`).join(' '),
      detail: data
        ? vscode.workspace.asRelativePath(data.path)
        : 'no training dataset recorded on its run',
      reference: data
        ? ({
            kind: 'model_version',
            name: version.name,
            version: version.version,
            path: data.path,
          } as const)
        : undefined,
    }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Which model version? Its training data is the reference',
    ignoreFocusOut: true,
  });
  if (picked && !picked.reference) {
    void vscode.window.showWarningMessage(
      `${picked.label} has no training dataset recorded on its run: log it with ` +
        'mlflow.log_input (model_factory.log_input) when training, or choose a file.',
    );
  }
  return picked?.reference;
}

async function browse(): Promise<Reference | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Reference data file',
    canSelectMany: false,
    filters: { 'Data files': ['csv', 'tsv', 'jsonl', 'ndjson', 'parquet', 'txt'] },
  });
  return picked?.[0] ? { kind: 'file', path: picked[0].fsPath } : undefined;
}
