/** A value bound to a `?` placeholder: what sql.js accepts and what MLflow's columns hold. */
export type SqlValue = string | number | null;

/** SQL text with `?` placeholders and the values bound to them, in order. */
export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

/** Joins fragments with `separator`, keeping their parameters in the same order as the text. */
export function joinFragments(fragments: SqlFragment[], separator: string): SqlFragment {
  return {
    sql: fragments.map((fragment) => fragment.sql).join(separator),
    params: fragments.flatMap((fragment) => fragment.params),
  };
}
