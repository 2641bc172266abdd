import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger, type Logger } from '../log';
import { Database, DATABASE_FILE } from './database';
import { notFound } from './errors';
import * as driftChecks from './driftChecks';
import type { DatasetInput, Metric, Tag, ViewType } from './entities';
import * as experiments from './experiments';
import { logInputs, searchDatasets } from './inputs';
import { checkExperimentId } from './experiments';
import type { Durability } from './journal';
import { StoreLock } from './lock';
import * as metrics from './metrics';
import * as series from './series';
import * as tiles from './tiles';
import { checkRunId } from './validation';
import * as registry from './registry';
import * as runs from './runs';

export { DEFAULT_STORE_DIR } from './location';

export interface StoreOptions {
  logger?: Logger;
  durability?: Durability;
  snapshotBytes?: number;
  idleMs?: number;
  /** Opens without the lock and writes nothing; see DatabaseOptions.readOnly. */
  readOnly?: boolean;
}

/** What changed, for views that refresh from store events rather than by polling. */
export interface StoreChange {
  kind: 'experiment' | 'run' | 'metric' | 'model' | 'drift';
  experimentId?: string;
  runId?: string;
  /** The registered model's name: for 'model', and for 'drift' when the reference is a version. */
  name?: string;
  /** 'drift' only: the model version checked against, the check, and its current file. */
  version?: string;
  checkId?: string;
  path?: string;
}

/**
 * The run store: MLflow's tracking and registry data in `<dir>/mlflow.db`, artifacts in
 * `<dir>/artifacts`, owned by one process at a time. Every method checks its input and throws an
 * MlflowError with MLflow's code on bad input, leaving the store unchanged.
 */
export class RunStore {
  readonly events = new EventEmitter();

  private constructor(
    readonly dir: string,
    readonly db: Database,
    private readonly lock: StoreLock | undefined,
  ) {}

