import { resolveField, type EntityFields, type Field } from './fields';
import { parseOrderClause } from './parser';
import { joinFragments, type SqlFragment } from './sql';
import { SearchSyntaxError, withSource } from './syntax-error';

/** A column ordered after the user's clauses so that equal rows still come in a fixed order. */
export interface TieBreaker {
  column: string;
  descending: boolean;
}

/** How one kind of entity is ordered. */
export interface OrderSpec {
  fields: EntityFields;
  /** The clauses used when order_by is empty, in the order_by syntax. */
  defaults: readonly string[];
  /** Appended unless the order already names their column, as MLflow's stores do. */
  tieBreakers: readonly TieBreaker[];
}

/**
 * Compiles MLflow's order_by list into the text after ORDER BY. Rows without a value sort last
 * whichever the direction, as in MLflow; naming a field twice is an error, as in MLflow.
 */
export function compileOrderBy(orderBy: string[] | undefined, spec: OrderSpec): SqlFragment {
  const clauses = orderBy && orderBy.length > 0 ? orderBy : spec.defaults;
  const seen = new Set<string>();
  const terms: SqlFragment[] = [];

  for (const clause of clauses) {
    terms.push(withSource('order_by clause', clause, () => compileClause(clause, spec, seen)));
  }
  for (const { column, descending } of spec.tieBreakers) {
    if (seen.has(identity({ column }))) continue;
    terms.push({ sql: `${column} ${descending ? 'DESC' : 'ASC'}`, params: [] });
  }

  return joinFragments(terms, ', ');
}

function compileClause(clause: string, spec: OrderSpec, seen: Set<string>): SqlFragment {
  const { field: ref, ascending } = parseOrderClause(clause);
  const field = resolveField(spec.fields, ref);

  const key = identity(field);
  if (seen.has(key)) {
    throw new SearchSyntaxError(`${ref.text} is already ordered by an earlier order_by clause`);
  }
  seen.add(key);
  return sortTerms(field, ascending ? 'ASC' : 'DESC');
}

// Two spellings of one field (`created` and `start_time`, `metric.x` and `metrics.x`) compile
// to the same column and key, so they are the same field.
function identity(field: Pick<Field, 'column' | 'source'>): string {
  return JSON.stringify([field.column, field.source?.params ?? []]);
}

function sortTerms(field: Field, direction: 'ASC' | 'DESC'): SqlFragment {
  const { source, nanFlag, column } = field;
  if (!source) return { sql: `${column} ${direction} NULLS LAST`, params: [] };

  const numbersOnly = nanFlag ? ` AND ${nanFlag} = 0` : '';
  const value = `(SELECT ${column} ${source.sql}${numbersOnly})`;
  if (!nanFlag) return { sql: `${value} ${direction} NULLS LAST`, params: [...source.params] };

  // MLflow's order for metrics in either direction: numbers, then NaN, then runs without the
  // metric. The rank is is_nan (0 or 1), or 2 when there is no row; NaN values are NULL in
  // `value`, so runs within the NaN group fall through to the tie-breakers.
  return {
    sql: `COALESCE((SELECT ${nanFlag} ${source.sql}), 2) ASC, ${value} ${direction}`,
    params: [...source.params, ...source.params],
  };
}
