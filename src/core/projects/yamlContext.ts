import type { TextLines } from './text';
import type { Position } from './types';

/**
 * Where the cursor sits in a YAML document that may not parse yet: the keys of the mappings
 * around it, read from indentation and from any open `{...}` on the current line.
 */
export interface YamlContext {
  /** Keys of the enclosing mappings, outermost first. */
  path: string[];
  /** Set when the cursor is in the value of this key rather than at a key. */
  key?: string;
  /** Keys already written in the same mapping, which completion need not offer again. */
  siblings: string[];
  /** The indentation of the current line. */
  indent: number;
  inFlow: boolean;
}

const KEY_COLON = /^([^#]*?):(?:\s|$)/;
const PARTIAL_WORD = /^[\w-]*$/;

export function yamlContextAt(lines: TextLines, position: Position): YamlContext | undefined {
  if (position.line < 0 || position.line >= lines.lineCount) return undefined;
  const before = lines.line(position.line).slice(0, position.character);
  if (/(^|\s)#/.test(before)) return undefined;
  const indent = before.length - before.trimStart().length;
  const block = blockAround(lines, position.line, indent);
  if (!block) return undefined;

  const content = before.slice(indent);
  const colon = KEY_COLON.exec(content);
  if (!colon) {
    if (!PARTIAL_WORD.test(content)) return undefined;
    return { path: block.path, siblings: block.siblings, indent, inFlow: false };
  }
  const key = colon[1].trim();
  const value = content.slice(colon[0].length).trimStart();
  if (value.startsWith('{')) return flowContext(block.path, key, value, indent);
  if (!PARTIAL_WORD.test(value)) return undefined;
  return { path: block.path, key, siblings: [], indent, inFlow: false };
}

interface Block {
  path: string[];
  siblings: string[];
}

/** Walks up to the lines that open the mappings around `line`, then gathers its siblings. */
function blockAround(lines: TextLines, line: number, indent: number): Block | undefined {
  const path: string[] = [];
  let limit = indent;
  let parent = -1;
  for (let above = line - 1; above >= 0 && limit > 0; above--) {
    const text = lines.line(above);
    const lineIndent = indentOf(text);
    if (isBlank(text) || lineIndent >= limit) continue;
    // Anything but `key:` here means the cursor is inside a multi-line value, not a mapping.
    const opener = /^([^#]*?):\s*(#.*)?$/.exec(text.trim());
    if (!opener) return undefined;
    path.unshift(opener[1].trim());
    limit = lineIndent;
    if (parent < 0) parent = above;
  }
  return { path, siblings: siblingKeys(lines, parent, indent, line) };
}

function siblingKeys(lines: TextLines, parent: number, indent: number, current: number): string[] {
  const keys: string[] = [];
  for (let line = parent + 1; line < lines.lineCount; line++) {
    const text = lines.line(line);
    if (isBlank(text) || line === current) continue;
    const lineIndent = indentOf(text);
    if (lineIndent < indent) break;
    const colon = KEY_COLON.exec(text.trim());
    if (lineIndent === indent && colon) keys.push(colon[1].trim());
  }
  return keys;
}

interface FlowScan {
  /** The mappings opened by `{` and not yet closed, with the keys written in each. */
  open: { key: string; seen: string[] }[];
  /** The key whose value is being typed, if the cursor is after `key:`. */
  pending?: string;
  /** What has been typed since the last `{`, `,` or `:`. */
  segment: string;
}

/** Reads `{type: fl` or `{a: {type: float, def` after `key:` on the current line. */
function flowContext(path: string[], key: string, value: string, indent: number) {
  const scan = scanFlow(key, value);
  if (!scan || scan.open.length === 0 || !PARTIAL_WORD.test(scan.segment.trim())) return undefined;

  const { open, pending } = scan;
  const siblings = pending === undefined ? (open.at(-1)?.seen ?? []) : [];
  const context: YamlContext = {
    path: [...path, ...open.map((mapping) => mapping.key)],
    siblings,
    indent,
    inFlow: true,
  };
  if (pending !== undefined) context.key = pending;
  return context;
}

function scanFlow(key: string, value: string): FlowScan | undefined {
  const scan: FlowScan = { open: [], pending: key, segment: '' };
  for (const char of value) {
    if (char === '{') {
      // `{` opens a mapping only as the value of a key; `[{` and the like are not followed.
      if (scan.pending === undefined) return undefined;
      scan.open.push({ key: scan.pending, seen: [] });
    } else if (char === '}') {
      scan.open.pop();
    } else if (char === ':' && scan.pending === undefined) {
      scan.pending = scan.segment.trim();
      scan.open.at(-1)?.seen.push(scan.pending);
    }
    if ('{},'.includes(char)) scan.pending = undefined;
    scan.segment = '{},:'.includes(char) ? '' : scan.segment + char;
  }
  return scan;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function isBlank(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed.startsWith('#');
}
