import type { Database, Row } from './database';
import type { DatasetInput, Metric, Run, RunInfo, Tag } from './entities';

/** MLflow's SQL store keeps ±Infinity as ±DBL_MAX and NaN as 0 with is_nan set. */
export const DBL_MAX = 1.7976931348623157e308;

export function encodeMetricValue(value: number): { value: number; isNan: 0 | 1 } {
  if (Number.isNaN(value)) return { value: 0, isNan: 1 };
  if (value === Infinity) return { value: DBL_MAX, isNan: 0 };
  if (value === -Infinity) return { value: -DBL_MAX, isNan: 0 };
  return { value, isNan: 0 };
}

export function decodeMetricValue(value: number, isNan: unknown): number {
  if (Number(isNan) === 1) return NaN;
  if (value === DBL_MAX) return Infinity;
  if (value === -DBL_MAX) return -Infinity;
  return value;
}

export function toMetric(row: Row): Metric {
  return {
    key: String(row.key),
    value: decodeMetricValue(Number(row.value), row.is_nan),
    timestamp: Number(row.timestamp ?? 0),
    step: Number(row.step ?? 0),
  };
}

/**
 * Fills in the latest metrics, params, tags and dataset inputs of many runs with one query per
 * table and chunk of ids, instead of four queries per run: a page of a search can hold 50,000.
 */
export function readRunData(db: Database, infos: RunInfo[]): Run[] {
  const runs = new Map<string, Run>();
  for (const info of infos) {
    runs.set(info.runId, {
      info,
      data: { metrics: [], params: [], tags: [] },
      inputs: { datasetInputs: [] },
    });
  }
  const ids = [...runs.keys()];
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const marks = chunk.map(() => '?').join(', ');
    // Sorted by key in JavaScript afterwards: ORDER BY here made SQLite sort every row of the
    // chunk, a quarter of the time of a search (bench/store.ts).
    const rows = (table: string) =>
      db.all(`SELECT * FROM ${table} WHERE run_uuid IN (${marks})`, chunk);
    for (const row of rows('latest_metrics'))
      runs.get(String(row.run_uuid))!.data.metrics.push(toMetric(row));
    for (const row of rows('params')) runs.get(String(row.run_uuid))!.data.params.push(toTag(row));
    for (const row of rows('tags')) runs.get(String(row.run_uuid))!.data.tags.push(toTag(row));
    for (const [runId, input] of readDatasetInputs(db, chunk, marks)) {
      runs.get(runId)!.inputs.datasetInputs.push(input);
    }
  }
  const byKey = (a: { key: string }, b: { key: string }) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  for (const run of runs.values()) {
    run.data.metrics.sort(byKey);
    run.data.params.sort(byKey);
    run.data.tags.sort(byKey);
  }
  return [...runs.values()];
}

function readDatasetInputs(
  db: Database,
  ids: string[],
  marks: string,
): Array<[string, DatasetInput]> {
  const rows = db.all(
    `SELECT i.destination_id AS run_id, i.input_uuid, d.* FROM inputs i
       JOIN datasets d ON d.dataset_uuid = i.source_id
     WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN'
       AND i.destination_id IN (${marks})
     ORDER BY d.name, d.digest`,
    ids,
  );
  if (rows.length === 0) return [];
  const tagRows = db.all(
    `SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN (${rows.map(() => '?').join(', ')})`,
    rows.map((r) => r.input_uuid),
  );
  return rows.map((row) => [
    String(row.run_id),
    {
      tags: tagRows
        .filter((t) => t.input_uuid === row.input_uuid)
        .map((t) => ({ key: String(t.name), value: String(t.value) })),
      dataset: {
        name: String(row.name),
        digest: String(row.digest),
        sourceType: String(row.dataset_source_type),
        source: String(row.dataset_source),
        ...(row.dataset_schema != null ? { schema: String(row.dataset_schema) } : {}),
        ...(row.dataset_profile != null ? { profile: String(row.dataset_profile) } : {}),
      },
    },
  ]);
}

function toTag(row: Row): Tag {
  return { key: String(row.key), value: String(row.value ?? '') };
}
