/**
 * LIKE patterns. MLflow's LIKE is case-sensitive and ILIKE is not, but SQLite's LIKE ignores
 * ASCII case (unless a connection-wide pragma says otherwise). So LIKE is compiled to GLOB,
 * which is case-sensitive, with the pattern translated; ILIKE stays LIKE over lower-cased sides.
 *
 * In a pattern `%` matches any run of characters and `_` any one character; a backslash makes
 * the next character literal (`50\%` matches "50%"), as in PostgreSQL and MySQL. MLflow on SQLite
 * has no escape at all; a pattern without backslashes means the same in both.
 */
type PatternPart = { kind: 'literal'; char: string } | { kind: 'one' } | { kind: 'many' };

function parsePattern(pattern: string): PatternPart[] {
  const chars = Array.from(pattern);
  const parts: PatternPart[] = [];

  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index];
    // A trailing backslash has nothing to escape, so it stands for itself.
    if (char === '\\' && index + 1 < chars.length) {
      index += 1;
      parts.push({ kind: 'literal', char: chars[index] });
    } else if (char === '%') {
      parts.push({ kind: 'many' });
    } else if (char === '_') {
      parts.push({ kind: 'one' });
    } else {
      parts.push({ kind: 'literal', char });
    }
  }
  return parts;
}

// GLOB has no escape character; a metacharacter alone in brackets matches itself.
const globSpecial = new Set(['*', '?', '[']);

/** The GLOB pattern matching exactly what the LIKE pattern matches, case-sensitively. */
export function likeToGlob(pattern: string): string {
  return parsePattern(pattern)
    .map((part) => {
      if (part.kind === 'many') return '*';
      if (part.kind === 'one') return '?';
      return globSpecial.has(part.char) ? `[${part.char}]` : part.char;
    })
    .join('');
}

/** The escape character that `likeForSqlite` patterns use, as written in the SQL. */
export const likeEscape = "ESCAPE '\\'";

/**
 * The same pattern for SQLite's LIKE with `likeEscape`: every literal wildcard or backslash is
 * escaped, so a trailing or redundant backslash cannot make SQLite reject the pattern.
 */
export function likeForSqlite(pattern: string): string {
  return parsePattern(pattern)
    .map((part) => {
      if (part.kind === 'many') return '%';
      if (part.kind === 'one') return '_';
      return part.char === '%' || part.char === '_' || part.char === '\\'
        ? `\\${part.char}`
        : part.char;
    })
    .join('');
}
