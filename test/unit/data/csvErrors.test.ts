import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTable } from '../../../src/core/data/read';
import { DataError } from '../../../src/core/data/types';
import { dataFiles } from './helpers';

test('a delimiter that is not one ASCII character is refused before reading', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b\n1,2\n');

  for (const delimiter of ['', ';;', '"', '\n', '§']) {
    await assert.rejects(readTable(file, { delimiter }), /must be one ASCII character/);
  }
});

test('a row with more fields than the header names its line and the extra field', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b,c,d\n1,2,3,4\n1,"x\ny",3,4\n5,6,7,8,9\n');

  await assert.rejects(readTable(file, { chunkSize: 5 }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.message.split('. ')[0], `${file}:5:9: row has 5 fields, the header has 4`);
    assert.equal(error.line, 5);
    assert.equal(error.column, 9);
    assert.match(error.message, /must be in double quotes/);
    return true;
  });
});

test('an extra field after a line break inside quotes is placed on its own line', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b\n"x\ny",2,3\n');

  await assert.rejects(readTable(file), /data\.csv:3:6: row has 3 fields, the header has 2/);
});

test('a row with fewer fields names the line and where the row ends, counting characters', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b,c,d\r\n1,2,3,4\r\nZürich,"q",3\r\n');

  await assert.rejects(readTable(file), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.match(error.message, /:3:13: row has 3 fields, the header has 4\. Add the missing/);
    return true;
  });
});

test('without a header a ragged row is measured against the first row', async (t) => {
  const file = dataFiles(t)('data.csv', '1,2\n3\n');

  await assert.rejects(
    readTable(file, { header: false }),
    /:2:2: row has 1 fields, the first row has 2/,
  );
});

test('an unclosed quote is reported where it opens', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b\n1,2\n3,"open\n4,5\n');

  await assert.rejects(readTable(file, { chunkSize: 3 }), (error: unknown) => {
    assert.ok(error instanceof DataError);
    assert.equal(error.line, 3);
    assert.equal(error.column, 3);
    assert.match(error.message, /closing quote is missing/);
    return true;
  });
});

test('a file that is not text is refused, naming Parquet when it is one', async (t) => {
  const write = dataFiles(t);
  const binary = write('image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
  const parquet = write('table.csv', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(8)]));
  const utf16 = write('wide.csv', Buffer.from('\uFEFFa,b\n', 'utf16le'));
  const late = write('late.csv', Buffer.concat([Buffer.from('a\n1\n'), Buffer.from([0])]));

  await assert.rejects(readTable(binary), /image\.csv is not a text file \(byte 4 is NUL\)/);
  await assert.rejects(readTable(parquet), /looks like a Parquet file/);
  await assert.rejects(readTable(utf16), /UTF-16.*Save it as UTF-8/);
  await assert.rejects(readTable(late, { chunkSize: 2 }), /byte 4 is NUL/);
});

test('an empty file is an error that says a header is needed', async (t) => {
  const write = dataFiles(t);

  await assert.rejects(readTable(write('empty.csv', '')), /empty\.csv is empty: .*header row/);
  await assert.rejects(readTable(write('blank.csv', '\uFEFF\n\r\n')), /is empty/);
  await assert.rejects(readTable(write('none.csv', ''), { header: false }), /at least one row/);
});
