/**
 * MLflow's search syntax for runs, experiments, registered models and model versions, compiled
 * to parameterised SQL for the store's queries. A filter gives a boolean expression over the
 * entity's table alias (`r`, `e`, `rm`, `mv`); an order_by list gives the text after ORDER BY.
 * Beyond MLflow: OR, parentheses, IS [NOT] NULL, and IN for every field.
 */
export type { SqlFragment, SqlValue } from './sql';
export { compileRunFilter, compileRunOrderBy } from './runs';
export { compileExperimentFilter, compileExperimentOrderBy } from './experiments';
export {
  compileModelVersionFilter,
  compileModelVersionOrderBy,
  compileRegisteredModelFilter,
  compileRegisteredModelOrderBy,
} from './registry';
