import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Run } from '../../core/store/entities';
import { DisposableScope } from '../disposable';
import { SettingId } from '../ids';
import type { LaunchRequest } from '../launch/request';
import { log } from '../log';
import type { TrackingService } from '../tracking';
import { RefreshBatcher } from '../views/batcher';
import { HOVER_RUNS, lastRunLens, parameterHistoryMarkdown, sourceFilter } from './lastRun';
import type * as Session from './client';

/**
 * Owns the language client for the extension's lifetime: starts it when the first MLproject or
 * Python file is open (not at activation), feeds its "last run" lenses from the store, refreshes
 * them when the store changes, and stops it on deactivate.
 */
export class LanguageService implements vscode.Disposable {
  private readonly scope = new DisposableScope();
  private session: Promise<Session.LanguageSession | undefined> | undefined;
  private storeListener: { dispose(): void } | undefined;
  private readonly lenses = new RefreshBatcher(() => void this.refreshLenses(), 500);

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly tracking: TrackingService,
  ) {
    this.scope.track(this.lenses);
    this.scope.track(vscode.workspace.onDidOpenTextDocument((document) => this.consider(document)));
    this.scope.track(tracking.onDidChange(() => this.watchStore()));
    this.scope.track({ dispose: () => this.storeListener?.dispose() });
    this.scope.track(
      vscode.workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration(SettingId.experimentsKeyMetric)) this.lenses.schedule();
      }),
    );
  }

  /** After activation: a document of interest may already be open. */
  startIfNeeded(): void {
    vscode.workspace.textDocuments.forEach((document) => this.consider(document));
  }

  async stop(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.scope.dispose();
    await (await session)?.stop();
  }

  dispose(): void {
    void this.stop();
  }

  private consider(document: vscode.TextDocument): void {
    if (this.session || this.scope.isDisposed || !isOfInterest(document)) return;
    this.session = this.start();
  }

  private async start(): Promise<Session.LanguageSession | undefined> {
    const serverModule = this.context.asAbsolutePath(path.join('dist', 'server.js'));
    try {
      const { startSession } = require('./languageClient.js') as typeof Session;
      return await startSession({
        serverModule,
        log,
        initializationOptions: readPatterns(),
        lastRun: (request) => this.lastRun(request),
        parameterHistory: (uri, entryPoint, parameter) =>
          this.parameterHistory(uri, entryPoint, parameter),
      });
    } catch (error) {
      log.error(error instanceof Error ? error : new Error(String(error)));
      log.warn('the language server did not start: no code lenses or MLproject checks');
      return undefined;
    }
  }

  private watchStore(): void {
    this.storeListener?.dispose();
    this.storeListener = this.tracking.runStore?.onChange(() => this.lenses.schedule());
    this.lenses.schedule();
  }

  private async refreshLenses(): Promise<void> {
    (await this.session)?.refreshLenses();
  }

  /** The latest run started from the lens's place, across the active experiments. */
  private lastRun(request: LaunchRequest): Session.LastRunLens | undefined {
    const [run] = this.latestRuns(request, 1);
    if (!run) return undefined;

    const keyMetric = vscode.workspace
      .getConfiguration()
      .get<string>(SettingId.experimentsKeyMetric);
    const lens = lastRunLens(run, keyMetric ?? '');
    const { runId, experimentId, runName, status } = run.info;
    const target = { kind: 'run', runId, experimentId, name: runName, deleted: false, status };
    return { ...lens, target };
  }

  private parameterHistory(mlproject: vscode.Uri, entryPoint: string, parameter: string): string {
    const request: LaunchRequest = { kind: 'train', uri: mlproject.toString(), entryPoint };
    return parameterHistoryMarkdown(this.latestRuns(request, HOVER_RUNS), parameter);
  }

  /** The newest runs launched from a place, across the active experiments; none without a store. */
  private latestRuns(request: LaunchRequest, maxResults: number): Run[] {
    const store = this.tracking.runStore;
    if (!store) return [];
    const experimentIds = store
      .searchExperiments({ maxResults: 1000 })
      .items.map((experiment) => experiment.experimentId);
    const filter = sourceFilter(request, vscode.Uri.parse(request.uri).fsPath);
    const orderBy = ['attributes.start_time DESC'];
    return store.searchRuns({ experimentIds, filter, orderBy, maxResults }).items;
  }
}

function isOfInterest(document: vscode.TextDocument): boolean {
  if (document.languageId === 'mlproject') return true;
  if (document.languageId === 'python') return document.uri.scheme === 'file';
  return /^MLproject(\.yaml)?$/.test(path.basename(document.uri.path));
}

function readPatterns(): { trainPatterns: string[]; evaluatePatterns: string[] } {
  const settings = vscode.workspace.getConfiguration();
  return {
    trainPatterns: settings.get<string[]>(SettingId.launchTrainPatterns) ?? ['train*', 'fit*'],
    evaluatePatterns: settings.get<string[]>(SettingId.launchEvaluatePatterns) ?? [
      'evaluate*',
      'eval*',
    ],
  };
}
