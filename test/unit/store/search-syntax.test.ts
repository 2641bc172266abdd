import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import initSqlJs, { type Database } from 'sql.js';
import { MlflowError } from '../../../src/core/store/errors';
import { migrations } from '../../../src/core/store/schema';
import { compileRunFilter, compileRunOrderBy } from '../../../src/core/store/search';

/** Asserts that a run filter is refused with exactly this message, as INVALID_PARAMETER_VALUE. */
function rejects(filter: string, message: string) {
  assert.throws(
    () => compileRunFilter(filter),
    (error: unknown) => {
      assert.ok(error instanceof MlflowError);
      assert.equal(error.code, 'INVALID_PARAMETER_VALUE');
      assert.equal(error.message, `Invalid filter '${filter}': ${message}`);
      return true;
    },
  );
}

describe('filter syntax errors', () => {
  test('a missing value names the comparator, the position and the end of the filter', () => {
    rejects('metrics.rmse <', "expected a value after '<' at position 15 (end of filter)");
  });

  test('a string where a number belongs is named with its position', () => {
    rejects("metrics.rmse < 'a'", "expected a number for metrics.rmse at position 16, got 'a'");
  });

  test('an unquoted value for a param is refused, since MLflow compares params as strings', () => {
    rejects(
      'params.x = 1',
      "expected a quoted string for params.x at position 12, got 1 (its values are strings: write '1')",
    );
    rejects(
      'status = FINISHED',
      "expected a value after '=' at position 10, got 'FINISHED' (strings go in single or double quotes)",
    );
  });

  test('an unknown attribute lists the valid ones', () => {
    rejects(
      "attributes.colour = 'red'",
      "unknown attribute 'attributes.colour' at position 1; valid attributes are artifact_uri, " +
        'created, end_time, lifecycle_stage, run_id, run_name, start_time, status, user_id',
    );
    rejects(
      'rmse < 1',
      "unknown attribute 'rmse' at position 1; valid attributes are artifact_uri, created, " +
        'end_time, lifecycle_stage, run_id, run_name, start_time, status, user_id; other names ' +
        'need a prefix, as in metrics.<name>',
    );
  });

  test('an unknown prefix or dataset field is named with the valid choices', () => {
    rejects(
      'metricz.rmse < 1',
      "unknown prefix 'metricz.' in metricz.rmse at position 1; valid prefixes are attributes., " +
        'attribute., attr., run., datasets., dataset., metrics., metric., params., param., ' +
        'parameters., parameter., tags., tag.',
    );
    rejects(
      "datasets.size = '1'",
      "unknown field 'datasets.size' at position 1; valid datasets fields are context, digest, name",
    );
  });

  test('an unclosed quote or backtick names where it opened', () => {
    rejects("params.x = 'abc", 'unclosed single quote opened at position 12');
    rejects('tags."abc = 1', 'unclosed double quote opened at position 6');
    rejects("metrics.`f1 score > 1 and params.a = 'b'", 'unclosed backtick opened at position 9');
  });

  test('a comparator that does not fit the field type is refused', () => {
    rejects(
      "metrics.rmse LIKE '1%'",
      'comparator LIKE at position 14 does not apply to metrics.rmse, which is a number; use ' +
        '=, !=, <, <=, >, >=, IN, NOT IN, IS NULL, IS NOT NULL',
    );
    rejects(
      "params.x > '1'",
      'comparator > at position 10 does not apply to params.x, which is a string; use ' +
        '=, !=, LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL',
    );
  });

  test('a missing comparator, a stray token or an unbalanced parenthesis is pointed at', () => {
    rejects(
      'metrics.rmse 1',
      'expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL or ' +
        "IS NOT NULL) after 'metrics.rmse' at position 14, got '1'",
    );
    rejects(
      "status = 'a' status = 'b'",
      "expected AND, OR or the end of the filter at position 14, got 'status'",
    );
    rejects("(status = 'a'", "expected AND, OR or ')' at position 14 (end of filter)");
    rejects("status = 'a')", "expected AND, OR or the end of the filter at position 13, got ')'");
    rejects(
      "status = 'a' AND",
      'expected an identifier such as metrics.rmse, params.alpha or tags.team at position 17 (end of filter)',
    );
    rejects(
      "AND status = 'a'",
      "expected an identifier such as metrics.rmse, params.alpha or tags.team at position 1, got 'AND'",
    );
  });

  test('NOT, IS and IN must be complete', () => {
    rejects("run_id NOT ('a')", "expected IN after 'NOT' at position 12, got '('");
    rejects('params.x IS 1', "expected NULL after 'IS' at position 13, got '1'");
    rejects("run_id IN 'a'", "expected '(' after 'IN' at position 11, got 'a'");
    rejects('run_id IN ()', "expected a value after '(' at position 12, got ')'");
    rejects("run_id IN ('a',)", "expected a value after ',' at position 16, got ')'");
    rejects("run_id IN ('a' 'b')", "expected ',' or ')' at position 16, got 'b'");
  });

  test('names take backticks or double quotes but not single quotes, and values the reverse', () => {
    rejects(
      "tags.'x' = 'y'",
      "expected a name in backticks or double quotes after 'tags.' at position 6, got 'x'",
    );
    rejects('status = `FINISHED`', "expected a value after '=' at position 10, got `FINISHED`");
    rejects("tags.`` = 'y'", "empty name after 'tags.' at position 6");
  });

  test('malformed numbers and stray characters are refused where they occur', () => {
    rejects('metrics.x > 1.2.3', "malformed number '1.2.3' at position 13");
    rejects('metrics.x > 12abc', "malformed number '12abc' at position 13");
    rejects('metrics.x > 1e999', 'number 1e999 at position 13 is out of range');
    rejects("status == 'a'", "expected a value after '=' at position 9, got '='");
    rejects("status = 'a' && run_id = 'b'", "unexpected character '&' at position 14");
  });
});

