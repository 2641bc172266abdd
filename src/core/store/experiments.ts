import type { Database, Row } from './database';
import type { Experiment, Page, Tag, ViewType } from './entities';
import { exists, invalid, notFound } from './errors';
import { pageOf } from './paging';
import { compileExperimentFilter, compileExperimentOrderBy } from './search';
import { checkName, checkMaxResults, checkTag, Limits } from './validation';

/** Experiment ids are integers in MLflow's SQL store; the API carries them as strings. */
export function checkExperimentId(value: unknown): number {
  if (value === undefined || value === null || value === '') {
    throw invalid('Missing value for required parameter experiment_id');
  }
  const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    throw invalid(`Invalid experiment id ${JSON.stringify(value)}: expected a whole number`);
  }
  return id;
}

export function createExperiment(
  db: Database,
  name: unknown,
  artifactLocation?: string,
  tags: Tag[] = [],
): string {
  const checkedName = checkName('Experiment', name);
  const checkedTags = tags.map((t) => checkTag(t, Limits.experimentTagValueLength));
  return db.write((tx) => {
    if (tx.get('SELECT 1 FROM experiments WHERE name = ?', [checkedName])) {
      throw exists(`Experiment '${checkedName}' already exists.`);
    }
    const next = tx.get<{ id: number }>(
      'SELECT COALESCE(MAX(experiment_id), 0) + 1 AS id FROM experiments',
    )!.id;
    const now = Date.now();
    tx.run(
      `INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage,
         creation_time, last_update_time) VALUES (?, ?, ?, 'active', ?, ?)`,
      [next, checkedName, artifactLocation || `mlflow-artifacts:/${next}`, now, now],
    );
    for (const tag of checkedTags) {
      tx.run('INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)', [
        tag.key,
        tag.value,
        next,
      ]);
    }
    return String(next);
  });
}

export function getExperiment(db: Database, experimentId: unknown): Experiment {
  const id = checkExperimentId(experimentId);
  const row = db.get('SELECT * FROM experiments WHERE experiment_id = ?', [id]);
  if (!row) throw notFound(`No Experiment with id=${id} exists`);
  return toExperiment(db, row);
}

export function getExperimentByName(db: Database, name: unknown): Experiment {
  const checked = checkName('Experiment', name);
  const row = db.get('SELECT * FROM experiments WHERE name = ?', [checked]);
  if (!row) throw notFound(`Could not find experiment with name '${checked}'`);
  return toExperiment(db, row);
}

export interface ExperimentSearch {
  filter?: string;
  orderBy?: string[];
  viewType?: ViewType;
  maxResults?: number;
  pageToken?: string;
}

export function searchExperiments(db: Database, search: ExperimentSearch = {}): Page<Experiment> {
  const maxResults = checkMaxResults(search.maxResults, 1000, Limits.maxSearchResults);
  const filter = compileExperimentFilter(search.filter);
  const order = compileExperimentOrderBy(search.orderBy);
  const stage = stageClause('e.lifecycle_stage', search.viewType);
  const page = pageOf(
    (limit, offset) =>
      db.all(
        `SELECT e.* FROM experiments e WHERE ${stage} AND (${filter.sql})
         ORDER BY ${order.sql} LIMIT ? OFFSET ?`,
        [...filter.params, ...order.params, limit, offset],
      ),
    maxResults,
    search.pageToken,
  );
  return { ...page, items: page.items.map((row) => toExperiment(db, row)) };
}

export function renameExperiment(db: Database, experimentId: unknown, newName: unknown): void {
  const id = checkExperimentId(experimentId);
  const name = checkName('Experiment', newName);
  db.write((tx) => {
    const row = tx.get<{ lifecycle_stage: string }>(
      'SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?',
      [id],
    );
    if (!row) throw notFound(`No Experiment with id=${id} exists`);
    if (row.lifecycle_stage !== 'active') {
      throw invalid(`Cannot rename a non-active experiment ${id}; restore it first`);
    }
    if (tx.get('SELECT 1 FROM experiments WHERE name = ? AND experiment_id != ?', [name, id])) {
      throw exists(`Experiment '${name}' already exists.`);
    }
    tx.run('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?', [
      name,
      Date.now(),
      id,
    ]);
  });
}

/** Soft delete, as MLflow: the experiment and its runs move to the deleted stage. */
export function setExperimentStage(
  db: Database,
  experimentId: unknown,
  stage: 'active' | 'deleted',
) {
  const id = checkExperimentId(experimentId);
  if (stage === 'deleted' && id === 0) {
    throw invalid('Cannot delete the default experiment 0; it is where runs without one go');
  }
  db.write((tx) => {
    if (!tx.get('SELECT 1 FROM experiments WHERE experiment_id = ?', [id])) {
      throw notFound(`No Experiment with id=${id} exists`);
    }
    const now = Date.now();
    tx.run(
      'UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?',
      [stage, now, id],
    );
    tx.run('UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ?', [
      stage,
      stage === 'deleted' ? now : null,
      id,
    ]);
  });
}

export function setExperimentTag(db: Database, experimentId: unknown, tag: Tag): void {
  const id = checkExperimentId(experimentId);
  const checked = checkTag(tag, Limits.experimentTagValueLength);
  db.write((tx) => {
    requireActive(
      tx.get('SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?', [id]),
      id,
    );
    tx.run(
      `INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)
       ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value`,
      [checked.key, checked.value, id],
    );
  });
}

export function deleteExperimentTag(db: Database, experimentId: unknown, key: unknown): void {
  const id = checkExperimentId(experimentId);
  db.write((tx) => {
    requireActive(
      tx.get('SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?', [id]),
      id,
    );
    const removed = tx.run('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?', [
      id,
      String(key),
    ]);
    if (removed === 0) throw notFound(`No tag with name: ${String(key)} in experiment ${id}`);
  });
}

function requireActive(row: Row | undefined, id: number): void {
  if (!row) throw notFound(`No Experiment with id=${id} exists`);
  if (row.lifecycle_stage !== 'active') {
    throw invalid(`The experiment ${id} must be in the 'active' state; it is deleted`);
  }
}

export function stageClause(column: string, viewType: ViewType | undefined): string {
  switch (viewType ?? 'ACTIVE_ONLY') {
    case 'ACTIVE_ONLY':
      return `${column} = 'active'`;
    case 'DELETED_ONLY':
      return `${column} = 'deleted'`;
    case 'ALL':
      return '1 = 1';
    default:
      throw invalid(
        `Invalid view type ${JSON.stringify(viewType)}: use ACTIVE_ONLY, DELETED_ONLY or ALL`,
      );
  }
}

function toExperiment(db: Database, row: Row): Experiment {
  const id = Number(row.experiment_id);
  const tags = db.all<Tag>('SELECT key, value FROM experiment_tags WHERE experiment_id = ?', [id]);
  return {
    experimentId: String(id),
    name: String(row.name),
    artifactLocation: String(row.artifact_location ?? ''),
    lifecycleStage: row.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: row.creation_time === null ? null : Number(row.creation_time),
    lastUpdateTime: row.last_update_time === null ? null : Number(row.last_update_time),
    tags: tags.map((t) => ({ key: t.key, value: t.value ?? '' })),
  };
}
