import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger } from '../../log';
import { notFound } from '../../store/errors';
import type { RunStore } from '../../store/store';
import { FileStoreSource } from './fileStore';
import { Importer, type ImportOptions, type ImportSummary } from './importer';
import type { MlflowSource } from './source';
import { SqliteSource } from './sqliteSource';

export type { ImportOptions, ImportPhase, ImportProgress, ImportSummary } from './importer';

/**
 * Imports an MLflow store into the run store: an `mlruns/` folder (MLflow's file store) or an
 * `mlflow.db` file (its SQL store in SQLite). Run ids, names, statuses, times, params, tags, full
 * metric histories, experiments with their tags, datasets and inputs, the model registry, and
 * local artifacts come over; see Importer for the order and what a failure leaves.
 *
 * Importing the same source again adds nothing: runs already in the store (by run id) are skipped
 * and counted in `skippedRuns`, whole, without merging metric points logged to the source since.
 * Experiments and models are matched by name. A failure (a malformed metric line, a cancel) stops
 * the import with the store unchanged for the run at hand; the experiments and whole runs written
 * before it stay, and importing again carries on from there.
 */
export async function importMlflow(
  store: RunStore,
  source: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const opened = await openSource(path.resolve(source), options);
  logger.info(`importing ${opened.label} into the store in ${store.dir}`);
  try {
    const summary = await new Importer(store, opened, options).run();
    const ms = (performance.now() - started).toFixed(0);
    logger.info(`imported ${summary.runs} runs (${summary.skippedRuns} skipped) in ${ms} ms`);
    return summary;
  } finally {
    opened.close();
  }
}

async function openSource(file: string, options: ImportOptions): Promise<MlflowSource> {
  const logger = options.logger ?? silentLogger;
  const stat = await fs.promises.stat(file).catch(() => undefined);
  if (!stat) {
    throw notFound(`${file} does not exist; import reads an mlruns folder or an mlflow.db file`);
  }
  return stat.isDirectory() ? FileStoreSource.open(file, logger) : SqliteSource.open(file, logger);
}
