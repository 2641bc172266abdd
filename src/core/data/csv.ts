/**
 * CSV and TSV files into typed columns.
 *
 * Why not a library: on 1,000,000 rows x 15 columns (10 floats written in full, 5 short
 * categories; 203 MiB), on this project's 2-core machine, pandas 1.5.3 read_csv took 1.57 s.
 * papaparse 5.7.1 took 0.92 s only to split it into strings, and 2.39 s once those became
 * Float64Arrays and dictionary codes (1.52x pandas; with floats to 4 decimals 2.11 s against
 * 1.05 s, 2.0x); its own dynamicTyping took 4.83 s. csv-parse 7.0.3 took 5.91 s to give strings.
 * A library hands out a string per field, and those strings are most of the cost. This reader
 * parses numbers and looks up categories in the bytes of the read buffer (csvTokenizer,
 * numbers, dictionary): 1.5-1.7 s on that file (0.9-1.1x pandas) and 0.9-1.1 s with 4-decimal
 * floats (1.0-1.2x), over several runs of bench/data-read.ts.
 */
import { stat } from 'node:fs/promises';
import type { ChunkOptions } from './chunks';
import { eachRecord, fieldEnd, fieldStart, positionIn } from './csvRecords';
import { unescapeField, type CsvTokenizer } from './csvTokenizer';
import { TextColumnBuilder } from './textColumn';
import { DataError, type Table } from './types';
import { columnNames, keptColumns } from './header';

export interface CsvOptions extends ChunkOptions {
  format: 'csv' | 'tsv';
  delimiter: string;
  header: boolean;
  columns?: string[];
  /** Stop after this many data rows (the header is not counted). */
  maxRows?: number;
}

/** Rows read before the columns are sized from the file's length. */
const SAMPLE_ROWS = 1024;

export async function readCsv(path: string, options: CsvOptions): Promise<Table> {
  const delimiter = delimiterByte(path, options.delimiter);
  const totalBytes = (await stat(path)).size;
  const reader = new CsvColumnsReader(path, options, totalBytes);
  await eachRecord(path, delimiter, options, reader.visit);
  if (reader.builders === undefined) throw emptyFile(path, options.header);

  const textBefore = await originalText(path, delimiter, options, reader);
  const columns = reader.builders.map((builder, k) => builder.finish(textBefore.get(k)));
  return { path, format: options.format, rows: reader.rows, columns };
}

class CsvColumnsReader {
  builders: TextColumnBuilder[] | undefined;
  kept = new Int32Array(0);
  names: string[] = [];
  rows = 0;
  private width = 0;
  private readonly maxRows: number;
  private sampledBytes = 0;
  private readonly escaped = new EscapedFields();

  constructor(
    private readonly path: string,
    private readonly options: CsvOptions,
    private readonly totalBytes: number,
  ) {
    this.maxRows = options.maxRows ?? Infinity;
  }

  visit = (bytes: Buffer, fields: CsvTokenizer, line: number, recordStart: number): boolean => {
    if (this.builders === undefined) {
      this.start(bytes, fields);
      if (this.options.header) return true;
    }
    // Before the width check: a ragged row past the limit is not this read's concern.
    if (this.rows >= this.maxRows) return false;
    if (fields.count !== this.width) throw this.ragged(bytes, fields, line, recordStart);

    const { starts, ends, flags } = fields;
    const kept = this.kept;
    const builders = this.builders!;
    for (let k = 0; k < kept.length; k++) {
      const index = kept[k];
      if (flags[index] === 0) builders[k].push(bytes, starts[index], ends[index]);
      else this.escaped.push(builders[k], bytes, starts[index], ends[index]);
    }
    this.rows++;
    if (this.rows <= SAMPLE_ROWS) this.sample(fields, bytes);
    return true;
  };

  private start(bytes: Buffer, fields: CsvTokenizer) {
    this.width = fields.count;
    const header = this.options.header ? this.fieldTexts(bytes, fields) : undefined;
    this.names = columnNames(header, fields.count);
    const kept = keptColumns(this.path, this.names, this.options.columns);
    this.kept = Int32Array.from(kept);
    this.builders = kept.map((index) => new TextColumnBuilder(this.names[index], SAMPLE_ROWS));
  }

  private fieldTexts(bytes: Buffer, fields: CsvTokenizer): string[] {
    const texts: string[] = [];
    for (let index = 0; index < fields.count; index++) {
      const start = fields.starts[index];
      const end = fields.ends[index];
      if (fields.flags[index] === 0) texts.push(bytes.toString('utf8', start, end));
      else texts.push(this.escaped.text(bytes, start, end));
    }
    return texts;
  }

