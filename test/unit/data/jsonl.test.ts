import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTable } from '../../../src/core/data/read';
import { DataError, type NumericColumn, type StringColumn } from '../../../src/core/data/types';
import { asRecord, column, dataFiles } from './helpers';

const ROWS = [
  '{"id": 1, "city": "Oslo", "ok": true, "score": 0.5}',
  '{"id": 2, "city": null, "ok": false, "tags": ["a", "b"]}',
  '',
  '{"score": 1.25, "id": 3, "meta": {"k": 1}}',
  '{"id": 4, "city": "Lima", "ok": true, "score": 2}',
];

test('keys become columns in order of first appearance; absent keys and nulls are missing', async (t) => {
  const file = dataFiles(t)('rows.jsonl', `${ROWS.join('\n')}\n`);

  for (const chunkSize of [1, 5, 17, undefined]) {
    const table = await readTable(file, { chunkSize });

    assert.equal(table.rows, 4);
    assert.equal(table.format, 'jsonl');
    assert.deepEqual(
      asRecord(table),
      {
        id: [1, 2, 3, 4],
        city: ['Oslo', null, null, 'Lima'],
        ok: ['true', 'false', null, 'true'],
        score: [0.5, NaN, 1.25, 2],
        tags: [null, '["a","b"]', null, null],
        meta: [null, null, '{"k":1}', null],
      },
      `chunk ${chunkSize}`,
    );
  }
});

test('booleans make a boolean string column; whole numbers without gaps are integers', async (t) => {
  const file = dataFiles(t)('rows.ndjson', `${ROWS.join('\r\n')}`);

  const table = await readTable(file);

  assert.equal((column(table, 'ok') as StringColumn).boolean, true);
  assert.equal((column(table, 'city') as StringColumn).boolean, undefined);
  assert.equal((column(table, 'id') as NumericColumn).integer, true);
  assert.equal((column(table, 'score') as NumericColumn).integer, false);
});

test('a key holding numbers and then strings becomes a string column', async (t) => {
  const file = dataFiles(t)(
    'mixed.jsonl',
    '{"v": 1}\n{"v": null}\n{"v": 2.5}\n{"v": "x"}\n{"v": true}\n',
  );

  const table = await readTable(file);
  const v = column(table, 'v') as StringColumn;

  assert.deepEqual(asRecord(table), { v: ['1', null, '2.5', 'x', 'true'] });
  assert.equal(v.boolean, undefined);
});

test('a line that is not JSON is an error naming its line', async (t) => {
  const file = dataFiles(t)('bad.jsonl', '{"a": 1}\n\n{"a": 2,}\n{"a": 3}\n');

  await assert.rejects(readTable(file, { chunkSize: 4 }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.line, 3);
    assert.match(error.message, /bad\.jsonl:3(:\d+)?: not valid JSON \(/);
    assert.doesNotMatch(error.message, /"a": 2/, 'the row itself is not echoed');
    return true;
  });
});

test('trailing text after an object is an error with its column', async (t) => {
  const file = dataFiles(t)('bad.jsonl', '{"a": 1} {"a": 2}\n');

  await assert.rejects(readTable(file), /bad\.jsonl:1:10: not valid JSON/);
});

test('a line holding something other than an object is an error naming what it holds', async (t) => {
  const write = dataFiles(t);

  await assert.rejects(
    readTable(write('a.jsonl', '{"a": 1}\n[1, 2]\n')),
    /a\.jsonl:2: .*holds an array/,
  );
  await assert.rejects(readTable(write('b.jsonl', '3\n')), /b\.jsonl:1: .*holds a number/);
  await assert.rejects(readTable(write('c.jsonl', 'null\n')), /holds null/);
});

test('an empty file, or one of blank lines, has no rows and says so', async (t) => {
  const write = dataFiles(t);

  await assert.rejects(readTable(write('empty.jsonl', '')), /has no rows/);
  await assert.rejects(readTable(write('blank.jsonl', '\n \r\n')), /has no rows/);
});

test('only the keys asked for are kept; a key no row has is named with the keys seen', async (t) => {
  const file = dataFiles(t)('rows.jsonl', `${ROWS.join('\n')}\n`);

  const table = await readTable(file, { columns: ['score', 'id'] });

  assert.deepEqual(asRecord(table), { id: [1, 2, 3, 4], score: [0.5, NaN, 1.25, 2] });
  await assert.rejects(
    readTable(file, { columns: ['id', 'price'] }),
    /no row of .* has the key "price"\. Its keys are: "id", "city", "ok", "score"/,
  );
});

test('a UTF-8 byte order mark and long lines across many chunks are read', async (t) => {
  const long = 'é'.repeat(3000);
  const file = dataFiles(t)('bom.jsonl', `\uFEFF{"text": "${long}"}\n{"text": "b"}\n`);

  const table = await readTable(file, { chunkSize: 16 });

  assert.deepEqual(asRecord(table), { text: [long, 'b'] });
});
