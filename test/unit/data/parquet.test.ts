import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readTable } from '../../../src/core/data/read';
import type { NumericColumn, StringColumn } from '../../../src/core/data/types';
import { asRecord, column, dataFiles } from './helpers';

// Made by test/fixtures/data/make_parquet.ts, which lists the same values.
const FIXTURES = path.join(__dirname, '../../fixtures/data');
const fixture = (name: string) => path.join(FIXTURES, name);

test('every column type of a two-row-group file reads with its nulls', async () => {
  const table = await readTable(fixture('types.parquet'));

  assert.equal(table.format, 'parquet');
  assert.equal(table.rows, 5);
  assert.deepEqual(asRecord(table), {
    score: [1.5, NaN, -2.25, Infinity, 0.125],
    count: [1, 2, 3, 4, 5],
    small: [1, NaN, 3, 4, 5],
    whole: [1, 2, 3, 4, 5],
    ratio: [0.5, 0.25, NaN, 1, 2],
    flag: ['true', 'false', null, 'true', 'false'],
    city: ['Oslo', null, 'Lima', 'Oslo', 'Pune'],
    seen: ['2024-01-02T03:04:05.000Z', null, '1970-01-01T00:00:00.000Z', null, null],
    extra: ['{"a":1}', '[1,2]', null, 'text', '3'],
  });
});

test('integer is set for integer types without nulls only, as pandas types them', async () => {
  const table = await readTable(fixture('types.parquet'));
  const integer = (name: string) => (column(table, name) as NumericColumn).integer;

  assert.equal(integer('count'), true);
  assert.equal(integer('small'), false, 'INT32 with a null is float64 in pandas');
  assert.equal(integer('whole'), false, 'DOUBLE stays float even when whole');
  assert.equal((column(table, 'flag') as StringColumn).boolean, true);
  assert.equal((column(table, 'city') as StringColumn).boolean, undefined);
});

test('only the columns asked for are read, and an unknown one is named', async () => {
  const table = await readTable(fixture('types.parquet'), { columns: ['city', 'score'] });

  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['score', 'city'],
  );
  await assert.rejects(
    readTable(fixture('types.parquet'), { columns: ['nope'] }),
    /has no column "nope"\. Its columns are: "score", "count"/,
  );
});

test('uncompressed, snappy and gzip files of seven row groups read the same 1,000 rows', async () => {
  const expected = Array.from({ length: 1000 }, (_, i) => i / 8);
  const { parquetMetadataAsync, asyncBufferFromFile } = await import('hyparquet');

  for (const name of ['uncompressed.parquet', 'snappy.parquet', 'gzip.parquet']) {
    const progress: number[] = [];
    const table = await readTable(fixture(name), { onProgress: (read) => progress.push(read) });
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(fixture(name)));

    assert.equal(metadata.row_groups.length, 7, name);
    assert.deepEqual(asRecord(table), { x: expected }, name);
    assert.equal(progress.length, 7, name);
  }
});

test('an aborted read of a Parquet file stops', async () => {
  const controller = new AbortController();
  const reading = readTable(fixture('snappy.parquet'), {
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });

  await assert.rejects(reading, { name: 'AbortError' });
});

test('a file that is not Parquet, or is cut short, is a clear error', async (t) => {
  const write = dataFiles(t);
  const text = write('text.parquet', 'a,b\n1,2\n');
  const { readFileSync } = await import('node:fs');
  const whole = readFileSync(fixture('types.parquet'));
  const cut = write('cut.parquet', whole.subarray(0, whole.length - 10));

  await assert.rejects(readTable(text), /text\.parquet is not a readable Parquet file/);
  await assert.rejects(readTable(cut), /cut\.parquet is not a readable Parquet file/);
});
