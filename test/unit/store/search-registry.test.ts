import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import { migrations } from '../../../src/core/store/schema';
import {
  compileExperimentFilter,
  compileExperimentOrderBy,
  compileModelVersionFilter,
  compileModelVersionOrderBy,
  compileRegisteredModelFilter,
  compileRegisteredModelOrderBy,
  type SqlFragment,
} from '../../../src/core/store/search';

/**
 * Experiment and registry search against a real database in MLflow's layout. Experiments 2 and
 * 4 share a creation time, so their order shows the tie-breaker; names differ only in case
 * where LIKE and ILIKE must disagree.
 */
let db: Database;

before(async () => {
  const SQL = await initSqlJs();
  db = new SQL.Database();
  for (const migration of migrations) db.exec(migration.sql);
  db.exec(fixture);
});

const fixture = `
INSERT INTO experiments (experiment_id, name, lifecycle_stage, creation_time, last_update_time)
VALUES (1, 'churn-model', 'active', 100, 500), (2, 'Churn-baseline', 'active', 300, 300),
       (3, 'fraud', 'active', 200, 900), (4, 'upsell', 'active', 300, 400);
INSERT INTO experiment_tags (key, value, experiment_id) VALUES
  ('team', 'growth', 1), ('team', 'risk', 3), ('mlflow.note.content', 'base', 2);
INSERT INTO registered_models (name, creation_time, last_updated_time) VALUES
  ('churn', 100, 900), ('Churn-v2', 200, 200), ('fraud', 300, 300);
INSERT INTO registered_model_tags (key, value, name) VALUES
  ('owner', 'ana', 'churn'), ('owner', 'ben', 'fraud'), ('data set', 'crm', 'Churn-v2');
INSERT INTO model_versions (name, version, creation_time, last_updated_time, source, run_id,
                            current_stage, status) VALUES
  ('churn', 1, 10, 10, 'runs:/r1/model', 'r1', 'None', 'READY'),
  ('churn', 2, 30, 30, 'models:/m-2', 'r2', 'None', 'READY'),
  ('churn', 3, 20, 40, 'runs:/r1/model-b', 'r1', 'None', 'READY'),
  ('fraud', 1, 40, 50, 'runs:/r3/model', 'r3', 'None', 'READY');
INSERT INTO model_version_tags (key, value, name, version) VALUES
  ('validation', 'approved', 'churn', 2), ('validation', 'rejected', 'churn', 3),
  ('validation', 'approved', 'fraud', 1);
`;

/** Runs `SELECT <id> FROM <table> WHERE <filter> ORDER BY <order>` and returns the ids. */
function select(id: string, table: string, where: SqlFragment, order: SqlFragment): string[] {
  const sql = `SELECT ${id} FROM ${table} WHERE ${where.sql} ORDER BY ${order.sql}`;
  const [result] = db.exec(sql, [...where.params, ...order.params]);
  return result ? result.values.map((row) => String(row[0])) : [];
}

function experiments(filter?: string, orderBy?: string[]): string[] {
  const where = compileExperimentFilter(filter);
  return select('e.name', 'experiments e', where, compileExperimentOrderBy(orderBy));
}

function models(filter?: string, orderBy?: string[]): string[] {
  const where = compileRegisteredModelFilter(filter);
  return select('rm.name', 'registered_models rm', where, compileRegisteredModelOrderBy(orderBy));
}

function versions(filter?: string, orderBy?: string[]): string[] {
  const where = compileModelVersionFilter(filter);
  const order = compileModelVersionOrderBy(orderBy);
  return select("mv.name || '/' || mv.version", 'model_versions mv', where, order);
}

describe('experiment search', () => {
  test('name compares bare or as an attribute, with LIKE case-sensitive and ILIKE not', () => {
    assert.deepEqual(experiments("name = 'fraud'"), ['fraud']);
    assert.deepEqual(experiments("attributes.name LIKE 'churn%'"), ['churn-model']);
    assert.deepEqual(experiments("name ILIKE 'churn%'"), ['Churn-baseline', 'churn-model']);
    assert.deepEqual(experiments("name != 'fraud'", ['name']), [
      'Churn-baseline',
      'churn-model',
      'upsell',
    ]);
  });

  test('creation and update times compare as numbers', () => {
    assert.deepEqual(experiments('attributes.creation_time >= 200'), [
      'Churn-baseline',
      'upsell',
      'fraud',
    ]);
    assert.deepEqual(experiments('last_update_time < 400'), ['Churn-baseline']);
    assert.throws(() => experiments("creation_time = '100'"), /expected a number/);
  });

  test('tags filter through experiment_tags, with OR, parentheses and IN', () => {
    assert.deepEqual(experiments("tags.team = 'growth'"), ['churn-model']);
    assert.deepEqual(experiments("tags.team IN ('growth', 'risk')"), ['fraud', 'churn-model']);
    assert.deepEqual(experiments("tags.`mlflow.note.content` = 'base' OR (tags.team LIKE 'r%')"), [
      'Churn-baseline',
      'fraud',
    ]);
    assert.deepEqual(experiments('tags.team IS NULL'), ['Churn-baseline', 'upsell']);
  });

  test('by default experiments come newest first, equal times by ascending id', () => {
    assert.deepEqual(experiments(), ['Churn-baseline', 'upsell', 'fraud', 'churn-model']);
  });

  test("a given order ends with MLflow's experiment_id DESC tie-breaker", () => {
    assert.deepEqual(experiments(undefined, ['creation_time DESC']), [
      'upsell',
      'Churn-baseline',
      'fraud',
      'churn-model',
    ]);
    assert.deepEqual(
      compileExperimentOrderBy(['name']).sql,
      'e.name ASC NULLS LAST, e.experiment_id DESC',
    );
  });

  test('experiments order by id and last update time', () => {
    assert.deepEqual(experiments(undefined, ['experiment_id DESC']), [
      'upsell',
      'fraud',
      'Churn-baseline',
      'churn-model',
    ]);
    assert.deepEqual(experiments(undefined, ['attributes.last_update_time']), [
      'Churn-baseline',
      'upsell',
      'churn-model',
      'fraud',
    ]);
  });

  test('run fields are unknown to experiment search', () => {
    assert.throws(() => experiments("status = 'x'"), {
      message:
        "Invalid filter 'status = 'x'': unknown attribute 'status' at position 1; valid " +
        'attributes are creation_time, last_update_time, name; other names need a prefix, ' +
        'as in tags.<name>',
    });
    assert.throws(() => experiments('metrics.x = 1'), /unknown prefix 'metrics\.'/);
  });
});

