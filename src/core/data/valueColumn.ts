/**
 * Builds one column from values that are already typed: JSON Lines and Parquet. Numbers fill a
 * Float64Array until a string (or boolean, or nested value) arrives; then the column becomes a
 * string column and the numbers read so far become their text.
 */
import { grownFloat64, grownInt32, trimmedFloat64, trimmedInt32 } from './arrays';
import { StringDictionary } from './dictionary';
import type { Column } from './types';

export class ValueColumnBuilder {
  rows = 0;
  private numbers: Float64Array;
  private codes: Int32Array | undefined;
  private dictionary: StringDictionary | undefined;
  private missing = 0;
  private allWhole = true;
  private onlyBooleans = true;

  constructor(
    readonly name: string,
    capacity = 1024,
  ) {
    this.numbers = new Float64Array(capacity);
  }

  pushMissing(): void {
    this.missing++;
    if (this.codes !== undefined) return this.pushCode(-1);
    if (this.rows === this.numbers.length) this.numbers = grownFloat64(this.numbers, this.rows + 1);
    this.numbers[this.rows++] = NaN;
  }

  /** Missing values up to `rows` rows, for a key that first appears in a later row. */
  padTo(rows: number): void {
    while (this.rows < rows) this.pushMissing();
  }

  pushNumber(value: number): void {
    if (value !== value) return this.pushMissing();
    if (this.codes !== undefined) return this.pushText(String(value), false);
    if (!Number.isInteger(value)) this.allWhole = false;
    if (this.rows === this.numbers.length) this.numbers = grownFloat64(this.numbers, this.rows + 1);
    this.numbers[this.rows++] = value;
  }

  pushText(value: string, boolean: boolean): void {
    if (!boolean) this.onlyBooleans = false;
    if (this.codes === undefined) this.becomeStrings();
    this.pushCode(this.dictionary!.code(value));
  }

  /** Any value a JSON parser or hyparquet gives; see the cases below. */
  pushValue(value: unknown): void {
    switch (typeof value) {
      case 'number':
        return this.pushNumber(value);
      case 'string':
        return this.pushText(value, false);
      case 'boolean':
        return this.pushText(value ? 'true' : 'false', true);
      case 'bigint':
        // FIXME: integers beyond 2^53 lose their last digits here, so two distinct large IDs
        // can become one value; a string column for such columns would keep them apart.
        return this.pushNumber(Number(value));
      case 'undefined':
        return this.pushMissing();
      default:
        if (value === null || (value instanceof Date && Number.isNaN(value.getTime()))) {
          return this.pushMissing();
        }
        return this.pushText(nestedText(value as object), false);
    }
  }

  /** Appends values [from, to) of a decoded Parquet page or column chunk. */
  pushAll(values: ArrayLike<unknown>, from: number, to: number): void {
    if (this.codes === undefined && isNumberArray(values)) {
      for (let index = from; index < to; index++) this.pushNumber(values[index]);
      return;
    }
    for (let index = from; index < to; index++) this.pushValue(values[index]);
  }

  private pushCode(code: number) {
    if (this.rows === this.codes!.length) this.codes = grownInt32(this.codes!, this.rows + 1);
    this.codes![this.rows++] = code;
  }

  private becomeStrings() {
    const dictionary = new StringDictionary();
    const codes = new Int32Array(Math.max(this.numbers.length, 1024));
    for (let row = 0; row < this.rows; row++) {
      const value = this.numbers[row];
      codes[row] = value === value ? dictionary.code(String(value)) : -1;
    }
    if (this.rows > this.missing) this.onlyBooleans = false;
    this.codes = codes;
    this.dictionary = dictionary;
    this.numbers = new Float64Array(0);
  }

  /**
   * The finished column. `integerType` says whether the values were stored as integers (a
   * Parquet INT32 or INT64 column); without it, whole values count as integers, as pandas'
   * read_json turns whole floats into int64.
   */
  finish(integerType?: boolean): Column {
    if (this.codes === undefined) {
      const whole = integerType ?? this.allWhole;
      const integer = whole && this.rows > 0 && this.missing === 0;
      return {
        type: 'number',
        name: this.name,
        values: trimmedFloat64(this.numbers, this.rows),
        integer,
      };
    }
    const column: Column = {
      type: 'string',
      name: this.name,
      codes: trimmedInt32(this.codes, this.rows),
      dictionary: this.dictionary!.values,
    };
    if (this.onlyBooleans && this.dictionary!.size > 0) column.boolean = true;
    return column;
  }
}

function isNumberArray(values: ArrayLike<unknown>): values is ArrayLike<number> {
  return (
    values instanceof Float64Array ||
    values instanceof Float32Array ||
    values instanceof Int32Array ||
    values instanceof Uint32Array
  );
}

/**
 * Nested values (JSON objects and arrays, Parquet lists, maps and structs) are kept as their
 * JSON text, so they still count as categories or text; Dates as ISO 8601; bytes as base64.
 */
function nestedText(value: object): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return JSON.stringify(value, (_, inner) =>
    typeof inner === 'bigint' ? inner.toString() : inner,
  );
}
