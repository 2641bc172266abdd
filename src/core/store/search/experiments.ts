import { compileFilter } from './compile';
import { keyedField, type EntityFields, type Field } from './fields';
import { compileOrderBy, type OrderSpec } from './order';
import type { SqlFragment } from './sql';

/** Experiment search over `experiments e`, with MLflow's identifiers for experiments. */
const experimentAttributes: Record<string, Field> = {
  name: { type: 'string', column: 'e.name' },
  creation_time: { type: 'number', column: 'e.creation_time' },
  last_update_time: { type: 'number', column: 'e.last_update_time' },
};

const tag = (key: string): Field =>
  keyedField(
    'string',
    'et.value',
    'FROM experiment_tags et WHERE et.experiment_id = e.experiment_id AND et.key = ?',
    key,
  );

const experimentFilterFields: EntityFields = {
  attributes: experimentAttributes,
  attributePrefixes: ['attributes', 'attribute', 'attr'],
  groups: {},
  keyed: { tags: tag, tag },
};

// MLflow's SQL store: newest first by default and, when the caller orders by something else,
// experiment_id DESC to break ties (its `(experiment_id, False)` tie-breaker).
const experimentOrder: OrderSpec = {
  fields: {
    ...experimentFilterFields,
    attributes: {
      ...experimentAttributes,
      experiment_id: { type: 'number', column: 'e.experiment_id' },
    },
  },
  defaults: ['creation_time DESC', 'experiment_id ASC'],
  tieBreakers: [{ column: 'e.experiment_id', descending: true }],
};

/** A boolean SQL expression over `experiments e`; "1 = 1" when the filter is empty. */
export function compileExperimentFilter(filter?: string): SqlFragment {
  return compileFilter(filter, experimentFilterFields);
}

/**
 * The text after ORDER BY for `experiments e`: by default creation_time DESC, experiment_id
 * ASC; otherwise the given order, then experiment_id DESC unless it was named.
 */
export function compileExperimentOrderBy(orderBy?: string[]): SqlFragment {
  return compileOrderBy(orderBy, experimentOrder);
}
