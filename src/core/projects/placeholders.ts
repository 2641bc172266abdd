/**
 * The `{name}` fields of an MLproject command. MLflow fills them with Python's `str.format`, so
 * this follows its grammar: `{{` and `}}` are literal braces, and a field holding anything but a
 * name (`{}`, `{0}`, `{x:.2f}`, `{x.y}`) fails there, because the values are quoted strings.
 */

export type FormatSegment =
  { kind: 'text'; text: string } | { kind: 'field'; name: string; start: number; end: number };

export interface FormatProblem {
  start: number;
  end: number;
  message: string;
  /** The parameter a malformed field meant, like `x` in `{x:.2f}`, so it is not called unused. */
  name?: string;
}

export interface FormatScan {
  segments: FormatSegment[];
  problems: FormatProblem[];
}

export function scanFormat(text: string): FormatScan {
  const scan: FormatScan = { segments: [], problems: [] };
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const pair = text.slice(i, i + 2);
    if (pair === '{{' || pair === '}}') {
      literal += pair[0];
      i += 2;
    } else if (text[i] === '{' || text[i] === '}') {
      if (literal) scan.segments.push({ kind: 'text', text: literal });
      literal = '';
      i = text[i] === '{' ? readField(text, i, scan) : unmatched(text, i, scan);
    } else {
      literal += text[i++];
    }
  }
  if (literal) scan.segments.push({ kind: 'text', text: literal });
  return scan;
}

/** Reads the field starting at `start` and returns the offset after it. */
function readField(text: string, start: number, scan: FormatScan): number {
  const close = text.indexOf('}', start + 1);
  if (close < 0) return unmatched(text, start, scan);
  const content = text.slice(start + 1, close);
  const end = close + 1;
  const problem = fieldProblem(content);
  const name = fieldName(content);
  if (problem) scan.problems.push({ start, end, message: problem, name: name || undefined });
  else scan.segments.push({ kind: 'field', name: content, start, end });
  return end;
}

/** The name part of a field, before any attribute, index, conversion or format spec. */
function fieldName(content: string): string {
  return content.split(/[.[!:]/, 1)[0];
}

function fieldProblem(content: string): string | undefined {
  const name = fieldName(content);
  if (content.includes('{')) {
    return `Placeholder {${content}} is malformed; write {{ for a literal brace`;
  }
  if (name === '' || /^\d+$/.test(name)) {
    return `Placeholder {${content}} has no name; MLflow fills only named placeholders like {alpha}`;
  }
  if (name !== content) {
    return `Placeholder {${content}} cannot be filled, because MLflow passes values as quoted text; write {${name}}`;
  }
  return undefined;
}

function unmatched(text: string, at: number, scan: FormatScan): number {
  const brace = text[at];
  const message = `Unmatched '${brace}' in the command; write '${brace}${brace}' for a literal brace`;
  scan.problems.push({ start: at, end: at + 1, message });
  return at + 1;
}

/**
 * Finds where `value.slice(index, index + length)` was written in a scalar's source. Plain and
 * quoted scalars write braces and operators as they are, so the k-th occurrence in the value is
 * the k-th in the source whenever both hold the same number of them; escapes or line folding
 * that change the count make the answer unknown rather than wrong.
 */
export function locateInSource(
  value: string,
  index: number,
  length: number,
  source: string,
): number | undefined {
  const needle = value.slice(index, index + length);
  if (needle === '') return undefined;
  const inValue = occurrences(value, needle);
  const inSource = occurrences(source, needle);
  const nth = inValue.indexOf(index);
  if (nth < 0 || inValue.length !== inSource.length) return undefined;
  return inSource[nth];
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) {
    found.push(at);
  }
  return found;
}
