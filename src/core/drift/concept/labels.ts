import type { NumericColumn, StringColumn } from '../../data/types';

/**
 * A target or prediction column as the data readers produce it (a `Column` fits as it is):
 * numbers with NaN where missing, or strings as codes into a dictionary with -1 where missing.
 * Only the fields used here are required, and `name` only makes messages clearer.
 */
export type PerformanceColumn = (
  Pick<NumericColumn, 'type' | 'values'> | Pick<StringColumn, 'type' | 'codes' | 'dictionary'>
) & { name?: string };

export type Label = number | string;

/** Class labels of the paired rows as indexes into `labels`, which is sorted as numpy sorts. */
export interface EncodedLabels {
  labels: Label[];
  truth: Int32Array;
  predicted: Int32Array;
}

export function columnLength(column: PerformanceColumn): number {
  return column.type === 'number' ? column.values.length : column.codes.length;
}

export function describe(column: PerformanceColumn, role: string): string {
  const kind = column.type === 'number' ? 'numbers' : 'text';
  return `${role} column${column.name ? ` '${column.name}'` : ''} holds ${kind}`;
}

/** Both columns must be numbers, or both text, and of the same length. */
export function checkPair(target: PerformanceColumn, prediction: PerformanceColumn): void {
  if (target.type !== prediction.type) {
    throw new RangeError(
      `${describe(target, 'target')} but ${describe(prediction, 'prediction')}; ` +
        'they must be of the same kind to be compared',
    );
  }
  if (columnLength(target) !== columnLength(prediction)) {
    throw new RangeError(
      `target and prediction columns differ in length ` +
        `(${columnLength(target)} and ${columnLength(prediction)} rows)`,
    );
  }
}

/**
 * Rows where both target and prediction have a value. Infinite numbers count as missing:
 * scikit-learn refuses them, and one would turn every average into an infinity.
 */
export function pairedRows(target: PerformanceColumn, prediction: PerformanceColumn): Int32Array {
  const length = columnLength(target);
  const rows = new Int32Array(length);
  let count = 0;
  for (let row = 0; row < length; row++) {
    if (present(target, row) && present(prediction, row)) rows[count++] = row;
  }
  return rows.slice(0, count);
}

function present(column: PerformanceColumn, row: number): boolean {
  return column.type === 'number' ? Number.isFinite(column.values[row]) : column.codes[row] >= 0;
}

/** Distinct values of a numeric column (over `rows`), stopping once `limit` are found. */
export function distinctNumbers(values: Float64Array, rows: Int32Array, limit: number): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < rows.length && seen.size < limit; i++) seen.add(values[rows[i]]);
  return [...seen];
}

/**
 * Encodes the paired rows of two label columns with one shared, sorted set of labels: numbers
 * in numeric order, strings by code point (numpy's order, which `np.unique` and so
 * scikit-learn's `unique_labels` use). With `fromScores`, numeric predictions are scores and
 * the predicted label is 1 where the score is at least 0.5, else 0.
 */
export function encodeLabels(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
  rows: Int32Array,
  fromScores: boolean,
): EncodedLabels {
  const keys = new Map<Label, number>();
  const key = (label: Label) => {
    let index = keys.get(label);
    if (index === undefined) keys.set(label, (index = keys.size));
    return index;
  };
  const truth = readLabels(target, rows, key, false);
  const predicted = readLabels(prediction, rows, key, fromScores);

  const labels = [...keys.keys()].sort(compareLabels);
  const order = new Int32Array(keys.size);
  labels.forEach((label, position) => (order[keys.get(label)!] = position));
  for (let i = 0; i < rows.length; i++) {
    truth[i] = order[truth[i]];
    predicted[i] = order[predicted[i]];
  }
  return { labels, truth, predicted };
}

function readLabels(
  column: PerformanceColumn,
  rows: Int32Array,
  key: (label: Label) => number,
  fromScores: boolean,
): Int32Array {
  const out = new Int32Array(rows.length);
  if (column.type === 'number') {
    const values = column.values;
    for (let i = 0; i < rows.length; i++) {
      const value = values[rows[i]];
      out[i] = key(fromScores ? (value >= 0.5 ? 1 : 0) : value);
    }
    return out;
  }

  // Dictionaries differ between columns, so codes are mapped through the text of each label.
  const byCode = new Int32Array(column.dictionary.length).fill(-1);
  for (let i = 0; i < rows.length; i++) {
    const code = column.codes[rows[i]];
    if (byCode[code] < 0) byCode[code] = key(column.dictionary[code]);
    out[i] = byCode[code];
  }
  return out;
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareCodePoints(String(a), String(b));
}

/** Orders strings by Unicode code point, as numpy does, rather than by UTF-16 unit. */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(j)!;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}
