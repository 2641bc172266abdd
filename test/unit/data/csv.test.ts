import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTable } from '../../../src/core/data/read';
import type { NumericColumn, StringColumn } from '../../../src/core/data/types';
import { asRecord, column, dataFiles, valuesOf } from './helpers';

/** Chunk sizes that cut records, quoted fields and CRLF pairs at every possible place. */
const CHUNK_SIZES = [1, 2, 3, 4, 5, 7, 11, 16, 64, undefined];

const TRICKY =
  '\uFEFFid,text,score\r\n' +
  '1,"a, b",1.5\r\n' +
  '2,"she said ""hi""",-2\r\n' +
  '3,"two\r\nlines",\r\n' +
  '4,"three\nlines\nhere",1e3\r\n' +
  '5,plain,NA\r\n';

test('quoted delimiters, doubled quotes and line breaks read the same at every chunk size', async (t) => {
  const file = dataFiles(t)('tricky.csv', TRICKY);

  for (const chunkSize of CHUNK_SIZES) {
    const table = await readTable(file, { chunkSize });

    assert.equal(table.rows, 5, `chunk ${chunkSize}`);
    assert.deepEqual(
      asRecord(table),
      {
        id: [1, 2, 3, 4, 5],
        text: ['a, b', 'she said "hi"', 'two\r\nlines', 'three\nlines\nhere', 'plain'],
        score: [1.5, -2, NaN, 1000, NaN],
      },
      `chunk ${chunkSize}`,
    );
  }
});

test('a byte order mark is not part of the first column name', async (t) => {
  const file = dataFiles(t)('bom.csv', '\uFEFFname,value\nx,1\n');

  const table = await readTable(file);

  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['name', 'value'],
  );
});

test('LF, CRLF and lone CR line endings, with or without a final line break', async (t) => {
  const write = dataFiles(t);
  const expected = { a: [1, 3], b: ['x', 'y'] };

  for (const [name, text] of [
    ['lf.csv', 'a,b\n1,x\n3,y\n'],
    ['crlf.csv', 'a,b\r\n1,x\r\n3,y\r\n'],
    ['cr.csv', 'a,b\r1,x\r3,y'],
    ['open.csv', 'a,b\n1,x\n3,y'],
  ]) {
    for (const chunkSize of [1, 3, undefined]) {
      assert.deepEqual(asRecord(await readTable(write(name, text), { chunkSize })), expected, name);
    }
  }
});

test('empty lines are skipped, as pandas skips them, but a quoted empty value is a row', async (t) => {
  const file = dataFiles(t)('blank.csv', 'a\n1\n\n\r\n2\n""\n\n');

  const table = await readTable(file);

  assert.deepEqual(asRecord(table), { a: [1, 2, NaN] });
});

test('the delimiter follows the extension unless one is given', async (t) => {
  const write = dataFiles(t);

  const tsv = await readTable(write('data.tsv', 'a\tb\n1,5\t2\n'));
  const tab = await readTable(write('data.tab', 'a\tb\n1\t2\n'));
  const semicolon = await readTable(write('data.csv', 'a;b\n1;x,y\n'), { delimiter: ';' });
  const pipe = await readTable(write('pipes.csv', 'a|b\n"1|2"|3\n'), { delimiter: '|' });

  assert.deepEqual(asRecord(tsv), { a: ['1,5'], b: [2] });
  assert.equal(tsv.format, 'tsv');
  assert.deepEqual(asRecord(tab), { a: [1], b: [2] });
  assert.deepEqual(asRecord(semicolon), { a: [1], b: ['x,y'] });
  assert.deepEqual(asRecord(pipe), { a: ['1|2'], b: [3] });
});

test('without a header the columns are column_1, column_2... and the first row is data', async (t) => {
  const file = dataFiles(t)('data.csv', '1,x\n2,y\n');

  const table = await readTable(file, { header: false });

  assert.deepEqual(asRecord(table), { column_1: [1, 2], column_2: ['x', 'y'] });
});

test('empty and repeated header names are named the way pandas names them', async (t) => {
  const file = dataFiles(t)('names.csv', 'a,a,,b,a\n1,2,3,4,5\n');

  const table = await readTable(file);

  assert.deepEqual(
    table.columns.map((c) => c.name),
    ['a', 'a.1', 'Unnamed: 2', 'b', 'a.2'],
  );
});

