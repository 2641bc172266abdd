import type { SortedFinite } from './sorted';

/**
 * The shapes a data file is read into: one typed array per column, so that a million-row
 * dataset costs a few megabytes a column and the drift tests can work on the arrays directly.
 */

/** How the drift engine treats a column, following Evidently's newer column-type inference. */
export type ColumnKind = 'numerical' | 'categorical' | 'text';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'parquet';

export interface NumericColumn {
  type: 'number';
  name: string;
  /** One value a row: NaN where the value is missing; ±Infinity kept as read. */
  values: Float64Array;
  /**
   * True when pandas would give this column an integer dtype: it has at least one row, none is
   * missing, and every value is a whole number (in text files, written without a decimal point
   * or an exponent; in Parquet, stored in an integer type). A whole-valued column with a gap is
   * float64 in pandas, so Evidently calls it numerical, and so do we.
   */
  integer: boolean;
  /**
   * The finite values sorted, when the reader was asked to (a drift check's second file is
   * sorted in the thread that read it, while this one reads the first).
   */
  sorted?: SortedFinite;
}

export interface StringColumn {
  type: 'string';
  name: string;
  /** One index into `dictionary` a row, or -1 where the value is missing. */
  codes: Int32Array;
  /** The distinct values, each used by at least one row, in order of first appearance. */
  dictionary: string[];
  /**
   * True when every value present is a boolean (true/false in any of pandas' spellings, or a
   * JSON or Parquet boolean). Such a column is categorical whatever its size.
   */
  boolean?: boolean;
}

export type Column = NumericColumn | StringColumn;

export interface Table {
  path: string;
  format: DataFormat;
  rows: number;
  columns: Column[];
}

export interface DataErrorPosition {
  path: string;
  /** 1-based, as an editor shows it. */
  line?: number;
  /** 1-based, in characters. */
  column?: number;
}

/**
 * A data file that cannot be read as a table. The message starts with `path:line:column:` when
 * the problem has a place, so editors and terminals can link to it, and ends with what to do.
 */
export class DataError extends Error {
  readonly path: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(message: string, position: DataErrorPosition) {
    super(`${prefix(position)}${message}`);
    this.name = 'DataError';
    this.path = position.path;
    this.line = position.line;
    this.column = position.column;
  }
}

function prefix({ path, line, column }: DataErrorPosition): string {
  if (line === undefined) return '';
  return column === undefined ? `${path}:${line}: ` : `${path}:${line}:${column}: `;
}
