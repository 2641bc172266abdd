/**
 * The record loop of a CSV file: chunks in, records out, with the line each record starts on
 * (records can span lines when a quoted value holds a line break) and empty lines skipped, as
 * pandas skips them.
 */
import { readChunks, STOP, type ChunkOptions } from './chunks';
import { countLineBreaks, CR, CsvTokenizer, INCOMPLETE, LF, QUOTE } from './csvTokenizer';
import { DataError } from './types';

/**
 * Called for each record that is not an empty line, with its fields in `fields` as offsets
 * into `bytes`. Returns false to stop reading.
 */
export type RecordVisitor = (
  bytes: Buffer,
  fields: CsvTokenizer,
  line: number,
  recordStart: number,
) => boolean;

export async function eachRecord(
  path: string,
  delimiter: number,
  options: ChunkOptions,
  visit: RecordVisitor,
): Promise<void> {
  const fields = new CsvTokenizer(delimiter);
  let line = 1;
  await readChunks(path, options, (bytes, filled, atEnd) => {
    let start = 0;
    while (start < filled) {
      const next = fields.next(bytes, start, filled, atEnd);
      if (next < 0) {
        if (next === INCOMPLETE) break;
        throw unclosedQuote(path, bytes, start, line, fields);
      }

      const blank = fields.count === 1 && fields.starts[0] === fields.ends[0] && !fields.quoted;
      if (!blank && !visit(bytes, fields, line, start)) return STOP;
      line += fields.quoted ? countLineBreaks(bytes, start, next) : 1;
      start = next;
    }
    return start;
  });
}

function unclosedQuote(
  path: string,
  bytes: Uint8Array,
  recordStart: number,
  line: number,
  fields: CsvTokenizer,
): DataError {
  const position = positionIn(bytes, recordStart, line, fields.unclosedQuoteAt);
  return new DataError(
    'a quoted value starts here and its closing quote is missing, so the rest of the file ' +
      'would be one value. Close the quote, or write a quote inside a value as two ("").',
    { path, ...position },
  );
}

/** The line and column (1-based, in characters) of byte `at` of a record. */
export function positionIn(
  bytes: Uint8Array,
  recordStart: number,
  recordLine: number,
  at: number,
): { line: number; column: number } {
  let line = recordLine;
  let lineStart = recordStart;
  for (let position = recordStart; position < at; position++) {
    const byte = bytes[position];
    if (byte === LF || (byte === CR && bytes[position + 1] !== LF)) {
      line++;
      lineStart = position + 1;
    }
  }

  let column = 1;
  for (let position = lineStart; position < at; position++) {
    if ((bytes[position] & 0xc0) !== 0x80) column++;
  }
  return { line, column };
}

/** Where field `index` starts, counting its opening quote if it has one. */
export function fieldStart(bytes: Uint8Array, fields: CsvTokenizer, index: number): number {
  const start = fields.starts[index];
  return fields.flags[index] === 0 && start > 0 && bytes[start - 1] === QUOTE ? start - 1 : start;
}

/** Where field `index` ends, counting its closing quote if it has one. */
export function fieldEnd(bytes: Uint8Array, fields: CsvTokenizer, index: number): number {
  const end = fields.ends[index];
  return fieldStart(bytes, fields, index) !== fields.starts[index] ? end + 1 : end;
}
