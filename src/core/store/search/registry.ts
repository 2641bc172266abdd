import { compileFilter } from './compile';
import { keyedField, type EntityFields, type Field } from './fields';
import { compileOrderBy, type OrderSpec } from './order';
import type { SqlFragment } from './sql';

/**
 * Registry search over `registered_models rm` and `model_versions mv`. The names users write
 * are MLflow's entity fields (`creation_timestamp`, `version_number`, `source_path`); the
 * columns are the SQL store's (`creation_time`, `version`, `source`).
 */
const text = (column: string): Field => ({ type: 'string', column });
const number = (column: string): Field => ({ type: 'number', column });
const attributePrefixes = ['attributes', 'attribute', 'attr'];

const modelTag = (key: string): Field =>
  keyedField(
    'string',
    'rmt.value',
    'FROM registered_model_tags rmt WHERE rmt.name = rm.name AND rmt.key = ?',
    key,
  );

const modelFilterFields: EntityFields = {
  attributes: { name: text('rm.name') },
  attributePrefixes,
  groups: {},
  keyed: { tags: modelTag, tag: modelTag },
};

// `timestamp` is MLflow's older name for last_updated_timestamp in this order_by.
const modelOrder: OrderSpec = {
  fields: {
    ...modelFilterFields,
    attributes: {
      name: text('rm.name'),
      creation_timestamp: number('rm.creation_time'),
      last_updated_timestamp: number('rm.last_updated_time'),
      timestamp: number('rm.last_updated_time'),
    },
  },
  defaults: [],
  tieBreakers: [{ column: 'rm.name', descending: false }],
};

const versionTag = (key: string): Field =>
  keyedField(
    'string',
    'mvt.value',
    'FROM model_version_tags mvt WHERE mvt.name = mv.name AND mvt.version = mv.version' +
      ' AND mvt.key = ?',
    key,
  );

const versionAttributes: Record<string, Field> = {
  name: text('mv.name'),
  version_number: number('mv.version'),
  version: number('mv.version'),
  run_id: text('mv.run_id'),
  source_path: text('mv.source'),
  source: text('mv.source'),
};

const versionFilterFields: EntityFields = {
  attributes: versionAttributes,
  attributePrefixes,
  groups: {},
  keyed: { tags: versionTag, tag: versionTag },
};

const versionOrder: OrderSpec = {
  fields: {
    ...versionFilterFields,
    attributes: {
      ...versionAttributes,
      creation_timestamp: number('mv.creation_time'),
      last_updated_timestamp: number('mv.last_updated_time'),
      timestamp: number('mv.last_updated_time'),
    },
  },
  defaults: [],
  tieBreakers: [
    { column: 'mv.name', descending: false },
    { column: 'mv.version', descending: true },
  ],
};

/** A boolean SQL expression over `registered_models rm`; "1 = 1" when the filter is empty. */
export function compileRegisteredModelFilter(filter?: string): SqlFragment {
  return compileFilter(filter, modelFilterFields);
}

/** The text after ORDER BY for `registered_models rm`; ends with name ASC unless named. */
export function compileRegisteredModelOrderBy(orderBy?: string[]): SqlFragment {
  return compileOrderBy(orderBy, modelOrder);
}

/** A boolean SQL expression over `model_versions mv`; "1 = 1" when the filter is empty. */
export function compileModelVersionFilter(filter?: string): SqlFragment {
  return compileFilter(filter, versionFilterFields);
}

/**
 * The text after ORDER BY for `model_versions mv`; ends with name ASC, then version DESC,
 * each unless named, as MLflow's SQL registry does.
 */
export function compileModelVersionOrderBy(orderBy?: string[]): SqlFragment {
  return compileOrderBy(orderBy, versionOrder);
}
