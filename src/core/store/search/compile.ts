import { resolveField, type EntityFields, type Field } from './fields';
import { likeEscape, likeForSqlite, likeToGlob } from './like';
import {
  parseFilter,
  type Comparator,
  type Comparison,
  type FieldRef,
  type FilterNode,
  type Literal,
} from './parser';
import { joinFragments, type SqlFragment, type SqlValue } from './sql';
import { SearchSyntaxError, withSource } from './syntax-error';

/**
 * Compiles a filter into a boolean SQL expression over one entity's fields. Every user value
 * and key becomes a bound parameter; the SQL text comes only from the field tables.
 */
export function compileFilter(filter: string | undefined, fields: EntityFields): SqlFragment {
  const source = filter ?? '';
  return withSource('filter', source, () => {
    const tree = parseFilter(source);
    return tree ? compileNode(tree, fields) : { sql: '1 = 1', params: [] };
  });
}

function compileNode(node: FilterNode, fields: EntityFields): SqlFragment {
  if (node.kind === 'comparison') return compileComparison(node, resolveField(fields, node.field));

  // `a AND b AND c` arrives as a left-leaning tree; flattening it keeps the SQL readable.
  const operands = flatten(node, node.kind).map((operand) => compileNode(operand, fields));
  const joined = joinFragments(operands, ` ${node.kind.toUpperCase()} `);
  return { sql: `(${joined.sql})`, params: joined.params };
}

function flatten(node: FilterNode, kind: 'and' | 'or'): FilterNode[] {
  if (node.kind !== kind) return [node];
  return [...flatten(node.left, kind), ...flatten(node.right, kind)];
}

const comparatorsByType: Record<Field['type'], readonly Comparator[]> = {
  number: ['=', '!=', '<', '<=', '>', '>=', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL'],
  string: ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN', 'IS NULL', 'IS NOT NULL'],
};

function compileComparison(comparison: Comparison, field: Field): SqlFragment {
  const { comparator, field: ref } = comparison;
  checkComparator(comparison, field);
  if (comparator === 'IS NULL') return presence(field, false);
  if (comparator === 'IS NOT NULL') return presence(field, true);

  const values = comparison.values.map((literal) => checkedValue(literal, field, ref));
  const test = predicate(field.column, comparator, values);
  if (!field.source) return test;

  const nan = field.nanFlag ? ` AND ${field.nanFlag} = 0` : '';
  if (field.semijoin) {
    const { outer, inner, from } = field.semijoin;
    return {
      sql: `${outer} IN (SELECT ${inner} ${from.sql}${nan} AND ${test.sql})`,
      params: [...from.params, ...test.params],
    };
  }
  return {
    sql: `EXISTS (SELECT 1 ${field.source.sql}${nan} AND ${test.sql})`,
    params: [...field.source.params, ...test.params],
  };
}

function checkComparator({ comparator, comparatorPosition, field: ref }: Comparison, field: Field) {
  const valid = comparatorsByType[field.type];
  if (valid.includes(comparator)) return;

  const kind = field.type === 'number' ? 'a number' : 'a string';
  throw new SearchSyntaxError(
    `comparator ${comparator} at position ${comparatorPosition} does not apply to ${ref.text}, ` +
      `which is ${kind}; use ${valid.join(', ')}`,
  );
}

// MLflow requires strings quoted and numbers bare, so `params.x = 1` is an error rather than a
// silent comparison of text with a number that SQLite would answer by its own type rules.
function checkedValue(literal: Literal, field: Field, ref: FieldRef): SqlValue {
  if (literal.kind === field.type) return literal.value;

  if (field.type === 'number') {
    throw new SearchSyntaxError(
      `expected a number for ${ref.text} at position ${literal.position}, got ${literal.text}`,
    );
  }
  throw new SearchSyntaxError(
    `expected a quoted string for ${ref.text} at position ${literal.position}, ` +
      `got ${literal.text} (its values are strings: write '${literal.text}')`,
  );
}

function predicate(column: string, comparator: Comparator, values: SqlValue[]): SqlFragment {
  switch (comparator) {
    case 'LIKE':
      return { sql: `${column} GLOB ?`, params: [likeToGlob(String(values[0]))] };
    // FIXME: SQLite's LOWER and LIKE fold ASCII letters only, so ILIKE 'é%' misses 'Étude';
    // MLflow on SQLite does the same, and a Unicode-aware fold would need a registered function.
    case 'ILIKE':
      return {
        sql: `LOWER(${column}) LIKE LOWER(?) ${likeEscape}`,
        params: [likeForSqlite(String(values[0]))],
      };
    case 'IN':
    case 'NOT IN':
      return {
        sql: `${column} ${comparator} (${values.map(() => '?').join(', ')})`,
        params: values,
      };
    default:
      return { sql: `${column} ${comparator} ?`, params: values };
  }
}

// For a side table, "present" means a row for the key with a value; a tag whose value is NULL
// counts as absent, as it would for a column of the entity's own row.
function presence(field: Field, present: boolean): SqlFragment {
  if (!field.source) {
    return { sql: `${field.column} IS ${present ? 'NOT ' : ''}NULL`, params: [] };
  }
  const exists = `EXISTS (SELECT 1 ${field.source.sql} AND ${field.column} IS NOT NULL)`;
  return { sql: present ? exists : `NOT ${exists}`, params: [...field.source.params] };
}
