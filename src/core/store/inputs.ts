import { createHash, randomUUID } from 'node:crypto';
import type { Database, Transaction } from './database';
import type { Dataset, DatasetInput } from './entities';
import { invalid } from './errors';
import { requireActiveRun } from './runs';
import { checkRunId } from './validation';

/**
 * MLflow's log-inputs: each dataset is kept once per experiment (by name and digest), and linked
 * to the run through an input row with its tags (mlflow.data.context = training, ...). Logging the
 * same dataset input again changes nothing.
 */
export function logInputs(db: Database, runIdValue: unknown, datasets: DatasetInput[]): void {
  const runId = checkRunId(runIdValue);
  datasets.forEach(checkDatasetInput);
  db.write((tx) => {
    const run = tx.get<{ lifecycle_stage: string; experiment_id: number }>(
      'SELECT lifecycle_stage, experiment_id FROM runs WHERE run_uuid = ?',
      [runId],
    );
    requireActiveRun(run, runId);
    for (const { dataset, tags } of datasets) {
      const found = tx.get<{ dataset_uuid: string }>(
        'SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?',
        [run!.experiment_id, dataset.name, dataset.digest],
      );
      const datasetUuid = found?.dataset_uuid ?? randomUUID().replaceAll('-', '');
      if (!found) {
        insertDataset(tx, datasetUuid, run!.experiment_id, dataset);
      }
      const linked = tx.get(
        `SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ?
           AND destination_type = 'RUN' AND destination_id = ?`,
        [datasetUuid, runId],
      );
      if (linked) continue;
      const inputUuid = createHash('md5')
        .update(datasetUuid + runId)
        .digest('hex');
      tx.run(
        `INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)
         VALUES (?, 'DATASET', ?, 'RUN', ?)`,
        [inputUuid, datasetUuid, runId],
      );
      tx.runMany(
        'INSERT OR REPLACE INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?)',
        tags.map((t) => [inputUuid, t.key, t.value]),
      );
    }
  });
}

/** Writes one dataset row, MLflow's way: keyed by experiment, name and digest. */
export function insertDataset(
  tx: Transaction,
  datasetUuid: string,
  experimentId: number,
  dataset: Dataset,
): void {
  tx.run(
    `INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type,
       dataset_source, dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      datasetUuid,
      experimentId,
      dataset.name,
      dataset.digest,
      dataset.sourceType,
      dataset.source,
      dataset.schema ?? null,
      dataset.profile ?? null,
    ],
  );
}

function checkDatasetInput(input: DatasetInput, index: number): void {
  const dataset = input?.dataset;
  const field = (name: keyof typeof dataset, limit: number, required = true) => {
    const value = dataset?.[name];
    if (value === undefined || value === null) {
      if (required) throw invalid(`datasets[${index}].dataset.${fieldName(name)} is required`);
      return;
    }
    if (typeof value !== 'string' || value.length > limit) {
      throw invalid(
        `datasets[${index}].dataset.${fieldName(name)} must be a string of at most ${limit} characters`,
      );
    }
  };
  field('name', 500);
  field('digest', 36);
  field('sourceType', 36);
  field('source', 65535);
  field('schema', 1048576, false);
  field('profile', 16777215, false);
  for (const tag of input.tags ?? []) {
    if (typeof tag.key !== 'string' || tag.key.length === 0 || tag.key.length > 255) {
      throw invalid(`datasets[${index}].tags keys must be 1 to 255 characters`);
    }
    if (typeof tag.value !== 'string' || tag.value.length > 500) {
      throw invalid(`datasets[${index}].tags values must be strings of at most 500 characters`);
    }
  }
  input.tags ??= [];
}

function fieldName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export interface DatasetSummary {
  experiment_id: string;
  name: string;
  digest: string;
  context?: string;
}

/** MLflow's search-datasets: each distinct dataset and context used by runs of the experiments. */
export function searchDatasets(db: Database, experimentIds: number[]): DatasetSummary[] {
  if (experimentIds.length === 0) return [];
  const rows = db.all<{
    experiment_id: number;
    name: string;
    digest: string;
    context: string | null;
  }>(
    `SELECT DISTINCT d.experiment_id, d.name, d.digest, t.value AS context
     FROM datasets d
       JOIN inputs i ON i.source_type = 'DATASET' AND i.source_id = d.dataset_uuid
       LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = 'mlflow.data.context'
     WHERE d.experiment_id IN (${experimentIds.map(() => '?').join(', ')})
     ORDER BY d.experiment_id, d.name, d.digest, t.value
     LIMIT 1000`,
    experimentIds,
  );
  return rows.map((row) => ({
    experiment_id: String(row.experiment_id),
    name: row.name,
    digest: row.digest,
    ...(row.context === null ? {} : { context: row.context }),
  }));
}
