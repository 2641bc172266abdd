/**
 * Which field texts mean "no value". The list is pandas' default `na_values` (pandas 2, which
 * added "None"), so a file reads with the same gaps here as in a notebook. Matching is exact and
 * case-sensitive, as in pandas: "na" and " NA" are values.
 */
export const MISSING_TEXTS: readonly string[] = [
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
];

const LONGEST = Math.max(...MISSING_TEXTS.map((text) => text.length));

/** Missing texts grouped by their first byte, so most fields are ruled out by one lookup. */
const BY_FIRST_BYTE: (Uint8Array[] | undefined)[] = [];
for (const text of MISSING_TEXTS) {
  if (text === '') continue;
  const bytes = Buffer.from(text, 'latin1');
  (BY_FIRST_BYTE[bytes[0]] ??= []).push(bytes);
}

/**
 * Matches field bytes against the missing spellings. A class rather than a function so the
 * per-field call is a method call (see textColumn.ts).
 */
export class MissingBytes {
  /** Whether bytes [start, end) spell a missing value. */
  matches(bytes: Uint8Array, start: number, end: number): boolean {
    const length = end - start;
    if (length === 0) return true;
    if (length > LONGEST) return false;
    const candidates = BY_FIRST_BYTE[bytes[start]];
    if (candidates === undefined) return false;
    for (const candidate of candidates) {
      if (candidate.length === length && sameBytes(candidate, bytes, start)) return true;
    }
    return false;
  }
}

function sameBytes(candidate: Uint8Array, bytes: Uint8Array, start: number): boolean {
  for (let index = 1; index < candidate.length; index++) {
    if (candidate[index] !== bytes[start + index]) return false;
  }
  return true;
}

const BOOLEAN_TEXTS = new Set(['True', 'TRUE', 'true', 'False', 'FALSE', 'false']);

/** The spellings pandas reads as booleans in a text file. */
export function isBooleanText(text: string): boolean {
  return BOOLEAN_TEXTS.has(text);
}