describe('order_by syntax errors', () => {
  test('a clause that does not parse is quoted with the position of the problem', () => {
    assert.throws(() => compileRunOrderBy(['metrics.rmse UP']), {
      message:
        "Invalid order_by clause 'metrics.rmse UP': expected ASC, DESC or the end of the clause " +
        "at position 14, got 'UP'",
    });
    assert.throws(() => compileRunOrderBy(['']), {
      message:
        "Invalid order_by clause '': expected an identifier such as metrics.rmse, params.alpha " +
        'or tags.team at position 1 (end of order_by clause)',
    });
    assert.throws(() => compileRunOrderBy(['rmse']), /unknown attribute 'rmse'/);
  });
});

describe('injection attempts', () => {
  let db: Database;

  before(async () => {
    const SQL = await initSqlJs();
    db = new SQL.Database();
    for (const migration of migrations) db.exec(migration.sql);
    db.exec(`INSERT INTO runs (run_uuid, name, status, start_time) VALUES ('r1', 'a', 'FINISHED', 1);
             INSERT INTO params (key, value, run_uuid) VALUES ('x', 'a', 'r1');
             INSERT INTO tags (key, value, run_uuid) VALUES ('k', 'x', 'r1');`);
  });

  function runIds(filter: string, orderBy?: string[]): string[] {
    const where = compileRunFilter(filter);
    const order = compileRunOrderBy(orderBy);
    const sql = `SELECT r.run_uuid FROM runs r WHERE ${where.sql} ORDER BY ${order.sql}`;
    const [result] = db.exec(sql, [...where.params, ...order.params]);
    return result ? result.values.map((row) => String(row[0])) : [];
  }

  function runCount(): number {
    return Number(db.exec('SELECT COUNT(*) FROM runs')[0].values[0][0]);
  }

  test('a quote smuggled into a value stays inside the bound value', () => {
    const hostile = compileRunFilter("params.x = 'a'' OR 1=1 --'");

    assert.equal(hostile.sql, compileRunFilter("params.y = 'b'").sql);
    assert.deepEqual(hostile.params, ['x', "a' OR 1=1 --"]);
    assert.deepEqual(runIds("params.x = 'a'' OR 1=1 --'"), []);
  });

  test('a key holding SQL is bound as a key and matches nothing', () => {
    const filter = "tags.`k'); DROP TABLE runs; --` = 'x' OR params.\"x\"\" OR 1=1\" = 'a'";

    assert.deepEqual(runIds(filter, ['tags.`k; DELETE FROM runs` DESC']), []);
    assert.equal(runCount(), 1);
    assert.doesNotMatch(compileRunFilter(filter).sql, /DROP|1=1/);
  });

  test('SQL after a closed backtick is a syntax error, not a second statement', () => {
    assert.throws(
      () => compileRunFilter("tags.`k`; DROP TABLE runs` = 'x'"),
      /unexpected character ';' at position 9/,
    );
    assert.equal(runCount(), 1);
  });

  test('LIKE patterns and IN lists carry hostile text as values', () => {
    assert.deepEqual(runIds("tags.k LIKE '%'' OR ''1''=''1'"), []);
    assert.deepEqual(runIds("run_id IN ('r2'') OR (''1''=''1')"), []);
    assert.deepEqual(runIds("run_id IN ('r1', 'x'')--')"), ['r1']);
  });

  test('a name like an object property is just an unknown attribute', () => {
    assert.throws(() => compileRunFilter("constructor = 'x'"), /unknown attribute 'constructor'/);
    assert.throws(() => compileRunFilter("datasets.__proto__ = 'x'"), /unknown field/);
    assert.deepEqual(runIds("tags.__proto__ = 'x'"), []);
  });
});
