import * as vscode from 'vscode';
import type { ModelVersion, RegisteredModel, Tag } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { confirm, type RegistryEntity } from './prompts';
import { core } from '../core';

/** The pure helpers, in dist/core.js (see lazy.ts). */
const lazy = () => core().models;

/** Sets a tag on a model or a version: the key, then the value (the current one offered). */
export async function setTag(store: RunStore, entity: RegistryEntity): Promise<void> {
  const what = describe(entity);
  const key = await vscode.window.showInputBox({
    title: `Tag ${what}`,
    prompt: 'The tag key',
    placeHolder: 'stage',
    validateInput: (text) => (text === '' ? undefined : lazy().tagKeyProblem(text)),
  });
  if (!key?.trim()) return;
  const value = await vscode.window.showInputBox({
    title: `Tag ${what}: ${key.trim()}`,
    prompt: 'The tag value (may be empty)',
    value: tagsOf(entity).find((t) => t.key === key.trim())?.value ?? '',
    validateInput: (text) => lazy().tagValueProblem(text),
  });
  if (value === undefined) return;

  const tag = { key: key.trim(), value };
  if (entity.kind === 'model') store.setRegisteredModelTag(entity.model.name, tag);
  else store.setModelVersionTag(entity.version.name, entity.version.version, tag);
}

/** Deletes the tags the user ticks; the ticking is the confirmation. */
export async function deleteTag(store: RunStore, entity: RegistryEntity): Promise<void> {
  const tags = tagsOf(entity);
  if (tags.length === 0) {
    void vscode.window.showInformationMessage(`${capitalize(describe(entity))} has no tags.`);
    return;
  }
  const items = tags.map((tag) => ({ label: tag.key, description: tag.value }));
  const title = `Delete which tags of ${describe(entity)}?`;
  const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true });
  if (!picks) return;

  for (const { label: key } of picks) {
    if (entity.kind === 'model') store.deleteRegisteredModelTag(entity.model.name, key);
    else store.deleteModelVersionTag(entity.version.name, entity.version.version, key);
  }
}

export async function editDescription(store: RunStore, entity: RegistryEntity): Promise<void> {
  const current = entity.kind === 'model' ? entity.model.description : entity.version.description;
  const lines = current.split(/\r?\n/).length;
  const typed = await vscode.window.showInputBox({
    title: `Describe ${describe(entity)}`,
    // The input box holds one line; say so rather than silently joining a longer description.
    prompt: lines > 1 ? `This replaces a description of ${lines} lines` : 'Empty clears it',
    value: current.replace(/\r?\n/g, ' '),
  });
  if (typed === undefined) return;

  if (entity.kind === 'model') store.updateRegisteredModel(entity.model.name, typed.trim());
  else store.updateModelVersion(entity.version.name, entity.version.version, typed.trim());
}

export async function renameModel(store: RunStore, model: RegisteredModel): Promise<void> {
  const taken = new Set(
    lazy()
      .allModels(store)
      .map((m) => m.name),
  );
  const typed = await vscode.window.showInputBox({
    title: `Rename ${model.name}`,
    value: model.name,
    validateInput: (text) => lazy().modelNameProblem(text, (name) => taken.has(name), model.name),
  });
  const name = typed?.trim();
  if (!name || name === model.name) return;

  store.renameRegisteredModel(model.name, name);
}

export async function deleteVersion(store: RunStore, version: ModelVersion): Promise<void> {
  const aliases = version.aliases.map((alias) => `@${alias}`).join(' ');
  const confirmed = await confirm(
    `Delete ${version.name} version ${version.version}?`,
    (aliases ? `Its aliases ${aliases} go with it. ` : '') +
      'This cannot be undone. The run and its artifacts stay.',
    'Delete Version',
  );
  if (!confirmed) return;

  store.deleteModelVersion(version.name, version.version);
}

export async function deleteModel(store: RunStore, model: RegisteredModel): Promise<void> {
  const count = lazy().versionsOf(store, model.name).length;
  const confirmed = await confirm(
    `Delete the registered model ${model.name} and its ${count} ${count === 1 ? 'version' : 'versions'}?`,
    'This cannot be undone. The runs and their artifacts stay.',
    'Delete Model',
  );
  if (!confirmed) return;

  store.deleteRegisteredModel(model.name);
}

export async function copyUri(version: ModelVersion): Promise<void> {
  const uri = lazy().modelUri(version.name, version.version);
  await vscode.env.clipboard.writeText(uri);
  vscode.window.setStatusBarMessage(`$(copy) Copied ${uri}`, 4000);
}

function tagsOf(entity: RegistryEntity): Tag[] {
  return entity.kind === 'model' ? entity.model.tags : entity.version.tags;
}

function describe(entity: RegistryEntity): string {
  if (entity.kind === 'model') return `the model ${entity.model.name}`;
  return `${entity.version.name} version ${entity.version.version}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
