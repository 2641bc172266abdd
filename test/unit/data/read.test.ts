import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { detectFormat, readTable } from '../../../src/core/data/read';
import { chooseDelimiter } from '../../../src/core/data/sniff';
import { DataError } from '../../../src/core/data/types';
import { asRecord, dataFiles } from './helpers';

test('the format follows the extension, in any case', () => {
  const formats = [
    'a.csv',
    'a.TSV',
    'a.tab',
    'a.txt',
    'a.jsonl',
    'a.ndjson',
    'a.parquet',
    'dir.v2/a.PQ',
  ].map(detectFormat);

  assert.deepEqual(formats, ['csv', 'tsv', 'tsv', 'csv', 'jsonl', 'jsonl', 'parquet', 'parquet']);
});

test('an unknown extension is an error that lists the supported ones', () => {
  for (const name of ['data.xlsx', 'data', 'data.csv.gz']) {
    assert.throws(
      () => detectFormat(name),
      (error: unknown) =>
        error instanceof DataError &&
        error.message.includes(name) &&
        /\.csv, \.tsv, \.tab, \.txt, \.jsonl, \.ndjson, \.parquet, \.pq/.test(error.message),
    );
  }
});

test('a .txt file is read with the delimiter that splits its lines evenly', async (t) => {
  const write = dataFiles(t);

  const tabs = await readTable(write('tabs.txt', 'a\tb,c\td\n1\t2,5\t3\n'));
  const semicolons = await readTable(write('semi.txt', 'a;b;c\n1;"x;y";3\n'));
  const single = await readTable(write('one.txt', 'a\n1\n2\n'));

  assert.equal(tabs.format, 'tsv');
  assert.deepEqual(asRecord(tabs), { a: [1], 'b,c': ['2,5'], d: [3] });
  assert.deepEqual(asRecord(semicolons), { a: [1], b: ['x;y'], c: [3] });
  assert.deepEqual(asRecord(single), { a: [1, 2] });
});

test('the sniffer prefers the candidate that is consistent over the most frequent', () => {
  assert.equal(chooseDelimiter('a,b;c\n1,2;3,4\n'), ';');
  assert.equal(chooseDelimiter('a|b|c\n1|2|3\n'), '|');
  assert.equal(chooseDelimiter('a\nb\n'), undefined);
  assert.equal(chooseDelimiter('a,b\n1,2\n3,4,5,6', false), ',', 'a cut last line is ignored');
});

test('a format given overrides the extension', async (t) => {
  const file = dataFiles(t)('export.dat', '{"a": 1}\n');

  const table = await readTable(file, { format: 'jsonl' });

  assert.deepEqual(asRecord(table), { a: [1] });
  await assert.rejects(readTable(file), /cannot tell the format of .*export\.dat/);
});

test('a missing file or a folder is a DataError that names it and says what to do', async (t) => {
  const file = dataFiles(t)('here.csv', 'a\n').replace('here.csv', 'gone.csv');

  await assert.rejects(readTable(file), (error: Error) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.message, `${file} does not exist; check the path`);
    return true;
  });
  await assert.rejects(readTable(path.dirname(file)), /is a folder, not a data file/);
});

test('an aborted signal stops the read before it starts', async (t) => {
  const file = dataFiles(t)('data.csv', 'a\n1\n');

  await assert.rejects(readTable(file, { signal: AbortSignal.abort() }), { name: 'AbortError' });
});