describe('registered model search', () => {
  test('name supports =, !=, LIKE, ILIKE and IN', () => {
    assert.deepEqual(models("name = 'churn'"), ['churn']);
    assert.deepEqual(models("name != 'churn'"), ['Churn-v2', 'fraud']);
    assert.deepEqual(models("name LIKE 'churn%'"), ['churn']);
    assert.deepEqual(models("name ILIKE 'churn%'"), ['Churn-v2', 'churn']);
    assert.deepEqual(models("name IN ('fraud', 'nope')"), ['fraud']);
  });

  test('tags filter through registered_model_tags, including names in quotes', () => {
    assert.deepEqual(models("tags.owner = 'ana' OR tags.owner = 'ben'"), ['churn', 'fraud']);
    assert.deepEqual(models('tags."data set" = \'crm\''), ['Churn-v2']);
  });

  test('by default models are ordered by name', () => {
    assert.deepEqual(models(), ['Churn-v2', 'churn', 'fraud']);
  });

  test('models order by creation and last update, with name as tie-breaker', () => {
    assert.deepEqual(models(undefined, ['creation_timestamp DESC']), [
      'fraud',
      'Churn-v2',
      'churn',
    ]);
    assert.deepEqual(models(undefined, ['last_updated_timestamp']), ['Churn-v2', 'fraud', 'churn']);
    assert.deepEqual(models(undefined, ['timestamp DESC']), ['churn', 'fraud', 'Churn-v2']);
    assert.match(compileRegisteredModelOrderBy(['creation_timestamp']).sql, /, rm\.name ASC$/);
  });

  test('only name and tags can be filtered on', () => {
    assert.throws(() => models("run_id = 'r1'"), /valid attributes are name;/);
    assert.throws(() => models('creation_timestamp > 1'), /unknown attribute 'creation_timestamp'/);
  });
});

describe('model version search', () => {
  test('name, run_id and source filter the versions', () => {
    assert.deepEqual(versions("name = 'fraud'"), ['fraud/1']);
    assert.deepEqual(versions("run_id = 'r1'"), ['churn/3', 'churn/1']);
    assert.deepEqual(versions("run_id IN ('r2', 'r3')"), ['churn/2', 'fraud/1']);
    assert.deepEqual(versions("run_id NOT IN ('r1')"), ['churn/2', 'fraud/1']);
    assert.deepEqual(versions("source_path LIKE 'runs:/%' AND name = 'churn'"), [
      'churn/3',
      'churn/1',
    ]);
    assert.deepEqual(versions("source = 'models:/m-2'"), ['churn/2']);
  });

  test('version_number and version compare as numbers', () => {
    assert.deepEqual(versions('version_number = 2'), ['churn/2']);
    assert.deepEqual(versions('version >= 2'), ['churn/3', 'churn/2']);
    assert.throws(() => versions("version_number = '2'"), /expected a number for version_number/);
  });

  test('tags filter through model_version_tags, matched on name and version', () => {
    assert.deepEqual(versions("tags.validation = 'approved'"), ['churn/2', 'fraud/1']);
    assert.deepEqual(versions("name = 'churn' AND tags.validation IS NULL"), ['churn/1']);
  });

  test('by default versions are ordered by name, then newest version first', () => {
    assert.deepEqual(versions(), ['churn/3', 'churn/2', 'churn/1', 'fraud/1']);
  });

  test('versions order by creation, update and version, then the tie-breakers', () => {
    assert.deepEqual(versions(undefined, ['creation_timestamp DESC']), [
      'fraud/1',
      'churn/2',
      'churn/3',
      'churn/1',
    ]);
    assert.deepEqual(versions(undefined, ['version_number ASC']), [
      'churn/1',
      'fraud/1',
      'churn/2',
      'churn/3',
    ]);
    assert.deepEqual(versions(undefined, ['last_updated_timestamp']), [
      'churn/1',
      'churn/2',
      'churn/3',
      'fraud/1',
    ]);
  });
});