test("pandas' default missing-value spellings are missing, in numeric and string columns", async (t) => {
  const spellings = [
    '',
    'NA',
    'N/A',
    'n/a',
    'NaN',
    '-NaN',
    'nan',
    '-nan',
    'null',
    'NULL',
    'None',
    '#N/A',
    '#N/A N/A',
    '#NA',
    '<NA>',
    '-1.#IND',
    '1.#QNAN',
  ];
  const write = dataFiles(t);
  const file = write('missing.csv', `number,gap\n${spellings.map((s) => `1.5,${s}`).join('\n')}\n`);
  const strings = write('strings.csv', `label\n${spellings.map((s) => `"${s}"`).join('\n')}\nx\n`);

  const numeric = await readTable(file);
  const labels = await readTable(strings);

  assert.deepEqual(
    valuesOf(column(numeric, 'gap')),
    spellings.map(() => NaN),
  );
  assert.equal(column(numeric, 'gap').type, 'number');
  assert.deepEqual(valuesOf(column(labels, 'label')), [...spellings.map(() => null), 'x']);
});

test('near-misses of the missing spellings are values', async (t) => {
  const file = dataFiles(t)('values.csv', 'v\nna\n NA\nNone \nNULLs\n');

  const table = await readTable(file);

  assert.deepEqual(valuesOf(column(table, 'v')), ['na', ' NA', 'None ', 'NULLs']);
});

test('inf, -inf, Infinity and their case variants are infinities, kept as read', async (t) => {
  const file = dataFiles(t)(
    'inf.csv',
    'x\ninf\n-inf\nInfinity\n+Infinity\n-Infinity\nINF\n-Inf\n1\n',
  );

  const table = await readTable(file);

  assert.deepEqual(valuesOf(column(table, 'x')), [
    Infinity,
    -Infinity,
    Infinity,
    Infinity,
    -Infinity,
    Infinity,
    -Infinity,
    1,
  ]);
});

test('numbers parse exactly as Number() does, blanks around them allowed as in pandas', async (t) => {
  const texts = [
    '0.1',
    '-0',
    '+.5',
    '5.',
    '1E5',
    '2.5e-3',
    ' 7 ',
    '0.30000000000000004',
    '9007199254740993',
    '123456789012345678901234567890',
    '1e400',
    '4.9e-324',
  ];
  const file = dataFiles(t)('numbers.csv', `x\n${texts.join('\n')}\n`);

  const table = await readTable(file);

  assert.deepEqual(
    valuesOf(column(table, 'x')),
    texts.map((text) => Number(text)),
  );
});

test('a column turns to strings at its first value that is neither a number nor missing', async (t) => {
  const file = dataFiles(t)('mixed.csv', 'code,other\n007,1\n,2\n1.50,3\nNA,4\nA17,5\n007,6\n');

  for (const chunkSize of [1, 4, undefined]) {
    const table = await readTable(file, { chunkSize });
    const code = column(table, 'code') as StringColumn;

    assert.equal(code.type, 'string');
    assert.deepEqual(valuesOf(code), ['007', null, '1.50', null, 'A17', '007']);
    assert.deepEqual(code.dictionary, ['007', '1.50', 'A17']);
    assert.deepEqual(valuesOf(column(table, 'other')), [1, 2, 3, 4, 5, 6]);
  }
});

test('the original text is kept for numbers before the turn, quoted or blank-padded', async (t) => {
  const file = dataFiles(t)('padded.csv', 'a\n" 1"\n2.50\n"x""y"\n');

  const table = await readTable(file, { chunkSize: 2 });

  assert.deepEqual(valuesOf(column(table, 'a')), [' 1', '2.50', 'x"y']);
});

test('a column with only gaps before its first string has no numbers to convert', async (t) => {
  const file = dataFiles(t)('late.csv', 'a,b\n,1\nNA,2\nx,3\n');

  const table = await readTable(file);

  assert.deepEqual(valuesOf(column(table, 'a')), [null, null, 'x']);
  assert.deepEqual((column(table, 'a') as StringColumn).dictionary, ['x']);
});

test('true and false in pandas spellings make a boolean string column, gaps allowed', async (t) => {
  const file = dataFiles(t)(
    'flags.csv',
    'flag,word\nTrue,yes\nfalse,no\nTRUE,yes\n,no\nFALSE,yes\n',
  );

  const table = await readTable(file);
  const flag = column(table, 'flag') as StringColumn;
  const word = column(table, 'word') as StringColumn;

  assert.deepEqual(valuesOf(flag), ['True', 'false', 'TRUE', null, 'FALSE']);
  assert.equal(flag.boolean, true);
  assert.equal(word.boolean, undefined);
});

