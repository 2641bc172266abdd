/**
 * Builds one column from the fields of a CSV or TSV file.
 *
 * A column is numeric until a field is neither a number nor a missing value; from then on it is
 * a string column. The numbers read before that row are kept, and the reader goes back for
 * their original text ("007" stays "007", not "7") by reading those rows again; only when it
 * cannot are they written out from their values.
 */
import { grownFloat64, grownInt32, trimmedFloat64, trimmedInt32 } from './arrays';
import { ByteDictionary, StringDictionary } from './dictionary';
import { isBooleanText, MissingBytes } from './missing';
import { NumberParser } from './numbers';
import type { Column, StringColumn } from './types';

export class TextColumnBuilder {
  rows = 0;
  private numbers: Float64Array;
  private integerLiterals = true;
  private missingCount = 0;
  private codes: Int32Array | undefined;
  private dictionary: ByteDictionary | undefined;
  /** The numbers read before the column turned to strings, while their text is unknown. */
  private numbersBefore: Float64Array | undefined;
  // Per-field helpers are objects with methods, not imported functions: in the CommonJS that
  // tests and benchmarks run (tsx), each call of an imported function goes through a getter,
  // which cost a third of the read time when measured; the bundled build has no such getters.
  private readonly parser = new NumberParser();
  private readonly missing = new MissingBytes();

  constructor(
    readonly name: string,
    capacity: number,
    asStrings = false,
  ) {
    this.numbers = new Float64Array(asStrings ? 0 : capacity);
    if (asStrings) this.becomeStrings(capacity);
  }

  /** The row at which the column turned to strings with numbers before it, or -1. */
  get stringsFrom(): number {
    return this.numbersBefore === undefined ? -1 : this.numbersBefore.length;
  }

  /** Makes room for `capacity` rows in all, so that the column need not grow on the way. */
  reserve(capacity: number): void {
    if (this.codes !== undefined) {
      if (capacity > this.codes.length) this.codes = grownInt32(this.codes, capacity);
    } else if (capacity > this.numbers.length) this.numbers = grownFloat64(this.numbers, capacity);
  }

  /** Adds the field in bytes [start, end). */
  push(bytes: Buffer, start: number, end: number): void {
    if (this.codes === undefined) {
      const value = start === end ? NaN : this.parser.parse(bytes, start, end);
      if (value === value) {
        if (!this.parser.integerLiteral) this.integerLiterals = false;
        this.pushNumber(value);
        return;
      }
      if (this.missing.matches(bytes, start, end)) {
        this.missingCount++;
        this.pushNumber(NaN);
        return;
      }
      this.becomeStrings(this.numbers.length);
    }
    const code = this.missing.matches(bytes, start, end)
      ? -1
      : this.dictionary!.code(bytes, start, end);
    this.pushCode(code);
  }

  private pushNumber(value: number) {
    if (this.rows === this.numbers.length) this.numbers = grownFloat64(this.numbers, this.rows + 1);
    this.numbers[this.rows++] = value;
  }

  private pushCode(code: number) {
    if (this.rows === this.codes!.length) this.codes = grownInt32(this.codes!, this.rows + 1);
    this.codes![this.rows++] = code;
  }

  /** From here on, fields are strings; rows so far become the column's numeric beginning. */
  private becomeStrings(capacity: number) {
    if (this.rows > this.missingCount) this.numbersBefore = this.numbers.slice(0, this.rows);
    this.numbers = new Float64Array(0);
    this.codes = new Int32Array(Math.max(capacity, 1024));
    this.codes.fill(-1, 0, this.rows);
    this.dictionary = new ByteDictionary();
  }

  /**
   * The finished column. `textBefore`, when given, holds the original text of the rows read as
   * numbers before the column turned to strings (see stringsFrom).
   */
  finish(textBefore?: TextColumnBuilder): Column {
    if (this.codes === undefined) {
      const integer = this.rows > 0 && this.missingCount === 0 && this.integerLiterals;
      return {
        type: 'number',
        name: this.name,
        values: trimmedFloat64(this.numbers, this.rows),
        integer,
      };
    }
    if (this.numbersBefore === undefined) {
      return stringColumn(this.name, trimmedInt32(this.codes, this.rows), this.dictionary!.values);
    }
    return this.joined(textBefore);
  }

  /** The string column whose first rows come from textBefore, or from the numbers' values. */
  private joined(textBefore: TextColumnBuilder | undefined): StringColumn {
    const before = this.numbersBefore!;
    const dictionary = new StringDictionary();
    const codes = new Int32Array(this.rows);
    if (textBefore !== undefined && textBefore.rows === before.length) {
      const text = textBefore.finish() as StringColumn;
      for (let row = 0; row < before.length; row++) {
        const code = text.codes[row];
        codes[row] = code < 0 ? -1 : dictionary.code(text.dictionary[code]);
      }
    } else {
      for (let row = 0; row < before.length; row++) {
        const value = before[row];
        codes[row] = value !== value ? -1 : dictionary.code(String(value));
      }
    }

    const later = this.dictionary!.values.map((value) => dictionary.code(value));
    for (let row = before.length; row < this.rows; row++) {
      const code = this.codes![row];
      codes[row] = code < 0 ? -1 : later[code];
    }
    return stringColumn(this.name, codes, dictionary.values);
  }
}

/**
 * A string column whose dictionary holds only values some row uses, in order of first use.
 * Both dictionaries above add a value only when a row has it, so that holds by construction.
 */
export function stringColumn(name: string, codes: Int32Array, dictionary: string[]): StringColumn {
  const column: StringColumn = { type: 'string', name, codes, dictionary };
  if (dictionary.length > 0 && dictionary.every(isBooleanText)) column.boolean = true;
  return column;
}
