import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { log } from '../log';
import type { PanelHost } from '../panels/host';
import { openPanels } from '../panels/panels';
import type { RemoteVersionActions, RunSource } from '../panels/source';
import { connectionsOf } from './connections';
import type { ServerEntry } from './model';

/** How often an open panel of a RUNNING remote run asks the server for what is new. */
const FOLLOW_MS = 10_000;

/**
 * Remote runs in the run panel, with its charts, tables and artifacts. The panel reads a
 * RunStore, so a remote run is copied into a store of its own per server (a pull: params, tags,
 * whole metric histories, dataset inputs, artifacts), kept in a temporary folder for the life of
 * the window and never mixed with the workspace store. Opening the panel again pulls again, and
 * while the run is RUNNING and its panel open, so does a timer: a pull adds only what the copy
 * lacks, and the store's change events move the charts as they do for a local run.
 */
export class RemoteMirrors implements vscode.Disposable {
  private readonly stores = new Map<string, Promise<{ store: RunStore; dir: string }>>();
  private readonly followed = new Set<string>();
  private readonly closed = new vscode.EventEmitter<void>();

  constructor(private readonly connections: ReturnType<typeof connectionsOf>) {}

  /** Reads the run from the server under a cancellable progress, then shows its panel. */
  async openRun(server: ServerEntry, runId: string): Promise<void> {
    const pulled = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Reading run ${runId.slice(0, 7)} from ${server.name}`,
        cancellable: true,
      },
      (_progress, token) => this.pull(server, runId, token),
    );
    if (!pulled) return;
    const host = openPanels().openRun(runId, await this.source(server));
    this.follow(server, runId, host);
  }

  /**
   * Reads a version with its source run and the model's aliases from the server, then shows the
   * version panel; `actions` carry its registry changes to the server. The copy keeps the
   * server's version numbers (the server is its only source).
   */
  async openVersion(
    server: ServerEntry,
    version: { name: string; version: string; runId: string },
    actions: RemoteVersionActions,
  ): Promise<void> {
    const pulled = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Reading ${version.name} version ${version.version} from ${server.name}`,
        cancellable: true,
      },
      (_progress, token) => this.pull(server, version.runId, token, version.name),
    );
    if (!pulled) return;
    openPanels().openVersion(version.name, version.version, await this.source(server), actions);
  }

  /** Reads the version's model again after a change made on the server, so its panel follows. */
  async refreshVersion(server: ServerEntry, version: { name: string; runId: string }) {
    await this.pull(server, version.runId, undefined, version.name);
  }

  dispose(): void {
    this.closed.fire();
    this.closed.dispose();
    for (const opening of this.stores.values()) {
      void opening.then(async ({ store, dir }) => {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      });
    }
    this.stores.clear();
  }

  /** True once the run's copy is up to date; a failure or a cancel is said and gives false. */
  private async pull(
    server: ServerEntry,
    runId: string,
    token?: vscode.CancellationToken,
    model?: string,
  ) {
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    try {
      const { store } = await this.storeOf(server);
      const client = await this.connections.client(server);
      await core().remote.pullFromRemote(store, client, {
        runId,
        ...(model === undefined ? {} : { models: true, model }),
        signal: controller.signal,
        logger: log,
      });
      return true;
    } catch (error) {
      if (controller.signal.aborted) return false;
      const message = error instanceof Error ? error.message : String(error);
      log.warn(`Reading run ${runId} from ${server.url} failed: ${message}`);
      void vscode.window.showErrorMessage(`Could not read from ${server.name}: ${message}`);
      return false;
    }
  }

  private async source(server: ServerEntry): Promise<RunSource> {
    let current: RunStore | undefined = (await this.storeOf(server)).store;
    this.closed.event(() => (current = undefined));
    return {
      server: { name: server.name, url: server.url },
      store: () => {
        if (!current) throw new Error(`the copy of ${server.name}'s runs is closed`);
        return current;
      },
      current: () => current,
      onDidChange: this.closed.event,
      openRun: (runId) => this.openRun(server, runId),
    };
  }

  /** Pulls again every FOLLOW_MS while the panel is open and the run is RUNNING. */
  private follow(server: ServerEntry, runId: string, host: PanelHost): void {
    const key = `${server.url}\n${runId}`;
    if (this.followed.has(key)) return;
    this.followed.add(key);
    const timer = setInterval(async () => {
      try {
        const { store } = await this.storeOf(server);
        if (store.getRun(runId).info.status !== 'RUNNING') return stop();
        if (!(await this.pull(server, runId))) stop();
      } catch (error) {
        log.warn(`Stopped following run ${runId} on ${server.url}: ${String(error)}`);
        stop();
      }
    }, FOLLOW_MS);
    const stop = () => {
      clearInterval(timer);
      this.followed.delete(key);
    };
    host.scope.track({ dispose: stop });
  }

  private storeOf(server: ServerEntry) {
    let opening = this.stores.get(server.url);
    if (!opening) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-factory-remote-'));
      opening = core()
        .RunStore.open(dir, { idleMs: 0, snapshotBytes: Infinity, logger: log })
        .then((store) => ({ store, dir }));
      this.stores.set(server.url, opening);
    }
    return opening;
  }
}

/** One set of copies per window, closed with it. */
const mirrors = new WeakMap<object, RemoteMirrors>();

export function mirrorsOf(services: Parameters<typeof connectionsOf>[0]): RemoteMirrors {
  let found = mirrors.get(services.context);
  if (!found) {
    found = new RemoteMirrors(connectionsOf(services));
    mirrors.set(services.context, found);
    services.context.subscriptions?.push(found);
  }
  return found;
}