test('integer is set only when every value is written as a whole number and none is missing', async (t) => {
  const file = dataFiles(t)(
    'ints.csv',
    'plain,signed,decimal,exponent,gap,infinite\n1,-1,1.0,1e3,1,1\n2,+2,2.0,2e3,,inf\n',
  );

  const table = await readTable(file);
  const integer = (name: string) => (column(table, name) as NumericColumn).integer;

  assert.equal(integer('plain'), true);
  assert.equal(integer('signed'), true);
  assert.equal(integer('decimal'), false);
  assert.equal(integer('exponent'), false);
  assert.equal(integer('gap'), false);
  assert.equal(integer('infinite'), false);
});

test('text after a closing quote stays in the value, as pandas keeps it', async (t) => {
  const file = dataFiles(t)('after.csv', 'a,b\n"ab"c,"x"""\n');

  const table = await readTable(file);

  assert.deepEqual(asRecord(table), { a: ['abc'], b: ['x"'] });
});

test('quoted numbers are numbers, and an empty last field is missing', async (t) => {
  const file = dataFiles(t)('quoted.csv', 'a,b,c\n"1.5","2",\n"3",4,5\n');

  const table = await readTable(file);

  assert.deepEqual(asRecord(table), { a: [1.5, 3], b: [2, 4], c: [NaN, 5] });
});

test('UTF-8 text is decoded, and categories of any length are dictionary-coded', async (t) => {
  const long = 'x'.repeat(5000);
  const file = dataFiles(t)('utf8.csv', `city\nZürich\n東京\n${long}\nZürich\n`);

  const table = await readTable(file, { chunkSize: 7 });
  const city = column(table, 'city') as StringColumn;

  assert.deepEqual(city.dictionary, ['Zürich', '東京', long]);
  assert.deepEqual(Array.from(city.codes), [0, 1, 2, 0]);
});

test('a file with only a header has its columns and no rows', async (t) => {
  const file = dataFiles(t)('header.csv', 'a,b\n');

  const table = await readTable(file);

  assert.equal(table.rows, 0);
  assert.deepEqual(asRecord(table), { a: [], b: [] });
});

test('only the columns asked for are kept, in file order; an unknown one is named', async (t) => {
  const file = dataFiles(t)('data.csv', 'a,b,c\n1,x,2\n3,y,4\n');

  const table = await readTable(file, { columns: ['c', 'a'] });

  assert.deepEqual(asRecord(table), { a: [1, 3], c: [2, 4] });
  await assert.rejects(
    readTable(file, { columns: ['a', 'z'] }),
    /has no column "z"\. Its columns are: "a", "b", "c"\./,
  );
});

test('progress reaches the file size, and an abort stops the read', async (t) => {
  const rows = Array.from({ length: 2000 }, (_, i) => `${i},${i % 7}`).join('\n');
  const file = dataFiles(t)('data.csv', `a,b\n${rows}\n`);
  const seen: [number, number][] = [];

  await readTable(file, { chunkSize: 1024, onProgress: (read, total) => seen.push([read, total]) });
  const controller = new AbortController();
  const aborted = readTable(file, {
    chunkSize: 1024,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  });

  assert.ok(seen.length > 5);
  assert.deepEqual(seen.at(-1), [seen[0][1], seen[0][1]]);
  assert.ok(seen.every(([read], i) => i === 0 || read > seen[i - 1][0]));
  await assert.rejects(aborted, { name: 'AbortError' });
});

test('many rows read the same in small and large chunks, and columns are sized to the rows', async (t) => {
  const lines = Array.from(
    { length: 3000 },
    (_, i) => `${(i * 0.37).toFixed(i % 5)},c${i % 4},"q${i % 3}"`,
  );
  const file = dataFiles(t)('many.csv', `x,y,z\n${lines.join('\n')}\n`);

  const small = await readTable(file, { chunkSize: 13 });
  const large = await readTable(file);

  assert.deepEqual(asRecord(small), asRecord(large));
  assert.equal((column(large, 'x') as NumericColumn).values.length, 3000);
  assert.equal((column(large, 'y') as StringColumn).codes.length, 3000);
  assert.deepEqual(valuesOf(column(large, 'x')).slice(0, 4), [0, 0.4, 0.74, 1.11]);
});
