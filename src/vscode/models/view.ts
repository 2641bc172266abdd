import * as vscode from 'vscode';
import type { DisposableScope } from '../disposable';
import { ViewId } from '../ids';
import { log } from '../log';
import type { Services } from '../services';
import { RefreshBatcher } from '../views/batcher';
import { escapeMarkdown, messageNode, type ViewNode } from '../views/node';
import { NodeTreeProvider } from '../views/tree';
import { core } from '../core';
import { followStore } from './follow';
import type { StoreSource } from './model';

/** The live provider, for the refresh command; commands are registered before the views. */
let provider: NodeTreeProvider | undefined;

/**
 * Creates the models tree view and keeps it live: registry writes change it, run writes can
 * rename a version's source run, and the store opening or being shared changes everything.
 */
export function registerModelsView(services: Services, scope: DisposableScope): NodeTreeProvider {
  const tree = scope.track(new NodeTreeProvider((parent) => readSafely(services.tracking, parent)));
  scope.track(
    vscode.window.createTreeView(ViewId.models, { treeDataProvider: tree, showCollapseAll: true }),
  );
  const batcher = scope.track(new RefreshBatcher(() => tree.refresh()));
  scope.track(followStore(services.tracking, ['model', 'run', 'drift'], () => batcher.schedule()));

  provider = tree;
  scope.track({ dispose: () => (provider = undefined) });
  return tree;
}

export function refreshModelsView(): void {
  provider?.refresh();
}

/** A store that fails mid-read shows why in the view, rather than an endless spinner. */
function readSafely(source: StoreSource, parent: ViewNode | undefined): ViewNode[] {
  try {
    return core().models.modelsChildren(source, parent);
  } catch (error) {
    log.error(error instanceof Error ? error : new Error(String(error)));
    if (parent) return [];
    const reason = escapeMarkdown(error instanceof Error ? error.message : String(error));
    return [messageNode('models:error', 'The registered models could not be read', reason)];
  }
}
