import * as fs from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { silentLogger, type Logger } from '../../log';
import type { RunStore } from '../../store/store';
import {
  copyArtifacts,
  findLocalArtifacts,
  isLocalUri,
  storeArtifactDir,
  storeArtifactUri,
} from './artifacts';
import { placeExperiments, type Placement } from './experiments';
import { writeModel } from './registry';
import { runExists, writeRun } from './runs';
import type { MlflowSource, RunRef, SourceModel } from './source';

/** What an import added. Runs already in the store are skipped, and counted as skipped. */
export interface ImportSummary {
  experiments: number;
  runs: number;
  skippedRuns: number;
  /** Metric points read from the imported runs' histories. */
  metrics: number;
  params: number;
  tags: number;
  models: number;
  versions: number;
  /** Artifact files copied into the store. */
  artifacts: number;
}

export type ImportPhase = 'experiments' | 'runs' | 'models';

/** Items done out of the whole import (experiments, then runs, then registered models). */
export interface ImportProgress {
  done: number;
  total: number;
  phase: ImportPhase;
}

export interface ImportOptions {
  logger?: Logger;
  /** Stops the import between runs; the runs imported so far stay, whole. */
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Experiments first (one transaction), then each run (one transaction each, after its artifacts
 * are copied), then each registered model (one transaction each, after the runs, so that version
 * sources can follow the artifacts). Everything the registry holds is read before anything is
 * written, so a broken registry file fails the import before it starts.
 */
export class Importer {
  private readonly summary: ImportSummary = {
    experiments: 0,
    runs: 0,
    skippedRuns: 0,
    metrics: 0,
    params: 0,
    tags: 0,
    models: 0,
    versions: 0,
    artifacts: 0,
  };
  private readonly logger: Logger;
  private done = 0;
  private total = 0;

  constructor(
    private readonly store: RunStore,
    private readonly source: MlflowSource,
    private readonly options: ImportOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  async run(): Promise<ImportSummary> {
    const experiments = await this.source.experiments();
    const refs = await this.source.runRefs();
    const models = await this.source.models();
    this.total = experiments.length + refs.length + models.length;
    this.options.signal?.throwIfAborted();

    this.report('experiments', 0);
    const placements = placeExperiments(this.store.db, experiments);
    for (const placement of placements.values()) {
      if (!placement.created) continue;
      this.count({ experiments: 1 });
      this.changed({ kind: 'experiment', experimentId: String(placement.experimentId) });
    }
    this.report('experiments', experiments.length);

    await this.importRuns(refs, placements);
    await this.importModels(models);
    return this.summary;
  }

  private async importRuns(refs: RunRef[], placements: Map<string, Placement>): Promise<void> {
    let current: number | undefined;
    const finishExperiment = () => {
      if (current !== undefined)
        this.changed({ kind: 'experiment', experimentId: String(current) });
    };
    try {
      for (const ref of refs) {
        this.options.signal?.throwIfAborted();
        const placement = placements.get(ref.experimentId);
        if (placement?.experimentId !== current) finishExperiment();
        current = placement?.experimentId;
        if (placement) await this.importRun(ref, placement);
        else this.logger.warn(`skipped the run ${ref.runId}: its experiment is not in the source`);
        this.report('runs', 1);
        // Lets the host's event loop draw progress and take a cancel between runs.
        await nextTurn();
      }
    } finally {
      finishExperiment();
    }
  }

  private async importRun(ref: RunRef, placement: Placement): Promise<void> {
    if (runExists(this.store.db, ref.runId)) {
      this.summary.skippedRuns += 1;
      return;
    }
    const started = performance.now();
    const run = await this.source.readRun(ref);
    const local = findLocalArtifacts(run, this.source);
    const target = storeArtifactDir(this.store.artifactsDir, placement.experimentId, run.runId);
    const files = local ? await copyOrClean(local, target) : 0;
    const artifactUri =
      local || isLocalUri(run.artifactUri)
        ? storeArtifactUri(placement.experimentId, run.runId)
        : run.artifactUri;

    try {
      const counts = writeRun(this.store.db, run, placement, artifactUri, this.logger);
      this.count({ ...counts, runs: 1, artifacts: files });
      const ms = (performance.now() - started).toFixed(0);
      this.logger.debug(`imported run ${run.runId}: ${counts.metrics} metric points in ${ms} ms`);
    } catch (error) {
      if (local) await fs.promises.rm(target, { recursive: true, force: true });
      throw error;
    }
  }

  private async importModels(models: SourceModel[]): Promise<void> {
    for (const model of models) {
      this.options.signal?.throwIfAborted();
      this.count(writeModel(this.store.db, model, this.logger));
      this.changed({ kind: 'model', name: model.name });
      this.report('models', 1);
      await nextTurn();
    }
  }

  private count(counts: Partial<ImportSummary>): void {
    for (const [key, value] of Object.entries(counts) as Array<[keyof ImportSummary, number]>) {
      this.summary[key] += value;
    }
  }

  private report(phase: ImportPhase, finished: number): void {
    this.done += finished;
    this.options.onProgress?.({ done: this.done, total: this.total, phase });
  }

  /**
   * Views refresh on store events. The writes here bypass the store's methods, which send them,
   * so the importer sends one per experiment and model rather than one per run.
   */
  private changed(change: { kind: 'experiment' | 'model'; experimentId?: string; name?: string }) {
    this.store.notify(change);
  }
}

/** A copy that fails half-way leaves no half folder behind. */
async function copyOrClean(from: string, to: string): Promise<number> {
  try {
    return await copyArtifacts(from, to);
  } catch (error) {
    await fs.promises.rm(to, { recursive: true, force: true });
    throw error;
  }
}
