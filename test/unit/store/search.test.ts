import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import { migrations } from '../../../src/core/store/schema';
import { compileRunFilter, compileRunOrderBy } from '../../../src/core/store/search';

/**
 * Run search against a real database in MLflow's layout. Five runs, chosen so that each filter
 * below has an answer that a wrong compilation would change:
 *
 *   run  name        status    user   start  end   metrics (latest)                 params
 *   r1   alpha-run   FINISHED  alice  1000   2000  rmse .5, accuracy .9, f1 .8      model xgb, alpha 0.1
 *   r2   beta-run    FAILED    bob    3000   4000  rmse 1.5, accuracy .7, t/loss .3 model lgbm, alpha 0.5
 *   r3   gamma       RUNNING   alice  2000   -     rmse NaN, accuracy .95           model XGB
 *   r4   delta       FINISHED  carol  3000   3500  (none)                           model xgb, alpha 1.0
 *   r5   epsilon     KILLED    -      500    600   rmse .2                          (none)
 */
let db: Database;

before(async () => {
  const SQL = await initSqlJs();
  db = new SQL.Database();
  for (const migration of migrations) db.exec(migration.sql);
  db.exec(fixture);
});

const fixture = `
INSERT INTO experiments (experiment_id, name, lifecycle_stage) VALUES (1, 'churn', 'active');
INSERT INTO runs (run_uuid, name, status, user_id, start_time, end_time, artifact_uri,
                  lifecycle_stage, experiment_id) VALUES
  ('r1', 'alpha-run', 'FINISHED', 'alice', 1000, 2000, 'file:///a/r1', 'active', 1),
  ('r2', 'beta-run', 'FAILED', 'bob', 3000, 4000, 'file:///a/r2', 'active', 1),
  ('r3', 'gamma', 'RUNNING', 'alice', 2000, NULL, 'file:///b/r3', 'active', 1),
  ('r4', 'delta', 'FINISHED', 'carol', 3000, 3500, 'file:///b/r4', 'deleted', 1),
  ('r5', 'epsilon', 'KILLED', NULL, 500, 600, 'file:///a/r5', 'active', 1);
INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES
  ('rmse', 0.1, 10, 0, 0, 'r2'), ('rmse', 1.5, 20, 1, 0, 'r2');
INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES
  ('rmse', 0.5, 1, 0, 0, 'r1'), ('accuracy', 0.9, 1, 0, 0, 'r1'), ('f1 score', 0.8, 1, 0, 0, 'r1'),
  ('rmse', 1.5, 20, 1, 0, 'r2'), ('accuracy', 0.7, 1, 0, 0, 'r2'), ('train/loss', 0.3, 1, 0, 0, 'r2'),
  ('rmse', 0, 1, 0, 1, 'r3'), ('accuracy', 0.95, 1, 0, 0, 'r3'),
  ('rmse', 0.2, 1, 0, 0, 'r5');
INSERT INTO params (key, value, run_uuid) VALUES
  ('model', 'xgb', 'r1'), ('alpha', '0.1', 'r1'),
  ('model', 'lgbm', 'r2'), ('alpha', '0.5', 'r2'),
  ('model', 'XGB', 'r3'),
  ('model', 'xgb', 'r4'), ('alpha', '1.0', 'r4');
INSERT INTO tags (key, value, run_uuid) VALUES
  ('team', 'Vision', 'r1'), ('mlflow.runName', 'alpha-run', 'r1'), ('extra-key', 'yes', 'r1'),
  ('glob', 'abc', 'r1'), ('we\`ird', 'odd', 'r1'),
  ('team', 'vision', 'r2'), ('glob', '[a]c', 'r2'),
  ('team', 'audio', 'r3'), ('note', 'it''s', 'r3'),
  ('team', 'v_sion', 'r4'), ('note', NULL, 'r4'),
  ('extra-key', 'no', 'r5'), ('glob', 'a*c', 'r5');
INSERT INTO experiments (experiment_id, name) VALUES (2, 'other');
INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type,
                      dataset_source) VALUES
  ('d1', 1, 'train.csv', 'abc123', 'local', 'train.csv'),
  ('d2', 1, 'eval.csv', 'def456', 'local', 'eval.csv');
INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) VALUES
  ('i1', 'DATASET', 'd1', 'RUN', 'r1'), ('i2', 'DATASET', 'd2', 'RUN', 'r1'),
  ('i3', 'DATASET', 'd1', 'RUN', 'r2'), ('i4', 'DATASET', 'd2', 'RUN', 'r3'),
  ('i5', 'MODEL', 'd1', 'RUN', 'r5');
INSERT INTO input_tags (input_uuid, name, value) VALUES
  ('i1', 'mlflow.data.context', 'training'), ('i2', 'mlflow.data.context', 'evaluation'),
  ('i3', 'mlflow.data.context', 'training'), ('i5', 'mlflow.data.context', 'training');
`;

