import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '../../log';
import type { SqlValue, Transaction } from '../../store/database';
import type { DatasetInput, Experiment, Metric, Run, RunStatus, Tag } from '../../store/entities';
import { encodeMetricValue } from '../../store/hydrate';
import { insertDataset } from '../../store/inputs';
import type { RunStore } from '../../store/store';
import { addToTiles } from '../../store/tiles';
import { placeExperiments, type Placement } from '../import/experiments';
import { writeRun } from '../import/runs';
import type { MetricSeries, SourceRun } from '../import/source';

/**
 * The store side of a pull. A new run is written as the importer writes one (same id as on the
 * remote, everything in one transaction); a run the store has already gets what it lacks, in one
 * transaction too. Either way a pull that fails leaves each run as it was or whole.
 */

/** The id MLflow's file store gives a dataset, so the same dataset gets the same id anywhere. */
function datasetId(input: DatasetInput): string {
  return createHash('md5').update(input.dataset.name).update(input.dataset.digest).digest('hex');
}

/** Places the remote experiment in the store (matched by name), with the run's datasets. */
export function placeExperiment(store: RunStore, experiment: Experiment, run: Run): Placement {
  const datasets = run.inputs.datasetInputs.map((input) => ({
    ...input.dataset,
    datasetUuid: datasetId(input),
  }));
  const placements = placeExperiments(store.db, [
    {
      experimentId: experiment.experimentId,
      name: experiment.name,
      lifecycleStage: 'active',
      creationTime: experiment.creationTime,
      lastUpdateTime: experiment.lastUpdateTime,
      tags: experiment.tags,
      datasets,
    },
  ]);
  return placements.get(experiment.experimentId)!;
}

/** Writes a run the store does not have, whole, in one transaction. */
export function writeNewRun(
  store: RunStore,
  run: Run,
  content: { tags: Tag[]; metrics: Map<string, Metric[]> },
  placement: Placement,
  artifactUri: string,
  logger: Logger,
): void {
  const { info } = run;
  const source: SourceRun = {
    runId: info.runId,
    experimentId: info.experimentId,
    runName: info.runName,
    userId: info.userId,
    status: info.status,
    startTime: info.startTime,
    endTime: info.endTime,
    deletedTime: null,
    lifecycleStage: 'active',
    sourceType: 'UNKNOWN',
    sourceName: '',
    entryPointName: '',
    sourceVersion: '',
    artifactUri: info.artifactUri,
    params: run.data.params,
    tags: content.tags,
    metrics: [...content.metrics].map(([key, points]): MetricSeries => ({ key, points })),
    inputs: run.inputs.datasetInputs.map((input) => ({
      datasetUuid: datasetId(input),
      tags: input.tags,
    })),
    artifactDirs: [],
  };
  writeRun(store.db, source, placement, artifactUri, logger);
}

export interface RunChange {
  params: Tag[];
  tags: Tag[];
  metrics: Metric[];
  inputs: DatasetInput[];
  status?: RunStatus;
  endTime?: number;
}

/** Adds to a run the store has what the remote copy had and it lacked, in one transaction. */
export function updateRun(store: RunStore, runId: string, change: RunChange): void {
  store.db.write((tx) => {
    const run = tx.get<{ experiment_id: number }>(
      'SELECT experiment_id FROM runs WHERE run_uuid = ?',
      [runId],
    )!;
    tx.runMany(
      'INSERT OR IGNORE INTO params (key, value, run_uuid) VALUES (?, ?, ?)',
      change.params.map((p) => [p.key, p.value, runId]),
    );
    tx.runMany(
      'INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)',
      change.tags.map((t) => [t.key, t.value, runId]),
    );
    const runName = change.tags.find((t) => t.key === 'mlflow.runName');
    if (runName) tx.run('UPDATE runs SET name = ? WHERE run_uuid = ?', [runName.value, runId]);
    if (change.status)
      tx.run('UPDATE runs SET status = ? WHERE run_uuid = ?', [change.status, runId]);
    if (change.endTime !== undefined) {
      tx.run('UPDATE runs SET end_time = ? WHERE run_uuid = ?', [change.endTime, runId]);
    }
    insertPoints(tx, runId, change.metrics);
    for (const input of change.inputs) linkInput(tx, runId, run.experiment_id, input);
  });
}

// Keeps latest_metrics at the greatest (step, timestamp, value), as the store itself does.
const UPSERT_LATEST = `INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value,
    timestamp = excluded.timestamp, step = excluded.step, is_nan = excluded.is_nan
  WHERE (excluded.step, excluded.timestamp, excluded.value)
    > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`;
const METRIC_INSERT =
  'INSERT OR IGNORE INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES';

function insertPoints(tx: Transaction, runId: string, points: Metric[]): void {
  const rows = points.map((point): SqlValue[] => {
    const { value, isNan } = encodeMetricValue(point.value);
    return [point.key, value, point.timestamp, point.step, isNan, runId];
  });
  addToTiles(tx, runId, rows, tx.insertMany(METRIC_INSERT, rows));
  tx.runMany(UPSERT_LATEST, rows);
}

/** Links a dataset input, adding the dataset to the run's experiment when it is new there. */
function linkInput(tx: Transaction, runId: string, experimentId: number, input: DatasetInput) {
  const found = tx.get<{ dataset_uuid: string }>(
    'SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?',
    [experimentId, input.dataset.name, input.dataset.digest],
  );
  const datasetUuid = found?.dataset_uuid ?? randomUUID().replaceAll('-', '');
  if (!found) insertDataset(tx, datasetUuid, experimentId, input.dataset);
  const inputUuid = createHash('md5')
    .update(datasetUuid + runId)
    .digest('hex');
  tx.run(
    `INSERT OR IGNORE INTO inputs (input_uuid, source_type, source_id, destination_type,
       destination_id) VALUES (?, 'DATASET', ?, 'RUN', ?)`,
    [inputUuid, datasetUuid, runId],
  );
  tx.runMany(
    'INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)',
    input.tags.map((t) => [inputUuid, t.key, t.value]),
  );
}
