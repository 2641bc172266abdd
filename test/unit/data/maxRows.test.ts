import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readTable } from '../../../src/core/data/read';
import { asRecord, dataFiles } from './helpers';

const FIXTURES = path.join(__dirname, '../../fixtures/data');

/** `count` rows of "i,category" after a header; row i holds i and "c<i mod 3>". */
function csvRows(count: number, delimiter = ','): string {
  const lines = Array.from({ length: count }, (_, i) => `${i}${delimiter}c${i % 3}`);
  return [`n${delimiter}kind`, ...lines, ''].join('\n');
}

test('maxRows keeps the first rows of a CSV file, the header not counted', async (t) => {
  const file = dataFiles(t)('rows.csv', csvRows(100));

  const table = await readTable(file, { maxRows: 5 });

  assert.equal(table.rows, 5);
  assert.deepEqual(asRecord(table), { n: [0, 1, 2, 3, 4], kind: ['c0', 'c1', 'c2', 'c0', 'c1'] });
});

test('a CSV read with maxRows stops early: a broken row later on is never reached', async (t) => {
  const write = dataFiles(t);
  // 20,000 rows (about 200 KB) with a ragged row and an unclosed quote near the end.
  const file = write('big.csv', `${csvRows(20_000)}1,2,3\n"never closed\n`);
  const progress: number[] = [];

  const table = await readTable(file, {
    maxRows: 3,
    chunkSize: 4096,
    onProgress: (read) => progress.push(read),
  });

  assert.deepEqual(asRecord(table), { n: [0, 1, 2], kind: ['c0', 'c1', 'c2'] });
  assert.deepEqual(progress, [4096], 'one chunk of the file was read');
  await assert.rejects(readTable(file), /row has 3 fields, the header has 2/);
});

test('maxRows past the end of the file reads every row', async (t) => {
  const write = dataFiles(t);

  const csv = await readTable(write('few.tsv', csvRows(4, '\t')), { maxRows: 10 });
  const jsonl = await readTable(write('few.jsonl', '{"a": 1}\n{"a": 2}\n'), { maxRows: 10 });

  assert.deepEqual(asRecord(csv), { n: [0, 1, 2, 3], kind: ['c0', 'c1', 'c2', 'c0'] });
  assert.deepEqual(asRecord(jsonl), { a: [1, 2] });
});

test('a column read as numbers, then text, keeps its original text within the limit', async (t) => {
  // Row 2 turns the column into text; the rows before it are read again for their spelling.
  const file = dataFiles(t)('mixed.csv', 'code\n007\n1.50\nx9\n4\n5\n');

  const table = await readTable(file, { maxRows: 4 });

  assert.deepEqual(asRecord(table), { code: ['007', '1.50', 'x9', '4'] });
});

test('maxRows keeps the first rows of a JSON Lines file and never parses the rest', async (t) => {
  const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, even: i % 2 === 0 }));
  const file = dataFiles(t)('rows.jsonl', `\n${lines.join('\n')}\nnot json at all\n`);
  const progress: number[] = [];

  const table = await readTable(file, {
    maxRows: 4,
    chunkSize: 1024,
    onProgress: (read) => progress.push(read),
  });

  assert.equal(table.rows, 4, 'the empty first line is not a row');
  assert.deepEqual(asRecord(table), { i: [0, 1, 2, 3], even: ['true', 'false', 'true', 'false'] });
  assert.deepEqual(progress, [1024]);
  await assert.rejects(readTable(file), /not valid JSON/);
});

test('maxRows reads only the row groups of a Parquet file that hold the rows asked for', async () => {
  const file = path.join(FIXTURES, 'snappy.parquet');
  const progress: number[] = [];

  const first = await readTable(file, { maxRows: 7, onProgress: (read) => progress.push(read) });
  const across = await readTable(file, { maxRows: 400 });

  assert.deepEqual(asRecord(first), { x: Array.from({ length: 7 }, (_, i) => i / 8) });
  assert.equal(progress.length, 1, 'one of the seven row groups was read');
  assert.equal(across.rows, 400);
  assert.deepEqual(asRecord(across), { x: Array.from({ length: 400 }, (_, i) => i / 8) });
});

test('a limit below 1 or not whole is refused as a programming error', async (t) => {
  const file = dataFiles(t)('rows.csv', csvRows(3));

  for (const maxRows of [0, -1, 2.5, NaN]) {
    await assert.rejects(readTable(file, { maxRows }), {
      name: 'RangeError',
      message: `maxRows must be a whole number of at least 1, not ${maxRows}`,
    });
  }
});
