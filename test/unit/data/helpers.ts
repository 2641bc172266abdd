import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Column, Table } from '../../../src/core/data/types';

/** A fresh folder for data files, removed after the test. */
export function dataFiles(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-data-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
}

/** A column's values as plain JavaScript: numbers (NaN kept) or strings with null for missing. */
export function valuesOf(column: Column): (number | string | null)[] {
  if (column.type === 'number') return Array.from(column.values);
  return Array.from(column.codes, (code) => (code < 0 ? null : column.dictionary[code]));
}

export function column(table: Table, name: string): Column {
  const found = table.columns.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no column ${name} in ${table.path}`);
  return found;
}

/** The table as { name: values }, for one deepEqual per test. */
export function asRecord(table: Table): Record<string, (number | string | null)[]> {
  return Object.fromEntries(table.columns.map((c) => [c.name, valuesOf(c)]));
}
