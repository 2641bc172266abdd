/**
 * Blanks the inside of Python comments and string literals, keeping every offset and line break,
 * so that line-based patterns (`def train`, `import mlflow`) only ever see code. Quotes are kept;
 * a backslash always escapes the next character, which is also what ends a raw string.
 */
export function maskPython(text: string): string {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (char === '#') at = blank(text, at, lineEnd(text, at), out);
    else if (char === '"' || char === "'") at = maskString(text, at, out);
    else out.push(text[at++]);
  }
  return out.join('');
}

function maskString(text: string, open: number, out: string[]): number {
  const quote = text.startsWith(text[open].repeat(3), open) ? text[open].repeat(3) : text[open];
  out.push(quote);
  let at = open + quote.length;
  while (at < text.length && !text.startsWith(quote, at)) {
    // A single-quoted string cannot cross a line; an unterminated one ends there.
    if (quote.length === 1 && text[at] === '\n') return at;
    const step = text[at] === '\\' ? 2 : 1;
    at = blank(text, at, Math.min(at + step, text.length), out);
  }
  if (at < text.length) out.push(quote);
  return Math.min(at + quote.length, text.length);
}

/** Appends spaces for text[from, to), keeping line breaks, and returns `to`. */
function blank(text: string, from: number, to: number, out: string[]): number {
  for (let at = from; at < to; at++)
    out.push(text[at] === '\n' || text[at] === '\r' ? text[at] : ' ');
  return to;
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}
