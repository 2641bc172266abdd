/**
 * Glob patterns as VS Code's settings write them (`**`, `*`, `?`, `{a,b}`, `[abc]`), matched
 * against workspace-relative paths with `/`. findFiles applies the same patterns, but file
 * watcher events do not, and a scan can only take one exclude pattern: this decides for both.
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${translate(glob)}$`);
}

/** True when the relative path matches any of the patterns. */
export function matchesAny(relativePath: string, patterns: RegExp[]): boolean {
  return patterns.some((pattern) => pattern.test(relativePath));
}

function translate(glob: string): string {
  let out = '';
  let index = 0;
  while (index < glob.length) {
    const [piece, length] = translatePiece(glob, index);
    out += piece;
    index += length;
  }
  return out;
}

/** The regular expression for the pattern piece at `index`, and how many characters it took. */
function translatePiece(glob: string, index: number): [string, number] {
  if (glob.startsWith('**/', index)) return ['(?:.*/)?', 3];
  if (glob.startsWith('/**', index) && index + 3 === glob.length) return ['(?:/.*)?', 3];
  if (glob.startsWith('**', index)) return ['.*', 2];
  const char = glob[index];
  if (char === '*') return ['[^/]*', 1];
  if (char === '?') return ['[^/]', 1];
  if (char === '{') return translateBraces(glob, index);
  if (char === '[') return translateClass(glob, index);
  return [char.replace(/[.+^$()|\\\]}]/g, '\\$&'), 1];
}

function translateBraces(glob: string, start: number): [string, number] {
  let depth = 0;
  const alternatives: string[] = [];
  let from = start + 1;
  for (let index = start; index < glob.length; index += 1) {
    if (glob[index] === '{') depth += 1;
    if (glob[index] === '}') depth -= 1;
    if ((glob[index] === ',' && depth === 1) || depth === 0) {
      alternatives.push(glob.slice(from, index));
      from = index + 1;
    }
    if (depth === 0) return [`(?:${alternatives.map(translate).join('|')})`, index - start + 1];
  }
  return ['\\{', 1];
}

function translateClass(glob: string, start: number): [string, number] {
  const end = glob.indexOf(']', start + 1);
  if (end < 0) return ['\\[', 1];
  const body = glob.slice(start + 1, end).replace(/\\/g, '\\\\');
  const negated = body.startsWith('!') ? `^${body.slice(1)}` : body;
  return [`[${negated}]`, end - start + 1];
}
