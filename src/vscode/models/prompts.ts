import * as vscode from 'vscode';
import type { ModelVersion, RegisteredModel } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { TrackingService } from '../tracking';
import type { NodeData, ViewNode } from '../views/node';
import { core } from '../core';

/** The pure helpers, in dist/core.js (see lazy.ts). */
const lazy = () => core().models;

/** A model or a version: what tag and description commands act on. */
export type RegistryEntity =
  { kind: 'model'; model: RegisteredModel } | { kind: 'version'; version: ModelVersion };

/** The store, started if need be; undefined, after saying why, when this window cannot write it. */
export async function openStore(tracking: TrackingService): Promise<RunStore | undefined> {
  await tracking.start();
  if (tracking.runStore) return tracking.runStore;
  const why =
    tracking.state === 'shared'
      ? "Another VS Code window owns this workspace's run store: change its models from that window."
      : 'The run store is not open. Open a folder and trust the workspace, then try again.';
  void vscode.window.showWarningMessage(why);
  return undefined;
}

/** The data of the tree item a command was run on; undefined from the command palette. */
export function nodeData(arg: unknown): NodeData | undefined {
  return (arg as ViewNode | undefined)?.data;
}

/** The clicked model (or the model of a clicked version), else one the user picks. */
export async function modelTarget(store: RunStore, arg: unknown) {
  const data = nodeData(arg);
  if (data?.kind === 'model' || data?.kind === 'modelVersion') {
    return store.getRegisteredModel(data.name);
  }
  const name = await pickModel(store);
  return name === undefined ? undefined : store.getRegisteredModel(name);
}

/** The clicked version, read afresh so its aliases are current; else one the user picks. */
export async function versionTarget(store: RunStore, arg: unknown) {
  const data = nodeData(arg);
  if (data?.kind === 'modelVersion') return store.getModelVersion(data.name, data.version);
  const name = data?.kind === 'model' ? data.name : await pickModel(store);
  return name === undefined ? undefined : pickVersion(store, name, 'Which version?');
}

export async function entityTarget(store: RunStore, arg: unknown) {
  const data = nodeData(arg);
  if (data?.kind === 'modelVersion') {
    return { kind: 'version', version: store.getModelVersion(data.name, data.version) } as const;
  }
  if (data?.kind === 'model') {
    return { kind: 'model', model: store.getRegisteredModel(data.name) } as const;
  }
  return pickEntity(store);
}

async function pickEntity(store: RunStore): Promise<RegistryEntity | undefined> {
  const name = await pickModel(store);
  if (name === undefined) return undefined;
  const items = [
    { label: name, description: 'the registered model', entity: modelEntity(store, name) },
    ...lazy()
      .versionsOf(store, name)
      .map((version) => ({
        ...lazy().versionItem(version),
        entity: { kind: 'version', version } as RegistryEntity,
      })),
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: `The model ${name}, or a version?`,
  });
  return pick?.entity;
}

function modelEntity(store: RunStore, name: string): RegistryEntity {
  return { kind: 'model', model: store.getRegisteredModel(name) };
}

export async function pickModel(store: RunStore): Promise<string | undefined> {
  const models = lazy().allModels(store);
  if (models.length === 0) {
    void vscode.window.showInformationMessage(
      'No registered models yet: register a model version from a run first.',
    );
    return undefined;
  }
  const items = models.map((model) => ({ label: model.name, description: model.description }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Which registered model?' });
  return pick?.label;
}

/** One of a model's versions, newest first; `except` leaves one out (moving an alias away). */
export async function pickVersion(
  store: RunStore,
  name: string,
  title: string,
  except?: string,
): Promise<ModelVersion | undefined> {
  const versions = lazy()
    .versionsOf(store, name)
    .filter((v) => v.version !== except);
  if (versions.length === 0) {
    void vscode.window.showInformationMessage(`${name} has no other version.`);
    return undefined;
  }
  const items = versions.map((version) => ({ ...lazy().versionItem(version), version }));
  return (await vscode.window.showQuickPick(items, { title }))?.version;
}

/** A modal question for destructive actions; true only when the user picks `action`. */
export async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return choice === action;
}
