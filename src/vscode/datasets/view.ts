import * as vscode from 'vscode';
import { DisposableScope } from '../disposable';
import { SettingId, ViewId } from '../ids';
import { log } from '../log';
import { followStore } from '../models/follow';
import type { Services } from '../services';
import type { TrackingService } from '../tracking';
import { RefreshBatcher } from '../views/batcher';
import { escapeMarkdown, messageNode, type ViewNode } from '../views/node';
import { NodeTreeProvider } from '../views/tree';
import { core } from '../core';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from './defaults';
import type { FileFilter, WorkspaceRoot } from './files';
import type { FileScan } from './model';

/** Enough for any sane project; beyond it the view says the list is cut short. */
const SCAN_LIMIT = 2000;

let current: DatasetsView | undefined;

/** Creates the datasets tree view and keeps it live from file and store events. */
export function registerDatasetsView(services: Services, scope: DisposableScope): DatasetsView {
  const view = scope.track(new DatasetsView(services.tracking));
  current = view;
  scope.track({ dispose: () => (current = undefined) });
  return view;
}

/** Scans the workspace again, for the refresh command. */
export function rescanDatasets(): void {
  current?.rescan();
}

/**
 * The workspace's data files, found once and then kept current by a watcher on the same glob,
 * and the datasets recorded as run inputs, read from the store on each refresh. Both refreshes
 * are batched: unzipping a folder of 500 CSVs must not scan the workspace 500 times.
 */
export class DatasetsView implements vscode.Disposable {
  private readonly scope = new DisposableScope();
  readonly provider: NodeTreeProvider;
  private scan: Promise<FileScan> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly refreshBatcher: RefreshBatcher;
  private readonly rescanBatcher: RefreshBatcher;

  constructor(private readonly tracking: TrackingService) {
    this.provider = this.scope.track(new NodeTreeProvider((parent) => this.children(parent)));
    this.scope.track(
      vscode.window.createTreeView(ViewId.datasets, {
        treeDataProvider: this.provider,
        showCollapseAll: true,
      }),
    );
    this.refreshBatcher = this.scope.track(new RefreshBatcher(() => this.provider.refresh()));
    this.rescanBatcher = this.scope.track(new RefreshBatcher(() => this.rescan()));
    this.scope.track(
      followStore(tracking, ['run', 'experiment', 'drift'], () => this.refreshBatcher.schedule()),
    );
    this.scope.track(vscode.workspace.onDidChangeConfiguration((e) => this.configured(e)));
    this.scope.track(vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()));
    this.watch();
  }

  rescan(): void {
    this.scan = undefined;
    this.provider.refresh();
  }

  private configured(event: vscode.ConfigurationChangeEvent): void {
    const settings = [SettingId.datasetsInclude, SettingId.datasetsExclude];
    if (!settings.some((id) => event.affectsConfiguration(id))) return;
    this.watch();
    this.rescan();
  }

  private async children(parent: ViewNode | undefined): Promise<ViewNode[]> {
    try {
      // A failed scan is forgotten, so the next refresh tries again.
      this.scan ??= scanFiles().catch((error: unknown) => {
        this.scan = undefined;
        throw error;
      });
      return core().datasets.datasetsChildren(await this.scan, this.tracking, parent);
    } catch (error) {
      log.error(error instanceof Error ? error : new Error(String(error)));
      if (parent) return [];
      const reason = escapeMarkdown(error instanceof Error ? error.message : String(error));
      return [messageNode('datasets:error', 'The datasets could not be listed', reason)];
    }
  }

  /** Creations and deletions change the list; edits to a file do not. */
  private watch(): void {
    this.watcher?.dispose();
    const filter = readFilter();
    const watcher = vscode.workspace.createFileSystemWatcher(filter.include, false, true, false);
    const changed = (uri: vscode.Uri) => {
      if (core().datasets.isDataFile(uri.fsPath, workspaceRoots(), filter))
        this.rescanBatcher.schedule();
    };
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.watcher = watcher;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.scope.dispose();
  }
}

async function scanFiles(): Promise<FileScan> {
  const filter = readFilter();
  const started = performance.now();
  const uris = await vscode.workspace.findFiles(
    filter.include,
    core().datasets.scanExclude(filter.exclude),
    SCAN_LIMIT,
  );
  const files = core()
    .datasets.dataFileNodes(
      uris.map((uri) => uri.fsPath),
      workspaceRoots(),
      filter,
    )
    .map(withOpenCommand);
  log.debug(`found ${files.length} data files in ${(performance.now() - started).toFixed(0)} ms`);
  return { files, truncated: uris.length >= SCAN_LIMIT, limit: SCAN_LIMIT };
}

function withOpenCommand(node: ViewNode): ViewNode {
  if (!node.resourcePath) return node;
  const uri = vscode.Uri.file(node.resourcePath);
  return { ...node, command: { command: 'vscode.open', title: 'Open', arguments: [uri] } };
}

function readFilter(): FileFilter {
  const settings = vscode.workspace.getConfiguration();
  const include = settings.get<string>(SettingId.datasetsInclude, DEFAULT_INCLUDE).trim();
  const exclude = settings.get<string[]>(SettingId.datasetsExclude, DEFAULT_EXCLUDE);
  return {
    include: include || DEFAULT_INCLUDE,
    exclude: Array.isArray(exclude) ? exclude.filter(Boolean) : DEFAULT_EXCLUDE,
  };
}

function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({
    name: folder.name,
    path: folder.uri.fsPath,
  }));
}
