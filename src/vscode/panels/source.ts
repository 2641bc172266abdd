import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { ExperimentCommand } from '../experiments/ids';
import type { Services } from '../services';

/**
 * Where a run panel reads its run: this window's workspace store, or a copy of a remote MLflow
 * server's run kept for the panel (src/vscode/remote/mirror.ts). The panel itself does not know
 * which; it reads a RunStore either way and follows its change events.
 */
export interface RunSource {
  /** The MLflow server the run lives on, for a remote run; absent for this workspace. */
  readonly server?: { name: string; url: string };
  /** The store, or an error that the panel shows. */
  store(): RunStore;
  /** The store if one is open, without an error. */
  current(): RunStore | undefined;
  /** Fires when current() changes: a store opened, closed or taken over. */
  readonly onDidChange: vscode.Event<unknown>;
  /** Opens another run of the same source in its panel (a parent run, from the header). */
  openRun(runId: string): Thenable<unknown>;
}

/**
 * A version panel's registry changes for a version on a server: they go to the server (and the
 * panel's copy follows), where the workspace's go through the Models view's commands.
 */
export interface RemoteVersionActions {
  setAlias(): Promise<unknown>;
  saveDescription(description: string): Promise<unknown>;
}

/** The store, or an error that the panel shows: panels read only a store this window owns. */
export function storeOf(services: Services): RunStore {
  const store = services.tracking.runStore;
  if (store) return store;
  throw new Error(
    services.tracking.state === 'shared'
      ? 'this run store is open in another VS Code window; open the panel there'
      : 'no run store is open in this window',
  );
}

export function workspaceSource(services: Services): RunSource {
  return {
    store: () => storeOf(services),
    current: () => services.tracking.runStore,
    onDidChange: services.tracking.onDidChange,
    openRun: (runId) => vscode.commands.executeCommand(ExperimentCommand.openRun, { runId }),
  };
}
