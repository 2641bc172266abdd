import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import type { RunStore } from '../../../src/core/store/store';

export const FIXTURE = path.join(__dirname, '../../fixtures/import/mlruns');

/** A copy of the committed mlruns fixture that a test may change. */
export function copyFixture(dir: string): string {
  const copy = path.join(dir, 'mlruns');
  fs.cpSync(FIXTURE, copy, { recursive: true });
  return copy;
}

const TABLES = [
  'experiments',
  'experiment_tags',
  'runs',
  'tags',
  'params',
  'metrics',
  'latest_metrics',
  'datasets',
  'inputs',
  'input_tags',
  'registered_models',
  'registered_model_tags',
  'model_versions',
  'model_version_tags',
  'registered_model_aliases',
];

/** Row counts of every MLflow table, to show that something added nothing. */
export function rowCounts(store: RunStore): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((table) => [
      table,
      Number(store.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)!.n),
    ]),
  );
}

/** Every row of every MLflow table, to show that a failure changed nothing at all. */
export function snapshot(store: RunStore): string {
  return JSON.stringify(
    TABLES.map((table) => store.db.all(`SELECT * FROM ${table} ORDER BY 1, 2`)),
  );
}

export function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    )
    .sort();
}

export function collector(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}
