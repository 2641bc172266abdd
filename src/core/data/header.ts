/**
 * Column names: pandas' rules, so a file's columns are named as a notebook names them, and the
 * choice of columns to keep.
 */
import { DataError } from './types';

/**
 * Names from a header row: an empty name becomes "Unnamed: i" (i counted from 0) and a repeated
 * name gets ".1", ".2"... Without a header the columns are column_1, column_2...
 */
export function columnNames(header: string[] | undefined, count: number): string[] {
  if (header === undefined) return Array.from({ length: count }, (_, i) => `column_${i + 1}`);

  const names = header.map((name, i) => (name === '' ? `Unnamed: ${i}` : name));
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 1; taken.has(unique); n++) unique = `${name}.${n}`;
    taken.add(unique);
    return unique;
  });
}

/** Indexes of the columns to keep, in file order: all of them, or those named in `wanted`. */
export function keptColumns(path: string, names: string[], wanted?: string[]): number[] {
  if (wanted === undefined) return names.map((_, index) => index);

  const missing = wanted.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    const list = missing.map((name) => JSON.stringify(name)).join(', ');
    throw new DataError(
      `${path} has no column ${list}. Its columns are: ${describeNames(names)}.`,
      { path },
    );
  }
  const set = new Set(wanted);
  return names.flatMap((name, index) => (set.has(name) ? [index] : []));
}

/** Names for a message: quoted, at most 20 of them. */
export function describeNames(names: string[]): string {
  const shown = names.slice(0, 20).map((name) => JSON.stringify(name));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}
