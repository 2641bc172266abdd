import type { Document } from 'yaml';
import type { Diagnostic, Range, Severity } from './types';
import type { TextLines } from './text';

/** Offsets into the document, start inclusive and end exclusive. */
export type Span = readonly [start: number, end: number];

/** What the readers of an MLproject share: its text, its parsed document and the findings. */
export interface ParseContext {
  text: string;
  doc: Document;
  report: Report;
}

/** Collects diagnostics at offsets and turns them into LSP ranges. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly lines: TextLines) {}

  error(where: Span | Range, code: string, message: string): void {
    this.add('error', where, code, message);
  }

  warning(where: Span | Range, code: string, message: string): void {
    this.add('warning', where, code, message);
  }

  add(severity: Severity, where: Span | Range, code: string, message: string): void {
    const range = isSpan(where) ? this.range(where) : where;
    this.diagnostics.push({ range, severity, message, code });
  }

  range(span: Span): Range {
    return this.lines.trimmedRange(span[0], span[1]);
  }
}

function isSpan(where: Span | Range): where is Span {
  return Array.isArray(where);
}

/** "Unknown key 'entry_point' in the project; did you mean 'entry_points'?" */
export function unknownKeyMessage(key: string, where: string, known: readonly string[]): string {
  const close = closest(key, known);
  if (close) return `Unknown key '${key}' in ${where}; did you mean '${close}'?`;
  return `Unknown key '${key}' in ${where}; use ${listOf(known)}, or remove it`;
}

/**
 * The known word close enough to `word` to suggest: within two edits, and fewer for short words,
 * where one edit already makes a different word ('a' is not a typo of 'd').
 */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

export function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}
