import { randomUUID } from 'node:crypto';
import type { Database, Transaction } from '../../store/database';
import { insertDataset } from '../../store/inputs';
import type { SourceExperiment } from './source';

/** Where a source experiment lands in the store. */
export interface Placement {
  experimentId: number;
  created: boolean;
  /** Runs of a deleted experiment are deleted too, as the store keeps them. */
  deleted: boolean;
  deletedTime: number | null;
  /** Source dataset id → the store's dataset id, for the runs' inputs. */
  datasets: Map<string, string>;
}

interface Plan {
  source: SourceExperiment;
  /** Undefined until an id is assigned. */
  experimentId?: number;
  reused: boolean;
}

/**
 * Experiments are matched by name, as MLflow names are unique: one of the same name in the store
 * is reused. Otherwise the source's id is kept when it is free, and when it is taken (or is past
 * what the store's integer ids hold exactly) the experiment gets the next free id. Ids are kept
 * first and assigned after, so that a new id never takes one a later experiment could have kept.
 * Everything goes in one transaction, with experiment tags (the store's values win on a clash)
 * and datasets (matched by name and digest).
 */
export function placeExperiments(
  db: Database,
  experiments: SourceExperiment[],
): Map<string, Placement> {
  const plans = plan(db, experiments);
  return db.write((tx) => {
    const placements = new Map<string, Placement>();
    const inserted = new Set<number>();
    for (const { source, experimentId, reused } of plans) {
      const id = experimentId!;
      const created = !reused && !inserted.has(id);
      if (created) insertExperiment(tx, source, id);
      inserted.add(id);
      writeExperimentTags(tx, source, id);
      const row = tx.get<{ lifecycle_stage: string; last_update_time: number | null }>(
        'SELECT lifecycle_stage, last_update_time FROM experiments WHERE experiment_id = ?',
        [id],
      )!;
      placements.set(source.experimentId, {
        experimentId: id,
        created,
        deleted: row.lifecycle_stage === 'deleted',
        deletedTime: row.last_update_time,
        datasets: writeDatasets(tx, source, id),
      });
    }
    return placements;
  });
}

function plan(db: Database, experiments: SourceExperiment[]): Plan[] {
  const target = db.all<{ experiment_id: number; name: string }>(
    'SELECT experiment_id, name FROM experiments',
  );
  const idByName = new Map(target.map((row) => [row.name, row.experiment_id]));
  const taken = new Set(target.map((row) => row.experiment_id));
  const plans: Plan[] = experiments.map((source) => {
    const reusedId = idByName.get(source.name);
    if (reusedId !== undefined) return { source, experimentId: reusedId, reused: true };
    return { source, reused: false };
  });

  const planned = new Map<string, number>();
  for (const p of plans.filter((p) => !p.reused)) {
    const id = Number(p.source.experimentId);
    // FIXME: ids past 2^53 (MLflow's newer random ids, e.g. 606783375233873416) cannot be kept,
    // as the store reads ids as JavaScript numbers; such experiments get a new, small id, so
    // links and scripts that name the old id do not find them in this store.
    const keepable = /^\d+$/.test(p.source.experimentId) && Number.isSafeInteger(id);
    if (!planned.has(p.source.name) && keepable && !taken.has(id)) {
      taken.add(id);
      planned.set(p.source.name, id);
    }
  }
  let next = 1;
  for (const id of taken) next = Math.max(next, id + 1);
  for (const p of plans.filter((p) => !p.reused)) {
    if (!planned.has(p.source.name)) planned.set(p.source.name, next++);
    p.experimentId = planned.get(p.source.name);
  }
  return plans;
}

function isDeleted(source: SourceExperiment): boolean {
  return source.lifecycleStage === 'deleted';
}

function insertExperiment(tx: Transaction, source: SourceExperiment, experimentId: number): void {
  // The source's artifact location belongs to the source; imported artifacts live in this store.
  tx.run(
    `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
       creation_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?)`,
    [
      experimentId,
      source.name,
      `mlflow-artifacts:/${experimentId}`,
      isDeleted(source) ? 'deleted' : 'active',
      source.creationTime,
      source.lastUpdateTime,
    ],
  );
}

function writeExperimentTags(tx: Transaction, source: SourceExperiment, id: number): void {
  tx.runMany(
    'INSERT OR IGNORE INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)',
    source.tags.map((tag) => [tag.key, tag.value, id]),
  );
}

function writeDatasets(
  tx: Transaction,
  source: SourceExperiment,
  experimentId: number,
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const dataset of source.datasets) {
    const found = tx.get<{ dataset_uuid: string }>(
      'SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?',
      [experimentId, dataset.name, dataset.digest],
    );
    let datasetUuid = found?.dataset_uuid;
    if (!datasetUuid) {
      const clash = tx.get('SELECT 1 FROM datasets WHERE dataset_uuid = ?', [dataset.datasetUuid]);
      datasetUuid = clash ? randomUUID().replaceAll('-', '') : dataset.datasetUuid;
      insertDataset(tx, datasetUuid, experimentId, dataset);
    }
    ids.set(dataset.datasetUuid, datasetUuid);
  }
  return ids;
}