  static async open(dir: string, options: StoreOptions = {}): Promise<RunStore> {
    const logger = options.logger ?? silentLogger;
    const absolute = path.resolve(dir);
    if (options.readOnly) {
      if (!fs.existsSync(path.join(absolute, DATABASE_FILE))) {
        throw notFound(`no run store in ${absolute}: it has no ${DATABASE_FILE}`);
      }
      const db = await Database.open({ ...options, dir: absolute, logger });
      return new RunStore(absolute, db, undefined);
    }
    fs.mkdirSync(path.join(absolute, 'artifacts'), { recursive: true });
    const lock = StoreLock.acquire(absolute, logger);
    try {
      const db = await Database.open({ ...options, dir: absolute, logger });
      logger.info(`opened the run store in ${absolute}`);
      return new RunStore(absolute, db, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  get artifactsDir(): string {
    return path.join(this.dir, 'artifacts');
  }

  /** Records the tracking server's address in the lock, for other windows and the CLI. */
  setServerAddress(address: string | undefined, token?: string): void {
    this.lock?.setAddress(address, token);
  }

  /** Writes the database file now, rather than when the journal grows or the store idles. */
  snapshot(): Promise<void> {
    return this.db.snapshot();
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
      this.events.removeAllListeners();
    }
  }

  onChange(listener: (change: StoreChange) => void): { dispose(): void } {
    this.events.on('change', listener);
    return { dispose: () => this.events.off('change', listener) };
  }

  /** Announces a change made below the API (the importer writes SQL in bulk). */
  notify(change: StoreChange): void {
    this.events.emit('change', change);
  }

  private changed<T>(change: StoreChange, result: T): T {
    this.events.emit('change', change);
    return result;
  }

  // Experiments

  createExperiment(name: unknown, artifactLocation?: string, tags?: Tag[]): string {
    const experimentId = experiments.createExperiment(this.db, name, artifactLocation, tags);
    return this.changed({ kind: 'experiment', experimentId }, experimentId);
  }
  getExperiment(experimentId: unknown) {
    return experiments.getExperiment(this.db, experimentId);
  }
  getExperimentByName(name: unknown) {
    return experiments.getExperimentByName(this.db, name);
  }
  searchExperiments(search?: experiments.ExperimentSearch) {
    return experiments.searchExperiments(this.db, search);
  }
  renameExperiment(experimentId: unknown, newName: unknown): void {
    experiments.renameExperiment(this.db, experimentId, newName);
    this.changed({ kind: 'experiment', experimentId: String(experimentId) }, undefined);
  }
  deleteExperiment(experimentId: unknown): void {
    experiments.setExperimentStage(this.db, experimentId, 'deleted');
    this.changed({ kind: 'experiment', experimentId: String(experimentId) }, undefined);
  }
  restoreExperiment(experimentId: unknown): void {
    experiments.setExperimentStage(this.db, experimentId, 'active');
    this.changed({ kind: 'experiment', experimentId: String(experimentId) }, undefined);
  }
  setExperimentTag(experimentId: unknown, tag: Tag): void {
    experiments.setExperimentTag(this.db, experimentId, tag);
    this.changed({ kind: 'experiment', experimentId: String(experimentId) }, undefined);
  }
  deleteExperimentTag(experimentId: unknown, key: unknown): void {
    experiments.deleteExperimentTag(this.db, experimentId, key);
    this.changed({ kind: 'experiment', experimentId: String(experimentId) }, undefined);
  }

  // Runs

  createRun(request: runs.CreateRun) {
    const run = runs.createRun(this.db, request);
    return this.changed(
      { kind: 'run', runId: run.info.runId, experimentId: run.info.experimentId },
      run,
    );
  }
  updateRun(runId: unknown, update: runs.UpdateRun) {
    const info = runs.updateRun(this.db, runId, update);
    return this.changed({ kind: 'run', runId: info.runId, experimentId: info.experimentId }, info);
  }
  deleteRun(runId: unknown): void {
    runs.setRunStage(this.db, runId, 'deleted');
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  restoreRun(runId: unknown): void {
    runs.setRunStage(this.db, runId, 'active');
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  getRun(runId: unknown) {
    return runs.getRun(this.db, runId);
  }
  searchRuns(search: runs.RunSearch) {
    return runs.searchRuns(this.db, search);
  }
  setTag(runId: unknown, tag: Tag): void {
    runs.setRunTag(this.db, runId, tag);
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  deleteTag(runId: unknown, key: unknown): void {
    runs.deleteRunTag(this.db, runId, key);
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  logParam(runId: unknown, param: Tag): void {
    metrics.logParam(this.db, runId, param);
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  logMetric(runId: unknown, metric: Partial<Metric>): void {
    metrics.logMetric(this.db, runId, metric);
    this.changed({ kind: 'metric', runId: String(runId) }, undefined);
  }
  logBatch(runId: unknown, batch: metrics.Batch): void {
    metrics.logBatch(this.db, runId, batch);
    this.changed({ kind: 'metric', runId: String(runId) }, undefined);
  }
  logInputs(runId: unknown, datasets: DatasetInput[]): void {
    logInputs(this.db, runId, datasets);
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  logModel(runId: unknown, modelJson: string): void {
    runs.logModel(this.db, runId, modelJson);
    this.changed({ kind: 'run', runId: String(runId) }, undefined);
  }
  searchDatasets(experimentIds: unknown[]) {
    return searchDatasets(this.db, experimentIds.map(checkExperimentId));
  }
  getMetricHistory(request: metrics.HistoryRequest) {
    return metrics.getMetricHistory(this.db, request);
  }
  /** A metric's whole history as columns, for charts (see series.ts). */
  readMetricSeries(runId: unknown, key: string): series.MetricSeries {
    return series.readMetricSeries(this.db, runId, key);
  }
  /** The history as its tiles' points, for a chart of a long history (see tiles.ts). */
  readTiledHistory(runId: unknown, key: string): tiles.TiledHistory | undefined {
    return tiles.readTiledHistory(this.db, checkRunId(runId), key);
  }
  /** Whether the history has complete tiles (see tiles.ts). */
  hasTiles(runId: unknown, key: string): boolean {
    return tiles.hasTiles(this.db, checkRunId(runId), key);
  }
  /** Makes the history's tiles from the whole of it, just read (see tiles.ts). */
  rebuildTiles(runId: unknown, key: string, whole: series.MetricSeries): void {
    const id = checkRunId(runId);
    this.db.write((tx) => tiles.rebuildTiles(tx, id, key, whole));
  }
  /** Points in the history by its tiles' count (see tiles.ts). */
  tiledTotal(runId: unknown, key: string): number {
    return tiles.tiledTotal(this.db, checkRunId(runId), key);
  }
  /** Adds what was logged since; false when the series must be read again (see series.ts). */
  appendMetricSeries(runId: unknown, key: string, into: series.MetricSeries): boolean {
    return series.appendMetricSeries(this.db, runId, key, into);
  }
  getMetricHistorySampled(
    runIds: unknown[],
    key: unknown,
    options?: Parameters<typeof metrics.getMetricHistorySampled>[3],
  ) {
    return metrics.getMetricHistorySampled(this.db, runIds, key, options);
  }

  // Registry

  createRegisteredModel(name: unknown, tags?: Tag[], description?: string) {
    return this.model(name, registry.createRegisteredModel(this.db, name, tags, description));
  }
  renameRegisteredModel(name: unknown, newName: unknown) {
    return this.model(newName, registry.renameRegisteredModel(this.db, name, newName));
  }
  updateRegisteredModel(name: unknown, description: unknown) {
    return this.model(name, registry.updateRegisteredModel(this.db, name, description));
  }
  deleteRegisteredModel(name: unknown): void {
    this.model(name, registry.deleteRegisteredModel(this.db, name));
  }
  getRegisteredModel(name: unknown) {
    return registry.getRegisteredModel(this.db, name);
  }
  searchRegisteredModels(search?: registry.RegistrySearch) {
    return registry.searchRegisteredModels(this.db, search);
  }
  setRegisteredModelTag(name: unknown, tag: Tag): void {
    this.model(name, registry.setRegisteredModelTag(this.db, name, tag));
  }
  deleteRegisteredModelTag(name: unknown, key: unknown): void {
    this.model(name, registry.deleteRegisteredModelTag(this.db, name, key));
  }
  setAlias(name: unknown, alias: unknown, version: unknown): void {
    this.model(name, registry.setAlias(this.db, name, alias, version));
  }
  deleteAlias(name: unknown, alias: unknown): void {
    this.model(name, registry.deleteAlias(this.db, name, alias));
  }
  getModelVersionByAlias(name: unknown, alias: unknown) {
    return registry.getModelVersionByAlias(this.db, name, alias);
  }
  createModelVersion(request: registry.CreateModelVersion) {
    return this.model(request.name, registry.createModelVersion(this.db, request));
  }
  updateModelVersion(name: unknown, version: unknown, description: unknown) {
    return this.model(name, registry.updateModelVersion(this.db, name, version, description));
  }
  transitionModelVersionStage(
    name: unknown,
    version: unknown,
    stage: unknown,
    archiveExisting = false,
  ) {
    return this.model(
      name,
      registry.transitionModelVersionStage(this.db, name, version, stage, archiveExisting),
    );
  }
  deleteModelVersion(name: unknown, version: unknown): void {
    this.model(name, registry.deleteModelVersion(this.db, name, version));
  }
  getModelVersion(name: unknown, version: unknown) {
    return registry.getModelVersion(this.db, name, version);
  }
  searchModelVersions(search?: registry.RegistrySearch) {
    return registry.searchModelVersions(this.db, search);
  }
  setModelVersionTag(name: unknown, version: unknown, tag: Tag): void {
    this.model(name, registry.setModelVersionTag(this.db, name, version, tag));
  }
  deleteModelVersionTag(name: unknown, version: unknown, key: unknown): void {
    this.model(name, registry.deleteModelVersionTag(this.db, name, version, key));
  }
  getModelVersionDownloadUri(name: unknown, version: unknown): string {
    return registry.getModelVersionDownloadUri(this.db, name, version);
  }

  // Drift checks

  saveDriftCheck(input: driftChecks.SaveDriftCheck): driftChecks.DriftCheck {
    return this.drift(driftChecks.saveDriftCheck(this.db, input));
  }
  getDriftCheck(checkId: unknown): driftChecks.DriftCheck {
    return driftChecks.getDriftCheck(this.db, checkId);
  }
  listDriftChecks(filter?: driftChecks.DriftCheckFilter): driftChecks.DriftCheckSummary[] {
    return driftChecks.listDriftChecks(this.db, filter);
  }
  latestDriftCheckForVersion(
    modelName: unknown,
    version: unknown,
  ): driftChecks.DriftCheckSummary | undefined {
    return driftChecks.latestDriftCheckForVersion(this.db, modelName, version);
  }
  linkDriftCheckRun(checkId: unknown, runId: unknown): void {
    this.drift(driftChecks.linkDriftCheckRun(this.db, checkId, runId));
  }
  deleteDriftCheck(checkId: unknown): void {
    this.drift(driftChecks.deleteDriftCheck(this.db, checkId));
  }

  private drift<T extends driftChecks.DriftCheckSummary>(check: T): T {
    const { checkId, current, reference } = check;
    const change: StoreChange = { kind: 'drift', checkId, path: current.path };
    if (reference.modelName !== undefined) change.name = reference.modelName;
    if (reference.modelVersion !== undefined) change.version = reference.modelVersion;
    return this.changed(change, check);
  }

  private model<T>(name: unknown, result: T): T {
    return this.changed({ kind: 'model', name: String(name) }, result);
  }
}

export type { ViewType };