/** The ids of the runs a filter selects, in the order given by `orderBy`. */
function search(filter?: string, orderBy?: string[]): string[] {
  const where = compileRunFilter(filter);
  const order = compileRunOrderBy(orderBy);
  const sql = `SELECT r.run_uuid FROM runs r WHERE ${where.sql} ORDER BY ${order.sql}`;
  const [result] = db.exec(sql, [...where.params, ...order.params]);
  return result ? result.values.map((row) => String(row[0])) : [];
}

/** The ids a filter selects, sorted, for tests about which runs match rather than their order. */
function matching(filter: string): string[] {
  return search(filter).sort();
}

describe('run filters', () => {
  test('an empty or missing filter matches every run', () => {
    assert.deepEqual(compileRunFilter(), { sql: '1 = 1', params: [] });
    assert.deepEqual(matching('   '), ['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  test('metrics compare the latest value, not earlier ones in the history', () => {
    assert.deepEqual(matching('metrics.rmse < 1'), ['r1', 'r5']);
    assert.deepEqual(matching('metric.rmse = 1.5'), ['r2']);
  });

  test('every numeric comparator selects the runs it should', () => {
    assert.deepEqual(matching('metrics.accuracy = 0.9'), ['r1']);
    assert.deepEqual(matching('metrics.accuracy != 0.9'), ['r2', 'r3']);
    assert.deepEqual(matching('metrics.accuracy < 0.9'), ['r2']);
    assert.deepEqual(matching('metrics.accuracy <= 0.9'), ['r1', 'r2']);
    assert.deepEqual(matching('metrics.accuracy > 0.9'), ['r3']);
    assert.deepEqual(matching('metrics.accuracy >= 0.9'), ['r1', 'r3']);
  });

  test('numbers may be negative, fractional or written with an exponent', () => {
    assert.deepEqual(matching('metrics.rmse > -1 and metrics.rmse < 5e-1'), ['r5']);
    assert.deepEqual(matching('metrics.rmse <= 5E-1'), ['r1', 'r5']);
    assert.deepEqual(matching('metrics.rmse <= .5'), ['r1', 'r5']);
    assert.deepEqual(matching('metrics.rmse >= 15e-1'), ['r2']);
  });

  test('a NaN metric satisfies no comparison but still counts as present', () => {
    assert.deepEqual(matching('metrics.rmse != 7'), ['r1', 'r2', 'r5']);
    assert.deepEqual(matching('metrics.rmse > -1e300'), ['r1', 'r2', 'r5']);
    assert.deepEqual(matching('metrics.rmse = 0'), []);
    assert.deepEqual(matching('metrics.rmse IS NOT NULL'), ['r1', 'r2', 'r3', 'r5']);
    assert.deepEqual(matching('metrics.rmse IS NULL'), ['r4']);
  });

  test('params compare as case-sensitive strings and a run without the param never matches', () => {
    assert.deepEqual(matching("params.model = 'xgb'"), ['r1', 'r4']);
    assert.deepEqual(matching("params.model != 'xgb'"), ['r2', 'r3']);
    assert.deepEqual(matching('param.alpha = "0.5"'), ['r2']);
    assert.deepEqual(matching("parameter.alpha != '0.5'"), ['r1', 'r4']);
    assert.deepEqual(matching('params.alpha IS NULL'), ['r3', 'r5']);
  });

  test('tags compare as strings, and a tag whose value is NULL counts as absent', () => {
    assert.deepEqual(matching("tags.team = 'Vision'"), ['r1']);
    assert.deepEqual(matching("tag.team != 'Vision'"), ['r2', 'r3', 'r4']);
    assert.deepEqual(matching('tags.note IS NOT NULL'), ['r3']);
    assert.deepEqual(matching('tags.note IS NULL'), ['r1', 'r2', 'r4', 'r5']);
  });

  test('LIKE is case-sensitive while ILIKE ignores case', () => {
    assert.deepEqual(matching("tags.team LIKE 'Vis%'"), ['r1']);
    assert.deepEqual(matching("tags.team ILIKE 'vis%'"), ['r1', 'r2']);
    assert.deepEqual(matching("params.model LIKE 'x%'"), ['r1', 'r4']);
    assert.deepEqual(matching("params.model ILIKE 'X_B'"), ['r1', 'r3', 'r4']);
  });

  test('in LIKE, _ matches one character and a backslash makes a wildcard literal', () => {
    assert.deepEqual(matching("tags.team LIKE 'v_sion'"), ['r2', 'r4']);
    assert.deepEqual(matching("tags.team LIKE 'v\\_sion'"), ['r4']);
    assert.deepEqual(matching("tags.team ILIKE 'V\\_SION'"), ['r4']);
    assert.deepEqual(matching("tags.team LIKE '%sion'"), ['r1', 'r2', 'r4']);
  });

  test("GLOB's own wildcards are literal characters in a LIKE pattern", () => {
    assert.deepEqual(matching("tags.glob LIKE 'a*c'"), ['r5']);
    assert.deepEqual(matching("tags.glob LIKE '[a]%'"), ['r2']);
    assert.deepEqual(matching("tags.glob LIKE 'a?c'"), []);
  });

  test('string attributes are reachable bare and under every attribute prefix', () => {
    assert.deepEqual(matching("status = 'FINISHED'"), ['r1', 'r4']);
    assert.deepEqual(matching("attributes.status != 'FINISHED'"), ['r2', 'r3', 'r5']);
    assert.deepEqual(matching("attribute.user_id = 'alice'"), ['r1', 'r3']);
    assert.deepEqual(matching("attr.run_name LIKE '%-run'"), ['r1', 'r2']);
    assert.deepEqual(matching("run.run_id = 'r3'"), ['r3']);
    assert.deepEqual(matching("run_name = 'gamma'"), ['r3']);
    assert.deepEqual(matching("attributes.artifact_uri LIKE 'file:///a/%'"), ['r1', 'r2', 'r5']);
    assert.deepEqual(matching("lifecycle_stage = 'deleted'"), ['r4']);
    assert.deepEqual(matching('user_id IS NULL'), ['r5']);
  });

  test('time attributes compare as numbers, and created is the start time', () => {
    assert.deepEqual(matching('attributes.start_time >= 2000'), ['r2', 'r3', 'r4']);
    assert.deepEqual(matching('created < 1000'), ['r5']);
    assert.deepEqual(matching('end_time > 3000'), ['r2', 'r4']);
    assert.deepEqual(matching('attributes.end_time IS NULL'), ['r3']);
  });

  test('IN and NOT IN work for run ids, params, tags and metrics', () => {
    assert.deepEqual(matching("attributes.run_id IN ('r1', 'r3')"), ['r1', 'r3']);
    assert.deepEqual(matching("run_id NOT IN ('r1','r3')"), ['r2', 'r4', 'r5']);
    assert.deepEqual(matching('params.model IN ("xgb", "lgbm")'), ['r1', 'r2', 'r4']);
    assert.deepEqual(matching("params.model NOT IN ('xgb', 'lgbm')"), ['r3']);
    assert.deepEqual(matching("tags.team in ('audio')"), ['r3']);
    assert.deepEqual(matching('metrics.accuracy IN (0.9, 0.7)'), ['r1', 'r2']);
  });

  test('a run matches a dataset filter when any of its dataset inputs matches', () => {
    assert.deepEqual(matching("datasets.name = 'train.csv'"), ['r1', 'r2']);
    assert.deepEqual(matching("datasets.digest IN ('def456')"), ['r1', 'r3']);
    assert.deepEqual(matching("dataset.name NOT IN ('train.csv')"), ['r1', 'r3']);
    assert.deepEqual(matching("datasets.name LIKE '%.csv'"), ['r1', 'r2', 'r3']);
  });

  test('the dataset context is the input tag mlflow.data.context', () => {
    assert.deepEqual(matching("datasets.context = 'training'"), ['r1', 'r2']);
    assert.deepEqual(matching("datasets.context = 'evaluation'"), ['r1']);
    assert.deepEqual(matching("datasets.context IN ('training', 'evaluation')"), ['r1', 'r2']);
  });

  test('AND binds tighter than OR, and parentheses override it', () => {
    const loose = "status = 'FAILED' OR status = 'FINISHED' AND params.model = 'xgb'";
    const grouped = "(status = 'FAILED' OR status = 'FINISHED') AND params.model = 'xgb'";

    assert.deepEqual(matching(loose), ['r1', 'r2', 'r4']);
    assert.deepEqual(matching(grouped), ['r1', 'r4']);
  });

  test('parentheses nest and OR chains of any length work', () => {
    const filter =
      "((run_id = 'r1' OR run_id = 'r2') AND (metrics.rmse > 1 OR tags.team = 'Vision'))";

    assert.deepEqual(matching(filter), ['r1', 'r2']);
    assert.deepEqual(matching("run_id = 'r1' or run_id = 'r3' or run_id = 'r5'"), [
      'r1',
      'r3',
      'r5',
    ]);
  });

  test('keywords and attribute names are case-insensitive', () => {
    const filter = "STATUS = 'FINISHED' and params.model like 'x%' Or tags.team iLike 'AUDIO'";

    assert.deepEqual(matching(filter), ['r1', 'r3', 'r4']);
    assert.deepEqual(matching("run_id Not In ('r1') AND metrics.rmse Is Not Null"), [
      'r2',
      'r3',
      'r5',
    ]);
  });

  test('names with special characters go in backticks or double quotes', () => {
    assert.deepEqual(matching('metrics.`f1 score` > 0.7'), ['r1']);
    assert.deepEqual(matching('tags."extra-key" = \'yes\''), ['r1']);
    assert.deepEqual(matching("tags.`we``ird` = 'odd'"), ['r1']);
  });

  test('a bare key may contain dots, slashes and dashes', () => {
    assert.deepEqual(matching("tags.mlflow.runName = 'alpha-run'"), ['r1']);
    assert.deepEqual(matching('metrics.train/loss < 1'), ['r2']);
    assert.deepEqual(matching("tags.extra-key = 'no'"), ['r5']);
  });

  test('a quote inside a string is written twice', () => {
    assert.deepEqual(matching("tags.note = 'it''s'"), ['r3']);
    assert.deepEqual(matching('tags.note = "it\'s"'), ['r3']);
  });
});

describe('run order_by', () => {
  test('the default order is start_time DESC, then run id', () => {
    assert.deepEqual(search(), ['r2', 'r4', 'r3', 'r1', 'r5']);
    assert.deepEqual(compileRunOrderBy([]), {
      sql: 'r.start_time DESC, r.run_uuid ASC',
      params: [],
    });
  });

  test('runs without the metric sort last and NaN just before them, in either direction', () => {
    assert.deepEqual(search(undefined, ['metrics.rmse ASC']), ['r5', 'r1', 'r2', 'r3', 'r4']);
    assert.deepEqual(search(undefined, ['metrics.rmse DESC']), ['r2', 'r1', 'r5', 'r3', 'r4']);
  });

  test('runs without the param or tag sort last, ties falling back to the start time', () => {
    assert.deepEqual(search(undefined, ['params.alpha DESC']), ['r4', 'r2', 'r1', 'r3', 'r5']);
    assert.deepEqual(search(undefined, ['params.alpha']), ['r1', 'r2', 'r4', 'r3', 'r5']);
    assert.deepEqual(search(undefined, ['tags.`extra-key` asc']), ['r5', 'r1', 'r2', 'r4', 'r3']);
  });

  test('attributes order with missing values last', () => {
    assert.deepEqual(search(undefined, ['attributes.end_time']), ['r5', 'r1', 'r4', 'r2', 'r3']);
    assert.deepEqual(search(undefined, ['end_time desc']), ['r2', 'r4', 'r1', 'r5', 'r3']);
  });

  test('equal start times are ordered by run id', () => {
    assert.deepEqual(search(undefined, ['attributes.start_time ASC']), [
      'r5',
      'r1',
      'r3',
      'r2',
      'r4',
    ]);
  });

  test('several clauses apply in turn', () => {
    const order = ['params.model', 'metrics.accuracy DESC'];

    assert.deepEqual(search(undefined, order), ['r3', 'r2', 'r1', 'r4', 'r5']);
  });

  test("the filter's parameters come before the order's, matching their place in the query", () => {
    const order = ['metrics.rmse DESC'];

    assert.deepEqual(search("params.model IN ('xgb', 'XGB')", order), ['r1', 'r3', 'r4']);
  });

  test("the SQL always ends with MLflow's tie-breakers", () => {
    const { sql } = compileRunOrderBy(['metrics.rmse', 'tags.team DESC']);

    assert.match(sql, /, r\.start_time DESC, r\.run_uuid ASC$/);
  });

  test('naming a field twice, under any spelling, is an error', () => {
    assert.throws(() => compileRunOrderBy(['metrics.rmse', 'metric.rmse DESC']), {
      message:
        "Invalid order_by clause 'metric.rmse DESC': metric.rmse is already ordered by an " +
        'earlier order_by clause',
    });
    assert.throws(() => compileRunOrderBy(['created', 'start_time']), /already ordered/);
  });

  test('datasets cannot be ordered by, since a run may have several', () => {
    assert.throws(() => compileRunOrderBy(['datasets.name']), /unknown prefix 'datasets\.'/);
  });
});
