import { compileFilter } from './compile';
import { keyedField, type EntityFields, type Field } from './fields';
import { compileOrderBy, type OrderSpec } from './order';
import type { SqlFragment } from './sql';

/**
 * Run search over `runs r`: MLflow's identifiers, with each prefix's alternative spellings as
 * MLflow's SearchUtils accepts them (`metric.`, `param.`, `attr.`, `run.` and so on).
 */
const text = (column: string): Field => ({ type: 'string', column });
const number = (column: string): Field => ({ type: 'number', column });

const runAttributes: Record<string, Field> = {
  status: text('r.status'),
  run_name: text('r.name'),
  run_id: text('r.run_uuid'),
  user_id: text('r.user_id'),
  artifact_uri: text('r.artifact_uri'),
  lifecycle_stage: text('r.lifecycle_stage'),
  start_time: number('r.start_time'),
  end_time: number('r.end_time'),
  // MLflow's UI calls the start time "Created".
  created: number('r.start_time'),
};

// A run's dataset inputs: MLflow links them through `inputs`, with the input's context
// ("training", "evaluation") kept as an input tag.
const runInputs =
  "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET'" +
  " AND i.destination_type = 'RUN' AND i.destination_id = r.run_uuid";
const runInputContexts =
  'FROM inputs i JOIN input_tags it ON it.input_uuid = i.input_uuid' +
  " WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN'" +
  " AND i.destination_id = r.run_uuid AND it.name = 'mlflow.data.context'";

const datasetFields: Record<string, Field> = {
  name: { type: 'string', column: 'd.name', source: { sql: runInputs, params: [] } },
  digest: { type: 'string', column: 'd.digest', source: { sql: runInputs, params: [] } },
  context: { type: 'string', column: 'it.value', source: { sql: runInputContexts, params: [] } },
};

// Metrics compare their latest value, which latest_metrics keeps per run and key.
const metric = (key: string): Field => ({
  ...sideTable('number', 'latest_metrics', 'lm', key),
  nanFlag: 'lm.is_nan',
});
const param = (key: string): Field => sideTable('string', 'params', 'p', key);
const tag = (key: string): Field => sideTable('string', 'tags', 't', key);

/** A key-value table of runs (run_uuid, key, value), correlated for ordering, not for filters. */
function sideTable(type: 'number' | 'string', table: string, alias: string, key: string): Field {
  return {
    ...keyedField(
      type,
      `${alias}.value`,
      `FROM ${table} ${alias} WHERE ${alias}.run_uuid = r.run_uuid AND ${alias}.key = ?`,
      key,
    ),
    semijoin: {
      outer: 'r.run_uuid',
      inner: `${alias}.run_uuid`,
      from: { sql: `FROM ${table} ${alias} WHERE ${alias}.key = ?`, params: [key] },
    },
  };
}

const keyed = {
  metrics: metric,
  metric,
  params: param,
  param,
  parameters: param,
  parameter: param,
  tags: tag,
  tag,
};

const runFilterFields: EntityFields = {
  attributes: runAttributes,
  attributePrefixes: ['attributes', 'attribute', 'attr', 'run'],
  groups: { datasets: datasetFields, dataset: datasetFields },
  keyed,
};

// A run may have several dataset inputs, so there is no one value of `datasets.name` to sort by.
const runOrder: OrderSpec = {
  fields: { ...runFilterFields, groups: {} },
  defaults: [],
  tieBreakers: [
    { column: 'r.start_time', descending: true },
    { column: 'r.run_uuid', descending: false },
  ],
};

/** A boolean SQL expression over `runs r`; "1 = 1" when the filter is empty. */
export function compileRunFilter(filter?: string): SqlFragment {
  return compileFilter(filter, runFilterFields);
}

/**
 * The text after ORDER BY for `runs r`. Ends with MLflow's tie-breakers, start_time DESC then
 * run_uuid, each left out only when the order already names that column.
 */
export function compileRunOrderBy(orderBy?: string[]): SqlFragment {
  return compileOrderBy(orderBy, runOrder);
}