  /**
   * Sizes the columns for the whole file from the first rows, so they seldom grow (each growth
   * copies a column): the estimate is the file's length over the rows' average length.
   */
  private sample(fields: CsvTokenizer, bytes: Buffer) {
    const last = fields.count - 1;
    this.sampledBytes += fieldEnd(bytes, fields, last) - fieldStart(bytes, fields, 0) + 1;
    if (this.rows !== SAMPLE_ROWS) return;
    const estimate = Math.ceil((this.totalBytes / this.sampledBytes) * SAMPLE_ROWS * 1.05);
    const most = Math.ceil(this.totalBytes / Math.max(this.width, 2));
    const capacity = Math.min(estimate, most, this.maxRows);
    for (const builder of this.builders!) builder.reserve(capacity);
  }

  private ragged(bytes: Buffer, fields: CsvTokenizer, line: number, recordStart: number) {
    const width = this.width;
    const more = fields.count > width;
    const at = more ? fieldStart(bytes, fields, width) : fieldEnd(bytes, fields, fields.count - 1);
    const position = positionIn(bytes, recordStart, line, at);
    const what = this.options.header ? 'the header has' : 'the first row has';
    const advice = more
      ? `A value that holds the delimiter must be in double quotes; quote it, or remove the extra field.`
      : `Add the missing fields (leave one empty for a missing value), or check for a line break inside an unquoted value.`;
    return new DataError(`row has ${fields.count} fields, ${what} ${width}. ${advice}`, {
      path: this.path,
      ...position,
    });
  }
}

/** Quoted fields with doubled quotes or trailing text, unescaped into a reused buffer. */
class EscapedFields {
  private scratch = Buffer.allocUnsafe(256);

  push(builder: TextColumnBuilder, bytes: Buffer, start: number, end: number) {
    builder.push(this.scratch, 0, this.unescape(bytes, start, end));
  }

  text(bytes: Buffer, start: number, end: number): string {
    return this.scratch.toString('utf8', 0, this.unescape(bytes, start, end));
  }

  private unescape(bytes: Buffer, start: number, end: number): number {
    if (this.scratch.length < end - start) this.scratch = Buffer.allocUnsafe((end - start) * 2);
    return unescapeField(bytes, start, end, this.scratch);
  }
}

/**
 * The original text of rows that were read as numbers before their column turned out to hold
 * strings. It takes a second read of the file, up to the last such row, for those columns only.
 */
async function originalText(
  path: string,
  delimiter: number,
  options: CsvOptions,
  reader: CsvColumnsReader,
): Promise<Map<number, TextColumnBuilder>> {
  const wanted = new Map<number, TextColumnBuilder>();
  reader.builders!.forEach((builder, k) => {
    const rows = builder.stringsFrom;
    if (rows > 0) wanted.set(k, new TextColumnBuilder(builder.name, rows, true));
  });
  if (wanted.size === 0) return wanted;

  const until = Math.max(...reader.builders!.map((builder) => builder.stringsFrom));
  const escaped = new EscapedFields();
  let row = options.header ? -1 : 0;
  const { signal, chunkSize } = options;
  await eachRecord(path, delimiter, { signal, chunkSize }, (bytes, fields) => {
    for (const [k, text] of wanted) {
      if (row < 0 || row >= reader.builders![k].stringsFrom) continue;
      const index = reader.kept[k];
      const start = fields.starts[index];
      const end = fields.ends[index];
      if (fields.flags[index] === 0) text.push(bytes, start, end);
      else escaped.push(text, bytes, start, end);
    }
    row++;
    return row < until;
  });
  return wanted;
}

function delimiterByte(path: string, delimiter: string): number {
  const code = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  if (code > 0 && code < 0x80 && delimiter !== '"' && delimiter !== '\n' && delimiter !== '\r') {
    return code;
  }
  throw new DataError(
    `cannot read ${path} with the delimiter ${JSON.stringify(delimiter)}: it must be one ` +
      `ASCII character other than a quote or a line break, such as "," ";" "|" or "\\t".`,
    { path },
  );
}

function emptyFile(path: string, header: boolean): DataError {
  const needs = header ? 'a header row with the column names' : 'at least one row';
  return new DataError(`${path} is empty: a data file needs ${needs}. Check the file's path.`, {
    path,
  });
}
