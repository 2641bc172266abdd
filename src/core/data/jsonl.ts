/**
 * JSON Lines files into typed columns: one JSON object per line, read a chunk at a time. Keys
 * become columns, in the order they first appear; a key a row lacks is missing there, as is a
 * null. Numbers make numeric columns; strings, booleans and nested values (kept as their JSON
 * text) make string columns. Empty lines are skipped.
 */
import { readChunks, STOP, type ChunkOptions } from './chunks';
import { ValueColumnBuilder } from './valueColumn';
import { describeNames } from './header';
import { DataError, type Table } from './types';

export interface JsonLinesOptions extends ChunkOptions {
  columns?: string[];
  /** Stop after this many rows (empty lines are not rows). */
  maxRows?: number;
}

const LF = 0x0a;

export async function readJsonLines(path: string, options: JsonLinesOptions): Promise<Table> {
  const reader = new JsonLinesReader(path, options.columns);
  const maxRows = options.maxRows ?? Infinity;
  await readChunks(path, options, (bytes, filled, atEnd) => {
    let start = 0;
    while (start < filled) {
      if (reader.rows >= maxRows) return STOP;
      let end = bytes.indexOf(LF, start);
      if (end < 0) {
        if (!atEnd) break;
        end = filled;
      }
      reader.line(bytes.toString('utf8', start, end));
      start = end + 1;
    }
    return Math.min(start, filled);
  });
  return reader.finish();
}

class JsonLinesReader {
  private readonly builders = new Map<string, ValueColumnBuilder>();
  private readonly wanted: Set<string> | undefined;
  /** Keys seen but not wanted, to name them when a wanted key is never seen. */
  private readonly otherKeys = new Set<string>();
  rows = 0;
  private lineNumber = 0;

  constructor(
    private readonly path: string,
    private readonly columns: string[] | undefined,
  ) {
    this.wanted = columns === undefined ? undefined : new Set(columns);
  }

  line(text: string) {
    this.lineNumber++;
    if (text.trim() === '') return;

    const record = this.parse(text);
    for (const key in record) {
      if (this.wanted !== undefined && !this.wanted.has(key)) {
        this.otherKeys.add(key);
        continue;
      }
      this.builder(key).pushValue(record[key]);
    }
    this.rows++;
    for (const builder of this.builders.values()) {
      if (builder.rows < this.rows) builder.pushMissing();
    }
  }

  private parse(text: string): Record<string, unknown> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.invalid(error as Error);
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    const found = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new DataError(
      `each line must hold one JSON object ({"column": value, ...}); this one holds ${found}. ` +
        'Write each row as an object keyed by column name.',
      { path: this.path, line: this.lineNumber },
    );
  }

  /** V8's message quotes the line; say what is wrong and where, not what the row holds. */
  private invalid(error: Error): DataError {
    const position = /at position (\d+)/.exec(error.message);
    const reason = error.message
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/ at position \d+.*$/s, '');
    return new DataError(
      `not valid JSON (${reason}). Each line must be one complete JSON object; a value that ` +
        'spans lines is not JSON Lines.',
      {
        path: this.path,
        line: this.lineNumber,
        column: position === null ? undefined : Number(position[1]) + 1,
      },
    );
  }

  private builder(key: string): ValueColumnBuilder {
    let builder = this.builders.get(key);
    if (builder === undefined) {
      builder = new ValueColumnBuilder(key);
      builder.padTo(this.rows);
      this.builders.set(key, builder);
    }
    return builder;
  }

  finish(): Table {
    if (this.rows === 0) {
      throw new DataError(
        `${this.path} has no rows: a JSON Lines file needs one JSON object per line.`,
        { path: this.path },
      );
    }
    const absent = (this.columns ?? []).filter((name) => !this.builders.has(name));
    if (absent.length > 0) {
      const keys = describeNames([...this.builders.keys(), ...this.otherKeys]);
      const names = absent.map((name) => JSON.stringify(name)).join(', ');
      throw new DataError(`no row of ${this.path} has the key ${names}. Its keys are: ${keys}.`, {
        path: this.path,
      });
    }
    const columns = [...this.builders.values()].map((builder) => builder.finish());
    return { path: this.path, format: 'jsonl', rows: this.rows, columns };
  }
}
